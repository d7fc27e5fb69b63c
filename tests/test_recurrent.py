"""Tests of bpcore.RNN beyond the shared check: the recurrence itself, the initial state, truncated
backpropagation through time as chunked training, the gradient through time, and bad input.
PyTorch's numbers are in test_layers_reference.py."""

import numpy as np
import pytest

import bpcore
from bpcore.gradcheck import TOLERANCE, numerical_gradient, relative_error

RNG = np.random.default_rng(11)
X = RNG.normal(size=(3, 8, 2))
G = RNG.normal(size=(3, 8, 4))


def step_by_step(layer, x, h0):
    """The recurrence written out: h_t = tanh(x_t W_ih + b_ih + h_{t-1} W_hh + b_hh)."""
    states, h = [], h0
    for t in range(x.shape[1]):
        h = np.tanh(x[:, t] @ layer.W_ih.data + layer.b_ih.data + h @ layer.W_hh.data
                    + layer.b_hh.data)
        states.append(h)
    return np.stack(states, axis=1)


def test_forward_is_the_recurrence_from_zero_or_from_a_given_state():
    layer = bpcore.RNN(2, 4, rng=0)
    np.testing.assert_allclose(layer(X), step_by_step(layer, X, np.zeros((3, 4))), rtol=1e-13)
    h0 = RNG.normal(size=(3, 4))
    np.testing.assert_allclose(layer(X, h0), step_by_step(layer, X, h0), rtol=1e-13)


def test_the_default_initialisation_is_pytorchs_uniform_bound():
    layer = bpcore.RNN(3, 16, rng=0)
    for name, parameter in layer.named_parameters():
        assert np.abs(parameter.data).max() <= 0.25, name  # 1/√16
        assert np.abs(parameter.data).max() > 0.2, name
    assert [name for name, _ in layer.named_parameters()] == ["W_ih", "W_hh", "b_ih", "b_hh"]
    assert [name for name, _ in layer.named_weights()] == ["W_ih", "W_hh"]
    assert layer.W_ih.data.shape == (3, 16) and layer.W_hh.data.shape == (16, 16)


def test_a_seed_repeats_the_weights():
    first, second = bpcore.RNN(2, 3, rng=5), bpcore.RNN(2, 3, rng=5)
    for (_, a), (_, b) in zip(first.named_parameters(), second.named_parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def run_in_chunks(layer, x, chunk, g):
    """Truncation as chunked training: each chunk starts from the last state of the one before,
    a constant; the gradients of all chunks add up. Returns ∂L/∂x."""
    full = bpcore.RNN(layer.input_size, layer.hidden_size)
    for (_, mine), (_, theirs) in zip(full.named_parameters(), layer.named_parameters(), strict=True):
        mine.data[:] = theirs.data
    grads_x, h = [], np.zeros((len(x), layer.hidden_size))
    for start in range(0, x.shape[1], chunk):
        out = full(x[:, start:start + chunk], h)
        grads_x.append(full.backward(g[:, start:start + chunk]))
        h = out[:, -1]
    return full, np.concatenate(grads_x, axis=1)


@pytest.mark.parametrize("truncate", [1, 3, 5, 8, 20])
def test_truncation_is_training_chunk_by_chunk(truncate):
    layer = bpcore.RNN(2, 4, truncate=truncate, rng=1)
    layer(X)
    grad_x = layer.backward(G)
    chunked, chunked_grad_x = run_in_chunks(layer, X, truncate, G)
    np.testing.assert_allclose(grad_x, chunked_grad_x, rtol=1e-10, atol=1e-14)
    for (name, mine), (_, theirs) in zip(layer.named_parameters(), chunked.named_parameters(),
                                         strict=True):
        np.testing.assert_allclose(mine.grad, theirs.grad, rtol=1e-10, atol=1e-14, err_msg=name)


def test_truncation_longer_than_the_sequence_is_the_whole_gradient():
    whole, truncated = bpcore.RNN(2, 4, rng=2), bpcore.RNN(2, 4, truncate=8, rng=2)
    for layer in (whole, truncated):
        layer(X)
        layer.backward(G)
    np.testing.assert_array_equal(whole.W_hh.grad, truncated.W_hh.grad)


def test_the_gradient_with_respect_to_the_initial_state_is_what_reaches_step_one():
    """hidden_grad[:, 0] is ∂L/∂h_1; one more step back gives ∂L/∂h_0, checked numerically."""
    layer = bpcore.RNN(2, 4, rng=3)
    h0 = RNG.normal(size=(3, 4))
    layer(X, h0)
    layer.backward(G)
    first = layer.hidden_grad[:, 0] * (1 - layer(X, h0)[:, 0] ** 2)
    analytic = first @ layer.W_hh.data.T
    numeric = numerical_gradient(lambda: float(np.sum(G * layer(X, h0))), h0)
    assert relative_error(analytic, numeric, 1.0) < TOLERANCE


def test_hidden_grad_holds_the_gradient_reaching_each_step():
    """With a loss on the last state only, ∂L/∂h_t shrinks going back through a small W_hh."""
    layer = bpcore.RNN(2, 4, rng=4)
    layer.W_hh.data *= 0.5
    g = np.zeros_like(G)
    g[:, -1] = 1.0
    layer(X)
    layer.backward(g)
    norms = np.linalg.norm(layer.hidden_grad, axis=(0, 2))
    assert norms.shape == (8,)
    assert np.all(np.diff(norms) > 0), norms  # smaller the further back from the loss
    analytic = layer.backward(g)
    x = X.copy()
    numeric = numerical_gradient(lambda: float(np.sum(g * layer(x))), x)
    assert relative_error(analytic, numeric, 1.0) < TOLERANCE


def test_float32_stays_float32_through_time():
    layer = bpcore.RNN(2, 4, rng=0, dtype=np.float32)
    out = layer(X.astype(np.float32))
    grad = layer.backward(G.astype(np.float32))
    assert out.dtype == grad.dtype == layer.W_hh.grad.dtype == np.float32


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: bpcore.RNN(0, 4), ValueError, "input_size must be a positive integer, got 0"),
        (lambda: bpcore.RNN(2, 4.0), TypeError, "hidden_size must be a positive integer, got float"),
        (lambda: bpcore.RNN(2, 4, truncate=0), ValueError, "truncate must be a positive integer, got 0"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 2))), bpcore.ShapeError,
         r"expects input of shape \(n, T, 2\), got shape \(3, 2\)"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 5, 3))), bpcore.ShapeError,
         r"expects input of shape \(n, T, 2\), got shape \(3, 5, 3\)"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 0, 2))), bpcore.ShapeError, "no time steps"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 5, 2)), np.zeros((2, 4))), bpcore.ShapeError,
         "h0 holds 2 states for 3 sequences"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 5, 2)), np.zeros((3, 5))), bpcore.ShapeError,
         r"expects input of shape \(n, 4\), got shape \(3, 5\)"),
        (lambda: bpcore.RNN(2, 4)(np.full((3, 5, 2), np.inf)), bpcore.NonFiniteError, "NaN or inf"),
        (lambda: bpcore.RNN(2, 4)(np.ones((3, 5, 2), np.float32)), TypeError,
         "holds float64 parameters but got float32 input"),
        (lambda: bpcore.RNN(2, 4).backward(G), RuntimeError, r"backward\(\) was called before forward"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call()
