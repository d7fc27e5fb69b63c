"""Chapter 7's exercises: right answers and planted errors."""

import numpy as np

import bpcore
from bpcore.optim import SGD
from tests.exercise_cases import Case

# the line-fitting data of the mini-batch section, as the chapter makes it
rng = np.random.default_rng(0)
n = 256
x = rng.uniform(-1, 1, size=(n, 1))
y = 3 * x - 1 + 0.5 * rng.standard_normal((n, 1))


def line_loss(params):
    params = np.asarray(params)
    w_, b_ = params[..., 0, None], params[..., 1, None]
    return np.mean((w_ * x.ravel() + b_ - y.ravel()) ** 2, axis=-1)


def train_line_decaying(rate, epochs=20, seed=0):
    """Batch size 1, optimizer.lr = rate(t, position in the epoch) before each
    step: the training-set losses after every step, and the samples' own."""
    line = bpcore.Linear(1, 1)
    line.W.data[:] = 0.0
    line.b.data[:] = 0.0
    optimizer, loss_fn = SGD(line.parameters(), lr=0.05), bpcore.MSELoss()
    order_rng = np.random.default_rng(seed)
    params, sample_losses, t = [], [], 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for position, i in enumerate(order_rng.permutation(n)):
                optimizer.lr = rate(t, position)
                optimizer.zero_grad()
                sample_losses.append(loss_fn(line(x[i : i + 1]), y[i : i + 1]))
                line.backward(loss_fn.backward())
                optimizer.step()
                params.append((line.W.data[0, 0], line.b.data[0]))
                t += 1
        return line_loss(np.array(params)), np.array(sample_losses)




def numpy_line(rate, epochs=20, seed=0):
    """The same training written in NumPy, lr = rate(t, position in the epoch)."""
    w = b = 0.0
    order_rng, params, t = np.random.default_rng(seed), [], 0
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for position, i in enumerate(order_rng.permutation(n)):
                lr = rate(t, position)
                residual = w * x[i, 0] + b - y[i, 0]
                w, b = w - lr * 2 * residual * x[i, 0], b - lr * 2 * residual
                params.append((w, b))
                t += 1
        return line_loss(np.array(params))


decaying, decaying_samples = train_line_decaying(lambda t, i: 0.05 / (1 + t / n))
constant = numpy_line(lambda t, i: 0.05)
restarting = numpy_line(lambda t, i: 0.05 / (1 + i / n))
by_epoch = numpy_line(lambda t, i: 0.05 / (1 + (t // n) / n))
without_brackets = numpy_line(lambda t, i: 0.05 / 1 + t / n)


class AdamNoCorrection(bpcore.optim.Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps = betas[0], betas[1], eps
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            m += (1 - self.beta1) * (p.grad - m)
            s += (1 - self.beta2) * (p.grad**2 - s)
            p.data -= self.lr * m / (np.sqrt(s) + self.eps)


class StillCorrected(AdamNoCorrection):
    def step(self):
        self.t = getattr(self, "t", 0) + 1
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            m += (1 - self.beta1) * (p.grad - m)
            s += (1 - self.beta2) * (p.grad**2 - s)
            m_hat = m / (1 - self.beta1**self.t)
            s_hat = s / (1 - self.beta2**self.t)
            p.data -= self.lr * m_hat / (np.sqrt(s_hat) + self.eps)


class CorrectsOnlyS(AdamNoCorrection):
    def step(self):
        self.t = getattr(self, "t", 0) + 1
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            m += (1 - self.beta1) * (p.grad - m)
            s += (1 - self.beta2) * (p.grad**2 - s)
            s_hat = s / (1 - self.beta2**self.t)
            p.data -= self.lr * m / (np.sqrt(s_hat) + self.eps)


class SumsGradients(AdamNoCorrection):
    def step(self):
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            m *= self.beta1
            m += p.grad
            s += (1 - self.beta2) * (p.grad**2 - s)
            p.data -= self.lr * m / (np.sqrt(s) + self.eps)


class WithoutRoot(AdamNoCorrection):
    def step(self):
        for p, m, s in zip(self.params, self.m, self.s, strict=True):
            m += (1 - self.beta1) * (p.grad - m)
            s += (1 - self.beta2) * (p.grad**2 - s)
            p.data -= self.lr * m / (s + self.eps)


class SharedAverages(bpcore.optim.Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.beta1, self.beta2, self.eps = betas[0], betas[1], eps
        self.m, self.s = 0.0, 0.0

    def step(self):
        for p in self.params:
            self.m = self.beta1 * self.m + (1 - self.beta1) * p.grad
            self.s = self.beta2 * self.s + (1 - self.beta2) * p.grad**2
            p.data -= self.lr * self.m / (np.sqrt(self.s) + self.eps)


class NotAnOptimizer:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr = params, lr
        self.beta1, self.beta2, self.eps = betas[0], betas[1], eps
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.s = [np.zeros_like(p.data) for p in self.params]

    step = AdamNoCorrection.step


class OnlyInit(bpcore.optim.Optimizer):
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        self.m = [np.zeros_like(p.data) for p in self.params]


right_losses = {"momentum": [0.260, 0.051, 0.039, 0.559], "Adam": [0.111, 0.042, 0.036, 0.702]}

CASES = {
    "ch07-ex-threshold": Case({0.5: 1.5, 0.9: 1.9}, (), [
        ({0.5: 1.0, 0.9: 1.0}, "plain gradient descent's threshold"),
        # bisection with the slope w - 2 instead of 2 (w - 2)
        ({0.5: 3.0, 0.9: 3.8}, "slope of (w − 2)²"),
        ({0.5: 0.5, 0.9: 0.1}, "not lower"),
        # bisection with nesterov=True
        ({0.5: 0.75, 0.9: 0.6786}, "Nesterov"),
        ({0.5: 1.9, 0.9: 1.5}, "swapped"),
        ({0.5: 1.6, 0.9: 1.9}, "already diverges"),
        ({0.5: 1.5, 0.9: 1.7}, "still converges"),
        ({0.5: 1.5}, "no entry for 0.9"),
    ]),
    "ch07-ex-bias": Case(AdamNoCorrection, (), [
        (StillCorrected, "bias correction included"),
        (CorrectsOnlyS, "still divide s"),
        (SumsGradients, "moving average"),
        (WithoutRoot, "square root"),
        (SharedAverages, "one m and one s for each parameter"),
        (NotAnOptimizer, "subclass bpcore.optim.Optimizer"),
        (OnlyInit, "no step() of its own"),
        (bpcore.optim.Adam(
            [bpcore.Parameter(np.zeros(1))], lr=0.1), "should be a class"),
    ]),
    # the final losses the chapter's solution prints
    "ch07-ex-lrs": Case(right_losses, (), [
        # history.accuracy[-1] instead of history.loss[-1]
        ({"momentum": [0.885, 0.975, 0.98, 0.68], "Adam": [0.965, 0.985, 0.985, 0.53]},
         "look like accuracies"),
        ({name: values[::-1] for name, values in right_losses.items()}, "from 1.0 down"),
        ({"momentum": right_losses["Adam"], "Adam": right_losses["momentum"]}, "swapped"),
        # SGD without momentum=0.9
        ({"momentum": [0.453, 0.259, 0.064, 0.048], "Adam": right_losses["Adam"]},
         "momentum=0.9"),
        # full batches: Adam at 1.0 diverges, recorded as inf
        ({"momentum": [0.485, 0.279, 0.054, 0.033], "Adam": [0.363, 0.068, 0.034, np.inf]},
         "holds infinity"),
        # 10 epochs instead of 100
        ({"momentum": [0.463, 0.269, 0.123, 0.527], "Adam": [0.378, 0.172, 0.102, 0.419]},
         "batch_size=16"),
        ({"momentum": right_losses["momentum"]}, "no entry for 'Adam'"),
    ]),
    "ch07-ex-decay": Case(decaying[-n:].mean(), (x, y), [
        (constant[-n:].mean(), "constant rate's loss"),
        (restarting[-n:].mean(), "starts again at 0"),
        (by_epoch[-n:].mean(), "counts epochs"),
        (decaying.mean(), "all 20 epochs"),
        (decaying_samples[-n:].mean(), "single samples' losses"),
        (without_brackets[-n:].mean(), "Mind the brackets"),
    ]),
    "ch07-ex-critical": Case({0.1: 0.135, 0.6: 0.302}, (), [
        ({0.1: 0.368, 0.6: -0.549}, "Square it"),
        ({0.1: 0.368, 0.6: 0.549}, "size of the double root"),
        ({0.1: 0.468, 0.6: 0.051}, "left out the curvature"),
        ({0.1: 2.665, 0.6: 6.498}, "other root of the discriminant"),
        ({0.1: 0.36, 0.6: 1.96}, "square root of ηλ"),
        ({0.1: 0.135, 0.6: 0.35}, "two different roots"),
    ]),
    "ch07-ex-kappa": Case(10.0, (), [
        (100, "that is κ"),
        (691, "gradient descent needs"),
        (69, "momentum needs"),
        (0.98 / 0.818, "ratio of the two rates"),
        (0.1, "the inverse"),
        (5.0, "ln 10⁶ / ln(1/rate), with the rate of each method"),
    ]),
    "ch07-ex-adamw": Case(12, (), [
        (1, "AdamW's λ"),
        (10, "the estimate is rough"),
        (0.1, "not smaller"),
        (100, "not its square"),
        (20, "a smaller λ gets closer"),
        (-1, "≥ 0"),
    ]),
}

