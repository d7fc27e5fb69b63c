"""Checks for the exercises of :doc:`/chapters/03_autodiff`."""

import math

import numpy as np

from ..functions import sigmoid as sigma
from ..layers import Linear
from ..losses import MSELoss
from ..mlp import MLP
from ..value import Value as LibraryValue
from .feedback import (
    Wrong,
    as_array,
    call,
    exercise,
    expect_array,
    expect_number,
    number,
    rows,
)


def value_node(what, node, parent):
    """Raise :class:`Wrong` unless ``node`` is a Value made from
    ``parent`` alone, with one local derivative."""
    if not all(
        hasattr(node, k) for k in ("data", "parents", "local_grads")
    ):
        raise Wrong(
            f"{what} returned a {type(node).__name__}, not a Value. Make a "
            "new Value as tanh does: its data, its parents, its op and its "
            "local derivatives."
        )
    parents = tuple(node.parents)
    if len(parents) != 1 or parents[0] is not parent:
        raise Wrong(
            f"the parents of {what} are {parents!r}, but should be "
            "(self,), the Value it was computed from: the backward pass "
            "follows them back to x."
        )
    local = node.local_grads
    if not isinstance(local, (tuple, list)) or len(local) != 1:
        raise Wrong(
            f"the local_grads of {what} are {local!r}: they "
            "should hold one local derivative per parent, a tuple (local,)."
        )


@exercise(
    "ch03-ex-sigmoid",
    "A new operation",
    task="write sigmoid(self), which returns σ of the Value self as a new "
    "Value, with its parent and its local derivative",
    passed="right: the new node holds σ(x), its parent and σ(x)(1 − σ(x)), "
    "and the backward pass carries gradients through it.",
)
def new_operation(sigmoid, Value):
    """sigmoid(Value(x)) holds σ(x), parent x, local σ(x)(1 - σ(x))."""
    for x in (-2.0, 0.0, 3.0):
        node, s = Value(x), float(sigma(x))
        out = call(sigmoid, node)
        what = f"sigmoid(Value({x:g}))"
        value_node(what, out, node)
        expect_number(
            f"{what}.data",
            out.data,
            s,
            tolerance=1e-9,
            mistakes=[
                (1 - s, "that is σ(−x): σ(x) = 1/(1 + e^{−x})."),
                (math.tanh(x), "that is tanh(x), not σ(x)."),
            ],
        )
        expect_number(
            f"its local derivative at x = {x:g}",
            out.local_grads[0],
            s * (1 - s),
            tolerance=1e-9,
            mistakes=[
                (s, "that is σ(x) itself; its slope is σ(x)(1 − σ(x))."),
                (
                    1 - s**2,
                    "1 − σ² copies tanh's 1 − tanh²; the sigmoid's "
                    "slope is σ(1 − σ).",
                ),
                (
                    x * (1 - x),
                    "x(1 − x) uses the input; the slope is "
                    "s(1 − s) with s = σ(x), the result.",
                ),
                (
                    1 - s,
                    "that is e^{−x}/(1 + e^{−x}) = 1 − σ(x), without "
                    "the square of the denominator: σ' = σ(1 − σ).",
                ),
            ],
        )

    def sigmoid_ab_times_a(a, b, sigmoid=sigmoid):  # a: two paths
        out = sigmoid(a * b) * a
        out.backward()
        return [a.grad, b.grad]

    library = LibraryValue(0.8), LibraryValue(-1.3), LibraryValue.sigmoid
    right = sigmoid_ab_times_a(*library)
    expect_array(
        "the gradient (d/da, d/db) of sigmoid(a b) a",
        call(sigmoid_ab_times_a, Value(0.8), Value(-1.3)),
        right,
        tolerance=1e-9,
    )


def value_network(sizes, activation, seed=0):
    """bpcore.MLP with the weights the chapter's MLP(sizes, seed) draws:
    neuron by neuron, its weights, then its bias."""
    net = MLP(sizes, activation=activation)
    rng = np.random.default_rng(seed)
    for linear in (m for m in net if isinstance(m, Linear)):
        n_in, n_out = linear.W.data.shape
        draws = rng.uniform(-1, 1, (n_out, n_in + 1))
        linear.W.data[:], linear.b.data[:] = draws[:, :n_in].T, draws[:, -1]
    return net


def trained_losses(net, X, Y, steps=20, eta=0.1):
    """The loss before the first step, before the last, and after it."""
    criterion, losses = MSELoss(), []
    for _ in range(steps):
        net.zero_grad()
        losses.append(criterion(net(X), Y))
        net.backward(criterion.backward())
        for p in net.parameters():
            p.data -= eta * p.grad
    return losses[0], losses[-1], criterion(net(X), Y)


@exercise(
    "ch03-ex-relu-neurons",
    "ReLU neurons",
    task="set relu_final_loss to the ReLU network's loss after its 20 "
    "steps of training",
    passed="right: the loss stops at about 1, the loss of predicting the "
    "mean target, 0, for every sample: every hidden ReLU is dead, and only "
    "the output's bias still learns.",
)
def relu_neurons(final_loss, xs, ys):
    """The 3-4-4-1 network of the chapter, ReLU hidden, trained 20 steps
    (with bpcore's layers, whose gradients the chapter shows equal)."""
    X, Y = np.asarray(xs, float), np.asarray(ys, float).reshape(-1, 1)
    start, _, right = trained_losses(
        value_network([3, 4, 4, 1], "relu"), X, Y
    )
    _, *tanh = trained_losses(value_network([3, 4, 4, 1], "tanh"), X, Y)
    library = trained_losses(MLP([3, 4, 4, 1], activation="relu"), X, Y)[2]
    tanh_hint = (
        "that is the tanh network's loss. Make the hidden neurons call "
        "z.relu() instead of z.tanh()."
    )
    expect_number(
        "your loss",
        final_loss,
        right,
        tolerance=5e-4,
        mistakes=[
            (tanh[0], tanh_hint),
            (tanh[1], tanh_hint),
            (start, "that is the loss before training, at the first step."),
            (
                library,
                "that is the loss of bpcore.MLP's own weights. Start "
                "from the weights of the chapter's MLP([3, 4, 4, 1], "
                "seed=0), copied across with to_layers, or train the "
                "Value network.",
            ),
        ],
        otherwise="Train the chapter's MLP([3, 4, 4, 1], seed=0) with ReLU "
        "hidden neurons for 20 steps with η = 0.1, then compute its loss.",
    )


def jacobian(x, n=None):
    """G(x) = (tanh(mean of x_i x_{i+1}), mean of x_i²); n the divisor."""
    n = len(x) if n is None else n
    neighbours = np.roll(x, -1) + np.roll(x, 1)  # ∂(Σ x_i x_{i+1})/∂x_i
    F = math.tanh(float(np.sum(x * np.roll(x, -1))) / n)
    return np.array([(1 - F**2) * neighbours / n, 2 * x / n])


@exercise(
    "ch03-ex-two-outputs",
    "Two outputs",
    task="write jacobian_of_G(x), the 2 by n Jacobian of G at the n "
    "numbers x",
    passed="right: reverse mode needs one forward pass and one backward "
    "pass per output, forward mode one pass per input.",
)
def two_outputs(jacobian_of_G):
    """Row i is the gradient of output i, checked at n = 50 and n = 7."""
    for n in (50, 7):
        x = np.random.default_rng(2).uniform(-1, 1, n)
        right, name = jacobian(x), f"jacobian_of_G(x) with n = {n}"
        yours = rows(
            name,
            call(jacobian_of_G, x),
            (2, n),
            "J has one row per output and one column per input.",
        )
        expect_array(
            name,
            yours,
            right,
            tolerance=1e-9,
            mistakes=[
                (
                    [right[0], right[0] + right[1]],
                    "its second row also "
                    "holds the first: the grads of the first backward pass "
                    "were still there. bpcore.Value.backward zeroes them; "
                    "the chapter's own Value does not.",
                ),
                (
                    [right[1], right[1]],
                    "both rows are the gradient of the second output: "
                    "read the grads after each backward pass, before the "
                    "next one.",
                ),
                (
                    [right[0], 2 * x],
                    "the second output is a mean, "
                    "(1/n) Σ x_i², so its gradient is 2 x_i / n.",
                ),
                (
                    jacobian(x, n=50),
                    "your G divides by 50 whatever the "
                    "length of x: take n = len(xs).",
                ),
            ],
        )


def cache_and_parameter_bytes(sizes, batch, dtype):
    """Bytes of the distinct arrays bpcore.MLP(sizes, "tanh") keeps for
    backward after a forward pass, and bytes of its parameters."""
    net = MLP(sizes, activation="tanh", dtype=dtype)
    net(np.random.default_rng(3).random((batch, sizes[0])).astype(dtype))
    kept = [getattr(m, k, None) for m in net for k in ("_input", "_output")]
    distinct = {id(a): a for a in kept if a is not None}
    return (
        sum(a.nbytes for a in distinct.values()),
        sum(p.data.nbytes for p in net.parameters()),
    )


@exercise(
    "ch03-ex-memory",
    "The cache of another network",
    task="set predicted_cache to the bytes you predict the network keeps "
    "for backward: (in float64, in float32)",
    passed="right: the input and each hidden layer's Z and A are kept, so "
    "the cache grows with the batch, and float32 halves it.",
)
def memory(predicted):
    """Input 128 x 64, then Z and A of each hidden layer, once each."""
    predicted = rows(
        "predicted_cache",
        predicted,
        (2,),
        "Give two numbers of bytes: in float64, then in float32.",
    )
    batch, hidden = 128, 64 + 32
    for dtype, yours in zip(
        (np.float64, np.float32), predicted, strict=True
    ):
        right, weights = cache_and_parameter_bytes(
            [64, 64, 32, 10], batch, dtype
        )
        size, name = np.dtype(dtype).itemsize, np.dtype(dtype).name
        mistakes = [
            (
                right - batch * 64 * size,
                "the first Linear layer keeps "
                "the input batch too, 128 by 64 numbers.",
            ),
            (
                right + batch * hidden * size,
                "an activation's output is the very array the next "
                "Linear keeps as its input: count it once.",
            ),
            (
                right - batch * hidden * size,
                "each hidden layer keeps both "
                "its pre-activation Z and its activation A.",
            ),
            (
                right + batch * 10 * size,
                "the last Linear keeps only its "
                "input; the network's output is not in the cache.",
            ),
            (
                right // size,
                f"that counts numbers, not bytes: in {name} "
                f"each takes {size} bytes.",
            ),
            (8 * right, "that counts bits, not bytes: a byte is 8 bits."),
            (
                weights,
                "that is the memory of the parameters, not of the cache.",
            ),
        ]
        if size == 4:
            mistakes.append(
                (
                    2 * right,
                    "a float32 number takes 4 bytes, half of float64's 8.",
                )
            )
        expect_bytes(f"your {name} prediction", yours, right, mistakes)


def expect_bytes(name, yours, right, mistakes):
    """Return if ``yours`` is ``right``, a count of bytes; otherwise raise
    :class:`Wrong`, with the hint of the mistake it is, if any."""
    if yours == right:
        return
    for wrong, hint in mistakes:
        if yours == wrong:
            raise Wrong(f"{name} is {yours:,.0f} bytes: {hint}")
    raise Wrong(
        f"{name} is {yours:,.0f} bytes, "
        + ("more" if yours > right else "less")
        + " than the layers keep. Count the input, and each hidden "
        "layer's Z and A, each with one row per sample."
    )


#: the steps h of ch03-ex-step
STEPS = [10.0**-k for k in range(1, 14)]


def step_errors(tanh, x=0.5):
    """|central difference of tanh at x - (1 - tanh² x)| for each step."""
    exact = 1 - math.tanh(x) ** 2
    return [
        abs(float(tanh(x + h) - tanh(x - h)) / (2 * h) - exact)
        for h in STEPS
    ]


@exercise(
    "ch03-ex-step",
    "The accuracy price of finite differences",
    task="set best_h to the step h whose central difference has the "
    "smallest error",
    passed="right: a smaller h cuts the formula's error like h², until the "
    "rounding error, about 10⁻¹⁶/h, takes over.",
)
def accuracy_price(best_h):
    """The best step balances h² against 1e-16 / h: near 1e-5 or 1e-6
    (which one depends on the last bits of tanh, so both pass)."""
    errors = [step_errors(math.tanh), step_errors(np.tanh)]
    good = {
        h
        for e in errors
        for h, err in zip(STEPS, e, strict=True)
        if err <= 10 * min(e)
    }
    yours = positive_number("best_h", best_h)
    if any(math.isclose(yours, h, rel_tol=1e-6) for h in good):
        return
    mistakes = [
        (
            1e-13,
            "the smallest step gives almost the largest error: below "
            "the best step, rounding errors of about 10⁻¹⁶/h grow as h "
            "shrinks.",
        ),
        (
            1e-8,
            "1e-8 is about the best step of the one-sided difference "
            "(f(x + h) − f(x))/h, whose error falls only like h. The "
            "central difference's falls like h², so its best step is "
            "larger.",
        ),
        (
            1e-1,
            "the largest step gives the largest error: the formula's "
            "own error grows like h².",
        ),
        *(
            (
                min(e),
                "that is the smallest error, not the step that gives it.",
            )
            for e in errors
        ),
    ]
    for wrong, hint in mistakes:
        if math.isclose(yours, wrong, rel_tol=1e-3):
            raise Wrong(f"best_h is {number(yours)}: {hint}")
    if yours >= 1 and yours.is_integer():
        raise Wrong(
            f"best_h is {number(yours)}: that looks like a position in "
            "your list of steps, or an exponent, not a step h."
        )
    if not any(math.isclose(yours, h, rel_tol=1e-6) for h in STEPS):
        raise Wrong(
            f"best_h is {number(yours)}, which is not one of the steps "
            "tried, 1e-1, 1e-2, ..., 1e-13."
        )
    error = errors[0][min(range(13), key=lambda k: abs(STEPS[k] - yours))]
    raise Wrong(
        f"at h = {number(yours)} the error is {number(error, 2)}, and "
        "other steps give less. Compare the errors of all thirteen steps."
    )


def positive_number(name, yours):
    """``yours`` as a positive float, or :class:`Wrong` why not."""
    value = float(as_array(name, yours, ()))
    if value <= 0:
        raise Wrong(f"{name} is {number(value)}, but a step is positive.")
    return value
