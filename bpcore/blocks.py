"""Building blocks made of other modules: the residual (skip) connection.

A residual block computes ``y = x + F(x)`` for an inner module ``F`` whose
output has the shape of its input. Its Jacobian is ``I + ∂F/∂x``, so the
backward pass adds the upstream gradient, unchanged, to whatever ``F``
passes back: ``∂L/∂x = g + F.backward(g)``. However small ``∂F/∂x`` becomes,
the gradient keeps a path through the block that multiplies it by 1.
"""

from .checks import ShapeError, as_float_array
from .layers import Module, Sequential


def _feature_sizes(module):
    """(in_features, out_features) of a module, each None if unknown.

    A Sequential is looked inside: in_features of the first layer that has
    one, out_features of the last.
    """
    if isinstance(module, Sequential):
        sizes_in = [getattr(layer, "in_features", None) for layer in module]
        sizes_out = [
            getattr(layer, "out_features", None) for layer in module
        ]
        first = next((size for size in sizes_in if size is not None), None)
        last = next(
            (size for size in reversed(sizes_out) if size is not None), None
        )
        return first, last
    return getattr(module, "in_features", None), getattr(
        module, "out_features", None
    )


def _short_name(module):
    """The module's repr if it fits on one line, else its class name.

    A Sequential, for example, is named by its class.
    """
    text = repr(module)
    return type(module).__name__ if "\n" in text else text


class Residual(Module):
    """``y = x + module(x)``: a skip connection around ``module``.

    Backward: ∂L/∂x = g + module.backward(g), where g = ∂L/∂y. The
    parameters are the inner module's, named with the prefix ``module.``.
    The inner module must keep the shape of its input (for Linear layers: as
    many output features as input features).

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """

    def __init__(self, module):
        if not isinstance(module, Module):
            raise TypeError(
                "Residual wraps a Module instance, got "
                f"{type(module).__name__} ({module!r})"
            )
        size_in, size_out = _feature_sizes(module)
        if (
            size_in is not None
            and size_out is not None
            and size_in != size_out
        ):
            raise ShapeError(
                "Residual needs a module whose output has the shape of "
                f"its input, but {_short_name(module)} maps {size_in} "
                f"features to {size_out}; x + module(x) is undefined"
            )
        self.module = module
        self.in_features = self.out_features = (
            size_in if size_in is not None else size_out
        )
        self._input_shape = None

    def __repr__(self):
        inner = f"{self.module!r}".replace("\n", "\n  ")
        return f"Residual(\n  {inner}\n)"

    def children(self):
        return [self.module]

    def named_parameters(self):
        return [
            (f"module.{name}", parameter)
            for name, parameter in self.module.named_parameters()
        ]

    def forward(self, x):
        x = as_float_array(x, f"input to {type(self).__name__}")
        out = self.module.forward(x)
        if out.shape != x.shape:
            raise ShapeError(
                "Residual: the inner module turned input of shape "
                f"{x.shape} into output of shape {out.shape}; x + "
                "module(x) needs the same shape"
            )
        self._input_shape = x.shape
        return x + out

    def backward(self, grad_output, input_grad=True):
        shape = self._cached("_input_shape")
        grad_output = self._check_grad_shape(grad_output, shape)
        inner = self.module.backward(grad_output, input_grad=input_grad)
        return grad_output + inner if input_grad else None
