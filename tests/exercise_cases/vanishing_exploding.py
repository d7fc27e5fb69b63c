"""Chapter 6's exercises: right answers and planted errors."""

import numpy as np

import bpcore
from bpcore import examples
from tests.exercise_cases import Case

# the spiral batch, as the chapter makes it
X, y = bpcore.spiral(n_per_class=100, n_classes=3, seed=0)
cross_entropy = bpcore.CrossEntropyLoss()


def ratios(hidden_layers=(2, 3, 4), first=0, last=-1, square=False):
    """The gradient ratios, computed as a student might, right or wrong."""
    found = {}
    for activation in ["sigmoid", "relu"]:
        found[activation] = []
        for hidden in hidden_layers:
            model = bpcore.MLP([2] + [32] * hidden + [3], activation=activation, seed=0)
            norms = examples.layer_statistics(model, X, y, cross_entropy)[1]
            if square:
                norms = norms**2
            found[activation].append(norms[first] / norms[last])
    return found


right_ratios = ratios()


def units_without_gradient(zero_grad=True, step=True, axis=0, units=True):
    """The counts of the leaky exercise, computed as a student might."""
    counts = {}
    for activation in ["relu", "leaky_relu"]:
        model = bpcore.MLP([2, 64, 64, 3], activation=activation, seed=0)
        loss = bpcore.CrossEntropyLoss()
        loss(model(X), y)
        model.backward(loss.backward())
        if step:
            bpcore.optim.SGD(model.parameters(), lr=100.0).step()
            if zero_grad:
                model.zero_grad()
            loss(model(X), y)
            model.backward(loss.backward())
        grads = [model[i].W.grad for i in (0, 2)]
        if units:
            counts[activation] = [int(np.sum(np.all(g == 0, axis=axis))) for g in grads]
        else:
            counts[activation] = [int(np.sum(g == 0)) for g in grads]
    return counts


def he_samples(std_is_v=False, square=True, relu=True, variance=False, init="he"):
    """Part 3 of the He exercise, sampled as a student might."""
    rng = np.random.default_rng(0)
    v, n_in = 3.0, 64
    scale = v if std_is_v else np.sqrt(v)
    samples = rng.normal(0.0, scale, size=1_000_000)
    activations = np.maximum(samples, 0) if relu else samples
    if variance:
        second_moment = np.var(activations)
    else:
        second_moment = np.mean(activations**2 if square else activations)
    inputs = rng.normal(0.0, scale, size=(20_000, n_in))
    if relu:
        inputs = np.maximum(inputs, 0)
    W = (bpcore.init.he_normal if init == "he" else bpcore.init.xavier_normal)(n_in, 50, rng)
    return second_moment, np.var(inputs @ W)


def inputs_without_relu():
    """Part 1 right, but part 2 feeds the raw z_i into the layer."""
    second_moment, _ = he_samples()
    rng = np.random.default_rng(1)
    inputs = rng.normal(0.0, np.sqrt(3.0), size=(20_000, 64))
    return second_moment, np.var(inputs @ bpcore.init.he_normal(64, 50, rng))


CASES = {
    "ch06-ex-third-layer": Case(right_ratios, (X, y), [
        ({a: [1 / r for r in rs] for a, rs in right_ratios.items()}, "first over last"),
        (ratios(first=0, last=-2), "the output layer"),
        (ratios(square=True), "squared norms"),
        (ratios(hidden_layers=(1, 2, 3)), "already has two hidden layers"),
        ({"sigmoid": right_ratios["relu"], "relu": right_ratios["sigmoid"]}, "swapped"),
        ({"sigmoid": right_ratios["sigmoid"]}, "no entry for 'relu'"),
    ]),
    # accuracies as the chapter's solution measures them (the sigmoid's differs from
    # one computer to the next, below 0.6)
    "ch06-ex-swap": Case({"sigmoid": 0.45, "tanh": 0.99, "relu": 0.99}, (), [
        ({"sigmoid": 45.0, "tanh": 99.3, "relu": 99.3}, "not a percentage"),
        # history.loss[-1] instead of history.accuracy[-1]
        ({"sigmoid": 1.0986, "tanh": 0.0125, "relu": 0.0183}, "look like losses"),
        # a sigmoid network of two hidden layers, [2, 32, 32, 3]
        ({"sigmoid": 0.68, "tanh": 0.99, "relu": 0.99}, "ten hidden layers"),
        # plain SGD with lr=0.01 instead of Adam
        ({"sigmoid": 0.333, "tanh": 0.553, "relu": 0.8}, "Adam(model.parameters(), lr=0.01)"),
        ({"sigmoid": 0.45, "relu": 0.99}, "no entry for 'tanh'"),
    ]),
    "ch06-ex-leaky": Case(units_without_gradient(), (X, y), [
        (units_without_gradient(step=False), "fresh network"),
        (units_without_gradient(zero_grad=False), "model.zero_grad()"),
        (units_without_gradient(axis=1), "counted rows"),
        (units_without_gradient(units=False), "counted single weights"),
        ({"relu": [0, 0], "leaky_relu": [20, 20]}, "swapped"),
        ({"relu": [20, 19], "leaky_relu": [0, 0]}, "hidden layer 2 is 19"),
    ]),
    "ch06-ex-he": Case(he_samples(), (), [
        (he_samples(square=False), "without the square"),
        (he_samples(std_is_v=True), "standard deviation: √v"),
        (he_samples(relu=False), "without the ReLU"),
        (he_samples(variance=True), "not np.var"),
        (he_samples(init="xavier"), "Xavier"),
        (inputs_without_relu(), "not z_i"),
        ((1.5, 2 / 64), "variance of the weights"),
        ((1.3, 3.0), "to within 1%"),
    ]),
    "ch06-ex-clip": Case([0.25, 1], (), [
        ([0.25, 1, 5, 10], "not every one fits"),
        ([5, 10], "bounce at a large loss"),
        ([0.25], "clipped at 1 fits the curve too"),
        ([], "two of them fit"),
        ([0.25, 1, 5], "The run clipped at 5 ends above"),
        ([0.5, 1], "not one of the thresholds"),
    ]),
}
