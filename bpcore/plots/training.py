"""Chapter 5: the backward pass."""

import numpy as np

from ..examples.training import training_regime
from ..losses import predict_classes
from .style import GRADIENT_COLOR, VALUE_COLOR

#: Colours of the classes in chapter 5's decision-boundary figures (class k:
#: colour k).
BOUNDARY_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")


def _model_dtype(model):
    parameters = model.parameters()
    return parameters[0].data.dtype if parameters else np.float64


def _ticks_inside(low, high):
    """Round tick positions clear of both ends of [low, high].

    A label at an end of the axis (5.0 at x = 5, say) sticks out of the
    panel, half of it, and runs into the first label of the panel beside it
    ("5.0−5.0"); these stay inside, at steps of 1, 2 or 5 times a power of
    ten (so 4, not 5.0 or 2.5).
    """
    from matplotlib.ticker import MaxNLocator

    ticks = MaxNLocator(nbins=5, steps=[1, 2, 5, 10]).tick_values(low, high)
    clear = 0.05 * (high - low)
    return ticks[(ticks >= low + clear) & (ticks <= high - clear)]


def draw_decision_boundary(
    ax,
    model,
    X,
    y,
    *,
    resolution=100,
    margin=0.3,
    limits=None,
    title=None,
    markersize=16,
):
    """Colour the plane by the class ``model`` predicts, samples on top.

    The plane is a ``resolution`` x ``resolution`` grid over the data's
    range widened by ``margin`` (or over ``limits = ((x_min, x_max), (y_min,
    y_max))``); class k is drawn in ``BOUNDARY_COLORS[k]``, pale for
    regions, full for the samples. Returns the grid of predicted classes
    (``resolution`` x ``resolution``, rows = second coordinate).

    Drawn in :doc:`/chapters/05_backward_pass`.
    """
    from matplotlib.colors import to_rgb

    X, y = np.asarray(X), np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(
            "a decision boundary needs 2-D inputs X of shape (n, 2), got "
            f"{X.shape}"
        )
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if limits is None:
        low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
        limits = ((low[0], high[0]), (low[1], high[1]))
    (x_min, x_max), (y_min, y_max) = limits
    xs, ys = (
        np.linspace(x_min, x_max, resolution),
        np.linspace(y_min, y_max, resolution),
    )
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()]).astype(
        _model_dtype(model)
    )
    with np.errstate(over="ignore", invalid="ignore"):
        classes = predict_classes(model(points)).reshape(grid_x.shape)
    n_classes = max(
        int(y.max()) + 1 if y.size else 0, int(classes.max()) + 1, 2
    )
    if n_classes > len(BOUNDARY_COLORS):
        raise ValueError(
            f"at most {len(BOUNDARY_COLORS)} classes can be drawn, got "
            f"{n_classes}"
        )
    colors = np.array(
        [to_rgb(color) for color in BOUNDARY_COLORS[:n_classes]]
    )
    pale = 1 - 0.28 * (1 - colors)  # each class colour, mostly white
    ax.imshow(
        pale[classes],
        origin="lower",
        extent=(x_min, x_max, y_min, y_max),
        interpolation="nearest",
        aspect="auto",
        gid="regions",
    )
    ax.contour(
        grid_x,
        grid_y,
        classes,
        levels=np.arange(n_classes - 1) + 0.5,
        colors="0.35",
        linewidths=0.8,
    )
    ax.scatter(
        X[:, 0],
        X[:, 1],
        c=colors[y.astype(int)],
        s=markersize,
        edgecolors="k",
        linewidths=0.4,
        zorder=3,
    )
    ax.set(
        xlim=(x_min, x_max),
        ylim=(y_min, y_max),
        xticks=_ticks_inside(x_min, x_max),
        yticks=_ticks_inside(y_min, y_max),
        xlabel="$x_1$",
        ylabel="$x_2$",
    )
    ax.set_aspect("equal", adjustable="box")
    if title is not None:
        ax.set_title(title, fontsize=10)
    return classes


def draw_loss_curve(
    ax, history, *, color="C0", label=None, logy=True, ylim=None
):
    """The training loss per epoch from a ``bpcore.History``.

    The scale is logarithmic unless ``logy`` is False.

    A run that diverged ends in a red cross at its last finite loss, with
    the epoch in which the loss stopped being finite written beside it.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    epochs = np.arange(1, history.epochs + 1)
    if ylim is None and logy:
        # Limits a factor of 2 beyond the data, set before plotting, and at
        # most 1e150: matplotlib's margins and log ticks overflow for a
        # diverging run whose loss reaches ~1e300 (such a curve leaves the
        # top of the axes instead).
        loss = np.asarray(history.loss, dtype=np.float64)
        loss = loss[np.isfinite(loss) & (loss > 0)]
        if loss.size:
            ylim = (min(loss.min() / 2, 1e149), min(loss.max() * 2, 1e150))
    if logy:
        from matplotlib.ticker import NullLocator

        ax.set_yscale("log")
        if ylim is not None and ylim[1] / ylim[0] > 1e3:
            # many decades: label decades only
            ax.yaxis.set_minor_locator(NullLocator())
    if ylim is not None:
        ax.set_ylim(ylim)
    ax.plot(
        epochs, history.loss, color=color, lw=1.6, label=label, gid="loss"
    )
    if history.diverged:
        stop = history.epochs + 1
        if history.loss:
            ax.plot(
                epochs[-1],
                history.loss[-1],
                "x",
                color=GRADIENT_COLOR,
                ms=10,
                mew=2.5,
            )
        ax.text(
            0.97,
            0.92,
            f"diverged in epoch {stop}",
            transform=ax.transAxes,
            ha="right",
            va="top",
            color=GRADIENT_COLOR,
            fontsize=10,
            gid="diverged",
            zorder=4,
            bbox={
                "boxstyle": "round,pad=0.2",
                "fc": "white",
                "ec": "none",
                "alpha": 0.85,
            },
        )
    ax.set(xlabel="epoch", ylabel="training loss")
    ax.grid(alpha=0.3)


def draw_training_run(
    fig,
    model,
    history,
    X,
    y,
    *,
    title=None,
    loss_ylim=(0.02, 1e6),
    markersize=10,
):
    """Loss curve (left) and decision boundary (right) after a training run.

    A run that diverged has no trustworthy weights: the right panel then
    shows the data and says so instead of drawing a boundary. The layout is
    fixed (no tight_layout), so the frames of an explorer line up and draw
    quickly.

    Drawn in :doc:`/chapters/05_backward_pass`.
    """
    ax_loss, ax_data = fig.subplots(
        1,
        2,
        gridspec_kw={
            "width_ratios": [1.3, 1],
            "left": 0.1,
            "right": 0.98,
            "bottom": 0.14,
            "top": 0.84 if title else 0.9,
            "wspace": 0.3,
        },
    )
    draw_loss_curve(ax_loss, history, ylim=loss_ylim)
    ax_loss.set_xlim(0, max(history.epochs, 1))
    if history.diverged:
        y = np.asarray(y).astype(int)
        ax_data.scatter(
            X[:, 0],
            X[:, 1],
            c=[BOUNDARY_COLORS[k] for k in y],
            s=markersize,
            edgecolors="k",
            linewidths=0.4,
        )
        ax_data.set(xlabel="$x_1$", ylabel="$x_2$")
        ax_data.set_aspect("equal", adjustable="box")
        ax_data.set_title("no boundary: the weights blew up", fontsize=10)
    else:
        accuracy = history.accuracy[-1] if history.accuracy else None
        label = (
            "decision boundary"
            if accuracy is None
            else f"training accuracy {accuracy:.0%}"
        )
        draw_decision_boundary(
            ax_data, model, X, y, title=label, markersize=markersize
        )
    ax_loss.set_title("loss per epoch", fontsize=10)
    if title is not None:
        fig.suptitle(title, fontsize=11)


def draw_lr_spiral(fig, lr, *, runs):
    """Explorer frame: the spiral classifier at learning rate ``lr``.

    ``runs`` maps learning rates to finished runs ``(model, history, X, y)``
    of :func:`bpcore.examples.train_spiral`. The title names the regime
    (:func:`bpcore.examples.training_regime`).

    Drawn in :doc:`/chapters/05_backward_pass`.
    """
    model, history, X, y = runs[lr]
    regime = training_regime(history)
    if history.diverged:
        outcome = f"diverged after {history.epochs} epochs"
    else:
        outcome = f"final loss {history.loss[-1]:.3g}"
    draw_training_run(
        fig,
        model,
        history,
        X,
        y,
        title=f"$\\eta = {lr:g}$: {regime} ({outcome})",
    )


def draw_network(
    ax,
    layer_sizes,
    *,
    forward=None,
    backward=None,
    layer_labels=None,
    node_labels=None,
    edge_labels=None,
    edge_label_at=0.25,
    fontsize=9,
    spacing=(1.6, 1.0),
    node_size=26,
):
    """A small fully connected network: one column of nodes per layer.

    ``forward[l][j]`` is text written above node j of layer l in
    ``VALUE_COLOR`` (forward values), ``backward[l][j]`` text written below
    it in ``GRADIENT_COLOR`` (gradients), ``node_labels[l][j]`` the name
    inside the node, ``layer_labels[l]`` the caption under a column, and
    ``edge_labels[l][i][j]`` text on the edge from node i of layer l to node
    j of layer l + 1, placed the fraction ``edge_label_at`` of the way along
    it (one number, or one per gap between layers). Entries may be None or
    "" to leave something out. ``spacing`` is the (horizontal, vertical)
    distance between nodes in data units, ``node_size`` the node diameter in
    points.

    Drawn in :doc:`/chapters/05_backward_pass`.
    """
    sizes = list(layer_sizes)
    dx, dy = spacing
    along = np.broadcast_to(
        np.asarray(edge_label_at, dtype=np.float64), (len(sizes) - 1,)
    )

    def xy(layer, node):
        return layer * dx, ((sizes[layer] - 1) / 2 - node) * dy

    def entry(table, *index):
        for i in index:
            if table is None:
                return None
            table = table[i]
        return table

    for layer in range(len(sizes) - 1):
        for i in range(sizes[layer]):
            for j in range(sizes[layer + 1]):
                (x0, y0), (x1, y1) = xy(layer, i), xy(layer + 1, j)
                ax.plot([x0, x1], [y0, y1], color="0.72", lw=1, zorder=1)
                text = entry(edge_labels, layer, i, j)
                if text:
                    t = along[layer]
                    ax.text(
                        x0 + t * (x1 - x0),
                        y0 + t * (y1 - y0),
                        text,
                        fontsize=fontsize,
                        ha="center",
                        va="center",
                        color="0.3",
                        zorder=2,
                        gid="edge",
                        bbox={
                            "boxstyle": "round,pad=0.1",
                            "fc": "white",
                            "ec": "none",
                        },
                    )
    offset = node_size / 2 + 2
    for layer, size in enumerate(sizes):
        for node in range(size):
            x, y = xy(layer, node)
            ax.plot(
                x,
                y,
                "o",
                ms=node_size,
                mfc="white",
                mec="0.2",
                mew=1.2,
                zorder=3,
            )
            label = entry(node_labels, layer, node)
            if label:
                ax.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=fontsize + 1,
                    zorder=4,
                )
            # forward values above the node, gradients below it
            for values, shift, va, colour, gid in (
                (forward, offset, "bottom", VALUE_COLOR, "forward"),
                (backward, -offset, "top", GRADIENT_COLOR, "backward"),
            ):
                text = entry(values, layer, node)
                if text:
                    ax.annotate(
                        text,
                        (x, y),
                        xytext=(0, shift),
                        textcoords="offset points",
                        ha="center",
                        va=va,
                        color=colour,
                        fontsize=fontsize,
                        zorder=5,
                        gid=gid,
                    )
        caption = entry(layer_labels, layer)
        if caption:
            ax.text(
                layer * dx,
                -(max(sizes) - 1) / 2 * dy - 0.75 * dy,
                caption,
                ha="center",
                va="top",
                fontsize=fontsize,
                color="0.25",
            )
    half = (max(sizes) - 1) / 2 * dy
    ax.set(
        xlim=(-0.45 * dx, (len(sizes) - 1) * dx + 0.45 * dx),
        ylim=(-half - 1.2 * dy, half + 0.6 * dy),
    )
    ax.set_axis_off()
