"""Tests of bpcore.examples.optimizers: chapter 7's measure of a walk."""

import numpy as np
import pytest

from bpcore import examples


@pytest.mark.parametrize("losses, tol, expected", [
    ([5, 3, 0.5, 0.1], 1, 2),
    ([5, 0.5, 3, 0.5, 0.1], 1, 3),  # dipped below and came back: counts from the last entry
    ([0.5, 0.1], 1, 0),
    ([5, 3, 2], 1, None),
    ([5, 0.5, 2], 1, None),
    ([5, np.nan, 0.5], 1, 2),
])
def test_steps_to_reach(losses, tol, expected):
    assert examples.steps_to_reach(losses, tol) == expected


# --- heavy-ball momentum on a quadratic -------------------------------------

def spectral_radius(eta, mu, lam):
    return np.abs(np.linalg.eigvals(examples.heavy_ball_matrix(eta, mu, lam))).max(axis=-1)


def test_heavy_ball_matrix_is_the_recursion():
    eta, mu, lam = 0.3, 0.6, 2.0
    A = examples.heavy_ball_matrix(eta, mu, lam)
    w_now, w_before = 1.5, -0.5
    w_next = w_now - eta * lam * w_now + mu * (w_now - w_before)
    np.testing.assert_allclose(A @ [w_now, w_before], [w_next, w_now])
    assert examples.heavy_ball_matrix([0.1, 0.2], 0.5, [[1.0], [2.0]]).shape == (2, 2, 2, 2)


def test_heavy_ball_rate_is_the_spectral_radius():
    rng = np.random.default_rng(0)
    eta, mu, lam = rng.uniform(0, 1, 500), rng.uniform(0, 0.99, 500), rng.uniform(0.1, 5, 500)
    np.testing.assert_allclose(examples.heavy_ball_rate(eta, mu, lam),
                               spectral_radius(eta, mu, lam), rtol=1e-6, atol=1e-7)
    # no momentum: gradient descent's |1 - eta lambda|
    np.testing.assert_allclose(examples.heavy_ball_rate(eta, 0.0, lam), np.abs(1 - eta * lam))


def test_momentum_rate_takes_the_slowest_direction():
    rng = np.random.default_rng(1)
    eta, mu = rng.uniform(0, 0.5, 50), rng.uniform(0, 0.99, 50)
    expected = np.maximum(spectral_radius(eta, mu, 0.2), spectral_radius(eta, mu, 4.0))
    np.testing.assert_allclose(examples.momentum_rate(eta, mu, [0.2, 4.0]), expected,
                               rtol=1e-6, atol=1e-7)
    # an eigenvalue in between never decides it
    np.testing.assert_allclose(examples.momentum_rate(eta, mu, [0.2, 1.3, 4.0]),
                               examples.momentum_rate(eta, mu, [0.2, 4.0]))
    with pytest.raises(ValueError, match="positive"):
        examples.momentum_rate(0.1, 0.5, [0.0, 1.0])


@pytest.mark.parametrize("lam_min, lam_max", [(0.2, 4.0), (1.0, 100.0), (1.0, 1.0)])
def test_optimal_gradient_descent_is_best_on_a_grid(lam_min, lam_max):
    eta, rate = examples.optimal_gradient_descent(lam_min, lam_max)
    kappa = lam_max / lam_min
    assert np.isclose(rate, (kappa - 1) / (kappa + 1))
    assert np.isclose(examples.momentum_rate(eta, 0.0, [lam_min, lam_max]), rate)
    etas = np.linspace(0.001, 2 / lam_max, 2001)
    assert examples.momentum_rate(etas, 0.0, [lam_min, lam_max]).min() >= rate - 1e-12


@pytest.mark.parametrize("lam_min, lam_max", [(0.2, 4.0), (1.0, 100.0), (0.5, 2.0)])
def test_optimal_momentum_is_best_on_a_grid(lam_min, lam_max):
    eta, mu, rate = examples.optimal_momentum(lam_min, lam_max)
    root = np.sqrt(lam_max / lam_min)
    assert np.isclose(rate, (root - 1) / (root + 1)) and np.isclose(mu, rate**2)
    assert np.isclose(examples.momentum_rate(eta, mu, [lam_min, lam_max]), rate)
    assert np.isclose(spectral_radius(eta, mu, lam_max), rate, rtol=1e-6)
    etas = np.linspace(0.001, 4 / lam_max, 300)
    mus = np.linspace(0, 0.999, 300)
    rates = examples.rate_map([lam_min, lam_max], etas, mus)
    assert rates.min() >= rate - 1e-12
    # both extreme directions critically damped: the optimum lies on both curves
    assert np.isclose(examples.critical_damping(eta, lam_min), mu)
    assert np.isclose(examples.critical_damping(eta, lam_max), mu)


def test_optimal_settings_check_the_spectrum():
    with pytest.raises(ValueError, match="exceed"):
        examples.optimal_momentum(4.0, 0.2)
    with pytest.raises(ValueError, match="positive"):
        examples.optimal_gradient_descent(0.0, 1.0)


def test_critical_damping_is_where_the_roots_meet():
    lam = 4.0
    for eta in [0.05, 0.2, 0.6, 0.9]:
        mu = float(examples.critical_damping(eta, lam))
        b = 1 + mu - eta * lam
        assert np.isclose(b**2, 4 * mu)  # a double root
        above = np.linalg.eigvals(examples.heavy_ball_matrix(eta, mu + 0.02, lam))
        assert np.all(np.abs(above.imag) > 0)  # spirals
        np.testing.assert_allclose(np.abs(above), np.sqrt(mu + 0.02))
    assert np.isnan(examples.critical_damping(1.2, lam))  # eta lambda > 4


def test_rate_map_is_momentum_rate_on_the_grid():
    etas, mus = np.linspace(0.01, 1, 7), np.linspace(0, 0.9, 5)
    rates = examples.rate_map([0.2, 4.0], etas, mus)
    assert rates.shape == (5, 7)
    assert np.isclose(rates[3, 2], examples.momentum_rate(etas[2], mus[3], [0.2, 4.0]))
    with pytest.raises(ValueError, match="1-D"):
        examples.rate_map([1.0], np.ones((2, 2)), mus)


def loop_steps(lam, eta, mu, tol, steps):
    """The heavy ball by a plain loop, counted with steps_to_reach."""
    lam = np.asarray(lam, dtype=float)
    w = np.ones_like(lam)
    before = w.copy()
    losses = [0.5 * lam.sum()]
    for _ in range(steps):
        w, before = w - eta * lam * w + mu * (w - before), w
        losses.append(0.5 * (lam * w**2).sum())
    return examples.steps_to_reach(np.array(losses) / losses[0], tol)


@pytest.mark.parametrize("block", [1, 7, 256])
def test_heavy_ball_steps_agrees_with_a_plain_loop(block):
    runs = [([1.0, 10.0], 2 / 11, 0.0), ([1.0, 10.0], *examples.optimal_momentum(1, 10)[:2]),
            ([0.2, 4.0], 0.5, 0.5), ([0.5, 1.0, 3.0], 0.3, 0.8)]
    lam = np.array([[*r[0], *[r[0][-1]] * (3 - len(r[0]))] for r in runs])
    eta = np.array([r[1] for r in runs])
    mu = np.array([r[2] for r in runs])
    got = examples.heavy_ball_steps(lam, eta, mu, 1e-8, block=block)
    expected = [loop_steps(row, e, m, 1e-8, 2000) for row, e, m in zip(lam, eta, mu, strict=True)]
    assert got == expected and None not in got


def test_heavy_ball_steps_gives_none_when_out_of_steps():
    # gradient descent beyond its stable step, and one that is merely slow
    got = examples.heavy_ball_steps([[1.0, 4.0], [1.0, 1000.0]], [0.6, 1e-4], 0.0, 1e-6,
                                    block=16, max_steps=64)
    assert got == [None, None]
    with pytest.raises(ValueError, match="positive"):
        examples.heavy_ball_steps([1.0, 2.0], 0.1, 0.0, 1e-6)


def test_condition_sweep_counts_match_the_rates():
    kappas = np.array([10.0, 100.0, 1000.0])
    steps = examples.condition_sweep(kappas, 1e-8)
    assert list(steps) == ["gradient descent", "momentum"]
    predicted = np.ceil(np.log(1e-8) / (2 * np.log((kappas - 1) / (kappas + 1))))
    assert np.all(np.abs(np.array(steps["gradient descent"]) - predicted) <= 1)
    # momentum grows like sqrt(kappa): ten times kappa, about three times the steps
    ratios = np.diff(np.log(steps["momentum"])) / np.log(10)
    assert np.all((0.4 < ratios) & (ratios < 0.65))
    with pytest.raises(ValueError, match="≥ 1"):
        examples.condition_sweep([0.5, 2.0])
