"""Tests of bpcore.examples.chain: chapter 2's worked examples."""

import numpy as np
import pytest

import bpcore
from bpcore import examples


def test_chain_of_three_at_three_has_the_chapter_numbers():
    chain = examples.chain_of_three(3.0)
    assert (chain["u"], chain["v"], chain["y"]) == (9, 19, 6859)
    assert (chain["du_dx"], chain["dv_du"], chain["dy_dv"]) == (6, 2, 1083)
    assert (chain["dy_du"], chain["dy_dx"]) == (2166, 12996)


@pytest.mark.parametrize("x", [-2.5, -1.0, 0.0, 0.3, 3.0])
def test_chain_of_three_gradient_matches_finite_differences(
        x, assert_matches_central_differences):
    assert_matches_central_differences(lambda t: (2 * t**2 + 1) ** 3, x,
                                       examples.chain_of_three(x)["dy_dx"])


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.0, 3.0])
def test_path_sum_products_add_up_to_the_derivative(x, assert_matches_central_differences):
    values, edges, paths = examples.path_sum_example(x)
    assert values["y"] == x**2 + 3 * x**3
    assert len(paths) == 3 and all(path[0] == "x" and path[-1] == "y" for path in paths)
    assert np.isclose(sum(paths.values()), 2 * x + 9 * x**2, rtol=1e-14, atol=1e-14)
    assert_matches_central_differences(lambda t: t**2 + 3 * t**3, x, sum(paths.values()))
    assert set(edges) == {("x", "a"), ("x", "b"), ("a", "c"), ("b", "c"), ("a", "y"), ("c", "y")}


@pytest.mark.parametrize("w1", [-4.0, -0.5, 0.0, 2.5])
def test_tiny_network_gradient_is_the_product_of_four_factors_and_matches_nudging(
        w1, assert_matches_central_differences):
    net = examples.tiny_network(w1)
    product = net["dL_dyhat"] * net["dyhat_da1"] * net["da1_dz1"] * net["dz1_dw1"]
    assert np.isclose(net["dL_dw1"], product, rtol=1e-15)
    assert_matches_central_differences(lambda w: examples.tiny_network(w)["loss"], w1,
                                       net["dL_dw1"])


def test_tiny_network_matches_bpcore():
    x, y, w1, b1, w2, b2 = 1.5, 0.3, 0.7, -0.2, -0.8, 0.1
    net = bpcore.Sequential(bpcore.Linear(1, 1), bpcore.Sigmoid(), bpcore.Linear(1, 1))
    net[0].W.data[:], net[0].b.data[:], net[2].W.data[:], net[2].b.data[:] = w1, b1, w2, b2
    criterion = bpcore.MSELoss()
    mse = criterion(net(np.array([[x]])), np.array([[y]]))
    net.backward(0.5 * criterion.backward())
    mine = examples.tiny_network(w1, x=x, y=y, b1=b1, w2=w2, b2=b2)
    assert np.isclose(mine["loss"], 0.5 * mse, rtol=1e-14)
    assert np.isclose(mine["dL_dw1"], net[0].W.grad[0, 0], rtol=1e-14)


def test_tiny_network_works_on_arrays():
    w1 = np.linspace(-3, 3, 7)
    net = examples.tiny_network(w1)
    assert net["loss"].shape == net["dL_dw1"].shape == (7,)
    assert np.allclose(net["dL_dw1"], [examples.tiny_network(w)["dL_dw1"] for w in w1])


def test_the_saturated_sigmoid_makes_the_gradient_tiny():
    far = examples.tiny_network(-4.0)
    assert far["da1_dz1"] < 4e-4 and abs(far["dL_dw1"]) < 2e-3 and far["loss"] > 0.49
