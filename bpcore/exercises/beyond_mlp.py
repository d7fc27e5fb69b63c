"""Checks for the exercises of :doc:`/chapters/09_beyond_mlp`."""

import copy

import numpy as np

from ..examples.beyond_mlp import (
    deep_network,
    delayed_recall,
    recall_network,
)
from ..layers import Parameter
from ..losses import CrossEntropyLoss, MSELoss
from ..normalization import BatchNorm1d
from ..optim import Adam, AdamW
from .feedback import (
    Wrong,
    call,
    exercise,
    expect_array,
    expect_number,
    number,
)


def scalar(name, value):
    """``value`` as one float, or :class:`Wrong` why not."""
    if value is None:
        raise Wrong(f"{name} is None: does your code return its result?")
    try:
        values = np.asarray(value, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        values = None
    if values is None or values.size != 1:
        raise Wrong(f"{name} should be one number; got {value!r}")
    return float(values[0])


def first_match(yours, mistakes, close):
    """The hint of the first of ``mistakes`` (pairs of a wrong answer, or a
    function that makes it, and its hint) that ``close(yours, wrong)``."""
    for wrong, hint in mistakes:
        if close(yours, wrong() if callable(wrong) else wrong):
            return hint
    return None


def adam_step(optimizer, lam, *, lr=0.01, grad=0.0, decay=True):
    """How far one step of ``optimizer`` moves theta = 1 from 1."""
    theta = Parameter(np.array([1.0]))
    theta.grad = np.array([grad])
    options = {"weight_decay": lam} if decay else {}
    optimizer([theta], lr=lr, **options).step()
    return 1.0 - theta.data[0]


# the optimizers and weight decays the check tries: the exercise's two,
# and one between
STEP_CASES = [(o, lam) for o in (Adam, AdamW) for lam in (1e-4, 0.1, 10.0)]


@exercise(
    "ch09-ex-adam-l2",
    "Adam's L2 term on a weight without data",
    task="write one_step(optimizer, lam)",
    passed="right: Adam's L2 step is about η whatever λ is, AdamW's decay "
    "ηλθ grows with λ.",
)
def adam_l2(one_step):
    """Adam: g = λθ, step η λθ / (|λθ| + ε) ≈ η; AdamW: step η λ θ."""

    def steps(**options):
        return np.array(
            [adam_step(o, lam, **options) for o, lam in STEP_CASES]
        )

    def name(optimizer, lam):
        return f"one_step(bpcore.{optimizer.__name__}, {lam:g})"

    yours = np.array(
        [
            scalar(name(o, lam), call(one_step, o, lam))
            for o, lam in STEP_CASES
        ]
    )
    right = steps()

    def close(mine, other):
        return np.allclose(mine, other, rtol=1e-3, atol=1e-12)

    if close(yours, right):
        return
    hint = first_match(
        yours,
        [
            (
                1 - right,
                "that is where the weight ends, 1 minus the step. The "
                "step is how far it moves: 1 − θ after the step.",
            ),
            (
                -right,
                "your steps have the wrong sign. The decay pulls θ = 1 "
                "toward 0: measure 1 − θ after the step.",
            ),
            (
                lambda: steps(lr=0.001),
                "every step is a tenth of what it should be. Adam's "
                "default learning rate is 0.001: pass lr=0.01.",
            ),
            (
                lambda: steps(decay=False),
                "under Adam your weight does not move at all, and under "
                "AdamW it moves the same whatever λ: pass "
                "weight_decay=lam to the optimizer.",
            ),
            (
                lambda: np.array(
                    [adam_step(o, lam, grad=lam) for o, lam in STEP_CASES]
                ),
                "your AdamW steps are η too large: the weight got the "
                "gradient λθ by hand as well. It gets no gradient from the "
                "data, so leave .grad at 0; the optimizer adds the decay.",
            ),
        ],
        close,
    )
    if hint:
        raise Wrong(hint)
    worst = int(np.argmax(np.abs(yours - right) / right))
    raise Wrong(
        f"{name(*STEP_CASES[worst])} is {number(yours[worst])}, but should "
        f"be {number(right[worst])}. Make θ a bpcore.Parameter holding "
        "1.0, run one step, and measure 1 − θ."
    )


# the fixed inputs x and drop probabilities p the check tries
DROPOUT_CASES = [(x, p) for x in (-2.0, 0.5, 3.0) for p in (0.1, 0.5, 0.9)]


@exercise(
    "ch09-ex-dropout-variance",
    "The noise dropout adds",
    task="write dropout_variance(x, p)",
    passed="right: the noise grows with x² and explodes as p nears 1; at "
    "p = 0.5 its standard deviation is |x| itself.",
)
def dropout_variance(variance):
    """Var(x m / (1 - p)) = x² p / (1 - p), with m ~ Bernoulli(1 - p)."""
    x, p = np.array(DROPOUT_CASES).T
    yours = np.array(
        [
            scalar(
                f"dropout_variance({xi:g}, {pi:g})", call(variance, xi, pi)
            )
            for xi, pi in DROPOUT_CASES
        ]
    )
    right = x**2 * p / (1 - p)

    def close(mine, other):  # a sampled estimate is close enough too
        return np.allclose(mine, other, rtol=0.02, atol=0)

    if close(yours, right):
        return
    hint = first_match(
        yours,
        [
            (
                x**2 * p * (1 - p),
                "that is the variance of x m, without the scaling. "
                "Inverted dropout divides by 1 − p, which divides the "
                "variance by (1 − p)².",
            ),
            (
                x**2 / (1 - p),
                "that is E[y²]. The variance is E[y²] − E[y]², and "
                "E[y] = x.",
            ),
            (
                x**2 * (1 - p) / p,
                "p and 1 − p are swapped: p is the probability that a unit "
                "is dropped, so m = 1 with probability 1 − p.",
            ),
            (
                np.abs(x) * np.sqrt(p / (1 - p)),
                "that is the standard deviation. The variance is its "
                "square.",
            ),
            (
                x * p / (1 - p),
                "your variance changes sign with x. A variance is never "
                "negative: it grows with x².",
            ),
        ],
        close,
    )
    if hint:
        raise Wrong(hint)
    worst = int(np.argmax(np.abs(yours - right) / right))
    raise Wrong(
        f"dropout_variance({x[worst]:g}, {p[worst]:g}) is "
        f"{number(yours[worst])}, but should be {number(right[worst])}. "
        "Write E[y²] with m² = m, then subtract E[y]²."
    )


def first_layer_gradient(X, y, a, eps=1e-12):
    """∂L/∂W of the first layer of the fifteen-layer sigmoid network with
    batch norm, its W scaled by ``a``; ``eps`` None keeps the default."""
    net = deep_network(15, "sigmoid", "xavier_normal", batchnorm=True)
    for layer in net:
        if isinstance(layer, BatchNorm1d) and eps is not None:
            layer.eps = eps
    net[0].W.data *= a
    loss = CrossEntropyLoss()
    loss(net(X), y)
    net.backward(loss.backward())
    return net[0].W.grad


def gradient_ratio_of(X, y, eps=1e-12):
    """‖∂L/∂W at 10 W‖ / ‖∂L/∂W at W‖ for the first layer."""
    return np.linalg.norm(
        first_layer_gradient(X, y, 10.0, eps)
    ) / np.linalg.norm(first_layer_gradient(X, y, 1.0, eps))


@exercise(
    "ch09-ex-scale",
    "Batch norm ignores the scale of the weights",
    task="set gradient_ratio to the norm of the first layer's weight "
    "gradient at 10 W divided by its norm at W",
    passed="right: ten times the weights, a tenth of the gradient. Large "
    "weights learn slowly behind batch norm.",
)
def scale(gradient_ratio, X, y):
    """L(aW) = L(W), so a ∇L(aW) = ∇L(W): the ratio is 1/a = 0.1."""
    right = gradient_ratio_of(X, y)
    expect_number(
        "gradient_ratio",
        gradient_ratio,
        right,
        tolerance=1e-4,
        mistakes=[
            (
                1 / right,
                "that is the gradient at W over that at 10 W. Divide the "
                "norm at 10 W by the norm at W.",
            ),
            (
                right**2,
                "that is the ratio of the squared norms. Take the roots: "
                "np.linalg.norm.",
            ),
            (
                1.0,
                "the gradient did not change. Scale the first layer's W "
                "by 10 before the forward pass, and read its gradient "
                "after a fresh backward pass.",
            ),
            (
                gradient_ratio_of(X, y, eps=None),
                "close, but with the default ε = 1e-5 the first layer's "
                "features of small variance feel it. Set every "
                "BatchNorm1d's eps to 1e-12 first.",
            ),
        ],
        otherwise="Build the network twice, once with the first W "
        "multiplied by 10, and compare np.linalg.norm of net[0].W.grad.",
    )


# the three features of the chapter's 100-batch example, and the
# check's gamma and beta, away from 1 and 0
FEATURES = ([5.0, -2.0, 0.0], [10.0, 0.1, 1.0])
GAMMA, BETA = [0.5, 1.5, -1.0], [0.1, -0.3, 1.0]


def trained_batchnorm():
    """The chapter's ``bn`` after 100 batches, in evaluation mode, with
    gamma and beta set; and an input batch x and upstream gradient g."""
    rng = np.random.default_rng(2)
    layer = BatchNorm1d(3)
    for _ in range(100):
        layer(rng.normal(*FEATURES, size=(50, 3)))
    layer.eval()
    layer.weight.data[:], layer.bias.data[:] = GAMMA, BETA
    x = rng.normal(*FEATURES, size=(6, 3))
    return layer, x, rng.normal(size=(6, 3))


@exercise(
    "ch09-ex-bn-eval",
    "Batch norm in evaluation mode",
    task="write eval_input_grad(layer, x, g)",
    passed="right: with μ and σ² fixed, each output depends on its own "
    "input alone, one multiplication by γ / √(σ² + ε).",
)
def bn_eval(eval_input_grad):
    """In evaluation mode dL/dx = γ g / √(running_var + ε)."""
    layer, x, g = trained_batchnorm()
    gamma, var = layer.weight.data.copy(), layer.running_var.copy()
    training = copy.deepcopy(layer).train()
    training(x)
    yours = call(eval_input_grad, copy.deepcopy(layer), x.copy(), g.copy())
    expect_array(
        "your ∂L/∂x",
        yours,
        gamma * g / np.sqrt(var + layer.eps),
        tolerance=1e-9,
        mistakes=[
            (
                training.backward(g),
                "that is the training-mode gradient, with the paths "
                "through the batch's mean and variance. In evaluation mode "
                "μ and σ² are the running estimates, constants that no "
                "path from x reaches.",
            ),
            (
                gamma * g / np.sqrt(x.var(axis=0) + layer.eps),
                "you divide by the batch's standard deviation. Evaluation "
                "mode normalises with the running estimate, "
                "layer.running_var.",
            ),
            (
                g / np.sqrt(var + layer.eps),
                "γ (layer.weight) is missing: y = γ x̂ + β, so every "
                "gradient through x̂ is multiplied by γ.",
            ),
            (
                gamma * g / (var + layer.eps),
                "divide by the standard deviation √(σ² + ε), not by the "
                "variance.",
            ),
            (
                gamma * g / np.sqrt(var),
                "ε is missing: it sits inside the root, as in the forward "
                "pass.",
            ),
        ],
        otherwise="y = γ (x − μ) / √(σ² + ε) + β, with μ and σ² the "
        "running estimates: what is ∂y/∂x?",
    )


SCALES, CHUNKS = (0.5, 1.5), (5, 10, 15)


def w_ih_gradient(s, truncate, *, sign=True, delay=29, weight="W_ih"):
    """The gradient of ``weight`` of a fresh recall_network whose W_hh is
    s Q, on 64 sequences of 30 steps, with backpropagation through time
    truncated to chunks of ``truncate`` steps (None: the full pass)."""
    net = recall_network(hidden=16, truncate=truncate, seed=0)
    q, r = np.linalg.qr(np.random.default_rng(1).standard_normal((16, 16)))
    net.rnn.W_hh.data[:] = s * q * (np.sign(np.diag(r)) if sign else 1)
    X, y = delayed_recall(64, length=30, delay=delay, seed=0)
    loss = MSELoss()
    loss(net(X), y)
    net.backward(loss.backward())
    return getattr(net.rnn, weight).grad.copy()


def gaps(**options):
    """‖g_k − g‖ / ‖g‖ for each s (rows) and k (columns); also without
    the division, and divided by ‖g_k‖ instead."""
    relative, absolute, over_truncated = np.empty((3, 2, 3))
    for i, s in enumerate(SCALES):
        full = w_ih_gradient(s, None, **options)
        for j, k in enumerate(CHUNKS):
            truncated = w_ih_gradient(s, k, **options)
            absolute[i, j] = np.linalg.norm(truncated - full)
            relative[i, j] = absolute[i, j] / np.linalg.norm(full)
            over_truncated[i, j] = absolute[i, j] / np.linalg.norm(
                truncated
            )
    return relative, absolute, over_truncated


@exercise(
    "ch09-ex-truncation",
    "How much does truncation cut?",
    task="set truncation_gaps[s, k] to ‖g_k − g‖ / ‖g‖ for s in (0.5, "
    "1.5) and k in (5, 10, 15), g_k the gradient of W_ih truncated to "
    "chunks of k steps and g the full one",
    passed="right: with s = 0.5 truncation cuts what had nearly vanished "
    "anyway; with s = 1.5 it cuts most of the gradient.",
)
def truncation(truncation_gaps):
    """‖g_k − g‖ / ‖g‖, shrinking like s^k when s < 1; near 1 when s > 1."""
    if not isinstance(truncation_gaps, dict):
        raise Wrong(
            "truncation_gaps should be a dict with keys (s, k); got "
            f"{type(truncation_gaps).__name__}"
        )
    missing = [(s, k) for s in SCALES for k in CHUNKS]
    missing = [key for key in missing if key not in truncation_gaps]
    if missing:
        raise Wrong(
            f"truncation_gaps has no entry for (s, k) = {missing[0]}: "
            "it needs one for each s in (0.5, 1.5) and k in (5, 10, 15)."
        )
    yours = np.array(
        [
            [
                scalar(f"truncation_gaps[{s}, {k}]", truncation_gaps[s, k])
                for k in CHUNKS
            ]
            for s in SCALES
        ]
    )
    relative, absolute, over_truncated = gaps()

    def close(mine, other):
        return np.allclose(mine, other, rtol=1e-4, atol=0)

    if close(yours, relative):
        return
    hint = first_match(
        yours,
        [
            (
                absolute,
                "those are the norms of the differences. Divide each by "
                "the norm of the full gradient.",
            ),
            (
                over_truncated,
                "you divide by the norm of the truncated gradient. "
                "Measure against the full one.",
            ),
            (
                lambda: gaps(sign=False)[0],
                "your Q is orthogonal, but not the one of "
                "beyond_mlp.gradient_through_time: that multiplies q by "
                "np.sign(np.diag(r)).",
            ),
            (
                lambda: gaps(delay=3)[0],
                "the target is not the first input: delayed_recall's "
                "default delay is 3. For the first of 30 inputs, delay=29.",
            ),
            (
                lambda: gaps(weight="W_hh")[0],
                "those are the gaps of the gradient of W_hh. The "
                "exercise asks for W_ih's.",
            ),
        ],
        close,
    )
    if np.allclose(yours[0], yours[1], rtol=1e-4):
        hint = hint or (
            "your gaps are the same for s = 0.5 and s = 1.5. Set W_hh to "
            "s Q for each s before the forward pass."
        )
    if hint:
        raise Wrong(hint)
    i, j = np.unravel_index(
        np.argmax(np.abs(yours - relative) / relative), relative.shape
    )
    raise Wrong(
        f"truncation_gaps[{SCALES[i]}, {CHUNKS[j]}] is "
        f"{number(yours[i, j])}, but should be {number(relative[i, j])}. "
        "Build a fresh network for each gradient, so that no gradients "
        "accumulate, with W_hh = s Q as in gradient_through_time."
    )
