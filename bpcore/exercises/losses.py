"""Checks for the exercises of :doc:`/chapters/04_losses`."""

import numpy as np

from ..losses import CrossEntropyLoss
from .feedback import (
    Wrong,
    call,
    exercise,
    expect_array,
    expect_number,
    number,
)


def _loss_and_gradient(name, answer):
    """``answer`` as the pair (loss, gradient), or Wrong saying why not."""
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(
            f"{name} should be a pair (loss, gradient); got "
            f"{type(answer).__name__}"
        )
    loss, gradient = answer
    if np.size(loss) > 1 and np.size(gradient) == 1:
        raise Wrong(f"{name} is (gradient, loss): put the loss first.")
    return loss, gradient


def _finite(name, value, hint):
    """Wrong with ``hint`` if ``value`` is a number but inf or NaN."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return  # expect_number says what it should be
    if not np.isfinite(value):
        raise Wrong(f"{name} is {value}: {hint}")


def _cross_entropy(logits, labels):
    """bpcore's mean cross-entropy of ``logits`` and its gradient."""
    criterion = CrossEntropyLoss()
    loss = criterion(np.asarray(logits, dtype=np.float64), labels)
    return loss, criterion.backward()


@exercise(
    "ch04-ex-shift",
    "Softmax ignores shifts",
    task="set shifted_loss_and_grad to the pair (loss, gradient) that "
    "bpcore.CrossEntropyLoss gives for the logits Z + 1000",
    passed="right: the same loss and gradient as for Z, up to rounding. "
    "Log-sum-exp subtracts the largest logit, so e^1000 is never formed.",
)
def shift(shifted_loss_and_grad, Z, labels):
    """softmax(z + c) = softmax(z), so the loss and (P - Y)/n stay put."""
    loss, gradient = _loss_and_gradient(
        "shifted_loss_and_grad", shifted_loss_and_grad
    )
    right_loss, right = _cross_entropy(Z, labels)
    n = len(right)
    _finite(
        "your loss",
        loss,
        "e^1000 overflows to infinity. Let bpcore.CrossEntropyLoss "
        "compute it: it subtracts the largest logit first.",
    )
    expect_number(
        "your loss",
        loss,
        right_loss,
        tolerance=1e-9,
        mistakes=[
            (
                right_loss + 1000,
                "that is the loss of Z plus 1000, but the loss does not "
                "move: ln Σ e^(z_j + c) = c + ln Σ e^(z_j), and the c "
                "cancels against z_label + c.",
            ),
            (
                n * right_loss,
                "that is the sum over the samples. CrossEntropyLoss "
                "takes their mean.",
            ),
        ],
    )
    probabilities = right + np.eye(right.shape[1])[labels] / n
    expect_array(
        "your gradient",
        gradient,
        right,
        tolerance=1e-9,
        mistakes=[
            (
                n * right,
                "that is P − Y. The loss is a mean over the batch, so "
                "its gradient is (P − Y)/n.",
            ),
            (-right, "its sign is wrong. The gradient is (P − Y)/n."),
            (
                probabilities,
                "that is P/n. Subtract the one-hot targets: (P − Y)/n.",
            ),
        ],
    )


# logits where the gradient is neither 0 nor ±1 come first, so that
# each wrong gradient shows up as what it is; 40 is where 1 − σ(z)
# rounds to 0
_TWO_CLASS_LOGITS = (0.5, -2.0, 7.0, -30.0, 40.0)


@exercise(
    "ch04-ex-two-classes",
    "Two classes",
    task="write two_class_via_bce(z, label)",
    passed="right, for z from −30 to 40 and both labels: class 0 is "
    "BCE's 'yes', and the two logits get opposite gradients.",
)
def two_classes(two_class_via_bce):
    """CE of (z, 0) is BCE(z, y = 1 - label); its gradient (g, -g)."""
    for z in _TWO_CLASS_LOGITS:
        for label in (0, 1):
            with np.errstate(all="ignore"):
                answer = call(two_class_via_bce, z, label)
            where = f"for z = {z:g}, label {label}"
            name = f"two_class_via_bce({z:g}, {label})"
            loss, gradient = _loss_and_gradient(name, answer)
            right_loss, right = _cross_entropy([[z, 0.0]], [label])
            swapped_loss, swapped = _cross_entropy([[z, 0.0]], [1 - label])
            _finite(
                f"your loss {where}",
                loss,
                f"1 − σ({z:g}) rounds to 0, so ln(1 − σ(z)) is −∞ (and "
                "0 · −∞ is NaN). Compute the loss from the logit, with "
                "bpcore.BCEWithLogitsLoss.",
            )
            expect_number(
                f"your loss {where}",
                loss,
                right_loss,
                tolerance=1e-9 * max(1.0, right_loss),
                mistakes=[
                    (
                        swapped_loss,
                        "that is the loss of the other label. Class 0 "
                        "gets σ(z), so class 0 is BCE's 'yes': the "
                        "binary target is y = 1 − label.",
                    )
                ],
            )
            if np.size(gradient) == 2:
                gradient = np.reshape(gradient, 2)
            g = right[0, 0]
            expect_array(
                f"your gradient {where}",
                gradient,
                right[0],
                tolerance=1e-9,
                mistakes=[
                    (
                        [g, 0.0],
                        "the second logit is held at 0, but the loss "
                        "still depends on it: its gradient is "
                        "p_1 − y_1 = −(σ(z) − y), not 0.",
                    ),
                    (
                        [g, g],
                        "the two entries of p − y add up to 0, so the "
                        "second logit gets −(σ(z) − y).",
                    ),
                    (
                        -right[0],
                        "its sign is wrong. The gradient is p − y, "
                        "σ(z) − y for the first logit.",
                    ),
                    (
                        swapped[0],
                        "that is the gradient for the other label. The "
                        "binary target is y = 1 − label.",
                    ),
                ],
            )


# the target of the exercise, a label smoothed over three classes
_SOFT = np.array([0.9, 0.05, 0.05])


@exercise(
    "ch04-ex-soft",
    "Soft targets",
    task="set smallest_soft_loss to the smallest value the cross-entropy "
    "can take for the target y = (0.9, 0.05, 0.05)",
    passed="right: the loss is smallest where p = y (logits ln y, or "
    "ln y plus any constant), and there it is the entropy of y, not 0.",
)
def soft(smallest_soft_loss):
    """-Σ y_k ln p_k is smallest at p = y: the entropy -Σ y_k ln y_k."""
    right, _ = _cross_entropy(np.log(_SOFT)[None], _SOFT[None])
    expect_number(
        "your smallest loss",
        smallest_soft_loss,
        right,
        tolerance=5e-4,
        mistakes=[
            (
                0.0,
                "the loss is 0 only when the target is one-hot and the "
                "model is certain. With a soft target the best the model "
                "can do is p = y, which still costs −Σ y_k ln y_k.",
            ),
            (
                -np.log(_SOFT[0]),
                "that is −ln 0.9, which counts only the first class. A "
                "soft target counts every class: −Σ y_k ln p_k.",
            ),
            (
                right / 3,
                "that is a mean over the three classes. The "
                "cross-entropy is their sum, −Σ y_k ln p_k.",
            ),
            (
                right / np.log(2),
                "that is in bits (log base 2). The book's logarithms "
                "are natural ones.",
            ),
            (
                _cross_entropy(_SOFT[None], _SOFT[None])[0],
                "that is the loss at the logits y. The softmax of y is "
                "not y: the logits ln y give p = y.",
            ),
        ],
        otherwise="The gradient p − y is zero where p = y: evaluate the "
        "loss there.",
    )


@exercise(
    "ch04-ex-peak",
    "Where the squared error pushes hardest",
    task="set squared_error_peak to the three numbers (p, z, largest "
    "size) of the peak of the squared-error gradient",
    passed="right: the push of the squared error is largest at p = 1/3, "
    "z = −ln 2, and only 8/27 there, while the cross-entropy's is 2/3 "
    "and keeps growing.",
)
def peak(squared_error_peak):
    """|2 (p - 1) p (1 - p)| = 2 p (1 - p)^2 peaks at p = 1/3: 8/27."""
    if (
        not isinstance(squared_error_peak, (tuple, list))
        or len(squared_error_peak) != 3
    ):
        got = (
            f"{len(squared_error_peak)} of them"
            if isinstance(squared_error_peak, (tuple, list))
            else type(squared_error_peak).__name__
        )
        raise Wrong(
            "squared_error_peak should be three numbers, (p, z, largest "
            f"size); got {got}"
        )
    p, z, size = squared_error_peak
    expect_number(
        "your p",
        p,
        1 / 3,
        tolerance=0.002,
        mistakes=[
            (
                1 / 2,
                "that is where the sigmoid's slope p (1 − p) peaks. The "
                "size 2 p (1 − p)² has one more factor 1 − p, which "
                "pulls the peak to a smaller p.",
            ),
            (
                2 / 3,
                "that is the peak for the target 0, 2 p² (1 − p). With "
                "the target 1 the size is 2 p (1 − p)².",
            ),
        ],
        otherwise="Set the derivative of 2 p (1 − p)² to zero.",
    )
    expect_number(
        "your z",
        z,
        -np.log(2),
        tolerance=0.002,
        mistakes=[
            (
                np.log(2),
                "its sign is wrong. z = ln(p / (1 − p)), negative for "
                "p < 1/2: the peak lies left of z = 0.",
            ),
            (
                np.log(1 / 3),
                "that is ln p. The logit is z = ln(p / (1 − p)), the "
                "inverse of the sigmoid.",
            ),
        ],
        otherwise="z is the logit of your p: z = ln(p / (1 − p)).",
    )
    expect_number(
        "your largest size",
        size,
        8 / 27,
        tolerance=5e-4,
        mistakes=[
            (
                4 / 27,
                "that is half of it. The derivative of (p − 1)² is "
                "2 (p − 1): keep the 2.",
            ),
            (
                2 / 3,
                "that is the size of the cross-entropy's gradient "
                "there, 1 − p. The question asks for the squared "
                "error's, 2 p (1 − p)².",
            ),
            (
                1 / 4,
                "that is the size at z = 0. The peak is left of it, "
                "and higher.",
            ),
        ],
        otherwise=lambda yours: (
            f"Evaluate 2 p (1 − p)² at your p, {number(p)}."
        ),
    )
