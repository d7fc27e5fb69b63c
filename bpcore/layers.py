"""Layers as modules: ``forward`` caches what ``backward`` needs.

Samples are rows: a batch ``X`` has shape (n, features). For a layer ``y =
f(x)`` with upstream gradient ``g = ∂L/∂y``, ``backward(g)`` adds ∂L/∂θ to
each parameter's ``.grad`` and returns ``∂L/∂x``.
"""

import numpy as np

from . import init as _init
from .checks import (
    NonFiniteError,
    ShapeError,
    as_float_array,
    check_finite,
    check_float_dtype,
    check_non_negative,
    check_positive_int,
)
from .functions import sigmoid


class Parameter:
    """A trainable array ``.data`` with a gradient ``.grad`` of its shape.

    Gradients accumulate across backward passes (as in PyTorch);
    ``zero_grad`` clears them. Accumulating lets a parameter used twice, or
    a batch split into parts, sum its contributions; it is why every
    training step starts with ``zero_grad``. (A scalar ``Value.backward``
    zeroes first instead: one call differentiates one whole graph.)

    ``zero_grad`` only marks the gradient as zero, and the first
    ``accumulate_grad`` after it keeps its (fresh) argument as the gradient,
    instead of filling an array with zeros and adding to it: two passes over
    the weights saved each step. Reading ``.grad`` in between gives zeros.
    As with PyTorch's ``zero_grad``, which sets ``.grad`` to None, read
    ``.grad`` afresh after ``zero_grad``: an array kept from before is not
    cleared.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def __init__(self, data, name=""):
        self.data = as_float_array(data, "Parameter data").copy()
        self._grad = np.zeros_like(self.data)
        # True: _grad is stale and reads as zeros
        self._grad_is_zero = False
        self.name = name

    @property
    def grad(self):
        """∂L/∂data, summed over the backward passes since ``zero_grad``."""
        if self._grad_is_zero:
            self._grad.fill(0)
            self._grad_is_zero = False
        return self._grad

    @grad.setter
    def grad(self, value):
        value = as_float_array(value, f"the gradient of {self!r}")
        if value.shape != self.data.shape:
            raise ShapeError(
                f"{self!r} cannot take a gradient of shape {value.shape}"
            )
        self._grad = value.astype(self.data.dtype, copy=False)
        self._grad_is_zero = False

    def zero_grad(self):
        """Set the gradient to zero."""
        self._grad_is_zero = True

    def accumulate_grad(self, contribution):
        """``grad += contribution``, a new array the Parameter may keep."""
        if contribution.shape != self.data.shape:
            raise ShapeError(
                f"{self!r} got a gradient contribution of shape "
                f"{contribution.shape}"
            )
        if contribution.dtype != self.data.dtype:
            raise TypeError(
                f"{self!r} got a {contribution.dtype} gradient contribution"
            )
        if self._grad_is_zero:
            # the first since zero_grad: kept as is
            self._grad = contribution
            self._grad_is_zero = False
        else:
            self._grad += contribution

    def __repr__(self):
        name = self.name or "unnamed"
        shape, dtype = self.data.shape, self.data.dtype
        return f"Parameter({name}, shape={shape}, dtype={dtype})"


def check_parameters(parameters, owner):
    """Return ``parameters`` as a list; each must be a distinct Parameter.

    ``owner`` names the caller in the messages. TypeError for an item that
    is not a Parameter; ValueError for one listed twice, which would be
    updated (or clipped) twice per step.
    """
    parameters = list(parameters)
    first_position = {}
    for position, parameter in enumerate(parameters):
        if not isinstance(parameter, Parameter):
            raise TypeError(
                f"{owner} expects Parameters (e.g. model.parameters()); "
                f"item {position} is {type(parameter).__name__}"
            )
        if id(parameter) in first_position:
            raise ValueError(
                f"{owner} got the same {parameter!r} twice, as items "
                f"{first_position[id(parameter)]} and {position}; list "
                "every Parameter once (a module used twice in a model "
                "shares its parameters)"
            )
        first_position[id(parameter)] = position
    return parameters


class Module:
    """The interface every layer, block and network implements.

    - ``forward(x)`` returns the output y = f(x) and caches what backward
      needs; ``module(x)`` is ``forward(x)``.
    - ``backward(grad_output, input_grad=True)`` takes g = ∂L/∂y for the
      last forward call, adds ∂L/∂θ to each parameter's ``.grad``, and
      returns ∂L/∂x, or None when ``input_grad`` is False (a training step
      needs no gradient for the data and skips that matrix product, as
      PyTorch does).
    - ``named_parameters()`` lists (name, Parameter) pairs in forward order;
      ``parameters()`` and ``zero_grad()`` follow from it.
    - ``training`` is True (the default) or False; ``train()`` and
      ``eval()`` set it on the module and every module inside it
      (``children()``). Only layers that act differently at training time,
      as Dropout and BatchNorm1d do, read it.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    training = True

    def forward(self, x):
        raise NotImplementedError

    def backward(self, grad_output, input_grad=True):
        raise NotImplementedError

    def __call__(self, x, *args, **kwargs):
        return self.forward(x, *args, **kwargs)

    def named_parameters(self):
        """(name, Parameter) pairs in forward order, each W before its b."""
        return []

    def parameters(self):
        """Every Parameter of the module, in forward order."""
        return [parameter for _, parameter in self.named_parameters()]

    def named_weights(self):
        """(name, Parameter) pairs of the weight matrices, in order.

        The weight matrices are the 2-D parameters.
        """
        return [
            (name, p)
            for name, p in self.named_parameters()
            if p.data.ndim == 2
        ]

    def zero_grad(self):
        """Clear the accumulated gradients of every parameter."""
        for parameter in self.parameters():
            parameter.zero_grad()

    def children(self):
        """The modules directly inside this one (none for a plain layer)."""
        return []

    def train(self, mode=True):
        """Set ``training`` to ``mode`` here and in every child.

        Returns the module.
        """
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(
                f"train(mode) takes True or False, got "
                f"{type(mode).__name__} {mode!r}"
            )
        self.training = bool(mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Switch to evaluation mode, ``train(False)``; return self."""
        return self.train(False)

    def __repr__(self):
        return f"{type(self).__name__}()"

    def _cached(self, name):
        value = getattr(self, name, None)
        if value is None:
            raise RuntimeError(
                f"{self!r}.backward() was called before forward(): run a "
                "forward pass first"
            )
        return value

    def _check_grad_shape(self, grad_output, expected_shape):
        grad_output = as_float_array(
            grad_output, f"the gradient passed to {self!r}.backward"
        )
        if grad_output.shape != expected_shape:
            raise ShapeError(
                f"{self!r}.backward got a gradient of shape "
                f"{grad_output.shape}, but its last forward output had "
                f"shape {expected_shape}"
            )
        return grad_output


class Linear(Module):
    """Affine layer ``Y = X W + b``, W of shape (in_features, out_features).

    Backward: ∂L/∂W = Xᵀ G, ∂L/∂b = Σ_rows G, ∂L/∂X = G Wᵀ, where G = ∂L/∂Y.

    Taught in :doc:`/chapters/02_chain_rule`.
    """

    def __init__(
        self,
        in_features,
        out_features,
        *,
        init="xavier_uniform",
        rng=None,
        dtype=np.float64,
    ):
        check_positive_int(in_features, "in_features")
        check_positive_int(out_features, "out_features")
        dtype = check_float_dtype(dtype)
        rng = np.random.default_rng(rng)
        self.in_features = int(in_features)
        self.out_features = int(out_features)
        scheme = _init.get_scheme(init)
        self.W = Parameter(
            scheme(self.in_features, self.out_features, rng, dtype), "W"
        )
        self.b = Parameter(np.zeros(self.out_features, dtype=dtype), "b")
        self._input = None

    def __repr__(self):
        return f"Linear({self.in_features}, {self.out_features})"

    def named_parameters(self):
        return [("W", self.W), ("b", self.b)]

    def forward(self, x):
        x = layer_input(self, x, (self.in_features,), self.W.data.dtype)
        # NaN or inf in x reaches every output of its row (inf · 0 is NaN),
        # so checking the output also checks the input, and catches an
        # overflow: the check below reports both, NumPy need not warn
        with np.errstate(over="ignore", invalid="ignore"):
            out = x @ self.W.data + self.b.data
        if not np.isfinite(out).all():
            check_finite(x, f"input to {self!r}")
            raise NonFiniteError(
                f"{self!r} turned a finite input into NaN or inf: its "
                "weights are not finite, or the product overflowed"
            )
        self._input = x
        return out

    def backward(self, grad_output, input_grad=True):
        x = self._cached("_input")
        expected = (x.shape[0], self.out_features)
        grad_output = self._check_grad_shape(grad_output, expected)
        self.W.accumulate_grad(x.T @ grad_output)
        self.b.accumulate_grad(grad_output.sum(axis=0))
        return grad_output @ self.W.data.T if input_grad else None


def layer_input(module, x, feature_shape, dtype):
    """``x`` as a float array of shape (n, *feature_shape) in ``dtype``.

    A name in ``feature_shape`` (such as "T") stands for any size.
    ShapeError for another shape; TypeError for another dtype, saying how to
    cast the input or build the layer. The parameterised layers' common
    first line.
    """
    given = np.asarray(x)
    x = as_float_array(given, f"input to {module!r}")
    if x.ndim != 1 + len(feature_shape) or any(
        size != expected
        for size, expected in zip(x.shape[1:], feature_shape, strict=True)
        if not isinstance(expected, str)
    ):
        expected = ", ".join(["n", *map(str, feature_shape)])
        raise ShapeError(
            f"{module!r} expects input of shape ({expected}), got shape "
            f"{x.shape}"
        )
    if x.dtype != dtype:
        fix = f"cast the input with x.astype(np.{dtype})"
        if given.dtype.kind == "f":
            fix += f" or build the layer with dtype=np.{given.dtype}"
        raise TypeError(
            f"{module!r} holds {dtype} parameters but got {given.dtype} "
            f"input; {fix}"
        )
    return x


class Activation(Module):
    """An elementwise function y = f(x); backward multiplies by f'(x).

    The product is elementwise too: ∂L/∂x = ∂L/∂y · f'(x).

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def forward(self, x):
        x = as_float_array(x, f"input to {self!r}")
        self._input = x
        self._output = self.function(x)
        return self._output

    def backward(self, grad_output, input_grad=True):
        self._cached("_output")
        grad_output = self._check_grad_shape(
            grad_output, self._output.shape
        )
        return grad_output * self.derivative() if input_grad else None

    def function(self, x):
        raise NotImplementedError

    def derivative(self):
        """f'(x) at the cached forward input x, an array of x's shape."""
        raise NotImplementedError


class Sigmoid(Activation):
    """σ(x) = 1 / (1 + e^{-x}), with σ'(x) = σ(x)(1 - σ(x)) ≤ 1/4.

    Taught in :doc:`/chapters/02_chain_rule`.
    """

    def function(self, x):
        return sigmoid(x)  # the stable form of bpcore.functions

    def derivative(self):
        return self._output * (1 - self._output)


class Tanh(Activation):
    """tanh x, with derivative 1 - tanh² x.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def function(self, x):
        return np.tanh(x)

    def derivative(self):
        return 1 - self._output**2


class ReLU(Activation):
    """max(0, x), with derivative 1 where x > 0 and 0 elsewhere.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def function(self, x):
        return np.maximum(x, 0)

    def derivative(self):
        return (self._input > 0).astype(self._input.dtype)


class LeakyReLU(Activation):
    """x for x > 0 and a·x otherwise, with derivative 1 or a.

    The slope a is ``negative_slope``.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """

    def __init__(self, negative_slope=0.01):
        check_non_negative(negative_slope, "negative_slope")
        self.negative_slope = negative_slope

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"

    def function(self, x):
        return np.where(x > 0, x, x * x.dtype.type(self.negative_slope))

    def derivative(self):
        slope = self._input.dtype.type(self.negative_slope)
        return np.where(self._input > 0, self._input.dtype.type(1), slope)


class Identity(Activation):
    """f(x) = x, with derivative 1.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def function(self, x):
        return x

    def derivative(self):
        return np.ones_like(self._input)


class Sequential(Module):
    """Modules applied in order; backward runs them in reverse.

    That is the chain rule, layer by layer. Every layer but the first passes
    its input gradient down; the first computes one only if ``input_grad``
    is True (the default), so a training step's ``backward(g,
    input_grad=False)`` saves the matrix product nobody needs.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def __init__(self, *modules):
        for position, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(
                    "Sequential takes Module instances; argument "
                    f"{position} is {type(module).__name__} ({module!r})"
                )
        _check_feature_sizes(modules)
        self.layers = list(modules)

    def __iter__(self):
        return iter(self.layers)

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, index):
        return self.layers[index]

    def children(self):
        return list(self.layers)

    def __repr__(self):
        inner = ",\n".join(
            f"  {module!r}".replace("\n", "\n  ") for module in self.layers
        )
        return f"Sequential(\n{inner}\n)"

    def named_parameters(self):
        return [
            (f"{position}.{name}", parameter)
            for position, module in enumerate(self.layers)
            for name, parameter in module.named_parameters()
        ]

    def forward(self, x):
        for position, module in enumerate(self.layers):
            try:
                x = module.forward(x)
            except ShapeError as error:
                raise ShapeError(
                    f"layer {position} of the Sequential: {error}"
                ) from None
        return x

    def backward(self, grad_output, input_grad=True):
        for position, layer in reversed(list(enumerate(self.layers))):
            needs = input_grad or position > 0  # the first: only if asked
            grad_output = layer.backward(grad_output, input_grad=needs)
        return grad_output


def _check_feature_sizes(modules):
    """Raise ShapeError where consecutive layers' feature sizes disagree.

    That is, where a layer's in_features differs from the previous
    out_features.
    """
    previous = None
    for position, module in enumerate(modules):
        size_in = getattr(module, "in_features", None)
        if (
            previous is not None
            and size_in is not None
            and size_in != previous[1]
        ):
            raise ShapeError(
                f"layer {position} {module!r} expects {size_in} input "
                f"features, but layer {previous[0]} "
                f"{modules[previous[0]]!r} produces {previous[1]}"
            )
        if getattr(module, "out_features", None) is not None:
            previous = (position, module.out_features)
