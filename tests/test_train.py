"""The training loop: it learns XOR and the spiral, and reports divergence once and clearly."""

import re
import warnings

import numpy as np
import pytest

import bpcore


def test_xor_reaches_full_accuracy():
    X, y = bpcore.xor()
    model = bpcore.MLP([2, 4, 1], activation="sigmoid", seed=0)
    optimizer = bpcore.optim.SGD(model.parameters(), lr=2.0, momentum=0.9)
    history = bpcore.fit(model, bpcore.BCEWithLogitsLoss(), optimizer, X,
                         y.reshape(-1, 1).astype(float), epochs=500)
    assert not history.diverged
    assert history.accuracy[-1] == 1.0
    assert bpcore.accuracy(model(X), y) == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_spiral_reaches_ninety_percent_with_a_small_relu_network():
    X, y = bpcore.spiral(n_per_class=100, n_classes=3, seed=0)
    model = bpcore.MLP([2, 32, 3], activation="relu", seed=0)
    optimizer = bpcore.optim.Adam(model.parameters(), lr=0.02)
    history = bpcore.fit(model, bpcore.CrossEntropyLoss(), optimizer, X, y, epochs=300)
    assert history.accuracy[-1] >= 0.9
    assert bpcore.accuracy(model(X), y) >= 0.9


def test_history_records_each_epoch():
    X, y = bpcore.blobs(n_per_class=20, seed=1)
    model = bpcore.MLP([2, 5, 5, 2], activation="tanh", seed=0)
    seen = []
    history = bpcore.fit(model, bpcore.CrossEntropyLoss(), bpcore.optim.SGD(model.parameters(), lr=0.1),
                         X, y, epochs=7, batch_size=8, progress=lambda epoch, h: seen.append(epoch))
    assert seen == list(range(1, 8))
    assert history.epochs == 7 and len(history.accuracy) == 7 and len(history.grad_norms) == 7
    assert history.weight_names == ["0.W", "2.W", "4.W"]
    assert np.all(np.array(history.grad_norms) > 0)


def test_regression_history_has_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((30, 2))
    model = bpcore.MLP([2, 1], seed=0)
    history = bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=0.1),
                         X, X[:, :1] - X[:, 1:], epochs=200)
    assert history.accuracy == []
    assert history.loss[-1] < 1e-6


def test_same_seed_same_history():
    def run():
        X, y = bpcore.moons(n=60, seed=2)
        model = bpcore.MLP([2, 8, 2], seed=1)
        return bpcore.fit(model, bpcore.CrossEntropyLoss(), bpcore.optim.Adam(model.parameters(), lr=0.01),
                          X, y, epochs=5, batch_size=16, seed=3).loss

    assert run() == run()


def fit_recording_warnings(*args, **kwargs):
    """fit, returning its History and the list of warnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = bpcore.fit(*args, **kwargs)
    return history, caught


@pytest.mark.parametrize(
    "batch_size, epochs_recorded, reason",
    [
        (None, 2, r"epoch 2: the mean loss rose from 14.7 in epoch 1 to 3.79e\+05, more than 10 times as high"),
        (10, 1, r"epoch 2, step 1: the loss became inf"),
        (5, 0, r"epoch 1, step 6: the activations overflowed \(MSELoss\(\) prediction contains NaN or inf"),
        (1, 0, r"epoch 1, step 9: the update made some weights inf or NaN"),
    ],
    ids=["loss-rose", "loss-inf", "activations-overflowed", "weights-inf"],
)
def test_huge_learning_rate_is_reported_as_diverged_with_one_warning(batch_size, epochs_recorded,
                                                                     reason):
    """lr = 10 on a linear target: every way of blowing up is caught where it happens."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    y = X @ np.array([[1.0], [2.0], [3.0]])
    model = bpcore.MLP([3, 8, 1], activation="relu", seed=0)
    optimizer = bpcore.optim.SGD(model.parameters(), lr=10.0)
    history, caught = fit_recording_warnings(model, bpcore.MSELoss(), optimizer, X, y, epochs=300,
                                             batch_size=batch_size)
    assert history.diverged
    assert history.epochs == len(history.grad_norms) == epochs_recorded
    assert re.fullmatch(f"training diverged in {reason}.*; the learning rate 10.0 is probably too "
                        "high, try a smaller one", history.message)
    assert [type(w.message) for w in caught] == [bpcore.TrainingDivergedWarning]
    assert str(caught[0].message) == history.message


def test_a_loss_that_shoots_up_without_overflowing_stops_the_run():
    """Cross-entropy on the ReLU spiral at lr = 100: no inf or NaN ever appears, but the loss
    jumps from 1.18 to 86 in one step, and without the rule the run would wander at chance."""
    X, y = bpcore.spiral(seed=0)
    model = bpcore.MLP([2, 50, 3], seed=0)
    seen = []
    history, caught = fit_recording_warnings(
        model, bpcore.CrossEntropyLoss(), bpcore.optim.SGD(model.parameters(), lr=100.0), X, y,
        epochs=300, progress=lambda epoch, h: seen.append(epoch))
    assert history.diverged and history.epochs == 2 and seen == [1, 2]
    assert len(history.accuracy) == len(history.grad_norms) == 2
    assert history.loss[1] > bpcore.train.RISE_LIMIT * history.loss[0]
    assert np.all(np.isfinite(history.loss))
    assert history.message == (
        "training diverged in epoch 2: the mean loss rose from 1.18 in epoch 1 to 86.2, more than "
        "10 times as high; the learning rate 100.0 is probably too high, try a smaller one")
    assert [str(w.message) for w in caught] == [history.message]
    assert [w.category for w in caught] == [bpcore.TrainingDivergedWarning]


def test_a_loss_below_ten_times_the_start_does_not_stop_the_run():
    """lr = 10 on the same spiral: the loss peaks near 9.5 times the start, so the run goes on."""
    X, y = bpcore.spiral(seed=0)
    model = bpcore.MLP([2, 50, 3], seed=0)
    history, caught = fit_recording_warnings(
        model, bpcore.CrossEntropyLoss(), bpcore.optim.SGD(model.parameters(), lr=10.0), X, y,
        epochs=300)
    assert not history.diverged and history.message == "" and caught == []
    assert history.epochs == 300 and 5 * history.loss[0] < max(history.loss)


def test_accuracy_handles_logit_columns_and_one_hot_targets():
    assert bpcore.accuracy(np.array([[2.0], [-1.0]]), np.array([1, 1])) == 0.5
    assert bpcore.accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.eye(2)[[1, 0]]) == 1.0
    with pytest.raises(bpcore.ShapeError, match="do not match targets"):
        bpcore.accuracy(np.zeros((3, 2)), np.zeros(4, dtype=int))
