"""Property-based tests: backpropagation agrees with central differences on random problems.

Hypothesis draws only integers and names (architecture, loss, batch size, a seed); every
array comes from ``np.random.default_rng(seed)``. A failing example shrinks to a small
network, printed with its batch and targets.

The check is the book's one rule (chapter 5, ``bpcore.gradcheck``): step h = 1e-5, each
entry scored by |a - n| / max(|a|, |n|, max(1, |L|)), every score below 1e-7. It must pass on
every correct network drawn here, and fail on networks with a planted wrong gradient (a
dropped factor, a wrong sign, a transposed weight) wherever the bug changes a gradient by
more than the rule can resolve.
"""

import math
from typing import NamedTuple

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bpcore
from bpcore.gradcheck import STEP, TOLERANCE, relative_error
from bpcore.mlp import ACTIVATIONS

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)

# ---------------------------------------------------------------------------------------
# Random networks
# ---------------------------------------------------------------------------------------

LOSSES = ("MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss")
KINK_MARGIN = 1e-3  # pre-activations of ReLU/LeakyReLU stay this far from 0: h = 1e-5 never crosses
VISIBLE = 1e-5  # a planted bug that moves some gradient entry by this much (times the scale)


class Problem(NamedTuple):
    """A network, a loss, a batch and matching targets."""

    model: bpcore.Sequential
    loss: object
    X: np.ndarray
    y: np.ndarray


def make_targets(loss_name, batch, outputs, rng):
    """Targets that suit the loss: reals for MSE, probabilities for BCE, labels for CE."""
    if loss_name == "MSELoss":
        return rng.standard_normal((batch, outputs))
    if loss_name == "BCEWithLogitsLoss":
        return rng.uniform(0.0, 1.0, (batch, outputs))
    return rng.integers(0, outputs, batch)


def distance_to_kinks(model, X):
    """Smallest |pre-activation| of any ReLU or LeakyReLU on the batch X (inf if none)."""
    distance = np.inf
    for module in model:
        if isinstance(module, (bpcore.ReLU, bpcore.LeakyReLU)):
            distance = min(distance, float(np.abs(X).min()))
        X = module(X)
    return distance


@st.composite
def problems(draw, min_depth=1, first_activation=None, square_second=False):
    """Depth 1-4 Linear layers of width 1-8, random activations and loss, batch 1-6.

    ``first_activation`` fixes the first hidden activation; ``square_second`` makes the
    second Linear layer square (fan-in = fan-out), so its weights can be transposed.
    """
    depth = draw(st.integers(min_depth, 4))
    widths = draw(st.lists(st.integers(1, 8), min_size=depth + 1, max_size=depth + 1))
    if square_second:
        widths[2] = widths[1]
    activations = draw(
        st.lists(st.sampled_from(sorted(ACTIVATIONS)), min_size=depth - 1, max_size=depth - 1)
    )
    if first_activation is not None:
        activations[0] = first_activation
    loss_name = draw(st.sampled_from(LOSSES))
    batch = draw(st.integers(1, 6))
    rng = np.random.default_rng(draw(SEEDS))

    modules = []
    for position in range(depth):
        linear = bpcore.Linear(widths[position], widths[position + 1], rng=rng)
        linear.b.data[:] = rng.normal(0.0, 0.5, linear.b.data.shape)
        modules.append(linear)
        if position < depth - 1:
            modules.append(ACTIVATIONS[activations[position]]())
    model = bpcore.Sequential(*modules)
    X = rng.standard_normal((batch, widths[0]))
    assume(distance_to_kinks(model, X) > KINK_MARGIN)
    y = make_targets(loss_name, batch, widths[-1], rng)
    return Problem(model, getattr(bpcore, loss_name)(), X, y)


def backprop(problem):
    """Loss value and analytic gradients: {parameter name: ∂L/∂θ, "input": ∂L/∂X}."""
    model, loss, X, y = problem
    model.zero_grad()
    value = loss(model(X), y)
    gradients = {"input": model.backward(loss.backward(), input_grad=True)}
    gradients.update((name, p.grad.copy()) for name, p in model.named_parameters())
    return value, gradients


@settings(PROPERTY_SETTINGS, max_examples=300)
@given(problems())
def test_gradcheck_passes_every_correct_network(problem):
    """Chapter 5's rule accepts backpropagation on every network drawn, tiny entries included."""
    report = bpcore.gradcheck(*problem)
    assert report.passed(), str(report)


class SigmoidWithoutSlope(bpcore.Sigmoid):
    """A dropped factor: backward forgets σ'(z) and passes the gradient straight through."""

    def derivative(self):
        return np.ones_like(self._output)


class LinearWrongSign(bpcore.Linear):
    """A wrong sign: ∂L/∂W = -Xᵀδ."""

    def backward(self, grad_output, input_grad=True):
        result = super().backward(grad_output, input_grad)
        self.W.grad -= 2 * self._input.T @ grad_output
        return result


class LinearTransposed(bpcore.Linear):
    """A transposed weight: δ W instead of δ Wᵀ for the input gradient (square W only)."""

    def backward(self, grad_output, input_grad=True):
        super().backward(grad_output, input_grad=False)
        return grad_output @ self.W.data if input_grad else None


def plant(problem, position, bug):
    """The problem with module ``position`` replaced by an instance of ``bug``, same weights."""
    model, loss, X, y = problem
    modules = list(model)
    original = modules[position]
    if isinstance(original, bpcore.Linear):
        planted = bug(original.in_features, original.out_features)
        planted.W.data[:], planted.b.data[:] = original.W.data, original.b.data
    else:
        planted = bug()
    modules[position] = planted
    return Problem(bpcore.Sequential(*modules), loss, X, y)


def assert_gradcheck_catches(problem, position, bug):
    """Where the bug visibly changes a gradient, ``gradcheck`` fails on the planted network."""
    value, correct = backprop(problem)
    wrong_problem = plant(problem, position, bug)
    _, wrong = backprop(wrong_problem)
    scale = max(1.0, abs(value))
    change = max(float(np.max(np.abs(wrong[name] - correct[name]), initial=0.0))
                 for name in correct)
    assume(change > VISIBLE * scale)
    report = bpcore.gradcheck(*wrong_problem)
    assert not report.passed(), str(report)


@settings(PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems(min_depth=2, first_activation="sigmoid"))
def test_gradcheck_catches_a_dropped_factor(problem):
    assert_gradcheck_catches(problem, 1, SigmoidWithoutSlope)


@settings(PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems(), st.integers(0, 3))
def test_gradcheck_catches_a_wrong_sign(problem, layer):
    layers = [i for i, module in enumerate(problem.model) if isinstance(module, bpcore.Linear)]
    assert_gradcheck_catches(problem, layers[layer % len(layers)], LinearWrongSign)


@settings(PROPERTY_SETTINGS, suppress_health_check=[HealthCheck.filter_too_much])
@given(problems(min_depth=2, square_second=True))
def test_gradcheck_catches_a_transposed_weight(problem):
    assert_gradcheck_catches(problem, 2, LinearTransposed)


# ---------------------------------------------------------------------------------------
# Random scalar expressions (Value)
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
