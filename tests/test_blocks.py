"""Tests of bpcore.blocks: the Residual block's output, gradients, parameters, training, errors."""

import inspect

import numpy as np
import pytest

import bpcore
from bpcore.blocks import Residual


class Halve(bpcore.Module):
    """A module without parameters or feature sizes that drops half the columns."""

    def forward(self, x):
        return x[:, : x.shape[1] // 2]

    def backward(self, grad_output, input_grad=True):
        raise AssertionError("never reached")


def residual_net(activation=bpcore.Sigmoid, seed=0):
    rng = np.random.default_rng(seed)
    return bpcore.Sequential(
        bpcore.Linear(3, 4, rng=rng), bpcore.Tanh(),
        Residual(bpcore.Sequential(bpcore.Linear(4, 4, rng=rng), activation())),
        Residual(bpcore.Sequential(bpcore.Linear(4, 4, rng=rng), activation())),
        bpcore.Linear(4, 2, rng=rng),
    )


@pytest.mark.parametrize("activation", [bpcore.Sigmoid, bpcore.Tanh, bpcore.Identity])
def test_residual_network_passes_gradcheck(activation):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    report = bpcore.gradcheck(residual_net(activation), bpcore.MSELoss(), X, y)
    assert report.max_error < 1e-7, str(report)
    assert set(report.errors) == {"0.W", "0.b", "2.module.0.W", "2.module.0.b", "3.module.0.W",
                                  "3.module.0.b", "4.W", "4.b", "input"}


def test_residual_alone_passes_gradcheck_with_respect_to_its_input():
    rng = np.random.default_rng(2)
    block = Residual(bpcore.Linear(3, 3, rng=0))
    report = bpcore.gradcheck(block, bpcore.MSELoss(), rng.standard_normal((4, 3)),
                              rng.standard_normal((4, 3)))
    assert report.max_error < 1e-7, str(report)


def test_residual_computes_x_plus_module_and_adds_the_gradients():
    rng = np.random.default_rng(3)
    inner = bpcore.Sequential(bpcore.Linear(4, 4, rng=0), bpcore.Tanh())
    block = Residual(inner)
    x, g = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    out = block(x)
    assert out.shape == x.shape
    np.testing.assert_array_equal(out, x + inner(x))
    block.zero_grad()
    inner(x)
    expected = g + inner.backward(g, input_grad=True)
    expected_grads = [p.grad.copy() for p in inner.parameters()]
    block.zero_grad()
    block(x)
    grad_x = block.backward(g)
    assert grad_x.shape == x.shape
    np.testing.assert_allclose(grad_x, expected, rtol=1e-15)
    for p, want in zip(inner.parameters(), expected_grads, strict=True):
        np.testing.assert_allclose(p.grad, want, rtol=1e-15)


def test_residual_around_a_zero_module_is_the_identity_and_passes_gradients_unchanged():
    block = Residual(bpcore.Linear(5, 5, init="zeros"))
    x = np.arange(10.0).reshape(2, 5)
    np.testing.assert_array_equal(block(x), x)
    g = np.ones((2, 5))
    np.testing.assert_array_equal(block.backward(g), g)


def test_residual_backward_returns_the_input_gradient_by_default():
    assert inspect.signature(Residual.backward).parameters["input_grad"].default is True
    block = Residual(bpcore.Linear(3, 3, rng=0))
    x, g = np.ones((2, 3)), np.arange(6.0).reshape(2, 3)
    block(x)
    np.testing.assert_array_equal(block.backward(g), g + g @ block.module.W.data.T)


def test_residual_without_input_grad_still_fills_parameter_gradients():
    block = Residual(bpcore.Linear(3, 3, rng=0))
    x = np.ones((2, 3))
    block(x)
    assert block.backward(np.ones((2, 3)), input_grad=False) is None
    np.testing.assert_array_equal(block.module.W.grad, x.T @ np.ones((2, 3)))


def test_residual_parameters_are_the_inner_modules_with_prefixed_names():
    inner = bpcore.Sequential(bpcore.Linear(4, 4, rng=0), bpcore.ReLU())
    block = Residual(inner)
    assert block.parameters() == inner.parameters()
    assert [name for name, _ in block.named_parameters()] == ["module.0.W", "module.0.b"]
    assert (block.in_features, block.out_features) == (4, 4)
    model = bpcore.Sequential(bpcore.Linear(2, 4), block, bpcore.Linear(4, 1))
    assert [name for name, _ in model.named_parameters()] == [
        "0.W", "0.b", "1.module.0.W", "1.module.0.b", "2.W", "2.b"]


def test_residual_trains_in_fit_and_appears_in_history():
    X, y = bpcore.blobs(n_per_class=20, seed=0)
    model = bpcore.Sequential(bpcore.Linear(2, 8, rng=0), bpcore.Tanh(),
                              Residual(bpcore.Sequential(bpcore.Linear(8, 8, rng=1), bpcore.Tanh())),
                              bpcore.Linear(8, 2, rng=2))
    history = bpcore.fit(model, bpcore.CrossEntropyLoss(),
                         bpcore.optim.Adam(model.parameters(), lr=0.05), X, y, epochs=50)
    assert history.weight_names == ["0.W", "2.module.0.W", "3.W"]
    assert history.loss[-1] < history.loss[0] and history.accuracy[-1] > 0.9


def test_residual_keeps_gradients_alive_in_a_deep_sigmoid_network():
    X, y = bpcore.spiral(n_per_class=50, seed=0)

    def first_layer_grad(skip):
        rng = np.random.default_rng(0)
        blocks = [bpcore.Sequential(bpcore.Linear(16, 16, rng=rng), bpcore.Sigmoid())
                  for _ in range(15)]
        model = bpcore.Sequential(bpcore.Linear(2, 16, rng=rng), bpcore.Sigmoid(),
                                  *[Residual(b) if skip else b for b in blocks],
                                  bpcore.Linear(16, 3, rng=rng))
        loss = bpcore.CrossEntropyLoss()
        loss(model(X), y)
        model.backward(loss.backward())
        return np.linalg.norm(model[0].W.grad)

    assert first_layer_grad(skip=True) > 1e6 * first_layer_grad(skip=False)


def test_residual_rejects_non_modules():
    with pytest.raises(TypeError, match=r"Residual wraps a Module instance, got ufunc"):
        Residual(np.tanh)


@pytest.mark.parametrize("inner", [
    bpcore.Linear(3, 4),
    bpcore.Sequential(bpcore.Linear(3, 4), bpcore.ReLU()),
    bpcore.Sequential(bpcore.Linear(3, 3), bpcore.ReLU(), bpcore.Linear(3, 2)),
], ids=["linear", "sequential", "last-layer"])
def test_residual_rejects_modules_that_change_the_width(inner):
    with pytest.raises(bpcore.ShapeError, match=r"Residual needs a module whose output has the "
                                                r"shape of its input, .* maps 3 features to \d"):
        Residual(inner)


def test_residual_rejects_a_shape_change_found_in_the_forward_pass():
    with pytest.raises(bpcore.ShapeError, match=r"turned input of shape \(2, 4\) into output of "
                                                r"shape \(2, 2\)"):
        Residual(Halve())(np.ones((2, 4)))


def test_sequential_checks_feature_sizes_across_a_residual_block():
    with pytest.raises(bpcore.ShapeError, match=r"layer 2 Linear\(5, 1\) expects 5 input features"):
        bpcore.Sequential(bpcore.Linear(2, 4), Residual(bpcore.Linear(4, 4)), bpcore.Linear(5, 1))


def test_residual_backward_needs_a_forward_pass_and_the_right_gradient_shape():
    block = Residual(bpcore.Linear(3, 3, rng=0))
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        block.backward(np.ones((2, 3)))
    block(np.ones((2, 3)))
    with pytest.raises(bpcore.ShapeError, match=r"got a gradient of shape \(2, 4\), but its last "
                                                r"forward output had shape \(2, 3\)"):
        block.backward(np.ones((2, 4)))
