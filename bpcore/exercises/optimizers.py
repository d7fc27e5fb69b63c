"""Checks for the exercises of :doc:`/chapters/07_optimizers`."""

import numpy as np

from ..examples.optimizers import (
    optimal_gradient_descent,
    optimal_momentum,
)
from ..layers import Parameter
from ..optim import Adam, Optimizer
from .feedback import (
    NotAnswered,
    Wrong,
    call,
    entries,
    exercise,
    expect_array,
    expect_number,
    is_placeholder,
    number,
)

_MOMENTA = (0.5, 0.9)


@exercise(
    "ch07-ex-threshold",
    "When does momentum diverge?",
    task="set momentum_thresholds to {0.5: ..., 0.9: ...}: for each μ, the "
    "learning rate above which SGD with momentum μ diverges on (w − 2)²",
    passed="right: momentum raises the largest stable learning rate, from "
    "1 to 1 + μ here.",
)
def threshold(momentum_thresholds):
    """e_{t+1} = (1 + μ − 2η) e_t − μ e_{t−1} has a root −1 at η = 1 + μ."""
    yours = entries("momentum_thresholds", momentum_thresholds, _MOMENTA)
    right = {mu: 1 + mu for mu in _MOMENTA}

    def near(values):
        return all(abs(yours[mu] - values[mu]) <= 0.01 for mu in _MOMENTA)

    if near(right):
        return
    mistakes = [
        (
            {mu: 1.0 for mu in _MOMENTA},
            "that is plain gradient descent's threshold, μ = 0. Bisect "
            "with SGD(p, lr=η, momentum=μ): momentum moves it.",
        ),
        (
            {mu: 2 * (1 + mu) for mu in _MOMENTA},
            "those are twice the thresholds. The slope of (w − 2)² is "
            "2 (w − 2): landscapes.quadratic_grad.",
        ),
        (
            {mu: 1 - mu for mu in _MOMENTA},
            "1 − μ keeps the long-run rate η/(1 − μ) below 1, but near the "
            "minimum the gradients alternate and cancel: momentum lets η "
            "go higher, not lower. Bisect and see.",
        ),
        (
            {mu: (1 + mu) / (1 + 2 * mu) for mu in _MOMENTA},
            "those are the thresholds of Nesterov momentum. Use the heavy "
            "ball, SGD(p, lr=η, momentum=μ), without nesterov=True.",
        ),
        (
            {0.5: right[0.9], 0.9: right[0.5]},
            "your two thresholds are swapped: the more momentum, the "
            "larger the threshold.",
        ),
    ]
    for wrong, hint in mistakes:
        if near(wrong):
            raise Wrong(f"momentum_thresholds is not right: {hint}")
    mu = max(_MOMENTA, key=lambda mu: abs(yours[mu] - right[mu]))
    raise Wrong(
        f"your threshold for μ = {mu} is {number(yours[mu])}, but at "
        f"η = {number(yours[mu])} momentum "
        + (
            "already diverges: the threshold is lower."
            if yours[mu] > right[mu]
            else "still converges: the threshold is higher."
        )
        + " Then derive it: where does a root of r² − (1 + μ − 2η) r + μ "
        "= 0 cross −1?"
    )


_BETAS, _EPS = (0.9, 0.999), 1e-8


def _adam_walk(gradient, w0, lr, steps, **options):
    """Adam's iterates w_0..w_steps without bias correction, by the formula.

    ``gradient(w)`` gives g_t. ``options`` bring back a correction
    (``correct_m``, ``correct_s``) or make a mistake: m that adds the whole
    gradient (``average_m=False``), no square root (``root=False``).
    """
    (beta1, beta2), w = _BETAS, np.array(w0, dtype=np.float64)
    m, s, walk = np.zeros_like(w), np.zeros_like(w), [w.copy()]
    share = 1 - beta1 if options.get("average_m", True) else 1.0
    for t in range(1, steps + 1):
        g = gradient(w)
        m = beta1 * m + share * g
        s = beta2 * s + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t) if options.get("correct_m") else m
        s_hat = s / (1 - beta2**t) if options.get("correct_s") else s
        root = np.sqrt(s_hat) if options.get("root", True) else s_hat
        w = w - lr * m_hat / (root + _EPS)
        walk.append(w.copy())
    return np.array(walk)


def _bowl(w):
    """The gradient of (w − 2)²."""
    return 2 * (w - 2)


def _your_walk(optimizer_class, starts, gradient, steps, lr):
    """The reader's optimizer on Parameters that start at ``starts``: each
    step sets every gradient to ``gradient(value)``; the values after
    every step, a list per parameter."""
    params = [
        Parameter(np.array(start, dtype=np.float64)) for start in starts
    ]
    optimizer = call(optimizer_class, params, lr=lr)
    walk = [[p.data.copy()] for p in params]
    for _ in range(steps):
        for p in params:
            p.grad[...] = gradient(p.data)
        call(optimizer.step)
        for p, values in zip(params, walk, strict=True):
            values.append(p.data.copy())
    return [np.array(values) for values in walk]


@exercise(
    "ch07-ex-bias",
    "Adam without bias correction",
    task="write the class AdamNoCorrection(bpcore.optim.Optimizer), with "
    "its step()",
    passed="right: without the correction the first steps are about "
    "three times η and grow, and the walker overshoots far more.",
)
def bias(AdamNoCorrection):
    """w ← w − η m_t / (√s_t + ε), m_t and s_t Adam's moving averages."""
    if not isinstance(AdamNoCorrection, type):
        raise Wrong(
            "AdamNoCorrection should be a class; got an object of type "
            f"{type(AdamNoCorrection).__name__}"
        )
    if not issubclass(AdamNoCorrection, Optimizer):
        raise Wrong(
            "subclass bpcore.optim.Optimizer, as the chapter's optimizers "
            "do: class AdamNoCorrection(bpcore.optim.Optimizer)."
        )
    step = AdamNoCorrection.step
    if is_placeholder(step):
        raise NotAnswered
    if step is Optimizer.step:
        raise Wrong(
            "AdamNoCorrection has no step() of its own: write the update "
            "of m, s and the parameters there."
        )
    # the exercise's walk: (w − 2)² from w = −3, η = 0.1, 100 steps
    yours = _your_walk(AdamNoCorrection, [[-3.0]], _bowl, 100, 0.1)[0]
    yours = yours[:, 0]
    if not np.all(np.isfinite(yours)):
        t = int(np.argmin(np.isfinite(yours)))
        raise Wrong(
            f"your walk is NaN or infinite from step {t} on. Is the "
            "denominator √s + ε, with s the average of the squared "
            "gradients?"
        )

    def right_walk(**options):
        return _adam_walk(_bowl, [-3.0], 0.1, 100, **options)[:, 0]

    expect_array(
        "your walk w",
        yours,
        right_walk(),
        tolerance=1e-6,
        mistakes=[
            (
                right_walk(correct_m=True, correct_s=True),
                "those are Adam's steps, bias correction included. Drop "
                "both divisions by 1 − βᵗ.",
            ),
            (
                right_walk(correct_s=True),
                "you still divide s by 1 − β₂ᵗ. Drop that correction too.",
            ),
            (
                right_walk(correct_m=True),
                "you still divide m by 1 − β₁ᵗ. Drop that correction too.",
            ),
            (
                right_walk(average_m=False),
                "your m adds the whole gradient, m = β₁ m + g. It is a "
                "moving average: m = β₁ m + (1 − β₁) g.",
            ),
            (
                right_walk(root=False),
                "you divide by s. Divide by its square root, √s + ε.",
            ),
        ],
        otherwise="The first step should be 0.1 · 0.1 / √0.001 ≈ 0.32.",
    )
    # two parameters of different shapes: one m and one s for each
    starts = [[-3.0, 2.0], [[0.0, 1.0, 5.0], [-1.0, 3.0, 4.0]]]

    def gradient(w):
        return w - 1.0

    hint = (
        "Keep one m and one s for each parameter, as arrays of its shape: "
        "a list of them, as Adam keeps exp_avg."
    )
    try:
        walks = _your_walk(AdamNoCorrection, starts, gradient, 3, 0.1)
    except Wrong as wrong:
        raise Wrong(
            f"with two parameters, of shapes (2,) and (2, 3): {wrong}. "
            + hint
        ) from None
    for i, (start, walk) in enumerate(zip(starts, walks, strict=True)):
        expect_array(
            f"with two parameters, of shapes (2,) and (2, 3), parameter "
            f"{i + 1} after 3 steps",
            walk[-1],
            _adam_walk(gradient, start, 0.1, 3)[-1],
            tolerance=1e-6,
            otherwise=hint,
        )


_LRS = (0.001, 0.01, 0.1, 1.0)
_NAMES = ("momentum", "Adam")


def _rules(losses):
    """What fails in the final losses of the learning-rate exercise, as
    (name, lr, hint), first failure first; [] for none."""
    failed = []
    if losses["momentum"][3] < 0.3:
        failed.append(
            (
                "momentum",
                1.0,
                "but SGD with momentum 0.9 stalls at 1.0. Did you pass "
                "momentum=0.9?",
            )
        )
    for name in _NAMES:
        for i in (1, 2):
            if not losses[name][i] < 0.06:
                failed.append(
                    (
                        name,
                        _LRS[i],
                        "but both optimizers train well at 0.01 and 0.1, "
                        "below 0.06. Train MLP([2, 16, 16, 1], seed=0) for "
                        "100 epochs with batch_size=16 and seed=0.",
                    )
                )
        if not losses[name][3] > 0.3:
            failed.append(
                (
                    name,
                    1.0,
                    "but at 1.0 the first huge steps kill the ReLU units "
                    "of the second layer, and training stalls above 0.3.",
                )
            )
    if not losses["Adam"][0] < losses["momentum"][0] / 2:
        failed.append(
            (
                "Adam",
                0.001,
                "but at 0.001 Adam gets much further than momentum, to "
                "less than half its loss: its steps are about η whatever "
                "the gradient's size.",
            )
        )
    return failed


@exercise(
    "ch07-ex-lrs",
    "Which learning rates train?",
    task="set final_losses to {'momentum': [...], 'Adam': [...]}: each "
    "run's final training loss, for the learning rates 0.001, 0.01, 0.1 "
    "and 1.0 in that order",
    passed="right: both train well at 0.01 and 0.1, both stall at 1.0, and "
    "Adam is more forgiving at the small end.",
)
def learning_rates(final_losses):
    """Both below 0.06 at 0.01 and 0.1, above 0.3 at 1.0; Adam ahead at
    0.001."""
    # The eight runs take seconds to train. So the check holds the answer
    # to what the solution asserts of them; its final check passing under
    # nbval proves that.
    listing = "{'momentum': [...], 'Adam': [...]}"
    if not isinstance(final_losses, dict):
        raise Wrong(
            f"final_losses should be a dict {listing}; got a "
            f"{type(final_losses).__name__}"
        )
    losses = {}
    for name in _NAMES:
        if name not in final_losses:
            raise Wrong(
                f"final_losses has no entry for {name!r}: {listing}."
            )
        try:
            values = np.asarray(final_losses[name], dtype=np.float64)
        except (TypeError, ValueError):
            values = np.full(1, np.nan)
        if values.shape != (len(_LRS),) or np.any(np.isnan(values)):
            raise Wrong(
                f"final_losses[{name!r}] should hold 4 numbers, the final "
                "losses for the learning rates 0.001, 0.01, 0.1 and 1.0."
            )
        if np.any(np.isinf(values)):
            raise Wrong(
                f"final_losses[{name!r}] holds infinity, but no run "
                "diverges here with mini-batches of 16: even at 1.0 the "
                "loss stays finite."
            )
        losses[name] = values
    if all(losses[name][i] > 0.9 for name in _NAMES for i in (1, 2)):
        raise Wrong(
            "those look like accuracies. Give the final loss, "
            "history.loss[-1]."
        )
    failed = _rules(losses)
    if not failed:
        return
    if not _rules({name: losses[name][::-1] for name in _NAMES}):
        raise Wrong(
            "your lists run from 1.0 down to 0.001. Give them in the order "
            "0.001, 0.01, 0.1, 1.0."
        )
    if not _rules({"momentum": losses["Adam"], "Adam": losses["momentum"]}):
        raise Wrong("your momentum and Adam losses are swapped.")
    name, lr, hint = failed[0]
    value = losses[name][_LRS.index(lr)]
    raise Wrong(
        f"your {name} run at {lr} ends at {number(value, 3)}, {hint}"
    )


def _line_losses(x, y, learning_rate, epochs=20, seed=0):
    """SGD with batch size 1 on the line w x + b from w = b = 0: the
    training-set MSE after every step, and each step's own sample loss.

    ``learning_rate(t, epoch, position)`` gives η for step t, the
    ``position``-th of its epoch; the order of the samples is the
    chapter's, drawn from ``seed``.
    """
    x, y = np.ravel(x).astype(np.float64), np.ravel(y).astype(np.float64)
    n, w, b, t = len(x), 0.0, 0.0, 0
    order_rng = np.random.default_rng(seed)
    params, sample_losses = [], []
    for epoch in range(epochs):
        for position, i in enumerate(order_rng.permutation(n)):
            residual = w * x[i] + b - y[i]
            sample_losses.append(residual**2)
            lr = learning_rate(t, epoch, position)
            w, b = w - lr * 2 * residual * x[i], b - lr * 2 * residual
            params.append((w, b))
            t += 1
    params = np.array(params)
    fitted = params[:, :1] * x + params[:, 1:]
    return np.mean((fitted - y) ** 2, axis=1), np.array(sample_losses)


@exercise(
    "ch07-ex-decay",
    "Let the learning rate decay",
    task="set last_epoch_loss to the mean training loss over the last "
    "epoch with η_t = 0.05 / (1 + t / 256)",
    passed="right: the decaying rate shrinks the jitter and ends close to "
    "the smallest possible loss, where the constant rate stays above it.",
)
def decay(last_epoch_loss, x, y):
    """SGD with η_t = 0.05 / (1 + t/n), batch size 1; the loss of the
    whole training set after each of the last n steps, averaged."""
    n = len(np.ravel(x))

    def last_epoch(rate):
        return _line_losses(x, y, rate)[0][-n:].mean()

    losses, sample_losses = _line_losses(
        x, y, lambda t, epoch, position: 0.05 / (1 + t / n)
    )
    right = losses[-n:].mean()
    try:
        yours = float(last_epoch_loss)
    except (TypeError, ValueError):
        yours = right + 1  # not a number: expect_number says what it is
    if not np.isfinite(yours):
        raise Wrong(
            "your loss is not finite: the learning rate grows instead of "
            "falling. Mind the brackets: 0.05 / (1 + t / 256)."
        )
    if abs(yours - right) <= 2e-4:
        return  # right: no need to train the mistakes' runs
    expect_number(
        "your loss",
        last_epoch_loss,
        right,
        tolerance=2e-4,
        mistakes=[
            (
                last_epoch(lambda t, epoch, position: 0.05),
                "that is the constant rate's loss. Set optimizer.lr = "
                "0.05 / (1 + t / 256) before every step.",
            ),
            (
                last_epoch(
                    lambda t, epoch, position: 0.05 / (1 + position / n)
                ),
                "your t starts again at 0 in every epoch. t counts every "
                "step since the start of training.",
            ),
            (
                last_epoch(
                    lambda t, epoch, position: 0.05 / (1 + epoch / n)
                ),
                "your t counts epochs. It counts steps, 256 per epoch.",
            ),
            (
                losses.mean(),
                "that is the mean over all 20 epochs. Average only the "
                "last epoch's 256 losses.",
            ),
            (
                sample_losses[-n:].mean(),
                "that is the mean of the single samples' losses. Measure "
                "the loss on the whole training set after each step, as "
                "line_loss does.",
            ),
        ],
        otherwise="Train as train_line(1) does, with η_t = 0.05 / (1 + t / "
        "256) set before each step, and record line_loss after each step.",
    )


_CRITICAL_ETAS, _LAMBDA = (0.1, 0.6), 4.0


@exercise(
    "ch07-ex-critical",
    "The critical-damping curve",
    task="set mu_critical to {0.1: ..., 0.6: ...}: for each η, the "
    "momentum at which the two roots coincide for λ = 4",
    passed="right: on the curve μ = (1 − √(ηλ))² the two roots meet; above "
    "it they are complex, both of size √μ.",
)
def critical(mu_critical):
    """(1 + μ − ηλ)² = 4μ where μ = (1 − √(ηλ))²."""
    yours = entries("mu_critical", mu_critical, _CRITICAL_ETAS)
    root = {eta: np.sqrt(eta * _LAMBDA) for eta in _CRITICAL_ETAS}
    right = {eta: (1 - r) ** 2 for eta, r in root.items()}

    def near(values):
        return all(
            abs(yours[eta] - values[eta]) <= 1e-3 for eta in _CRITICAL_ETAS
        )

    if near(right):
        return
    mistakes = [
        (
            {eta: 1 - r for eta, r in root.items()},
            "that is 1 − √(ηλ). Square it: μ = (1 − √(ηλ))².",
        ),
        (
            {eta: abs(1 - r) for eta, r in root.items()},
            "that is √μ, the size of the double root. The curve gives μ "
            "itself.",
        ),
        (
            {eta: (1 - np.sqrt(eta)) ** 2 for eta in _CRITICAL_ETAS},
            "you left out the curvature. It is ηλ under the root, "
            "with λ = 4.",
        ),
        (
            {eta: (1 + r) ** 2 for eta, r in root.items()},
            "that is the other root of the discriminant, above 1, where "
            "momentum diverges. Take (1 − √(ηλ))².",
        ),
        (
            {eta: (1 - eta * _LAMBDA) ** 2 for eta in _CRITICAL_ETAS},
            "the curve has the square root of ηλ: (1 − √(ηλ))².",
        ),
    ]
    for wrong, hint in mistakes:
        if near(wrong):
            raise Wrong(f"mu_critical is not right: {hint}")
    eta = max(_CRITICAL_ETAS, key=lambda eta: abs(yours[eta] - right[eta]))
    raise Wrong(
        f"your μ for η = {eta} is {number(yours[eta])}: there "
        "np.linalg.eigvals(examples.heavy_ball_matrix(η, μ, 4.0)) gives "
        "two different roots. Solve (1 + μ − ηλ)² = 4μ for μ < 1."
    )


@exercise(
    "ch07-ex-kappa",
    "The best momentum for κ = 100",
    task="set times_fewer to how many times fewer steps the best momentum "
    "needs than the best gradient descent to shrink the error a "
    "millionfold",
    passed="right: about √κ = 10 times fewer, since tuned momentum's steps "
    "grow like √κ and gradient descent's like κ.",
)
def kappa(times_fewer):
    """Steps ln 10⁶ / ln(1/rate), for the rates 9/11 and 99/101."""
    _, _, momentum_rate = optimal_momentum(1.0, 100.0)
    _, gd_rate = optimal_gradient_descent(1.0, 100.0)
    gd_steps = np.log(1e6) / -np.log(gd_rate)
    momentum_steps = np.log(1e6) / -np.log(momentum_rate)
    right = gd_steps / momentum_steps
    try:
        yours = float(times_fewer)
    except (TypeError, ValueError):
        yours = right + 2  # not a number: expect_number says what it is
    if not np.isfinite(yours):
        raise Wrong(f"your answer is {yours}; it should be a number.")
    if abs(yours - right) <= 1:
        return
    mistakes = [
        (
            100.0,
            "that is κ. Momentum's steps grow like √κ, gradient descent's "
            "like κ: their ratio grows like √κ.",
        ),
        (
            gd_steps,
            "that is the number of steps gradient descent needs. Divide it "
            "by momentum's.",
        ),
        (
            momentum_steps,
            "that is the number of steps momentum needs. Divide gradient "
            "descent's by it.",
        ),
        (
            gd_rate / momentum_rate,
            "that is the ratio of the two rates. The steps needed are "
            "ln 10⁶ / ln(1/rate): take the ratio of those.",
        ),
        (
            momentum_steps / gd_steps,
            "that is the inverse: momentum needs fewer steps, so the "
            "answer is above 1.",
        ),
    ]
    for wrong, hint in mistakes:
        if abs(yours - wrong) <= 0.03 * wrong:
            raise Wrong(f"your answer is {number(yours)}: {hint}")
    expect_number(
        "your answer",
        times_fewer,
        right,
        tolerance=1.0,
        otherwise="The steps to shrink the error a millionfold are "
        "ln 10⁶ / ln(1/rate), with the rate of each method at its best "
        "setting.",
    )


_DECAY_SCALES = np.repeat([10.0, 0.01], 1000)  # the chapter's two halves
_DECAY_LR, _DECAY_STEPS = 0.01, 200
_ADAMW = (1 - _DECAY_LR * 1.0) ** _DECAY_STEPS  # AdamW's (1 − ηλ)^t, λ = 1


def _large_half(weight_decay, seed=0):
    """The mean weight of the half with gradients of size 10 after 200
    steps of Adam(weight_decay=λ) on pure noise, from w = 1."""
    w = Parameter(np.ones(len(_DECAY_SCALES)))
    optimizer = Adam([w], lr=_DECAY_LR, weight_decay=weight_decay)
    noise_rng = np.random.default_rng(seed)
    for _ in range(_DECAY_STEPS):
        w.grad[:] = _DECAY_SCALES * noise_rng.standard_normal(w.data.shape)
        optimizer.step()
    return w.data[:1000].mean()


@exercise(
    "ch07-ex-adamw",
    "Can Adam's L2 imitate AdamW?",
    task="set matching_lambda to the weight_decay λ at which Adam's L2 "
    "shrinks the half with gradients of size 10 as much as AdamW with "
    "λ = 1",
    passed="right: inside Adam the L2 term is divided by √ŝ, about 10 "
    "here, so it takes a λ about twelve times AdamW's.",
)
def adamw(matching_lambda):
    """Adam(weight_decay=λ) leaves the large half's mean within 0.02 of
    AdamW's (1 − ηλ)^200 ≈ 0.13."""
    try:
        lam = float(matching_lambda)
    except (TypeError, ValueError):
        raise Wrong(
            "matching_lambda should be a number; got "
            f"{type(matching_lambda).__name__}"
        ) from None
    if not lam >= 0:
        raise Wrong(
            f"matching_lambda is {number(lam)}, but a weight decay is a "
            "number ≥ 0."
        )
    if lam > 1000:
        raise Wrong(
            f"matching_lambda is {number(lam)}: at that size the L2 term "
            "swamps every gradient, and both halves drop to zero at once. "
            "Try λ between AdamW's 1 and 100."
        )
    mean = _large_half(lam)
    if abs(mean - _ADAMW) <= 0.02:
        return
    mistakes = [
        (
            1.0,
            "that is AdamW's λ. Inside Adam the L2 term λw is divided by "
            "√ŝ, about 10 here: at λ = 1 the half only shrinks to about "
            "0.82.",
        ),
        (
            10.0,
            "that is what e^(−200ηλ/10) = 0.13 suggests, but the "
            "estimate is rough. Measure with decay_run around it.",
        ),
        (
            0.1,
            "Adam divides the L2 term by √ŝ, about 10: λ must be larger "
            "than AdamW's, not smaller.",
        ),
        (
            100.0,
            "√ŝ is about 10, the size of the gradients, not its square: "
            "at λ = 100 the half shrinks far below AdamW's.",
        ),
    ]
    for wrong, hint in mistakes:
        if abs(lam - wrong) <= 0.05 * wrong:
            raise Wrong(f"matching_lambda is {number(lam)}: {hint}")
    raise Wrong(
        f"with weight_decay={number(lam)} the half with large gradients "
        f"ends at {number(mean, 2)}, AdamW's at {number(_ADAMW, 2)}: "
        + ("a larger" if mean > _ADAMW else "a smaller")
        + " λ gets closer."
    )
