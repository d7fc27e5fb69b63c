"""Tests of bpcore.plots.gradient_flow: chapter 6's figure."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import examples, plots
from bpcore.widgets import render_frames


def profiles(fig):
    """The values drawn as the profile line on each axes of the figure."""
    return [[line.get_ydata() for line in ax.lines if line.get_gid() == "profile"][0]
            for ax in fig.axes]


@pytest.mark.parametrize("depth, setup", [(1, "ReLU / He"), (10, "sigmoid / Xavier"),
                                          (20, "ReLU / too small")])
def test_draw_gradient_flow_draws_the_statistics_on_fixed_axes(depth, setup):
    fig = Figure()
    plots.draw_gradient_flow(fig, depth, setup)
    stds, norms = examples.gradient_flow(depth, setup)
    drawn_stds, drawn_norms = profiles(fig)
    np.testing.assert_array_equal(drawn_stds, stds)
    np.testing.assert_array_equal(drawn_norms, norms)
    for ax in fig.axes:
        assert ax.get_yscale() == "log"
        assert ax.get_ylim() == pytest.approx(plots.GRADIENT_FLOW_YLIM)
        assert ax.get_xlim() == (0.4, 21.6)
    assert f"{setup}, {depth} hidden layers: first/last gradient {norms[0] / norms[-1]:.1e}" \
        == fig.get_suptitle()


def test_gradient_flow_frames_render_for_an_explorer():
    frames = render_frames(plots.draw_gradient_flow,
                           {"depth": [2, 3], "setup": ["tanh / Xavier", "ReLU / He"]})
    assert len(frames) == 4 and all(frame.startswith(b"\x89PNG") for frame in frames)
    assert len(set(frames)) == 4
