"""Tests of bpcore.plots.beyond_mlp: chapter 9's figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from bpcore import plots
from bpcore.examples import beyond_mlp
from bpcore.widgets import render_frames


def line(fig, gid):
    """The one line with this gid anywhere on the figure."""
    found = [ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == gid]
    assert len(found) == 1, f"{len(found)} lines with gid {gid!r}"
    return found[0]


def test_draw_regularised_fits_draws_each_fit_and_its_losses():
    X, y = beyond_mlp.noisy_sine(5, seed=0)
    grid = np.linspace(-1, 1, 11)
    records = {}
    for label, values in (("a", [1.0, 0.5]), ("b", [0.8, 0.2])):
        record = beyond_mlp.FullBatchRecord(steps=[0, 10], train_loss=values,
                                            held_out_loss=[v + 0.1 for v in values],
                                            weight_norm=[1.0, 1.0])
        records[label] = record
    fits = {"a": np.sin(grid), "b": np.cos(grid)}
    fig = Figure()
    plots.draw_regularised_fits(fig, X, y, grid, fits, records)
    assert len(fig.axes) == 2
    np.testing.assert_array_equal(line(fig, "held-out:a").get_ydata(), [1.1, 0.6])
    np.testing.assert_array_equal(line(fig, "train:b").get_ydata(), [0.8, 0.2])
    assert fig.axes[1].get_yscale() == "log"
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "sin(πx)", "a", "b", "training"]


def test_draw_decay_paths_draws_a_line_per_group_and_the_shrink():
    adam = beyond_mlp.decay_paths(False, steps=20, n_weights=10)
    adamw = beyond_mlp.decay_paths(True, steps=20, n_weights=10)
    fig = Figure()
    plots.draw_decay_paths(fig, adam, adamw, (0.0, 0.1, 1.0, 10.0), lr=0.01,
                           weight_decay=0.1)
    left, right = fig.axes
    assert len([ln for ln in left.lines if ln.get_gid().startswith("mean:")]) == 4
    np.testing.assert_allclose(line(fig, "shrink").get_ydata(), 0.999 ** np.arange(21))
    assert "AdamW" in right.get_title() and "L2" in left.get_title()


def test_draw_dropout_mask_greys_out_the_zeros():
    output = np.array([[0.0, 1.0], [2.0, 0.0]])
    fig = Figure()
    plots.draw_dropout_mask(fig, output, -output)
    for ax in fig.axes:
        shown = ax.images[0].get_array()
        np.testing.assert_array_equal(shown.mask, output == 0)


@pytest.mark.parametrize("setup", list(beyond_mlp.BATCHNORM_SETUPS))
def test_draw_batchnorm_flow_draws_both_networks(setup):
    fig = Figure()
    plots.draw_batchnorm_flow(fig, setup, depth=4)
    (ax,) = fig.axes
    assert ax.get_ylim() == plots.beyond_mlp.BATCHNORM_FLOW_YLIM
    np.testing.assert_allclose(line(fig, "with batch norm").get_ydata(),
                               beyond_mlp.batchnorm_gradient_flow(setup, True, depth=4))
    assert len(line(fig, "without batch norm").get_ydata()) == 5
    assert setup in ax.get_title()


def test_draw_batchnorm_flow_rejects_an_unknown_setup():
    with pytest.raises(ValueError, match="unknown setup"):
        plots.draw_batchnorm_flow(Figure(), "tanh / Xavier")


def test_draw_gradient_through_time_measures_below_the_bound():
    fig = Figure()
    plots.draw_gradient_through_time(fig, 0.8, length=10)
    measured = line(fig, "measured").get_ydata()
    bound = line(fig, "bound").get_ydata()
    assert measured[-1] == 1.0 and len(measured) == 10
    assert np.all(measured <= bound * (1 + 1e-9))
    assert fig.axes[0].get_ylim() == plots.beyond_mlp.THROUGH_TIME_YLIM


def test_draw_truncation_draws_one_line_per_run():
    records = {name: beyond_mlp.FullBatchRecord(steps=[0, 1], held_out_loss=[1.0, h])
               for name, h in (("full", 0.1), ("truncate=2", 0.9))}
    fig = Figure()
    plots.draw_truncation(fig, records)
    np.testing.assert_array_equal(line(fig, "truncate=2").get_ydata(), [1.0, 0.9])


def test_the_explorers_render_their_frames():
    frames = render_frames(plots.draw_gradient_through_time, {"scale": [0.5, 3.0]})
    assert len(frames) == 2 and frames[0] != frames[1]
