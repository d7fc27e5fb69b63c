"""Chapter 3: computational graphs."""

import numpy as np

from ..examples.graph import neuron_graph
from ..value import Value
from .style import GRADIENT_COLOR, VALUE_COLOR

_GRAPH_OP_SYMBOLS = {"*": "×", "+": "+"}


def _graph_nodes(root):
    """The nodes of the graph under ``root`` in topological order.

    TypeError if ``root`` is not a Value.
    """
    if not isinstance(root, Value):
        raise TypeError(
            "draw a graph from a bpcore.Value (its output node), got "
            f"{type(root).__name__}"
        )
    return root.topological_order()


def _graph_spread(desired, gap=1.0):
    """Rows as close as possible to ``desired``, at least ``gap`` apart.

    ``desired`` runs from top to bottom. Least squares under the ordering
    constraints: pool-adjacent-violators on desired + i·gap.
    """
    # [sum, count] of pooled entries of z_i = desired_i + i·gap
    # (non-increasing)
    blocks = []
    for i, d in enumerate(desired):
        blocks.append([d + i * gap, 1])
        while (
            len(blocks) > 1
            and blocks[-2][0] / blocks[-2][1]
            < blocks[-1][0] / blocks[-1][1]
        ):
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    z = [total / count for total, count in blocks for _ in range(count)]
    return [value - i * gap for i, value in enumerate(z)]


def graph_layout(root, *, inputs_left=False):
    """The (column, row) of each node of the graph under the Value ``root``.

    Layered layout: a node's column is its depth from the inputs, 0 for a
    node without parents and otherwise one more than its deepest parent's,
    so every edge points to the right. Inputs are moved right to the column
    just before their first use, which keeps edges short
    (``inputs_left=True`` keeps all of them in column 0). Rows are placed
    from the output back: the output at row 0, each node's parents spread
    around it, nodes of one column at least one row apart. Returns a dict
    ``node -> (column, row)``.

    Drawn in :doc:`/chapters/03_autodiff`.
    """
    order = _graph_nodes(root)
    column = {}
    for node in order:  # parents come first in a topological order
        column[node] = 1 + max(
            (column[p] for p in node.parents), default=-1
        )
    uses = {
        node: [] for node in order
    }  # (child, position among the child's parents)
    for node in order:
        for k, parent in enumerate(node.parents):
            uses[parent].append((node, k))
    if not inputs_left:
        for node in order:
            if not node.parents and uses[node]:
                column[node] = (
                    min(column[child] for child, _ in uses[node]) - 1
                )
    rank = {node: i for i, node in enumerate(order)}
    row = {root: 0.0}
    for c in range(column[root] - 1, -1, -1):
        nodes = [node for node in order if column[node] == c]
        desired = {
            node: np.mean(
                [
                    row[child] + (len(child.parents) - 1) / 2 - k
                    for child, k in uses[node]
                ]
            )
            for node in nodes
        }
        nodes.sort(key=lambda node: (-desired[node], -rank[node]))
        row.update(
            zip(
                nodes,
                _graph_spread([desired[node] for node in nodes]),
                strict=True,
            )
        )
    return {node: (column[node], float(row[node])) for node in order}


def _graph_curve(start, end, bend):
    """Control points of a quadratic Bézier from start to end.

    The curve is bowed by ``bend`` in y.
    """
    (x0, y0), (x1, y1) = start, end
    return np.array(
        [[x0, y0], [(x0 + x1) / 2, (y0 + y1) / 2 + bend], [x1, y1]]
    )


def _graph_bezier(points, t):
    p0, p1, p2 = points
    t = np.asarray(t)[..., None]
    return (1 - t) ** 2 * p0 + 2 * t * (1 - t) * p1 + t**2 * p2


def _graph_bend(start, end, boxes, half_height, preferred):
    """The smallest bend that keeps the curve off the nodes' boxes.

    Bends are tried in steps of 0.1.
    """
    (x0, _), (x1, _) = start, end
    inside = [(x, y) for x, y in boxes if x0 < x < x1]
    if not inside:
        return 0.0
    for size in np.arange(0, 6.01, 0.1):
        for sign in (preferred, -preferred):
            bend = sign * size
            points = _graph_curve(start, end, bend)
            if all(
                abs(_graph_bezier(points, (x - x0) / (x1 - x0))[1] - y)
                > half_height + 0.12
                for x, y in inside
            ):
                return bend
    return preferred * 6.0


def _graph_node_name(node):
    """ "label (op)", or whichever of the two the node has."""
    op = _GRAPH_OP_SYMBOLS.get(node.op, node.op)
    return f"{node.label} ({op})" if node.label and op else node.label or op


def graph_number(value):
    """A short label for a number, to three significant digits.

    Tiny numbers are written as "1.5e-4".

    Drawn in :doc:`/chapters/03_autodiff`.
    """
    if value != 0 and abs(value) < 1e-3:
        mantissa, exponent = f"{value:.1e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:.3g}"


def _graph_areas_shared(boxes, others):
    """For each box, the area it shares with all of ``others``.

    Boxes are rows (x0, x1, y0, y1) of an array; returns one number a box.
    """
    boxes, others = np.asarray(boxes)[:, None], np.asarray(others)[None]
    if others.size == 0:
        return np.zeros(len(boxes))
    wide = np.minimum(boxes[..., 1], others[..., 1])
    wide -= np.maximum(boxes[..., 0], others[..., 0])
    high = np.minimum(boxes[..., 3], others[..., 3])
    high -= np.maximum(boxes[..., 2], others[..., 2])
    return np.sum(np.maximum(wide, 0) * np.maximum(high, 0), axis=1)


def _graph_hits(boxes, points, margin):
    """For each box (a row x0, x1, y0, y1), how many ``points`` it holds.

    The boxes are widened by ``margin`` on every side, for the width of the
    stroke and the arrowheads.
    """
    x, y = points[None, :, 0], points[None, :, 1]
    x0, x1, y0, y1 = (np.asarray(boxes)[:, [i]] for i in range(4))
    inside_x = (x > x0 - margin) & (x < x1 + margin)
    inside_y = (y > y0 - margin) & (y < y1 + margin)
    return np.sum(inside_x & inside_y, axis=1)


def _graph_distances(boxes, points):
    """For each box (a row x0, x1, y0, y1), how far the nearest of
    ``points`` is from it (0 inside; inf without points)."""
    if len(points) == 0:
        return np.full(len(boxes), np.inf)
    x, y = points[None, :, 0], points[None, :, 1]
    x0, x1, y0, y1 = (np.asarray(boxes)[:, [i]] for i in range(4))
    dx = np.maximum(np.maximum(x0 - x, x - x1), 0)
    dy = np.maximum(np.maximum(y0 - y, y - y1), 0)
    return np.sqrt(np.min(dx**2 + dy**2, axis=1))


def _graph_label_spots(curve, t, side, size, gap):
    """Where a label of ``size`` (w, h) goes beside ``curve`` at ``t``.

    All in points; ``t``, ``side`` and ``gap`` are arrays of one length, a
    candidate each. The label sits on the left of the curve's direction
    (``side`` 1: above a rightward edge) or on its right (``side`` -1), its
    box ``gap`` clear of the curve: along the normal n, a box w x h reaches
    |n_x| w/2 + |n_y| h/2 from its centre, which matters on a steep edge.
    Returns the boxes, rows (x0, x1, y0, y1).
    """
    p0, p1, p2 = curve
    t = np.asarray(t)[:, None]
    tangent = 2 * (1 - t) * (p1 - p0) + 2 * t * (p2 - p1)
    tangent /= np.hypot(tangent[:, :1], tangent[:, 1:])
    normal = np.asarray(side)[:, None] * tangent[:, ::-1] * [-1, 1]
    w, h = size
    reach = np.abs(normal) @ [w / 2, h / 2] + gap
    x, y = (_graph_bezier(curve, t[:, 0]) + reach[:, None] * normal).T
    return np.column_stack([x - w / 2, x + w / 2, y - h / 2, y + h / 2])


def draw_graph(
    root,
    ax=None,
    *,
    show_grad=None,
    edge_labels=True,
    fmt=graph_number,
    inputs_left=False,
    legend=True,
    max_nodes=40,
    fontsize=9,
    label_fontsize=None,
):
    """Draw the computational graph that ends in the Value ``root``.

    Each node is a box with its ``label`` and ``op`` (for example "e (+)"),
    its forward value in blue and its gradient ``.grad`` in red. Each edge
    parent -> child is a pair of arrows: the blue one carries the parent's
    value forward, the red one carries back the gradient that flows along
    this edge, local derivative times the child's gradient (where a node
    feeds several children, its gradient is the sum of these). The numbers
    sit beside their arrows, the value above and the gradient below where
    there is room, clear of every arrow and, where they fit, of the nodes
    and each other (``label_fontsize``, by default ``fontsize``, sizes
    them; a smaller size leaves them more room). Gradients are
    shown when ``show_grad`` is True, or by default when ``root.backward()``
    has been run (``root.grad == 1``). Columns and rows follow
    :func:`graph_layout`; numbers are written by ``fmt``, a function or a
    format string such as ``"{:.2f}"``.

    Draws on ``ax`` (its limits are set to fit the graph), or on a new
    figure sized to the graph, and returns the Axes. Node boxes have
    ``gid="graph-node"``, forward arrows ``"graph-forward"`` and gradient
    arrows ``"graph-gradient"`` (their labels the same with ``"-label"``);
    all are among ``ax.get_children()``. Raises TypeError if ``root`` is not
    a ``bpcore.Value`` and ValueError for a graph of more than ``max_nodes``
    nodes, too many to read.

    Drawn in :doc:`/chapters/03_autodiff`.
    """
    import matplotlib.pyplot as plt
    from matplotlib.font_manager import FontProperties
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path
    from matplotlib.textpath import TextToPath

    nodes = _graph_nodes(root)
    if len(nodes) > max_nodes:
        raise ValueError(
            f"the graph has {len(nodes)} nodes, more than "
            f"max_nodes={max_nodes}, too many to draw legibly"
        )
    if show_grad is None:
        show_grad = root.grad == 1.0
    if isinstance(fmt, str):
        fmt = fmt.format
    position = graph_layout(root, inputs_left=inputs_left)
    n_columns = 1 + max(x for x, _ in position.values())
    if ax is None:
        n_rows = (
            max(y for _, y in position.values())
            - min(y for _, y in position.values())
            + 1
        )
        _, ax = plt.subplots(
            figsize=(
                min(max(0.4 + 1.45 * n_columns, 4.8), 7.4),
                max(2.6, 0.95 * n_rows + 1.1),
            )
        )
    height = 0.62 if show_grad else 0.46
    # forward arrows above, gradient arrows below
    shift = 0.045 if show_grad else 0.0

    ax.set_xlim(-0.5, n_columns - 0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.axis("off")
    # Data units per point, to size the boxes and keep edge labels off boxes
    # and each other.
    box = ax.get_position()
    per_point_x = n_columns / (box.width * ax.figure.get_figwidth() * 72)
    names = {node: _graph_node_name(node) for node in nodes}
    longest = max(
        len(text)
        for node in nodes
        for text in (names[node], fmt(node.data), fmt(node.grad))
    )
    width = min(
        max((0.6 * fontsize * longest + 8) * per_point_x, 0.5), 0.64
    )

    # Every edge parent -> child as a curve, spread over the sides of the
    # two boxes.
    edges = [
        (parent, node, k)
        for node in nodes
        for k, parent in enumerate(node.parents)
    ]
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
        start = (
            xp + width / 2,
            yp
            + ((n_out[parent] - 1) / 2 - j) * 0.5 * height / n_out[parent],
        )
        end = (xc - width / 2, yc + ((m - 1) / 2 - k) * 0.5 * height / m)
        others = [
            xy
            for other, xy in position.items()
            if other not in (parent, node)
        ]
        bend = _graph_bend(
            start, end, others, height / 2, 1.0 if yp + yc >= 0 else -1.0
        )
        d = seen_pair.get((parent, node), 0)
        seen_pair[(parent, node)] = d + 1
        # the same pair twice: x * x
        bend += (d - (n_pair[(parent, node)] - 1) / 2) * 1.3
        curves.append((parent, node, k, _graph_curve(start, end, bend)))

    ys = [y for _, y in position.values()]
    ys += [
        y
        for *_, points in curves
        for y in _graph_bezier(points, np.linspace(0, 1, 9))[:, 1]
    ]
    ax.set_ylim(min(ys) - 0.5, max(ys) + 0.5)
    per_point_y = np.ptp(ax.get_ylim()) / (
        box.height * ax.figure.get_figheight() * 72
    )
    # Edge labels are placed in points, where a box's width and height and
    # its distance from an arrow mean what the reader sees.
    to_points = np.array([1 / per_point_x, 1 / per_point_y])
    (x_low, x_high), (y_low, y_high) = ax.get_xlim(), ax.get_ylim()
    frame = (
        x_low / per_point_x,
        x_high / per_point_x,
        y_low / per_point_y,
        y_high / per_point_y,
    )
    # what labels keep off: the nodes' boxes and 2 points around them
    taken = [
        (
            (x - width / 2) / per_point_x - 2,
            (x + width / 2) / per_point_x + 2,
            (y - height / 2) / per_point_y - 2,
            (y + height / 2) / per_point_y + 2,
        )
        for x, y in position.values()
    ]
    # points along the arrows of each edge, in points: a label covers none
    # of them, and is nearer its own edge's than any other's
    along = np.linspace(0, 1, 121)
    edge_points = [
        np.concatenate(
            [
                _graph_bezier(points + [0.0, offset], along) * to_points
                for offset in ((shift, -shift) if show_grad else (0.0,))
            ]
        )
        for *_, points in curves
    ]
    arrow_points = np.concatenate(edge_points or [np.empty((0, 2))])

    if label_fontsize is None:
        label_fontsize = fontsize
    measure, font = TextToPath(), FontProperties(size=label_fontsize)

    # the candidates for a label: along the edge, either side, how far off
    t, flipped, gap = (
        grid.ravel()
        for grid in np.meshgrid(
            np.arange(0.1, 0.91, 0.05),
            [0, 1],
            [2.5, 5.0, 8.0, 12.0, 17.0],
            indexing="ij",
        )
    )

    def place(curve, side, text, others):
        """The box for ``text`` beside ``curve`` (in points) costing least.

        Covering an arrow costs most; then covering nodes, other labels or
        the edge of the drawing (5 per square point); then the wrong side
        of the arrow (a value goes above it, a gradient below, unless that
        side is taken), and the arrows of another edge (points ``others``)
        within 6 points of the distance to its own; then distance from the
        middle of the edge and from the curve.
        """
        width = measure.get_text_width_height_descent(text, font, False)[0]
        # with the pad of the white box behind the text
        size = (width + 2, 1.1 * label_fontsize + 1)
        spots = _graph_label_spots(
            curve, t, side * (1 - 2 * flipped), size, gap
        )
        outside = size[0] * size[1] - _graph_areas_shared(spots, [frame])
        covered = outside + _graph_areas_shared(spots, taken)
        cost = 1e6 * _graph_hits(spots, arrow_points, 2.0) + 5 * covered
        cost += 40 * flipped + 20 * np.abs(t - 0.5) + gap / 2
        crowding = gap + 6 - _graph_distances(spots, others)
        cost += 10 * np.maximum(crowding, 0)
        return tuple(spots[np.argmin(cost)])

    for edge, (parent, node, k, points) in enumerate(curves):
        contribution = node.local_grads[k] * node.grad
        arrows = [(1, VALUE_COLOR, shift, parent.data, "graph-forward")]
        if show_grad:
            arrows.append(
                (-1, GRADIENT_COLOR, -shift, contribution, "graph-gradient")
            )
        for direction, colour, offset, _, gid in arrows:
            moved = points + [0.0, offset]
            path = Path(
                moved if direction == 1 else moved[::-1],
                [Path.MOVETO, Path.CURVE3, Path.CURVE3],
            )
            ax.add_artist(
                FancyArrowPatch(
                    path=path,
                    arrowstyle="-|>",
                    mutation_scale=9,
                    lw=1.1,
                    color=colour,
                    shrinkA=0,
                    shrinkB=0,
                    zorder=2,
                    gid=gid,
                )
            )
        if not edge_labels:
            continue
        # every fourth point is near enough for a distance
        others = [sample[::4] for sample in edge_points]
        others = np.concatenate(
            others[:edge] + others[edge + 1 :] or [np.empty((0, 2))]
        )
        for direction, colour, offset, value, gid in arrows:
            curve = (points + [0.0, offset]) * to_points
            spot = place(curve, direction, fmt(value), others)
            x0, x1, y0, y1 = spot
            taken.append((x0 - 1, x1 + 1, y0 - 1, y1 + 1))
            ax.text(
                (spot[0] + spot[1]) / 2 * per_point_x,
                (spot[2] + spot[3]) / 2 * per_point_y,
                fmt(value),
                color=colour,
                ha="center",
                va="center",
                fontsize=label_fontsize,
                zorder=4,
                gid=f"{gid}-label",
                bbox={
                    "boxstyle": "round,pad=0.05",
                    "fc": "white",
                    "ec": "none",
                    "alpha": 0.85,
                },
            )

    for node in nodes:
        x, y = position[node]
        face = "#f2f2f2" if not node.parents else "#fff6dd"
        ax.add_artist(
            FancyBboxPatch(
                (x - width / 2, y - height / 2),
                width,
                height,
                boxstyle="round,pad=0,rounding_size=0.06",
                fc=face,
                ec="k",
                lw=1.8 if node is root else 1.0,
                zorder=3,
                gid="graph-node",
            )
        )
        lines = [(names[node], "k")] if names[node] else []
        lines.append((fmt(node.data), VALUE_COLOR))
        if show_grad:
            lines.append((fmt(node.grad), GRADIENT_COLOR))
        step = height / (len(lines) + 0.6)
        for i, (text, colour) in enumerate(lines):
            ax.text(
                x,
                y + ((len(lines) - 1) / 2 - i) * step,
                text,
                color=colour,
                ha="center",
                va="center",
                fontsize=fontsize,
                zorder=5,
                gid="graph-node-text",
            )

    if legend:
        handles = [
            Line2D(
                [],
                [],
                color=VALUE_COLOR,
                marker=">",
                lw=1.5,
                label="forward: value",
            )
        ]
        if show_grad:
            root_name = root.label or "out"
            handles.append(
                Line2D(
                    [],
                    [],
                    color=GRADIENT_COLOR,
                    marker="<",
                    lw=1.5,
                    label=f"backward: gradient ∂{root_name}/∂node",
                )
            )
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncols=2,
            fontsize=fontsize,
            frameon=False,
        )
    return ax


def draw_neuron_graph(fig, x1, **weights):
    """The :func:`neuron_graph` neuron at ``x1``, after ``o.backward()``.

    The title gives the output and the gradient of the weight w1, ∂o/∂w1 =
    x1·(1 - o²): zero when x1 = 0 and small when the neuron saturates (|n|
    large, o near ±1).

    Drawn in :doc:`/chapters/03_autodiff`.
    """
    nodes = neuron_graph(x1=x1, **weights)
    nodes["o"].backward()
    ax = fig.subplots()
    # the final layout first: draw_graph sizes boxes and labels to the Axes
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.1)
    draw_graph(nodes["o"], ax=ax, fontsize=10, label_fontsize=9)
    ax.set_title(
        f"x₁ = {x1:g}:  o = {graph_number(nodes['o'].data)},  1 − o² = "
        f"{graph_number(1 - nodes['o'].data ** 2)},  ∂o/∂w₁ = "
        f"{graph_number(nodes['w1'].grad)}",
        fontsize=11,
    )
