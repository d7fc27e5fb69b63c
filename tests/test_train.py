"""The training loop: it learns XOR and the spiral, and reports divergence once and clearly."""

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


def test_huge_learning_rate_is_reported_as_diverged_with_one_warning():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 3))
    y = X @ np.array([[1.0], [2.0], [3.0]])
    model = bpcore.MLP([3, 8, 1], activation="relu", seed=0)
    optimizer = bpcore.optim.SGD(model.parameters(), lr=10.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = bpcore.fit(model, bpcore.MSELoss(), optimizer, X, y, epochs=300)
    assert history.diverged
    assert history.epochs < 300
    assert "training diverged in epoch" in history.message and "learning rate 10.0" in history.message
    assert [type(w.message) for w in caught] == [bpcore.TrainingDivergedWarning]
    assert str(caught[0].message) == history.message


def test_accuracy_handles_logit_columns_and_one_hot_targets():
    assert bpcore.accuracy(np.array([[2.0], [-1.0]]), np.array([1, 1])) == 0.5
    assert bpcore.accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.eye(2)[[1, 0]]) == 1.0
    with pytest.raises(bpcore.ShapeError, match="do not match targets"):
        bpcore.accuracy(np.zeros((3, 2)), np.zeros(4, dtype=int))
