"""Tests of bpcore.snapshots: what a SnapshotRecorder records, and that recording changes nothing."""

import doctest

import numpy as np
import pytest

import bpcore
import bpcore.snapshots
from bpcore.gradcheck import STEP, TOLERANCE, numerical_gradient, relative_error

SAMPLES = [3, 40, 77]


def spiral_run(record, epochs=12, every=4, sizes=(2, 5, 4, 3)):
    """A small tanh network trained on the spiral with mini-batches, and its recorder."""
    X, y = bpcore.spiral(n_per_class=30, n_classes=3, seed=1)
    model = bpcore.MLP(list(sizes), activation="tanh", seed=2)
    loss = bpcore.CrossEntropyLoss()
    recorder = bpcore.SnapshotRecorder(model, loss, X, y, SAMPLES, every) if record else None
    history = bpcore.fit(model, loss, bpcore.optim.Adam(model.parameters(), lr=0.05), X, y,
                         epochs=epochs, batch_size=16, progress=recorder)
    return model, history, recorder, (X, y)


def test_the_docstring_example_runs():
    assert doctest.testmod(bpcore.snapshots).failed == 0


def test_snapshots_hold_every_layer_in_its_shape_at_the_recorded_epochs():
    model, _, recorder, (X, _) = spiral_run(record=True)
    assert [s.epoch for s in recorder.snapshots] == [0, 4, 8, 12]
    for snapshot in recorder.snapshots:
        assert [w.shape for w in snapshot.weights] == [(2, 5), (5, 4), (4, 3)]
        assert [a.shape for a in snapshot.activations] == [(3, 2), (3, 5), (3, 4), (3, 3)]
        assert [g.shape for g in snapshot.gradients] == [(3, 2, 5), (3, 5, 4), (3, 4, 3)]
        np.testing.assert_array_equal(snapshot.activations[0], X[SAMPLES])
        assert -1 <= snapshot.activations[1].min() and snapshot.activations[1].max() <= 1  # tanh
    last = recorder.snapshots[-1]
    for weight, layer in zip(last.weights, model[::2], strict=True):
        np.testing.assert_array_equal(weight, layer.W.data)


def test_recording_changes_neither_the_training_nor_the_gradients_it_left():
    plain, plain_history, _, _ = spiral_run(record=False)
    recorded, recorded_history, recorder, (X, y) = spiral_run(record=True)
    assert recorded_history.loss == plain_history.loss
    for a, b in zip(plain.parameters(), recorded.parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)
        np.testing.assert_array_equal(a.grad, b.grad)
    before = [p.grad.copy() for p in recorded.parameters()]
    recorder.take(99)
    for grad, parameter in zip(before, recorded.parameters(), strict=True):
        np.testing.assert_array_equal(parameter.grad, grad)


@pytest.mark.parametrize("epoch", [0, 4, 12])
def test_recorded_values_equal_a_fresh_pass_on_the_network_of_that_epoch(epoch):
    _, _, recorder, (X, y) = spiral_run(record=True)
    snapshot = next(s for s in recorder.snapshots if s.epoch == epoch)
    model = bpcore.MLP([2, 5, 4, 3], activation="tanh", seed=2)
    if epoch:  # the same run, stopped at that epoch
        model, _, _, _ = spiral_run(record=False, epochs=epoch)
    loss = bpcore.CrossEntropyLoss()
    assert snapshot.loss == loss(model(X), y)
    for k, s in enumerate(SAMPLES):
        model.zero_grad()
        out = model(X[s:s + 1])
        loss(out, y[s:s + 1])
        model.backward(loss.backward())
        # (the recorder runs the samples as one batch: the product may differ in the last bit)
        np.testing.assert_allclose(snapshot.activations[-1][k], out[0], rtol=1e-12)
        for grad, layer in zip(snapshot.gradients, model[::2], strict=True):
            np.testing.assert_array_equal(grad[k], layer.W.grad)


def test_recorded_gradients_are_the_outer_products_and_pass_the_gradient_check():
    """∂L_s/∂W = a_prevᵀ δ for each sample's own loss, checked against central differences."""
    _, _, recorder, (X, y) = spiral_run(record=True, epochs=4)
    snapshot = recorder.snapshots[-1]
    model, _, _, _ = spiral_run(record=False, epochs=4)
    loss = bpcore.CrossEntropyLoss()
    for k, s in enumerate(SAMPLES):
        one = slice(s, s + 1)
        for grad, layer in zip(snapshot.gradients, model[::2], strict=True):
            numeric = numerical_gradient(lambda one=one: loss(model(X[one]), y[one]),
                                         layer.W.data, STEP)
            assert relative_error(grad[k], numeric, 1.0) < TOLERANCE
        for a_prev, grad in zip(snapshot.activations, snapshot.gradients, strict=False):
            delta = np.linalg.lstsq(a_prev[k][:, None], grad[k], rcond=None)[0][0]
            np.testing.assert_allclose(grad[k], np.outer(a_prev[k], delta), atol=1e-14)


def test_a_single_linear_layer_can_be_recorded():
    X, y = bpcore.blobs(n_per_class=10, seed=0)
    layer = bpcore.Linear(2, 2, rng=0)
    recorder = bpcore.SnapshotRecorder(layer, bpcore.CrossEntropyLoss(), X, y, [0, -1])
    assert recorder.samples == [0, len(X) - 1]
    assert [g.shape for g in recorder.snapshots[0].gradients] == [(2, 2, 2)]


@pytest.mark.parametrize("samples, error, match", [
    ([], bpcore.ShapeError, "non-empty"),
    ([[0, 1]], bpcore.ShapeError, "non-empty list"),
    ([0.5], TypeError, "integer indices"),
    ([0, 40], ValueError, "index the 40 samples"),
    ([1, 1], ValueError, "twice"),
    ([1, -39], ValueError, "twice"),
])
def test_bad_samples_are_refused_with_what_is_wrong(samples, error, match):
    X, y = bpcore.blobs(n_per_class=20, seed=0)
    model = bpcore.MLP([2, 3, 2], seed=0)
    with pytest.raises(error, match=match):
        bpcore.SnapshotRecorder(model, bpcore.CrossEntropyLoss(), X, y, samples)


def test_models_it_cannot_draw_and_a_bad_every_are_refused():
    X, y = bpcore.blobs(n_per_class=20, seed=0)
    loss = bpcore.CrossEntropyLoss()
    block = bpcore.Sequential(bpcore.Linear(2, 2, rng=0), bpcore.Residual(bpcore.Linear(2, 2, rng=0)))
    with pytest.raises(TypeError, match="not Linear"):
        bpcore.SnapshotRecorder(block, loss, X, y, [0])
    with pytest.raises(TypeError, match="Sequential of Linear"):
        bpcore.SnapshotRecorder(bpcore.Residual(bpcore.Linear(2, 2, rng=0)), loss, X, y, [0])
    with pytest.raises(ValueError, match="no Linear layer"):
        bpcore.SnapshotRecorder(bpcore.Sequential(bpcore.ReLU()), loss, X, y, [0])
    with pytest.raises(ValueError, match="every must be a positive integer"):
        bpcore.SnapshotRecorder(bpcore.MLP([2, 2]), loss, X, y, [0], every=0)
    with pytest.raises(bpcore.ShapeError, match="X has 40 samples but y has 39"):
        bpcore.SnapshotRecorder(bpcore.MLP([2, 2]), loss, X, y[1:], [0])
