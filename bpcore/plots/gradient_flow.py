"""Chapter 6: gradient flow."""

import numpy as np

from .style import GRADIENT_COLOR, VALUE_COLOR

#: "Too small" and "too large" fixed-std initialisations of chapter 6 (He for width 32
#: would be std 0.25).
TOO_SMALL_STD, TOO_LARGE_STD = 0.01, 1.0

#: The explorer's "activation / initialisation" choices: label -> (activation, init), where
#: init is a scheme name of bpcore.init or a number, the std of a fixed-std normal.
GRADIENT_FLOW_SETUPS = {
    "sigmoid / Xavier": ("sigmoid", "xavier_normal"),
    "tanh / Xavier": ("tanh", "xavier_normal"),
    "ReLU / He": ("relu", "he_normal"),
    "ReLU / too small": ("relu", TOO_SMALL_STD),
    "ReLU / too large": ("relu", TOO_LARGE_STD),
}

#: Fixed log-scale limits of the gradient-flow figure, so that its frames compare.
GRADIENT_FLOW_YLIM = (1e-32, 1e14)



def layer_statistics(model, X, y, loss):
    """One forward and one backward pass of ``model`` on (X, y), layer by layer.

    Returns ``(activation_std, grad_norms)``: the standard deviation of the output of every
    activation module, in forward order, and the Frobenius norm of ∂L/∂W for every 2-D
    parameter (the weight matrices), in forward order. Gradients are zeroed first, so
    ``grad_norms`` are those of this one batch.
    """
    from ..layers import Activation

    model.zero_grad()
    a, activation_std = X, []
    for layer in model:
        a = layer(a)
        if isinstance(layer, Activation):
            activation_std.append(float(np.std(a)))
    loss(a, y)
    model.backward(loss.backward())
    grad_norms = [float(np.linalg.norm(p.grad)) for p in model.parameters() if p.data.ndim == 2]
    return np.array(activation_std), np.array(grad_norms)


def _init_scheme(init):
    """A scheme name of bpcore.init as is, or a number std as the scheme normal(std)."""
    from .. import init as schemes

    return init if isinstance(init, str) else schemes.normal(init)


def gradient_flow(depth, setup, *, width=32, seed=0):
    """Activation stds and weight-gradient norms of a fresh deep network on the spiral.

    The network is ``MLP([2] + [width] * depth + [3])`` with the activation and
    initialisation of ``GRADIENT_FLOW_SETUPS[setup]``, weights seeded by ``seed``; the batch
    is ``bpcore.spiral(n_per_class=100, seed=0)`` under cross-entropy. Returns what
    :func:`layer_statistics` returns: ``depth`` activation stds and ``depth + 1`` norms.
    """
    from ..data import spiral
    from ..losses import CrossEntropyLoss
    from ..mlp import MLP

    if setup not in GRADIENT_FLOW_SETUPS:
        raise ValueError(f"unknown setup {setup!r}; valid setups are "
                         f"{', '.join(map(repr, GRADIENT_FLOW_SETUPS))}")
    activation, init = GRADIENT_FLOW_SETUPS[setup]
    model = MLP([2] + [width] * depth + [3], activation=activation, init=_init_scheme(init),
                seed=seed)
    X, y = spiral(n_per_class=100, n_classes=3, seed=0)
    return layer_statistics(model, X, y, CrossEntropyLoss())


def _log_profile(ax, values, color, ylim):
    """``values`` against layer 1, 2, ... as dots and lines on a log axis with limits ``ylim``.

    Values below the axis (including zeros) are drawn as ▼ on its bottom edge. The line has
    ``gid="profile"`` and holds the values as given.
    """
    values = np.asarray(values, dtype=np.float64)
    x = np.arange(1, len(values) + 1)
    ax.plot(x, values, "o-", color=color, ms=4, lw=1.5, gid="profile")
    below = values < ylim[0]
    ax.plot(x[below], np.full(below.sum(), ylim[0] * 3), "v", color=color, ms=6, clip_on=False)


def draw_gradient_flow(fig, depth, setup, *, max_depth=20, width=32, seed=0):
    """Forward and backward signal, layer by layer, in a fresh network of ``depth`` layers.

    Left: the standard deviation of each hidden layer's activations (blue). Right: the norm
    of ∂L/∂W for each weight matrix, first to last (red). Both on fixed log axes (layers 1
    to ``max_depth + 1``, ``GRADIENT_FLOW_YLIM``), so frames of an explorer compare. The
    title gives the ratio of the first layer's gradient norm to the last one's.
    """
    from matplotlib.ticker import NullLocator

    activation_std, grad_norms = gradient_flow(depth, setup, width=width, seed=seed)
    ylim = GRADIENT_FLOW_YLIM
    ax_forward, ax_backward = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.15, top=0.8, wspace=0.08)
    _log_profile(ax_forward, activation_std, VALUE_COLOR, ylim)
    _log_profile(ax_backward, grad_norms, GRADIENT_COLOR, ylim)
    decades = [-30, -20, -10, 0, 10]
    for ax, title in ((ax_forward, "forward: std of activations"),
                      (ax_backward, "backward: gradient norm ‖∂L/∂W‖")):
        ax.set_yscale("log")
        ax.set_ylim(ylim)
        ax.yaxis.set_minor_locator(NullLocator())  # few plain-text ticks: quick to draw
        ax.set_yticks([10.0**k for k in decades], [f"1e{k}" if k else "1" for k in decades])
        ax.set_xlim(0.4, max_depth + 1.6)
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.axhline(1, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("layer ℓ", fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=9)
    ratio = grad_norms[0] / grad_norms[-1]
    fig.suptitle(f"{setup}, {depth} hidden layers: first/last gradient {ratio:.1e}",
                 fontsize=11)
