"""``MLP``: a multilayer perceptron as a ``Sequential``.

Its layers are Linear layers and activations.
"""

import numpy as np

from .layers import (
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)

ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
}

_RECTIFIERS = ("relu", "leaky_relu")


def make_activation(name):
    """A fresh activation module from its name (one of ``ACTIVATIONS``).

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    if name not in ACTIVATIONS:
        raise ValueError(
            f"unknown activation {name!r}; valid names are "
            f"{', '.join(sorted(ACTIVATIONS))}"
        )
    return ACTIVATIONS[name]()


def MLP(sizes, activation="relu", init="auto", seed=0, dtype=np.float64):
    """A multilayer perceptron: Linear layers with an activation in between.

    Sequential(Linear(sizes[0], sizes[1]), f, ..., Linear(sizes[-2],
    sizes[-1])): the activation ``f`` goes between Linear layers, none after
    the last (it outputs logits or raw predictions; the loss applies sigmoid
    or softmax). ``init="auto"`` picks He for ReLU-like activations and
    Xavier/Glorot otherwise. ``seed`` makes the weights reproducible.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes needs at least an input and an output size, got {sizes}"
        )
    make_activation(activation)  # checks the name before building a layer
    if init == "auto":
        init = (
            "he_normal" if activation in _RECTIFIERS else "xavier_uniform"
        )
    rng = np.random.default_rng(seed)
    modules = []
    for position, (fan_in, fan_out) in enumerate(
        zip(sizes[:-1], sizes[1:], strict=True)
    ):
        modules.append(
            Linear(fan_in, fan_out, init=init, rng=rng, dtype=dtype)
        )
        if position < len(sizes) - 2:
            modules.append(make_activation(activation))
    return Sequential(*modules)
