"""Scalar autodiff: reverse mode (``Value``) and forward mode (``Dual``).

A ``Value`` remembers the operation that made it, its parents, and the local
derivative of its data with respect to each parent. ``backward()`` then
applies the chain rule from the output back to every input: ``parent.grad +=
local_derivative * node.grad``, visiting the nodes in reverse topological
order so each node's gradient is complete before it is used.

A ``Dual`` number ``a + b ε`` with ``ε² = 0`` carries a value and one
directional derivative forward through the same operations: one pass per
input direction.
"""

import math
from numbers import Integral, Real

from .functions import sigmoid


def _exp(x):
    """e^x as a float, +inf rather than OverflowError where it overflows.

    It overflows for x > 709.78.
    """
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _power(base, exponent):
    """(x^p, d/dx x^p = p x^(p-1)), ±inf on overflow, as PyTorch gives.

    At x = 0 the derivative is computed without dividing by x: 0 for p = 0
    (x^0 = 1 is flat), +inf for 0 < p < 1 (the tangent of √x at 0 is
    vertical), p x^(p-1) for p ≥ 1.
    """
    if base == 0 and exponent < 1:
        return base**exponent, (0.0 if exponent == 0 else math.inf)
    return _overflow_to_inf(base, exponent), exponent * _overflow_to_inf(
        base, exponent - 1
    )


def _overflow_to_inf(base, exponent):
    """base ** exponent, or ±inf where the float result overflows.

    The infinity has the sign of the true result.
    """
    try:
        return base**exponent
    except OverflowError:
        odd = float(exponent).is_integer() and int(exponent) % 2 == 1
        return -math.inf if base < 0 and odd else math.inf


def _check_log_argument(x):
    if x <= 0:
        raise ValueError(
            f"log is only defined for positive numbers, got {x}"
        )


def _check_power(base, exponent):
    """Return the exponent as an int or float, or raise.

    The error says why ``base ** exponent`` fails.
    """
    if isinstance(exponent, (Value, Dual)):
        raise TypeError(
            "the exponent must be a plain number (int or float), not a "
            "graph node"
        )
    if isinstance(exponent, bool) or not isinstance(exponent, Real):
        raise TypeError(
            "the exponent must be an int or float, got "
            f"{type(exponent).__name__}"
        )
    exponent = (
        int(exponent) if isinstance(exponent, Integral) else float(exponent)
    )
    if base < 0 and not float(exponent).is_integer():
        raise ValueError(f"{base} ** {exponent} is not a real number")
    if base == 0 and exponent < 0:
        raise ZeroDivisionError(
            f"0 ** {exponent} divides by zero; keep the base away from 0"
        )
    return exponent


class _DerivedOperators:
    """The operators Value and Dual share.

    Each is expressed through ``+``, ``*``, ``**`` and ``_lift``. A
    subclass's ``_primal`` is the plain number it carries (``.data`` or
    ``.value``).
    """

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __truediv__(self, other):
        other = self._lift(other)
        if other._primal == 0:
            raise ZeroDivisionError(
                f"division of a {type(self).__name__} by zero"
            )
        return self * other**-1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return self._lift(other) - self

    def __rtruediv__(self, other):
        return self._lift(other) / self


class Value(_DerivedOperators):
    """A scalar node in a computational graph, with ``.data`` and ``.grad``.

    ``parents`` are the Values this one was computed from, ``op`` names the
    operation, and ``local_grads[i]`` is ∂(this)/∂(parents[i]) evaluated at
    the forward values.

    Taught in :doc:`/chapters/03_autodiff`.
    """

    def __init__(self, data, parents=(), op="", local_grads=(), label=""):
        if isinstance(data, Value):
            raise TypeError(
                "Value(...) takes a number; the argument is already a Value"
            )
        if not isinstance(data, (int, float)) or isinstance(data, bool):
            try:
                data = float(data)
            except (TypeError, ValueError):
                raise TypeError(
                    f"Value needs a real number, got {type(data).__name__}"
                ) from None
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self.op = op
        self.local_grads = tuple(local_grads)
        self.label = label

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    @property
    def _primal(self):
        return self.data

    @staticmethod
    def _lift(other):
        return other if isinstance(other, Value) else Value(other)

    # --- operations: each records its local derivatives -------------------
    def __add__(self, other):
        other = self._lift(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = self._lift(other)
        out = self.data * other.data
        return Value(out, (self, other), "*", (other.data, self.data))

    def __pow__(self, exponent):
        """x^p for a number p, with derivative p x^(p-1).

        The result is inf where x^p overflows a float.
        """
        exponent = _check_power(self.data, exponent)
        out, derivative = _power(self.data, exponent)
        return Value(out, (self,), f"**{exponent}", (derivative,))

    def exp(self):
        """e^x, with derivative e^x.

        It is inf for x > 709.78, where e^x overflows a float.
        """
        out = _exp(self.data)
        return Value(out, (self,), "exp", (out,))

    def log(self):
        """ln x for x > 0, with derivative 1/x."""
        _check_log_argument(self.data)
        return Value(
            math.log(self.data), (self,), "log", (1.0 / self.data,)
        )

    def tanh(self):
        """tanh x, with derivative 1 - tanh² x."""
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1.0 - t * t,))

    def relu(self):
        """max(0, x), with derivative 1 for x > 0 and 0 otherwise.

        NaN stays NaN.
        """
        out = 0.0 if self.data < 0 else self.data
        return Value(out, (self,), "relu", (float(self.data > 0),))

    def sigmoid(self):
        """σ(x) = 1 / (1 + e^{-x}), with derivative σ(x)(1 - σ(x))."""
        s = float(sigmoid(self.data))
        return Value(s, (self,), "sigmoid", (s * (1.0 - s),))

    # --- the backward pass ------------------------------------------------
    def topological_order(self):
        """All nodes this Value depends on, each after all of its parents.

        Iterative depth-first search, so graphs thousands of nodes deep do
        not hit Python's recursion limit.
        """
        order, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
                continue
            if node in visited:
                continue
            visited.add(node)
            stack.append((node, True))
            unseen = [p for p in node.parents if p not in visited]
            stack.extend((parent, False) for parent in unseen)
        return order

    def backward(self):
        """Fill ``.grad`` of every node in the graph with ∂(self)/∂(node).

        Gradients are zeroed first, so calling ``backward()`` twice gives
        the same result: one call differentiates one whole graph, and a node
        used twice is already summed within it. (A layer's ``Parameter``
        gradients accumulate instead, across calls, and a training step
        clears them with ``zero_grad``.) Where paths rejoin, contributions
        add up (the multivariable chain rule).
        """
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            pairs = zip(node.parents, node.local_grads, strict=True)
            for parent, local in pairs:
                parent.grad += local * node.grad


class Dual(_DerivedOperators):
    """A dual number ``value + derivative·ε`` with ε² = 0.

    Dual numbers differentiate in forward mode: seeding an input with
    ``derivative=1`` and evaluating a function gives f(x) in ``.value`` and
    f'(x) (or one directional derivative) in ``.derivative``.

    Taught in :doc:`/chapters/03_autodiff`.
    """

    def __init__(self, value, derivative=0.0):
        self.value = float(value)
        self.derivative = float(derivative)

    def __repr__(self):
        value, derivative = self.value, self.derivative
        return f"Dual(value={value:.6g}, derivative={derivative:.6g})"

    @property
    def _primal(self):
        return self.value

    @staticmethod
    def _lift(other):
        return other if isinstance(other, Dual) else Dual(other)

    def __add__(self, other):
        other = self._lift(other)
        derivative = self.derivative + other.derivative
        return Dual(self.value + other.value, derivative)

    def __mul__(self, other):
        other = self._lift(other)
        u, v = self, other  # (uv)' = u'v + uv'
        derivative = u.derivative * v.value + u.value * v.derivative
        return Dual(u.value * v.value, derivative)

    def __pow__(self, exponent):
        """(a^p, p a^(p-1)·b) for a number p."""
        exponent = _check_power(self.value, exponent)
        out, derivative = _power(self.value, exponent)
        return Dual(out, derivative * self.derivative)

    def exp(self):
        """(e^a, e^a·b)."""
        out = _exp(self.value)
        return Dual(out, out * self.derivative)

    def log(self):
        """(ln a, b / a) for a > 0."""
        _check_log_argument(self.value)
        return Dual(math.log(self.value), self.derivative / self.value)

    def tanh(self):
        """(tanh a, (1 - tanh² a)·b)."""
        t = math.tanh(self.value)
        return Dual(t, (1.0 - t * t) * self.derivative)

    def relu(self):
        """(max(0, a), b if a > 0 else 0); NaN stays NaN."""
        return Dual(
            0.0 if self.value < 0 else self.value,
            self.derivative if self.value > 0 else 0.0,
        )

    def sigmoid(self):
        """(σ(a), σ(a)(1 - σ(a))·b)."""
        s = float(sigmoid(self.value))
        return Dual(s, s * (1.0 - s) * self.derivative)
