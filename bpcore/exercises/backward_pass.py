"""Checks for the exercises of :doc:`/chapters/05_backward_pass`."""

import copy

import numpy as np

from ..layers import Linear, ReLU, Sequential
from ..losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from ..mlp import MLP
from .feedback import (
    Wrong,
    as_array,
    call,
    exercise,
    expect_array,
    expect_number,
    number,
)

# The smallest learning rate at which examples.train_spiral(lr) breaks
# down. The check does not train: the solution trains at every integer
# rate from 2 to 10 (nine runs of 300 epochs) and asserts it, and that
# the rates 2 to 4 are all "good".
_BREAKS_DOWN_AT = 5


@exercise(
    "ch05-ex-lr",
    "Where does training break down?",
    task="set breaks_down_at to the smallest learning rate, to within 1, "
    "at which the spiral network's training breaks down",
    passed="right: up to 4 the loss may rise a little, then recovers; "
    "from 5 on it shoots up to several times its start.",
)
def lr(breaks_down_at):
    """The solution's scan: 2, 3 and 4 train well, 5 to 10 break down."""
    right = _BREAKS_DOWN_AT
    if isinstance(breaks_down_at, (int, float, np.number)) and (
        right - 1 < breaks_down_at <= right
    ):
        return
    expect_number(
        "your learning rate",
        breaks_down_at,
        right,
        tolerance=1e-6,
        mistakes=[
            (
                right - 1,
                "at that rate training still works: the loss rises "
                "above its start once, then falls, and the network ends "
                "up good. Try the next rate up.",
            ),
            (
                right + 1,
                "training breaks down there, and one step lower too: "
                "there the loss shoots up later in the run. Look at the "
                "whole run, not only its first epochs.",
            ),
            (
                10,
                "10 is the first rate of the chapter's grid (two per "
                "factor of ten) that breaks down. Between 3 and 10, try "
                "every integer.",
            ),
            (
                30,
                "at 30 fit stops the run as diverged. Training breaks "
                "down before the loss diverges: look for a loss that "
                "shoots up above twice its start, which "
                "examples.training_regime calls too high.",
            ),
        ],
        otherwise=lambda yours: (
            "Training still works at that rate: the breakdown comes "
            "at a larger one."
            if yours < right
            else "Training breaks down there, but also at a smaller rate."
        ),
    )


# From the solution's asserts, at η = 1: after 300 epochs ReLU is at 90 %
# accuracy or more and tanh below it; after 1000 epochs tanh is at 90 %
# or more and the sigmoid below 80 %. The check does not train.
_FASTEST_FIRST = ("relu", "tanh", "sigmoid")


@exercise(
    "ch05-ex-activation",
    "Swap the activation",
    task='set fastest_to_slowest to the three activations "relu", "tanh" '
    'and "sigmoid", in the order in which they learn, fastest first',
    passed="right: ReLU and tanh pass the error back with slopes up to 1, "
    "the sigmoid with at most 1/4, so its first layer learns slowly.",
)
def activation(fastest_to_slowest):
    """ReLU learns the spirals in 300 epochs, tanh in 1000, sigmoid not."""
    try:
        yours = [str(name).strip().lower() for name in fastest_to_slowest]
    except TypeError:
        yours = None
    if yours is None or sorted(yours) != sorted(_FASTEST_FIRST):
        raise Wrong(
            "fastest_to_slowest should be a list of the three names "
            '"relu", "tanh" and "sigmoid", each once.'
        )
    if yours == list(_FASTEST_FIRST):
        return
    if yours == list(reversed(_FASTEST_FIRST)):
        raise Wrong(
            "that is the order slowest first. Which network is above "
            "90 % accuracy after 300 epochs?"
        )
    if yours.index("tanh") < yours.index("relu"):
        raise Wrong(
            "tanh is not ahead of ReLU: after 300 epochs at η = 1 the "
            "ReLU network is above 90 % accuracy, the tanh network below."
        )
    raise Wrong(
        "the sigmoid is not ahead of tanh: after 1000 epochs at η = 1 the "
        "tanh network is above 90 % accuracy, the sigmoid network far "
        "below. Its slope is at most 1/4."
    )


def _tanh_backprop(X, y, W1, b1, W2, b2, slope, forward=np.tanh):
    """two_layer_backprop with a tanh layer, and a chosen derivative."""
    n, K = len(X), W2.shape[1]
    Z1 = X @ W1 + b1
    A1 = forward(Z1)
    Z2 = A1 @ W2 + b2
    shifted = Z2 - Z2.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    Y = np.eye(K)[y]
    delta2 = (np.exp(log_P) - Y) / n
    delta1 = (delta2 @ W2.T) * slope(Z1, A1)
    gradients = [X.T @ delta1, delta1.sum(0), A1.T @ delta2, delta2.sum(0)]
    return -np.sum(Y * log_P) / n, gradients


def _relu(Z):
    return np.maximum(Z, 0)


# the usual wrong derivatives in place of tanh' = 1 - A1**2
_WRONG_SLOPES = [
    (
        lambda Z1, A1: Z1 > 0,
        "the derivative is still ReLU's, Z1 > 0. For tanh it is "
        "1 − tanh(Z1)² = 1 − A1**2.",
    ),
    (
        lambda Z1, A1: 1 - Z1**2,
        "1 − Z1**2 squares the input of tanh. Its derivative is "
        "1 − tanh(Z1)², which is 1 − A1**2.",
    ),
    (
        lambda Z1, A1: A1 * (1 - A1),
        "A1 * (1 − A1) is the sigmoid's derivative. tanh's is 1 − A1**2.",
    ),
    (
        lambda Z1, A1: 1.0,
        "δ1 lacks the slope of tanh: multiply δ2 W2ᵀ by 1 − A1**2.",
    ),
]
_GRADIENT_NAMES = ("dW1", "db1", "dW2", "db2")


@exercise(
    "ch05-ex-tanh",
    "A tanh hidden layer by hand",
    task="write two_layer_backprop_tanh(X, y, W1, b1, W2, b2)",
    passed="right: the loss and all four gradients agree with bpcore's "
    "tanh network. Only the activation and its derivative changed.",
)
def tanh(two_layer_backprop_tanh, X, y):
    """BP2 with tanh' = 1 - A1**2, against MLP([2, 50, 3], "tanh")."""
    network = MLP([2, 50, 3], activation="tanh", seed=0)
    weights = [parameter.data.copy() for parameter in network.parameters()]
    criterion = CrossEntropyLoss()
    right_loss = criterion(network(X), y)
    network.backward(criterion.backward())
    right = [parameter.grad for parameter in network.parameters()]
    with np.errstate(all="ignore"):
        answer = call(
            two_layer_backprop_tanh, X, y, *copy.deepcopy(weights)
        )
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Wrong(
            "two_layer_backprop_tanh should return (loss, [dW1, db1, dW2, "
            "db2]), as two_layer_backprop does."
        )
    loss, gradients = answer
    if not isinstance(gradients, (tuple, list)) or len(gradients) != 4:
        raise Wrong(
            "its second result should be the list [dW1, db1, dW2, db2]."
        )
    relu_loss, _ = _tanh_backprop(
        X, y, *weights, lambda Z1, A1: Z1 > 0, forward=_relu
    )
    expect_number(
        "your loss",
        loss,
        right_loss,
        tolerance=1e-9,
        mistakes=[
            (
                relu_loss,
                "that is the loss of the ReLU network: the forward pass "
                "should apply np.tanh to Z1.",
            )
        ],
    )
    n = len(X)
    wrong = [
        (_tanh_backprop(X, y, *weights, slope)[1], hint)
        for slope, hint in _WRONG_SLOPES
    ]
    for i, name in enumerate(_GRADIENT_NAMES):
        expect_array(
            f"your {name}",
            gradients[i],
            right[i],
            tolerance=1e-9,
            mistakes=[(grads[i], hint) for grads, hint in wrong]
            + [
                (
                    n * right[i],
                    f"it is {n} times too large: δ2 = (P − Y)/n, with "
                    "the 1/n of the mean loss.",
                ),
                (-right[i], "its sign is wrong: δ2 = (P − Y)/n."),
            ],
        )


# the worked example's weights and biases, as the chapter sets them
_WORKED = (
    np.array([[0.5, -0.3, 0.8], [0.2, 0.4, -0.6]]),
    np.array([0.1, 0.1, 0.0]),
    np.array([[0.7], [-0.5], [0.9]]),
    np.array([-0.2]),
)


@exercise(
    "ch05-ex-dead",
    "Waking the third unit",
    task="set x_awake to an input (1 by 2) for which the weights into "
    "the worked example's third hidden unit get a gradient",
    passed="right: with z3 > 0 the ReLU passes the error back, and each "
    "weight into h3 gets its input times δ3.",
)
def dead(x_awake):
    """h3 learns from x when z3 = 0.8 x1 - 0.6 x2 > 0; dW_i3 = x_i δ3."""
    if np.ndim(x_awake) == 1:
        x_awake = np.reshape(x_awake, (1, -1))
    x = as_array("x_awake", x_awake, (1, 2))
    network = Sequential(Linear(2, 3), ReLU(), Linear(3, 1))
    for parameter, value in zip(network.parameters(), _WORKED, strict=True):
        parameter.data[...] = value
    criterion = BCEWithLogitsLoss()
    criterion(network(x), np.ones((1, 1)))
    network.backward(criterion.backward())
    into_h3 = network[0].W.grad[:, 2]
    if np.all(into_h3 != 0):
        return
    z3 = float((x @ _WORKED[0] + _WORKED[1])[0, 2])
    if np.array_equal(x, [[1.0, 2.0]]):
        raise Wrong(
            "that is the worked example's own input, for which "
            "z3 = −0.4: h3 is off. Find another x."
        )
    if abs(z3) < 1e-12:
        raise Wrong(
            "z3 = 0.8 x1 − 0.6 x2 is 0 there, and ReLU's derivative at "
            "0 is 0 in bpcore (and in PyTorch): h3 still passes nothing "
            "back. Make z3 positive."
        )
    if z3 < 0:
        raise Wrong(
            f"z3 = 0.8 x1 − 0.6 x2 is {number(z3)} for your x, so the "
            "ReLU still blocks the error at h3. Choose x with "
            "0.8 x1 > 0.6 x2."
        )
    zero = " and ".join(f"x{i + 1}" for i in range(2) if into_h3[i] == 0)
    raise Wrong(
        f"h3 is on now (z3 = {number(z3)}), but the weight from {zero} "
        "still gets no gradient: a weight's gradient is its input times "
        f"δ3, and {zero} = 0. Choose x with both entries non-zero."
    )


def _backward_module_by_module(network, X, T):
    """bpcore's backward pass on a copy of ``network`` under MSELoss,
    keeping what each module returns, as the chapter's ``signals``."""
    network = copy.deepcopy(network)  # the chapter's stays as it is
    network.zero_grad()
    criterion = MSELoss()
    criterion(network(X), T)
    signals = [criterion.backward()]
    for layer in reversed(network.layers):
        signals.append(layer.backward(signals[-1]))
    return network, signals


@exercise(
    "ch05-ex-bp34",
    "Prove BP3 and BP4",
    task="set sample_contributions to the five samples' contributions to "
    "the first layer's dL/dW of the check of BP2, one matrix per sample",
    passed="right: each sample contributes the outer product of its input "
    "row with its error row, and only their sum is bpcore's 0.W.grad.",
)
def bp34(sample_contributions, general, X, T):
    """Sample i contributes x_iᵀ δ_i; the sum over i is Aᵀ δ (BP4)."""
    network, signals = _backward_module_by_module(general, X, T)
    X, dA1, delta1 = np.asarray(X, dtype=np.float64), signals[2], signals[3]
    (n, d), h = X.shape, delta1.shape[1]
    right = np.einsum("ij,ik->ijk", X, delta1)
    try:
        shape = np.shape(sample_contributions)
    except ValueError:
        shape = None
    if shape == (n, h, d):
        raise Wrong(
            f"each of your matrices has shape {(h, d)}, but should have "
            f"W's shape, {(d, h)}: it is transposed. The input comes "
            "first: np.outer(x_i, δ_i)."
        )
    if shape == (d, h):
        raise Wrong(
            f"your answer is one matrix. Give one per sample, {n} of them, "
            "each the outer product of the sample's input row with its "
            "error row."
        )
    A1 = np.tanh(X @ network[0].W.data + network[0].b.data)
    total = network[0].W.grad
    expect_array(
        "sample_contributions",
        sample_contributions,
        right,
        tolerance=1e-9,
        mistakes=[
            (
                right / n,
                "yours are divided by n once more. δ already holds the "
                "1/n of the mean loss: sample i contributes x_iᵀ δ_i.",
            ),
            (
                np.broadcast_to(total, right.shape),
                "each of yours is the whole gradient. A sample's own "
                "contribution is the outer product of its input row with "
                "its error row, and it takes all of them to add up to it.",
            ),
            (
                np.broadcast_to(total / n, right.shape),
                "each of yours is the mean of the contributions, the same "
                "for every sample. Each sample's own is x_iᵀ δ_i, and "
                "they differ.",
            ),
            (
                np.einsum("ij,ik->ijk", X, A1),
                "those pair each input with the hidden activations A1. "
                "BP4 pairs it with the error signal of the units the "
                "weights feed, δ1 = ∂L/∂Z1 (delta1_loop).",
            ),
            (
                np.einsum("ij,ik->ijk", X, dA1),
                "those use δ2 W2ᵀ, which is ∂L/∂A1. The error signal "
                "δ1 = ∂L/∂Z1 is that times tanh'(Z1) = 1 − A1**2.",
            ),
        ],
    )


@exercise(
    "ch05-ex-jacobians",
    "The four equations as products of matrices",
    task="set grad_x0 to ∂L/∂x for sample 0 of the check of BP2, "
    "computed as the product of the loss's gradient and the Jacobians",
    passed="right: ∇a L D2 W2ᵀ D1 W1ᵀ is ∂L/∂x, whichever way the "
    "product is grouped. From the left, every step is a row vector.",
)
def jacobians(grad_x0, general, X, T):
    """dL/dx = ∇a L D2 W2ᵀ D1 W1ᵀ, against bpcore's dL/dX of sample 0."""
    network, signals = _backward_module_by_module(general, X, T)
    X = np.asarray(X, dtype=np.float64)
    n, K = signals[0].shape
    right = signals[-1][0]
    if np.ndim(grad_x0) == 2 and np.shape(grad_x0)[0] == 1:
        grad_x0 = np.reshape(grad_x0, -1)  # a row vector is fine
    W1, W2 = network[0].W.data, network[2].W.data
    A1 = np.tanh(X[0] @ W1 + network[0].b.data)
    A2 = network(X)[0]
    D1, D2 = np.diag(1 - A1**2), np.diag(A2 * (1 - A2))
    grad_a2 = signals[0][0]
    expect_array(
        "your grad_x0",
        grad_x0,
        right,
        tolerance=1e-9,
        mistakes=[
            (
                grad_a2 @ W2.T @ D1 @ W1.T,
                "the sigmoid's slopes are missing: BP1 multiplies ∇a L by "
                "D2 first, with σ'(z) = a (1 − a) on its diagonal.",
            ),
            (
                grad_a2 @ D2 @ W2.T @ W1.T,
                "tanh's slopes are missing: BP2 multiplies by D1, with "
                "1 − a² on its diagonal, before W1ᵀ.",
            ),
            (
                signals[-1].sum(axis=0),
                f"that is the sum over all {n} samples. Take sample 0 "
                "alone: its row of ∇a L, D2 and D1.",
            ),
            (
                n * K * right,
                f"it is {n * K} times too large. ∇a L of MSELoss is "
                "2 (a − t)/(n K): the mean runs over every entry, "
                f"{n} samples times {K} outputs.",
            ),
            (
                K * right,
                f"it is {K} times too large. MSELoss averages over every "
                f"entry, n K = {n * K} of them, not only over the "
                f"{n} samples.",
            ),
            (-right, "its sign is wrong: ∇a L = 2 (a − t)/(n K)."),
        ],
    )
