"""Tests of the chapter-2 (chain rule) and chapter-4 (loss functions) figures in bpcore.plots."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import bpcore
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


# --- Chapter 2 ------------------------------------------------------------------------


def test_chain_of_three_at_three_has_the_chapter_numbers():
    chain = examples.chain_of_three(3.0)
    assert (chain["u"], chain["v"], chain["y"]) == (9, 19, 6859)
    assert (chain["du_dx"], chain["dv_du"], chain["dy_dv"]) == (6, 2, 1083)
    assert (chain["dy_du"], chain["dy_dx"]) == (2166, 12996)


@pytest.mark.parametrize("x", [-2.5, -1.0, 0.0, 0.3, 3.0])
def test_chain_of_three_gradient_matches_finite_differences(
        x, assert_matches_central_differences):
    assert_matches_central_differences(lambda t: (2 * t**2 + 1) ** 3, x,
                                       examples.chain_of_three(x)["dy_dx"])


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


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.0, 3.0])
def test_path_sum_products_add_up_to_the_derivative(x, assert_matches_central_differences):
    values, edges, paths = examples.path_sum_example(x)
    assert values["y"] == x**2 + 3 * x**3
    assert len(paths) == 3 and all(path[0] == "x" and path[-1] == "y" for path in paths)
    assert np.isclose(sum(paths.values()), 2 * x + 9 * x**2, rtol=1e-14, atol=1e-14)
    assert_matches_central_differences(lambda t: t**2 + 3 * t**3, x, sum(paths.values()))
    assert set(edges) == {("x", "a"), ("x", "b"), ("a", "c"), ("b", "c"), ("a", "y"), ("c", "y")}


def test_draw_path_sum_shows_one_panel_per_path_and_the_sum():
    fig = Figure(figsize=(7, 4.6))
    plots.draw_path_sum(fig, 2.0)
    assert len(fig.axes) == 4
    assert "4 + 24 + 12 = 40" in fig.get_suptitle()
    titles = [ax.get_title() for ax in fig.axes[1:]]
    assert [title.splitlines()[1] for title in titles] == [
        r"$4 \times 1 = 4$", r"$4 \times 6 \times 1 = 24$", r"$3 \times 4 \times 1 = 12$"]


@pytest.mark.parametrize("w1", [-4.0, -0.5, 0.0, 2.5])
def test_tiny_network_gradient_is_the_product_of_four_factors_and_matches_nudging(
        w1, assert_matches_central_differences):
    net = examples.tiny_network(w1)
    product = net["dL_dyhat"] * net["dyhat_da1"] * net["da1_dz1"] * net["dz1_dw1"]
    assert np.isclose(net["dL_dw1"], product, rtol=1e-15)
    assert_matches_central_differences(lambda w: examples.tiny_network(w)["loss"], w1,
                                       net["dL_dw1"])


def test_tiny_network_matches_bpcore():
    x, y, w1, b1, w2, b2 = 1.5, 0.3, 0.7, -0.2, -0.8, 0.1
    net = bpcore.Sequential(bpcore.Linear(1, 1), bpcore.Sigmoid(), bpcore.Linear(1, 1))
    net[0].W.data[:], net[0].b.data[:], net[2].W.data[:], net[2].b.data[:] = w1, b1, w2, b2
    criterion = bpcore.MSELoss()
    mse = criterion(net(np.array([[x]])), np.array([[y]]))
    net.backward(0.5 * criterion.backward())
    mine = examples.tiny_network(w1, x=x, y=y, b1=b1, w2=w2, b2=b2)
    assert np.isclose(mine["loss"], 0.5 * mse, rtol=1e-14)
    assert np.isclose(mine["dL_dw1"], net[0].W.grad[0, 0], rtol=1e-14)


def test_tiny_network_works_on_arrays():
    w1 = np.linspace(-3, 3, 7)
    net = examples.tiny_network(w1)
    assert net["loss"].shape == net["dL_dw1"].shape == (7,)
    assert np.allclose(net["dL_dw1"], [examples.tiny_network(w)["dL_dw1"] for w in w1])


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


def test_the_saturated_sigmoid_makes_the_gradient_tiny():
    far = examples.tiny_network(-4.0)
    assert far["da1_dz1"] < 4e-4 and abs(far["dL_dw1"]) < 2e-3 and far["loss"] > 0.49


# --- Chapter 4 ------------------------------------------------------------------------


@pytest.mark.parametrize("y", [0.0, 1.0])
def test_sigmoid_output_losses_match_the_textbook_formulas(y):
    z = np.linspace(-8, 8, 33)
    p = 1 / (1 + np.exp(-z))
    out = examples.sigmoid_output_losses(z, y)
    assert np.allclose(out["p"], p, rtol=1e-15)
    assert np.allclose(out["mse"], (p - y) ** 2, rtol=1e-12, atol=1e-15)
    assert np.allclose(out["bce"], -(y * np.log(p) + (1 - y) * np.log(1 - p)), rtol=1e-10)


@pytest.mark.parametrize("name", ["mse", "bce"])
def test_sigmoid_output_gradients_match_nudging(name, assert_matches_central_differences):
    z = np.linspace(-6, 6, 25)
    assert_matches_central_differences(lambda t: examples.sigmoid_output_losses(t)[name], z,
                                       examples.sigmoid_output_losses(z)[name + "_grad"])


def test_sigmoid_output_losses_agree_with_bpcore():
    z = np.linspace(-30, 30, 13).reshape(-1, 1)
    target = np.ones_like(z)
    out = examples.sigmoid_output_losses(z.ravel())
    criterion = bpcore.BCEWithLogitsLoss()
    bce = [criterion(z[i:i + 1], target[i:i + 1]) for i in range(len(z))]
    assert np.allclose(out["bce"], bce, rtol=1e-14, atol=1e-300)
    sigmoid, squared = bpcore.Sigmoid(), bpcore.MSELoss()
    squared(sigmoid(z), target)
    grads = sigmoid.backward(squared.backward()) * len(z)  # undo the mean over 13 samples
    assert np.allclose(out["mse_grad"], grads.ravel(), rtol=1e-12, atol=1e-300)


def test_sigmoid_output_losses_are_finite_at_extreme_logits_without_warnings():
    # pytest turns RuntimeWarnings into errors (pyproject.toml), so overflow would fail here
    out = examples.sigmoid_output_losses(np.array([-1000.0, -40.0, 40.0, 1000.0]))
    for values in out.values():
        assert np.all(np.isfinite(values))
    assert np.allclose(out["bce"], [1000.0, 40.0, 0.0, 0.0], atol=1e-15)


def test_confident_mistakes_vanish_under_mse_but_not_under_cross_entropy():
    out = examples.sigmoid_output_losses(-12.0)
    assert abs(out["mse_grad"]) < 1e-4 and abs(out["bce_grad"]) > 0.99


@pytest.mark.parametrize("z", [-12, -3, 0, 4])
def test_draw_loss_response_marks_the_current_logit(z):
    fig = Figure()
    plots.draw_loss_response(fig, z)
    ax_loss, ax_grad = fig.axes
    out = examples.sigmoid_output_losses(z)
    markers = [line for line in ax_loss.lines if line.get_marker() == "o"]
    assert len(markers) == 1
    assert np.allclose(markers[0].get_xdata(), z)
    assert np.allclose(markers[0].get_ydata(), [out["bce"], out["mse"]])
    (grad_markers,) = [line for line in ax_grad.lines if line.get_marker() == "o"]
    assert np.allclose(grad_markers.get_ydata(), np.abs([out["bce_grad"], out["mse_grad"]]))
    assert ax_grad.get_yscale() == "log"
    legend = [text.get_text() for text in ax_grad.get_legend().get_texts()]
    assert legend[0].startswith("cross-entropy: ") and legend[1].startswith("squared error: ")


def test_the_chapter_explorers_render_one_distinct_png_per_value():
    frames = render_frames(plots.draw_chain_tangent, {"x": [0.0, 3.0]}, figsize=(8, 5.2))
    frames += render_frames(plots.draw_tiny_network, {"w1": [-4.0, 0.5]})
    frames += render_frames(plots.draw_loss_response, {"z": [-12, 4]})
    assert len(frames) == 6 and all(frame.startswith(b"\x89PNG") for frame in frames)
    assert len(set(frames)) == 6
