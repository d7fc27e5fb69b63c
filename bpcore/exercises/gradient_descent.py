"""Checks for the exercises of :doc:`/chapters/01_gradient_descent`."""

import numpy as np

from ..examples.landscapes import RIPPLES_MAXIMA, RIPPLES_MINIMA
from .feedback import Wrong, as_array, call, exercise, expect_number, number


@exercise(
    "ch01-ex-lr-sweep",
    "Where does training diverge?",
    task="set diverges_above to the learning rate, to two decimals, above "
    "which training diverges",
    passed="right: above this learning rate every step overshoots by more "
    "than it gains.",
)
def lr_sweep(diverges_above, x):
    """Descent on mean((w x - y)^2) diverges for eta > 1/mean(x^2)."""
    threshold = 1 / np.mean(np.asarray(x, dtype=np.float64) ** 2)
    expect_number(
        "your threshold",
        diverges_above,
        threshold,
        tolerance=0.006,
        mistakes=[
            (
                threshold / 2,
                "that is the learning rate that lands nearest "
                "the best w in one step. The walk starts to diverge at "
                "twice it.",
            ),
            (
                2 * threshold,
                "that is twice the threshold. Does your "
                "gradient keep the factor 2 of (2/n) Σ x_i (w x_i − y_i)?",
            ),
            (
                1.0,
                "that is the threshold for the chapter's bowl (w − 2)², "
                "whose a is 1. This loss is a steeper bowl: bisect between "
                "0.1 and 1.0.",
            ),
        ],
        otherwise=lambda yours: (
            f"At η = {number(yours, 2)} training "
            + (
                "already diverges: the threshold is lower."
                if yours > threshold
                else "still converges: the threshold is higher."
            )
        ),
    )


@exercise(
    "ch01-ex-threshold",
    "The threshold for any bowl",
    task="set a to the a of the previous exercise's loss, written as "
    "a (w − w*)² + const",
    passed="right: a is the mean of the squared inputs, and 1/a is the "
    "threshold found by experiment.",
)
def bowl_threshold(a, x):
    """mean((w x - y)^2) = mean(x^2) (w - w*)^2 + c, so a = mean(x^2)."""
    x = np.asarray(x, dtype=np.float64)
    right = np.mean(x**2)
    expect_number(
        "your a",
        a,
        right,
        tolerance=0.005,
        mistakes=[
            (
                np.mean(x) ** 2,
                "that is the square of the mean of x. Expand "
                "the mean of (w x_i − y_i)²: the coefficient of w² is the "
                "mean "
                "of the squares.",
            ),
            (2 * right, "that is the curvature 𝓛'' = 2a. a is half of it."),
            (
                np.sum(x**2),
                "that is the sum of the x_i². The loss is a "
                "mean, so divide by n.",
            ),
        ],
        otherwise="Expand the square and read off the coefficient of w².",
    )


def _steps_by_formula(eta, slope_factor=2.0, tol=1e-6):
    """Steps until |w_t - 2| < tol from w_0 = -3; |e_t| = 5|1 - c eta|^t."""
    shrink = abs(1 - slope_factor * eta)
    if shrink >= 1:
        return None
    if shrink == 0:
        return 1
    return int(np.floor(np.log(tol / 5) / np.log(shrink))) + 1


# learning rates the check tries, from crawling to diverging
_STEP_ETAS = (0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0, 1.1)


@exercise(
    "ch01-ex-steps",
    "How many steps?",
    task="write steps_needed(eta, tol=1e-6)",
    passed="right, for every learning rate tried, from 0.01 to 1.1.",
)
def steps(steps_needed):
    """Compare with the count |w_t - 2| = 5 |1 - 2 eta|^t predicts."""
    yours = {eta: call(steps_needed, eta) for eta in _STEP_ETAS}
    right = {eta: _steps_by_formula(eta) for eta in _STEP_ETAS}
    if yours == right:
        return
    if yours == {eta: _steps_by_formula(eta, 1.0) for eta in _STEP_ETAS}:
        raise Wrong(
            "your walk steps by η (w − 2). The slope of (w − 2)² is "
            "2 (w − 2): with it, η = 0.5 gets there in one step."
        )
    converging = [eta for eta in _STEP_ETAS if right[eta] is not None]
    if any(
        yours[eta] is not None for eta in _STEP_ETAS if right[eta] is None
    ):
        eta = next(
            e
            for e in _STEP_ETAS
            if right[e] is None and yours[e] is not None
        )
        raise Wrong(
            f"steps_needed({eta}) is {yours[eta]}, but for η ≥ 1 the walk "
            "never gets there: return None when it takes more than 10 000 "
            "steps, or stop as soon as |w − 2| grows past a large bound."
        )
    for shift in (1, -1):
        if all(yours[eta] == right[eta] + shift for eta in converging):
            raise Wrong(
                f"every count is {'one more' if shift > 0 else 'one less'} "
                "than it should be. Count the steps taken: w_0 itself is "
                "step 0, and the count is the first t with |w_t − 2| < tol."
            )
    eta = next(e for e in _STEP_ETAS if yours[e] != right[e])
    raise Wrong(
        f"steps_needed({eta}) is {yours[eta]}, but should be {right[eta]}."
    )


@exercise(
    "ch01-ex-sharp",
    "Too big for the deepest valley",
    task="set settled_starts to the starting points whose walks settle at "
    "a valley bottom",
    passed="right: only the two outer valleys are flat enough to settle "
    "in at η = 0.5.",
)
def sharp(settled_starts, starts):
    """A walk settles in a valley exactly when 0.5 < 2/L'' at its bottom."""
    starts = as_array("starts", starts, np.shape(starts))
    bottoms = np.array(RIPPLES_MINIMA)
    curvature = 0.2 - 4 * np.sin(2 * bottoms)
    valley = np.searchsorted(RIPPLES_MAXIMA, starts)
    flat_enough = 0.5 < 2 / curvature[valley]
    yours = np.sort(np.asarray(settled_starts, dtype=np.float64).ravel())

    def same(chosen):
        return yours.shape == (chosen.sum(),) and np.allclose(
            yours, starts[chosen]
        )

    if same(flat_enough):
        return
    if same(~flat_enough):
        raise Wrong(
            "those are the walks that never settle: they hop between two "
            "points on either side of the bottom. A walk settles where "
            "η = 0.5 is below 2/𝓛'' of its valley."
        )
    if same(np.ones_like(flat_enough)):
        raise Wrong(
            "not every walk settles: some hop for ever between two points "
            "on either side of a bottom. Compare the last two points of "
            "each "
            "walk, not only where it ends."
        )
    if same(valley == 1):
        raise Wrong(
            "those are the starts in the valley of the global minimum. "
            "Their "
            "walks do not settle there: that valley curves too sharply for "
            "η = 0.5."
        )
    raise Wrong(
        f"{len(yours)} starts settle in your answer, but "
        f"{flat_enough.sum()} should: "
        f"{np.array2string(starts[flat_enough], separator=', ')}."
    )
