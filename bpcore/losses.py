"""Loss functions with mean reduction: ``forward(prediction, target) -> float``, ``backward()``.

``backward()`` returns ∂L/∂prediction for the last ``forward`` call. The classification
losses take logits and are computed in stable forms, so logits of ±1000 give finite
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


class Loss:
    """Base class: a callable ``loss(prediction, target)`` that remembers what backward needs."""

    _gradient = None

    def __call__(self, prediction, target):
        return self.forward(prediction, target)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def backward(self):
        """∂L/∂prediction for the last forward call, with the prediction's shape and dtype."""
        if self._gradient is None:
            raise RuntimeError(
                f"{self!r}.backward() was called before forward(): compute the loss first"
            )
        return self._gradient

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
    """L = mean((ŷ - y)²) over all entries; ∂L/∂ŷ = 2 (ŷ - y) / ŷ.size."""

    def forward(self, prediction, target):
        prediction = self._prediction(prediction)
        target = self._float_target(target, prediction)
        difference = prediction - target
        self._gradient = difference * (2 / difference.size)
        return float(np.mean(difference**2))


class BCEWithLogitsLoss(Loss):
    """Binary cross-entropy on logits z: L = mean(-y log σ(z) - (1 - y) log(1 - σ(z))).

    Stable form: ``max(z, 0) - z·y + log(1 + exp(-|z|))``. Gradient: (σ(z) - y) / z.size.
    """

    def forward(self, prediction, target):
        logits = self._prediction(prediction)
        target = self._float_target(target, logits)
        if target.min() < 0 or target.max() > 1:
            raise ValueError(
                f"{self!r} targets must lie in [0, 1], got values from {target.min()} "
                f"to {target.max()}"
            )
        e = np.exp(-np.abs(logits))  # in (0, 1]: no overflow
        losses = np.maximum(logits, 0) - logits * target + np.log1p(e)
        sigmoid = np.where(logits >= 0, 1 / (1 + e), e / (1 + e))
        self._gradient = (sigmoid - target) / logits.dtype.type(logits.size)
        return float(np.mean(losses))


class CrossEntropyLoss(Loss):
    """Softmax cross-entropy on logits Z (n, K) and integer labels y (n,) or one-hot (n, K).

    L = mean_i(log Σ_k e^{Z_ik} - Z_{i,y_i}), via log-sum-exp with the row maximum subtracted.
    Gradient: (softmax(Z) - Y) / n, where Y is the one-hot (or probability) target.
    """

    def forward(self, prediction, target):
        logits = self._prediction(prediction)
        if logits.ndim != 2:
            raise ShapeError(
                f"{self!r} expects logits of shape (n, classes), got shape {logits.shape}"
            )
        target = self._check_target(target, logits)
        with np.errstate(over="ignore"):  # a logit far below its row's maximum: -inf, e^-inf = 0
            shifted = logits - logits.max(axis=1, keepdims=True)
        log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n = logits.dtype.type(logits.shape[0])
        gradient = np.exp(log_probabilities)
        if target.ndim == 1:
            # the label's log-probability, picked out: no one-hot matrix, and no 0 · (-inf)
            picked = np.take_along_axis(log_probabilities, target[:, None], axis=1)
            gradient[np.arange(len(target)), target] -= 1
            total = -np.sum(picked)
        else:
            # 0 · log p counts as 0 even where p underflowed to 0 (log p = -inf)
            total = -np.sum(target * np.where(target > 0, log_probabilities, 0))
            gradient -= target
        self._gradient = gradient / n
        return float(total / n)

    def _check_target(self, target, logits):
        """Check integer labels (n,) or one-hot/probability rows (n, K); return them."""
        n, classes = logits.shape
        target = np.asarray(target)
        if target.ndim == 2:
            target = self._float_target(target, logits)
            if not np.allclose(target.sum(axis=1), 1) or target.min() < 0:
                raise ValueError(
                    f"{self!r} with a 2-D target expects one-hot or probability rows "
                    "(non-negative, each summing to 1)"
                )
            return target
        if target.shape != (n,):
            raise ShapeError(
                f"{self!r} expects integer labels of shape ({n},) for logits of shape "
                f"{logits.shape}, got target of shape {target.shape}"
            )
        if target.dtype.kind not in "iu":
            raise TypeError(
                f"{self!r} expects integer class labels, got dtype {target.dtype}; "
                "convert with y.astype(int)"
            )
        if target.min() < 0 or target.max() >= classes:
            raise ValueError(
                f"{self!r} labels must lie in [0, {classes}) for {classes} classes, got "
                f"values from {target.min()} to {target.max()}"
            )
        return target
