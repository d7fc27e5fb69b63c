"""Tests of bpcore.plots.digits: chapter 8's figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import bpcore
from bpcore import plots


def line(fig_or_ax, gid):
    """The one line with this gid anywhere on the figure (or axes)."""
    axes = fig_or_ax.axes if isinstance(fig_or_ax, Figure) else [fig_or_ax]
    found = [ln for ax in axes for ln in ax.lines if ln.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} lines with gid {gid!r}"
    return found[0]


@pytest.fixture(scope="module")
def digits():
    return bpcore.digits(test_fraction=0.25, seed=0)


def images_on(fig):
    return [image for ax in fig.axes for image in ax.images]


def fake_history(epochs=5):
    history = bpcore.History(weight_names=["0.W"])
    history.loss = list(np.geomspace(2, 0.1, epochs))
    history.accuracy = list(np.linspace(0.5, 0.99, epochs))
    return history


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


def test_draw_example_nudges_shows_each_digit_its_nudges_their_mean_and_the_cosines(digits):
    rng = np.random.default_rng(0)
    images, labels = digits.X_test[:4], digits.y_test[:4]
    nudges = rng.uniform(-1, 1, (4, 10))
    cosines = np.corrcoef(rng.standard_normal((4, 6)))
    fig = Figure()
    plots.draw_example_nudges(fig, images, labels, nudges, cosines)
    ax_nudges, ax_cosines = fig.axes
    shown = ax_nudges.images
    assert len(shown) == 5  # four digits, then the nudges
    for image, digit in zip(shown[:4], images, strict=True):
        np.testing.assert_array_equal(image.get_array(), digit.reshape(8, 8))
    table = shown[4].get_array()
    np.testing.assert_allclose(table[:4], nudges)
    np.testing.assert_allclose(table[4], nudges.mean(axis=0))  # the mean row
    (matrix,) = ax_cosines.images
    np.testing.assert_allclose(matrix.get_array(), cosines)
    for image in (shown[4], matrix):
        assert image.get_cmap().name == "RdBu_r"
        assert (image.norm.vmin, image.norm.vmax) == (-1, 1)
    written = [text.get_text() for text in ax_cosines.texts]
    assert len(written) == 16 and written[0] == "+1.0"
    assert [t.get_text() for t in ax_cosines.get_yticklabels()] == [str(k) for k in labels]
    with pytest.raises(ValueError, match="cosines of shape"):
        plots.draw_example_nudges(Figure(), images, labels, nudges, cosines[:3, :3])
