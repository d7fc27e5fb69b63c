"""Chapter 3's exercises: right answers and planted errors."""

import math

import numpy as np

import bpcore
from bpcore import Dual
from tests.exercise_cases import Case

# every exercise of chapter 3 asks for code or a number it can check
UNCHECKED = {}


class Value:
    """The chapter's own Value, step 2, with the backward pass of step 3."""

    def __init__(self, data, parents=(), op="", local_grads=()):
        self.data = data
        self.grad = 0.0
        self.parents = parents
        self.op = op
        self.local_grads = local_grads

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

    @staticmethod
    def lift(x):
        return x if isinstance(x, Value) else Value(x)

    def __add__(self, other):
        other = Value.lift(other)
        return Value(self.data + other.data, (self, other), "+", (1.0, 1.0))

    def __mul__(self, other):
        other = Value.lift(other)
        return Value(self.data * other.data, (self, other), "*", (other.data, self.data))

    def __pow__(self, k):
        return Value(self.data**k, (self,), f"**{k}", (k * self.data ** (k - 1),))

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), "tanh", (1 - t**2,))

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def backward(self):
        order, visited = [], set()

        def visit(node):
            if node not in visited:
                visited.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad


# ch03-ex-sigmoid: the method, and the ways it goes wrong
def sigmoid(self):
    s = 1 / (1 + math.exp(-self.data))
    return Value(s, (self,), "sigmoid", (s * (1 - s),))


def sigmoid_with_tanhs_derivative(self):
    s = 1 / (1 + math.exp(-self.data))
    return Value(s, (self,), "sigmoid", (1 - s**2,))


def sigmoid_of_the_input(self):
    s = 1 / (1 + math.exp(-self.data))
    x = self.data
    return Value(s, (self,), "sigmoid", (x * (1 - x),))


def sigmoid_without_its_parent(self):
    s = 1 / (1 + math.exp(-self.data))
    return Value(s, (), "sigmoid", (s * (1 - s),))


def sigmoid_with_a_bare_local(self):
    s = 1 / (1 + math.exp(-self.data))
    return Value(s, (self,), "sigmoid", s * (1 - s))


def sigmoid_of_minus_x(self):
    s = 1 / (1 + math.exp(self.data))
    return Value(s, (self,), "sigmoid", (s * (1 - s),))


def sigmoid_as_a_float(self):
    return 1 / (1 + math.exp(-self.data))


def sigmoid_of_an_attribute(self):
    s = 1 / (1 + math.exp(-self.value))
    return Value(s, (self,), "sigmoid", (s * (1 - s),))


# ch03-ex-relu-neurons: the chapter's data, and its losses
xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ys = [1.0, -1.0, -1.0, 1.0]


def train(activation, value_weights=True):
    """The chapter's 3-4-4-1 network from seed 0, trained 20 steps: losses."""
    net = bpcore.MLP([3, 4, 4, 1], activation=activation)
    if value_weights:  # the draws of the chapter's Value MLP
        rng = np.random.default_rng(0)
        for linear in [m for m in net if isinstance(m, bpcore.Linear)]:
            n_in, n_out = linear.W.data.shape
            for j in range(n_out):
                linear.W.data[:, j] = [rng.uniform(-1, 1) for _ in range(n_in)]
                linear.b.data[j] = rng.uniform(-1, 1)
    X, Y = np.array(xs), np.array(ys).reshape(-1, 1)
    criterion, losses = bpcore.MSELoss(), []
    optimizer = bpcore.optim.SGD(net.parameters(), lr=0.1)
    for _ in range(20):
        optimizer.zero_grad()
        losses.append(criterion(net(X), Y))
        net.backward(criterion.backward())
        optimizer.step()
    return losses + [criterion(net(X), Y)]


relu_losses, tanh_losses = train("relu"), train("tanh")


# ch03-ex-two-outputs: F and G of the chapter, and Jacobians
def F(xs):
    n = len(xs)
    total = 0.0
    for i in range(n):
        total = total + xs[i] * xs[(i + 1) % n]
    return (total * (1.0 / n)).tanh()


def G(xs):
    n = len(xs)
    return F(xs), sum(x_i * x_i for x_i in xs) * (1.0 / n)


def jacobian_of_G(x):
    nodes = [bpcore.Value(v) for v in x]
    rows = []
    for output in G(nodes):
        output.backward()
        rows.append([node.grad for node in nodes])
    return np.array(rows)


def jacobian_by_forward_mode(x):
    columns = []
    for i in range(len(x)):
        outputs = G([Dual(v, 1.0 if j == i else 0.0) for j, v in enumerate(x)])
        columns.append([output.derivative for output in outputs])
    return np.array(columns).T


def jacobian_with_the_chapters_own_value(x):
    nodes = [Value(v) for v in x]
    rows = []
    for output in G(nodes):
        output.backward()  # adds to the grads of the first pass
        rows.append([node.grad for node in nodes])
    return np.array(rows)


def jacobian_read_after_both_passes(x):
    nodes = [bpcore.Value(v) for v in x]
    outputs = G(nodes)
    for output in outputs:
        output.backward()
    return np.array([[node.grad for node in nodes] for _ in outputs])


def jacobian_with_the_sum_of_squares(x):
    nodes = [bpcore.Value(v) for v in x]
    rows = []
    for output in (F(nodes), sum(v * v for v in nodes)):
        output.backward()
        rows.append([node.grad for node in nodes])
    return np.array(rows)


def jacobian_for_n_50(x):
    def G50(xs):
        total = 0.0
        for i in range(len(xs)):
            total = total + xs[i] * xs[(i + 1) % len(xs)]
        return (total * (1.0 / 50)).tanh(), sum(v * v for v in xs) * (1.0 / 50)

    nodes = [bpcore.Value(v) for v in x]
    rows = []
    for output in G50(nodes):
        output.backward()
        rows.append([node.grad for node in nodes])
    return np.array(rows)


def jacobian_transposed(x):
    return jacobian_of_G(x).T


# ch03-ex-memory: 128 rows of the input and of each hidden layer's Z and A
bytes64 = 128 * (64 + 2 * 64 + 2 * 32) * 8
bytes32 = bytes64 // 2


# ch03-ex-step: the central differences of tanh at 0.5
def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


steps = [10.0**-k for k in range(1, 14)]
exact = 1 - math.tanh(0.5) ** 2
errors = [abs(central_difference(math.tanh, 0.5, h) - exact) for h in steps]
best_step = steps[int(np.argmin(errors))]

CASES = {
    "ch03-ex-sigmoid": Case(sigmoid, (Value,), [
        (sigmoid_with_tanhs_derivative, "copies tanh's"),
        (sigmoid_of_the_input, "uses the input"),
        (sigmoid_without_its_parent, "should be (self,)"),
        (sigmoid_with_a_bare_local, "one local derivative per parent"),
        (sigmoid_of_minus_x, "that is σ(−x)"),
        (sigmoid_as_a_float, "not a Value"),
        (sigmoid_of_an_attribute, "AttributeError"),
    ]),
    "ch03-ex-relu-neurons": Case(relu_losses[-1], (xs, ys), [
        (tanh_losses[-1], "the tanh network's loss"),
        (tanh_losses[-2], "the tanh network's loss"),
        (relu_losses[0], "before training"),
        (train("relu", value_weights=False)[-1], "bpcore.MLP's own weights"),
        (0.5, "Train the chapter's MLP"),
    ]),
    "ch03-ex-two-outputs": Case(jacobian_of_G, (), [
        (jacobian_with_the_chapters_own_value, "also holds the first"),
        (jacobian_read_after_both_passes, "both rows are the gradient"),
        (jacobian_with_the_sum_of_squares, "2 x_i / n"),
        (jacobian_for_n_50, "divides by 50"),
        (jacobian_transposed, "one row per output"),
    ]),
    "ch03-ex-memory": Case((bytes64, bytes32), (), [
        ((128 * (2 * 64 + 2 * 32) * 8, bytes32), "keeps the input batch too"),
        ((128 * (64 + 3 * 64 + 3 * 32) * 8, bytes32), "count it once"),
        ((128 * (64 + 64 + 32) * 8, bytes32), "both its pre-activation Z"),
        ((128 * (64 + 2 * 64 + 2 * 32), bytes32), "counts numbers"),
        ((bytes64, bytes64), "half of float64's 8"),
        ((bytes64, 8 * bytes32), "counts bits"),
        ((bytes64, 52_560 // 2), "memory of the parameters"),
        ((bytes64,), "in float64, then in float32"),
    ]),
    "ch03-ex-step": Case(best_step, (), [
        (1e-13, "rounding errors"),
        (1e-8, "one-sided difference"),
        (1e-1, "the largest step"),
        (min(errors), "the smallest error, not the step"),
        (int(np.argmin(errors)), "a position in your list"),
        (1e-4, "other steps give less"),
        (3e-5, "not one of the steps"),
    ]),
}
