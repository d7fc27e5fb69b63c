"""Tests of bpcore.plots.graph: chapter 3's graph drawings."""

from functools import partial

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import Value, plots
from bpcore.examples import neuron_graph
from bpcore.plots.graph import graph_layout, graph_number
from bpcore.widgets import render_frames
from tests.conftest import text_boxes


def sum_times_c():
    """f = (a + b) * c at a = 2, b = 3, c = 4, after f.backward()."""
    a, b, c = Value(2.0, label="a"), Value(3.0, label="b"), Value(4.0, label="c")
    e = a + b
    e.label = "e"
    f = e * c
    f.label = "f"
    f.backward()
    return a, b, c, e, f


def drawn(root, **options):
    ax = Figure(figsize=(6.4, 3.6)).subplots()
    plots.draw_graph(root, ax=ax, **options)
    return ax


def with_gid(ax, gid):
    return [artist for artist in ax.get_children() if artist.get_gid() == gid]


def texts(ax, gid):
    return [text.get_text() for text in with_gid(ax, gid)]


def test_layout_puts_each_node_one_column_right_of_its_deepest_parent():
    a, b, c, e, f = sum_times_c()
    position = graph_layout(f)
    assert {node.label: position[node][0] for node in (a, b, c, e, f)} == {
        "a": 0, "b": 0, "c": 1, "e": 1, "f": 2}
    left = graph_layout(f, inputs_left=True)
    assert left[c][0] == 0 and left[f][0] == 2
    assert position[f][1] == 0


def test_graph_spread_moves_only_what_overlaps():
    assert plots.graph._graph_spread([3.0, 1.0, -2.0]) == [3.0, 1.0, -2.0]
    assert plots.graph._graph_spread([0.0, 0.0]) == [0.5, -0.5]


def test_sum_times_c_has_five_nodes_and_four_edges_in_both_directions():
    *_, f = sum_times_c()
    ax = drawn(f)
    assert len(with_gid(ax, "graph-node")) == 5
    assert len(with_gid(ax, "graph-forward")) == 4
    assert len(with_gid(ax, "graph-gradient")) == 4


def test_nodes_show_label_op_value_and_gradient():
    *_, f = sum_times_c()
    node_texts = texts(drawn(f), "graph-node-text")
    for expected in ("a", "b", "c", "e (+)", "f (×)", "20", "5", "1"):
        assert expected in node_texts
    assert node_texts.count("4") == 4  # c = 4 and the gradients of a, b and e


def test_edges_carry_values_forward_and_gradients_back():
    *_, f = sum_times_c()
    ax = drawn(f)
    assert sorted(texts(ax, "graph-forward-label")) == ["2", "3", "4", "5"]  # a, b, c, e
    assert sorted(texts(ax, "graph-gradient-label")) == ["4", "4", "4", "5"]
    colours = {artist.get_gid(): artist.get_edgecolor() for artist in ax.get_children()
               if artist.get_gid() in ("graph-forward", "graph-gradient")}
    assert colours["graph-forward"] != colours["graph-gradient"]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend[0].startswith("forward") and legend[1].startswith("backward")


def test_gradients_are_hidden_before_backward_or_on_request():
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    y = a * b
    ax = drawn(y)
    assert not with_gid(ax, "graph-gradient") and len(with_gid(ax, "graph-forward")) == 2
    assert len(ax.get_legend().get_texts()) == 1
    y.backward()
    assert len(with_gid(drawn(y), "graph-gradient")) == 2
    assert not with_gid(drawn(y, show_grad=False), "graph-gradient")
    assert not with_gid(drawn(y, edge_labels=False), "graph-forward-label")


def test_a_shared_node_gets_one_box_and_its_edge_gradients_add_up():
    """y = x·x + x at x = 3: x feeds three edges carrying 3, 3 and 1; dy/dx = 7."""
    x = Value(3.0, label="x")
    y = x * x + x
    y.label = "y"
    y.backward()
    ax = drawn(y)
    assert len(with_gid(ax, "graph-node")) == 3
    assert len(with_gid(ax, "graph-forward")) == 4
    gradients = sorted(float(t) for t in texts(ax, "graph-gradient-label"))
    assert gradients == [1.0, 1.0, 3.0, 3.0]  # into the sum: 1, 1; into x·x: 3, 3
    assert x.grad == 7.0 and "7" in texts(ax, "graph-node-text")


def test_a_single_value_draws_as_one_box():
    ax = drawn(Value(1.5, label="w"))
    assert len(with_gid(ax, "graph-node")) == 1 and not with_gid(ax, "graph-forward")


def test_a_new_figure_is_made_when_no_axes_are_given():
    import matplotlib.pyplot as plt

    *_, f = sum_times_c()
    ax = plots.draw_graph(f)
    assert len(with_gid(ax, "graph-node")) == 5
    plt.close(ax.figure)


@pytest.mark.parametrize("not_a_value", [3.0, np.array([1.0, 2.0]), "f", None])
def test_anything_but_a_value_is_refused(not_a_value):
    with pytest.raises(TypeError, match="bpcore.Value"):
        plots.draw_graph(not_a_value, ax=Figure().subplots())
    with pytest.raises(TypeError, match="bpcore.Value"):
        graph_layout(not_a_value)


def test_a_graph_too_big_to_read_is_refused():
    x = Value(1.0)
    y = x
    for _ in range(30):
        y = y * 2.0
    with pytest.raises(ValueError, match="max_nodes=40"):
        drawn(y)


def test_draw_neuron_graph_titles_each_frame_with_the_gradient_of_w1():
    fig = Figure(figsize=(7.4, 4.4))
    plots.draw_neuron_graph(fig, 0.0)
    assert fig.axes[0].get_title().endswith("∂o/∂w₁ = 0")
    assert len(with_gid(fig.axes[0], "graph-node")) == 10
    frames = render_frames(plots.draw_neuron_graph, {"x1": [-3.0, 0.5, 3.0]}, figsize=(7.4, 4.4))
    assert len(set(frames)) == 3 and all(frame.startswith(b"\x89PNG") for frame in frames)


def u_v_y():
    """Chapter 3's y = u + v with u = x², v = 3u, at x = 3, after y.backward()."""
    x = Value(3.0, label="x")
    u = x**2
    u.label = "u"
    v = u * 3
    v.label = "v"
    y = u + v
    y.label = "y"
    y.backward()
    return y


def neuron_after_backward():
    nodes = neuron_graph()
    nodes["o"].backward()
    return nodes["o"]


def explorer_frame(x1):
    fig = Figure(figsize=(7.4, 4.4))  # as chapter 3's explorer draws it
    plots.draw_neuron_graph(fig, x1)
    return fig


#: chapter 3's drawings of graphs, each made by a function of no arguments
CHAPTER_GRAPHS = {
    "(a + b) * c": lambda: plots.draw_graph(sum_times_c()[-1]).figure,
    "u + v": lambda: plots.draw_graph(u_v_y()).figure,
    "neuron": lambda: plots.draw_graph(neuron_after_backward()).figure,
    **{f"explorer at x1 = {x1:g}": partial(explorer_frame, x1)
       for x1 in np.arange(-3.0, 3.01, 0.5)},  # every frame of the explorer
}


def arrow_points(ax, arrow):
    """Points along the arrow as drawn (shaft and head), in pixels."""
    path = ax.transData.transform_path(arrow.get_path())
    return np.concatenate([segment(np.linspace(0, 1, 50)) for segment, _ in path.iter_bezier()])


@pytest.mark.parametrize("name", CHAPTER_GRAPHS)
def test_edge_labels_sit_clear_of_the_arrows_the_nodes_and_each_other(name):
    """A label on its arrow hid the arrow and could be read as the next edge's: every
    label's box as drawn stays a pixel off every arrow, every node and every other label."""
    fig = CHAPTER_GRAPHS[name]()
    ax = fig.axes[0]
    labels = [artist for artist in ax.get_children()
              if artist.get_gid() in ("graph-forward-label", "graph-gradient-label")]
    boxes = text_boxes(fig, labels)  # draws the figure: the arrows know their shape
    assert len(boxes) == len(labels) > 0
    arrows = with_gid(ax, "graph-forward") + with_gid(ax, "graph-gradient")
    points = np.concatenate([arrow_points(ax, arrow) for arrow in arrows])
    renderer = fig.canvas.get_renderer()
    nodes = [node.get_window_extent(renderer) for node in with_gid(ax, "graph-node")]
    for i, (label, box) in enumerate(zip(labels, boxes, strict=True)):
        near = box.padded(1)
        inside = ((near.x0 < points[:, 0]) & (points[:, 0] < near.x1)
                  & (near.y0 < points[:, 1]) & (points[:, 1] < near.y1))
        assert not inside.any(), f"label {label.get_text()} covers an arrow"
        assert not any(near.overlaps(node) for node in nodes), \
            f"label {label.get_text()} covers a node"
        for other, other_box in zip(labels[i + 1:], boxes[i + 1:], strict=True):
            assert not near.overlaps(other_box), \
                f"labels {label.get_text()} and {other.get_text()} overlap"


def test_graph_number_keeps_labels_short():
    assert [graph_number(v) for v in (20.0, 0.5, -0.0588235, 0.000149, -3.72e-05, 0.0)] == [
        "20", "0.5", "-0.0588", "1.5e-4", "-3.7e-5", "0"]


def test_numbers_can_be_formatted_with_a_format_string():
    *_, f = sum_times_c()
    assert "20.00" in texts(drawn(f, fmt="{:.2f}"), "graph-node-text")
