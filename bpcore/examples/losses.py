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
