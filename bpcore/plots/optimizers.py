"""Chapter 7: optimizers."""

import numpy as np

from ..examples import landscapes
from ..examples.optimizers import critical_damping, steps_to_reach
from ..optim import SGD

#: One colour per optimizer, the same in every figure of chapter 7.
OPTIMIZER_COLORS = {
    "gradient descent": "0.3",
    "momentum": "C0",
    "Nesterov": "C4",
    "RMSprop": "C2",
    "Adam": "C1",
}

#: Where the walks on ``landscapes.narrow_valley`` start in chapter 7.
VALLEY_START = (-9.0, 1.5)
#: Plain gradient descent's learning rate on the valley, the baseline of the
#: explorer.
VALLEY_GD_LR = 0.45


def _optimizer_color(name, index):
    """The colour of an optimizer by (the start of) its name.

    Other names get the index-th colour.
    """
    for key, color in OPTIMIZER_COLORS.items():
        if name.startswith(key):
            return color
    return f"C{index % 10}"


def draw_paths_1d(fig, paths, *, minimum=2.0, ylim=None):
    """Walks on a 1-D loss, one per optimizer.

    Left: w_t per step. Right: |w_t - minimum|. ``paths`` maps a name (its
    start picks the colour from ``OPTIMIZER_COLORS``) to the iterates w_0,
    w_1, ...

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    ax_w, ax_error = fig.subplots(1, 2)
    for index, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        color = _optimizer_color(name, index)
        ax_w.plot(
            path,
            "o-",
            color=color,
            ms=2.5,
            lw=1.3,
            label=name,
            gid=f"path:{name}",
        )
        ax_error.semilogy(
            np.maximum(np.abs(path - minimum), 1e-300), color=color, lw=1.5
        )
    ax_w.axhline(minimum, color="0.6", ls=":", lw=1)
    ax_w.set(xlabel="step $t$", ylabel="$w_t$")
    if ylim is not None:
        ax_w.set_ylim(ylim)
    ax_w.set_title("the walk", fontsize=10)
    ax_error.set(
        xlabel="step $t$", ylabel=f"$|w_t - {minimum:g}|$", ylim=(1e-8, 1e2)
    )
    ax_error.set_title("distance to the minimum", fontsize=10)
    ncols = min(len(paths), 3)
    rows = -(-len(paths) // ncols)
    fig.legend(loc="lower center", ncols=ncols, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.075 * rows + 0.02, 1, 1))


def draw_contours(
    ax, loss, *, xlim, ylim, levels, resolution=200, minima=()
):
    """Contour lines of a 2-D loss over a box, its minima marked as stars.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    w1 = np.linspace(*xlim, resolution)
    w2 = np.linspace(*ylim, resolution)
    grid = np.stack(np.meshgrid(w1, w2), axis=-1)
    ax.contour(
        w1,
        w2,
        loss(grid),
        levels=levels,
        colors="0.7",
        linewidths=0.7,
        negative_linestyles="solid",
    )
    for point in minima:
        ax.plot(*point, "*", color="gold", mec="k", ms=12, zorder=4)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w_1$", ylabel="$w_2$")
    ax.set_aspect("equal")


def draw_paths_2d(
    ax, loss, paths, *, xlim, ylim, levels, minima=(), ms=2.5, legend=True
):
    """Walks on the contour map of a 2-D loss, one colour per optimizer.

    ``paths`` maps a name to iterates of shape (steps + 1, 2); each line has
    the gid ``"path:<name>"``. The start is a black ring.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    draw_contours(
        ax, loss, xlim=xlim, ylim=ylim, levels=levels, minima=minima
    )
    for index, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        ax.plot(
            path[:, 0],
            path[:, 1],
            "o-",
            color=_optimizer_color(name, index),
            ms=ms,
            lw=1.1,
            label=name,
            gid=f"path:{name}",
            clip_on=True,
        )
        ax.plot(*path[0], "o", ms=8, mfc="none", mec="k", mew=1.2, zorder=5)
    if legend and paths:
        ax.legend(fontsize=9, loc="lower right", framealpha=0.9)


#: Contour levels of the valley plots (log-spaced, so the valley floor shows
#: too).
VALLEY_LEVELS = np.geomspace(0.02, 40, 10)


def draw_valley_explorer(
    fig, lr, momentum, *, w0=VALLEY_START, steps=60, tol=1e-3
):
    """SGD with learning rate ``lr`` and ``momentum`` on the narrow valley.

    Top: the path on the contour map. Bottom: the loss per step (log scale)
    beside plain gradient descent with ``VALLEY_GD_LR`` (grey, dashed). The
    title says from which step the loss stays below ``tol``, or that the
    walk diverges.

    Drawn in :doc:`/chapters/07_optimizers`.
    """

    def make(params):
        return SGD(params, lr=lr, momentum=momentum)

    path = landscapes.optimizer_path(
        landscapes.narrow_valley_grad, w0, make, steps
    )
    baseline = landscapes.descend(
        landscapes.narrow_valley_grad, w0, VALLEY_GD_LR, steps
    )
    losses = landscapes.narrow_valley(path)
    grid = fig.add_gridspec(
        2,
        1,
        height_ratios=[1.25, 1],
        hspace=0.5,
        left=0.12,
        right=0.97,
        top=0.9,
        bottom=0.13,
    )
    ax_map, ax_loss = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    name = "momentum" if momentum else "gradient descent"
    draw_paths_2d(
        ax_map,
        landscapes.narrow_valley,
        {name: path},
        xlim=(-10, 2.5),
        ylim=(-2.2, 2.2),
        levels=VALLEY_LEVELS,
        minima=[(0, 0)],
        legend=False,
    )
    ax_map.set_ylabel("$w_2$", labelpad=0)
    ax_loss.semilogy(
        landscapes.narrow_valley(baseline),
        "--",
        color="0.55",
        lw=1.2,
        label=f"gradient descent, $\\eta = {VALLEY_GD_LR:g}$",
    )
    ax_loss.semilogy(
        losses,
        color=_optimizer_color(name, 0),
        lw=1.6,
        label=f"$\\eta = {lr:g}$, $\\mu = {momentum:g}$",
        gid="loss",
    )
    ax_loss.axhline(tol, color="0.6", ls=":", lw=1)
    ax_loss.set(
        xlim=(0, steps),
        ylim=(1e-6, 1e3),
        xlabel="step $t$",
        ylabel=r"$\mathcal{L}(w_t)$",
    )
    ax_loss.set_yticks([1e-6, 1e-3, 1, 1e3])
    ax_loss.legend(fontsize=9, loc="upper right", ncols=2)
    reached = (
        steps_to_reach(losses, tol) if len(path) == steps + 1 else None
    )
    if len(path) < steps + 1 or losses[-1] > losses[0]:
        outcome = "diverges"
    elif reached is None:
        outcome = f"loss not yet below {tol:g} after {steps} steps"
    else:
        outcome = f"loss below {tol:g} from step {reached}"
    fig.suptitle(
        f"$\\eta = {lr:g}$, $\\mu = {momentum:g}$: {outcome}", fontsize=11
    )


def draw_path_panels(
    fig, loss, paths, *, ncols=2, titles=None, **contour_options
):
    """One contour map per walk, side by side.

    ``paths`` maps a name to its iterates. ``contour_options`` (xlim, ylim,
    levels, minima) go to :func:`draw_paths_2d`; the panel titles are the
    names unless ``titles`` gives others.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    n = len(paths)
    nrows = -(-n // ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    titles = list(paths) if titles is None else list(titles)
    for ax, (name, path), title in zip(
        axes, paths.items(), titles, strict=False
    ):
        draw_paths_2d(
            ax, loss, {name: path}, legend=False, **contour_options
        )
        ax.set_title(title, fontsize=10)
        ax.label_outer()
    for ax in axes[n:]:
        ax.set_axis_off()
    fig.tight_layout()


def draw_steps_vs_lr(ax, lrs, steps, *, budget):
    """Steps each optimizer needs to reach a tolerance, by learning rate.

    ``steps`` maps an optimizer's name to one count per learning rate, None
    where it did not get there within ``budget`` steps (drawn as a cross at
    the top of the plot).

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    for index, (name, counts) in enumerate(steps.items()):
        color = _optimizer_color(name, index)
        reached = [
            (lr, count)
            for lr, count in zip(lrs, counts, strict=True)
            if count is not None
        ]
        missed = [
            lr
            for lr, count in zip(lrs, counts, strict=True)
            if count is None
        ]
        if reached:
            ax.plot(
                *zip(*reached, strict=True),
                "o-",
                color=color,
                ms=4,
                lw=1.3,
                label=name,
                gid=f"steps:{name}",
            )
        ax.plot(
            missed,
            [budget * 1.2 * 1.3**index] * len(missed),
            "x",
            color=color,
            ms=6,
        )
    ax.axhline(budget, color="0.7", ls=":", lw=1)
    ax.text(
        lrs[0],
        budget * 1.2 * 1.3 ** len(steps),
        "×: not within the budget",
        fontsize=9,
        va="bottom",
    )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=r"learning rate $\eta$",
        ylabel="steps to reach the tolerance",
        ylim=(3, budget * 1.2 * 1.3 ** (len(steps) + 2)),
    )
    ax.legend(fontsize=9, loc="lower left")


def draw_batch_noise(fig, runs, loss, *, xlim, ylim, levels, minimum):
    """Mini-batch SGD with several batch sizes on one two-parameter problem.

    ``runs`` maps a label (e.g. the batch size) to ``(epochs, losses,
    params)``: the training-set loss after every update, at its epoch
    (updates × batch / n), and the parameters (shape (updates + 1, 2)).
    Left: loss per epoch (log scale). Right: the parameter paths on the
    contour map of ``loss``, with the minimum as a star.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    ax_loss, ax_map = fig.subplots(
        1, 2, gridspec_kw={"width_ratios": [1.2, 1]}
    )
    draw_contours(
        ax_map, loss, xlim=xlim, ylim=ylim, levels=levels, minima=[minimum]
    )
    for index, (label, (epochs, losses, params)) in enumerate(runs.items()):
        color = f"C{index}"
        ax_loss.semilogy(
            epochs,
            losses,
            color=color,
            lw=1.1,
            label=label,
            gid=f"loss:{label}",
        )
        params = np.asarray(params)
        ax_map.plot(
            params[:, 0], params[:, 1], color=color, lw=0.8, alpha=0.85
        )
    ax_loss.set(
        xlabel="epoch (passes over the data)", ylabel="training loss (MSE)"
    )
    ax_loss.set_yticks([0.3, 0.5, 1, 2, 4], ["0.3", "0.5", "1", "2", "4"])
    ax_loss.minorticks_off()
    ax_loss.legend(fontsize=9, title="batch size", title_fontsize=9)
    ax_loss.set_title("loss after every update", fontsize=10)
    ax_map.set(xlabel="$w$", ylabel="$b$")
    ax_map.set_title("the parameters' paths", fontsize=10)
    fig.tight_layout()


def draw_lr_range_test(ax, lrs, losses, *, smoothed=None, suggestion=None):
    """A learning-rate range test: each step's loss against its rate.

    ``smoothed`` (same length) is drawn over the raw losses; ``suggestion``
    is marked with a vertical line.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    ax.semilogx(lrs, losses, color="0.7", lw=1, label="loss of each step")
    if smoothed is not None:
        ax.semilogx(
            lrs,
            smoothed,
            color="C0",
            lw=1.8,
            label="smoothed",
            gid="smoothed",
        )
    if suggestion is not None:
        ax.axvline(
            suggestion,
            color="C1",
            ls="--",
            lw=1.3,
            label=f"suggested $\\eta$ = {suggestion:.2g}",
        )
    ax.set(
        xlabel=r"learning rate $\eta$ (log scale)", ylabel="training loss"
    )
    ax.legend(fontsize=9)


def draw_condition_sweep(ax, kappas, steps, *, tol):
    """Steps to a tolerance against the condition number κ, log-log.

    ``steps`` maps a method's name (its start picks the colour) to one
    count per κ. Dashed lines are the predictions for loss ratio ``tol``:
    κ ln(1/tol) / 4 (slope 1) and √κ ln(1/tol) / 4 (slope 1/2).

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    kappas = np.asarray(kappas, dtype=np.float64)
    scale = np.log(1 / tol) / 4
    ax.loglog(
        kappas,
        scale * kappas,
        "--",
        color=_optimizer_color("gradient descent", 0),
        lw=1,
        label=r"slope 1: $\kappa \ln(1/\mathrm{tol}) / 4$",
    )
    ax.loglog(
        kappas,
        scale * np.sqrt(kappas),
        "--",
        color=_optimizer_color("momentum", 1),
        lw=1,
        label=r"slope 1/2: $\sqrt{\kappa} \ln(1/\mathrm{tol}) / 4$",
    )
    for index, (name, counts) in enumerate(steps.items()):
        ax.loglog(
            kappas,
            np.asarray(counts, dtype=np.float64),
            "o-",
            color=_optimizer_color(name, index),
            ms=5,
            lw=1.4,
            label=name,
            gid=f"steps:{name}",
        )
    ax.set(
        xlabel=r"condition number $\kappa = \lambda_{max} / \lambda_{min}$",
        ylabel="steps to the tolerance",
    )
    ax.legend(fontsize=9, loc="upper left")


def draw_rate_map(
    ax,
    etas,
    mus,
    rates,
    *,
    eigenvalues=(),
    optimum=None,
    gradient_descent=None,
    points=(),
    vmax=1000,
):
    """The convergence rate of momentum over the (η, μ) plane, a heat map.

    ``rates`` has shape (len(mus), len(etas)), e.g. from
    ``examples.rate_map``; it is coloured as the steps that shrink the
    error tenfold, ln 10 / ln(1/rate), on a log scale up to ``vmax``, and
    the region where it diverges (rate ≥ 1) is grey and hatched. Drawn on
    top: each eigenvalue's critical-damping curve μ = (1 - √(ηλ))², the
    ``optimum`` (η, μ) as a star, gradient descent's best η (at μ = 0) as
    a diamond and ``points`` (pairs (η, μ)) as dots; the legend goes below
    the axes. Returns the colour bar.

    Drawn in :doc:`/chapters/07_optimizers`.
    """
    from matplotlib import patheffects
    from matplotlib.colors import LogNorm

    etas = np.asarray(etas, dtype=np.float64)
    mus = np.asarray(mus, dtype=np.float64)
    rates = np.asarray(rates, dtype=np.float64)
    converges = rates < 1
    with np.errstate(divide="ignore"):
        tenfold = np.log(10) / -np.log(np.where(converges, rates, 0.5))
    tenfold = np.where(converges, np.minimum(tenfold, vmax), np.nan)
    finite = tenfold[np.isfinite(tenfold)]
    vmin = max(finite.min(), 1.0) if finite.size else 1.0
    image = ax.pcolormesh(
        etas,
        mus,
        tenfold,
        norm=LogNorm(vmin=vmin, vmax=vmax),
        cmap="viridis_r",
        shading="nearest",
        rasterized=True,
        gid="rate-map",
    )
    ax.contourf(
        etas,
        mus,
        (~converges).astype(float),
        levels=[0.5, 1.5],
        colors=["0.8"],
        hatches=["//"],
        zorder=3,
    )
    ax.contour(
        etas,
        mus,
        rates,
        levels=[1.0],
        colors="0.3",
        linewidths=1.0,
        zorder=3,
    )
    styles = ["-", "--", ":", "-."]
    for index, lam in enumerate(eigenvalues):
        ax.plot(
            etas,
            critical_damping(etas, lam),
            styles[index % len(styles)],
            color="w",
            lw=1.6,
            path_effects=[
                patheffects.Stroke(linewidth=2.8, foreground="0.2"),
                patheffects.Normal(),
            ],
            label=f"critical damping, $\\lambda = {lam:g}$",
            gid=f"critical:{lam:g}",
        )
    if len(points):
        points = np.asarray(points, dtype=np.float64)
        ax.plot(
            points[:, 0],
            points[:, 1],
            "o",
            color="w",
            mec="k",
            mew=0.6,
            ms=3.5,
            ls="none",
            zorder=4,
            label="the explorer's grid",
            gid="points",
        )
    if gradient_descent is not None:
        ax.plot(
            gradient_descent,
            0,
            "D",
            color="0.3",
            mec="w",
            ms=7,
            ls="none",
            clip_on=False,
            zorder=5,
            label="best gradient descent",
            gid="gradient-descent",
        )
    if optimum is not None:
        ax.plot(
            *optimum,
            "*",
            color="gold",
            mec="k",
            ms=14,
            ls="none",
            zorder=5,
            label="best momentum",
            gid="optimum",
        )
    ax.text(
        etas[-1] - 0.02 * (etas[-1] - etas[0]),
        mus[0] + 0.04 * (mus[-1] - mus[0]),
        "diverges",
        ha="right",
        va="bottom",
        fontsize=9,
        bbox={"fc": "0.8", "ec": "none", "pad": 1.5},
        zorder=4,
    )
    ax.set(
        xlim=(etas[0], etas[-1]),
        ylim=(mus[0], mus[-1]),
        xlabel=r"learning rate $\eta$",
        ylabel=r"momentum $\mu$",
    )
    ax.legend(
        fontsize=8.5,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.16),
        ncols=2,
        frameon=False,
    )
    colorbar = ax.figure.colorbar(image, ax=ax, pad=0.02)
    colorbar.set_label("steps per tenfold shrink of the error", fontsize=9)
    colorbar.ax.tick_params(labelsize=9)
    return colorbar
