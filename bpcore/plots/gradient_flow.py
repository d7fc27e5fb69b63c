"""Chapter 6: gradient flow."""

import numpy as np

from ..examples.gradient_flow import gradient_flow
from .style import GRADIENT_COLOR, VALUE_COLOR

#: Fixed log-scale limits of the gradient-flow figure, so that its frames
#: compare.
GRADIENT_FLOW_YLIM = (1e-32, 1e14)


def _log_profile(ax, values, color, ylim):
    """``values`` against layer 1, 2, ... as dots and lines on a log axis.

    The axis limits are ``ylim``. Values below the axis (including zeros)
    are drawn as ▼ on its bottom edge. The line has ``gid="profile"`` and
    holds the values as given.
    """
    values = np.asarray(values, dtype=np.float64)
    x = np.arange(1, len(values) + 1)
    ax.plot(x, values, "o-", color=color, ms=4, lw=1.5, gid="profile")
    below = values < ylim[0]
    ax.plot(
        x[below],
        np.full(below.sum(), ylim[0] * 3),
        "v",
        color=color,
        ms=6,
        clip_on=False,
    )


def draw_gradient_flow(
    fig, depth, setup, *, max_depth=20, width=32, seed=0
):
    """Forward and backward signal, layer by layer, of a fresh network.

    The network has ``depth`` layers. Left: the standard deviation of each
    hidden layer's activations (blue). Right: the norm of ∂L/∂W for each
    weight matrix, first to last (red). Both on fixed log axes (layers 1 to
    ``max_depth + 1``, ``GRADIENT_FLOW_YLIM``), so frames of an explorer
    compare. The title gives the ratio of the first layer's gradient norm to
    the last one's.

    Drawn in :doc:`/chapters/06_vanishing_exploding`.
    """
    from matplotlib.ticker import NullLocator

    activation_std, grad_norms = gradient_flow(
        depth, setup, width=width, seed=seed
    )
    ylim = GRADIENT_FLOW_YLIM
    ax_forward, ax_backward = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(
        left=0.11, right=0.98, bottom=0.15, top=0.8, wspace=0.08
    )
    _log_profile(ax_forward, activation_std, VALUE_COLOR, ylim)
    _log_profile(ax_backward, grad_norms, GRADIENT_COLOR, ylim)
    decades = [-30, -20, -10, 0, 10]
    for ax, title in (
        (ax_forward, "forward: std of activations"),
        (ax_backward, "backward: gradient norm ‖∂L/∂W‖"),
    ):
        ax.set_yscale("log")
        ax.set_ylim(ylim)
        # few plain-text ticks: quick to draw
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_yticks(
            [10.0**k for k in decades],
            [f"1e{k}" if k else "1" for k in decades],
        )
        ax.set_xlim(0.4, max_depth + 1.6)
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.axhline(1, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("layer ℓ", fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=9)
    ratio = grad_norms[0] / grad_norms[-1]
    fig.suptitle(
        f"{setup}, {depth} hidden layers: first/last gradient {ratio:.1e}",
        fontsize=11,
    )
