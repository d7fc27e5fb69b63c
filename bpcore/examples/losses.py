"""Chapter 4's worked example: MSE and cross-entropy on a sigmoid output."""

import numpy as np

from ..functions import binary_cross_entropy_with_logits, sigmoid


def sigmoid_output_losses(z, y=1.0):
    """MSE and BCE of one sigmoid output p = σ(z), and their gradients.

    The target is ``y``.

    Works elementwise on an array of logits. Returns a dict with ``p``, the
    losses ``mse`` = (p - y)² and ``bce`` = -y log p - (1 - y) log(1 - p)
    (from the logit, stable for any z), and their derivatives with respect
    to the logit: ``mse_grad`` = 2(p - y) p(1 - p) and ``bce_grad`` = p - y.

    Worked in :doc:`/chapters/04_losses`.
    """
    z = np.asarray(z, dtype=np.float64)
    p = sigmoid(z)
    bce = binary_cross_entropy_with_logits(z, y)
    return {
        "p": p,
        "mse": (p - y) ** 2,
        "bce": bce,
        "mse_grad": 2 * (p - y) * p * (1 - p),
        "bce_grad": p - y,
    }


#: A common choice of ε for clipping probabilities before the log.
CLIP_EPS = 1e-7


def clipped_cross_entropy(z, y=1.0, eps=CLIP_EPS):
    """BCE of p = σ(z) clipped to [ε, 1 - ε] before the log, and from z.

    Works elementwise on an array of logits. With p̃ = clip(p, ε, 1 - ε)
    the clipped loss is -y ln p̃ - (1 - y) ln(1 - p̃), and its derivative
    with respect to the logit is (p̃ - y) / (p̃ (1 - p̃)) · ∂p̃/∂p · p(1 - p):
    p - y where ε ≤ p ≤ 1 - ε, and exactly 0 where the clip is active,
    whose derivative is 0 there (the convention of PyTorch's ``clamp``).
    Returns a dict with ``p``, ``clipped`` (a boolean array, true where
    the clip is active), the losses ``clipped_loss`` and ``bce`` (from the
    logit, stable) and their gradients ``clipped_grad`` and ``bce_grad`` =
    p - y.

    Worked in :doc:`/chapters/04_losses`.
    """
    z = np.asarray(z, dtype=np.float64)
    p = sigmoid(z)
    p_clipped = np.clip(p, eps, 1 - eps)
    clipped = (p < eps) | (p > 1 - eps)
    return {
        "p": p,
        "clipped": clipped,
        "clipped_loss": -(
            y * np.log(p_clipped) + (1 - y) * np.log(1 - p_clipped)
        ),
        "clipped_grad": np.where(clipped, 0.0, p - y),
        "bce": binary_cross_entropy_with_logits(z, y),
        "bce_grad": p - y,
    }
