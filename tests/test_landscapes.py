"""Tests of bpcore.landscapes: the toy losses, their gradients, descend and classify_path."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpcore import landscapes as ls

LANDSCAPES = [
    (ls.quadratic, ls.quadratic_grad, 1),
    (ls.ripples, ls.ripples_grad, 1),
    (ls.narrow_valley, ls.narrow_valley_grad, 2),
    (ls.craters, ls.craters_grad, 2),
]


@pytest.mark.parametrize("loss, grad, dim", LANDSCAPES, ids=lambda x: getattr(x, "__name__", ""))
def test_gradient_matches_central_differences(loss, grad, dim,
                                              assert_matches_central_differences):
    rng = np.random.default_rng(0)
    w = rng.uniform(-4, 4, size=50 if dim == 1 else (50, dim))
    assert_matches_central_differences(loss, w, grad(w))


def test_quadratic_values_and_parameters():
    assert ls.quadratic(-3.0) == 25.0
    assert ls.quadratic_grad(-3.0) == -10.0
    assert ls.quadratic(ls.QUADRATIC_MINIMUM) == 0.0
    assert ls.quadratic(1.0, a=3.0, c=-1.0) == 12.0
    assert ls.quadratic_grad(1.0, a=3.0, c=-1.0) == 12.0


def local_minima_on_grid(values):
    """Indices of the strict interior local minima of a 1-D or 2-D grid of values."""
    core = values[(slice(1, -1),) * values.ndim]
    is_min = np.ones(core.shape, dtype=bool)
    for axis in range(values.ndim):
        for shift in (0, 2):
            index = [slice(1, -1)] * values.ndim
            index[axis] = slice(shift, shift + core.shape[axis])
            is_min &= core < values[tuple(index)]
    return np.argwhere(is_min) + 1


def test_ripples_minima_and_maxima_are_all_the_critical_points():
    w = np.linspace(-5, 6.5, 115_001)
    found = w[local_minima_on_grid(ls.ripples(w))[:, 0]]
    np.testing.assert_allclose(found, ls.RIPPLES_MINIMA, atol=1e-4)
    found = w[local_minima_on_grid(-ls.ripples(w))[:, 0]]
    np.testing.assert_allclose(found, ls.RIPPLES_MAXIMA, atol=1e-4)
    np.testing.assert_allclose(ls.ripples_grad(np.array(ls.RIPPLES_MINIMA + ls.RIPPLES_MAXIMA)),
                               0, atol=1e-14)
    assert ls.RIPPLES_GLOBAL_MINIMUM == ls.RIPPLES_MINIMA[int(np.argmin(
        ls.ripples(np.array(ls.RIPPLES_MINIMA))))]
    assert w[np.argmin(ls.ripples(w))] == pytest.approx(ls.RIPPLES_GLOBAL_MINIMUM, abs=1e-4)


def test_craters_has_three_minima_the_first_the_deepest():
    x = np.linspace(-4, 4, 801)
    grid = np.stack(np.meshgrid(x, x, indexing="ij"), axis=-1)
    found = grid[tuple(local_minima_on_grid(ls.craters(grid)).T)]
    minima = np.array(ls.CRATERS_MINIMA)
    assert len(found) == 3
    for point in minima:
        assert np.min(np.abs(found - point).max(axis=1)) < 0.01
    np.testing.assert_allclose(ls.craters_grad(minima), 0, atol=1e-14)
    assert np.argmin(ls.craters(minima)) == 0


def test_narrow_valley_minimum_and_curvatures():
    assert ls.narrow_valley(np.array(ls.NARROW_VALLEY_MINIMUM)) == 0
    np.testing.assert_array_equal(ls.narrow_valley_grad(np.array([1.0, 1.0])), [0.2, 4.0])


def test_descend_matches_the_update_rule_by_hand():
    path = ls.descend(ls.quadratic_grad, -3.0, 0.1, 5)
    w, expected = -3.0, [-3.0]
    for _ in range(5):
        w = w - 0.1 * 2 * (w - 2)
        expected.append(w)
    assert path.dtype == np.float64 and path.shape == (6,)
    np.testing.assert_array_equal(path, expected)


@given(eta=st.floats(0.01, 0.99), steps=st.integers(0, 40))
def test_descend_on_the_quadratic_follows_the_exact_law(eta, steps):
    path = ls.descend(ls.quadratic_grad, -3.0, eta, steps)
    distance = np.abs(path - 2)
    np.testing.assert_allclose(distance, 5 * abs(1 - 2 * eta) ** np.arange(steps + 1),
                               rtol=1e-9, atol=1e-13)


@given(eta=st.floats(1.001, 3.0))
def test_descend_on_the_quadratic_diverges_above_one(eta):
    path = ls.descend(ls.quadratic_grad, -3.0, eta, 50)
    assert abs(path[-1] - 2) > 5
    assert ls.classify_path(path, 2.0) == "diverging"


def test_descend_works_in_two_dimensions_and_leaves_w0_alone():
    w0 = np.array([-3.0, 1.0])
    path = ls.descend(ls.narrow_valley_grad, w0, 0.45, 100)
    assert path.shape == (101, 2)
    np.testing.assert_array_equal(w0, [-3.0, 1.0])
    np.testing.assert_array_equal(path[0], w0)
    np.testing.assert_allclose(path[-1], ls.NARROW_VALLEY_MINIMUM, atol=1e-3)


def test_descend_from_integers_and_zero_steps():
    path = ls.descend(ls.quadratic_grad, -3, 1, 0)
    assert path.dtype == np.float64
    np.testing.assert_array_equal(path, [-3.0])


def test_descend_stops_cleanly_when_the_walk_blows_up():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = ls.descend(ls.quadratic_grad, -3.0, 1.5, 1000)
    assert len(path) < 1001
    assert np.all(np.isfinite(path))
    assert abs(path[-1]) > 1e6 and np.all(np.abs(path[:-1]) <= 1e6)
    assert len(ls.descend(ls.quadratic_grad, -3.0, 1.5, 1000, limit=10.0)) < len(path)


def test_descend_drops_non_finite_iterates_without_warnings():
    def explosive(w):
        return -np.exp(100 * w)  # the second step overflows to inf

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = ls.descend(explosive, 1.0, 1.0, 10, limit=1e300)
    assert len(path) == 2 and np.all(np.isfinite(path))


@pytest.mark.parametrize("eta", [0, -0.1, float("nan"), float("inf")])
def test_descend_rejects_a_non_positive_or_non_finite_learning_rate(eta):
    with pytest.raises(ValueError, match=r"eta \(the learning rate\) must be a positive finite"):
        ls.descend(ls.quadratic_grad, -3.0, eta, 10)


@pytest.mark.parametrize("eta", ["0.1", True, None])
def test_descend_rejects_a_learning_rate_that_is_not_a_number(eta):
    with pytest.raises(TypeError, match=r"eta \(the learning rate\) must be a number"):
        ls.descend(ls.quadratic_grad, -3.0, eta, 10)


@pytest.mark.parametrize("w0", [float("nan"), float("inf"), [1.0, float("nan")]])
def test_descend_rejects_a_non_finite_start(w0):
    with pytest.raises(ValueError, match="w0 must be finite"):
        ls.descend(ls.quadratic_grad, w0, 0.1, 10)


def test_descend_rejects_bad_steps_shapes_limit_and_grad():
    with pytest.raises(ValueError, match="steps must be zero or more, got -1"):
        ls.descend(ls.quadratic_grad, -3.0, 0.1, -1)
    with pytest.raises(TypeError, match="steps must be a whole number, got 2.5"):
        ls.descend(ls.quadratic_grad, -3.0, 0.1, 2.5)
    with pytest.raises(ValueError, match=r"w0 must be a number or a 1-D array, got shape \(2, 2\)"):
        ls.descend(ls.narrow_valley_grad, np.zeros((2, 2)), 0.1, 3)
    with pytest.raises(ValueError, match="limit must be a positive finite number"):
        ls.descend(ls.quadratic_grad, -3.0, 0.1, 3, limit=0)
    with pytest.raises(TypeError, match="grad must be a function"):
        ls.descend(2.0, -3.0, 0.1, 3)
    with pytest.raises(ValueError, match=r"grad returned shape \(2,\) for w of shape \(\)"):
        ls.descend(lambda w: np.zeros(2), -3.0, 0.1, 3)


@pytest.mark.parametrize("eta, regime", [
    (0.01, "crawling"), (0.1, "converging"), (0.5, "converging"), (0.9, "oscillating"),
    (1.0, "stuck"), (1.1, "diverging"), (1.5, "diverging"),
])
def test_classify_path_names_each_regime_on_the_quadratic(eta, regime):
    assert ls.classify_path(ls.descend(ls.quadratic_grad, -3.0, eta, 20), 2.0) == regime


def test_classify_path_ignores_rounding_noise_at_the_bottom():
    path = np.array([0.0, 1.0, 1.5 + 2e-16, 1.5 - 2e-16, 1.5 + 2e-16])
    assert ls.classify_path(path, 1.5) == "converging"
    assert ls.classify_path([2.0, 2.0], 2.0) == "converging"


def test_classify_path_rejects_paths_it_cannot_judge():
    with pytest.raises(ValueError, match="at least two iterates"):
        ls.classify_path([1.0], 2.0)
    with pytest.raises(ValueError, match=r"got shape \(3, 2\)"):
        ls.classify_path(np.zeros((3, 2)), 0.0)
