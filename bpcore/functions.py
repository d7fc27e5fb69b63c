"""Stable elementwise functions used by layers, losses and worked examples.

Each takes arrays (or plain numbers) and never overflows, whatever the size
of ``z``.
"""

import numpy as np


def sigmoid(z):
    """σ(z) = 1 / (1 + e^{-z}), computed so that no exponent overflows.

    It is computed from ``e^{-|z|}``, which is at most 1.

    Defined in :doc:`/chapters/02_chain_rule`; the stable form in
    :doc:`/chapters/04_losses`.
    """
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def binary_cross_entropy_with_logits(z, y):
    """-y ln σ(z) - (1 - y) ln(1 - σ(z)), elementwise, in a stable form.

    It is computed as ``max(z, 0) - z·y + ln(1 + e^{-|z|})``.

    Derived in :doc:`/chapters/04_losses`.
    """
    return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
