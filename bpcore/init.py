"""Initialisation schemes for a weight matrix of shape (fan_in, fan_out).

Each scheme is a function ``scheme(fan_in, fan_out, rng, dtype) ->
ndarray``. The variance rules keep activations (Xavier/Glorot) or ReLU
activations (He) at a steady scale from layer to layer: Var(W) = 2 / (fan_in
+ fan_out) for Xavier, Var(W) = 2 / fan_in for He.
"""

import numpy as np

from .checks import check_positive


def zeros(fan_in, fan_out, rng, dtype=np.float64):
    """W = 0: every unit in a layer computes the same thing.

    So the symmetry between them is never broken.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    return np.zeros((fan_in, fan_out), dtype=dtype)


def normal(std):
    """A scheme drawing W ~ N(0, std²), with the same std whatever the fan.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    check_positive(std, "std")

    def normal_fixed_std(fan_in, fan_out, rng, dtype=np.float64):
        return (std * rng.standard_normal((fan_in, fan_out))).astype(dtype)

    normal_fixed_std.__doc__ = f"W ~ N(0, {std}²)."
    return normal_fixed_std


small_normal = normal(0.01)
small_normal.__name__ = "small_normal"


def xavier_uniform(fan_in, fan_out, rng, dtype=np.float64):
    """W ~ U(-a, a) with a = sqrt(6 / (fan_in + fan_out)).

    So Var(W) = 2 / (fan_in + fan_out).

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(dtype)


def xavier_normal(fan_in, fan_out, rng, dtype=np.float64):
    """W ~ N(0, 2 / (fan_in + fan_out)).

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return (std * rng.standard_normal((fan_in, fan_out))).astype(dtype)


def he_normal(fan_in, fan_out, rng, dtype=np.float64):
    """W ~ N(0, 2 / fan_in): keeps the scale of ReLU activations steady.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    std = np.sqrt(2.0 / fan_in)
    return (std * rng.standard_normal((fan_in, fan_out))).astype(dtype)


def he_uniform(fan_in, fan_out, rng, dtype=np.float64):
    """W ~ U(-a, a) with a = sqrt(6 / fan_in), so Var(W) = 2 / fan_in.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, (fan_in, fan_out)).astype(dtype)


SCHEMES = {
    "zeros": zeros,
    "small_normal": small_normal,
    "xavier_uniform": xavier_uniform,
    "xavier_normal": xavier_normal,
    "he_normal": he_normal,
    "he_uniform": he_uniform,
}


def get_scheme(init):
    """Return the scheme named ``init``, or ``init`` itself if callable.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    if callable(init):
        return init
    if init not in SCHEMES:
        raise ValueError(
            f"unknown initialisation {init!r}; valid names are "
            f"{', '.join(sorted(SCHEMES))} (or pass a function (fan_in, "
            "fan_out, rng, dtype) -> array)"
        )
    return SCHEMES[init]
