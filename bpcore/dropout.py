"""Inverted dropout: zero each unit with probability p, scale the rest.

In training mode ``y = x ⊙ m / (1 - p)``, where each entry of the mask m is
0 with probability p and 1 otherwise, drawn afresh at every forward pass.
Dividing by 1 - p keeps every unit's expected value, E[y] = x, so nothing
needs rescaling at test time: in evaluation mode dropout is the identity.
The mask is kept for the backward pass, ∂L/∂x = ∂L/∂y ⊙ m / (1 - p): a
dropped unit passes no gradient back, exactly as it passed no signal
forward.
"""

import numpy as np

from .checks import as_float_array, check_real
from .layers import Module


class Dropout(Module):
    """Inverted dropout with drop probability ``p``, as PyTorch's.

    ``rng`` (a seed or a NumPy Generator) draws the masks. ``p = 0`` keeps
    everything; ``p = 1`` drops everything (the output is zeros). The
    identity in evaluation mode (``eval()``).

    Taught in :doc:`/chapters/09_beyond_mlp`.
    """

    def __init__(self, p=0.5, *, rng=None):
        check_real(p, "p (the drop probability)")
        if not 0 <= p <= 1:
            raise ValueError(
                f"p (the drop probability) must lie in [0, 1], got {p!r}"
            )
        self.p = float(p)
        self.rng = np.random.default_rng(rng)
        self._scaled_mask = None

    def __repr__(self):
        return f"Dropout(p={self.p})"

    def forward(self, x):
        x = as_float_array(x, f"input to {self!r}")
        if not self.training or self.p == 0:
            self._scaled_mask = np.ones((), x.dtype)  # the identity
        else:
            keep = self.rng.random(x.shape) >= self.p
            scale = 0 if self.p == 1 else 1 / (1 - self.p)
            self._scaled_mask = keep * x.dtype.type(scale)
        self._output_shape = x.shape
        return x * self._scaled_mask

    def backward(self, grad_output, input_grad=True):
        mask = self._cached("_scaled_mask")
        grad_output = self._check_grad_shape(
            grad_output, self._output_shape
        )
        return grad_output * mask if input_grad else None
