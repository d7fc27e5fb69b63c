"""A recurrent layer and its backward pass, backpropagation through time.

An Elman network reads a sequence x_1 … x_T (batch first: x has shape (n,
T, input_size), samples as rows) and carries a hidden state::

    a_t = x_t W_ih + b_ih + h_{t-1} W_hh + b_hh,   h_t = tanh(a_t),

from h_0 = 0 (or a given state). The same weights act at every step, so
unrolled in time the layer is a deep network of T layers that share their
weights, and its backward pass is the chain rule along that network, from
the last step back to the first. With g_t = ∂L/∂h_t from the layers above::

    G_t = g_t + (∂L/∂a_{t+1}) W_hhᵀ        (all of ∂L/∂h_t; G_T = g_T)
    ∂L/∂a_t = G_t ⊙ (1 - h_t²),             ∂L/∂x_t = (∂L/∂a_t) W_ihᵀ,

and each shared weight sums its contributions over the steps: ∂L/∂W_ih =
Σ_t x_tᵀ ∂L/∂a_t, ∂L/∂W_hh = Σ_t h_{t-1}ᵀ ∂L/∂a_t, ∂L/∂b = Σ_t Σ_rows
∂L/∂a_t. Each step back multiplies the gradient by W_hhᵀ and by tanh′ ≤ 1,
so along time it vanishes or explodes as it does along depth.

Truncated backpropagation through time cuts the sequence into chunks of
``truncate`` steps (from the start) and lets no gradient cross from one
chunk into the one before: exactly what training chunk by chunk does when
each chunk starts from the previous chunk's last state, held constant.
"""

import numpy as np

from .checks import (
    ShapeError,
    check_finite,
    check_float_dtype,
    check_positive_int,
)
from .layers import Module, Parameter, layer_input


class RNN(Module):
    """A single-layer Elman network with tanh, batch first, as PyTorch's.

    ``forward(x, h0=None)`` takes x of shape (n, T, input_size) and returns
    every hidden state, shape (n, T, hidden_size); the last is
    ``output[:, -1]``. Parameters ``W_ih`` (input_size, hidden_size),
    ``W_hh`` (hidden_size, hidden_size), ``b_ih`` and ``b_hh``, all drawn
    from U(-1/√hidden_size, 1/√hidden_size) as PyTorch does (whose
    ``weight_ih_l0`` is W_ihᵀ: it keeps the columns convention).
    ``truncate`` (None, or a number of steps) truncates backpropagation
    through time. After ``backward``, ``hidden_grad[:, t]`` holds ∂L/∂h_t,
    the gradient that reached each step. The derivation is the module's
    docstring.

    Taught in :doc:`/chapters/09_beyond_mlp`.
    """

    def __init__(
        self,
        input_size,
        hidden_size,
        *,
        truncate=None,
        rng=None,
        dtype=np.float64,
    ):
        check_positive_int(input_size, "input_size")
        check_positive_int(hidden_size, "hidden_size")
        if truncate is not None:
            check_positive_int(truncate, "truncate")
        dtype = check_float_dtype(dtype)
        rng = np.random.default_rng(rng)
        self.input_size, self.hidden_size = (
            int(input_size),
            int(hidden_size),
        )
        self.truncate = truncate
        bound = 1 / np.sqrt(self.hidden_size)
        shapes = {
            "W_ih": (self.input_size, self.hidden_size),
            "W_hh": (self.hidden_size, self.hidden_size),
            "b_ih": (self.hidden_size,),
            "b_hh": (self.hidden_size,),
        }
        for name, shape in shapes.items():
            data = rng.uniform(-bound, bound, shape).astype(dtype)
            setattr(self, name, Parameter(data, name))
        self._hidden = None
        self.hidden_grad = None

    def __repr__(self):
        extra = f", truncate={self.truncate}" if self.truncate else ""
        return f"RNN({self.input_size}, {self.hidden_size}{extra})"

    def named_parameters(self):
        """``W_ih``, ``W_hh``, ``b_ih``, ``b_hh``: PyTorch's order."""
        return [
            (name, getattr(self, name))
            for name in ("W_ih", "W_hh", "b_ih", "b_hh")
        ]

    def forward(self, x, h0=None):
        dtype = self.W_ih.data.dtype
        x = layer_input(self, x, ("T", self.input_size), dtype)
        check_finite(x, f"input to {self!r}")
        n, steps, _ = x.shape
        if steps == 0:
            raise ShapeError(f"{self!r} got a sequence of no time steps")
        if h0 is None:
            h0 = np.zeros((n, self.hidden_size), dtype)
        else:
            h0 = layer_input(self, h0, (self.hidden_size,), dtype)
            if len(h0) != n:
                raise ShapeError(
                    f"{self!r}: h0 holds {len(h0)} states for {n} sequences"
                )
        # the input's share of every a_t, in one product
        drive = x @ self.W_ih.data + (self.b_ih.data + self.b_hh.data)
        hidden = np.empty((n, steps, self.hidden_size), dtype)
        state = h0
        for t in range(steps):
            state = hidden[:, t] = np.tanh(
                drive[:, t] + state @ self.W_hh.data
            )
        self._input, self._h0, self._hidden = x, h0, hidden
        return hidden.copy()

    def backward(self, grad_output, input_grad=True):
        hidden = self._cached("_hidden")
        grad_output = self._check_grad_shape(grad_output, hidden.shape)
        grad_a = np.empty_like(hidden)
        self.hidden_grad = np.empty_like(hidden)
        from_later = np.zeros_like(hidden[:, 0])  # (∂L/∂a_{t+1}) W_hhᵀ
        for t in reversed(range(hidden.shape[1])):
            self.hidden_grad[:, t] = grad_output[:, t] + from_later
            grad_a[:, t] = self.hidden_grad[:, t] * (1 - hidden[:, t] ** 2)
            if self.truncate and t % self.truncate == 0:
                from_later = np.zeros_like(from_later)  # a chunk's start
            else:
                from_later = grad_a[:, t] @ self.W_hh.data.T
        previous = np.concatenate(
            [self._h0[:, None], hidden[:, :-1]], axis=1
        )
        rows_a = grad_a.reshape(-1, self.hidden_size)
        rows_x = self._input.reshape(-1, self.input_size)
        rows_h = previous.reshape(-1, self.hidden_size)
        self.W_ih.accumulate_grad(rows_x.T @ rows_a)
        self.W_hh.accumulate_grad(rows_h.T @ rows_a)
        self.b_ih.accumulate_grad(rows_a.sum(axis=0))
        self.b_hh.accumulate_grad(rows_a.sum(axis=0))
        return grad_a @ self.W_ih.data.T if input_grad else None
