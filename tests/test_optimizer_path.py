"""Tests of bpcore.landscapes.optimizer_path: any bpcore optimizer walking a toy landscape."""

import numpy as np
import pytest

from bpcore import landscapes as ls
from bpcore.optim import SGD, Adam, RMSprop


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
