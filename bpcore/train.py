"""The training loop: forward pass, loss, backward pass, update.

``train_step`` is one step on one batch; ``fit`` repeats it over shuffled
mini-batches and epochs and returns a ``History`` with the loss per epoch,
the training accuracy per epoch for classification losses, and the mean
gradient norm of every weight matrix per epoch. If the loss or the weights
become inf or NaN, or an epoch's mean loss climbs above ``RISE_LIMIT`` times
the first epoch's, training stops and says so, once, with a
TrainingDivergedWarning.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np

from . import clip as _clip
from . import optim as _optim
from .checks import (
    NonFiniteError,
    ShapeError,
    as_float_array,
    check_finite,
    check_not_empty,
    check_positive,
    check_positive_int,
)
from .losses import predict_classes

#: ``fit`` stops when an epoch's mean loss exceeds this many times the first
#: epoch's.
RISE_LIMIT = 10


class TrainingDivergedWarning(UserWarning):
    """Training stopped because it diverged.

    The loss or the weights became inf or NaN, or the loss shot up.

    Taught in :doc:`/chapters/05_backward_pass`.
    """


@dataclass
class History:
    """What happened during training, one entry per completed epoch.

    ``grad_norms[e][j]`` is the mean Frobenius norm of ∂L/∂W for the weight
    matrix named ``weight_names[j]`` during epoch ``e``. ``accuracy`` is
    empty for regression losses.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    weight_names: list
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    grad_norms: list = field(default_factory=list)
    diverged: bool = False
    message: str = ""

    @property
    def epochs(self):
        """Number of completed epochs."""
        return len(self.loss)


def accuracy(scores, target):
    """Fraction of correct predictions from scores (logits) and labels.

    Scores predict classes as :func:`bpcore.losses.predict_classes` says:
    argmax for shape (n, K) with K > 1, "score > 0" for one logit per
    sample. Targets are integer labels, one-hot rows, or 0/1 values.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    return _fraction_correct(predict_classes(scores), target)


def _fraction_correct(predicted, target):
    """Fraction of ``predicted`` labels equal to the target's.

    ``predicted`` holds class labels (n,), or yes/no answers of the target's
    shape. The target holds labels, one-hot (or probability) rows, or binary
    targets in [0, 1], which count as 1 above 1/2.
    """
    target = np.asarray(target)
    if predicted.ndim == 2:
        labels = (target > 0.5).astype(np.intp)
    elif target.ndim == 2 and target.shape[1] > 1:
        labels = target.argmax(axis=1)
    else:
        labels = target.reshape(-1)
        if (
            labels.dtype.kind == "f"
            and labels.size
            and 0 <= labels.min() <= labels.max() <= 1
        ):
            labels = (labels > 0.5).astype(np.intp)
    if predicted.shape != labels.shape:
        raise ShapeError(
            f"{len(predicted)} predictions do not match targets of shape "
            f"{target.shape}"
        )
    return float(np.mean(predicted == labels))


def train_step(model, loss, optimizer, X, y, *, before_update=None):
    """One step of gradient descent on the batch (X, y).

    Returns (loss value, scores).

    Clear the gradients, run the forward pass and the loss, run the backward
    pass (no gradient for the data X), then update. ``before_update()``, if
    given, runs between the backward pass and the update, where the
    gradients are complete: ``fit`` records their norms and clips them
    there.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    optimizer.zero_grad()
    scores = model.forward(X)
    value = loss(scores, y)
    model.backward(loss.backward(), input_grad=False)
    if before_update is not None:
        before_update()
    optimizer.step()
    return value, scores


def _batches(n, batch_size, rng):
    """Freshly shuffled index arrays over range(n), batch_size at a time."""
    order = rng.permutation(n)
    return [
        order[start : start + batch_size]
        for start in range(0, n, batch_size)
    ]


def _check_data(X, y):
    X = as_float_array(X, "X")
    y = np.asarray(y)
    if X.ndim != 2:
        raise ShapeError(
            f"X must have shape (n, features), got shape {X.shape}"
        )
    check_not_empty(X, "X")
    if y.ndim == 0:
        raise ShapeError(
            f"y must hold one target per sample, with shape ({len(X)},) or "
            f"({len(X)}, outputs); got the single number {y.item()!r}"
        )
    if len(y) != len(X):
        raise ShapeError(
            f"X has {len(X)} samples but y has {len(y)} (shapes {X.shape}, "
            f"{y.shape})"
        )
    check_finite(X, "X")
    if y.dtype.kind == "f":
        check_finite(y, "y")
    return X, y


def fit(
    model,
    loss,
    optimizer,
    X,
    y,
    *,
    epochs=100,
    batch_size=None,
    seed=0,
    progress=None,
    clip_grad_norm=None,
    scheduler=None,
):
    """Train ``model`` on (X, y) and return its History.

    The model is put in training mode (``model.train()``; call
    ``model.eval()`` before predicting with dropout or batch norm inside).
    Each epoch visits the samples in a seeded random order, ``batch_size``
    at a time (all at once if None), with one :func:`train_step` per batch;
    a learning-rate ``scheduler`` of the optimizer, if given, steps after
    every epoch.
    The History records the training accuracy when the loss predicts classes
    (its ``predict`` returns labels). ``progress(epoch, history)``, if
    given, is called after every epoch. ``clip_grad_norm``, if given, caps
    the global gradient norm at that value between the backward pass and the
    step (see :func:`bpcore.clip.clip_grad_norm`); the History still records
    the gradient norms the backward pass produced, before clipping. Training
    stops early, with ``history.diverged`` set, ``history.message`` saying
    why and one TrainingDivergedWarning, when the loss or the weights become
    inf or NaN (the failing epoch is not recorded) or when an epoch's mean
    loss exceeds ``RISE_LIMIT`` (10) times the first epoch's (that epoch is
    recorded, the last one in the History).

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    X, y = _check_data(X, y)
    check_positive_int(epochs, "epochs")
    batch_size = len(X) if batch_size is None else batch_size
    check_positive_int(batch_size, "batch_size")
    if clip_grad_norm is not None:
        check_positive(clip_grad_norm, "clip_grad_norm")
    if scheduler is not None and not isinstance(
        scheduler, _optim.LRScheduler
    ):
        raise TypeError(
            "scheduler must be a schedule of bpcore.optim (StepLR, ...), "
            f"got {type(scheduler).__name__}"
        )
    if scheduler is not None and scheduler.optimizer is not optimizer:
        raise ValueError(
            "the scheduler schedules another optimizer than the one fit "
            "was given"
        )
    model.train()
    rng = np.random.default_rng(seed)
    parameters = model.parameters()
    named_weights = model.named_weights()
    weights = [p for _, p in named_weights]
    history = History(weight_names=[name for name, _ in named_weights])
    norm_sums = np.zeros(len(weights))

    def record_and_clip():
        norm_sums[:] += [np.linalg.norm(p.grad) for p in weights]
        if clip_grad_norm is not None:
            _clip.clip_grad_norm(parameters, clip_grad_norm)

    for epoch in range(1, epochs + 1):
        total_loss, correct, steps = 0.0, 0, 0
        norm_sums[:] = 0
        for batch in _batches(len(X), batch_size, rng):
            where = f"epoch {epoch}, step {steps + 1}"
            with np.errstate(
                over="ignore", invalid="ignore", divide="ignore"
            ):
                try:
                    batch_loss, scores = train_step(
                        model,
                        loss,
                        optimizer,
                        X[batch],
                        y[batch],
                        before_update=record_and_clip,
                    )
                # X and the weights are finite: a layer's output overflowed
                except NonFiniteError as error:
                    what = f"a layer's output overflowed ({error})"
                    return _stop(history, where, what, optimizer)
            if not np.isfinite(batch_loss):
                return _stop(
                    history,
                    where,
                    f"the loss became {batch_loss}",
                    optimizer,
                )
            if not all(np.isfinite(p.data).all() for p in parameters):
                return _stop(
                    history,
                    where,
                    "the update made some weights inf or NaN",
                    optimizer,
                )
            total_loss += batch_loss * len(batch)
            predicted = loss.predict(scores)
            if predicted is not None:
                correct += _fraction_correct(predicted, y[batch]) * len(
                    batch
                )
            steps += 1
        history.loss.append(total_loss / len(X))
        if predicted is not None:
            history.accuracy.append(correct / len(X))
        history.grad_norms.append(norm_sums / steps)
        if scheduler is not None:
            scheduler.step()
        if progress is not None:
            progress(epoch, history)
        first, mean_loss = history.loss[0], history.loss[-1]
        if mean_loss > RISE_LIMIT * first:
            rise = (
                f"the mean loss rose from {first:.3g} in epoch 1 to "
                f"{mean_loss:.3g}, more than {RISE_LIMIT} times as high"
            )
            return _stop(history, f"epoch {epoch}", rise, optimizer)
    return history


def _stop(history, where, what, optimizer):
    """Record divergence in ``history``, warn once, and return it."""
    history.diverged = True
    history.message = (
        f"training diverged in {where}: {what}; the learning rate "
        f"{optimizer.lr} is probably too high, try a smaller one"
    )
    warnings.warn(history.message, TrainingDivergedWarning, stacklevel=3)
    return history
