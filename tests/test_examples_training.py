"""Tests of bpcore.examples.training: chapter 5's experiments."""

import numpy as np
import pytest

import bpcore
from bpcore import examples


@pytest.mark.parametrize("run, regime", [  # (loss, accuracy, diverged)
    (([1.1, 0.9, 0.5], [0.4, 0.6, 0.95], False), "good"),
    (([1.1, 1.0, 0.9], [0.3, 0.4, 0.5], False), "too low"),
    (([1.1, 5.0, 1.2], [0.3, 0.3, 0.33], False), "too high"),
    (([1.1, 2.0, 0.1], [0.3, 0.3, 0.97], False), "good"),  # a spike it recovered from
    (([1.1, 2.3, 0.1], [0.3, 0.3, 0.97], False), "too high"),  # above twice the start
    (([1.1, 2.0, 0.9], [0.3, 0.3, 0.5], False), "too high"),  # rose, and ended poor
    (([1.1, 50.0], [0.3, 0.3], True), "too high"),
    (([], [], True), "too high"),
])
def test_training_regime_names_what_the_learning_rate_did(run, regime, make_history):
    loss, accuracy, diverged = run
    assert examples.training_regime(make_history(loss, accuracy, diverged)) == regime


def test_training_regime_needs_a_classification_history(make_history):
    with pytest.raises(ValueError, match="accuracy"):
        examples.training_regime(make_history([1.0, 0.5]))


def test_train_spiral_trains_the_chapters_network_reproducibly():
    model, run, X, y = examples.train_spiral(1.0, hidden=8, epochs=5)
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear"]
    assert model[0].W.data.shape == (2, 8) and model[2].W.data.shape == (8, 3)
    assert run.epochs == 5 and len(run.accuracy) == 5
    X0, y0 = bpcore.spiral(seed=0)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(y, y0)
    _, again, _, _ = examples.train_spiral(1.0, hidden=8, epochs=5)
    assert again.loss == run.loss
