"""Gradient clipping by global norm, like PyTorch's ``clip_grad_norm_``.

All gradients together form one long vector g with norm ‖g‖ = sqrt(Σ over
parameters of ‖grad‖²). When ‖g‖ exceeds ``max_norm``, every gradient is
multiplied by the same factor max_norm / (‖g‖ + 1e-6): the direction of the
step is kept, only its length is capped. PyTorch's function is
``torch.nn.utils.clip_grad_norm_``.
"""

import numpy as np

from .checks import check_positive
from .layers import Parameter, check_parameters

#: Added to the norm before dividing, as in PyTorch, so the factor never
#: divides by zero.
EPS = 1e-6


def clip_grad_norm(parameters, max_norm):
    """Rescale the gradients so their global norm is ≤ ``max_norm``.

    The gradients of ``parameters`` are scaled in place.

    Returns the global norm before clipping (a Python float). Gradients
    whose global norm is at most ``max_norm`` are left untouched; so are
    non-finite gradients (their NaN or infinite norm is returned for the
    caller to act on).

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    if isinstance(parameters, Parameter):
        parameters = [parameters]
    parameters = check_parameters(parameters, "clip_grad_norm")
    check_positive(max_norm, "max_norm")
    squares = [
        np.sum(np.square(p.grad, dtype=np.float64)) for p in parameters
    ]
    total_norm = float(np.sqrt(np.sum(squares))) if squares else 0.0
    if np.isfinite(total_norm) and total_norm > max_norm:
        factor = max_norm / (total_norm + EPS)
        for parameter in parameters:
            parameter.grad *= parameter.grad.dtype.type(factor)
    return total_norm
