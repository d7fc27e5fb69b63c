"""Chapter 1's exercises: right answers and planted errors."""

import numpy as np

from bpcore.examples.landscapes import descend, ripples_grad
from tests.exercise_cases import Case

# the data of ch01-ex-lr-sweep, as the chapter makes it
rng = np.random.default_rng(1)
x = rng.uniform(0, 3, size=50)
starts = np.linspace(-4.5, 5.5, 21)


def steps_needed(eta, tol=1e-6):
    w = -3.0
    for t in range(10_001):
        if abs(w - 2) < tol:
            return t
        if abs(w - 2) > 1e6:
            return None
        w = w - eta * 2 * (w - 2)
    return None


def steps_counting_the_last_check(eta, tol=1e-6):
    w, t = -3.0, 0
    while abs(w - 2) >= tol:
        w, t = w - eta * 2 * (w - 2), t + 1
        if t > 10_000 or abs(w - 2) > 1e6:
            return None
    return t + 1


def steps_without_the_slopes_factor_2(eta, tol=1e-6):
    w = -3.0
    for t in range(10_001):
        if abs(w - 2) < tol:
            return t
        if abs(w - 2) > 1e6:
            return None
        w = w - eta * (w - 2)
    return None


def steps_giving_up_with_a_count(eta, tol=1e-6):
    w = -3.0
    for t in range(10_001):
        if abs(w - 2) < tol:
            return t
        if abs(w - 2) > 1e6:
            return 10_000
        w = w - eta * 2 * (w - 2)
    return 10_000


final_two = np.array([descend(ripples_grad, w0, 0.5, steps=1000)[-2:] for w0 in starts])
settled = np.abs(final_two[:, 1] - final_two[:, 0]) < 1e-9
a = np.mean(x**2)

CASES = {
    "ch01-ex-lr-sweep": Case(0.32, (x,), [
        (round(1 / (2 * a), 2), "lands nearest the best w in one step"),
        (round(2 / a, 2), "keep the factor 2"),
        (1.0, "the chapter's bowl (w − 2)²"),
        (0.40, "already diverges"),
        (0.25, "still converges"),
    ]),
    "ch01-ex-threshold": Case(a, (x,), [
        (np.mean(x) ** 2, "square of the mean"),
        (2 * a, "curvature"),
        (np.sum(x**2), "divide by n"),
    ]),
    "ch01-ex-steps": Case(steps_needed, (), [
        (steps_counting_the_last_check, "one more than it should be"),
        (steps_without_the_slopes_factor_2, "slope of (w − 2)² is 2 (w − 2)"),
        (steps_giving_up_with_a_count, "return None"),
    ]),
    "ch01-ex-sharp": Case(starts[settled], (starts,), [
        (starts[~settled], "never settle"),
        (starts, "not every walk settles"),
        (starts[(starts > -2.48) & (starts < 0.83)], "global minimum"),
    ]),
}
