"""The book's figures, as functions that draw onto a matplotlib Figure or Axes.

Each ``draw_*(fig, ...)`` function draws onto an empty Figure, so it works both for a
figure shown in a notebook (``fig = plt.figure(); draw_...(fig, ...)``) and as the
``draw`` of an explorer in :mod:`bpcore.widgets`. matplotlib is imported inside the
functions, so ``import bpcore`` needs only NumPy.
"""

import numpy as np

from . import landscapes

# --- Chapter 1: gradient descent ------------------------------------------------------

#: Colour of descent paths in chapter 1 (and of the "where you stand" marker).
PATH_COLOR = "C1"


def _minus(text):
    """Typeset the minus signs of a formatted number as true minus signs (U+2212)."""
    return text.replace("-", "\u2212")


def path_on_curve(ax, loss, path, *, wlim, ylim=None, cmap="viridis"):
    """Draw the curve L(w) over ``wlim`` and the descent path (w_t, L(w_t)) on it.

    The iterates are dots coloured from the first step (dark) to the last (light),
    joined by thin lines so that jumps across a valley show as crossing lines. The path
    line has ``gid="descent-path"``.
    """
    w = np.linspace(*wlim, 400)
    ax.plot(w, loss(w), color="0.25", lw=1.5)
    path = np.asarray(path, dtype=np.float64)
    heights = loss(path)
    ax.plot(path, heights, color=PATH_COLOR, lw=0.8, alpha=0.7, gid="descent-path")
    ax.scatter(path, heights, c=np.arange(len(path)), cmap=cmap, s=22, zorder=3,
               vmin=0, vmax=max(len(path) - 1, 1), edgecolors="none")
    ax.plot(path[0], heights[0], "o", ms=9, mfc="none", mec="k", mew=1.2, label="start")
    ax.set(xlim=wlim, xlabel="$w$", ylabel=r"$\mathcal{L}(w)$")
    if ylim is not None:
        ax.set_ylim(ylim)


def draw_descent_1d(fig, eta, *, w0=-3.0, steps=20):
    """Gradient descent on L(w) = (w - 2)^2 from ``w0``: the path and its error.

    Left: the path on the loss curve. Right: the distance |w_t - 2| per step on a log
    scale, beside the exact law |w0 - 2| |1 - 2 eta|^t. The title names the regime
    (see :func:`bpcore.landscapes.classify_path`). Titles that change from frame to frame
    are plain text and the layout is fixed, so an explorer's frames draw quickly.
    """
    minimum = landscapes.QUADRATIC_MINIMUM
    path = landscapes.descend(landscapes.quadratic_grad, w0, eta, steps)
    factor = 1 - 2 * eta
    regime = landscapes.classify_path(path, minimum)

    ax_curve, ax_error = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
    path_on_curve(ax_curve, landscapes.quadratic, path, wlim=(-5, 9), ylim=(-2.5, 49))
    ax_curve.axvline(minimum, color="0.6", ls=":", lw=1)
    ax_curve.set_title("the walk on the loss", fontsize=10)

    t = np.arange(steps + 1)
    distance = np.abs(path - minimum)
    ax_error.semilogy(np.arange(len(path)), np.maximum(distance, 1e-300), "o-", color=PATH_COLOR,
                      ms=4, lw=1.5, label="$|w_t - 2|$")
    with np.errstate(over="ignore"):
        exact = abs(w0 - minimum) * abs(factor) ** t
    ax_error.semilogy(t, exact, color="k", ls="--", lw=1,
                      label=f"${abs(w0 - minimum):g}\\,|1 - 2\\eta|^t$")
    if np.any(distance == 0):
        ax_error.text(0.5, 0.06, "reaches $w = 2$ exactly", transform=ax_error.transAxes,
                      ha="center", fontsize=9)
    ax_error.set(xlim=(0, steps), ylim=(1e-12, 1e6), xlabel="step $t$")
    ax_error.set_yticks([1e-12, 1e-8, 1e-4, 1, 1e4])
    ax_error.set_title("distance to the minimum", fontsize=10)
    ax_error.legend(loc="lower left" if factor**2 > 1 else "upper right", fontsize=9)
    fig.suptitle(f"η = {eta:g}: {regime}, error × {_minus(f'{factor:.2f}')} per step",
                 fontsize=11)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.14, top=0.8, wspace=0.25)


def draw_ripples(fig, w0, *, eta=0.1, steps=50):
    """Gradient descent on the ripples landscape w^2/10 + sin(2w) from ``w0``.

    The valleys' bottoms are marked, the global minimum with a star; the title says
    which valley the walk ends in.
    """
    path = landscapes.descend(landscapes.ripples_grad, w0, eta, steps)
    minima = np.array(landscapes.RIPPLES_MINIMA)
    ax = fig.subplots()
    path_on_curve(ax, landscapes.ripples, path, wlim=(-5, 6.5), ylim=(-1.6, 5))
    ax.plot(minima, landscapes.ripples(minima), "v", color="0.35", ms=6, zorder=2)
    best = landscapes.RIPPLES_GLOBAL_MINIMUM
    ax.plot(best, landscapes.ripples(best), "*", color="gold", mec="k", ms=16, zorder=4,
            label="global minimum")
    ax.legend(loc="upper center", fontsize=9, ncols=2)
    valley = int(np.argmin(np.abs(minima - path[-1])))
    settled = abs(minima[valley] - path[-1]) < 1e-3
    if not settled:
        outcome = "has not settled in a valley"
    elif minima[valley] == best:
        outcome = "reaches the global minimum"
    else:
        outcome = f"stops in a local minimum, w = {_minus(f'{minima[valley]:.2f}')}"
    ax.set_title(f"start w₀ = {_minus(f'{w0:g}')}, η = {eta:g}, {len(path) - 1} steps: "
                 f"{outcome}", fontsize=10)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.14, top=0.9)


# --- Chapter 2: the chain rule --------------------------------------------------------

#: Colours of forward values (blue) and of derivatives and gradients (red) in chapters 2
#: and 4, the same as FORWARD_COLOR and GRADIENT_COLOR of chapter 5.
CHAIN_VALUE_COLOR = "#1f4e9c"
CHAIN_GRADIENT_COLOR = "#c0392b"

#: Font size of every text in the explorer figures of chapters 2 and 4. Their frames are
#: drawn at 80 dpi and shown pixel for pixel, so 11 pt in the figure is about 9 pt on screen.
EXPLORER_FONTSIZE = 11


def _short_number(value, *, factor=False):
    """A short label for a number: whole numbers in full, others to four digits.

    With ``factor=True`` a negative number is put in brackets, to follow a × sign.
    """
    text = _number_text(value, ".0f" if abs(value) >= 100 or float(value).is_integer() else ".4g")
    return f"({text})" if factor and value < 0 else text


def _number_text(value, spec):
    """``format(value, spec)`` with true minus signs (U+2212), for labels in plain text."""
    return format(value, spec).replace("-", "\u2212")


def chain_of_three(x):
    """y = f(g(h(x))) with h(x) = x², g(u) = 2u + 1, f(v) = v³: values and derivatives at x.

    Returns a dict with the forward values ``u``, ``v``, ``y``, the local derivatives
    ``du_dx`` = 2x, ``dv_du`` = 2, ``dy_dv`` = 3v², and the gradients multiplied backward
    from the output, ``dy_du`` = dy/dv · dv/du and ``dy_dx`` = dy/du · du/dx.
    """
    u = x**2
    v = 2 * u + 1
    y = v**3
    du_dx, dv_du, dy_dv = 2 * x, 2.0, 3 * v**2
    dy_du = dy_dv * dv_du
    return {"x": x, "u": u, "v": v, "y": y, "du_dx": du_dx, "dv_du": dv_du, "dy_dv": dy_dv,
            "dy_du": dy_du, "dy_dx": dy_du * du_dx}


def draw_chain_diagram(ax, chain):
    """The chain x -> u -> v -> y of :func:`chain_of_three` as a diagram on ``ax``.

    Forward: blue arrows and values. Backward: red arrows labelled with the local
    derivative they multiply by, and under each variable the gradient dy/d(variable).
    """
    ax.set_axis_off()
    ax.set(xlim=(0, 1), ylim=(0, 1))
    xs = [0.07, 0.37, 0.65, 0.92]
    names = ["x", "u", "v", "y"]
    rules = ["input", "u = h(x) = x²", "v = g(u) = 2u + 1", "y = f(v) = v³"]
    grads = [chain["dy_dx"], chain["dy_du"], chain["dy_dv"], 1.0]
    locals_ = [("h′(x) = 2x", chain["du_dx"]), ("g′(u) = 2", chain["dv_du"]),
               ("f′(v) = 3v²", chain["dy_dv"])]
    for xpos, name, rule, grad in zip(xs, names, rules, grads, strict=True):
        ax.text(xpos, 0.93, rule, ha="center", va="center", fontsize=EXPLORER_FONTSIZE,
                color="0.3")
        ax.text(xpos, 0.72, f"{name} = {_short_number(chain[name])}", ha="center", va="center",
                fontsize=EXPLORER_FONTSIZE + 1, color=CHAIN_VALUE_COLOR,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": CHAIN_VALUE_COLOR})
        ax.text(xpos, 0.12, f"dy/d{name} = {_short_number(grad)}", ha="center",
                va="center", fontsize=EXPLORER_FONTSIZE, color=CHAIN_GRADIENT_COLOR)
    for left, right, (rule, value) in zip(xs[:-1], xs[1:], locals_, strict=True):
        ax.annotate("", xy=(right - 0.085, 0.72), xytext=(left + 0.085, 0.72),
                    arrowprops={"arrowstyle": "->", "color": CHAIN_VALUE_COLOR, "lw": 1.5})
        ax.annotate("", xy=(left + 0.06, 0.3), xytext=(right - 0.06, 0.3),
                    arrowprops={"arrowstyle": "->", "color": CHAIN_GRADIENT_COLOR, "lw": 1.5})
        ax.text((left + right) / 2, 0.46, f"× {rule} = {_short_number(value)}",
                ha="center", va="center", fontsize=EXPLORER_FONTSIZE,
                color=CHAIN_GRADIENT_COLOR)


def draw_chain_tangent(fig, x):
    """The chain rule at ``x`` for y = (2x² + 1)³ = f(g(h(x))).

    Top: the curve and its tangent at x (slope dy/dx, in red). Bottom: the chain of
    :func:`draw_chain_diagram`, whose local derivatives multiply to that slope.
    """
    chain = chain_of_three(x)
    ax_curve, ax_chain = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1.2, 1]})
    xs = np.linspace(-3.2, 3.2, 401)
    ax_curve.plot(xs, (2 * xs**2 + 1) ** 3, color=CHAIN_VALUE_COLOR, lw=2)
    around = np.array([x - 0.5, x + 0.5])
    ax_curve.plot(around, chain["y"] + chain["dy_dx"] * (around - x), color=CHAIN_GRADIENT_COLOR,
                  lw=2, gid="tangent")
    ax_curve.plot(x, chain["y"], "o", color="k", ms=6, zorder=3)
    ax_curve.set(xlim=(-3.2, 3.2), ylim=(-1000, 8000))
    ax_curve.set_xlabel("x", fontsize=EXPLORER_FONTSIZE)
    ax_curve.set_ylabel("y = (2x² + 1)³", fontsize=EXPLORER_FONTSIZE)
    ax_curve.tick_params(labelsize=EXPLORER_FONTSIZE)
    factors = " × ".join(_short_number(chain[name], factor=True)
                         for name in ("dy_dv", "dv_du", "du_dx"))
    ax_curve.set_title(f"x = {_number_text(x, 'g')}: slope of the tangent dy/dx = {factors} = "
                       f"{_short_number(chain['dy_dx'])}", fontsize=EXPLORER_FONTSIZE)
    draw_chain_diagram(ax_chain, chain)
    fig.tight_layout(h_pad=0.2)


#: The example of the multivariable chain rule: a = x², b = 3x, c = a·b, y = a + c.
PATH_SUM_NODES = {"x": (0.06, 0.5), "a": (0.36, 0.85), "b": (0.36, 0.15),
                  "c": (0.64, 0.4), "y": (0.93, 0.62)}


def _steps(path):
    """The edges (parent, child) along a path given as a sequence of nodes."""
    return list(zip(path[:-1], path[1:], strict=True))


def path_sum_example(x):
    """Values, local derivatives and paths of y = a + c with a = x², b = 3x, c = a·b.

    Returns ``(values, edges, paths)``: ``values`` maps each node to its value, ``edges``
    maps (parent, child) to the local derivative ∂child/∂parent, and ``paths`` maps each
    path from x to y (a tuple of nodes) to the product of the local derivatives along it.
    The products sum to dy/dx = 2x + 9x².
    """
    a, b = x**2, 3 * x
    c = a * b
    values = {"x": x, "a": a, "b": b, "c": c, "y": a + c}
    edges = {("x", "a"): 2 * x, ("x", "b"): 3.0, ("a", "c"): b, ("b", "c"): a,
             ("a", "y"): 1.0, ("c", "y"): 1.0}
    paths = {}
    for path in [("x", "a", "y"), ("x", "a", "c", "y"), ("x", "b", "c", "y")]:
        paths[path] = float(np.prod([edges[step] for step in _steps(path)]))
    return values, edges, paths


#: The local derivatives as formulas (None where the derivative is a constant).
_EDGE_RULES = {("x", "a"): "2x", ("x", "b"): None, ("a", "c"): "b", ("b", "c"): "a",
               ("a", "y"): None, ("c", "y"): None}
#: Colours of the three paths from x to y (not red: red is for gradients).
_PATH_COLORS = ["C1", "C2", "C4"]
_NODE_RULES = {"x": "", "a": "= x^2", "b": "= 3x", "c": "= ab", "y": "= a + c"}


def _path_sum_graph(ax, values, edges, *, highlight=(), color="C1", detail=True):
    """Draw the path-sum graph on ``ax``; the edges along ``highlight`` are thick."""
    ax.set_axis_off()
    ax.set(xlim=(-0.04, 1.04), ylim=(-0.1, 1.1))
    on_path = set(_steps(highlight))
    for (parent, child), local in edges.items():
        (x0, y0), (x1, y1) = PATH_SUM_NODES[parent], PATH_SUM_NODES[child]
        bold = (parent, child) in on_path
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops={"arrowstyle": "-|>", "lw": 3.5 if bold else 1,
                                "color": color if bold else "0.6",
                                "shrinkA": 13, "shrinkB": 13})
        if detail:
            rule = _EDGE_RULES[parent, child]
            label = f"{rule} = {_short_number(local)}" if rule else _short_number(local)
            ax.text((x0 + x1) / 2, (y0 + y1) / 2, f"${label}$", ha="center", va="center",
                    fontsize=9,
                    color=CHAIN_GRADIENT_COLOR,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    for name, (xpos, ypos) in PATH_SUM_NODES.items():
        ax.text(xpos, ypos, f"${name}$", ha="center", va="center", fontsize=11,
                bbox={"boxstyle": "circle,pad=0.3", "fc": "white",
                      "ec": color if name in highlight else "0.4",
                      "lw": 2 if name in highlight else 1})
        if detail:
            below = -0.17 if name != "b" else 0.17
            label = f"{name} {_NODE_RULES[name]} = {_short_number(values[name])}"
            ax.text(xpos, ypos + below, f"${label}$", ha="center", va="center", fontsize=9,
                    color=CHAIN_VALUE_COLOR)


def draw_path_sum(fig, x=2.0):
    """The multivariable chain rule as a sum over paths, for y = a + c, a = x², b = 3x, c = ab.

    Top: the graph with the forward values (blue) and the local derivative on every edge
    (red). Bottom: one panel per path from x to y, titled with the product of the local
    derivatives along it; the suptitle adds them up to dy/dx.
    """
    values, edges, paths = path_sum_example(x)
    grid = fig.add_gridspec(2, 3, height_ratios=[1.35, 1])
    overview = fig.add_subplot(grid[0, :])
    _path_sum_graph(overview, values, edges)
    overview.set_title("forward values (blue) and local derivatives on the edges (red)",
                       fontsize=10)
    for column, (path, product) in enumerate(paths.items()):
        ax = fig.add_subplot(grid[1, column])
        color = _PATH_COLORS[column]
        _path_sum_graph(ax, values, edges, highlight=path, color=color, detail=False)
        factors = r" \times ".join(_short_number(edges[step], factor=True)
                                   for step in _steps(path))
        ax.set_title(f"{' → '.join(path)}\n${factors} = {_short_number(product)}$", fontsize=10,
                     color=color)
    total = " + ".join(_short_number(product, factor=True) for product in paths.values())
    fig.suptitle(f"$dy/dx$ = sum over the paths = ${total} = {_short_number(sum(paths.values()))}$",
                 fontsize=11, color=CHAIN_GRADIENT_COLOR)
    fig.tight_layout()


def tiny_network(w1, *, x=2.0, y=1.0, b1=0.0, w2=1.5, b2=0.0):
    """The 1 -> 1 -> 1 network ŷ = w2 σ(w1 x + b1) + b2 with loss ½(ŷ - y)², at ``w1``.

    Works elementwise on an array of ``w1``. Returns a dict with the forward values
    ``z1``, ``a1``, ``y_hat``, ``loss``, the four local factors of ∂L/∂w1 (``dL_dyhat``
    = ŷ - y, ``dyhat_da1`` = w2, ``da1_dz1`` = σ'(z1), ``dz1_dw1`` = x) and their product
    ``dL_dw1``.
    """
    w1 = np.asarray(w1, dtype=np.float64)
    z1 = w1 * x + b1
    a1 = 1 / (1 + np.exp(-z1))
    y_hat = w2 * a1 + b2
    factors = {"dL_dyhat": y_hat - y, "dyhat_da1": np.full_like(w1, w2),
               "da1_dz1": a1 * (1 - a1), "dz1_dw1": np.full_like(w1, x)}
    product = factors["dL_dyhat"] * factors["dyhat_da1"] * factors["da1_dz1"] * x
    return {"z1": z1, "a1": a1, "y_hat": y_hat, "loss": 0.5 * (y_hat - y) ** 2, **factors,
            "dL_dw1": product}


def draw_tiny_network(fig, w1, *, x=2.0, y=1.0, b1=0.0, w2=1.5, b2=0.0, wlim=(-4.5, 3.5)):
    """The loss of the 1 -> 1 -> 1 network as a function of w1, and ∂L/∂w1 at ``w1``.

    Left: L(w1) (blue) with the tangent at w1 (red). Right: the four local factors of
    ∂L/∂w1 as bars, and their product. Where the sigmoid saturates, its factor σ'(z1)
    is tiny, and so is the gradient, even though the loss is far from its minimum.
    """
    kwargs = {"x": x, "y": y, "b1": b1, "w2": w2, "b2": b2}
    axis = np.linspace(*wlim, 400)
    curve = tiny_network(axis, **kwargs)["loss"]
    here = {name: float(value) for name, value in tiny_network(w1, **kwargs).items()}
    ax_loss, ax_bars = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.1, 1]})
    ax_loss.plot(axis, curve, color=CHAIN_VALUE_COLOR, lw=2)
    around = np.array([w1 - 0.9, w1 + 0.9])
    ax_loss.plot(around, here["loss"] + here["dL_dw1"] * (around - w1), color=CHAIN_GRADIENT_COLOR,
                 lw=2, gid="tangent")
    ax_loss.plot(w1, here["loss"], "o", color="k", ms=6, zorder=3)
    top = 1.15 * float(curve.max())
    ax_loss.set(xlim=wlim, ylim=(-0.08 * top, top))
    ax_loss.set_xlabel("$w_1$", fontsize=EXPLORER_FONTSIZE)
    ax_loss.set_ylabel("loss  ½(ŷ − y)²", fontsize=EXPLORER_FONTSIZE)
    ax_loss.tick_params(labelsize=EXPLORER_FONTSIZE)
    ax_loss.set_title(f"z₁ = {_number_text(here['z1'], '.3g')},  "
                      f"ŷ = {_number_text(here['y_hat'], '.3g')},  "
                      f"loss {_number_text(here['loss'], '.3g')}", fontsize=EXPLORER_FONTSIZE)

    labels = [r"$\hat y - y$", "$w_2$", r"$\sigma'(z_1)$", "$x$"]
    names = ["dL_dyhat", "dyhat_da1", "da1_dz1", "dz1_dw1"]
    values = [here[name] for name in names]
    rows = np.arange(4)[::-1]
    ax_bars.barh(rows, values, color=CHAIN_GRADIENT_COLOR, alpha=0.8, height=0.6)
    ax_bars.axvline(0, color="0.3", lw=0.8)
    right = max(2.0, max(values)) + 0.2
    for row, value in zip(rows, values, strict=True):
        ax_bars.text(right, row, _number_text(value, ".3g"), va="center", ha="left",
                     fontsize=EXPLORER_FONTSIZE)
    ax_bars.set_yticks(rows, labels)
    ax_bars.tick_params(labelsize=EXPLORER_FONTSIZE)
    ax_bars.set_xlim(min(-1.2, min(values) - 0.1), right + 2.0)
    ax_bars.set_xlabel("local factor", fontsize=EXPLORER_FONTSIZE)
    ax_bars.set_title(f"∂L/∂w₁ = product = {_number_text(here['dL_dw1'], '.3g')}",
                      fontsize=EXPLORER_FONTSIZE, color=CHAIN_GRADIENT_COLOR)
    fig.tight_layout()


# --- Chapter 4: loss functions --------------------------------------------------------


def sigmoid_output_losses(z, y=1.0):
    """MSE and BCE of one sigmoid output p = σ(z) against the target ``y``, and their gradients.

    Works elementwise on an array of logits. Returns a dict with ``p``, the losses
    ``mse`` = (p - y)² and ``bce`` = -y log p - (1 - y) log(1 - p) (from the logit, stable
    for any z), and their derivatives with respect to the logit: ``mse_grad`` =
    2(p - y) p(1 - p) and ``bce_grad`` = p - y.
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    p = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    bce = np.maximum(z, 0) - z * y + np.log1p(e)
    return {"p": p, "mse": (p - y) ** 2, "bce": bce, "mse_grad": 2 * (p - y) * p * (1 - p),
            "bce_grad": p - y}


def draw_loss_response(fig, z, *, zlim=(-12.5, 6.5)):
    """MSE and binary cross-entropy of a sigmoid output whose true class is 1, at logit ``z``.

    Left: both losses against the logit (blue; MSE dashed). Right: the size of their
    gradients with respect to the logit, on a log scale (red). As z falls below zero the
    prediction becomes confidently wrong: the cross-entropy gradient tends to 1, the MSE
    gradient to 0.
    """
    axis = np.linspace(*zlim, 500)
    curves = sigmoid_output_losses(axis)
    here = {name: float(value) for name, value in sigmoid_output_losses(z).items()}
    ax_loss, ax_grad = fig.subplots(1, 2)
    for ax in (ax_loss, ax_grad):
        ax.axvspan(zlim[0], 0, color="0.93", zorder=0)
        ax.axvline(z, color="0.4", lw=0.8, ls=":")
    ax_loss.plot(axis, curves["bce"], color=CHAIN_VALUE_COLOR, lw=2,
                 label=f"cross-entropy: {here['bce']:.3g}")
    ax_loss.plot(axis, curves["mse"], color=CHAIN_VALUE_COLOR, lw=2, ls="--",
                 label=f"squared error: {here['mse']:.3g}")
    ax_loss.plot([z, z], [here["bce"], here["mse"]], "o", color="k", ms=5, zorder=3)
    ax_loss.set(xlim=zlim, ylim=(-0.4, 13))
    ax_loss.set_ylabel("loss", fontsize=EXPLORER_FONTSIZE)
    ax_loss.text(zlim[0] + 0.4, 2.2, "wrong", fontsize=EXPLORER_FONTSIZE)
    ax_loss.text(zlim[1] - 0.4, 2.2, "right", fontsize=EXPLORER_FONTSIZE, ha="right")
    ax_loss.legend(loc="upper right", fontsize=EXPLORER_FONTSIZE - 1)
    ax_loss.set_title(f"z = {_number_text(z, 'g')}:  p = σ(z) = {_number_text(here['p'], '.3g')}",
                      fontsize=EXPLORER_FONTSIZE)

    ax_grad.semilogy(axis, np.abs(curves["bce_grad"]), color=CHAIN_GRADIENT_COLOR, lw=2,
                     label=f"cross-entropy: {abs(here['bce_grad']):.2g}")
    ax_grad.semilogy(axis, np.abs(curves["mse_grad"]), color=CHAIN_GRADIENT_COLOR, lw=2, ls="--",
                     label=f"squared error: {abs(here['mse_grad']):.2g}")
    ax_grad.plot([z, z], [abs(here["bce_grad"]), abs(here["mse_grad"])], "o", color="k", ms=5,
                 zorder=3)
    ax_grad.set(xlim=zlim, ylim=(1e-6, 3))
    ax_grad.set_yticks([1e-6, 1e-4, 1e-2, 1], ["10⁻⁶", "10⁻⁴", "10⁻²", "1"])
    ax_grad.minorticks_off()
    ax_grad.set_ylabel("|∂L/∂z|", fontsize=EXPLORER_FONTSIZE)
    ax_grad.legend(loc="lower left", fontsize=EXPLORER_FONTSIZE - 1)
    ax_grad.set_title("size of the gradient", fontsize=EXPLORER_FONTSIZE)
    for ax in (ax_loss, ax_grad):
        ax.set_xlabel("logit z of the true class", fontsize=EXPLORER_FONTSIZE)
        ax.tick_params(labelsize=EXPLORER_FONTSIZE)
    fig.tight_layout()


# --- Chapter 5: the backward pass -----------------------------------------------------

#: Colours of the classes in chapter 5's decision-boundary figures (class k: colour k).
BOUNDARY_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b")
#: Forward values (blue) and gradients (red) in chapter 5's figures, as in chapters 2-4.
NETWORK_VALUE_COLOR = CHAIN_VALUE_COLOR
NETWORK_GRADIENT_COLOR = CHAIN_GRADIENT_COLOR


def predict_classes(model, X):
    """Class predicted by ``model`` for each row of ``X``: argmax of the scores, or, for a
    single output (a logit), 1 where it is positive and 0 elsewhere."""
    scores = np.asarray(model.forward(X))
    if scores.ndim == 2 and scores.shape[1] > 1:
        return scores.argmax(axis=1)
    return (scores.reshape(-1) > 0).astype(np.int64)


def _model_dtype(model):
    parameters = model.parameters()
    return parameters[0].data.dtype if parameters else np.float64


def draw_decision_boundary(ax, model, X, y, *, resolution=100, margin=0.3, limits=None,
                           title=None, markersize=16):
    """Colour the plane by the class ``model`` predicts there; the samples on top.

    The plane is a ``resolution`` x ``resolution`` grid over the data's range widened by
    ``margin`` (or over ``limits = ((x_min, x_max), (y_min, y_max))``); class k is drawn in
    ``BOUNDARY_COLORS[k]``, pale for regions, full for the samples. Returns the grid of
    predicted classes (``resolution`` x ``resolution``, rows = second coordinate).
    """
    from matplotlib.colors import to_rgb

    X, y = np.asarray(X), np.asarray(y).reshape(-1)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"a decision boundary needs 2-D inputs X of shape (n, 2), got {X.shape}")
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if limits is None:
        low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
        limits = ((low[0], high[0]), (low[1], high[1]))
    (x_min, x_max), (y_min, y_max) = limits
    xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_min, y_max, resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    points = np.column_stack([grid_x.ravel(), grid_y.ravel()]).astype(_model_dtype(model))
    with np.errstate(over="ignore", invalid="ignore"):
        classes = predict_classes(model, points).reshape(grid_x.shape)
    n_classes = max(int(y.max()) + 1 if y.size else 0, int(classes.max()) + 1, 2)
    if n_classes > len(BOUNDARY_COLORS):
        raise ValueError(f"at most {len(BOUNDARY_COLORS)} classes can be drawn, got {n_classes}")
    colors = np.array([to_rgb(color) for color in BOUNDARY_COLORS[:n_classes]])
    pale = 1 - 0.28 * (1 - colors)  # each class colour, mostly mixed with white
    ax.imshow(pale[classes], origin="lower", extent=(x_min, x_max, y_min, y_max),
              interpolation="nearest", aspect="auto", gid="regions")
    ax.contour(grid_x, grid_y, classes, levels=np.arange(n_classes - 1) + 0.5, colors="0.35",
               linewidths=0.8)
    ax.scatter(X[:, 0], X[:, 1], c=colors[y.astype(int)], s=markersize, edgecolors="k",
               linewidths=0.4, zorder=3)
    ax.set(xlim=(x_min, x_max), ylim=(y_min, y_max), xlabel="$x_1$", ylabel="$x_2$")
    ax.set_aspect("equal", adjustable="box")
    if title is not None:
        ax.set_title(title, fontsize=10)
    return classes


def draw_loss_curve(ax, history, *, color="C0", label=None, logy=True, ylim=None):
    """The training loss per epoch from a ``bpcore.History``, on a log scale by default.

    A run that diverged ends in a red cross at its last finite loss, with the epoch in
    which the loss stopped being finite written beside it.
    """
    epochs = np.arange(1, history.epochs + 1)
    if ylim is None and logy:
        # Limits a factor of 2 beyond the data, set before plotting, and at most 1e150:
        # matplotlib's margins and log ticks overflow for a diverging run whose loss
        # reaches ~1e300 (such a curve leaves the top of the axes instead).
        loss = np.asarray(history.loss, dtype=np.float64)
        loss = loss[np.isfinite(loss) & (loss > 0)]
        if loss.size:
            ylim = (min(loss.min() / 2, 1e149), min(loss.max() * 2, 1e150))
    if logy:
        from matplotlib.ticker import NullLocator

        ax.set_yscale("log")
        if ylim is not None and ylim[1] / ylim[0] > 1e3:
            ax.yaxis.set_minor_locator(NullLocator())  # many decades: label decades only
    if ylim is not None:
        ax.set_ylim(ylim)
    ax.plot(epochs, history.loss, color=color, lw=1.6, label=label, gid="loss")
    if history.diverged:
        stop = history.epochs + 1
        if history.loss:
            ax.plot(epochs[-1], history.loss[-1], "x", color=NETWORK_GRADIENT_COLOR, ms=10,
                    mew=2.5)
        ax.text(0.97, 0.92, f"diverged in epoch {stop}", transform=ax.transAxes, ha="right",
                va="top", color=NETWORK_GRADIENT_COLOR, fontsize=10, gid="diverged", zorder=4,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
    ax.set(xlabel="epoch", ylabel="training loss")
    ax.grid(alpha=0.3)


def training_regime(history, *, good_accuracy=0.9):
    """Name what a learning rate did to a classifier's training run.

    "too high" if the loss diverged or ever rose above its first value without reaching
    ``good_accuracy``; "good" if the final training accuracy is at least ``good_accuracy``;
    otherwise "too low" (the loss fell the whole time, just not far enough).
    """
    if history.diverged:
        return "too high"
    if not history.accuracy:
        raise ValueError("training_regime needs a classification History (with accuracy)")
    if history.accuracy[-1] >= good_accuracy:
        return "good"
    if max(history.loss) > history.loss[0]:
        return "too high"
    return "too low"


def train_spiral(lr, *, hidden=50, epochs=300, seed=0, activation="relu"):
    """Train a 2-``hidden``-3 classifier with full-batch SGD on ``bpcore.spiral(seed=0)``.

    Returns (model, history, X, y). If the loss diverges, ``fit`` stops early and warns
    with a ``TrainingDivergedWarning``; ``history.diverged`` and ``history.message`` say so.
    """
    from .data import spiral
    from .losses import CrossEntropyLoss
    from .mlp import MLP
    from .optim import SGD
    from .train import fit

    X, y = spiral(seed=0)
    model = MLP((2, hidden, 3), activation=activation, seed=seed)
    history = fit(model, CrossEntropyLoss(), SGD(model.parameters(), lr=lr), X, y,
                  epochs=epochs)
    return model, history, X, y


def draw_training_run(fig, model, history, X, y, *, title=None, loss_ylim=(0.02, 1e6),
                      markersize=10):
    """Loss curve (left) and decision boundary (right) after a training run.

    A run that diverged has no trustworthy weights: the right panel then shows the data
    and says so instead of drawing a boundary. The layout is fixed (no tight_layout), so
    the frames of an explorer line up and draw quickly.
    """
    ax_loss, ax_data = fig.subplots(1, 2, gridspec_kw={
        "width_ratios": [1.3, 1], "left": 0.1, "right": 0.98, "bottom": 0.14,
        "top": 0.84 if title else 0.9, "wspace": 0.3})
    draw_loss_curve(ax_loss, history, ylim=loss_ylim)
    ax_loss.set_xlim(0, max(history.epochs, 1))
    if history.diverged:
        y = np.asarray(y).astype(int)
        ax_data.scatter(X[:, 0], X[:, 1], c=[BOUNDARY_COLORS[k] for k in y], s=markersize,
                        edgecolors="k", linewidths=0.4)
        ax_data.set(xlabel="$x_1$", ylabel="$x_2$")
        ax_data.set_aspect("equal", adjustable="box")
        ax_data.set_title("no boundary: the weights blew up", fontsize=10)
    else:
        accuracy = history.accuracy[-1] if history.accuracy else None
        label = "decision boundary" if accuracy is None else f"training accuracy {accuracy:.0%}"
        draw_decision_boundary(ax_data, model, X, y, title=label, markersize=markersize)
    ax_loss.set_title("loss per epoch", fontsize=10)
    if title is not None:
        fig.suptitle(title, fontsize=11)


def draw_lr_spiral(fig, lr, *, runs=None, hidden=50, epochs=300, seed=0):
    """Explorer frame: the spiral classifier trained with learning rate ``lr``, drawn.

    ``runs`` may map learning rates to finished runs ``(model, history, X, y)`` from
    :func:`train_spiral`, so a notebook that has trained them already need not train
    again; otherwise the run happens here, with a divergence warning silenced because
    the figure says what happened. The title names the regime (:func:`training_regime`).
    """
    import warnings

    from .train import TrainingDivergedWarning

    if runs is not None and lr in runs:
        model, history, X, y = runs[lr]
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TrainingDivergedWarning)
            model, history, X, y = train_spiral(lr, hidden=hidden, epochs=epochs, seed=seed)
    regime = training_regime(history)
    if history.diverged:
        outcome = f"diverged after {history.epochs} epochs"
    else:
        outcome = f"final loss {history.loss[-1]:.3g}"
    draw_training_run(fig, model, history, X, y,
                      title=f"$\\eta = {lr:g}$: {regime} ({outcome})")


def draw_network(ax, layer_sizes, *, forward=None, backward=None, layer_labels=None,
                 node_labels=None, edge_labels=None, edge_label_at=0.25, fontsize=9,
                 spacing=(1.6, 1.0), node_size=26):
    """A small fully connected network: one column of nodes per layer, edges between.

    ``forward[l][j]`` is text written above node j of layer l in ``NETWORK_VALUE_COLOR``
    (forward values), ``backward[l][j]`` text written below it in ``NETWORK_GRADIENT_COLOR``
    (gradients), ``node_labels[l][j]`` the name inside the node, ``layer_labels[l]`` the
    caption under a column, and ``edge_labels[l][i][j]`` text on the edge from node i of
    layer l to node j of layer l + 1, placed the fraction ``edge_label_at`` of the way
    along it (one number, or one per gap between layers). Entries may be None or "" to
    leave something out. ``spacing`` is the (horizontal, vertical) distance
    between nodes in data units, ``node_size`` the node diameter in points.
    """
    sizes = list(layer_sizes)
    dx, dy = spacing
    along = np.broadcast_to(np.asarray(edge_label_at, dtype=np.float64), (len(sizes) - 1,))

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
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), text,
                            fontsize=fontsize, ha="center", va="center", color="0.3", zorder=2,
                            gid="edge", bbox={"boxstyle": "round,pad=0.1", "fc": "white",
                                              "ec": "none"})
    offset = node_size / 2 + 2
    for layer, size in enumerate(sizes):
        for node in range(size):
            x, y = xy(layer, node)
            ax.plot(x, y, "o", ms=node_size, mfc="white", mec="0.2", mew=1.2, zorder=3)
            label = entry(node_labels, layer, node)
            if label:
                ax.text(x, y, label, ha="center", va="center", fontsize=fontsize + 1, zorder=4)
            text = entry(forward, layer, node)
            if text:
                ax.annotate(text, (x, y), xytext=(0, offset), textcoords="offset points",
                            ha="center", va="bottom", color=NETWORK_VALUE_COLOR,
                            fontsize=fontsize, zorder=5, gid="forward")
            text = entry(backward, layer, node)
            if text:
                ax.annotate(text, (x, y), xytext=(0, -offset), textcoords="offset points",
                            ha="center", va="top", color=NETWORK_GRADIENT_COLOR,
                            fontsize=fontsize, zorder=5, gid="backward")
        caption = entry(layer_labels, layer)
        if caption:
            ax.text(layer * dx, -(max(sizes) - 1) / 2 * dy - 0.75 * dy, caption, ha="center",
                    va="top", fontsize=fontsize, color="0.25")
    half = (max(sizes) - 1) / 2 * dy
    ax.set(xlim=(-0.45 * dx, (len(sizes) - 1) * dx + 0.45 * dx),
           ylim=(-half - 1.2 * dy, half + 0.6 * dy))
    ax.set_axis_off()


# --- Chapter 7: optimizers ------------------------------------------------------------

#: One colour per optimizer, the same in every figure of chapter 7.
OPTIMIZER_COLORS = {"gradient descent": "0.3", "momentum": "C0", "Nesterov": "C4",
                    "RMSprop": "C2", "Adam": "C1"}

#: Where the walks on ``landscapes.narrow_valley`` start in chapter 7.
VALLEY_START = (-9.0, 1.5)
#: Plain gradient descent's learning rate on the valley, the baseline of the explorer.
VALLEY_GD_LR = 0.45


def _optimizer_color(name, index):
    """The colour of an optimizer by (the start of) its name, else the index-th colour."""
    for key, color in OPTIMIZER_COLORS.items():
        if name.startswith(key):
            return color
    return f"C{index % 10}"


def steps_to_reach(losses, tol):
    """The first step t after which every loss is below ``tol`` (None if that never happens).

    A walk that dips below ``tol`` and comes back up has not arrived yet: this counts the
    step from which it stays there.
    """
    above = np.flatnonzero(~(np.asarray(losses, dtype=np.float64) < tol))
    if len(above) == 0:
        return 0
    if above[-1] == len(losses) - 1:
        return None
    return int(above[-1] + 1)


def draw_paths_1d(fig, paths, *, minimum=2.0, ylim=None):
    """Walks on a 1-D loss, one per optimizer: w_t per step (left), |w_t - minimum| (right).

    ``paths`` maps a name (its start picks the colour from ``OPTIMIZER_COLORS``) to the
    iterates w_0, w_1, ...
    """
    ax_w, ax_error = fig.subplots(1, 2)
    for index, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        color = _optimizer_color(name, index)
        ax_w.plot(path, "o-", color=color, ms=2.5, lw=1.3, label=name, gid=f"path:{name}")
        ax_error.semilogy(np.maximum(np.abs(path - minimum), 1e-300), color=color, lw=1.5)
    ax_w.axhline(minimum, color="0.6", ls=":", lw=1)
    ax_w.set(xlabel="step $t$", ylabel="$w_t$")
    if ylim is not None:
        ax_w.set_ylim(ylim)
    ax_w.set_title("the walk", fontsize=10)
    ax_error.set(xlabel="step $t$", ylabel=f"$|w_t - {minimum:g}|$", ylim=(1e-8, 1e2))
    ax_error.set_title("distance to the minimum", fontsize=10)
    ncols = min(len(paths), 3)
    rows = -(-len(paths) // ncols)
    fig.legend(loc="lower center", ncols=ncols, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.075 * rows + 0.02, 1, 1))


def draw_contours(ax, loss, *, xlim, ylim, levels, resolution=200, minima=()):
    """Contour lines of a 2-D loss over a box, with its minima marked as stars."""
    w1 = np.linspace(*xlim, resolution)
    w2 = np.linspace(*ylim, resolution)
    grid = np.stack(np.meshgrid(w1, w2), axis=-1)
    ax.contour(w1, w2, loss(grid), levels=levels, colors="0.7", linewidths=0.7,
               negative_linestyles="solid")
    for point in minima:
        ax.plot(*point, "*", color="gold", mec="k", ms=12, zorder=4)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$w_1$", ylabel="$w_2$")
    ax.set_aspect("equal")


def draw_paths_2d(ax, loss, paths, *, xlim, ylim, levels, minima=(), ms=2.5, legend=True):
    """Walks drawn on the contour map of a 2-D loss, one colour per optimizer.

    ``paths`` maps a name to iterates of shape (steps + 1, 2); each line has the gid
    ``"path:<name>"``. The start is a black ring.
    """
    draw_contours(ax, loss, xlim=xlim, ylim=ylim, levels=levels, minima=minima)
    for index, (name, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=np.float64)
        ax.plot(path[:, 0], path[:, 1], "o-", color=_optimizer_color(name, index), ms=ms,
                lw=1.1, label=name, gid=f"path:{name}", clip_on=True)
        ax.plot(*path[0], "o", ms=8, mfc="none", mec="k", mew=1.2, zorder=5)
    if legend and paths:
        ax.legend(fontsize=9, loc="lower right", framealpha=0.9)


#: Contour levels of the valley plots (log-spaced, so the valley floor shows too).
VALLEY_LEVELS = np.geomspace(0.02, 40, 10)


def draw_valley_explorer(fig, lr, momentum, *, w0=VALLEY_START, steps=60, tol=1e-3):
    """SGD with learning rate ``lr`` and momentum ``momentum`` on the narrow valley.

    Top: the path on the contour map. Bottom: the loss per step (log scale) beside plain
    gradient descent with ``VALLEY_GD_LR`` (grey, dashed). The title says from which step
    the loss stays below ``tol``, or that the walk diverges.
    """
    from . import optim

    def make(params):
        return optim.SGD(params, lr=lr, momentum=momentum)

    path = landscapes.optimizer_path(landscapes.narrow_valley_grad, w0, make, steps)
    baseline = landscapes.descend(landscapes.narrow_valley_grad, w0, VALLEY_GD_LR, steps)
    losses = landscapes.narrow_valley(path)
    grid = fig.add_gridspec(2, 1, height_ratios=[1.25, 1], hspace=0.5, left=0.12, right=0.97,
                            top=0.9, bottom=0.13)
    ax_map, ax_loss = fig.add_subplot(grid[0]), fig.add_subplot(grid[1])
    name = "momentum" if momentum else "gradient descent"
    draw_paths_2d(ax_map, landscapes.narrow_valley, {name: path}, xlim=(-10, 2.5),
                  ylim=(-2.2, 2.2), levels=VALLEY_LEVELS, minima=[(0, 0)], legend=False)
    ax_map.set_ylabel("$w_2$", labelpad=0)
    ax_loss.semilogy(landscapes.narrow_valley(baseline), "--", color="0.55", lw=1.2,
                     label=f"gradient descent, $\\eta = {VALLEY_GD_LR:g}$")
    ax_loss.semilogy(losses, color=_optimizer_color(name, 0), lw=1.6,
                     label=f"$\\eta = {lr:g}$, $\\mu = {momentum:g}$", gid="loss")
    ax_loss.axhline(tol, color="0.6", ls=":", lw=1)
    ax_loss.set(xlim=(0, steps), ylim=(1e-6, 1e3), xlabel="step $t$",
                ylabel=r"$\mathcal{L}(w_t)$")
    ax_loss.set_yticks([1e-6, 1e-3, 1, 1e3])
    ax_loss.legend(fontsize=9, loc="upper right", ncols=2)
    reached = steps_to_reach(losses, tol) if len(path) == steps + 1 else None
    if len(path) < steps + 1 or losses[-1] > losses[0]:
        outcome = "diverges"
    elif reached is None:
        outcome = f"loss not yet below {tol:g} after {steps} steps"
    else:
        outcome = f"loss below {tol:g} from step {reached}"
    fig.suptitle(f"$\\eta = {lr:g}$, $\\mu = {momentum:g}$: {outcome}", fontsize=11)


def draw_path_panels(fig, loss, paths, *, ncols=2, titles=None, **contour_options):
    """One contour map per walk, side by side: ``paths`` maps a name to its iterates.

    ``contour_options`` (xlim, ylim, levels, minima) go to :func:`draw_paths_2d`; the
    panel titles are the names unless ``titles`` gives others.
    """
    n = len(paths)
    nrows = -(-n // ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    titles = list(paths) if titles is None else list(titles)
    for ax, (name, path), title in zip(axes, paths.items(), titles, strict=False):
        draw_paths_2d(ax, loss, {name: path}, legend=False, **contour_options)
        ax.set_title(title, fontsize=10)
        ax.label_outer()
    for ax in axes[n:]:
        ax.set_axis_off()
    fig.tight_layout()


def draw_steps_vs_lr(ax, lrs, steps, *, budget):
    """Steps each optimizer needs to reach a tolerance, against the learning rate.

    ``steps`` maps an optimizer's name to one count per learning rate, None where it did
    not get there within ``budget`` steps (drawn as a cross at the top of the plot).
    """
    for index, (name, counts) in enumerate(steps.items()):
        color = _optimizer_color(name, index)
        reached = [(lr, count) for lr, count in zip(lrs, counts, strict=True) if count is not None]
        missed = [lr for lr, count in zip(lrs, counts, strict=True) if count is None]
        if reached:
            ax.plot(*zip(*reached, strict=True), "o-", color=color, ms=4, lw=1.3, label=name,
                    gid=f"steps:{name}")
        ax.plot(missed, [budget * 1.2 * 1.3**index] * len(missed), "x", color=color, ms=6)
    ax.axhline(budget, color="0.7", ls=":", lw=1)
    ax.text(lrs[0], budget * 1.2 * 1.3 ** len(steps), "×: not within the budget",
            fontsize=9, va="bottom")
    ax.set(xscale="log", yscale="log", xlabel=r"learning rate $\eta$",
           ylabel="steps to reach the tolerance", ylim=(3, budget * 1.2 * 1.3 ** (len(steps) + 2)))
    ax.legend(fontsize=9, loc="lower left")


def draw_batch_noise(fig, runs, loss, *, xlim, ylim, levels, minimum):
    """Mini-batch SGD with several batch sizes on one problem with two parameters.

    ``runs`` maps a label (e.g. the batch size) to ``(epochs, losses, params)``: the
    training-set loss after every update, at its epoch (updates × batch / n), and the
    parameters (shape (updates + 1, 2)). Left: loss per epoch (log scale). Right: the
    parameter paths on the contour map of ``loss``, with the minimum as a star.
    """
    ax_loss, ax_map = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    draw_contours(ax_map, loss, xlim=xlim, ylim=ylim, levels=levels, minima=[minimum])
    for index, (label, (epochs, losses, params)) in enumerate(runs.items()):
        color = f"C{index}"
        ax_loss.semilogy(epochs, losses, color=color, lw=1.1, label=label, gid=f"loss:{label}")
        params = np.asarray(params)
        ax_map.plot(params[:, 0], params[:, 1], color=color, lw=0.8, alpha=0.85)
    ax_loss.set(xlabel="epoch (passes over the data)", ylabel="training loss (MSE)")
    ax_loss.set_yticks([0.3, 0.5, 1, 2, 4], ["0.3", "0.5", "1", "2", "4"])
    ax_loss.minorticks_off()
    ax_loss.legend(fontsize=9, title="batch size", title_fontsize=9)
    ax_loss.set_title("loss after every update", fontsize=10)
    ax_map.set(xlabel="$w$", ylabel="$b$")
    ax_map.set_title("the parameters' paths", fontsize=10)
    fig.tight_layout()


def draw_lr_range_test(ax, lrs, losses, *, smoothed=None, suggestion=None):
    """A learning-rate range test: the loss of each step against its learning rate.

    ``smoothed`` (same length) is drawn over the raw losses; ``suggestion`` is marked
    with a vertical line.
    """
    ax.semilogx(lrs, losses, color="0.7", lw=1, label="loss of each step")
    if smoothed is not None:
        ax.semilogx(lrs, smoothed, color="C0", lw=1.8, label="smoothed", gid="smoothed")
    if suggestion is not None:
        ax.axvline(suggestion, color="C1", ls="--", lw=1.3,
                   label=f"suggested $\\eta$ = {suggestion:.2g}")
    ax.set(xlabel=r"learning rate $\eta$ (log scale)", ylabel="training loss")
    ax.legend(fontsize=9)



# --- Chapter 8: digits ----------------------------------------------------------------

#: Colour map of the digit images: white paper, dark ink.
DIGIT_CMAP = "gray_r"


def _digit(image):
    """One digit as an 8x8 array (from 64 pixels or 8x8)."""
    image = np.asarray(image, dtype=np.float64)
    if image.size != 64:
        raise ValueError(f"a digit has 64 pixels, got an array of shape {image.shape}")
    return image.reshape(8, 8)


def _digit_axes(fig, n, ncols):
    """A grid of ``n`` image axes, ``ncols`` per row, without ticks; unused cells hidden."""
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False).ravel())
    for ax in axes:
        ax.set_axis_off()
    return axes[:n]


def draw_digit_grid(fig, images, titles=None, *, ncols=10, fontsize=10):
    """Digits in a grid, ``ncols`` per row, each with its title (e.g. its label) above it.

    ``images`` has shape (n, 64) or (n, 8, 8) with pixels in [0, 1], drawn dark on white.
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"got {len(images)} images but {len(titles)} titles")
    for position, ax in enumerate(_digit_axes(fig, len(images), ncols)):
        ax.imshow(_digit(images[position]), cmap=DIGIT_CMAP, vmin=0, vmax=1)
        if titles is not None:
            ax.set_title(str(titles[position]), fontsize=fontsize, pad=3)


def draw_training_curves(fig, history, test_accuracy=None):
    """Loss per epoch (left) and accuracy per epoch (right) from a ``bpcore.History``.

    ``test_accuracy`` (one value per epoch, e.g. computed in ``fit``'s progress callback)
    is drawn beside the training accuracy, and its last value is written on the plot.
    """
    epochs = np.arange(1, history.epochs + 1)
    ax_loss, ax_acc = fig.subplots(1, 2)
    ax_loss.plot(epochs, history.loss, color="C0", lw=1.8, gid="loss")
    ax_loss.set_yscale("log")
    ax_loss.set(xlabel="epoch", ylabel="training loss (cross-entropy)", xlim=(0, epochs[-1]))
    ax_loss.set_title("loss", fontsize=10)
    ax_acc.plot(epochs, 100 * np.asarray(history.accuracy), color="C0", lw=1.8,
                label="training set", gid="train-accuracy")
    if test_accuracy is not None:
        test = 100 * np.asarray(test_accuracy, dtype=np.float64)
        if len(test) != len(epochs):
            raise ValueError(f"got {len(test)} test accuracies for {len(epochs)} epochs")
        ax_acc.plot(epochs, test, color="C1", lw=1.8, label="test set", gid="test-accuracy")
        ax_acc.annotate(f"{test[-1]:.1f}%", (epochs[-1], test[-1]), xytext=(-4, -14),
                        textcoords="offset points", ha="right", color="C1", fontsize=9)
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", xlim=(0, epochs[-1]))
    ax_acc.grid(alpha=0.3)
    ax_acc.legend(loc="lower right", fontsize=9)
    ax_acc.set_title("accuracy", fontsize=10)
    fig.tight_layout()


def draw_confusion_matrix(fig, matrix, *, class_names=None):
    """A confusion matrix: row = true class, column = predicted class, every count written.

    Correct answers (the diagonal) are shaded blue, mistakes (off the diagonal) red, so
    the few mistakes stand out beside the many correct answers.
    """
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"a confusion matrix is square, got shape {matrix.shape}")
    k = len(matrix)
    names = [str(name) for name in (class_names if class_names is not None else range(k))]
    diagonal = np.eye(k, dtype=bool)
    ax = fig.subplots()
    ax.imshow(np.ma.masked_where(~diagonal, matrix), cmap="Blues", vmin=0,
              vmax=max(matrix.max(), 1) * 1.4)
    mistakes = np.ma.masked_where(diagonal | (matrix == 0), matrix)
    ax.imshow(mistakes, cmap="Reds", vmin=0, vmax=max(mistakes.max() if mistakes.count() else 1,
                                                         1) * 1.6)
    for (row, column), count in np.ndenumerate(matrix):
        if count:
            ax.text(column, row, str(count), ha="center", va="center", fontsize=9,
                    color="k" if row != column else "navy", gid="count")
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set(xlabel="predicted class", ylabel="true class")
    ax.set_xticks(np.arange(k + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(k + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="0.85", lw=0.6)
    ax.tick_params(which="minor", length=0)
    errors = int(matrix.sum() - np.trace(matrix))
    ax.set_title(f"{int(np.trace(matrix))} right (blue), {errors} wrong (red) "
                 f"of {int(matrix.sum())}", fontsize=10)
    fig.tight_layout()


def top_two(probabilities):
    """The two most probable classes of each row and their probabilities, best first.

    Returns (classes, probabilities), both of shape (n, 2).
    """
    probabilities = np.atleast_2d(np.asarray(probabilities, dtype=np.float64))
    classes = np.argsort(-probabilities, axis=1, kind="stable")[:, :2]
    return classes, np.take_along_axis(probabilities, classes, axis=1)


def draw_misclassified(fig, images, labels, probabilities, *, ncols=6):
    """Digits the network got wrong: the true label and the two most probable classes.

    Each title reads "true 4" over "8: 66%  4: 30%" (class: predicted probability).
    """
    images = np.asarray(images, dtype=np.float64).reshape(len(images), -1)
    classes, best = top_two(probabilities)
    if not len(images) == len(labels) == len(classes):
        raise ValueError(f"got {len(images)} images, {len(labels)} labels and "
                         f"{len(classes)} rows of probabilities")
    titles = [f"true {label}\n{c[0]}: {100 * p[0]:.0f}%\n{c[1]}: {100 * p[1]:.0f}%"
              for label, c, p in zip(labels, classes, best, strict=True)]
    draw_digit_grid(fig, images, titles, ncols=ncols, fontsize=9)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=0.86, hspace=0.75)


def draw_input_gradients(fig, image, gradients, titles, *, image_title="input"):
    """A digit beside heat maps of gradients with respect to its 64 pixels.

    Red pixels have a positive gradient (making them darker raises the quantity), blue a
    negative one. All heat maps share one symmetric colour scale; the digit's outline
    (ink above 0.5) is traced on each.
    """
    from matplotlib import cm
    from matplotlib.colors import Normalize

    image = _digit(image)
    gradients = [_digit(g) for g in gradients]
    if len(titles) != len(gradients):
        raise ValueError(f"got {len(gradients)} gradients but {len(titles)} titles")
    limit = max(max(float(np.abs(g).max()) for g in gradients), 1e-12)
    norm = Normalize(-limit, limit)
    grid = fig.add_gridspec(2, 1 + len(gradients), height_ratios=[1, 0.05], hspace=0.35,
                            left=0.02, right=0.98, top=0.88, bottom=0.2, wspace=0.12)
    axes = [fig.add_subplot(grid[0, column]) for column in range(1 + len(gradients))]
    axes[0].imshow(image, cmap=DIGIT_CMAP, vmin=0, vmax=1)
    axes[0].set_title(image_title, fontsize=10)
    for ax, gradient, title in zip(axes[1:], gradients, titles, strict=True):
        ax.imshow(gradient, cmap="RdBu_r", norm=norm)
        ax.contour(image, levels=[0.5], colors="k", linewidths=0.8)
        ax.set_title(title, fontsize=10)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    colorbar = fig.colorbar(cm.ScalarMappable(norm=norm, cmap="RdBu_r"),
                            cax=fig.add_subplot(grid[1, 1:]), orientation="horizontal")
    colorbar.set_label("red: darkening this pixel raises it; blue: lowers it", fontsize=9)
    colorbar.ax.tick_params(labelsize=9)


# --- Chapter 6: gradient flow ---------------------------------------------------------

#: "Too small" and "too large" fixed-std initialisations of chapter 6 (He for width 32
#: would be std 0.25).
TOO_SMALL_STD, TOO_LARGE_STD = 0.01, 1.0

#: The explorer's "activation / initialisation" choices: label -> (activation, init), where
#: init is a scheme name of bpcore.init or a number, the std of a fixed-std normal.
GRADIENT_FLOW_SETUPS = {
    "sigmoid / Xavier": ("sigmoid", "xavier_normal"),
    "tanh / Xavier": ("tanh", "xavier_normal"),
    "ReLU / He": ("relu", "he_normal"),
    "ReLU / too small": ("relu", TOO_SMALL_STD),
    "ReLU / too large": ("relu", TOO_LARGE_STD),
}

#: Fixed log-scale limits of the gradient-flow figure, so that its frames compare.
GRADIENT_FLOW_YLIM = (1e-32, 1e14)

#: Colours of forward quantities (activations) and backward ones (gradients).
FORWARD_COLOR, BACKWARD_COLOR = "C0", "C3"


def layer_statistics(model, X, y, loss):
    """One forward and one backward pass of ``model`` on (X, y), layer by layer.

    Returns ``(activation_std, grad_norms)``: the standard deviation of the output of every
    activation module, in forward order, and the Frobenius norm of ∂L/∂W for every 2-D
    parameter (the weight matrices), in forward order. Gradients are zeroed first, so
    ``grad_norms`` are those of this one batch.
    """
    from .layers import Activation

    model.zero_grad()
    a, activation_std = X, []
    for layer in model:
        a = layer(a)
        if isinstance(layer, Activation):
            activation_std.append(float(np.std(a)))
    loss(a, y)
    model.backward(loss.backward())
    grad_norms = [float(np.linalg.norm(p.grad)) for p in model.parameters() if p.data.ndim == 2]
    return np.array(activation_std), np.array(grad_norms)


def _init_scheme(init):
    """A scheme name of bpcore.init as is, or a number std as the scheme normal(std)."""
    from . import init as schemes

    return init if isinstance(init, str) else schemes.normal(init)


def gradient_flow(depth, setup, *, width=32, seed=0):
    """Activation stds and weight-gradient norms of a fresh deep network on the spiral.

    The network is ``MLP([2] + [width] * depth + [3])`` with the activation and
    initialisation of ``GRADIENT_FLOW_SETUPS[setup]``, weights seeded by ``seed``; the batch
    is ``bpcore.spiral(n_per_class=100, seed=0)`` under cross-entropy. Returns what
    :func:`layer_statistics` returns: ``depth`` activation stds and ``depth + 1`` norms.
    """
    from .data import spiral
    from .losses import CrossEntropyLoss
    from .mlp import MLP

    if setup not in GRADIENT_FLOW_SETUPS:
        raise ValueError(f"unknown setup {setup!r}; valid setups are "
                         f"{', '.join(map(repr, GRADIENT_FLOW_SETUPS))}")
    activation, init = GRADIENT_FLOW_SETUPS[setup]
    model = MLP([2] + [width] * depth + [3], activation=activation, init=_init_scheme(init),
                seed=seed)
    X, y = spiral(n_per_class=100, n_classes=3, seed=0)
    return layer_statistics(model, X, y, CrossEntropyLoss())


def _log_profile(ax, values, color, ylim):
    """``values`` against layer 1, 2, ... as dots and lines on a log axis with limits ``ylim``.

    Values below the axis (including zeros) are drawn as ▼ on its bottom edge. The line has
    ``gid="profile"`` and holds the values as given.
    """
    values = np.asarray(values, dtype=np.float64)
    x = np.arange(1, len(values) + 1)
    ax.plot(x, values, "o-", color=color, ms=4, lw=1.5, gid="profile")
    below = values < ylim[0]
    ax.plot(x[below], np.full(below.sum(), ylim[0] * 3), "v", color=color, ms=6, clip_on=False)


def draw_gradient_flow(fig, depth, setup, *, max_depth=20, width=32, seed=0):
    """Forward and backward signal, layer by layer, in a fresh network of ``depth`` layers.

    Left: the standard deviation of each hidden layer's activations (blue). Right: the norm
    of ∂L/∂W for each weight matrix, first to last (red). Both on fixed log axes (layers 1
    to ``max_depth + 1``, ``GRADIENT_FLOW_YLIM``), so frames of an explorer compare. The
    title gives the ratio of the first layer's gradient norm to the last one's.
    """
    from matplotlib.ticker import NullLocator

    activation_std, grad_norms = gradient_flow(depth, setup, width=width, seed=seed)
    ylim = GRADIENT_FLOW_YLIM
    ax_forward, ax_backward = fig.subplots(1, 2, sharey=True)
    fig.subplots_adjust(left=0.11, right=0.98, bottom=0.15, top=0.8, wspace=0.08)
    _log_profile(ax_forward, activation_std, FORWARD_COLOR, ylim)
    _log_profile(ax_backward, grad_norms, BACKWARD_COLOR, ylim)
    decades = [-30, -20, -10, 0, 10]
    for ax, title in ((ax_forward, "forward: std of activations"),
                      (ax_backward, "backward: gradient norm ‖∂L/∂W‖")):
        ax.set_yscale("log")
        ax.set_ylim(ylim)
        ax.yaxis.set_minor_locator(NullLocator())  # few plain-text ticks: quick to draw
        ax.set_yticks([10.0**k for k in decades], [f"1e{k}" if k else "1" for k in decades])
        ax.set_xlim(0.4, max_depth + 1.6)
        ax.set_xticks([1, 5, 10, 15, 20])
        ax.axhline(1, color="0.6", lw=0.8, ls=":")
        ax.set_xlabel("layer ℓ", fontsize=10)
        ax.set_title(title, fontsize=10)
        ax.tick_params(labelsize=9)
    ratio = grad_norms[0] / grad_norms[-1]
    fig.suptitle(f"{setup}, {depth} hidden layers: first/last gradient {ratio:.1e}",
                 fontsize=11)


# --- Chapter 3: computational graphs ----------------------------------------------------

#: Forward values (blue) and gradients (red) in chapter 3's graphs, as in chapters 2, 4, 5.
GRAPH_VALUE_COLOR = "#1f4e9c"
GRAPH_GRADIENT_COLOR = "#c0392b"

_GRAPH_OP_SYMBOLS = {"*": "×", "+": "+"}


def _graph_nodes(root):
    """The nodes of the graph under ``root`` in topological order; TypeError if not a Value."""
    from .value import Value

    if not isinstance(root, Value):
        raise TypeError(f"draw a graph from a bpcore.Value (its output node), got "
                        f"{type(root).__name__}")
    return root.topological_order()


def _graph_spread(desired, gap=1.0):
    """Rows as close as possible to ``desired`` (top to bottom) with at least ``gap`` between.

    Least squares under the ordering constraints: pool-adjacent-violators on desired + i·gap.
    """
    blocks = []  # [sum, count] of pooled entries of z_i = desired_i + i·gap (non-increasing)
    for i, d in enumerate(desired):
        blocks.append([d + i * gap, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] < blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    z = [total / count for total, count in blocks for _ in range(count)]
    return [value - i * gap for i, value in enumerate(z)]


def graph_layout(root, *, inputs_left=False):
    """Positions (column, row) of every node of the graph under the Value ``root``.

    Layered layout: a node's column is its depth from the inputs, 0 for a node without
    parents and otherwise one more than its deepest parent's, so every edge points to the
    right. Inputs are moved right to the column just before their first use, which keeps
    edges short (``inputs_left=True`` keeps all of them in column 0). Rows are placed from
    the output back: the output at row 0, each node's parents spread around it, nodes of
    one column at least one row apart. Returns a dict ``node -> (column, row)``.
    """
    order = _graph_nodes(root)
    column = {}
    for node in order:  # parents come first in a topological order
        column[node] = 1 + max((column[p] for p in node.parents), default=-1)
    uses = {node: [] for node in order}  # (child, position among the child's parents)
    for node in order:
        for k, parent in enumerate(node.parents):
            uses[parent].append((node, k))
    if not inputs_left:
        for node in order:
            if not node.parents and uses[node]:
                column[node] = min(column[child] for child, _ in uses[node]) - 1
    rank = {node: i for i, node in enumerate(order)}
    row = {root: 0.0}
    for c in range(column[root] - 1, -1, -1):
        nodes = [node for node in order if column[node] == c]
        desired = {node: np.mean([row[child] + (len(child.parents) - 1) / 2 - k
                                  for child, k in uses[node]]) for node in nodes}
        nodes.sort(key=lambda node: (-desired[node], -rank[node]))
        row.update(zip(nodes, _graph_spread([desired[node] for node in nodes]), strict=True))
    return {node: (column[node], float(row[node])) for node in order}


def _graph_curve(start, end, bend):
    """Control points of a quadratic Bézier from start to end, bowed by ``bend`` in y."""
    (x0, y0), (x1, y1) = start, end
    return np.array([[x0, y0], [(x0 + x1) / 2, (y0 + y1) / 2 + bend], [x1, y1]])


def _graph_bezier(points, t):
    p0, p1, p2 = points
    t = np.asarray(t)[..., None]
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def _graph_bend(start, end, boxes, half_height, preferred):
    """The smallest bend (in steps of 0.1) that keeps the curve off the nodes' boxes."""
    (x0, _), (x1, _) = start, end
    inside = [(x, y) for x, y in boxes if x0 < x < x1]
    if not inside:
        return 0.0
    for size in np.arange(0, 6.01, 0.1):
        for sign in (preferred, -preferred):
            bend = sign * size
            points = _graph_curve(start, end, bend)
            if all(abs(_graph_bezier(points, (x - x0) / (x1 - x0))[1] - y) > half_height + 0.12
                   for x, y in inside):
                return bend
    return preferred * 6.0


def _graph_node_name(node):
    """"label (op)", or whichever of the two the node has."""
    op = _GRAPH_OP_SYMBOLS.get(node.op, node.op)
    return f"{node.label} ({op})" if node.label and op else node.label or op


def graph_number(value):
    """A short label for a number: three significant digits, tiny ones as "1.5e-4"."""
    if value != 0 and abs(value) < 1e-3:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.3g}"


def _graph_overlap(a, b):
    """Area shared by two rectangles (x0, x1, y0, y1)."""
    return (max(0.0, min(a[1], b[1]) - max(a[0], b[0]))
            * max(0.0, min(a[3], b[3]) - max(a[2], b[2])))


def draw_graph(root, ax=None, *, show_grad=None, edge_labels=True, fmt=graph_number,
               inputs_left=False, legend=True, max_nodes=40, fontsize=9):
    """Draw the computational graph that ends in the Value ``root``.

    Each node is a box with its ``label`` and ``op`` (for example "e (+)"), its forward
    value in blue and its gradient ``.grad`` in red. Each edge parent -> child is a pair
    of arrows: the blue one carries the parent's value forward, the red one carries back
    the gradient that flows along this edge, local derivative times the child's gradient
    (where a node feeds several children, its gradient is the sum of these). Gradients
    are shown when ``show_grad`` is True, or by default when ``root.backward()`` has
    been run (``root.grad == 1``). Columns and rows follow :func:`graph_layout`; numbers
    are written by ``fmt``, a function or a format string such as ``"{:.2f}"``.

    Draws on ``ax`` (its limits are set to fit the graph), or on a new figure sized to
    the graph, and returns the Axes. Node boxes have ``gid="graph-node"``, forward arrows
    ``"graph-forward"`` and gradient arrows ``"graph-gradient"`` (their labels the same
    with ``"-label"``); all are among ``ax.get_children()``. Raises
    TypeError if ``root`` is not a ``bpcore.Value`` and ValueError for a graph of more
    than ``max_nodes`` nodes, too many to read.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    nodes = _graph_nodes(root)
    if len(nodes) > max_nodes:
        raise ValueError(f"the graph has {len(nodes)} nodes, more than max_nodes={max_nodes}, "
                         "too many to draw legibly")
    if show_grad is None:
        show_grad = root.grad == 1.0
    if isinstance(fmt, str):
        fmt = fmt.format
    position = graph_layout(root, inputs_left=inputs_left)
    n_columns = 1 + max(x for x, _ in position.values())
    if ax is None:
        n_rows = max(y for _, y in position.values()) - min(y for _, y in position.values()) + 1
        _, ax = plt.subplots(figsize=(min(max(0.4 + 1.45 * n_columns, 4.8), 7.4),
                                      max(2.6, 0.95 * n_rows + 1.1)))
    height = 0.62 if show_grad else 0.46
    shift = 0.045 if show_grad else 0.0  # forward arrows above, gradient arrows below

    ax.set_xlim(-0.5, n_columns - 0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.axis("off")
    # Data units per point, to size the boxes and keep edge labels off boxes and each other.
    box = ax.get_position()
    per_point_x = n_columns / (box.width * ax.figure.get_figwidth() * 72)
    names = {node: _graph_node_name(node) for node in nodes}
    longest = max(len(text) for node in nodes
                  for text in (names[node], fmt(node.data), fmt(node.grad)))
    width = min(max((0.6 * fontsize * longest + 8) * per_point_x, 0.5), 0.64)

    # Every edge parent -> child as a curve, spread over the sides of the two boxes.
    edges = [(parent, node, k) for node in nodes for k, parent in enumerate(node.parents)]
    n_out = {node: 0 for node in nodes}
    n_pair = {}
    for parent, node, _ in edges:
        n_out[parent] += 1
        n_pair[(parent, node)] = n_pair.get((parent, node), 0) + 1
    seen_out, seen_pair, curves = dict.fromkeys(nodes, 0), {}, []
    for parent, node, k in edges:
        (xp, yp), (xc, yc) = position[parent], position[node]
        j, m = seen_out[parent], len(node.parents)
        seen_out[parent] += 1
        start = (xp + width / 2, yp + ((n_out[parent] - 1) / 2 - j) * 0.5 * height / n_out[parent])
        end = (xc - width / 2, yc + ((m - 1) / 2 - k) * 0.5 * height / m)
        others = [xy for other, xy in position.items() if other not in (parent, node)]
        bend = _graph_bend(start, end, others, height / 2, 1.0 if yp + yc >= 0 else -1.0)
        d = seen_pair.get((parent, node), 0)
        seen_pair[(parent, node)] = d + 1
        bend += (d - (n_pair[(parent, node)] - 1) / 2) * 1.3  # the same pair twice: x * x
        curves.append((parent, node, k, _graph_curve(start, end, bend)))

    ys = [y for _, y in position.values()]
    ys += [y for *_, points in curves for y in _graph_bezier(points, np.linspace(0, 1, 9))[:, 1]]
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    per_point_y = np.ptp(ax.get_ylim()) / (box.height * ax.figure.get_figheight() * 72)
    taken = [(x - width / 2, x + width / 2, y - height / 2, y + height / 2)
             for x, y in position.values()]

    def label_box(x, y, text, direction):
        w = (0.58 * fontsize * len(text) + 3) * per_point_x
        h = (1.2 * fontsize + 2) * per_point_y
        y0 = y + 0.02 * direction
        return (x - w / 2, x + w / 2, *sorted((y0, y0 + direction * h)))

    for parent, node, k, points in curves:
        contribution = node.local_grads[k] * node.grad
        arrows = [(1, GRAPH_VALUE_COLOR, shift, parent.data, "graph-forward")]
        if show_grad:
            arrows.append((-1, GRAPH_GRADIENT_COLOR, -shift, contribution, "graph-gradient"))
        for direction, colour, offset, _, gid in arrows:
            moved = points + [0.0, offset]
            path = Path(moved if direction == 1 else moved[::-1],
                        [Path.MOVETO, Path.CURVE3, Path.CURVE3])
            ax.add_artist(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=9, lw=1.1,
                                          color=colour, shrinkA=0, shrinkB=0, zorder=2, gid=gid))
        if not edge_labels:
            continue
        best = None
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78):
            x, y = _graph_bezier(points, t)
            boxes = [label_box(x, y + offset, fmt(value), direction)
                     for direction, _, offset, value, _ in arrows]
            cost = sum(_graph_overlap(b, other) for b in boxes for other in taken)
            if best is None or cost < best[0] - 1e-12:
                best = (cost, x, y, boxes)
        _, x, y, boxes = best
        taken.extend(boxes)
        for direction, colour, offset, value, gid in arrows:
            ax.text(x, y + offset + 0.02 * direction, fmt(value), color=colour,
                    ha="center", va="bottom" if direction == 1 else "top", fontsize=fontsize,
                    zorder=4, gid=f"{gid}-label",
                    bbox={"boxstyle": "round,pad=0.05", "fc": "white", "ec": "none",
                          "alpha": 0.85})

    for node in nodes:
        x, y = position[node]
        face = "#f2f2f2" if not node.parents else "#fff6dd"
        ax.add_artist(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                     boxstyle="round,pad=0,rounding_size=0.06", fc=face, ec="k",
                                     lw=1.8 if node is root else 1.0, zorder=3, gid="graph-node"))
        lines = [(names[node], "k")] if names[node] else []
        lines.append((fmt(node.data), GRAPH_VALUE_COLOR))
        if show_grad:
            lines.append((fmt(node.grad), GRAPH_GRADIENT_COLOR))
        step = height / (len(lines) + 0.6)
        for i, (text, colour) in enumerate(lines):
            ax.text(x, y + ((len(lines) - 1) / 2 - i) * step, text, color=colour, ha="center",
                    va="center", fontsize=fontsize, zorder=5, gid="graph-node-text")

    if legend:
        handles = [Line2D([], [], color=GRAPH_VALUE_COLOR, marker=">", lw=1.5,
                          label="forward: value")]
        if show_grad:
            handles.append(Line2D([], [], color=GRAPH_GRADIENT_COLOR, marker="<", lw=1.5,
                                  label=f"backward: gradient ∂{root.label or 'out'}/∂node"))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=2,
                  fontsize=fontsize, frameon=False)
    return ax


def neuron_graph(x1=0.5, x2=-2.0, w1=1.5, w2=-0.25, b=0.1):
    """The graph of one tanh neuron, o = tanh(x1·w1 + x2·w2 + b), built from Values.

    Returns a dict of its nodes by name: the inputs "x1", "x2", "w1", "w2", "b", the
    products "p1", "p2", the sums "s" and "n", and the output "o". No backward pass is run.
    """
    from .value import Value

    x1, w1 = Value(x1, label="x₁"), Value(w1, label="w₁")
    x2, w2 = Value(x2, label="x₂"), Value(w2, label="w₂")
    b = Value(b, label="b")
    p1 = x1 * w1
    p2 = x2 * w2
    s = p1 + p2
    n = s + b
    o = n.tanh()
    for node, label in ((p1, "p₁"), (p2, "p₂"), (s, "s"), (n, "n"), (o, "o")):
        node.label = label
    return {"x1": x1, "w1": w1, "x2": x2, "w2": w2, "b": b, "p1": p1, "p2": p2, "s": s,
            "n": n, "o": o}


def draw_neuron_graph(fig, x1, **weights):
    """The neuron of :func:`neuron_graph` at input ``x1``, after ``o.backward()``.

    The title gives the output and the gradient of the weight w1, ∂o/∂w1 = x1·(1 - o²):
    zero when x1 = 0 and small when the neuron saturates (|n| large, o near ±1).
    """
    nodes = neuron_graph(x1=x1, **weights)
    nodes["o"].backward()
    ax = fig.subplots()
    draw_graph(nodes["o"], ax=ax, fontsize=10)
    ax.set_title(f"x₁ = {x1:g}:  o = {graph_number(nodes['o'].data)},  1 − o² = "
                 f"{graph_number(1 - nodes['o'].data ** 2)},  "
                 f"∂o/∂w₁ = {graph_number(nodes['w1'].grad)}",
                 fontsize=11)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.1)
