"""Chapter 8's exercises: right answers and planted errors.

Every answer comes from networks trained over five seeds, which takes too long for a
test; the numbers here are what the solutions print (validation digits read right, of
300, and final training losses, per seed), and the answers are computed from them the
way the solutions do, or the way a student gets them wrong.
"""

import numpy as np

from tests.exercise_cases import Case

# validation digits read right per seed, by hidden width (ch08-ex-width)
CORRECT = {
    8: np.array([258, 271, 269, 275, 283]),
    16: np.array([287, 286, 292, 282, 290]),
    32: np.array([291, 288, 290, 288, 291]),
    64: np.array([295, 292, 292, 292, 293]),
    128: np.array([293, 294, 290, 294, 291]),
}
WIDTHS = sorted(CORRECT)
LINEAR_CORRECT = np.array([281, 276, 277, 281, 280])  # ch08-ex-linear
# final training losses per seed, one hidden layer and two (ch08-ex-depth)
LOSSES_64 = np.array([0.07295, 0.06509, 0.06397, 0.07098, 0.06920])
LOSSES_DEEP = np.array([0.01266, 0.01415, 0.01236, 0.01495, 0.01382])
DIGITS, UNITS = 1047, 64  # training digits; hidden units, all dead at lr 1.0


def mean_sd(correct):
    percent = 100 * correct / 300
    return percent.mean(), percent.std(ddof=1)


def beats(a, b):
    (mean_a, sd_a), (mean_b, sd_b) = mean_sd(CORRECT[a]), mean_sd(CORRECT[b])
    return mean_a - sd_a > mean_b + sd_b


steps_that_pay = [w for v, w in zip(WIDTHS[:-1], WIDTHS[1:], strict=True) if beats(w, v)]
fewest = min(w for w in WIDTHS if CORRECT[w].min() / 300 > 0.95)
enough = max(steps_that_pay)
# planted: 95% on average instead of on every seed
fewest_by_mean = min(w for w in WIDTHS if mean_sd(CORRECT[w])[0] > 95)
# planted: it stops paying before the first step within the noise
first_in_noise = next(v for v, w in zip(WIDTHS[:-1], WIDTHS[1:], strict=True) if not beats(w, v))
best_mean = max(WIDTHS, key=lambda w: mean_sd(CORRECT[w])[0])

ratio = LOSSES_64.mean() / LOSSES_DEEP.mean()
linear_percent = 100 * LINEAR_CORRECT / 300

CASES = {
    "ch08-ex-width": Case((fewest, enough), (), [
        ((fewest_by_mean, enough), "not on every seed"),
        ((best_mean, enough), "fewer already stay above 95%"),
        ((WIDTHS[-1], enough), "Which is the narrowest?"),
        ((fewest, WIDTHS[-1]), "buy nothing you can measure"),
        ((fewest, first_in_noise), "Compare each width with the next wider one"),
        ((fewest, fewest), "the step from 32 to 64 still pays"),
    ]),
    "ch08-ex-sgd": Case({0.1, 0.01}, (), [
        ([0.001, 0.1, 0.01], "0.001 is not one"),
        ([0.1], "momentum 0.9 at 0.01 is within the noise of Adam too"),
        ((1e-2,), "plain SGD at 0.1 is within the noise of Adam too"),
        ([], "two of the three runs"),
        ([0.1, 0.9], "out of 0.001, 0.1 and 0.01"),  # the momentum, not the rate
    ]),
    "ch08-ex-depth": Case((ratio, "within the noise"), (), [
        ((LOSSES_DEEP.mean() / LOSSES_64.mean(), "within the noise"), "deeper network's loss over"),
        ((1 - LOSSES_DEEP.mean() / LOSSES_64.mean(), "within the noise"), "fraction"),
        ((LOSSES_64.mean() - LOSSES_DEEP.mean(), "within the noise"), "difference"),
        ((LOSSES_64[0] / LOSSES_DEEP[0], "within the noise"), "ratio for one seed"),
        ((ratio, "better"), "error bars of the two overlap"),
        ((ratio, "Worse"), "no worse"),
        ((ratio, "the same"), "one of the chapter's verdicts"),
    ]),
    "ch08-ex-lr": Case(([0.001, 0.01], [UNITS] * 5), (), [
        (([0.001, 0.01, 0.1], UNITS), "0.1 is not one"),
        (([1.0, 0.001, 0.01, 0.1], UNITS), "1.0 is not one"),
        (([0.001], UNITS), "0.01 trains well too"),
        (([0.01], UNITS), "the chapter's own setting"),
        # np.sum(hidden <= 0): every entry of the dead units, not the units
        (([0.001, 0.01], DIGITS * UNITS), "only 64 hidden units"),
        # np.mean(np.all(hidden <= 0, axis=0))
        (([0.001, 0.01], 1.0), "not their fraction"),
        # the units still alive at 1.0
        (([0.001, 0.01], 0), "that many survive at 1.0"),
        # a run at 0.1
        (([0.001, 0.01], 44), "Did you train with Adam at lr=1.0?"),
    ]),
    "ch08-ex-linear": Case(linear_percent.mean(), (), [
        (linear_percent.mean() / 100, "a fraction"),
        (LINEAR_CORRECT.mean(), "how many of the 300 digits"),
        (mean_sd(CORRECT[64])[0], "the chapter's network, with its hidden layer"),
        (linear_percent[0], "one seed's accuracy"),
    ]),
}
