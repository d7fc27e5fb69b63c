"""Losses with mean reduction, each with ``forward`` and ``backward``.

``forward(prediction, target)`` returns a float, and ``backward()`` returns
∂L/∂prediction for the last ``forward`` call. The classification losses take
logits and are computed in stable forms, so logits of ±1000 give finite
losses and gradients without warnings.
"""

import numpy as np

from .checks import (
    ShapeError,
    as_float_array,
    check_finite,
    check_not_empty,
    check_same_shape,
)
from .functions import binary_cross_entropy_with_logits, sigmoid


def predict_classes(scores):
    """The class that each row of logits predicts.

    Scores of shape (n, K) with K > 1 predict the argmax of each row; a
    single logit per sample, shape (n, 1) or (n,), predicts 1 where it is
    positive (σ(z) > 1/2) and 0 elsewhere. Returns integer labels of shape
    (n,).

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    scores = np.asarray(scores)
    if scores.ndim == 2 and scores.shape[1] > 1:
        return scores.argmax(axis=1)
    return (scores.reshape(-1) > 0).astype(np.intp)


class Loss:
    """The interface every loss implements.

    - ``forward(prediction, target)`` returns the mean loss as a Python
      float and keeps its gradient; ``loss(prediction, target)`` is
      ``forward``.
    - ``backward()`` returns ∂L/∂prediction for the last forward call.
    - ``predict(scores)`` says how scores become predictions: class labels
      for a classification loss, None for a regression loss (the scores are
      the predictions).

    Taught in :doc:`/chapters/04_losses`.
    """

    _gradient = None

    def __call__(self, prediction, target):
        return self.forward(prediction, target)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def backward(self):
        """∂L/∂prediction for the last forward call.

        It has the prediction's shape and dtype.
        """
        if self._gradient is None:
            raise RuntimeError(
                f"{self!r}.backward() was called before forward(): compute "
                "the loss first"
            )
        return self._gradient

    def predict(self, scores):
        """None: a regression loss compares raw scores with the targets."""
        return None

    def _prediction(self, prediction):
        prediction = as_float_array(prediction, f"{self!r} prediction")
        check_not_empty(prediction, f"{self!r} prediction")
        check_finite(prediction, f"{self!r} prediction")
        return prediction

    def _float_target(self, target, prediction):
        target = as_float_array(target, f"{self!r} target")
        check_finite(target, f"{self!r} target")
        check_same_shape(prediction, target, repr(self))
        return target.astype(prediction.dtype, copy=False)


class MSELoss(Loss):
    """L = mean((ŷ - y)²) over all entries; ∂L/∂ŷ = 2 (ŷ - y) / ŷ.size.

    Taught in :doc:`/chapters/04_losses`.
    """

    def forward(self, prediction, target):
        prediction = self._prediction(prediction)
        target = self._float_target(target, prediction)
        difference = prediction - target
        self._gradient = difference * (2 / difference.size)
        return float(np.mean(difference**2))


class ClassificationLoss(Loss):
    """A loss on logits, whose ``predict`` turns scores into class labels.

    ``predict`` uses ``predict_classes``.

    Taught in :doc:`/chapters/04_losses`.
    """

    def predict(self, scores):
        return predict_classes(scores)


class BCEWithLogitsLoss(ClassificationLoss):
    """Binary cross-entropy on logits z.

    L = mean(-y log σ(z) - (1 - y) log(1 - σ(z))). Stable form:
    ``max(z, 0) - z·y + log(1 + exp(-|z|))``. Gradient: (σ(z) - y) / z.size.

    Taught in :doc:`/chapters/04_losses`.
    """

    def forward(self, prediction, target):
        logits = self._prediction(prediction)
        target = self._float_target(target, logits)
        if target.min() < 0 or target.max() > 1:
            raise ValueError(
                f"{self!r} targets must lie in [0, 1], got values from "
                f"{target.min()} to {target.max()}"
            )
        losses = binary_cross_entropy_with_logits(logits, target)
        n = logits.dtype.type(logits.size)
        self._gradient = (sigmoid(logits) - target) / n
        return float(np.mean(losses))

    def predict(self, scores):
        """1 where a logit is positive, else 0: each is its own yes/no."""
        return (np.asarray(scores) > 0).astype(np.intp)


class CrossEntropyLoss(ClassificationLoss):
    """Softmax cross-entropy of logits Z (n, K) against labels y.

    The labels are integers of shape (n,) or one-hot rows of shape (n, K).

    L = mean_i(log Σ_k e^{Z_ik} - Z_{i,y_i}), via log-sum-exp with the row
    maximum subtracted. Gradient: (softmax(Z) - Y) / n, where Y is the
    one-hot (or probability) target.

    Taught in :doc:`/chapters/04_losses`.
    """

    def forward(self, prediction, target):
        logits = self._prediction(prediction)
        if logits.ndim != 2:
            raise ShapeError(
                f"{self!r} expects logits of shape (n, classes), got shape "
                f"{logits.shape}"
            )
        target = self._check_target(target, logits)
        # a logit far below its row's maximum: -inf, e^-inf = 0
        with np.errstate(over="ignore"):
            shifted = logits - logits.max(axis=1, keepdims=True)
        log_sum = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        log_probabilities = shifted - log_sum
        n = logits.dtype.type(logits.shape[0])
        gradient = np.exp(log_probabilities)
        if target.ndim == 1:
            # each row's label picked out: no one-hot matrix, and no 0 ·
            # (-inf)
            labels = (np.arange(len(target)), target)
            total = -np.sum(log_probabilities[labels])
            gradient[labels] -= 1
        else:
            # 0 · log p counts as 0 even where p underflowed to 0 (log p =
            # -inf)
            total = -np.sum(
                target * np.where(target > 0, log_probabilities, 0)
            )
            gradient -= target
        self._gradient = gradient / n
        return float(total / n)

    def _check_target(self, target, logits):
        """Check integer labels (n,) or one-hot/probability rows (n, K).

        Returns the checked target.
        """
        n, classes = logits.shape
        target = np.asarray(target)
        if target.ndim == 2:
            target = self._float_target(target, logits)
            if not np.allclose(target.sum(axis=1), 1) or target.min() < 0:
                raise ValueError(
                    f"{self!r} with a 2-D target expects one-hot or "
                    "probability rows (non-negative, each summing to 1)"
                )
            return target
        if target.shape != (n,):
            raise ShapeError(
                f"{self!r} expects integer labels of shape ({n},) for "
                f"logits of shape {logits.shape}, got target of shape "
                f"{target.shape}"
            )
        if target.dtype.kind not in "iu":
            raise TypeError(
                f"{self!r} expects integer class labels, got dtype "
                f"{target.dtype}; convert with y.astype(int)"
            )
        if target.min() < 0 or target.max() >= classes:
            raise ValueError(
                f"{self!r} labels must lie in [0, {classes}) for {classes} "
                f"classes, got values from {target.min()} to {target.max()}"
            )
        return target
