"""Tests of bpcore.plots.descent: chapter 1's figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import plots
from bpcore.examples import landscapes
from bpcore.widgets import render_frames


def descent_path(fig):
    """The (w, loss) data of the descent path drawn on the figure's first axes."""
    (line,) = [line for line in fig.axes[0].lines if line.get_gid() == "descent-path"]
    return line.get_xdata(), line.get_ydata()


def test_path_on_curve_draws_the_given_path_on_the_loss():
    ax = Figure().subplots()
    path = landscapes.descend(landscapes.ripples_grad, 3.0, 0.1, 10)
    plots.path_on_curve(ax, landscapes.ripples, path, wlim=(-5, 6.5), ylim=(-2, 5))
    w, heights = descent_path(ax.figure)
    np.testing.assert_array_equal(w, path)
    np.testing.assert_array_equal(heights, landscapes.ripples(path))
    assert ax.get_xlim() == (-5, 6.5) and ax.get_ylim() == (-2, 5)


@pytest.mark.parametrize("eta", [0.01, 0.3, 0.5, 0.9, 1.0, 1.1, 1.2])
def test_draw_descent_1d_draws_the_path_for_that_learning_rate(eta):
    fig = Figure()
    plots.draw_descent_1d(fig, eta)
    assert len(fig.axes) == 2
    w, heights = descent_path(fig)
    np.testing.assert_array_equal(w, landscapes.descend(landscapes.quadratic_grad, -3.0, eta, 20))
    np.testing.assert_array_equal(heights, (w - 2) ** 2)


@pytest.mark.parametrize("eta, regime", [
    (0.01, "crawling"), (0.3, "converging"), (0.9, "oscillating"), (1.0, "stuck"),
    (1.1, "diverging"),
])
def test_draw_descent_1d_names_the_regime_in_its_title(eta, regime):
    fig = Figure()
    plots.draw_descent_1d(fig, eta)
    assert f": {regime}," in fig.get_suptitle()


def test_draw_descent_1d_shows_a_diverging_walk_up_to_where_it_stopped():
    fig = Figure()
    plots.draw_descent_1d(fig, 2.0, steps=30)
    w, _ = descent_path(fig)
    assert len(w) < 31 and abs(w[-1]) > 1e6 and np.all(np.isfinite(w))
    assert "diverging" in fig.get_suptitle()


@pytest.mark.parametrize("eta", [0, -0.5])
def test_draw_descent_1d_rejects_a_non_positive_learning_rate(eta):
    with pytest.raises(ValueError, match=r"eta \(the learning rate\) must be a positive"):
        plots.draw_descent_1d(Figure(), eta)


def test_draw_descent_1d_rejects_a_non_finite_start():
    with pytest.raises(ValueError, match="w0 must be finite"):
        plots.draw_descent_1d(Figure(), 0.1, w0=float("nan"))


@pytest.mark.parametrize("w0, outcome", [
    (-1.0, "reaches the global minimum"), (0.5, "reaches the global minimum"),
    (3.0, "stops in a local minimum, w = 2.24"), (-4.5, "stops in a local minimum"),
])
def test_draw_ripples_says_where_the_walk_ends(w0, outcome):
    fig = Figure()
    plots.draw_ripples(fig, w0)
    assert len(fig.axes) == 1
    w, _ = descent_path(fig)
    np.testing.assert_array_equal(w, landscapes.descend(landscapes.ripples_grad, w0, 0.1, 50))
    assert outcome in fig.axes[0].get_title()


def test_draw_ripples_says_when_a_walk_has_not_settled():
    fig = Figure()
    plots.draw_ripples(fig, 0.0, eta=0.5, steps=100)
    assert "has not settled" in fig.axes[0].get_title()


def test_the_chapter_explorers_render_one_png_per_value():
    frames = render_frames(plots.draw_descent_1d, {"eta": [0.1, 1.1]})
    frames += render_frames(plots.draw_ripples, {"w0": [-1.0, 3.0]})
    assert len(frames) == 4 and all(frame.startswith(b"\x89PNG") for frame in frames)
    assert len(set(frames)) == 4
