"""Tests of bpcore.plots.chain: chapter 2's figures."""


import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import examples, plots
from bpcore.widgets import render_frames


def line_by_gid(ax, gid):
    (line,) = [line for line in ax.lines if line.get_gid() == gid]
    return line


def slope(line):
    x, y = line.get_xdata(), line.get_ydata()
    return (y[-1] - y[0]) / (x[-1] - x[0])


def texts(fig):
    """Every text drawn on the figure: titles, labels, annotations and tick labels aside."""
    found = [fig.get_suptitle()]
    for ax in fig.axes:
        found += [ax.get_title(), *(text.get_text() for text in ax.texts)]
        legend = ax.get_legend()
        if legend is not None:
            found += [text.get_text() for text in legend.get_texts()]
    return found


def test_draw_network_draws_every_node_edge_and_label():
    ax = Figure().subplots()
    forward = [["1", "2"], ["a", "b", "c"], ["out"]]
    backward = [None, ["d1", "", "d3"], ["d"]]
    edges = [[["w11", "w12", "w13"], ["w21", "w22", "w23"]], [["v1"], ["v2"], ["v3"]]]
    plots.draw_network(ax, [2, 3, 1], forward=forward, backward=backward, edge_labels=edges,
                       node_labels=[["x1", "x2"], ["h1", "h2", "h3"], ["y"]],
                       layer_labels=["in", "hidden", "out"])
    nodes = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(nodes) == 6
    assert len(ax.lines) - len(nodes) == 2 * 3 + 3 * 1  # one line per edge

    def texts(gid):
        return sorted(text.get_text() for text in ax.texts if text.get_gid() == gid)

    assert texts("forward") == sorted(sum(forward, []))
    assert texts("backward") == ["d", "d1", "d3"]
    assert texts("edge") == sorted(["w11", "w12", "w13", "w21", "w22", "w23", "v1", "v2", "v3"])
    colours = {text.get_gid(): text.get_color() for text in ax.texts}
    assert colours["forward"] == plots.VALUE_COLOR
    assert colours["backward"] == plots.GRADIENT_COLOR


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 3.0])
def test_draw_chain_tangent_draws_the_tangent_with_slope_dy_dx(x):
    fig = Figure()
    plots.draw_chain_tangent(fig, x)
    assert len(fig.axes) == 2
    tangent = line_by_gid(fig.axes[0], "tangent")
    chain = examples.chain_of_three(x)
    assert np.isclose(slope(tangent), chain["dy_dx"], rtol=1e-12, atol=1e-12)
    assert np.isclose(np.interp(x, tangent.get_xdata(), tangent.get_ydata()), chain["y"])


def test_draw_chain_tangent_shows_values_local_derivatives_and_gradients():
    fig = Figure()
    plots.draw_chain_tangent(fig, 3.0)
    shown = texts(fig)
    for text in ["x = 3", "u = 9", "v = 19", "y = 6859", "× h′(x) = 2x = 6",
                 "× f′(v) = 3v² = 1083", "dy/dv = 1083", "dy/du = 2166", "dy/dx = 12996"]:
        assert text in shown
    assert "1083 × 2 × 6 = 12996" in fig.axes[0].get_title()


def test_draw_chain_tangent_brackets_negative_factors_with_true_minus_signs():
    fig = Figure()
    plots.draw_chain_tangent(fig, -1.0)
    assert fig.axes[0].get_title().endswith("27 × 2 × (\u22122) = \u2212108")


def test_draw_path_sum_shows_one_panel_per_path_and_the_sum():
    fig = Figure(figsize=(7, 4.6))
    plots.draw_path_sum(fig, 2.0)
    assert len(fig.axes) == 4
    assert "4 + 24 + 12 = 40" in fig.get_suptitle()
    titles = [ax.get_title() for ax in fig.axes[1:]]
    assert [title.splitlines()[1] for title in titles] == [
        r"$4 \times 1 = 4$", r"$4 \times 6 \times 1 = 24$", r"$3 \times 4 \times 1 = 12$"]


@pytest.mark.parametrize("w1", [-4.0, -0.5, 3.0])
def test_draw_tiny_network_draws_the_tangent_and_the_factors(w1):
    fig = Figure()
    plots.draw_tiny_network(fig, w1)
    ax_loss, ax_bars = fig.axes
    net = examples.tiny_network(w1)
    assert np.isclose(slope(line_by_gid(ax_loss, "tangent")), net["dL_dw1"], rtol=1e-12)
    widths = [patch.get_width() for patch in ax_bars.patches]
    expected = [net[name] for name in ("dL_dyhat", "dyhat_da1", "da1_dz1", "dz1_dw1")]
    assert np.allclose(widths, expected)
    assert "product" in ax_bars.get_title()


def test_the_chapter_explorers_render_one_distinct_png_per_value():
    frames = render_frames(plots.draw_chain_tangent, {"x": [0.0, 3.0]}, figsize=(8, 5.2))
    frames += render_frames(plots.draw_tiny_network, {"w1": [-4.0, 0.5]})
    frames += render_frames(plots.draw_loss_response, {"z": [-12, 4]})
    assert len(frames) == 6 and all(frame.startswith(b"\x89PNG") for frame in frames)
    assert len(set(frames)) == 6
