"""Tests of bpcore.plots.losses: chapter 4's figure."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import examples, plots


@pytest.mark.parametrize("z", [-12, -3, 0, 4])
def test_draw_loss_response_marks_the_current_logit(z):
    fig = Figure()
    plots.draw_loss_response(fig, z)
    ax_loss, ax_grad = fig.axes
    out = examples.sigmoid_output_losses(z)
    markers = [line for line in ax_loss.lines if line.get_marker() == "o"]
    assert len(markers) == 1
    assert np.allclose(markers[0].get_xdata(), z)
    assert np.allclose(markers[0].get_ydata(), [out["bce"], out["mse"]])
    (grad_markers,) = [line for line in ax_grad.lines if line.get_marker() == "o"]
    assert np.allclose(grad_markers.get_ydata(), np.abs([out["bce_grad"], out["mse_grad"]]))
    assert ax_grad.get_yscale() == "log"
    legend = [text.get_text() for text in ax_grad.get_legend().get_texts()]
    assert legend[0].startswith("cross-entropy: ") and legend[1].startswith("squared error: ")


def test_draw_clipped_gradient_shows_both_gradients_and_marks_the_logit():
    fig = Figure()
    z = np.log(1e-9) - np.log1p(-1e-9)
    plots.draw_clipped_gradient(fig, z)
    ax_loss, ax_grad = fig.axes
    out = examples.clipped_cross_entropy(z)
    (markers,) = [line for line in ax_grad.lines if line.get_marker() == "o"]
    assert np.allclose(markers.get_ydata(), [out["bce_grad"], out["clipped_grad"]])
    (loss_markers,) = [line for line in ax_loss.lines if line.get_marker() == "o"]
    assert np.allclose(loss_markers.get_ydata(), [out["bce"], out["clipped_loss"]])
    curves = [line for line in ax_grad.lines if line.get_marker() != "o"
              and line.get_linestyle() in ("-", "--") and len(line.get_xdata()) > 2]
    clipped = [line for line in curves if line.get_linestyle() == "--"][0]
    x, y = np.asarray(clipped.get_xdata()), np.asarray(clipped.get_ydata())
    edge = np.log(1e-7) - np.log1p(-1e-7)
    assert np.all(y[x < edge] == 0) and np.nanmin(y) < -0.99
    assert ax_grad.get_ylabel() == "∂L/∂z" and ax_loss.get_ylabel() == "loss"
    assert ax_loss.get_xlabel() == ax_grad.get_xlabel() == "logit z of the true class"
