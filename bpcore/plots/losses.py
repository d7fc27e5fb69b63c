"""Chapter 4: loss functions."""

import numpy as np

from ..examples.losses import (
    CLIP_EPS,
    clipped_cross_entropy,
    sigmoid_output_losses,
)
from .style import (
    EXPLORER_FONTSIZE,
    GRADIENT_COLOR,
    VALUE_COLOR,
    number_text,
)


def draw_loss_response(fig, z, *, zlim=(-12.5, 6.5)):
    """MSE and BCE of a sigmoid output with true class 1, at logit ``z``.

    Left: both losses against the logit (blue; MSE dashed). Right: the size
    of their gradients with respect to the logit, on a log scale (red). As z
    falls below zero the prediction becomes confidently wrong: the
    cross-entropy gradient tends to 1, the MSE gradient to 0.

    Drawn in :doc:`/chapters/04_losses`.
    """
    axis = np.linspace(*zlim, 500)
    curves = sigmoid_output_losses(axis)
    here = {
        name: float(value)
        for name, value in sigmoid_output_losses(z).items()
    }
    ax_loss, ax_grad = fig.subplots(1, 2)
    for ax in (ax_loss, ax_grad):
        ax.axvspan(zlim[0], 0, color="0.93", zorder=0)
        ax.axvline(z, color="0.4", lw=0.8, ls=":")
    ax_loss.plot(
        axis,
        curves["bce"],
        color=VALUE_COLOR,
        lw=2,
        label=f"cross-entropy: {here['bce']:.3g}",
    )
    ax_loss.plot(
        axis,
        curves["mse"],
        color=VALUE_COLOR,
        lw=2,
        ls="--",
        label=f"squared error: {here['mse']:.3g}",
    )
    ax_loss.plot(
        [z, z], [here["bce"], here["mse"]], "o", color="k", ms=5, zorder=3
    )
    ax_loss.set(xlim=zlim, ylim=(-0.4, 13))
    ax_loss.set_ylabel("loss", fontsize=EXPLORER_FONTSIZE)
    ax_loss.text(zlim[0] + 0.4, 2.2, "wrong", fontsize=EXPLORER_FONTSIZE)
    ax_loss.text(
        zlim[1] - 0.4, 2.2, "right", fontsize=EXPLORER_FONTSIZE, ha="right"
    )
    ax_loss.legend(loc="upper right", fontsize=EXPLORER_FONTSIZE - 1)
    ax_loss.set_title(
        f"z = {number_text(z, 'g')}:  p = σ(z) = "
        f"{number_text(here['p'], '.3g')}",
        fontsize=EXPLORER_FONTSIZE,
    )

    ax_grad.semilogy(
        axis,
        np.abs(curves["bce_grad"]),
        color=GRADIENT_COLOR,
        lw=2,
        label=f"cross-entropy: {abs(here['bce_grad']):.2g}",
    )
    ax_grad.semilogy(
        axis,
        np.abs(curves["mse_grad"]),
        color=GRADIENT_COLOR,
        lw=2,
        ls="--",
        label=f"squared error: {abs(here['mse_grad']):.2g}",
    )
    ax_grad.plot(
        [z, z],
        [abs(here["bce_grad"]), abs(here["mse_grad"])],
        "o",
        color="k",
        ms=5,
        zorder=3,
    )
    ax_grad.set(xlim=zlim, ylim=(1e-6, 3))
    ax_grad.set_yticks([1e-6, 1e-4, 1e-2, 1], ["10⁻⁶", "10⁻⁴", "10⁻²", "1"])
    ax_grad.minorticks_off()
    ax_grad.set_ylabel("|∂L/∂z|", fontsize=EXPLORER_FONTSIZE)
    ax_grad.legend(loc="lower left", fontsize=EXPLORER_FONTSIZE - 1)
    ax_grad.set_title("size of the gradient", fontsize=EXPLORER_FONTSIZE)
    for ax in (ax_loss, ax_grad):
        ax.set_xlabel(
            "logit z of the true class", fontsize=EXPLORER_FONTSIZE
        )
        ax.tick_params(labelsize=EXPLORER_FONTSIZE)
    fig.tight_layout()


def draw_clipped_gradient(fig, z=None, *, eps=CLIP_EPS, zlim=(-25, 25)):
    """BCE with true class 1, from p clipped to [ε, 1 - ε] and from logits.

    Left: both losses against the logit z (blue; the clipped one dashed),
    which agree until the clip sets in, where p = σ(z) < ε (shaded); there
    the clipped loss stays at -ln ε. Right: their gradients with respect to
    z (red): the clipped one is exactly 0 in the shaded region, the one from
    logits, σ(z) - 1, tends to -1. Markers show the logit ``z``.

    Drawn in :doc:`/chapters/04_losses`.
    """
    axis = np.linspace(*zlim, 1001)
    curves = clipped_cross_entropy(axis, eps=eps)
    edge = float(np.log(eps) - np.log1p(-eps))  # σ(edge) = ε
    # no vertical line where the clipped gradient jumps to 0
    jump = np.flatnonzero(np.diff(curves["clipped"]))
    clipped_grad = np.insert(curves["clipped_grad"], jump + 1, np.nan)
    grad_axis = np.insert(axis, jump + 1, np.nan)
    eps_text = f"{eps:.0e}".replace("e-0", "e-")
    ax_loss, ax_grad = fig.subplots(1, 2)
    for ax in (ax_loss, ax_grad):
        ax.axvspan(zlim[0], edge, color="0.9", zorder=0)
        ax.set_xlabel("logit z of the true class")
    ax_loss.plot(
        axis, curves["bce"], color=VALUE_COLOR, lw=2, label="from the logit"
    )
    ax_loss.plot(
        axis,
        curves["clipped_loss"],
        color=VALUE_COLOR,
        lw=2,
        ls="--",
        label=f"p clipped, ε = {eps_text}",
    )
    ax_loss.set(xlim=zlim, ylim=(-1, zlim[1] + 1), ylabel="loss")
    ax_loss.text(zlim[0] + 0.7, 1.5, "p < ε", fontsize=9)
    ax_loss.legend(loc="upper right", fontsize=8)
    ax_loss.set_title("the loss", fontsize=10)

    ax_grad.plot(
        axis,
        curves["bce_grad"],
        color=GRADIENT_COLOR,
        lw=2,
        label="from the logit: σ(z) − 1",
    )
    ax_grad.plot(
        grad_axis,
        clipped_grad,
        color=GRADIENT_COLOR,
        lw=2,
        ls="--",
        label="p clipped",
    )
    ax_grad.axhline(0, color="0.4", lw=0.8, zorder=1)
    ax_grad.set(xlim=zlim, ylim=(-1.15, 0.15), ylabel="∂L/∂z")
    ax_grad.legend(loc="center right", fontsize=8)
    ax_grad.set_title("its gradient with respect to z", fontsize=10)
    if z is not None:
        here = clipped_cross_entropy(z, eps=eps)
        ax_loss.plot(
            [z, z],
            [here["bce"], here["clipped_loss"]],
            "o",
            color="k",
            ms=5,
            zorder=3,
        )
        ax_grad.plot(
            [z, z],
            [here["bce_grad"], here["clipped_grad"]],
            "o",
            color="k",
            ms=5,
            zorder=3,
        )
    fig.tight_layout()
