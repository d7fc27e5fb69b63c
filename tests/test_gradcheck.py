"""Tests of bpcore.gradcheck: its report, its rule's scale, what it passes and what it catches."""

from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import bpcore
from bpcore.gradcheck import TOLERANCE, relative_error
from bpcore.mlp import ACTIVATIONS
from tests.conftest import (
    KINK_MARGIN,
    PROPERTY_SETTINGS,
    SEEDS,
    LinearTransposed,
    LinearWrongSign,
    SigmoidWithoutSlope,
    distance_to_kinks,
)

RNG = np.random.default_rng(1234)


def test_whole_network_gradcheck_reports_the_worst_parameter():
    model = bpcore.MLP([3, 4, 2], activation="sigmoid", seed=3)
    X = RNG.standard_normal((5, 3))
    report = bpcore.gradcheck(model, bpcore.CrossEntropyLoss(), X, np.array([0, 1, 1, 0, 1]))
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "input"}
    assert report.passed(TOLERANCE)
    assert report.worst in report.errors and report.max_error == max(report.errors.values())
    assert f"worst: {report.worst}" in str(report)


def test_gradcheck_summary_states_the_bound_not_the_noise():
    report = bpcore.GradcheckReport({"0.W": 3.17e-9, "0.b": 2.4e-10, "input": 0.75})
    assert report.summary(1e-7) == ("fails at 1e-07: input (relative error 0.75); "
                                    "the other 2 below it")
    del report.errors["input"]
    assert report.summary(1e-7) == "all 2 arrays checked: relative error below 1e-07"
    assert report.summary(1e-9) == ("fails at 1e-09: 0.W (relative error 3.2e-09); "
                                    "the other 1 below it")


def test_gradcheck_catches_a_wrong_backward():
    """A check that cannot fail proves nothing: break one gradient and watch it fail."""

    class WrongTanh(bpcore.Tanh):
        def derivative(self):
            return 1 - self._output  # should be 1 - tanh²

    model = bpcore.Sequential(bpcore.Linear(3, 4, rng=0), WrongTanh(), bpcore.Linear(4, 1, rng=1))
    report = bpcore.gradcheck(model, bpcore.MSELoss(), RNG.standard_normal((5, 3)),
                              RNG.standard_normal((5, 1)))
    assert not report.passed(1e-3)
    assert report.worst in {"0.W", "0.b", "input"}


def test_relative_error_is_relative_above_the_scale_and_absolute_below():
    """|a - n| / max(|a|, |n|, scale): 1e-12 off a gradient of 1e-9 is noise, not 0.1%."""
    assert relative_error([2.0], [2.2]) == pytest.approx(0.2 / 2.2)
    assert relative_error([1e-9], [1e-9 + 1e-12]) == pytest.approx(1e-12)
    assert relative_error([30.0], [33.0], scale=100.0) == pytest.approx(0.03)
    with pytest.raises(ValueError, match="scale"):
        relative_error([1.0], [1.0], scale=0.0)


def test_gradcheck_scores_at_the_scale_of_the_loss():
    """A loss a million times larger rounds a million times coarser: no false alarm.

    The first input column is tiny, so the first row of ∂L/∂W is far below the loss's
    scale and its finite difference is mostly rounding, about 1e-5 here.
    """

    class MillionfoldMSE(bpcore.MSELoss):
        def forward(self, prediction, target):
            return 1e6 * super().forward(prediction, target)

        def backward(self):
            return 1e6 * super().backward()

    model = bpcore.MLP([3, 4, 2], activation="tanh", seed=0)
    X, y = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 2))
    X[:, 0] = 1e-9
    assert bpcore.gradcheck(model, MillionfoldMSE(), X, y).passed()


# ---------------------------------------------------------------------------------------
# Property-based tests: backpropagation agrees with central differences on random networks.
#
# Hypothesis draws only integers and names (architecture, loss, batch size, a seed); every
# array comes from ``np.random.default_rng(seed)``. A failing example shrinks to a small
# network, printed with its batch and targets.
#
# The check is the book's one rule (chapter 5, ``bpcore.gradcheck``): step h = 1e-5, each
# entry scored by |a - n| / max(|a|, |n|, max(1, |L|)), every score below 1e-7. It must pass
# on every correct network drawn here, and fail on networks with a planted wrong gradient (a
# dropped factor, a wrong sign, a transposed weight) wherever the bug changes a gradient by
# more than the rule can resolve.
# ---------------------------------------------------------------------------------------

LOSSES = ("MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss")
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
