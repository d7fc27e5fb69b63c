"""Tests of bpcore.plots.training: chapter 5's figures."""

import io
import warnings
from functools import partial
from itertools import pairwise

import numpy as np
import pytest
from matplotlib.figure import Figure

import bpcore
from bpcore import examples, plots
from bpcore.widgets import render_frames
from tests.conftest import text_boxes


def test_draw_decision_boundary_colours_the_plane_by_the_models_prediction(make_linear_model):
    model = make_linear_model([[1.0], [0.0]], [0.0])  # class 1 exactly where x1 > 0
    X = np.array([[-1.0, -1.0], [1.0, 1.0]])
    ax = Figure().subplots()
    classes = plots.draw_decision_boundary(ax, model, X, np.array([0, 1]), resolution=40,
                                           limits=((-2, 2), (-1, 1)))
    xs = np.linspace(-2, 2, 40)
    assert classes.shape == (40, 40)
    np.testing.assert_array_equal(classes, np.tile((xs > 0).astype(int), (40, 1)))
    assert ax.get_xlim() == (-2, 2) and ax.get_ylim() == (-1, 1)
    (image,) = [im for im in ax.images if im.get_gid() == "regions"]
    assert image.get_array().shape[:2] == (40, 40)
    assert len(ax.collections[-1].get_offsets()) == 2  # the samples, drawn on top


def test_draw_decision_boundary_covers_the_data_with_a_margin_by_default():
    X, y = bpcore.spiral(n_per_class=20, seed=1)
    ax = Figure().subplots()
    plots.draw_decision_boundary(ax, bpcore.MLP([2, 8, 3], seed=0), X, y, margin=0.5)
    assert ax.get_xlim() == pytest.approx((X[:, 0].min() - 0.5, X[:, 0].max() + 0.5))
    assert ax.get_ylim() == pytest.approx((X[:, 1].min() - 0.5, X[:, 1].max() + 0.5))


@pytest.mark.parametrize("limits", [((-5, 5), (-4.5, 4.5)), ((-4, 4), (-4, 4)),
                                    ((-1.2, 1.3), (-1.2, 1.2)), ((0, 1), (0, 1))])
def test_side_by_side_boundaries_keep_their_tick_labels_apart(make_linear_model, limits):
    """Chapter 5 draws three boundaries in a row (start, one step, 100 steps). A tick label
    at a panel's edge ran into the next panel's first one ("5.0−5.0"): the ticks stay
    clear of the edges, at round numbers."""
    X, y = bpcore.blobs(n_per_class=50, seed=0)
    fig = Figure(figsize=(6.8, 2.7))
    axes = fig.subplots(1, 3, sharey=True)
    for ax in axes:
        plots.draw_decision_boundary(ax, make_linear_model([[1.0], [1.0]], [0.0]), X, y,
                                     limits=limits, markersize=10)
        ax.label_outer()
    fig.tight_layout()
    (low, high), _ = limits
    shown = [[label for label in ax.get_xticklabels() if low <= label.get_position()[0] <= high]
             for ax in axes]
    rows = [text_boxes(fig, labels) for labels in shown]
    assert all(len(row) >= 3 for row in rows)
    for left, right in pairwise(rows):
        assert max(box.x1 for box in left) + 2 < min(box.x0 for box in right)
    for ticks, (low, high) in [(axes[0].get_xticks(), limits[0]),
                               (axes[0].get_yticks(), limits[1])]:
        assert np.all((low < ticks) & (ticks < high))  # inside, at round numbers
        assert np.allclose(ticks, np.round(ticks, 1))


def test_draw_decision_boundary_works_for_a_float32_model():
    model = bpcore.MLP([2, 4, 3], seed=0, dtype=np.float32)
    X, y = bpcore.spiral(n_per_class=10, seed=0, dtype=np.float32)
    classes = plots.draw_decision_boundary(Figure().subplots(), model, X, y, resolution=10)
    assert classes.shape == (10, 10)


def test_draw_decision_boundary_rejects_inputs_that_are_not_points_in_the_plane():
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plots.draw_decision_boundary(Figure().subplots(), bpcore.MLP([3, 2]), np.zeros((4, 3)),
                                     np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match="4 samples but y has 3"):
        plots.draw_decision_boundary(Figure().subplots(), bpcore.MLP([2, 2]), np.zeros((4, 2)),
                                     np.zeros(3, dtype=int))


def test_draw_loss_curve_draws_the_loss_per_epoch(make_history):
    ax = Figure().subplots()
    plots.draw_loss_curve(ax, make_history([1.0, 0.5, 0.25]))
    (line,) = [line for line in ax.lines if line.get_gid() == "loss"]
    np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(line.get_ydata(), [1.0, 0.5, 0.25])
    assert ax.get_yscale() == "log"
    assert not [text for text in ax.texts if text.get_gid() == "diverged"]


def test_draw_loss_curve_marks_where_a_run_diverged(make_history):
    ax = Figure().subplots()
    plots.draw_loss_curve(ax, make_history([1.0, 40.0], diverged=True, message="diverged"))
    (text,) = [text for text in ax.texts if text.get_gid() == "diverged"]
    assert text.get_text() == "diverged in epoch 3"


def test_draw_training_run_shows_loss_and_boundary():
    model, run, X, y = examples.train_spiral(1.0, hidden=8, epochs=3)
    fig = Figure()
    plots.draw_training_run(fig, model, run, X, y, title="a run")
    ax_loss, ax_data = fig.axes[:2]
    (line,) = [line for line in ax_loss.lines if line.get_gid() == "loss"]
    np.testing.assert_array_equal(line.get_ydata(), run.loss)
    assert [im for im in ax_data.images if im.get_gid() == "regions"]
    assert ax_data.get_title() == f"training accuracy {run.accuracy[-1]:.0%}"
    assert fig.get_suptitle() == "a run"


def test_draw_training_run_draws_no_boundary_for_a_diverged_run(make_history):
    model, _, X, y = examples.train_spiral(1.0, hidden=8, epochs=1)
    for parameter in model.parameters():
        parameter.data[...] = np.nan  # what a blown-up run can leave behind
    fig = Figure()
    plots.draw_training_run(fig, model, make_history([1.0, 1e6], [0.3, 0.3], diverged=True), X, y)
    ax_loss, ax_data = fig.axes[:2]
    assert not ax_data.images
    assert "no boundary" in ax_data.get_title()
    assert [text for text in ax_loss.texts if text.get_gid() == "diverged"]


def test_draw_lr_spiral_names_the_regime_in_its_title():
    runs = {0.001: examples.train_spiral(0.001, hidden=8, epochs=5)}
    fig = Figure()
    plots.draw_lr_spiral(fig, 0.001, runs=runs)
    assert fig.get_suptitle().startswith(r"$\eta = 0.001$: too low (final loss ")


def test_draw_lr_spiral_shows_a_diverged_run_as_such(make_history):
    model, _, X, y = examples.train_spiral(1.0, hidden=8, epochs=1)
    message = "training diverged in epoch 2, step 1: the loss became nan"
    runs = {1e6: (model, make_history([1.0], [0.3], diverged=True, message=message), X, y)}
    fig = Figure()
    plots.draw_lr_spiral(fig, 1e6, runs=runs)
    assert fig.get_suptitle() == r"$\eta = 1e+06$: too high (diverged after 1 epochs)"


def test_the_learning_rate_explorer_renders_one_frame_per_value():
    runs = {lr: examples.train_spiral(lr, hidden=8, epochs=3) for lr in [0.01, 1.0]}
    frames = render_frames(partial(plots.draw_lr_spiral, runs=runs), {"lr": [0.01, 1.0]})
    assert len(frames) == 2 and frames[0] != frames[1]
    assert all(frame.startswith(b"\x89PNG") for frame in frames)


def test_draw_loss_curve_copes_with_a_loss_near_the_float64_limit(make_history):
    fig = Figure()
    ax = fig.subplots()
    growing = 0.7 * 30.0 ** np.arange(208)  # as a diverging run: up to ~1e306
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings from the log axis
        plots.draw_loss_curve(ax, make_history(growing, diverged=True))
        fig.savefig(io.BytesIO(), format="png")
    low, high = ax.get_ylim()
    assert low == 0.35 and high == 1e150


def test_draw_network_puts_nodes_in_columns_and_joins_every_pair_of_layers():
    ax = Figure().subplots()
    forward = [["1", "2"], ["a", "b", "c"], ["y"]]
    backward = [[None, None], ["d1", "d2", "d3"], ["dy"]]
    plots.draw_network(ax, [2, 3, 1], forward=forward, backward=backward)
    centres = {(x, y) for x, y in (
        (float(line.get_xdata()[0]), float(line.get_ydata()[0]))
        for line in ax.lines if line.get_marker() == "o")}
    expected = {(0.0, 0.5), (0.0, -0.5), (1.6, 1.0), (1.6, 0.0), (1.6, -1.0), (3.2, 0.0)}
    assert centres == expected
    edges = [line for line in ax.lines if line.get_marker() != "o"]
    assert len(edges) == 2 * 3 + 3 * 1
    for edge in edges:  # every edge runs from one node centre to a node centre one column on
        (x0, x1), (y0, y1) = edge.get_xdata(), edge.get_ydata()
        assert (x0, y0) in expected and (x1, y1) in expected and x1 - x0 == pytest.approx(1.6)
    above = {a.get_text(): a for a in ax.texts if a.get_gid() == "forward"}
    below = {a.get_text(): a for a in ax.texts if a.get_gid() == "backward"}
    assert set(above) == {"1", "2", "a", "b", "c", "y"} and set(below) == {"d1", "d2", "d3", "dy"}
    assert all(a.xyann[1] > 0 and a.get_color() == plots.VALUE_COLOR for a in above.values())
    assert all(a.xyann[1] < 0 and a.get_color() == plots.GRADIENT_COLOR for a in below.values())
