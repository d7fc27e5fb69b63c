"""Tests of bpcore.Dropout: the mask, its scaling and its reuse in backward, the modes, the
randomness it takes, and bad input."""

import numpy as np
import pytest

import bpcore
from bpcore.gradcheck import TOLERANCE, numerical_gradient, relative_error

X = np.random.default_rng(3).uniform(0.5, 2.0, (40, 25))


def test_kept_units_are_scaled_by_one_over_one_minus_p_and_the_rest_are_zero():
    y = bpcore.Dropout(0.3, rng=0)(X)
    kept = y != 0
    np.testing.assert_allclose(y[kept], X[kept] / 0.7, rtol=1e-15)
    assert 0.2 < 1 - kept.mean() < 0.4  # 1000 units, p = 0.3


def test_the_expected_output_is_the_input():
    """Averaged over many masks, inverted dropout leaves every unit as it was."""
    layer, x = bpcore.Dropout(0.5, rng=1), np.ones((2000, 5))
    mean = layer(x).mean(axis=0)
    # each mean is of 2000 values that are 0 or 2: standard deviation 1/√2000 ≈ 0.022
    np.testing.assert_allclose(mean, 1.0, atol=0.1)


def test_backward_reuses_the_forward_mask():
    layer = bpcore.Dropout(0.4, rng=2)
    y = layer(X)
    g = np.random.default_rng(4).normal(size=X.shape)
    np.testing.assert_array_equal(layer.backward(g), np.where(y != 0, g / 0.6, 0.0))


def test_the_training_gradient_passes_the_gradient_check_with_the_mask_held_fixed():
    """Rebuilt from the same seed, the layer draws the same mask: f is then differentiable."""
    x = X[:4, :5].copy()
    weights = np.random.default_rng(5).normal(size=x.shape)

    def objective():
        return float(np.sum(weights * bpcore.Dropout(0.5, rng=6)(x)))

    layer = bpcore.Dropout(0.5, rng=6)
    layer(x)
    analytic = layer.backward(weights)
    error = relative_error(analytic, numerical_gradient(objective, x), 1.0)
    assert error < TOLERANCE


def test_each_forward_pass_draws_a_new_mask_and_a_seed_repeats_them():
    first, second = bpcore.Dropout(0.5, rng=7), bpcore.Dropout(0.5, rng=7)
    masks = [first(X) != 0 for _ in range(2)]
    assert not np.array_equal(*masks)
    np.testing.assert_array_equal(second(X) != 0, masks[0])


def test_a_generator_is_used_as_given():
    generator = np.random.default_rng(8)
    layer = bpcore.Dropout(0.5, rng=generator)
    assert layer.rng is generator


def test_evaluation_mode_is_the_identity_forward_and_backward():
    layer = bpcore.Dropout(0.9, rng=0).eval()
    np.testing.assert_array_equal(layer(X), X)
    np.testing.assert_array_equal(layer.backward(X), X)


@pytest.mark.parametrize("p, kept", [(0.0, 1.0), (1.0, 0.0)])
def test_the_two_ends_keep_everything_or_nothing(p, kept):
    layer = bpcore.Dropout(p, rng=0)
    np.testing.assert_array_equal(layer(X), X * kept)
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), np.full_like(X, kept))


def test_float32_stays_float32():
    y = bpcore.Dropout(0.5, rng=0)(X.astype(np.float32))
    assert y.dtype == np.float32


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bpcore.Dropout(1.5), ValueError, r"p \(the drop probability\) must lie in \[0, 1\], got 1.5"),
        (lambda: bpcore.Dropout(-0.1), ValueError, r"must lie in \[0, 1\], got -0.1"),
        (lambda: bpcore.Dropout("0.5"), TypeError, "must be a real number, got str"),
        (lambda: bpcore.Dropout().backward(X), RuntimeError, r"backward\(\) was called before forward\(\)"),
    ],
)
def test_bad_settings_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_a_gradient_of_the_wrong_shape_is_refused():
    layer = bpcore.Dropout(rng=0)
    layer(X)
    with pytest.raises(bpcore.ShapeError, match=r"got a gradient of shape \(2, 2\), but its last forward output had shape \(40, 25\)"):
        layer.backward(np.ones((2, 2)))
