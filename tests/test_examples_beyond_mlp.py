"""Tests of bpcore.examples.beyond_mlp: chapter 9's experiments."""

import numpy as np
import pytest

import bpcore
from bpcore.examples import beyond_mlp
from bpcore.gradcheck import TOLERANCE


def test_noisy_sine_is_seeded_and_shaped():
    X, y = beyond_mlp.noisy_sine(10, seed=0)
    assert X.shape == y.shape == (10, 1)
    assert np.all(np.abs(X) <= 1)
    np.testing.assert_array_equal(beyond_mlp.noisy_sine(10, seed=0)[1], y)
    residual = y - np.sin(np.pi * X)
    assert 0 < np.abs(residual).max() < 5 * beyond_mlp.SINE_NOISE


@pytest.mark.parametrize("dropout", [0.0, 0.3])
def test_wide_network_layers_and_steep_units(dropout):
    net = beyond_mlp.wide_network(width=20, steepness=4.0, dropout=dropout)
    kinds = [type(layer).__name__ for layer in net]
    expected = ["Linear", "Tanh"] + ["Dropout"] * bool(dropout) + ["Linear"]
    assert kinds == expected
    assert np.std(net[0].W.data) > 2 and np.abs(net[0].b.data).max() <= 4
    # the same seed, the same network
    again = beyond_mlp.wide_network(width=20, dropout=dropout)
    np.testing.assert_array_equal(net[0].W.data, again[0].W.data)


def test_weight_norm_counts_weight_matrices_only():
    net = beyond_mlp.wide_network(width=5)
    net[0].b.data[:] = 100.0
    expected = np.sqrt(np.sum(net[0].W.data ** 2) + np.sum(net[-1].W.data ** 2))
    assert beyond_mlp.weight_norm(net) == pytest.approx(expected)


def test_train_full_batch_records_in_evaluation_mode():
    X, y = beyond_mlp.noisy_sine(10, seed=0)
    held = beyond_mlp.noisy_sine(20, seed=1)
    net = beyond_mlp.wide_network(width=10, dropout=0.5)
    loss = bpcore.MSELoss()
    record = beyond_mlp.train_full_batch(
        net, loss, bpcore.Adam(net.parameters(), lr=0.01), X, y, 25,
        held_out=held, every=10)
    assert record.steps == [0, 10, 20, 25]
    assert len(record.train_loss) == len(record.held_out_loss) == 4
    assert len(record.weight_norm) == 4
    assert net.training  # left in training mode
    net.eval()  # the last record is the evaluation-mode loss of the final net
    assert record.train_loss[-1] == pytest.approx(loss(net(X), y))
    assert record.held_out_loss[-1] == pytest.approx(loss(net(held[0]), held[1]))


def test_fit_curve_is_the_evaluation_mode_prediction():
    net = beyond_mlp.wide_network(width=10, dropout=0.5)
    grid = np.linspace(-1, 1, 7)
    curve = beyond_mlp.fit_curve(net, grid)
    assert curve.shape == (7,) and not net.training
    np.testing.assert_array_equal(curve, beyond_mlp.fit_curve(net, grid))


def test_decay_paths_adamw_shrinks_every_group_alike():
    means = beyond_mlp.decay_paths(True, steps=100, n_weights=200)
    assert means.shape == (101, 4)
    np.testing.assert_array_equal(means[0], 1.0)
    # no data gradient: exactly (1 - eta lambda)^t
    np.testing.assert_allclose(means[:, 0], (1 - 0.01 * 0.1) ** np.arange(101),
                               rtol=1e-12)
    assert np.all(np.abs(means[-1] - 0.999 ** 100) < 0.05)


def test_decay_paths_adam_l2_depends_on_the_gradient_scale():
    means = beyond_mlp.decay_paths(False, steps=200, n_weights=200)[-1]
    assert means[0] < 0.05 and means[-1] > 0.9
    assert np.all(np.diff(means) > 0)


def test_batchnorm_backward_paths_sum_to_bpcores_gradient():
    rng = np.random.default_rng(0)
    x, g = rng.normal(2.0, 3.0, (6, 3)), rng.normal(size=(6, 3))
    layer = bpcore.BatchNorm1d(3)
    layer.weight.data[:] = [0.5, -2.0, 1.5]
    layer(x)
    grad_x = layer.backward(g)
    paths = beyond_mlp.batchnorm_backward_paths(x, layer.weight.data, g, layer.eps)
    assert len(paths) == 3 and all(path.shape == x.shape for path in paths)
    np.testing.assert_allclose(sum(paths), grad_x, rtol=1e-10, atol=1e-12)
    # the path through the mean is the same for every sample
    np.testing.assert_allclose(paths[2], paths[2][:1].repeat(6, axis=0))


@pytest.mark.parametrize("batchnorm", [False, True])
def test_deep_network_layout_and_shared_weights(batchnorm):
    net = beyond_mlp.deep_network(3, "sigmoid", "xavier_normal",
                                  batchnorm=batchnorm, width=4)
    kinds = [type(layer).__name__ for layer in net]
    block = ["Linear"] + ["BatchNorm1d"] * batchnorm + ["Sigmoid"]
    assert kinds == block * 3 + ["Linear"]
    other = beyond_mlp.deep_network(3, "sigmoid", "xavier_normal",
                                    batchnorm=not batchnorm, width=4)
    for (_, W), (_, V) in zip(net.named_weights(), other.named_weights(), strict=True):
        np.testing.assert_array_equal(W.data, V.data)
    assert np.std(beyond_mlp.deep_network(2, "relu", 0.01)[2].W.data) < 0.02


def test_batchnorm_gradient_flow_levels_the_gradients():
    plain = beyond_mlp.batchnorm_gradient_flow("sigmoid / Xavier", False, depth=8)
    normed = beyond_mlp.batchnorm_gradient_flow("sigmoid / Xavier", True, depth=8)
    assert plain.shape == normed.shape == (9,)
    assert plain[0] / plain[-1] < 1e-4
    assert 1 / 30 < normed[0] / normed[-1] < 30
    with pytest.raises(ValueError, match="unknown setup"):
        beyond_mlp.batchnorm_gradient_flow("tanh / Xavier", True)


def test_last_state_readout_passes_the_gradient_check():
    X, y = beyond_mlp.delayed_recall(4, length=5, delay=2, seed=0)
    model = beyond_mlp.recall_network(hidden=3, seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == ["rnn.W_ih", "rnn.W_hh", "rnn.b_ih", "rnn.b_hh",
                     "readout.W", "readout.b"]
    report = bpcore.gradcheck(model, bpcore.MSELoss(), X, y)
    assert report.passed(TOLERANCE), report
    assert model.rnn.hidden_grad.shape == (4, 5, 3)
    model.eval()
    assert not model.rnn.training and not model.readout.training


def test_last_state_readout_needs_a_forward_pass_first():
    with pytest.raises(RuntimeError, match="before forward"):
        beyond_mlp.recall_network(hidden=2).backward(np.ones((1, 1)))


def test_delayed_recall_targets_the_delayed_input():
    X, y = beyond_mlp.delayed_recall(5, length=6, delay=2, seed=3)
    assert X.shape == (5, 6, 1) and y.shape == (5, 1)
    np.testing.assert_array_equal(y, X[:, 3])


def test_train_recall_learns_with_full_backpropagation():
    model, record = beyond_mlp.train_recall(steps=60, length=4, delay=1)
    assert record.steps[-1] == 60
    assert record.held_out_loss[-1] < 0.5 * record.held_out_loss[0]
    assert model.rnn.truncate is None


def test_gradient_through_time_is_bounded_by_the_scale():
    for scale in (0.5, 2.0):
        norms = beyond_mlp.gradient_through_time(scale, length=12, n=8)
        assert norms.shape == (12,)
        relative = norms / norms[-1]
        assert np.all(relative <= scale ** (12 - np.arange(1, 13)) * (1 + 1e-9))
    small = beyond_mlp.gradient_through_time(0.5, length=12, n=8)
    assert small[0] / small[-1] < 0.5 ** 11
