"""Chapter 9's exercises: right answers and planted errors."""

import numpy as np

import bpcore
from bpcore.examples import beyond_mlp
from tests.exercise_cases import Case

# the data of ch09-ex-scale, as the chapter makes it
X_spiral, y_spiral = bpcore.spiral(n_per_class=100, n_classes=3, seed=0)
mse = bpcore.MSELoss()


# ch09-ex-adam-l2
def one_step(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    optimizer([theta], lr=0.01, weight_decay=lam).step()
    return 1.0 - theta.data[0]


def where_the_weight_ends(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    optimizer([theta], lr=0.01, weight_decay=lam).step()
    return theta.data[0]


def the_change_of_the_weight(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    optimizer([theta], lr=0.01, weight_decay=lam).step()
    return theta.data - 1.0


def step_at_the_default_rate(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    optimizer([theta], weight_decay=lam).step()
    return 1.0 - theta.data[0]


def step_without_decay(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    optimizer([theta], lr=0.01).step()
    return 1.0 - theta.data[0]


def step_with_the_l2_gradient_by_hand(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    theta.grad = lam * theta.data
    optimizer([theta], lr=0.01, weight_decay=lam).step()
    return 1.0 - theta.data[0]


def two_steps(optimizer, lam):
    theta = bpcore.Parameter(np.array([1.0]))
    step = optimizer([theta], lr=0.01, weight_decay=lam)
    step.step()
    step.step()
    return 1.0 - theta.data[0]


# ch09-ex-dropout-variance
def dropout_variance(x, p):
    return x**2 * p / (1 - p)


def variance_without_the_scaling(x, p):
    return x**2 * p * (1 - p)


def second_moment(x, p):
    return x**2 / (1 - p)


def keep_probability_as_p(x, p):
    return x**2 * (1 - p) / p


def standard_deviation(x, p):
    return abs(x) * np.sqrt(p / (1 - p))


def x_not_squared(x, p):
    return x * p / (1 - p)


# ch09-ex-scale
def first_layer_gradient(a, eps=1e-12, scale_after=False):
    net = beyond_mlp.deep_network(15, "sigmoid", "xavier_normal", batchnorm=True)
    for layer in net:
        if isinstance(layer, bpcore.BatchNorm1d) and eps is not None:
            layer.eps = eps
    if not scale_after:
        net[0].W.data *= a
    net[0].b.data += 5.0
    loss = bpcore.CrossEntropyLoss()
    loss(net(X_spiral), y_spiral)
    net.backward(loss.backward())
    if scale_after:
        net[0].W.data *= a
    return net[0].W.grad.copy()


def norm_ratio(grad_10, grad_1):
    return np.linalg.norm(grad_10) / np.linalg.norm(grad_1)


grad_1, grad_10 = first_layer_gradient(1.0), first_layer_gradient(10.0)
gradient_ratio = norm_ratio(grad_10, grad_1)


# ch09-ex-bn-eval
def eval_input_grad(layer, x, g):
    return layer.weight.data * g / np.sqrt(layer.running_var + layer.eps)


def training_mode_grad(layer, x, g):
    layer.train()
    layer(x)
    return layer.backward(g)


def batch_variance_grad(layer, x, g):
    return layer.weight.data * g / np.sqrt(x.var(axis=0) + layer.eps)


def grad_without_gamma(layer, x, g):
    return g / np.sqrt(layer.running_var + layer.eps)


def grad_without_root(layer, x, g):
    return layer.weight.data * g / (layer.running_var + layer.eps)


def grad_without_eps(layer, x, g):
    return layer.weight.data * g / np.sqrt(layer.running_var)


def grad_with_a_wrong_name(layer, x, g):
    return layer.gamma * g / np.sqrt(layer.running_var + layer.eps)


# ch09-ex-truncation
def w_ih_gradient(s, truncate, sign=True, delay=29, weight="W_ih", net=None,
                  rescale=True):
    net = net or beyond_mlp.recall_network(hidden=16, truncate=truncate, seed=0)
    net.rnn.truncate = truncate
    q, r = np.linalg.qr(np.random.default_rng(1).standard_normal((16, 16)))
    if rescale:
        net.rnn.W_hh.data[:] = s * q * (np.sign(np.diag(r)) if sign else 1)
    X, y = beyond_mlp.delayed_recall(64, length=30, delay=delay, seed=0)
    mse(net(X), y)
    net.backward(mse.backward())
    return getattr(net.rnn, weight).grad.copy()


def gaps(measure=lambda truncated, full: np.linalg.norm(truncated - full)
         / np.linalg.norm(full), **options):
    cut = {}
    for s in (0.5, 1.5):
        full = w_ih_gradient(s, None, **options)
        for k in (5, 10, 15):
            cut[s, k] = measure(w_ih_gradient(s, k, **options), full)
    return cut


def gaps_of_one_network_reused():
    # no zero_grad between the backward passes: the gradients add up
    cut = {}
    for s in (0.5, 1.5):
        net = beyond_mlp.recall_network(hidden=16, seed=0)
        full = w_ih_gradient(s, None, net=net)
        for k in (5, 10, 15):
            cut[s, k] = np.linalg.norm(w_ih_gradient(s, k, net=net) - full) / np.linalg.norm(full)
    return cut


CASES = {
    "ch09-ex-adam-l2": Case(one_step, (), [
        (where_the_weight_ends, "where the weight ends"),
        (the_change_of_the_weight, "wrong sign"),
        (step_at_the_default_rate, "pass lr=0.01"),
        (step_without_decay, "pass weight_decay=lam"),
        (step_with_the_l2_gradient_by_hand, "leave .grad at 0"),
        (two_steps, "run one step"),
    ]),
    "ch09-ex-dropout-variance": Case(dropout_variance, (), [
        (variance_without_the_scaling, "without the scaling"),
        (second_moment, "that is E[y²]"),
        (keep_probability_as_p, "p and 1 − p are swapped"),
        (standard_deviation, "standard deviation"),
        (x_not_squared, "changes sign with x"),
        (lambda x, p: x**2 * p, "should be"),  # a guess
    ]),
    "ch09-ex-scale": Case(gradient_ratio, (X_spiral, y_spiral), [
        (norm_ratio(grad_1, grad_10), "gradient at W over that at 10 W"),
        (np.sum(grad_10**2) / np.sum(grad_1**2), "squared norms"),
        (norm_ratio(first_layer_gradient(10.0, scale_after=True), grad_1),
         "did not change"),
        (norm_ratio(first_layer_gradient(10.0, eps=None), first_layer_gradient(1.0, eps=None)),
         "default ε"),
        (0.5, "off by"),
    ]),
    "ch09-ex-bn-eval": Case(eval_input_grad, (), [
        (training_mode_grad, "training-mode gradient"),
        (batch_variance_grad, "the batch's standard deviation"),
        (grad_without_gamma, "γ (layer.weight) is missing"),
        (grad_without_root, "not by the variance"),
        (grad_without_eps, "ε is missing"),
        (grad_with_a_wrong_name, "raised AttributeError"),
    ]),
    "ch09-ex-truncation": Case(gaps(), (), [
        (gaps(lambda truncated, full: np.linalg.norm(truncated - full)), "norms of the differences"),
        (gaps(lambda truncated, full: np.linalg.norm(truncated - full)
              / np.linalg.norm(truncated)), "norm of the truncated gradient"),
        (gaps(sign=False), "not the one of"),
        (gaps(delay=3), "default delay is 3"),
        (gaps(weight="W_hh"), "gradient of W_hh"),
        (gaps(rescale=False), "the same for s = 0.5 and s = 1.5"),
        (gaps_of_one_network_reused(), "no gradients accumulate"),
        ({(0.5, 5): 0.1}, "no entry for"),
    ]),
}
