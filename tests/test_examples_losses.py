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
