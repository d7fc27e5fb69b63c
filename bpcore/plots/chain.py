"""Chapter 2: the chain rule."""

import numpy as np

from ..examples.chain import (
    chain_of_three,
    path_edges,
    path_sum_example,
    tiny_network,
)
from .style import (
    EXPLORER_FONTSIZE,
    GRADIENT_COLOR,
    VALUE_COLOR,
    number_text,
)


def _short_number(value, *, factor=False):
    """A number's short label: whole numbers in full, others to four digits.

    With ``factor=True`` a negative number is put in brackets, to follow a ×
    sign.
    """
    text = number_text(
        value,
        ".0f" if abs(value) >= 100 or float(value).is_integer() else ".4g",
    )
    return f"({text})" if factor and value < 0 else text


def draw_chain_diagram(ax, chain):
    """Draw the chain x -> u -> v -> y of :func:`chain_of_three` on ``ax``.

    Forward: blue arrows and values. Backward: red arrows labelled with the
    local derivative they multiply by, and under each variable the gradient
    dy/d(variable).

    Drawn in :doc:`/chapters/02_chain_rule`.
    """
    ax.set_axis_off()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    xs = [0.07, 0.37, 0.65, 0.92]
    names = ["x", "u", "v", "y"]
    rules = ["input", "u = h(x) = x²", "v = g(u) = 2u + 1", "y = f(v) = v³"]
    grads = [chain["dy_dx"], chain["dy_du"], chain["dy_dv"], 1.0]
    locals_ = [
        ("h′(x) = 2x", chain["du_dx"]),
        ("g′(u) = 2", chain["dv_du"]),
        ("f′(v) = 3v²", chain["dy_dv"]),
    ]
    for xpos, name, rule, grad in zip(xs, names, rules, grads, strict=True):
        ax.text(
            xpos,
            0.93,
            rule,
            ha="center",
            va="center",
            fontsize=EXPLORER_FONTSIZE,
            color="0.3",
        )
        ax.text(
            xpos,
            0.72,
            f"{name} = {_short_number(chain[name])}",
            ha="center",
            va="center",
            fontsize=EXPLORER_FONTSIZE + 1,
            color=VALUE_COLOR,
            bbox={
                "boxstyle": "round,pad=0.3",
                "fc": "white",
                "ec": VALUE_COLOR,
            },
        )
        ax.text(
            xpos,
            0.12,
            f"dy/d{name} = {_short_number(grad)}",
            ha="center",
            va="center",
            fontsize=EXPLORER_FONTSIZE,
            color=GRADIENT_COLOR,
        )
    for left, right, (rule, value) in zip(
        xs[:-1], xs[1:], locals_, strict=True
    ):
        ax.annotate(
            "",
            xy=(right - 0.085, 0.72),
            xytext=(left + 0.085, 0.72),
            arrowprops={
                "arrowstyle": "->",
                "color": VALUE_COLOR,
                "lw": 1.5,
            },
        )
        ax.annotate(
            "",
            xy=(left + 0.06, 0.3),
            xytext=(right - 0.06, 0.3),
            arrowprops={
                "arrowstyle": "->",
                "color": GRADIENT_COLOR,
                "lw": 1.5,
            },
        )
        ax.text(
            (left + right) / 2,
            0.46,
            f"× {rule} = {_short_number(value)}",
            ha="center",
            va="center",
            fontsize=EXPLORER_FONTSIZE,
            color=GRADIENT_COLOR,
        )


def _draw_tangent(ax, x, y, slope, *, half_width):
    """The tangent at (x, y), ``half_width`` to each side, and the point."""
    around = np.array([x - half_width, x + half_width])
    ax.plot(
        around,
        y + slope * (around - x),
        color=GRADIENT_COLOR,
        lw=2,
        gid="tangent",
    )
    ax.plot(x, y, "o", color="k", ms=6, zorder=3)


def draw_chain_tangent(fig, x):
    """The chain rule at ``x`` for y = (2x² + 1)³ = f(g(h(x))).

    Top: the curve and its tangent at x (slope dy/dx, in red). Bottom: the
    chain of :func:`draw_chain_diagram`, whose local derivatives multiply to
    that slope.

    Drawn in :doc:`/chapters/02_chain_rule`.
    """
    chain = chain_of_three(x)
    ax_curve, ax_chain = fig.subplots(
        2, 1, gridspec_kw={"height_ratios": [1.2, 1]}
    )
    xs = np.linspace(-3.2, 3.2, 401)
    ax_curve.plot(xs, (2 * xs**2 + 1) ** 3, color=VALUE_COLOR, lw=2)
    _draw_tangent(ax_curve, x, chain["y"], chain["dy_dx"], half_width=0.5)
    ax_curve.set(xlim=(-3.2, 3.2), ylim=(-1000, 8000))
    ax_curve.set_xlabel("x", fontsize=EXPLORER_FONTSIZE)
    ax_curve.set_ylabel("y = (2x² + 1)³", fontsize=EXPLORER_FONTSIZE)
    ax_curve.tick_params(labelsize=EXPLORER_FONTSIZE)
    factors = " × ".join(
        _short_number(chain[name], factor=True)
        for name in ("dy_dv", "dv_du", "du_dx")
    )
    ax_curve.set_title(
        f"x = {number_text(x, 'g')}: slope of the tangent dy/dx = "
        f"{factors} = {_short_number(chain['dy_dx'])}",
        fontsize=EXPLORER_FONTSIZE,
    )
    draw_chain_diagram(ax_chain, chain)
    fig.tight_layout(h_pad=0.2)


#: The example of the multivariable chain rule: a = x², b = 3x, c = a·b, y =
#: a + c.
PATH_SUM_NODES = {
    "x": (0.06, 0.5),
    "a": (0.36, 0.85),
    "b": (0.36, 0.15),
    "c": (0.64, 0.4),
    "y": (0.93, 0.62),
}


#: The local derivatives as formulas (None where the derivative is a
#: constant).
_EDGE_RULES = {
    ("x", "a"): "2x",
    ("x", "b"): None,
    ("a", "c"): "b",
    ("b", "c"): "a",
    ("a", "y"): None,
    ("c", "y"): None,
}
#: Colours of the three paths from x to y (not red: red is for gradients).
_PATH_COLORS = ["C1", "C2", "C4"]
_NODE_RULES = {
    "x": "",
    "a": "= x^2",
    "b": "= 3x",
    "c": "= ab",
    "y": "= a + c",
}


def _path_sum_graph(
    ax, values, edges, *, highlight=(), color="C1", detail=True
):
    """Draw the path-sum graph on ``ax``, the path ``highlight`` thick."""
    ax.set_axis_off()
    ax.set(xlim=(-0.04, 1.04), ylim=(-0.1, 1.1))
    on_path = set(path_edges(highlight))
    for (parent, child), local in edges.items():
        (x0, y0), (x1, y1) = PATH_SUM_NODES[parent], PATH_SUM_NODES[child]
        bold = (parent, child) in on_path
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={
                "arrowstyle": "-|>",
                "lw": 3.5 if bold else 1,
                "color": color if bold else "0.6",
                "shrinkA": 13,
                "shrinkB": 13,
            },
        )
        if detail:
            rule = _EDGE_RULES[parent, child]
            label = (
                f"{rule} = {_short_number(local)}"
                if rule
                else _short_number(local)
            )
            ax.text(
                (x0 + x1) / 2,
                (y0 + y1) / 2,
                f"${label}$",
                ha="center",
                va="center",
                fontsize=9,
                color=GRADIENT_COLOR,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "fc": "white",
                    "ec": "none",
                },
            )
    for name, (xpos, ypos) in PATH_SUM_NODES.items():
        ax.text(
            xpos,
            ypos,
            f"${name}$",
            ha="center",
            va="center",
            fontsize=11,
            bbox={
                "boxstyle": "circle,pad=0.3",
                "fc": "white",
                "ec": color if name in highlight else "0.4",
                "lw": 2 if name in highlight else 1,
            },
        )
        if detail:
            below = -0.17 if name != "b" else 0.17
            number = _short_number(values[name])
            label = f"{name} {_NODE_RULES[name]} = {number}"
            ax.text(
                xpos,
                ypos + below,
                f"${label}$",
                ha="center",
                va="center",
                fontsize=9,
                color=VALUE_COLOR,
            )


def draw_path_sum(fig, x=2.0):
    """The multivariable chain rule as a sum over paths, for y = a + c.

    Here a = x², b = 3x and c = ab. Top: the graph with the forward values
    (blue) and the local derivative on every edge (red). Bottom: one panel
    per path from x to y, titled with the product of the local derivatives
    along it; the suptitle adds them up to dy/dx.

    Drawn in :doc:`/chapters/02_chain_rule`.
    """
    values, edges, paths = path_sum_example(x)
    grid = fig.add_gridspec(2, 3, height_ratios=[1.35, 1])
    overview = fig.add_subplot(grid[0, :])
    _path_sum_graph(overview, values, edges)
    overview.set_title(
        "forward values (blue) and local derivatives on the edges (red)",
        fontsize=10,
    )
    for column, (path, product) in enumerate(paths.items()):
        ax = fig.add_subplot(grid[1, column])
        color = _PATH_COLORS[column]
        _path_sum_graph(
            ax, values, edges, highlight=path, color=color, detail=False
        )
        factors = r" \times ".join(
            _short_number(edges[step], factor=True)
            for step in path_edges(path)
        )
        ax.set_title(
            f"{' → '.join(path)}\n${factors} = {_short_number(product)}$",
            fontsize=10,
            color=color,
        )
    total = " + ".join(
        _short_number(product, factor=True) for product in paths.values()
    )
    fig.suptitle(
        f"$dy/dx$ = sum over the paths = ${total} = "
        f"{_short_number(sum(paths.values()))}$",
        fontsize=11,
        color=GRADIENT_COLOR,
    )
    fig.tight_layout()


def draw_tiny_network(
    fig, w1, *, x=2.0, y=1.0, b1=0.0, w2=1.5, b2=0.0, wlim=(-4.5, 3.5)
):
    """The 1 -> 1 -> 1 network's loss against w1, and ∂L/∂w1 at ``w1``.

    Left: L(w1) (blue) with the tangent at w1 (red). Right: the four local
    factors of ∂L/∂w1 as bars, and their product. Where the sigmoid
    saturates, its factor σ'(z1) is tiny, and so is the gradient, even
    though the loss is far from its minimum.

    Drawn in :doc:`/chapters/02_chain_rule`.
    """
    kwargs = {"x": x, "y": y, "b1": b1, "w2": w2, "b2": b2}
    axis = np.linspace(*wlim, 400)
    curve = tiny_network(axis, **kwargs)["loss"]
    here = {
        name: float(value)
        for name, value in tiny_network(w1, **kwargs).items()
    }
    ax_loss, ax_bars = fig.subplots(
        1, 2, gridspec_kw={"width_ratios": [1.1, 1]}
    )
    ax_loss.plot(axis, curve, color=VALUE_COLOR, lw=2)
    _draw_tangent(ax_loss, w1, here["loss"], here["dL_dw1"], half_width=0.9)
    top = 1.15 * float(curve.max())
    ax_loss.set(xlim=wlim, ylim=(-0.08 * top, top))
    ax_loss.set_xlabel("$w_1$", fontsize=EXPLORER_FONTSIZE)
    ax_loss.set_ylabel("loss  ½(ŷ − y)²", fontsize=EXPLORER_FONTSIZE)
    ax_loss.tick_params(labelsize=EXPLORER_FONTSIZE)
    ax_loss.set_title(
        f"z₁ = {number_text(here['z1'], '.3g')},  ŷ = "
        f"{number_text(here['y_hat'], '.3g')},  loss "
        f"{number_text(here['loss'], '.3g')}",
        fontsize=EXPLORER_FONTSIZE,
    )

    labels = [r"$\hat y - y$", "$w_2$", r"$\sigma'(z_1)$", "$x$"]
    names = ["dL_dyhat", "dyhat_da1", "da1_dz1", "dz1_dw1"]
    values = [here[name] for name in names]
    rows = np.arange(4)[::-1]
    ax_bars.barh(rows, values, color=GRADIENT_COLOR, alpha=0.8, height=0.6)
    ax_bars.axvline(0, color="0.3", lw=0.8)
    right = max(2.0, max(values)) + 0.2
    for row, value in zip(rows, values, strict=True):
        ax_bars.text(
            right,
            row,
            number_text(value, ".3g"),
            va="center",
            ha="left",
            fontsize=EXPLORER_FONTSIZE,
        )
    ax_bars.set_yticks(rows, labels)
    ax_bars.tick_params(labelsize=EXPLORER_FONTSIZE)
    ax_bars.set_xlim(min(-1.2, min(values) - 0.1), right + 2.0)
    ax_bars.set_xlabel("local factor", fontsize=EXPLORER_FONTSIZE)
    ax_bars.set_title(
        f"∂L/∂w₁ = product = {number_text(here['dL_dw1'], '.3g')}",
        fontsize=EXPLORER_FONTSIZE,
        color=GRADIENT_COLOR,
    )
    fig.tight_layout()
