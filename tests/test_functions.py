"""Tests of bpcore.functions: the stable sigmoid and binary cross-entropy on logits."""

import warnings

import numpy as np
import pytest

from bpcore.functions import binary_cross_entropy_with_logits, sigmoid

MODERATE = np.linspace(-30.0, 30.0, 121)


def naive_sigmoid(z):
    return 1 / (1 + np.exp(-z))


def naive_bce(z, y):
    s = naive_sigmoid(z)
    return -y * np.log(s) - (1 - y) * np.log(1 - s)


def without_warnings(f, *args):
    """f(*args), failing on any warning (overflow, divide by zero), whatever pytest's filters."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return f(*args)


def test_sigmoid_matches_its_definition_at_moderate_z():
    np.testing.assert_allclose(sigmoid(MODERATE), naive_sigmoid(MODERATE), rtol=1e-14, atol=0)
    assert sigmoid(0.0) == 0.5
    assert sigmoid(-30.0) > 0  # e^-30 / (1 + e^-30), not 1 - (something that rounds to 1)


def test_sigmoid_is_finite_and_silent_at_huge_logits():
    """The naive 1 / (1 + e^{-z}) overflows at z = -1000 (e^1000) and warns."""
    with pytest.raises(RuntimeWarning):
        without_warnings(naive_sigmoid, np.array([-1000.0]))
    value = without_warnings(sigmoid, np.array([-1000.0, 0.0, 1000.0]))
    np.testing.assert_array_equal(value, [0.0, 0.5, 1.0])
    assert without_warnings(sigmoid, 1000.0) == 1.0 and without_warnings(sigmoid, -1000.0) == 0.0


@pytest.mark.parametrize("y", [0.0, 0.25, 1.0])
def test_bce_matches_its_definition_at_moderate_z(y):
    z = np.linspace(-8.0, 8.0, 33)
    np.testing.assert_allclose(binary_cross_entropy_with_logits(z, y), naive_bce(z, y), rtol=1e-9)


def test_bce_is_finite_and_silent_at_huge_logits():
    """max(z, 0) - z·y + ln(1 + e^{-|z|}): a confident wrong logit costs |z|, a right one 0."""
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0, 1000.0])
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.25])
    with pytest.raises(RuntimeWarning):
        without_warnings(naive_bce, z, y)
    value = without_warnings(binary_cross_entropy_with_logits, z, y)
    np.testing.assert_array_equal(value, [1000.0, 0.0, 0.0, 1000.0, 750.0])


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_bce_derivative_in_the_logit_is_sigmoid_minus_target(y, assert_matches_central_differences):
    """The clean gradient BCEWithLogitsLoss uses, σ(z) - y, including at the kink of max(z, 0)."""
    z = np.linspace(-6.0, 6.0, 13)
    assert_matches_central_differences(lambda t: binary_cross_entropy_with_logits(t, y), z,
                                       sigmoid(z) - y)


def test_float32_stays_float32():
    z = np.array([-1000.0, -3.0, 0.0, 2.0, 1000.0], dtype=np.float32)
    y = np.array([0.0, 1.0, 0.5, 0.0, 1.0], dtype=np.float32)
    s = without_warnings(sigmoid, z)
    losses = without_warnings(binary_cross_entropy_with_logits, z, y)
    assert s.dtype == np.float32 and losses.dtype == np.float32
    np.testing.assert_array_equal(s[[0, 4]], [0.0, 1.0])
    np.testing.assert_allclose(s[1:4], naive_sigmoid(z[1:4].astype(np.float64)), rtol=1e-6)
    np.testing.assert_allclose(losses, [0.0, 3.0485873, 0.6931472, 2.126928, 0.0], rtol=1e-6)
    assert sigmoid(np.float32(2.0)).dtype == np.float32
