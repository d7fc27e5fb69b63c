"""Tests of bpcore.examples.gradient_flow: chapter 6's experiment."""

import numpy as np
import pytest

import bpcore
from bpcore import examples


def test_layer_statistics_measures_every_activation_and_weight_matrix():
    model = bpcore.MLP([2, 8, 8, 3], activation="tanh", seed=0)
    X, y = bpcore.spiral(n_per_class=10, seed=0)
    stds, norms = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())
    hidden = np.tanh(X @ model[0].W.data + model[0].b.data)
    assert stds.shape == (2,) and norms.shape == (3,)
    assert stds[0] == pytest.approx(hidden.std(), rel=1e-12)
    assert norms[-1] == pytest.approx(np.linalg.norm(model[4].W.grad), rel=1e-12)
    again = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())[1]
    np.testing.assert_array_equal(norms, again)  # gradients are zeroed, not accumulated


def test_layer_statistics_of_an_all_zero_relu_network_are_zero():
    model = bpcore.MLP([2, 8, 8, 3], activation="relu", init="zeros", seed=0)
    X, y = bpcore.spiral(n_per_class=10, seed=0)
    stds, norms = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())
    assert np.all(stds == 0) and np.all(norms == 0)


@pytest.mark.parametrize("setup", list(examples.GRADIENT_FLOW_SETUPS))
def test_gradient_flow_returns_one_value_per_layer(setup):
    stds, norms = examples.gradient_flow(4, setup)
    assert stds.shape == (4,) and norms.shape == (5,)
    assert np.all(np.isfinite(stds)) and np.all(norms > 0)


def test_gradient_flow_shows_the_chapter_effects():
    sigmoid = examples.gradient_flow(15, "sigmoid / Xavier")[1]
    assert sigmoid[0] < 1e-6 * sigmoid[-1]  # vanishing toward the input
    he_stds = examples.gradient_flow(15, "ReLU / He")[0]
    assert he_stds.max() / he_stds.min() < 4
    small_stds = examples.gradient_flow(15, "ReLU / too small")[0]
    large_stds = examples.gradient_flow(15, "ReLU / too large")[0]
    assert small_stds[-1] < 1e-15 * small_stds[0]
    assert large_stds[-1] > 1e6 * large_stds[0]


def test_gradient_flow_rejects_unknown_setups():
    with pytest.raises(ValueError, match=r"unknown setup 'relu'; valid setups are 'sigmoid / Xavier'"):
        examples.gradient_flow(3, "relu")
