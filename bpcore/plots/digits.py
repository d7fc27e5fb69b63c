"""Chapter 8: digits."""

import numpy as np

from ..examples.digits import top_two
from .style import true_minus

#: Colour map of the digit images: white paper, dark ink.
DIGIT_CMAP = "gray_r"


def _digit(image):
    """One digit as an 8x8 array (from 64 pixels or 8x8)."""
    image = np.asarray(image, dtype=np.float64)
    if image.size != 64:
        raise ValueError(
            f"a digit has 64 pixels, got an array of shape {image.shape}"
        )
    return image.reshape(8, 8)


def _digit_axes(fig, n, ncols):
    """A grid of ``n`` image axes without ticks, ``ncols`` per row.

    Unused cells are hidden.
    """
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes:
        ax.set_axis_off()
    return axes[:n]


def draw_digit_grid(fig, images, titles=None, *, ncols=10, fontsize=10):
    """Digits in a grid, ``ncols`` per row, each with its title above it.

    A title is, for example, the digit's label. ``images`` has shape (n, 64)
    or (n, 8, 8) with pixels in [0, 1], drawn dark on white.

    Drawn in :doc:`/chapters/08_digits`.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    if titles is not None and len(titles) != len(images):
        raise ValueError(
            f"got {len(images)} images but {len(titles)} titles"
        )
    for position, ax in enumerate(_digit_axes(fig, len(images), ncols)):
        ax.imshow(_digit(images[position]), cmap=DIGIT_CMAP, vmin=0, vmax=1)
        if titles is not None:
            ax.set_title(str(titles[position]), fontsize=fontsize, pad=3)


def draw_training_curves(fig, history, test_accuracy=None):
    """Loss (left) and accuracy (right) per epoch from a ``bpcore.History``.

    ``test_accuracy`` (one value per epoch, e.g. computed in ``fit``'s
    progress callback) is drawn beside the training accuracy, and its last
    value is written on the plot.

    Drawn in :doc:`/chapters/08_digits`.
    """
    epochs = np.arange(1, history.epochs + 1)
    ax_loss, ax_acc = fig.subplots(1, 2)
    ax_loss.plot(epochs, history.loss, color="C0", lw=1.8, gid="loss")
    ax_loss.set_yscale("log")
    ax_loss.set(
        xlabel="epoch",
        ylabel="training loss (cross-entropy)",
        xlim=(0, epochs[-1]),
    )
    ax_loss.set_title("loss", fontsize=10)
    ax_acc.plot(
        epochs,
        100 * np.asarray(history.accuracy),
        color="C0",
        lw=1.8,
        label="training set",
        gid="train-accuracy",
    )
    if test_accuracy is not None:
        test = 100 * np.asarray(test_accuracy, dtype=np.float64)
        if len(test) != len(epochs):
            raise ValueError(
                f"got {len(test)} test accuracies for {len(epochs)} epochs"
            )
        ax_acc.plot(
            epochs,
            test,
            color="C1",
            lw=1.8,
            label="test set",
            gid="test-accuracy",
        )
        ax_acc.annotate(
            f"{test[-1]:.1f}%",
            (epochs[-1], test[-1]),
            xytext=(-4, -14),
            textcoords="offset points",
            ha="right",
            color="C1",
            fontsize=9,
        )
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", xlim=(0, epochs[-1]))
    ax_acc.grid(alpha=0.3)
    ax_acc.legend(loc="lower right", fontsize=9)
    ax_acc.set_title("accuracy", fontsize=10)
    fig.tight_layout()


def draw_confusion_matrix(fig, matrix, *, class_names=None):
    """A confusion matrix: row = true class, column = predicted class.

    Every count is written in its cell. Correct answers (the diagonal) are
    shaded blue, mistakes (off the diagonal) red, so the few mistakes stand
    out beside the many correct answers.

    Drawn in :doc:`/chapters/08_digits`.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"a confusion matrix is square, got shape {matrix.shape}"
        )
    k = len(matrix)
    names = [
        str(name)
        for name in (class_names if class_names is not None else range(k))
    ]
    diagonal = np.eye(k, dtype=bool)
    ax = fig.subplots()
    ax.imshow(
        np.ma.masked_where(~diagonal, matrix),
        cmap="Blues",
        vmin=0,
        vmax=max(matrix.max(), 1) * 1.4,
    )
    mistakes = np.ma.masked_where(diagonal | (matrix == 0), matrix)
    ax.imshow(
        mistakes,
        cmap="Reds",
        vmin=0,
        vmax=max(mistakes.max() if mistakes.count() else 1, 1) * 1.6,
    )
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(
                column,
                row,
                str(count),
                ha="center",
                va="center",
                fontsize=9,
                color="k" if row != column else "navy",
                gid="count",
            )
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set(xlabel="predicted class", ylabel="true class")
    ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.85", lw=0.6)
    ax.tick_params(which="minor", length=0)
    errors = int(matrix.sum() - np.trace(matrix))
    ax.set_title(
        f"{int(np.trace(matrix))} right (blue), {errors} wrong (red) of "
        f"{int(matrix.sum())}",
        fontsize=10,
    )
    fig.tight_layout()


def draw_misclassified(fig, images, labels, probabilities, *, ncols=6):
    """Misclassified digits: true label and the two most probable classes.

    Each title reads "true 4" over "8: 66%  4: 30%" (class: predicted
    probability).

    Drawn in :doc:`/chapters/08_digits`.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    classes, best = top_two(probabilities)
    if not len(images) == len(labels) == len(classes):
        raise ValueError(
            f"got {len(images)} images, {len(labels)} labels and "
            f"{len(classes)} rows of probabilities"
        )
    titles = [
        f"true {label}\n{c[0]}: {100 * p[0]:.0f}%\n{c[1]}: "
        f"{100 * p[1]:.0f}%"
        for label, c, p in zip(labels, classes, best, strict=True)
    ]
    draw_digit_grid(fig, images, titles, ncols=ncols, fontsize=9)
    fig.subplots_adjust(
        left=0.02, right=0.98, bottom=0.02, top=0.86, hspace=0.75
    )


def draw_input_gradients(
    fig, image, gradients, titles, *, image_title="input"
):
    """A digit beside heat maps of gradients with respect to its 64 pixels.

    Red pixels have a positive gradient (making them darker raises the
    quantity), blue a negative one. All heat maps share one symmetric colour
    scale; the digit's outline (ink above 0.5) is traced on each.

    Drawn in :doc:`/chapters/08_digits`.
    """
    from matplotlib import cm
    from matplotlib.colors import Normalize

    image = _digit(image)
    gradients = [_digit(g) for g in gradients]
    if len(titles) != len(gradients):
        raise ValueError(
            f"got {len(gradients)} gradients but {len(titles)} titles"
        )
    limit = max(max(float(np.abs(g).max()) for g in gradients), 1e-12)
    norm = Normalize(-limit, limit)
    grid = fig.add_gridspec(
        2,
        1 + len(gradients),
        height_ratios=[1, 0.05],
        hspace=0.35,
        left=0.02,
        right=0.98,
        top=0.88,
        bottom=0.2,
        wspace=0.12,
    )
    axes = [
        fig.add_subplot(grid[0, column])
        for column in range(1 + len(gradients))
    ]
    axes[0].imshow(image, cmap=DIGIT_CMAP, vmin=0, vmax=1)
    axes[0].set_title(image_title, fontsize=10)
    for ax, gradient, title in zip(
        axes[1:], gradients, titles, strict=True
    ):
        ax.imshow(gradient, cmap="RdBu_r", norm=norm)
        ax.contour(image, levels=[0.5], colors="k", linewidths=0.8)
        ax.set_title(title, fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    colorbar = fig.colorbar(
        cm.ScalarMappable(norm=norm, cmap="RdBu_r"),
        cax=fig.add_subplot(grid[1, 1:]),
        orientation="horizontal",
    )
    colorbar.set_label(
        "red: darkening this pixel raises it; blue: lowers it", fontsize=9
    )
    colorbar.ax.tick_params(labelsize=9)


def _signed_text(value):
    """A value for a cell: one decimal, true minus, blank if it is 0.0."""
    text = f"{value:+.1f}"
    return "" if text in ("+0.0", "-0.0") else true_minus(text)


def draw_example_nudges(fig, images, labels, nudges, cosines):
    """What each example of a batch wants, and how far the examples agree.

    Left: each example's digit and the nudges it wants for the 10 logits,
    y_i - p_i (red: raise, blue: lower), with their mean over the batch in
    the last row, the nudge the batch's gradient step makes. Right: the
    cosine between every two examples' gradients of all the weights (red:
    the same change, blue: opposite changes). ``nudges`` has shape (n, K),
    ``cosines`` (n, n); both are written in their cells.

    Drawn in :doc:`/chapters/08_digits`.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    nudges = np.asarray(nudges, dtype=np.float64)
    cosines = np.asarray(cosines, dtype=np.float64)
    n, k = nudges.shape
    if not len(images) == len(labels) == n or cosines.shape != (n, n):
        raise ValueError(
            f"got {len(images)} images, {len(labels)} labels, {n} rows of "
            f"nudges and cosines of shape {cosines.shape}"
        )
    from matplotlib.patches import Rectangle

    rows = np.vstack([nudges, nudges.mean(axis=0)])
    grid = fig.add_gridspec(
        1,
        2,
        width_ratios=[k + 1.8, n],
        left=0.01,
        right=0.99,
        top=0.84,
        bottom=0.12,
        wspace=0.12,
    )
    ax_nudges = fig.add_subplot(grid[0, 0])
    ax_cosines = fig.add_subplot(grid[0, 1])
    # each digit left of its row of nudges, in the same axes
    for row, (image, label) in enumerate(zip(images, labels, strict=True)):
        ax_nudges.imshow(
            _digit(image),
            cmap=DIGIT_CMAP,
            vmin=0,
            vmax=1,
            extent=(-1.6, -0.62, row + 0.49, row - 0.49),
        )
        ax_nudges.add_patch(
            Rectangle(
                (-1.6, row - 0.49), 0.98, 0.98, fill=False, lw=0.5, ec="0.6"
            )
        )
        ax_nudges.text(
            -1.75, row, str(label), ha="right", va="center", fontsize=8
        )
    ax_nudges.text(-0.6, n, "mean ", ha="right", va="center", fontsize=8)
    ax_nudges.add_patch(
        Rectangle((-0.5, -0.5), k, n + 1, fill=False, lw=0.8, zorder=3)
    )
    ax_nudges.set_frame_on(False)
    style = {"cmap": "RdBu_r", "vmin": -1, "vmax": 1}
    ax_nudges.imshow(rows, **style, extent=(-0.5, k - 0.5, n + 0.5, -0.5))
    ax_nudges.set(xlim=(-2.3, k - 0.5), ylim=(n + 0.5, -0.5))
    ax_nudges.plot([-0.5, k - 0.5], [n - 0.5, n - 0.5], color="k", lw=1.2)
    ax_cosines.imshow(cosines, **style)
    for ax, values in ((ax_nudges, rows), (ax_cosines, cosines)):
        for (row, column), value in np.ndenumerate(values):
            ax.text(
                column,
                row,
                _signed_text(value),
                ha="center",
                va="center",
                fontsize=6.5,
                color="w" if abs(value) > 0.6 else "k",
            )
    ax_nudges.set_xticks(range(k), [str(c) for c in range(k)])
    ax_nudges.set_yticks([])
    ax_nudges.set_xlabel("logit of class", fontsize=9)
    ax_nudges.set_title(
        "nudges each digit wants\n(red: raise, blue: lower)", fontsize=9
    )
    names = [str(label) for label in labels]
    ax_cosines.set_xticks(range(n), names)
    ax_cosines.set_yticks(range(n), names)
    ax_cosines.set_xlabel("example (its label)", fontsize=9)
    ax_cosines.set_title(
        "cosine of their weight gradients\n(red: agree, blue: oppose)",
        fontsize=9,
    )
    for ax in (ax_nudges, ax_cosines):
        ax.tick_params(labelsize=8, length=0)
