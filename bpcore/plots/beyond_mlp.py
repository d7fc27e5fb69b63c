"""Chapter 9: weight decay, dropout, batch normalisation and recurrence."""

import numpy as np

from ..examples.beyond_mlp import (
    BATCHNORM_SETUPS,
    SINE_NOISE,
    batchnorm_gradient_flow,
    gradient_through_time,
)
from .style import EXPLORER_FONTSIZE, GRADIENT_COLOR, VALUE_COLOR

#: Fixed log-scale limits of the batch-norm explorer, so its frames compare.
BATCHNORM_FLOW_YLIM = (1e-26, 1e12)
#: Fixed log-scale limits of the gradient-through-time explorer.
THROUGH_TIME_YLIM = (1e-12, 1e6)


def draw_regularised_fits(fig, X, y, x_grid, fits, records):
    """Fitted curves (left) and their losses during training (right).

    ``fits`` maps a label to the model's predictions at ``x_grid``,
    ``records`` the same labels to a ``FullBatchRecord``. Left: the
    training points (X, y), the true curve sin(π x) dotted, each fit.
    Right, on a log axis, in each fit's colour: its held-out loss (solid,
    ``gid`` "held-out:<label>") and training loss (dashed, "train:<label>")
    against the step, and the noise floor ``SINE_NOISE``² dotted.

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    from matplotlib.lines import Line2D

    ax_fit, ax_loss = fig.subplots(1, 2)
    x_grid = np.asarray(x_grid, dtype=np.float64).reshape(-1)
    ax_fit.plot(
        x_grid, np.sin(np.pi * x_grid), ":", color="0.4", label="sin(πx)"
    )
    for index, (label, prediction) in enumerate(fits.items()):
        ax_fit.plot(
            x_grid, prediction, color=f"C{index}", lw=1.8, label=label
        )
        record = records[label]
        ax_loss.semilogy(
            record.steps,
            record.held_out_loss,
            color=f"C{index}",
            lw=1.8,
            gid=f"held-out:{label}",
        )
        ax_loss.semilogy(
            record.steps,
            record.train_loss,
            "--",
            color=f"C{index}",
            lw=1.2,
            gid=f"train:{label}",
        )
    ax_fit.plot(
        np.ravel(X), np.ravel(y), "o", color="k", ms=5, label="training"
    )
    ax_fit.set(xlabel="x", ylabel="y", ylim=(-2.5, 2.5))
    ax_fit.legend(fontsize=8, loc="lower right")
    ax_loss.axhline(SINE_NOISE**2, color="0.4", ls=":", lw=1)
    keys = [
        Line2D([], [], color="k", lw=1.8, label="held out"),
        Line2D([], [], color="k", lw=1.2, ls="--", label="training"),
        Line2D([], [], color="0.4", lw=1, ls=":", label="noise floor"),
    ]
    ax_loss.legend(handles=keys, fontsize=8, loc="lower left")
    ax_loss.set(xlabel="step", ylabel="mean squared error")
    fig.tight_layout()


def draw_decay_paths(
    fig, adam, adamw, gradient_scales, *, lr, weight_decay
):
    """Mean weight against step under Adam's L2 term (left) and AdamW.

    ``adam`` and ``adamw`` are arrays (steps + 1, groups) as
    ``decay_paths`` returns, one group per gradient scale s of
    ``gradient_scales``. The AdamW panel also shows (1 - η λ)ᵗ, dotted
    (``gid`` "shrink").

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    ax_adam, ax_adamw = fig.subplots(1, 2, sharey=True)
    steps = np.arange(len(adam))
    for ax, means, title in (
        (ax_adam, adam, f"Adam, weight_decay={weight_decay:g} (L2)"),
        (ax_adamw, adamw, f"AdamW, weight_decay={weight_decay:g}"),
    ):
        for index, scale in enumerate(gradient_scales):
            ax.plot(
                steps,
                means[:, index],
                color=f"C{index}",
                lw=1.8,
                label=f"gradient noise s = {scale:g}",
                gid=f"mean:{scale:g}",
            )
        ax.set(xlabel="step", title=title, ylim=(-0.05, 1.05))
        ax.title.set_size(10)
    ax_adamw.plot(
        steps,
        (1 - lr * weight_decay) ** steps,
        ":",
        color="k",
        lw=1.5,
        label="(1 − ηλ)ᵗ",
        gid="shrink",
    )
    ax_adam.set_ylabel("mean weight")
    ax_adam.legend(fontsize=8, loc="center right")
    ax_adamw.legend(
        ax_adamw.lines[-1:], ["(1 − ηλ)ᵗ"], fontsize=8, loc="lower left"
    )
    fig.tight_layout()


def draw_dropout_mask(fig, output, grad_input):
    """A dropout layer's output and the gradient it passes back, as images.

    Rows are samples, columns units. Both use a diverging colour scale
    centred on 0; entries that are exactly 0, the dropped units, are grey.

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    from matplotlib import colormaps

    cmap = colormaps["RdBu_r"].with_extremes(bad="0.6")
    axes = fig.subplots(1, 2)
    panels = (
        (output, "forward: dropout's output"),
        (grad_input, "backward: ∂L/∂(its input)"),
    )
    for ax, (values, title) in zip(axes, panels, strict=True):
        values = np.asarray(values, dtype=np.float64)
        top = np.abs(values).max() or 1.0
        ax.imshow(
            np.ma.masked_equal(values, 0.0),
            cmap=cmap,
            vmin=-top,
            vmax=top,
            interpolation="nearest",
        )
        ax.set(xlabel="unit", ylabel="sample", title=title)
        ax.title.set_size(10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()


def _log_profile(ax, values, color, label, style="o-"):
    x = np.arange(1, len(values) + 1)
    ax.semilogy(
        x, values, style, color=color, ms=4, lw=1.5, label=label, gid=label
    )


def draw_batchnorm_flow(fig, setup, *, depth=15):
    """‖∂L/∂W‖ layer by layer with and without batch norm, on a log axis.

    ``setup`` names an entry of ``BATCHNORM_SETUPS``; the networks are
    ``deep_network(depth, ...)`` with the same weights, without (grey) and
    with BatchNorm1d in every hidden layer (red), one pass on the spiral.
    The axis limits are fixed (``BATCHNORM_FLOW_YLIM``), so frames of an
    explorer compare; the title gives both first/last ratios.

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    from matplotlib.ticker import NullLocator

    if setup not in BATCHNORM_SETUPS:
        raise ValueError(f"unknown setup {setup!r}")
    plain = batchnorm_gradient_flow(setup, False, depth=depth)
    normed = batchnorm_gradient_flow(setup, True, depth=depth)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.85)
    _log_profile(ax, plain, "0.45", "without batch norm", "s--")
    _log_profile(ax, normed, GRADIENT_COLOR, "with batch norm")
    ax.set_ylim(BATCHNORM_FLOW_YLIM)
    decades = [-25, -20, -15, -10, -5, 0, 5, 10]
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_yticks(
        [10.0**k for k in decades],
        [f"1e{k}" if k else "1" for k in decades],
    )
    ax.axhline(1, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel("layer ℓ (1 = next to the input)")
    ax.set_ylabel("‖∂L/∂W‖")
    ax.legend(fontsize=EXPLORER_FONTSIZE - 1, loc="lower right")
    ax.set_title(
        f"{setup}, {depth} hidden layers; first/last: "
        f"{plain[0] / plain[-1]:.0e} without, "
        f"{normed[0] / normed[-1]:.1f} with",
        fontsize=EXPLORER_FONTSIZE,
    )


def draw_gradient_through_time(fig, scale, *, length=30):
    """‖∂L/∂h_t‖ against t, and the bound scale^(T - t), on a log axis.

    The measurement is ``gradient_through_time(scale, length=length)``
    (``gid`` "measured"), relative to its value at the last step T; the
    dotted line (``gid`` "bound") is scale^(T - t), which it can never
    exceed, since each step back multiplies by W_hhᵀ, of norm ``scale``,
    and by tanh′ ≤ 1. Fixed axis limits (``THROUGH_TIME_YLIM``).

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    from matplotlib.ticker import NullLocator

    norms = gradient_through_time(scale, length=length)
    relative = norms / norms[-1]
    t = np.arange(1, length + 1)
    ax = fig.subplots()
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.15, top=0.88)
    ax.semilogy(
        t,
        relative,
        "o-",
        color=GRADIENT_COLOR,
        ms=4,
        lw=1.5,
        label="measured ‖∂L/∂h_t‖ / ‖∂L/∂h_T‖",
        gid="measured",
    )
    ax.semilogy(
        t,
        float(scale) ** (length - t),
        ":",
        color=VALUE_COLOR,
        lw=1.5,
        label=f"bound {scale:g}^(T − t)",
        gid="bound",
    )
    ax.set_ylim(THROUGH_TIME_YLIM)
    ax.set_xlim(0.5, length + 0.5)
    decades = [-12, -9, -6, -3, 0, 3, 6]
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_yticks(
        [10.0**k for k in decades],
        [f"1e{k}" if k else "1" for k in decades],
    )
    ax.axhline(1, color="0.6", lw=0.8, ls=":")
    ax.set_xlabel(f"time step t (the loss reads h_T, T = {length})")
    ax.set_ylabel("gradient reaching step t")
    ax.legend(fontsize=EXPLORER_FONTSIZE - 1, loc="lower right")
    ax.set_title(
        f"W_hh = {scale:g} · orthogonal: at t = 1, "
        f"{relative[0]:.0e} of the last step's",
        fontsize=EXPLORER_FONTSIZE,
    )


def draw_truncation(fig, records):
    """Held-out loss during training, one line per ``records`` label.

    ``records`` maps a label (say "full BPTT", "truncate=2") to a
    ``FullBatchRecord``; log axis, lines with ``gid`` = the label.

    Drawn in :doc:`/chapters/09_beyond_mlp`.
    """
    ax = fig.subplots()
    for index, (label, record) in enumerate(records.items()):
        ax.semilogy(
            record.steps,
            record.held_out_loss,
            color=f"C{index}",
            lw=1.8,
            label=label,
            gid=label,
        )
    ax.axhline(1, color="0.6", lw=0.8, ls=":")
    ax.set(xlabel="step", ylabel="held-out mean squared error")
    ax.legend(fontsize=9)
    fig.tight_layout()
