"""Tests of bpcore.examples.landscapes: the toy losses, their gradients, descend,
classify_path, and optimizer_path (any bpcore optimizer walking a landscape)."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bpcore.examples import landscapes as ls
from bpcore.optim import SGD, Adam, RMSprop

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
    with pytest.raises(TypeError, match=r"eta \(the learning rate\) must be a real number"):
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

def sgd(lr, **options):
    return lambda params: SGD(params, lr=lr, **options)


@pytest.mark.parametrize("grad, w0", [(ls.quadratic_grad, -3.0), (ls.narrow_valley_grad, [-9.0, 1.5]),
                                      (ls.craters_grad, [-3.5, -3.5])])
def test_plain_sgd_gives_exactly_the_path_of_descend(grad, w0):
    path = ls.optimizer_path(grad, w0, sgd(0.1), 40)
    np.testing.assert_array_equal(path, ls.descend(grad, w0, 0.1, 40))


def test_shapes_follow_the_start():
    assert ls.optimizer_path(ls.quadratic_grad, -3.0, sgd(0.1), 5).shape == (6,)
    assert ls.optimizer_path(ls.narrow_valley_grad, [1.0, 1.0], sgd(0.1), 5).shape == (6, 2)
    assert ls.optimizer_path(ls.quadratic_grad, -3.0, sgd(0.1), 0).tolist() == [-3.0]


def test_momentum_matches_the_update_written_out():
    mu, eta, w, v = 0.9, 0.1, -3.0, 0.0
    expected = [w]
    for t in range(20):
        g = 2 * (w - 2)
        v = g if t == 0 else mu * v + g
        w = w - eta * v
        expected.append(w)
    path = ls.optimizer_path(ls.quadratic_grad, -3.0, sgd(eta, momentum=mu), 20)
    np.testing.assert_allclose(path, expected, rtol=1e-13)


@pytest.mark.parametrize("make", [lambda p: RMSprop(p, lr=0.1), lambda p: Adam(p, lr=0.3)])
def test_adaptive_optimizers_approach_the_valley_minimum(make):
    path = ls.optimizer_path(ls.narrow_valley_grad, [-9.0, 1.5], make, 400)
    assert ls.narrow_valley(path[-1]) < 1e-3 < ls.narrow_valley(path[0])


def test_the_start_is_not_modified():
    w0 = np.array([-9.0, 1.5])
    ls.optimizer_path(ls.narrow_valley_grad, w0, sgd(0.1), 10)
    assert w0.tolist() == [-9.0, 1.5]


def test_noise_is_seeded_and_changes_the_path():
    a = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 50, noise=1.0, seed=3)
    b = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 50, noise=1.0, seed=3)
    c = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 50, noise=1.0, seed=4)
    calm = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 50)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c) and not np.allclose(a, calm)


def test_noise_schedule_of_zeros_is_the_calm_path():
    calm = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 30)
    zero = ls.optimizer_path(ls.craters_grad, [0.9, -1.7], sgd(0.2), 30, noise=np.zeros(30))
    np.testing.assert_array_equal(calm, zero)


def test_noise_only_where_the_schedule_is_positive():
    schedule = np.r_[np.ones(10), np.zeros(10)]
    path = ls.optimizer_path(ls.quadratic_grad, 2.0, sgd(0.1), 20, noise=schedule, seed=0)
    assert np.all(np.diff(path[:11]) != 0)
    # after the noise stops, plain descent from wherever it stood
    np.testing.assert_allclose(path[10:], ls.descend(ls.quadratic_grad, path[10], 0.1, 10))


def test_a_diverging_walk_stops_like_descend():
    path = ls.optimizer_path(ls.quadratic_grad, -3.0, sgd(1.5), 1000)
    np.testing.assert_array_equal(path, ls.descend(ls.quadratic_grad, -3.0, 1.5, 1000))
    assert len(path) < 1001 and abs(path[-1]) > 1e6


@pytest.mark.parametrize("kwargs, error", [
    ({"make_optimizer": "adam"}, TypeError),
    ({"steps": -1}, ValueError),
    ({"steps": 2.5}, TypeError),
    ({"w0": [[1.0, 2.0]]}, ValueError),
    ({"w0": np.nan}, ValueError),
    ({"noise": -1.0}, ValueError),
    ({"noise": [1.0, 2.0]}, ValueError),
    ({"noise": np.inf}, ValueError),
])
def test_bad_arguments_are_rejected(kwargs, error):
    arguments = {"grad": ls.quadratic_grad, "w0": -3.0, "make_optimizer": sgd(0.1), "steps": 5}
    arguments.update(kwargs)
    with pytest.raises(error):
        ls.optimizer_path(**arguments)


def test_a_gradient_of_the_wrong_shape_is_rejected():
    with pytest.raises(ValueError, match="shape"):
        ls.optimizer_path(lambda w: np.zeros(3), [1.0, 2.0], sgd(0.1), 5)
