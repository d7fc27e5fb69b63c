"""Tests of bpcore.train: train_step, accuracy, and fit (History, clipping, divergence, input)."""

import re
import warnings

import numpy as np
import pytest

import bpcore
from bpcore.optim import SGD
from bpcore.train import train_step


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


def test_a_network_with_batch_norm_and_dropout_trains_and_predicts_in_evaluation_mode():
    X, y = bpcore.spiral(n_per_class=100, n_classes=3, seed=0)
    model = bpcore.Sequential(
        bpcore.Linear(2, 64, init="he_normal", rng=0), bpcore.BatchNorm1d(64), bpcore.ReLU(),
        bpcore.Dropout(0.1, rng=0), bpcore.Linear(64, 3, rng=1))
    model.eval()  # fit switches to training mode itself
    optimizer = bpcore.optim.AdamW(model.parameters(), lr=0.02)
    schedule = bpcore.optim.CosineAnnealingLR(optimizer, T_max=200)
    history = bpcore.fit(model, bpcore.CrossEntropyLoss(), optimizer, X, y, epochs=200,
                         batch_size=50, scheduler=schedule)
    assert model.training and not history.diverged
    assert optimizer.lr == pytest.approx(0.0, abs=1e-15)  # the cosine's end
    evaluated = model.eval()(X)
    np.testing.assert_array_equal(model(X), evaluated)  # no dropout, running statistics
    assert bpcore.accuracy(evaluated, y) >= 0.9


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
        (5, 0, r"epoch 1, step 6: a layer's output overflowed \(Linear\(8, 1\) turned a finite input into NaN or inf"),
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


def test_accuracy_takes_float_class_labels_for_several_outputs():
    scores = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0], [1.0, 0.5, 0.0]])  # predicts 0, 2, 0
    assert bpcore.accuracy(scores, np.array([0.0, 2.0, 1.0])) == pytest.approx(2 / 3)
    assert bpcore.accuracy(scores, np.array([0.0, 2.0, 0.0])) == 1.0


def test_accuracy_counts_soft_binary_targets_above_one_half_as_class_one():
    scores = np.array([[2.0], [-1.0], [0.5], [-3.0]])  # predicts 1, 0, 1, 0
    soft = np.array([[0.9], [0.2], [0.4], [0.1]])  # classes 1, 0, 0, 0
    assert bpcore.accuracy(scores, soft) == 0.75
    assert bpcore.accuracy(scores[:, 0], soft[:, 0]) == 0.75


def test_float32_end_to_end():
    X, y = bpcore.spiral(n_per_class=20, seed=0, dtype=np.float32)
    model = bpcore.MLP([2, 8, 3], activation="leaky_relu", seed=0, dtype=np.float32)
    loss = bpcore.CrossEntropyLoss()
    history = bpcore.fit(model, loss, bpcore.optim.Adam(model.parameters(), lr=0.01), X, y, epochs=3)
    assert np.isfinite(history.loss).all()
    assert model(X).dtype == np.float32
    assert loss.backward().dtype == np.float32
    assert all(p.data.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())
    model.forward(X)
    loss(model(X), y)
    assert model.backward(loss.backward(), input_grad=True).dtype == np.float32
    for activation in (bpcore.Sigmoid(), bpcore.Tanh(), bpcore.ReLU(), bpcore.Identity()):
        assert activation(X).dtype == np.float32
    for l32 in (bpcore.MSELoss(), bpcore.BCEWithLogitsLoss()):
        l32(X[:, :1], np.ones((len(X), 1)))
        assert l32.backward().dtype == np.float32


# --- train_step: one step of fit -----------------------------------------------------------


def step_problem():
    """Three blobs and a small tanh network: a batch, its labels, and a fresh model."""
    X, y = bpcore.blobs(n_per_class=10, centers=[(0, 0), (2, 2), (-2, 2)], seed=0)
    return X, y, bpcore.MLP([2, 5, 3], activation="tanh", seed=0)


def test_train_step_is_zero_grad_forward_loss_backward_and_step():
    X, y, model = step_problem()
    _, _, manual = step_problem()
    loss, manual_loss = bpcore.CrossEntropyLoss(), bpcore.CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    manual_optimizer = SGD(manual.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        value, scores = train_step(model, loss, optimizer, X, y)
        manual_optimizer.zero_grad()
        manual_scores = manual(X)
        manual_value = manual_loss(manual_scores, y)
        manual.backward(manual_loss.backward())
        manual_optimizer.step()
        assert type(value) is float and value == manual_value
        np.testing.assert_array_equal(scores, manual_scores)
        for p, q in zip(model.parameters(), manual.parameters(), strict=True):
            np.testing.assert_array_equal(p.grad, q.grad)
            np.testing.assert_array_equal(p.data, q.data)


def test_before_update_sees_complete_gradients_and_weights_not_yet_updated():
    X, y, model = step_problem()
    _, _, reference = step_problem()
    reference_loss = bpcore.CrossEntropyLoss()
    reference_loss(reference(X), y)
    reference.backward(reference_loss.backward())
    seen = []

    def before_update():
        seen.append([(p.data.copy(), p.grad.copy()) for p in model.parameters()])

    train_step(model, bpcore.CrossEntropyLoss(), SGD(model.parameters(), lr=0.5), X, y,
               before_update=before_update)
    assert len(seen) == 1
    for (data, grad), p in zip(seen[0], reference.parameters(), strict=True):
        np.testing.assert_array_equal(data, p.data)
        np.testing.assert_array_equal(grad, p.grad)
    assert not np.array_equal(model[0].W.data, reference[0].W.data)  # and then the update ran


def test_the_update_uses_the_gradients_as_before_update_leaves_them():
    """fit clips in before_update: what the hook does to the gradients is what the step sees."""
    X, y, model = step_problem()
    before = [p.data.copy() for p in model.parameters()]

    def drop_gradients():
        for p in model.parameters():
            p.grad[...] = 0

    train_step(model, bpcore.CrossEntropyLoss(), SGD(model.parameters(), lr=0.5), X, y,
               before_update=drop_gradients)
    for p, data in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, data)


def test_train_step_clears_gradients_left_by_an_earlier_backward_pass():
    X, y, model = step_problem()
    _, _, fresh = step_problem()
    stale = bpcore.MSELoss()
    stale(model(X), np.ones((len(X), 3)))
    model.backward(stale.backward())  # gradients of another loss, left in .grad
    assert all(p.grad.any() for p in model.parameters())
    train_step(model, bpcore.CrossEntropyLoss(), SGD(model.parameters(), lr=0.1), X, y)
    train_step(fresh, bpcore.CrossEntropyLoss(), SGD(fresh.parameters(), lr=0.1), X, y)
    for p, q in zip(model.parameters(), fresh.parameters(), strict=True):
        np.testing.assert_array_equal(p.grad, q.grad)
        np.testing.assert_array_equal(p.data, q.data)


# --- fit asks the loss how scores become predictions ----------------------------------------


class SquaredHingeLoss(bpcore.losses.ClassificationLoss):
    """A classification loss that train.py has never heard of: mean(max(0, 1 - s z)²), s = ±1."""

    def forward(self, prediction, target):
        z = self._prediction(prediction)
        sign = 2 * self._float_target(target, z) - 1
        margin = np.maximum(0, 1 - sign * z)
        self._gradient = -2 * sign * margin / z.size
        return float(np.mean(margin**2))


def test_fit_records_accuracy_for_any_classification_loss_and_none_for_regression():
    X, y = bpcore.blobs(n_per_class=20, seed=0)
    target = y.reshape(-1, 1).astype(float)

    def run(loss):
        model = bpcore.MLP([2, 4, 1], activation="tanh", seed=0)
        return bpcore.fit(model, loss, SGD(model.parameters(), lr=0.1), X, target, epochs=30)

    hinge = run(SquaredHingeLoss())
    assert len(hinge.accuracy) == hinge.epochs == 30
    untrained = bpcore.MLP([2, 4, 1], activation="tanh", seed=0)
    # one full batch per epoch: epoch 1's accuracy is that of the scores before the first step
    assert hinge.accuracy[0] == pytest.approx(bpcore.accuracy(untrained(X), y), abs=1e-12)
    assert hinge.accuracy[-1] > 0.9 and hinge.accuracy[-1] > hinge.accuracy[0]
    regression = run(bpcore.MSELoss())
    assert regression.epochs == 30 and regression.accuracy == []


# --- fit(..., clip_grad_norm=...) ------------------------------------------------------

def regression_problem():
    X = np.linspace(-3, 3, 200).reshape(-1, 1)
    return X, 3 * np.sin(2 * X) + X


def test_fit_with_a_loose_clip_is_plain_fit():
    X, y = regression_problem()

    def run(**clip):
        model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
        return bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=0.01),
                          X, y, epochs=20, batch_size=50, **clip)

    plain, loose = run(), run(clip_grad_norm=1e12)
    assert plain.loss == loose.loss
    np.testing.assert_array_equal(plain.grad_norms, loose.grad_norms)


def test_fit_clips_every_step_to_learning_rate_times_max_norm():
    X, y = regression_problem()
    lr, max_norm = 0.1, 0.5
    steps = {}
    for clip in (None, max_norm):
        model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
        before = np.concatenate([p.data.ravel() for p in model.parameters()])
        history = bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=lr),
                             X, y, epochs=1, clip_grad_norm=clip)
        after = np.concatenate([p.data.ravel() for p in model.parameters()])
        steps[clip] = np.linalg.norm(after - before)
        grad_norms = history.grad_norms[0]
    assert steps[None] > 10 * lr * max_norm  # the raw gradient is much larger than the limit
    assert steps[max_norm] == pytest.approx(lr * max_norm, rel=1e-5)
    # the history records the gradients before clipping
    model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
    plain = bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=lr),
                       X, y, epochs=1)
    np.testing.assert_array_equal(grad_norms, plain.grad_norms[0])


def test_fit_records_the_gradient_norms_before_clipping():
    """After clipping no weight's gradient could exceed max_norm; the History's norms do."""
    X, y = regression_problem()
    lr, max_norm, epochs = 0.01, 0.5, 5
    model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
    history = bpcore.fit(model, bpcore.MSELoss(), SGD(model.parameters(), lr=lr), X, y,
                         epochs=epochs, clip_grad_norm=max_norm)
    assert all(max(norms) > max_norm for norms in history.grad_norms)
    replay = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)  # the same steps, by hand
    optimizer, loss = SGD(replay.parameters(), lr=lr), bpcore.MSELoss()
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss(replay(X), y)
        replay.backward(loss.backward())
        norms = [np.linalg.norm(p.grad) for _, p in replay.named_weights()]
        np.testing.assert_allclose(history.grad_norms[epoch], norms, rtol=1e-9)
        assert bpcore.clip_grad_norm(replay.parameters(), max_norm) > max_norm  # clipping acts
        optimizer.step()
    for p, q in zip(model.parameters(), replay.parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-9, atol=1e-12)


def test_clipping_rescues_a_run_that_explodes_without_it():
    """Linear regression is an exact bowl, with curvature matrix (2/n) [X 1]^T [X 1]. Above
    eta = 2 / lambda (chapter 1) every step multiplies the error along the steepest direction
    by 1 - eta lambda = -2, whatever the rounding, until the loss overflows. Clipping caps each
    step at eta * c, so the clipped run settles near the bottom of the bowl instead."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2)) * [1.0, 3.0]
    y = X @ np.array([[2.0], [-1.0]]) + 0.5 + 0.1 * rng.normal(size=(64, 1))
    design = np.hstack([X, np.ones((len(X), 1))])
    steepest = np.linalg.eigvalsh(2 / len(X) * design.T @ design)[-1]
    lowest = np.mean((design @ np.linalg.lstsq(design, y, rcond=None)[0] - y) ** 2)

    def run(clip):
        model = bpcore.Linear(2, 1, rng=0)
        optimizer = bpcore.optim.SGD(model.parameters(), lr=3 / steepest)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", bpcore.TrainingDivergedWarning)
            return bpcore.fit(model, bpcore.MSELoss(), optimizer, X, y, epochs=1000,
                              clip_grad_norm=clip)

    exploding, clipped = run(None), run(0.1)
    assert exploding.diverged and exploding.epochs < 600  # the loss grows fourfold per step
    assert all(b > 3 * a for a, b in zip(exploding.loss[100:110], exploding.loss[101:111],
                                         strict=True))
    assert not clipped.diverged and clipped.epochs == 1000
    assert clipped.loss[-1] < 1.5 * lowest


@pytest.mark.parametrize("clip, error, message", [
    (0, ValueError, "clip_grad_norm must be a positive finite number"),
    (-1.0, ValueError, "clip_grad_norm must be a positive finite number"),
    (np.nan, ValueError, "clip_grad_norm must be a positive finite number"),
    ("2", TypeError, "clip_grad_norm must be a real number, got str '2'"),
])
def test_fit_rejects_bad_clip_values(clip, error, message):
    X, y = regression_problem()
    model = bpcore.MLP([1, 4, 1], seed=0)
    with pytest.raises(error, match=message):
        bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=0.1), X, y,
                   epochs=1, clip_grad_norm=clip)


# --- bad input gets an error that names what is wrong -------------------------------------


def test_fit_rejects_bad_data_and_settings():
    model = bpcore.MLP([2, 1])
    optimizer = SGD(model.parameters(), lr=0.1)
    loss = bpcore.MSELoss()
    with pytest.raises(bpcore.ShapeError, match=r"X has 3 samples but y has 2"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((2, 1)))
    with pytest.raises(bpcore.NonFiniteError, match="X contains NaN or inf"):
        bpcore.fit(model, loss, optimizer, np.full((3, 2), np.nan), np.ones((3, 1)))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((3, 1)), batch_size=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got -1"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((3, 1)), epochs=-1)


def test_fit_sizes_of_the_wrong_type():
    model = bpcore.MLP([2, 1])
    optimizer = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="epochs must be a positive integer, got float 2.5"):
        bpcore.fit(model, bpcore.MSELoss(), optimizer, np.ones((3, 2)), np.ones((3, 1)), epochs=2.5)
    with pytest.raises(TypeError, match="batch_size must be a positive integer, got str '8'"):
        bpcore.fit(model, bpcore.MSELoss(), optimizer, np.ones((3, 2)), np.ones((3, 1)), batch_size="8")


def test_fit_rejects_empty_data_naming_X():
    model = bpcore.MLP([2, 1])
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\); pass at least one sample"):
        bpcore.fit(model, bpcore.MSELoss(), SGD(model.parameters(), lr=0.1), np.zeros((0, 2)),
                   np.zeros((0, 1)))


def test_fit_rejects_a_scalar_target():
    model = bpcore.MLP([2, 1])
    with pytest.raises(bpcore.ShapeError, match=r"y must hold one target per sample, with shape \(3,\) or \(3, outputs\); got the single number 1.0"):
        bpcore.fit(model, bpcore.MSELoss(), SGD(model.parameters(), lr=0.1), np.ones((3, 2)), 1.0)


def test_fit_scores_a_multi_label_bce_run_entry_by_entry():
    # two independent yes/no targets: x1 > 0 and x2 > 0
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 2))
    y = (X > 0).astype(float)
    model = bpcore.Sequential(bpcore.Linear(2, 2, rng=0))
    history = bpcore.fit(model, bpcore.BCEWithLogitsLoss(),
                         bpcore.optim.SGD(model.parameters(), lr=1.0), X, y, epochs=50)
    predicted = (model(X) > 0).astype(int)
    assert history.accuracy[-1] == pytest.approx(np.mean(predicted == y), abs=0.05)
    assert history.accuracy[-1] > 0.95
