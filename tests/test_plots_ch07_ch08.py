"""Tests of the chapter-7 (optimizers) and chapter-8 (digits) figures in bpcore.plots."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import bpcore
from bpcore import examples, plots
from bpcore.examples import landscapes
from bpcore.optim import SGD
from bpcore.widgets import render_frames


def line(fig_or_ax, gid):
    """The one line with this gid anywhere on the figure (or axes)."""
    axes = fig_or_ax.axes if isinstance(fig_or_ax, Figure) else [fig_or_ax]
    found = [ln for ax in axes for ln in ax.lines if ln.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} lines with gid {gid!r}"
    return found[0]


# --- chapter 7 -------------------------------------------------------------------------


@pytest.mark.parametrize("losses, tol, expected", [
    ([5, 3, 0.5, 0.1], 1, 2),
    ([5, 0.5, 3, 0.5, 0.1], 1, 3),  # dipped below and came back: counts from the last entry
    ([0.5, 0.1], 1, 0),
    ([5, 3, 2], 1, None),
    ([5, 0.5, 2], 1, None),
    ([5, np.nan, 0.5], 1, 2),
])
def test_steps_to_reach(losses, tol, expected):
    assert examples.steps_to_reach(losses, tol) == expected


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


# --- chapter 8 -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def digits():
    return bpcore.digits(test_fraction=0.25, seed=0)


def images_on(fig):
    return [image for ax in fig.axes for image in ax.images]


def test_draw_digit_grid_shows_each_image_with_its_title(digits):
    fig = Figure()
    plots.draw_digit_grid(fig, digits.X_train[:12], digits.y_train[:12], ncols=5)
    shown = images_on(fig)
    assert len(shown) == 12 and len(fig.axes) == 15  # 3 rows of 5, the last three hidden
    np.testing.assert_array_equal(shown[3].get_array(), digits.X_train[3].reshape(8, 8))
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == [str(label) for label in digits.y_train[:12]]


def test_draw_digit_grid_rejects_bad_input(digits):
    with pytest.raises(ValueError, match="titles"):
        plots.draw_digit_grid(Figure(), digits.X_train[:3], ["a", "b"])
    with pytest.raises(ValueError, match="64 pixels"):
        plots.draw_digit_grid(Figure(), np.zeros((2, 10)))


def fake_history(epochs=5):
    history = bpcore.History(weight_names=["0.W"])
    history.loss = list(np.geomspace(2, 0.1, epochs))
    history.accuracy = list(np.linspace(0.5, 0.99, epochs))
    return history


def test_draw_training_curves_draws_loss_and_both_accuracies():
    history = fake_history()
    test_accuracy = np.linspace(0.4, 0.97, 5)
    fig = Figure()
    plots.draw_training_curves(fig, history, test_accuracy)
    np.testing.assert_array_equal(line(fig, "loss").get_ydata(), history.loss)
    np.testing.assert_allclose(line(fig, "test-accuracy").get_ydata(), 100 * test_accuracy)
    np.testing.assert_array_equal(line(fig, "train-accuracy").get_xdata(), np.arange(1, 6))
    assert any(text.get_text() == "97.0%" for text in fig.axes[1].texts)


def test_draw_training_curves_checks_the_test_accuracies():
    with pytest.raises(ValueError, match="epochs"):
        plots.draw_training_curves(Figure(), fake_history(), [0.5, 0.6])


def test_draw_confusion_matrix_writes_every_nonzero_count():
    matrix = np.array([[5, 1, 0], [0, 4, 2], [0, 0, 6]])
    fig = Figure()
    plots.draw_confusion_matrix(fig, matrix, class_names=["a", "b", "c"])
    ax = fig.axes[0]
    counts = [int(text.get_text()) for text in ax.texts if text.get_gid() == "count"]
    assert sorted(counts) == [1, 2, 4, 5, 6] and sum(counts) == matrix.sum()
    assert "15 right" in ax.get_title() and "3 wrong" in ax.get_title()
    assert [label.get_text() for label in ax.get_xticklabels()] == ["a", "b", "c"]


def test_draw_confusion_matrix_without_mistakes_and_bad_shapes():
    plots.draw_confusion_matrix(Figure(), np.diag([3, 4]))
    with pytest.raises(ValueError, match="square"):
        plots.draw_confusion_matrix(Figure(), np.zeros((2, 3)))


def test_top_two():
    classes, probabilities = examples.top_two([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    assert classes.tolist() == [[1, 2], [0, 2]]
    np.testing.assert_allclose(probabilities, [[0.6, 0.3], [0.5, 0.3]])


def test_draw_misclassified_titles_name_the_two_best_classes(digits):
    probabilities = np.full((2, 10), 0.02)
    probabilities[0, [8, 4]] = [0.66, 0.18]
    probabilities[1, [1, 6]] = [0.97, 0.01]
    fig = Figure()
    plots.draw_misclassified(fig, digits.X_test[:2], [4, 6], probabilities)
    titles = [ax.get_title() for ax in fig.axes if ax.images]
    assert titles == ["true 4\n8: 66%\n4: 18%", "true 6\n1: 97%\n0: 2%"]
    with pytest.raises(ValueError):
        plots.draw_misclassified(Figure(), digits.X_test[:2], [4], probabilities)


def test_draw_input_gradients_uses_one_symmetric_red_blue_scale(digits):
    rng = np.random.default_rng(0)
    gradients = [rng.standard_normal(64), 3 * rng.standard_normal(64)]
    fig = Figure()
    plots.draw_input_gradients(fig, digits.X_test[0], gradients, ["wrong", "true"])
    shown = images_on(fig)
    assert len(shown) == 3
    limit = max(np.abs(g).max() for g in gradients)
    for image, gradient in zip(shown[1:], gradients, strict=True):
        assert image.get_cmap().name == "RdBu_r"
        assert image.norm.vmin == -limit and image.norm.vmax == limit
        np.testing.assert_array_equal(image.get_array(), gradient.reshape(8, 8))
    assert [ax.get_title() for ax in fig.axes[1:3]] == ["wrong", "true"]
    with pytest.raises(ValueError, match="titles"):
        plots.draw_input_gradients(Figure(), digits.X_test[0], gradients, ["one"])
