"""Checks for the exercises of :doc:`/chapters/08_digits`.

Every answer here comes from training networks over five seeds, which
takes seconds, so the checks do not train: they compare with the values
the chapter's solutions compute and assert. Each solution ends with its
check passing, and nbval re-runs it, so a value here that no longer
matches the training fails there.
"""

import numpy as np

from .feedback import (
    NotAnswered,
    Wrong,
    exercise,
    expect_number,
    is_placeholder,
    number,
)

# printed by the solutions of ch08-ex-depth and ch08-ex-linear: the final
# training losses of the five seeds with one hidden layer of 64 and with
# two, and how many of the 300 validation digits softmax regression reads
# right on each seed
LOSSES_64 = np.array([0.07295, 0.06509, 0.06397, 0.07098, 0.06920])
LOSSES_DEEP = np.array([0.01266, 0.01415, 0.01236, 0.01495, 0.01382])
LINEAR_CORRECT = np.array([281, 276, 277, 281, 280])
VERDICTS = ("better", "worse", "within the noise")


def parts(answer, names):
    """The parts of an answer of several values, one per name; not yet
    answered while any part is still ``...``."""
    if not isinstance(answer, (tuple, list)) or len(answer) != len(names):
        raise Wrong(
            f"the answer should be the {len(names)} values "
            f"{', '.join(names)}, in that order."
        )
    if any(is_placeholder(part) for part in answer):
        raise NotAnswered
    return answer


def rates(name, yours):
    """A learning rate, or a collection of them, as a set of floats."""
    if isinstance(yours, (set, frozenset, dict)):
        yours = list(yours)
    try:
        values = np.atleast_1d(np.asarray(yours, dtype=np.float64))
    except (TypeError, ValueError):
        raise Wrong(
            f"{name} should be learning rates, numbers such as 0.01; got "
            f"{yours!r}"
        ) from None
    return {float(f"{value:.6g}") for value in values.ravel()}


def chosen(name, yours, right, mistakes, otherwise):
    """Return if the set of learning rates ``yours`` is ``right``; else
    the hint of the first mistake (a test of the set, a hint) it makes."""
    yours = rates(name, yours)
    if yours == right:
        return
    for made, hint in mistakes:
        if made(yours):
            raise Wrong(f"{name} is not right: {hint}")
    raise Wrong(f"{name} is not right: {otherwise}")


@exercise(
    "ch08-ex-width",
    "How wide?",
    task="set fewest_units to the fewest hidden units that stay above 95% "
    "on every seed, and enough_units to the width beyond which a wider "
    "layer stops paying off",
    passed="right: a few dozen units read these digits, and beyond that "
    "the seeds' noise is larger than the gain.",
)
def width(answer):
    """Lowest of 5 seeds above 95% from 32 on; 64 beats 32, 128 not 64."""
    # the solution asserts that the widths above 95% on every seed are
    # 32, 64 and 128, that 64 beats 32 and that 128 does not beat 64
    fewest, enough = parts(answer, ("fewest_units", "enough_units"))
    expect_number(
        "fewest_units",
        fewest,
        32,
        tolerance=0.5,
        mistakes=[
            (
                16,
                "16 units reach 95% on average, but not on every seed. "
                "Compare each width's worst seed with 95%, not its mean.",
            ),
            (
                8,
                "8 units read only about 90% of the digits right: too "
                "few to keep ten classes apart.",
            ),
            (
                64,
                "64 units are the chapter's network, but fewer already "
                "stay above 95% on every seed.",
            ),
            (
                128,
                "128 units stay above 95%, but so do much narrower "
                "layers. Which is the narrowest?",
            ),
        ],
        otherwise="The widths trained are 8, 16, 32, 64 and 128; compare "
        "the lowest of each width's five accuracies with 95%.",
    )
    expect_number(
        "enough_units",
        enough,
        64,
        tolerance=0.5,
        mistakes=[
            (
                128,
                "128 units are within the noise of 64: their error bars "
                "overlap, so the extra units buy nothing you can measure.",
            ),
            (
                32,
                "64 units beat 32: their error bars do not overlap, so "
                "the step from 32 to 64 still pays.",
            ),
            (
                16,
                "the step from 16 to 32 is within the noise, but the one "
                "from 32 to 64 is not. Compare each width with the next "
                "wider one, up to the widest.",
            ),
        ],
        otherwise="Compare each width with the next wider one by the "
        "chapter's rule (beats): where does that stop?",
    )


@exercise(
    "ch08-ex-sgd",
    "SGD instead of Adam",
    task="set as_good_as_adam to the learning rates of the SGD runs that "
    "do as well as Adam",
    passed="right: SGD does as well as Adam once its step, learning rate "
    "times gradient, is large enough.",
)
def sgd(as_good_as_adam):
    """Within the noise of Adam: plain SGD at 0.1, momentum 0.9 at 0.01."""
    # the solution asserts the verdicts: lr 0.001 worse, the others within
    # the noise of Adam
    chosen(
        "as_good_as_adam",
        as_good_as_adam,
        {0.1, 0.01},
        mistakes=[
            (
                lambda yours: 0.001 in yours,
                "0.001 is not one: at 0.001 plain SGD has barely started "
                "after 40 epochs. Its training loss is still above 1.5, "
                "and it reads only about half the validation digits "
                "right.",
            ),
            (
                lambda yours: yours == {0.1},
                "plain SGD at 0.1 is one, but SGD with momentum 0.9 at "
                "0.01 is within the noise of Adam too. Momentum 0.9 "
                "multiplies the step by 1 / (1 − 0.9) = 10.",
            ),
            (
                lambda yours: yours == {0.01},
                "SGD with momentum at 0.01 is one, but plain SGD at 0.1 "
                "is within the noise of Adam too.",
            ),
            (
                lambda yours: not yours,
                "two of the three runs do as well as Adam. Compare each "
                "with runs_64 by the chapter's verdict.",
            ),
        ],
        otherwise="give the learning rates of the runs that are within "
        "the noise of Adam, out of 0.001, 0.1 and 0.01 (with momentum).",
    )


@exercise(
    "ch08-ex-depth",
    "One more layer",
    task="set loss_ratio to how many times lower the deeper network's "
    "mean final training loss is, and deeper_verdict to its verdict "
    "against the chapter's network on the validation set",
    passed="right: the extra layer fits the training digits much more "
    "tightly, and reads new digits no better.",
)
def depth(answer):
    """mean(losses of [64, 64, 10]) / mean(losses of [64, 64, 64, 10])."""
    loss_ratio, deeper_verdict = parts(
        answer, ("loss_ratio", "deeper_verdict")
    )
    # the ratio of the means, that of the medians or the mean of the five
    # ratios: all are within the tolerance
    right = LOSSES_64.mean() / LOSSES_DEEP.mean()
    expect_number(
        "loss_ratio",
        loss_ratio,
        right,
        tolerance=0.1,
        mistakes=[
            (
                1 / right,
                "that is the deeper network's loss over the chapter's. "
                "How many times lower is it: divide the chapter's by the "
                "deeper one's.",
            ),
            (
                1 - 1 / right,
                "that is the fraction by which the loss falls. The "
                "question is how many times lower it is: a ratio.",
            ),
            (
                LOSSES_64.mean() - LOSSES_DEEP.mean(),
                "that is the difference of the two losses, not their "
                "ratio.",
            ),
            (
                LOSSES_64[0] / LOSSES_DEEP[0],
                "that is the ratio for one seed. Compare the means over "
                "the five seeds.",
            ),
        ],
        otherwise="Take the mean of final_losses over the five runs of "
        "each network, and divide the chapter's by the deeper one's.",
    )
    verdict = str(deeper_verdict).strip().lower()
    if verdict == "within the noise":
        return
    if verdict == "better":
        raise Wrong(
            "deeper_verdict is not right: the deeper network's mean is a "
            "little higher, but the error bars of the two overlap. By the "
            "chapter's rule that is within the noise."
        )
    if verdict == "worse":
        raise Wrong(
            "deeper_verdict is not right: the deeper network reads the "
            "validation digits no worse. Compare it with runs_64 by "
            "verdict."
        )
    raise Wrong(
        f"deeper_verdict is {deeper_verdict!r}; it should be one of the "
        f"chapter's verdicts: {', '.join(map(repr, VERDICTS))}."
    )


@exercise(
    "ch08-ex-lr",
    "Where does training break?",
    task="set train_well to the learning rates that train well, and "
    "dead_at_largest to the number of dead hidden units in a run at "
    "learning rate 1.0",
    passed="right: too large a first step kills the ReLUs, and a dead "
    "unit gets no gradient to recover.",
)
def learning_rate(answer):
    """0.001 and 0.01 train well; at 1.0 more than 55 of 64 units die."""
    # the solution asserts the verdicts, and more than 55 of the 64 units
    # dead in every run at 1.0; those runs are chaotic, so the exact
    # count varies from one computer to the next, and any above 55 is right
    train_well, dead = parts(answer, ("train_well", "dead_at_largest"))
    chosen(
        "train_well",
        train_well,
        {0.001, 0.01},
        mistakes=[
            (
                lambda yours: 1.0 in yours,
                "1.0 is not one: at 1.0 the network stays at chance "
                "level, with a training loss above 2.",
            ),
            (
                lambda yours: 0.1 in yours,
                "0.1 is not one: at 0.1 more than half of the hidden "
                "units die, and the accuracy swings from seed to seed.",
            ),
            (
                lambda yours: yours == {0.001},
                "0.01 trains well too: within the noise of 0.001 on the "
                "validation set, with a training loss ten times lower.",
            ),
            (
                lambda yours: yours == {0.01},
                "0.001 is the chapter's own setting, and it trains well.",
            ),
        ],
        otherwise="give the learning rates, out of 0.001, 0.01, 0.1 and "
        "1.0, whose runs train well.",
    )
    try:
        counts = np.atleast_1d(np.asarray(dead, dtype=np.float64)).ravel()
    except (TypeError, ValueError):
        raise Wrong(
            f"dead_at_largest should be a number of units; got {dead!r}"
        ) from None
    if np.all((counts > 55) & (counts <= 64)):
        return
    count = counts[np.argmax((counts <= 55) | (counts > 64))]
    if count > 64:
        hint = (
            "there are only 64 hidden units. Count the units (columns) "
            "whose ReLU is zero for every training digit, as dead_units "
            "does, not the zero entries."
        )
    elif 0 < count <= 1:
        hint = "give the number of dead units, not their fraction."
    elif count <= 10:
        hint = (
            "that many die at 0.001, and that many survive at 1.0. Count "
            "the dead units of a run at 1.0."
        )
    else:
        hint = (
            "at 1.0 more than 55 of the 64 units die, in every run. Did "
            "you train with Adam at lr=1.0?"
        )
    raise Wrong(f"dead_at_largest is {number(count)}: {hint}")


@exercise(
    "ch08-ex-linear",
    "No hidden layer",
    task="set linear_accuracy to softmax regression's mean validation "
    "accuracy over the five seeds, in percent",
    passed="right: one template per class goes a long way, and the hidden "
    "layer earns the last few points.",
)
def linear(linear_accuracy):
    """The mean of 100 * correct / 300 over the five runs of [64, 10]."""
    # the solution prints the five counts and asserts that the mean is
    # above 90%
    percent = 100 * LINEAR_CORRECT / 300
    expect_number(
        "linear_accuracy",
        linear_accuracy,
        percent.mean(),
        tolerance=0.05,
        mistakes=[
            (
                percent.mean() / 100,
                "that is a fraction; give the accuracy in percent.",
            ),
            (
                LINEAR_CORRECT.mean(),
                "that is how many of the 300 digits are read right; give "
                "the accuracy in percent.",
            ),
            (
                97.6,
                "that is the chapter's network, with its hidden layer. "
                "Train bpcore.MLP([64, 10]).",
            ),
            *(
                (
                    seed_percent,
                    "that is one seed's accuracy. Give the mean over the "
                    "five seeds.",
                )
                for seed_percent in percent
            ),
        ],
        otherwise="Train five seeds with train_seeds([64, 10]); mean_sd "
        "gives their mean.",
    )
