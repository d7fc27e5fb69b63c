"""Chapter 6's experiment: a fresh deep network's activations and gradients.

Both are measured layer by layer.
"""

import numpy as np

from ..data import spiral
from ..init import normal
from ..layers import Activation
from ..losses import CrossEntropyLoss
from ..mlp import MLP

#: "Too small" and "too large" fixed-std initialisations of chapter 6 (He
#: for width 32 would be std 0.25).
TOO_SMALL_STD, TOO_LARGE_STD = 0.01, 1.0

#: The explorer's "activation / initialisation" choices: label ->
#: (activation, init), where init is a scheme name of bpcore.init or a
#: number, the std of a fixed-std normal.
GRADIENT_FLOW_SETUPS = {
    "sigmoid / Xavier": ("sigmoid", "xavier_normal"),
    "tanh / Xavier": ("tanh", "xavier_normal"),
    "ReLU / He": ("relu", "he_normal"),
    "ReLU / too small": ("relu", TOO_SMALL_STD),
    "ReLU / too large": ("relu", TOO_LARGE_STD),
}


def layer_statistics(model, X, y, loss):
    """One forward and backward pass of ``model`` on (X, y), layer by layer.

    Returns ``(activation_std, grad_norms)``: the standard deviation of the
    output of every activation module, in forward order, and the Frobenius
    norm of ∂L/∂W for every weight matrix (``model.named_weights()``), in
    forward order. Gradients are zeroed first, so ``grad_norms`` are those
    of this one batch.

    Worked in :doc:`/chapters/06_vanishing_exploding`.
    """
    model.zero_grad()
    a, activation_std = X, []
    for layer in model:
        a = layer(a)
        if isinstance(layer, Activation):
            activation_std.append(float(np.std(a)))
    loss(a, y)
    model.backward(loss.backward())
    weights = [W for _, W in model.named_weights()]
    grad_norms = [float(np.linalg.norm(W.grad)) for W in weights]
    return np.array(activation_std), np.array(grad_norms)


def _init_scheme(init):
    """A bpcore.init scheme name as is, or a number std as normal(std)."""
    return init if isinstance(init, str) else normal(init)


def gradient_flow(depth, setup, *, width=32, seed=0):
    """Activation stds and weight-gradient norms of a fresh deep network.

    The network is ``MLP([2] + [width] * depth + [3])`` with the activation
    and initialisation of ``GRADIENT_FLOW_SETUPS[setup]``, weights seeded by
    ``seed``; the batch is ``bpcore.spiral(n_per_class=100, seed=0)`` under
    cross-entropy. Returns what :func:`layer_statistics` returns: ``depth``
    activation stds and ``depth + 1`` norms.

    Worked in :doc:`/chapters/06_vanishing_exploding`.
    """
    if setup not in GRADIENT_FLOW_SETUPS:
        raise ValueError(
            f"unknown setup {setup!r}; valid setups are "
            f"{', '.join(map(repr, GRADIENT_FLOW_SETUPS))}"
        )
    activation, init = GRADIENT_FLOW_SETUPS[setup]
    model = MLP(
        [2] + [width] * depth + [3],
        activation=activation,
        init=_init_scheme(init),
        seed=seed,
    )
    X, y = spiral(n_per_class=100, n_classes=3, seed=0)
    return layer_statistics(model, X, y, CrossEntropyLoss())
