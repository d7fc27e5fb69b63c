"""Tests of bpcore.plots.optimizers: chapter 7's figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import plots
from bpcore.examples import landscapes
from bpcore.optim import SGD
from bpcore.widgets import render_frames


def line(fig_or_ax, gid):
    """The one line with this gid anywhere on the figure (or axes)."""
    axes = fig_or_ax.axes if isinstance(fig_or_ax, Figure) else [fig_or_ax]
    found = [ln for ax in axes for ln in ax.lines if ln.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} lines with gid {gid!r}"
    return found[0]


def test_draw_paths_1d_draws_every_walk():
    walks = {"gradient descent": landscapes.descend(landscapes.quadratic_grad, -3.0, 0.1, 20),
             "Adam, η = 0.5": np.linspace(-3, 2, 21)}
    fig = Figure()
    plots.draw_paths_1d(fig, walks)
    assert len(fig.axes) == 2
    for name, walk in walks.items():
        np.testing.assert_array_equal(line(fig, f"path:{name}").get_ydata(), walk)
    assert line(fig, "path:gradient descent").get_color() == plots.OPTIMIZER_COLORS[
        "gradient descent"]
    assert line(fig, "path:Adam, η = 0.5").get_color() == plots.OPTIMIZER_COLORS["Adam"]
    assert len(fig.legends) == 1


def test_draw_paths_2d_draws_the_walks_on_the_contours():
    walk = landscapes.descend(landscapes.narrow_valley_grad, [-9.0, 1.5], 0.45, 30)
    ax = Figure().subplots()
    plots.draw_paths_2d(ax, landscapes.narrow_valley, {"gradient descent": walk},
                        xlim=(-10, 2), ylim=(-2, 2), levels=plots.VALLEY_LEVELS, minima=[(0, 0)])
    drawn = line(ax, "path:gradient descent")
    np.testing.assert_array_equal(drawn.get_xdata(), walk[:, 0])
    np.testing.assert_array_equal(drawn.get_ydata(), walk[:, 1])
    assert ax.get_xlim() == (-10, 2) and ax.get_ylim() == (-2, 2)
    assert ax.collections  # the contour lines


def test_draw_path_panels_gives_one_panel_per_walk():
    walks = {name: landscapes.descend(landscapes.narrow_valley_grad, [-9.0, 1.5], eta, 10)
             for name, eta in [("a", 0.1), ("b", 0.2), ("c", 0.3)]}
    fig = Figure()
    plots.draw_path_panels(fig, landscapes.narrow_valley, walks, xlim=(-10, 2), ylim=(-2, 2),
                           levels=5)
    visible = [ax for ax in fig.axes if ax.axison]
    assert [ax.get_title() for ax in visible] == ["a", "b", "c"]
    assert len(fig.axes) == 4  # a 2x2 grid, the last one hidden


@pytest.mark.parametrize("lr, momentum, phrase", [
    (0.45, 0.0, "from step 48"),
    (0.5, 0.5, "from step 15"),
    (0.6, 0.0, "diverges"),
    (0.05, 0.0, "not yet below"),
])
def test_draw_valley_explorer_runs_sgd_with_the_slider_values(lr, momentum, phrase):
    fig = Figure()
    plots.draw_valley_explorer(fig, lr, momentum)
    expected = landscapes.optimizer_path(landscapes.narrow_valley_grad, plots.VALLEY_START,
                                         lambda p: SGD(p, lr=lr, momentum=momentum), 60)
    name = "momentum" if momentum else "gradient descent"
    np.testing.assert_array_equal(line(fig, f"path:{name}").get_xdata(), expected[:, 0])
    np.testing.assert_array_equal(line(fig, "loss").get_ydata(),
                                  landscapes.narrow_valley(expected))
    assert phrase in fig.get_suptitle()


def test_valley_explorer_frames_differ():
    frames = render_frames(plots.draw_valley_explorer, {"lr": [0.1, 0.4], "momentum": [0.0, 0.8]},
                           dpi=40)
    assert len(frames) == 4 and len(set(frames)) == 4


def test_draw_steps_vs_lr_marks_the_misses():
    ax = Figure().subplots()
    lrs = [0.01, 0.1, 1.0]
    plots.draw_steps_vs_lr(ax, lrs, {"Adam": [None, 40, 30], "gradient descent": [80, None, None]},
                           budget=100)
    np.testing.assert_array_equal(line(ax, "steps:Adam").get_xdata(), [0.1, 1.0])
    np.testing.assert_array_equal(line(ax, "steps:gradient descent").get_ydata(), [80])
    crosses = [ln for ln in ax.lines if ln.get_marker() == "x"]
    assert sorted(len(ln.get_xdata()) for ln in crosses) == [1, 2]
    assert len({ln.get_ydata()[0] for ln in crosses}) == 2  # drawn at different heights


def test_draw_batch_noise_draws_loss_and_parameter_paths():
    runs = {"1": (np.arange(5) / 4, np.array([4.0, 2, 1, 0.5, 0.4]), np.zeros((5, 2))),
            "all": (np.arange(2.0), np.array([4.0, 3.0]), np.zeros((2, 2)))}
    fig = Figure()
    plots.draw_batch_noise(fig, runs, lambda p: (np.asarray(p) ** 2).sum(-1) + 0.3,
                           xlim=(-1, 1), ylim=(-1, 1), levels=5, minimum=(0, 0))
    np.testing.assert_array_equal(line(fig, "loss:1").get_ydata(), runs["1"][1])
    assert len(fig.axes) == 2


def test_draw_lr_range_test():
    ax = Figure().subplots()
    lrs = np.geomspace(1e-4, 1, 20)
    losses = np.linspace(1, 0.2, 20)
    plots.draw_lr_range_test(ax, lrs, losses, smoothed=losses, suggestion=0.01)
    np.testing.assert_array_equal(line(ax, "smoothed").get_ydata(), losses)
    assert ax.get_xscale() == "log"
    assert any("0.01" in text.get_text() for text in ax.get_legend().get_texts())


def test_draw_condition_sweep_draws_counts_and_predictions():
    ax = Figure().subplots()
    kappas = np.array([10.0, 100.0, 1000.0])
    steps = {"gradient descent": [46, 461, 4605], "momentum": [19, 65, 215]}
    plots.draw_condition_sweep(ax, kappas, steps, tol=1e-8)
    np.testing.assert_array_equal(line(ax, "steps:momentum").get_ydata(), [19, 65, 215])
    assert line(ax, "steps:gradient descent").get_color() == plots.OPTIMIZER_COLORS[
        "gradient descent"]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    slopes = sorted(np.polyfit(np.log(ln.get_xdata()), np.log(ln.get_ydata()), 1)[0]
                    for ln in dashed)
    np.testing.assert_allclose(slopes, [0.5, 1.0])


def test_draw_rate_map_marks_curves_optimum_and_divergence():
    from bpcore.examples import optimizers as computed

    fig = Figure()
    ax = fig.subplots()
    etas, mus = np.linspace(0.005, 1, 40), np.linspace(0, 0.99, 30)
    rates = computed.rate_map([0.2, 4.0], etas, mus)
    eta, mu, _ = computed.optimal_momentum(0.2, 4.0)
    colorbar = plots.draw_rate_map(ax, etas, mus, rates, eigenvalues=(0.2, 4.0),
                                   optimum=(eta, mu), gradient_descent=2 / 4.2,
                                   points=[(0.5, 0.5), (0.1, 0.9)])
    assert colorbar.ax in fig.axes
    mesh = next(c for c in ax.collections if c.get_gid() == "rate-map")
    shown = np.ma.masked_invalid(mesh.get_array()).reshape(rates.shape)
    # diverging pairs carry no colour; converging ones the steps per tenfold shrink
    assert np.all(shown.mask == (rates >= 1))
    converging = rates < 1
    np.testing.assert_allclose(shown[converging],
                               np.minimum(np.log(10) / -np.log(rates[converging]), 1000))
    for lam in (0.2, 4.0):
        np.testing.assert_allclose(line(ax, f"critical:{lam:g}").get_ydata(),
                                   computed.critical_damping(etas, lam))
    np.testing.assert_allclose(line(ax, "optimum").get_xydata(), [[eta, mu]])
    np.testing.assert_allclose(line(ax, "gradient-descent").get_xydata(), [[2 / 4.2, 0]])
    assert len(line(ax, "points").get_xdata()) == 2
    assert ax.get_legend() is not None
