"""Chapter 1: gradient descent."""

import numpy as np

from ..examples import landscapes
from .style import true_minus

#: Colour of descent paths in chapter 1 (and of the "where you stand"
#: marker).
PATH_COLOR = "C1"


def path_on_curve(ax, loss, path, *, wlim, ylim=None, cmap="viridis"):
    """Draw the curve L(w) over ``wlim`` and on it the path (w_t, L(w_t)).

    The iterates are dots coloured from the first step (dark) to the last
    (light), joined by thin lines so that jumps across a valley show as
    crossing lines. The path line has ``gid="descent-path"``.

    Drawn in :doc:`/chapters/01_gradient_descent`.
    """
    w = np.linspace(*wlim, 400)
    ax.plot(w, loss(w), color="0.25", lw=1.5)
    path = np.asarray(path, dtype=np.float64)
    heights = loss(path)
    ax.plot(
        path,
        heights,
        color=PATH_COLOR,
        lw=0.8,
        alpha=0.7,
        gid="descent-path",
    )
    ax.scatter(
        path,
        heights,
        c=np.arange(len(path)),
        cmap=cmap,
        s=22,
        zorder=3,
        vmin=0,
        vmax=max(len(path) - 1, 1),
        edgecolors="none",
    )
    ax.plot(
        path[0],
        heights[0],
        "o",
        ms=9,
        mfc="none",
        mec="k",
        mew=1.2,
        label="start",
    )
    ax.set(xlim=wlim, xlabel="$w$", ylabel=r"$\mathcal{L}(w)$")
    if ylim is not None:
        ax.set_ylim(ylim)


def draw_descent_1d(fig, eta, *, w0=-3.0, steps=20):
    """Gradient descent on L(w) = (w - 2)^2 from ``w0``: its path and error.

    Left: the path on the loss curve. Right: the distance |w_t - 2| per step
    on a log scale, beside the exact law |w0 - 2| |1 - 2 eta|^t. The title
    names the regime (see :func:`bpcore.examples.landscapes.classify_path`).
    Titles that change from frame to frame are plain text and the layout is
    fixed, so an explorer's frames draw quickly.

    Drawn in :doc:`/chapters/01_gradient_descent`.
    """
    minimum = landscapes.QUADRATIC_MINIMUM
    path = landscapes.descend(landscapes.quadratic_grad, w0, eta, steps)
    factor = 1 - 2 * eta
    regime = landscapes.classify_path(path, minimum)

    ax_curve, ax_error = fig.subplots(
        1, 2, gridspec_kw={"width_ratios": [1.15, 1]}
    )
    path_on_curve(
        ax_curve, landscapes.quadratic, path, wlim=(-5, 9), ylim=(-2.5, 49)
    )
    ax_curve.axvline(minimum, color="0.6", ls=":", lw=1)
    ax_curve.set_title("the walk on the loss", fontsize=10)

    t = np.arange(steps + 1)
    distance = np.abs(path - minimum)
    ax_error.semilogy(
        np.arange(len(path)),
        np.maximum(distance, 1e-300),
        "o-",
        color=PATH_COLOR,
        ms=4,
        lw=1.5,
        label="$|w_t - 2|$",
    )
    with np.errstate(over="ignore"):
        exact = abs(w0 - minimum) * abs(factor) ** t
    ax_error.semilogy(
        t,
        exact,
        color="k",
        ls="--",
        lw=1,
        label=f"${abs(w0 - minimum):g}\\,|1 - 2\\eta|^t$",
    )
    if np.any(distance == 0):
        ax_error.text(
            0.5,
            0.06,
            "reaches $w = 2$ exactly",
            transform=ax_error.transAxes,
            ha="center",
            fontsize=9,
        )
    ax_error.set(xlim=(0, steps), ylim=(1e-12, 1e6), xlabel="step $t$")
    ax_error.set_yticks([1e-12, 1e-8, 1e-4, 1, 1e4])
    ax_error.set_title("distance to the minimum", fontsize=10)
    ax_error.legend(
        loc="lower left" if factor**2 > 1 else "upper right", fontsize=9
    )
    fig.suptitle(
        f"η = {eta:g}: {regime}, error × {true_minus(f'{factor:.2f}')} per "
        "step",
        fontsize=11,
    )
    fig.subplots_adjust(
        left=0.08, right=0.98, bottom=0.14, top=0.8, wspace=0.25
    )


def draw_ripples(fig, w0, *, eta=0.1, steps=50):
    """Gradient descent on the rippled bowl w^2/10 + sin(2w) from ``w0``.

    The valleys' bottoms are marked, the global minimum with a star; the
    title says which valley the walk ends in.

    Drawn in :doc:`/chapters/01_gradient_descent`.
    """
    path = landscapes.descend(landscapes.ripples_grad, w0, eta, steps)
    minima = np.array(landscapes.RIPPLES_MINIMA)
    ax = fig.subplots()
    path_on_curve(
        ax, landscapes.ripples, path, wlim=(-5, 6.5), ylim=(-1.6, 5)
    )
    ax.plot(
        minima,
        landscapes.ripples(minima),
        "v",
        color="0.35",
        ms=6,
        zorder=2,
    )
    best = landscapes.RIPPLES_GLOBAL_MINIMUM
    ax.plot(
        best,
        landscapes.ripples(best),
        "*",
        color="gold",
        mec="k",
        ms=16,
        zorder=4,
        label="global minimum",
    )
    ax.legend(loc="upper center", fontsize=9, ncols=2)
    valley = int(np.argmin(np.abs(minima - path[-1])))
    settled = abs(minima[valley] - path[-1]) < 1e-3
    if not settled:
        outcome = "has not settled in a valley"
    elif minima[valley] == best:
        outcome = "reaches the global minimum"
    else:
        w = true_minus(f"{minima[valley]:.2f}")
        outcome = f"stops in a local minimum, w = {w}"
    ax.set_title(
        f"start w₀ = {true_minus(f'{w0:g}')}, η = {eta:g}, {len(path) - 1} "
        f"steps: {outcome}",
        fontsize=10,
    )
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.9)
