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
