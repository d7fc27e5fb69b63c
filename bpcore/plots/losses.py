"""Chapter 4: loss functions."""

import numpy as np

from ..examples.losses import sigmoid_output_losses
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
