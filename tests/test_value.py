"""Scalar reverse mode (Value) and forward mode (Dual) against hand-derived gradients."""

import math

import pytest

from bpcore import Dual, Value


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
