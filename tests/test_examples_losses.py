"""Tests of bpcore.examples.losses: chapter 4's worked example."""

import numpy as np
import pytest

import bpcore
from bpcore import examples


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_sigmoid_output_losses_match_the_textbook_formulas(y):
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    out = examples.sigmoid_output_losses(z, y)
    assert np.allclose(out["p"], p, rtol=1e-15)
    assert np.allclose(out["mse"], (p - y) ** 2, rtol=1e-12, atol=1e-15)
    assert np.allclose(out["bce"], -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-10)


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_sigmoid_output_gradients_match_nudging(name, assert_matches_central_differences):
    z = np.linspace(-6, 6, 25)
    assert_matches_central_differences(lambda t: examples.sigmoid_output_losses(t)[name], z,
                                       examples.sigmoid_output_losses(z)[name + "_grad"])


def test_sigmoid_output_losses_agree_with_bpcore():
    z = np.linspace(-30, 30, 13).reshape(-1, 1)
    target = np.ones_like(z)
    out = examples.sigmoid_output_losses(z.ravel())
    criterion = bpcore.BCEWithLogitsLoss()
    bce = [criterion(z[i:i + 1], target[i:i + 1]) for i in range(len(z))]
    assert np.allclose(out["bce"], bce, rtol=1e-14, atol=1e-300)
    sigmoid, squared = bpcore.Sigmoid(), bpcore.MSELoss()
    squared(sigmoid(z), target)
    grads = sigmoid.backward(squared.backward()) * len(z)  # undo the mean over 13 samples
    assert np.allclose(out["mse_grad"], grads.ravel(), rtol=1e-12, atol=1e-300)


def test_sigmoid_output_losses_are_finite_at_extreme_logits_without_warnings():
    # pytest turns RuntimeWarnings into errors (pyproject.toml), so overflow would fail here
    out = examples.sigmoid_output_losses(np.array([-1000.0, -40.0, 40.0, 1000.0]))
    for values in out.values():
        assert np.all(np.isfinite(values))
    assert np.allclose(out["bce"], [1000.0, 40.0, 0.0, 0.0], atol=1e-15)


def test_confident_mistakes_vanish_under_mse_but_not_under_cross_entropy():
    out = examples.sigmoid_output_losses(-12.0)
    assert abs(out["mse_grad"]) < 1e-4 and abs(out["bce_grad"]) > 0.99


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_clipped_cross_entropy_is_the_clipped_formula(y):
    eps = 1e-7
    z = np.linspace(-30, 30, 61)
    p = 1 / (1 + np.exp(-z))
    p_clipped = np.clip(p, eps, 1 - eps)
    out = examples.clipped_cross_entropy(z, y, eps=eps)
    assert np.array_equal(out["clipped"], (p < eps) | (p > 1 - eps))
    expected = -(y * np.log(p_clipped) + (1 - y) * np.log(1 - p_clipped))
    assert np.allclose(out["clipped_loss"], expected, rtol=1e-12)
    reference = examples.sigmoid_output_losses(z, y)
    assert np.allclose(out["bce"], reference["bce"], rtol=1e-15)
    assert np.allclose(out["bce_grad"], reference["bce_grad"], rtol=1e-15)


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_clipped_gradient_matches_nudging_and_is_zero_where_it_clips(
        y, assert_matches_central_differences):
    eps = 1e-7
    edge = np.log(eps) - np.log1p(-eps)  # sigma(edge) = eps
    # away from the two kinks at z = ±edge, and, inside, where 1 - p or p is not so small
    # that forming it from p loses the digits nudging needs
    z = np.concatenate([np.linspace(-30, edge - 0.5, 7), np.linspace(-10, 10, 9),
                        np.linspace(-edge + 0.5, 30, 7)])
    out = examples.clipped_cross_entropy(z, y, eps=eps)
    assert_matches_central_differences(
        lambda t: examples.clipped_cross_entropy(t, y, eps=eps)["clipped_loss"], z,
        out["clipped_grad"])
    outside = np.abs(z) > -edge
    assert np.all(out["clipped"] == outside)
    assert np.all(out["clipped_grad"][outside] == 0)
    inside = ~outside
    assert np.allclose(out["clipped_grad"][inside], out["bce_grad"][inside], rtol=0, atol=0)


def test_a_clipped_confident_mistake_has_loss_minus_log_eps_and_no_gradient():
    eps, p = 1e-7, 1e-9
    z = np.log(p) - np.log1p(-p)
    out = examples.clipped_cross_entropy(z, 1.0, eps=eps)
    assert np.isclose(out["clipped_loss"], -np.log(eps), rtol=1e-12)
    assert out["clipped_grad"] == 0
    assert np.isclose(out["bce"], -np.log(p), rtol=1e-9)
    assert abs(out["bce_grad"] - (p - 1)) < 1e-12
