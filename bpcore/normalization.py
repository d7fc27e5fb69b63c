"""Batch normalisation: each feature standardised over the batch, rescaled.

For a batch x of shape (n, C), feature by feature::

    μ = mean(x),  σ² = mean((x - μ)²),  x̂ = (x - μ) / √(σ² + ε),
    y = γ x̂ + β.

Backward, in training mode. μ and σ depend on every sample, so each x_i
reaches each y_j along three paths: directly, through μ and through σ.
Summing them on the computational graph, with g = ∂L/∂y and ĝ = γ g::

    ∂L/∂x̂ = ĝ,   ∂L/∂σ² = -½ Σ ĝ x̂ / (σ² + ε),   ∂L/∂μ = -Σ ĝ / √(σ² + ε)
    (the μ-term of ∂L/∂σ², ∝ Σ (x - μ), is zero),

    ∂L/∂x_i = ĝ_i / √(σ² + ε) + ∂L/∂σ² · 2 (x_i - μ) / n + ∂L/∂μ / n,

which simplifies to one line::

    ∂L/∂x = γ / (n √(σ² + ε)) · (n g - Σ g - x̂ Σ (g x̂)),

sums over the batch. The gradient is g with its mean removed, and (up to
ε) its component along x̂: shifting or scaling a feature across the batch
changes nothing downstream, so the gradient has no such component. And
∂L/∂γ = Σ g x̂, ∂L/∂β = Σ g.

In evaluation mode μ and σ² are the running estimates, constants: y is an
affine map of x and ∂L/∂x = γ g / √(running_var + ε).
"""

import numpy as np

from .checks import (
    check_finite,
    check_float_dtype,
    check_positive,
    check_positive_int,
    check_real,
)
from .layers import Module, Parameter, layer_input


class BatchNorm1d(Module):
    """Batch normalisation of (n, num_features) inputs, as PyTorch's.

    Training mode: normalises with the batch mean and the biased batch
    variance, and updates ``running_mean`` and ``running_var`` (starting at
    0 and 1) as r ← (1 - momentum) r + momentum · b, with the *unbiased*
    batch variance n σ² / (n - 1) for ``running_var``. Evaluation mode
    (``eval()``): normalises with the running estimates and updates
    nothing. Parameters ``weight`` γ (ones) then ``bias`` β (zeros). The
    derivation of the backward pass is the module's docstring.

    Taught in :doc:`/chapters/09_beyond_mlp`.
    """

    def __init__(
        self, num_features, eps=1e-5, momentum=0.1, *, dtype=np.float64
    ):
        check_positive_int(num_features, "num_features")
        check_positive(eps, "eps")
        check_real(momentum, "momentum")
        if not 0 <= momentum <= 1:
            raise ValueError(
                f"momentum must lie in [0, 1], got {momentum!r}"
            )
        dtype = check_float_dtype(dtype)
        self.num_features = self.in_features = self.out_features = int(
            num_features
        )
        self.eps, self.momentum = float(eps), float(momentum)
        self.weight = Parameter(np.ones(num_features, dtype), "weight")
        self.bias = Parameter(np.zeros(num_features, dtype), "bias")
        self.running_mean = np.zeros(num_features, dtype)
        self.running_var = np.ones(num_features, dtype)
        self._normalized = None

    def __repr__(self):
        return (
            f"BatchNorm1d({self.num_features}, eps={self.eps}, "
            f"momentum={self.momentum})"
        )

    def named_parameters(self):
        """``weight`` γ, then ``bias`` β."""
        return [("weight", self.weight), ("bias", self.bias)]

    def forward(self, x):
        x = layer_input(
            self, x, (self.num_features,), self.weight.data.dtype
        )
        check_finite(x, f"input to {self!r}")
        n = len(x)
        if self.training:
            if n < 2:
                raise ValueError(
                    f"{self!r} in training mode needs at least 2 samples "
                    f"per batch to estimate a variance, got {n}; call "
                    "eval() to use the running statistics"
                )
            mean, var = x.mean(axis=0), x.var(axis=0)
            m = self.momentum
            self.running_mean *= 1 - m
            self.running_mean += m * mean
            self.running_var *= 1 - m
            self.running_var += (m * n / (n - 1)) * var
        else:
            mean, var = self.running_mean, self.running_var
        self._inv_std = 1 / np.sqrt(var + self.eps)
        self._normalized = (x - mean) * self._inv_std
        self._batch_statistics = self.training
        return self.weight.data * self._normalized + self.bias.data

    def backward(self, grad_output, input_grad=True):
        x_hat = self._cached("_normalized")
        g = self._check_grad_shape(grad_output, x_hat.shape)
        self.weight.accumulate_grad((g * x_hat).sum(axis=0))
        self.bias.accumulate_grad(g.sum(axis=0))
        if not input_grad:
            return None
        scale = self.weight.data * self._inv_std
        if not self._batch_statistics:
            return scale * g
        n = len(g)
        return (scale / n) * (
            n * g - g.sum(axis=0) - x_hat * (g * x_hat).sum(axis=0)
        )
