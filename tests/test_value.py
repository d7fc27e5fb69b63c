"""Tests of bpcore.value: Value (reverse mode) and Dual (forward mode), by hand and numerically."""

import math
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bpcore
from bpcore import Dual, Value
from bpcore.gradcheck import STEP, TOLERANCE, relative_error
from tests.conftest import PROPERTY_SETTINGS, SEEDS


def test_sum_times_product_example():
    """(a + b) * c at a=2, b=3, c=4 is 20, with gradients c, c, a + b."""
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    out = (a + b) * c
    out.backward()
    assert out.data == 20.0
    assert (a.grad, b.grad, c.grad) == (4.0, 4.0, 5.0)


def test_node_used_twice_gets_summed_gradient():
    """y = x·x + x: both paths through x add up, dy/dx = 2x + 1."""
    x = Value(3.0)
    y = x * x + x
    y.backward()
    assert x.grad == 7.0


def test_backward_twice_gives_same_gradients():
    x = Value(1.5)
    y = (x * x).tanh() + x.exp()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first


def test_deep_graph_does_not_recurse():
    """A chain 20,000 nodes deep: backward must not hit the recursion limit."""
    x = Value(1.0)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert y.data == 1.0
    assert x.grad == 1.0


def test_topological_order_lists_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = d.topological_order()
    position = {id(node): i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    assert order[-1] is d


@pytest.mark.parametrize(
    "name, f, x",
    [
        ("exp", lambda v: v.exp(), 0.7),
        ("log", lambda v: v.log(), 2.5),
        ("tanh", lambda v: v.tanh(), -0.4),
        ("relu+", lambda v: v.relu(), 0.8),
        ("relu-", lambda v: v.relu(), -0.8),
        ("sigmoid", lambda v: v.sigmoid(), 1.3),
        ("pow", lambda v: v**3, 1.7),
        ("sqrt", lambda v: v**0.5, 2.0),
        ("div", lambda v: 1 / v, 1.9),
        ("rsub", lambda v: 2 - v * v, 0.3),
        ("mixed", lambda v: (3 * v - 1) / (v + 2) + (v**2).sigmoid(), 0.6),
    ],
)
def test_value_and_dual_match_finite_differences(name, f, x, assert_matches_central_differences):
    """Each primitive's local derivative, in reverse and forward mode."""

    def plain(t):
        return f(Value(t)).data

    v = Value(x)
    f(v).backward()
    dual = f(Dual(x, 1.0))
    assert_matches_central_differences(plain, x, v.grad)
    assert_matches_central_differences(plain, x, dual.derivative)
    assert math.isclose(dual.value, f(Value(x)).data)


def test_sigmoid_is_stable_at_extremes():
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0


def test_numbers_mix_on_either_side():
    x = Value(2.0)
    assert (1 + x).data == 3.0 and (x + 1).data == 3.0
    assert (3 * x).data == 6.0 and (x * 3).data == 6.0
    assert (5 - x).data == 3.0 and (x - 5).data == -3.0
    assert (1 / x).data == 0.5 and (x / 4).data == 0.5
    assert (-x).data == -2.0


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="log is only defined for positive numbers"):
        Value(-1.0).log()
    with pytest.raises(TypeError, match="exponent must be a plain number"):
        Value(2.0) ** Value(3.0)
    with pytest.raises(TypeError, match="Value needs a real number"):
        Value("three")
    with pytest.raises(ZeroDivisionError, match="division of a Value by zero"):
        Value(1.0) / 0
    with pytest.raises(ValueError, match="is not a real number"):
        Value(-2.0) ** 0.5
    with pytest.raises(TypeError, match="the exponent must be an int or float, got str"):
        Value(2.0) ** "3"
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -1 divides by zero"):
        Value(0.0) ** -1


@pytest.mark.parametrize(
    "exponent, data, grad", [(0.5, 0.0, math.inf), (0, 1.0, 0.0), (1, 0.0, 1.0), (2, 0.0, 0.0)]
)
def test_powers_of_zero_have_pytorchs_gradients(exponent, data, grad):
    """√x has a vertical tangent at 0 (gradient +inf) and x^0 = 1 is flat (gradient 0)."""
    x = Value(0.0)
    y = x**exponent
    y.backward()
    assert (y.data, x.grad) == (data, grad)
    dual = Dual(0.0, 1.0) ** exponent
    assert (dual.value, dual.derivative) == (data, grad)


def test_overflow_gives_inf_as_pytorch_does():
    x = Value(1000.0)
    y = x.exp()
    y.backward()
    assert y.data == x.grad == math.inf
    big = Value(1e200)
    cube = big**3
    cube.backward()
    assert cube.data == big.grad == math.inf
    assert (Value(1e200) ** 2).data == math.inf and (Value(-1e200) ** 3).data == -math.inf
    assert Dual(1000.0).exp().value == math.inf and (Dual(1e200) ** 2).value == math.inf


def test_numpy_integer_and_float_exponents_are_accepted():
    import numpy as np

    for exponent in (np.int64(3), np.int32(3), np.float64(3.0)):
        x = Value(2.0)
        y = x**exponent
        y.backward()
        assert (y.data, x.grad) == (8.0, 12.0)
        assert (Dual(2.0, 1.0) ** exponent).derivative == 12.0


def test_relu_passes_nan_through():
    """max(0, NaN) is NaN in PyTorch and micrograd: a NaN must not turn into a clean 0."""
    assert math.isnan(Value(math.nan).relu().data)
    assert math.isnan(Dual(math.nan).relu().value)
    assert Value(-2.0).relu().data == 0.0 and Value(3.0).relu().data == 3.0


# ---------------------------------------------------------------------------------------
# Property-based tests on random scalar expressions. Hypothesis draws a seed and sizes; every
# number comes from ``np.random.default_rng(seed)``. Gradients are scored by the book's rule
# (chapter 5): step h = 1e-5, |a - n| / max(|a|, |n|, max(1, |out|)) below 1e-7.
# ---------------------------------------------------------------------------------------

UNARY = ("exp", "log", "tanh", "sigmoid", "relu", "neg")
BINARY = ("+", "-", "*", "/", "**")
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5)
BOUND = 50.0  # every intermediate value stays in [-BOUND, BOUND]


class Step(NamedTuple):
    """One operation of an expression: ``nodes[i] op right``, or ``right op nodes[i]``.

    ``right`` is a node index (``constant`` None) or the number ``constant``; for ``**``
    it is always the exponent.
    """

    op: str
    i: int
    j: int
    constant: float | None
    swap: bool


def apply(step, nodes):
    """The Value that ``step`` computes from the earlier ``nodes``."""
    x = nodes[step.i]
    if step.op in UNARY:
        return -x if step.op == "neg" else getattr(x, step.op)()
    if step.op == "**":
        return x**step.constant
    left, right = x, nodes[step.j] if step.constant is None else step.constant
    if step.swap:
        left, right = right, left
    if step.op == "+":
        return left + right
    if step.op == "-":
        return left - right
    if step.op == "*":
        return left * right
    return left / right


def valid(step, nodes):
    """Whether ``step`` is defined near the current values, away from kinks, and bounded."""
    a = nodes[step.i].data
    if step.op == "exp" and a > math.log(BOUND):
        return False
    if step.op == "log" and a < 0.1:
        return False
    if step.op == "relu" and abs(a) < 1e-2:
        return False
    if step.op == "**" and (abs(a) < 0.1 or (a < 0 and not float(step.constant).is_integer())):
        return False
    if step.op == "/":
        denominator = nodes[step.i] if step.swap else (
            nodes[step.j] if step.constant is None else step.constant
        )
        if abs(getattr(denominator, "data", denominator)) < 0.1:
            return False
    return abs(apply(step, nodes).data) <= BOUND


def random_step(rng, size):
    """A random operation on nodes 0..size-1, with a random constant operand half the time."""
    op = str(rng.choice(UNARY + BINARY))
    constant = None
    if op == "**":
        constant = EXPONENTS[rng.integers(len(EXPONENTS))]
    elif rng.random() < 0.5:
        constant = float(rng.uniform(-3.0, 3.0))
    i, j = (int(index) for index in rng.integers(size, size=2))
    return Step(op, i, j, constant, swap=bool(rng.random() < 0.5))


def random_expression(rng, leaves, n_ops):
    """``n_ops`` valid random steps over ``leaves``; returns (steps, output node).

    Operands are drawn from every node built so far, so nodes are often used more than once.
    """
    nodes, steps = list(leaves), []
    while len(steps) < n_ops:
        step = random_step(rng, len(nodes))
        if valid(step, nodes):
            steps.append(step)
            nodes.append(apply(step, nodes))
    return steps, nodes[-1]


def evaluate(steps, inputs):
    """The expression's output for fresh Values holding ``inputs``."""
    nodes = [bpcore.Value(x) for x in inputs]
    for step in steps:
        nodes.append(apply(step, nodes))
    return nodes[-1]


@PROPERTY_SETTINGS
@given(seed=SEEDS, n_inputs=st.integers(1, 4), n_ops=st.integers(1, 15))
def test_value_gradients_match_central_differences(seed, n_inputs, n_ops):
    """∂out/∂x_k from ``Value.backward`` equals (out(x + h e_k) - out(x - h e_k)) / 2h."""
    rng = np.random.default_rng(seed)
    inputs = [float(x) for x in rng.uniform(-2.0, 2.0, n_inputs)]
    leaves = [bpcore.Value(x) for x in inputs]
    steps, out = random_expression(rng, leaves, n_ops)
    out.backward()
    h, scale = STEP, max(1.0, abs(out.data))
    for k, leaf in enumerate(leaves):
        plus, minus = list(inputs), list(inputs)
        plus[k] += h
        minus[k] -= h
        numeric = (evaluate(steps, plus).data - evaluate(steps, minus).data) / (2 * h)
        assert relative_error(leaf.grad, numeric, scale) < TOLERANCE, (k, steps)


@PROPERTY_SETTINGS
@given(seed=SEEDS, n_ops=st.integers(1, 8))
def test_value_used_twice_gets_summed_gradient(seed, n_ops):
    """For a node n feeding both f and g, ∂(f + g)/∂n = ∂f/∂n + ∂g/∂n."""
    rng = np.random.default_rng(seed)
    x = bpcore.Value(float(rng.uniform(-2.0, 2.0)))
    _, n = random_expression(rng, [x], n_ops)
    _, f = random_expression(rng, [n], n_ops)
    _, g = random_expression(rng, [n], n_ops)
    f.backward()
    from_f = n.grad
    g.backward()
    from_g = n.grad
    (f + g).backward()
    assert math.isclose(n.grad, from_f + from_g, rel_tol=1e-12, abs_tol=1e-12)
