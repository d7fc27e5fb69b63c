"""Tests of bpcore.BatchNorm1d beyond the shared check: the statistics it uses and keeps, the
closed-form backward against the graph's three paths, and bad input. PyTorch's numbers are in
test_layers_reference.py."""

import numpy as np
import pytest

import bpcore
from tests.conftest import trained_batchnorm

RNG = np.random.default_rng(7)
X = RNG.normal(size=(10, 3)) * [0.5, 2.0, 4.0] + [1.0, -3.0, 0.0]


def test_training_mode_standardises_each_feature_over_the_batch():
    layer = bpcore.BatchNorm1d(3, eps=1e-12)
    y = layer(X)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), 1, rtol=1e-9)


def test_weight_and_bias_set_each_features_scale_and_shift():
    layer = bpcore.BatchNorm1d(3, eps=1e-12)
    layer.weight.data[:] = [2.0, 0.5, -1.0]
    layer.bias.data[:] = [1.0, 0.0, 3.0]
    y = layer(X)
    np.testing.assert_allclose(y.mean(axis=0), [1.0, 0.0, 3.0], atol=1e-12)
    np.testing.assert_allclose(y.std(axis=0), [2.0, 0.5, 1.0], rtol=1e-9)


def test_running_statistics_follow_the_momentum_with_the_unbiased_variance():
    layer = bpcore.BatchNorm1d(3, momentum=0.25)
    layer(X)
    np.testing.assert_allclose(layer.running_mean, 0.25 * X.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(layer.running_var, 0.75 + 0.25 * X.var(axis=0, ddof=1), rtol=1e-12)
    second = X[::-1] * 2
    layer(second)
    np.testing.assert_allclose(
        layer.running_mean, 0.75 * 0.25 * X.mean(axis=0) + 0.25 * second.mean(axis=0), rtol=1e-12)


def test_evaluation_mode_uses_the_running_statistics_and_updates_nothing():
    layer = trained_batchnorm(3).eval()
    mean, var = layer.running_mean.copy(), layer.running_var.copy()
    y = layer(X)
    expected = (X - mean) / np.sqrt(var + layer.eps) * layer.weight.data + layer.bias.data
    np.testing.assert_allclose(y, expected, rtol=1e-12)
    np.testing.assert_array_equal(layer.running_mean, mean)
    np.testing.assert_array_equal(layer.running_var, var)
    # one sample at a time gives the same rows: no sample depends on the others
    np.testing.assert_allclose(layer(X[:1]), y[:1], rtol=1e-12)


def test_momentum_one_keeps_the_last_batch_and_zero_keeps_the_start():
    last, frozen = bpcore.BatchNorm1d(3, momentum=1.0), bpcore.BatchNorm1d(3, momentum=0.0)
    for layer in (last, frozen):
        layer(X)
    np.testing.assert_allclose(last.running_var, X.var(axis=0, ddof=1), rtol=1e-12)
    np.testing.assert_array_equal(frozen.running_mean, np.zeros(3))
    np.testing.assert_array_equal(frozen.running_var, np.ones(3))


def test_the_closed_form_equals_the_three_paths_of_the_graph():
    """The module docstring's derivation: direct path, through μ, through σ², then summed."""
    layer = trained_batchnorm(3).train()
    g = RNG.normal(size=X.shape)
    layer(X)
    closed = layer.backward(g)
    n, gamma, eps = len(X), layer.weight.data, layer.eps
    mean, var = X.mean(axis=0), X.var(axis=0)
    x_hat = (X - mean) / np.sqrt(var + eps)
    g_hat = gamma * g
    d_var = -0.5 * (g_hat * x_hat).sum(axis=0) / (var + eps)
    d_mean = -g_hat.sum(axis=0) / np.sqrt(var + eps)
    paths = g_hat / np.sqrt(var + eps) + d_var * 2 * (X - mean) / n + d_mean / n
    np.testing.assert_allclose(closed, paths, rtol=1e-10, atol=1e-12)


def test_the_input_gradient_has_no_component_along_a_shift_or_a_rescaling_of_the_batch():
    """Σ ∂L/∂x = 0 exactly; Σ x̂ ∂L/∂x = 0 up to the factor ε / (σ² + ε), so ε is tiny here."""
    layer = bpcore.BatchNorm1d(3, eps=1e-12)
    layer.weight.data[:] = [2.0, -0.5, 1.5]
    layer(X)
    grad = layer.backward(RNG.normal(size=X.shape))
    x_hat = layer._normalized
    np.testing.assert_allclose(grad.sum(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose((grad * x_hat).sum(axis=0), 0, atol=1e-9)  # ε/σ² ≈ 1e-11


def test_parameters_are_weight_then_bias_and_not_counted_as_weight_matrices():
    layer = bpcore.BatchNorm1d(4)
    assert [name for name, _ in layer.named_parameters()] == ["weight", "bias"]
    assert layer.parameters() == [layer.weight, layer.bias]
    np.testing.assert_array_equal(layer.weight.data, np.ones(4))
    np.testing.assert_array_equal(layer.bias.data, np.zeros(4))
    assert layer.named_weights() == []
    assert (layer.eps, layer.momentum) == (1e-5, 0.1)


def test_a_sequential_checks_its_feature_count():
    with pytest.raises(bpcore.ShapeError, match=r"layer 1 BatchNorm1d\(3.*expects 3 input features, but layer 0"):
        bpcore.Sequential(bpcore.Linear(2, 4), bpcore.BatchNorm1d(3))


def test_float32_statistics_stay_float32():
    layer = bpcore.BatchNorm1d(3, dtype=np.float32)
    layer(X.astype(np.float32))
    assert layer.running_mean.dtype == layer.running_var.dtype == np.float32


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bpcore.BatchNorm1d(0), ValueError, "num_features must be a positive integer, got 0"),
        (lambda: bpcore.BatchNorm1d(2.0), TypeError, "num_features must be a positive integer, got float"),
        (lambda: bpcore.BatchNorm1d(3, eps=0), ValueError, "eps must be a positive finite number, got 0"),
        (lambda: bpcore.BatchNorm1d(3, momentum=1.5), ValueError, r"momentum must lie in \[0, 1\], got 1.5"),
        (lambda: bpcore.BatchNorm1d(3, momentum=None), TypeError, "momentum must be a real number, got NoneType"),
        (lambda: bpcore.BatchNorm1d(3)(np.ones((1, 3))), ValueError,
         r"training mode needs at least 2 samples per batch to estimate a variance, got 1; call eval\(\)"),
        (lambda: bpcore.BatchNorm1d(3)(np.ones((4, 2))), bpcore.ShapeError,
         r"expects input of shape \(n, 3\), got shape \(4, 2\)"),
        (lambda: bpcore.BatchNorm1d(3)(np.ones((4, 3, 2))), bpcore.ShapeError,
         r"expects input of shape \(n, 3\), got shape \(4, 3, 2\)"),
        (lambda: bpcore.BatchNorm1d(3)(np.full((4, 3), np.nan)), bpcore.NonFiniteError,
         "contains NaN or inf"),
        (lambda: bpcore.BatchNorm1d(3)(np.ones((4, 3), np.float32)), TypeError,
         "holds float64 parameters but got float32 input"),
        (lambda: bpcore.BatchNorm1d(3).backward(np.ones((4, 3))), RuntimeError,
         r"backward\(\) was called before forward\(\)"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_one_sample_is_fine_in_evaluation_mode():
    assert bpcore.BatchNorm1d(3).eval()(np.ones((1, 3))).shape == (1, 3)
