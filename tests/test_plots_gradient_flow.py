"""Tests of the chapter-6 figures in bpcore.plots: gradient flow layer by layer."""

import numpy as np
import pytest
from matplotlib.figure import Figure

import bpcore
from bpcore import examples, plots
from bpcore.widgets import render_frames


def profiles(fig):
    """The values drawn as the profile line on each axes of the figure."""
    return [[line.get_ydata() for line in ax.lines if line.get_gid() == "profile"][0]
            for ax in fig.axes]


def test_layer_statistics_measures_every_activation_and_weight_matrix():
    model = bpcore.MLP([2, 8, 8, 3], activation="tanh", seed=0)
    X, y = bpcore.spiral(n_per_class=10, seed=0)
    stds, norms = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())
    hidden = np.tanh(X @ model[0].W.data + model[0].b.data)
    assert stds.shape == (2,) and norms.shape == (3,)
    assert stds[0] == pytest.approx(hidden.std(), rel=1e-12)
    assert norms[-1] == pytest.approx(np.linalg.norm(model[4].W.grad), rel=1e-12)
    again = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())[1]
    np.testing.assert_array_equal(norms, again)  # gradients are zeroed, not accumulated


def test_layer_statistics_of_an_all_zero_relu_network_are_zero():
    model = bpcore.MLP([2, 8, 8, 3], activation="relu", init="zeros", seed=0)
    X, y = bpcore.spiral(n_per_class=10, seed=0)
    stds, norms = examples.layer_statistics(model, X, y, bpcore.CrossEntropyLoss())
    assert np.all(stds == 0) and np.all(norms == 0)


@pytest.mark.parametrize("setup", list(examples.GRADIENT_FLOW_SETUPS))
def test_gradient_flow_returns_one_value_per_layer(setup):
    stds, norms = examples.gradient_flow(4, setup)
    assert stds.shape == (4,) and norms.shape == (5,)
    assert np.all(np.isfinite(stds)) and np.all(norms > 0)


def test_gradient_flow_shows_the_chapter_effects():
    sigmoid = examples.gradient_flow(15, "sigmoid / Xavier")[1]
    assert sigmoid[0] < 1e-6 * sigmoid[-1]  # vanishing toward the input
    he_stds = examples.gradient_flow(15, "ReLU / He")[0]
    assert he_stds.max() / he_stds.min() < 4
    small_stds = examples.gradient_flow(15, "ReLU / too small")[0]
    large_stds = examples.gradient_flow(15, "ReLU / too large")[0]
    assert small_stds[-1] < 1e-15 * small_stds[0]
    assert large_stds[-1] > 1e6 * large_stds[0]


def test_gradient_flow_rejects_unknown_setups():
    with pytest.raises(ValueError, match=r"unknown setup 'relu'; valid setups are 'sigmoid / Xavier'"):
        examples.gradient_flow(3, "relu")


@pytest.mark.parametrize("depth, setup", [(1, "ReLU / He"), (10, "sigmoid / Xavier"),
                                          (20, "ReLU / too small")])
def test_draw_gradient_flow_draws_the_statistics_on_fixed_axes(depth, setup):
    fig = Figure()
    plots.draw_gradient_flow(fig, depth, setup)
    stds, norms = examples.gradient_flow(depth, setup)
    drawn_stds, drawn_norms = profiles(fig)
    np.testing.assert_array_equal(drawn_stds, stds)
    np.testing.assert_array_equal(drawn_norms, norms)
    for ax in fig.axes:
        assert ax.get_yscale() == "log"
        assert ax.get_ylim() == pytest.approx(plots.GRADIENT_FLOW_YLIM)
        assert ax.get_xlim() == (0.4, 21.6)
    assert f"{setup}, {depth} hidden layers: first/last gradient {norms[0] / norms[-1]:.1e}" \
        == fig.get_suptitle()


def test_gradient_flow_frames_render_for_an_explorer():
    frames = render_frames(plots.draw_gradient_flow,
                           {"depth": [2, 3], "setup": ["tanh / Xavier", "ReLU / He"]})
    assert len(frames) == 4 and all(frame.startswith(b"\x89PNG") for frame in frames)
    assert len(set(frames)) == 4
