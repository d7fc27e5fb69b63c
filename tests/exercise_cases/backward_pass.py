"""Chapter 5's exercises: right answers and planted errors (each asks for code or a number,
so none is unchecked)."""

import numpy as np

import bpcore
from tests.exercise_cases import Case

# the spiral data, and the network of the check of BP2, as the chapter makes them
X_spiral, y_spiral = bpcore.spiral(seed=0)
rng = np.random.default_rng(5)
general = bpcore.Sequential(
    bpcore.Linear(3, 4, rng=rng), bpcore.Tanh(), bpcore.Linear(4, 2, rng=rng), bpcore.Sigmoid()
)
for layer in general[::2]:
    layer.b.data[:] = rng.normal(0, 0.5, layer.b.data.shape)
X_general = rng.normal(size=(5, 3))
T_general = rng.uniform(size=(5, 2))
mse = bpcore.MSELoss()
mse(general(X_general), T_general)
signals = [mse.backward()]
for layer in reversed(general.layers):
    signals.append(layer.backward(signals[-1]))
(W1_g, b1_g), (W2_g, b2_g) = ((layer.W.data, layer.b.data) for layer in general[::2])
A1_g = np.tanh(X_general @ W1_g + b1_g)
A2_g = 1 / (1 + np.exp(-(A1_g @ W2_g + b2_g)))
grad_A2 = 2 * (A2_g - T_general) / T_general.size
delta2_g = grad_A2 * A2_g * (1 - A2_g)
delta1_loop = (delta2_g @ W2_g.T) * (1 - A1_g**2)


def two_layer_backprop_tanh(X, y, W1, b1, W2, b2):
    n, K = len(X), W2.shape[1]
    A1 = np.tanh(X @ W1 + b1)
    Z2 = A1 @ W2 + b2
    shifted = Z2 - Z2.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    Y = np.eye(K)[y]
    delta2 = (np.exp(log_P) - Y) / n
    delta1 = (delta2 @ W2.T) * (1 - A1**2)
    dW1, db1 = X.T @ delta1, delta1.sum(axis=0)
    dW2, db2 = A1.T @ delta2, delta2.sum(axis=0)
    return -np.sum(Y * log_P) / n, [dW1, db1, dW2, db2]


def tanh_backprop_planted(change):
    """two_layer_backprop_tanh with one planted error, named by ``change``."""

    def backprop(X, y, W1, b1, W2, b2):
        n, K = len(X), W2.shape[1]
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0) if change == "relu forward" else np.tanh(Z1)
        Z2 = A1 @ W2 + b2
        shifted = Z2 - Z2.max(axis=1, keepdims=True)
        log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        Y = np.eye(K)[y]
        delta2 = np.exp(log_P) - Y if change == "no 1/n" else (np.exp(log_P) - Y) / n
        slope = {
            "relu slope": Z1 > 0,
            "slope of Z1": 1 - Z1**2,
            "sigmoid slope": A1 * (1 - A1),
            "no slope": 1.0,
        }.get(change, 1 - A1**2)
        delta1 = (delta2 @ W2.T) * slope
        dW1 = delta1.T @ X if change == "transposed" else X.T @ delta1
        return -np.sum(Y * log_P) / n, [dW1, delta1.sum(axis=0), A1.T @ delta2,
                                        delta2.sum(axis=0)]

    return backprop


def two_layer_backprop_tanh_returning_a_flat_tuple(X, y, W1, b1, W2, b2):
    loss, gradients = two_layer_backprop_tanh(X, y, W1, b1, W2, b2)
    return loss, *gradients


contributions = [np.outer(X_general[i], delta1_loop[i]) for i in range(5)]
total = sum(contributions)
D2 = np.diag(A2_g[0] * (1 - A2_g[0]))
D1 = np.diag(1 - A1_g[0] ** 2)
from_left = (((grad_A2[0] @ D2) @ W2_g.T) @ D1) @ W1_g.T

CASES = {
    "ch05-ex-lr": Case(5, (), [
        (4, "still works"),
        (6, "later in the run"),
        (10, "chapter's grid"),
        (30, "diverged"),
        (2, "comes at a larger one"),
        (8, "also at a smaller rate"),
    ]),
    "ch05-ex-activation": Case(["relu", "tanh", "sigmoid"], (), [
        (["sigmoid", "tanh", "relu"], "slowest first"),
        (["tanh", "relu", "sigmoid"], "tanh is not ahead of ReLU"),
        (["relu", "sigmoid", "tanh"], "the sigmoid is not ahead of tanh"),
        (["relu", "tanh"], "each once"),
    ]),
    "ch05-ex-tanh": Case(two_layer_backprop_tanh, (X_spiral, y_spiral), [
        (tanh_backprop_planted("relu slope"), "still ReLU's"),
        (tanh_backprop_planted("slope of Z1"), "squares the input of tanh"),
        (tanh_backprop_planted("sigmoid slope"), "the sigmoid's derivative"),
        (tanh_backprop_planted("no slope"), "lacks the slope of tanh"),
        (tanh_backprop_planted("no 1/n"), "300 times too large"),
        (tanh_backprop_planted("relu forward"), "loss of the ReLU network"),
        (tanh_backprop_planted("transposed"), "transposed"),
        (two_layer_backprop_tanh_returning_a_flat_tuple, "should return (loss, [dW1"),
    ]),
    "ch05-ex-dead": Case(np.array([[1.0, 1.0]]), (), [
        (np.array([[1.0, 2.0]]), "worked example's own input"),
        (np.array([[0.0, 0.0]]), "0 is 0 in bpcore"),
        (np.array([[0.0, 1.0]]), "still blocks the error"),
        (np.array([[1.0, 0.0]]), "the weight from x2 still gets no gradient"),
        (np.array([[1.0], [1.0]]), "transposed"),
    ]),
    "ch05-ex-bp34": Case(contributions, (general, X_general, T_general), [
        ([np.outer(delta1_loop[i], X_general[i]) for i in range(5)], "it is transposed"),
        (total, "one per sample"),
        ([c / 5 for c in contributions], "divided by n once more"),
        ([total] * 5, "the whole gradient"),
        ([total / 5] * 5, "the mean of the contributions"),
        ([np.outer(X_general[i], A1_g[i]) for i in range(5)], "hidden activations A1"),
        ([np.outer(X_general[i], delta2_g[i] @ W2_g.T) for i in range(5)], "∂L/∂A1"),
    ]),
    "ch05-ex-jacobians": Case(from_left, (general, X_general, T_general), [
        (grad_A2[0] @ W2_g.T @ D1 @ W1_g.T, "sigmoid's slopes are missing"),
        (grad_A2[0] @ D2 @ W2_g.T @ W1_g.T, "tanh's slopes are missing"),
        (signals[-1].sum(axis=0), "sum over all 5 samples"),
        (2 * (A2_g[0] - T_general[0]) @ D2 @ W2_g.T @ D1 @ W1_g.T, "10 times too large"),
        (2 * (A2_g[0] - T_general[0]) / 5 @ D2 @ W2_g.T @ D1 @ W1_g.T, "2 times too large"),
        (-from_left, "its sign is wrong"),
    ]),
}
