"""Chapter 9's experiments: weight decay, dropout, batch norm, recurrence.

A wide network on a few noisy points (what weight decay and dropout do to a
model that overfits), Adam's L2 term against AdamW's decoupled decay, the
backward pass of batch normalisation along its three paths and its effect
on chapter 6's gradient flow, and a recurrent network trained with
backpropagation through time on a delayed-recall task.
"""

from dataclasses import dataclass, field

import numpy as np

from ..data import spiral
from ..dropout import Dropout
from ..init import normal
from ..layers import Linear, Module, Parameter, Sequential, Tanh
from ..losses import CrossEntropyLoss, MSELoss
from ..mlp import make_activation
from ..normalization import BatchNorm1d
from ..optim import Adam, AdamW
from ..recurrent import RNN
from ..train import train_step
from .gradient_flow import GRADIENT_FLOW_SETUPS, layer_statistics

# --- weight decay and dropout: a wide network on a few noisy points

#: The noise of :func:`noisy_sine`: the best mean squared error any model
#: can reach on held-out points is its square, 0.09.
SINE_NOISE = 0.3


def noisy_sine(n, *, noise=SINE_NOISE, seed=0):
    """``n`` points x ~ U(-1, 1) with y = sin(π x) + N(0, noise²).

    Returns (X, y), both of shape (n, 1).

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (n, 1))
    return X, np.sin(np.pi * X) + rng.normal(0.0, noise, X.shape)


def wide_network(*, width=100, steepness=4.0, dropout=0.0, seed=0):
    """One hidden layer of ``width`` steep tanh units, one output.

    The first layer's weights are drawn from N(0, steepness²) and its biases
    from U(-steepness, steepness), so the units are steep steps spread over
    [-1, 1]: a basis that can bend through any few points. With ``dropout``
    > 0 a Dropout(p = dropout) sits after the hidden layer (its masks
    seeded by ``seed``).

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    rng = np.random.default_rng(seed)
    hidden = Linear(1, width, rng=rng)
    hidden.W.data[:] = rng.normal(0.0, steepness, (1, width))
    hidden.b.data[:] = rng.uniform(-steepness, steepness, width)
    layers = [hidden, Tanh()]
    if dropout:
        layers.append(Dropout(dropout, rng=seed))
    layers.append(Linear(width, 1, rng=rng))
    return Sequential(*layers)


def weight_norm(model):
    """√(Σ ‖W‖²) over the weight matrices of ``model`` (biases left out)."""
    return float(
        np.sqrt(sum(np.sum(W.data**2) for _, W in model.named_weights()))
    )


@dataclass
class FullBatchRecord:
    """What :func:`train_full_batch` measured, every ``every`` steps.

    ``steps`` are the step counts (0 = before training); ``train_loss`` and
    ``held_out_loss`` the losses in evaluation mode; ``weight_norm`` as
    :func:`weight_norm`.
    """

    steps: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    held_out_loss: list = field(default_factory=list)
    weight_norm: list = field(default_factory=list)


def train_full_batch(
    model, loss, optimizer, X, y, steps, *, held_out=None, every=10
):
    """``steps`` steps of ``train_step`` on the whole of (X, y).

    Every ``every`` steps (and at 0 and at the end) the model is measured in
    evaluation mode, on (X, y) and on ``held_out`` = (X, y) if given;
    training steps run in training mode. Returns a
    :class:`FullBatchRecord`. X may have any shape the model takes (a
    sequence batch (n, T, features) too).

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    record = FullBatchRecord()

    def measure(step):
        model.eval()
        record.steps.append(step)
        record.train_loss.append(loss(model(X), y))
        if held_out is not None:
            record.held_out_loss.append(
                loss(model(held_out[0]), held_out[1])
            )
        record.weight_norm.append(weight_norm(model))
        model.train()

    measure(0)
    for step in range(1, steps + 1):
        train_step(model, loss, optimizer, X, y)
        if step % every == 0 or step == steps:
            measure(step)
    return record


def fit_curve(model, x_grid):
    """The model's predictions at the points ``x_grid``, in eval mode.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    model.eval()
    return model(np.asarray(x_grid, dtype=np.float64).reshape(-1, 1))[:, 0]


def decay_paths(
    decoupled,
    *,
    gradient_scales=(0.0, 0.1, 1.0, 10.0),
    lr=0.01,
    weight_decay=0.1,
    steps=500,
    n_weights=1000,
    seed=0,
):
    """The mean of weights that start at 1 under Adam's L2 term or AdamW.

    One group of ``n_weights`` weights per entry s of ``gradient_scales``;
    at every step each weight gets a data gradient s · N(0, 1), fresh noise
    with mean 0, so only the decay pulls the weights' mean toward 0.
    ``decoupled`` False: ``Adam(weight_decay=λ)``, the gradient g + λ θ
    enters the moment estimates and is divided by their root; True:
    ``AdamW(weight_decay=λ)``, θ ← θ (1 - η λ) then Adam's step on g.
    Returns an array (steps + 1, groups): each group's mean weight after
    each step, starting with 1.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """

    scales = np.asarray(gradient_scales, dtype=np.float64)
    theta = Parameter(np.ones((len(scales), n_weights)), "theta")
    make = AdamW if decoupled else Adam
    optimizer = make([theta], lr=lr, weight_decay=weight_decay)
    rng = np.random.default_rng(seed)
    means = [theta.data.mean(axis=1)]
    for _ in range(steps):
        theta.grad = scales[:, None] * rng.standard_normal(theta.data.shape)
        optimizer.step()
        means.append(theta.data.mean(axis=1))
    return np.array(means)


# --- batch normalisation


def batchnorm_backward_paths(x, gamma, grad_output, eps=1e-5):
    """∂L/∂x of batch norm (training mode), path by path, unsimplified.

    With μ, σ² the batch mean and biased variance, x̂ = (x - μ)/√(σ² + ε)
    and ĝ = γ g: the direct path ĝ/√(σ² + ε); the path through σ²,
    ∂L/∂σ² · 2 (x - μ)/n with ∂L/∂σ² = -½ Σ ĝ (x - μ) (σ² + ε)^(-3/2); the
    path through μ, ∂L/∂μ / n with ∂L/∂μ = -Σ ĝ/√(σ² + ε) + ∂L/∂σ² · Σ
    -2 (x - μ)/n (whose second term is zero). Returns the three, in that
    order; their sum is ∂L/∂x.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    x = np.asarray(x, dtype=np.float64)
    g = np.asarray(grad_output, dtype=np.float64)
    n = len(x)
    mean = x.mean(axis=0)
    centred = x - mean
    var = (centred**2).mean(axis=0)
    inv_std = 1 / np.sqrt(var + eps)
    grad_x_hat = gamma * g
    grad_var = -0.5 * np.sum(grad_x_hat * centred, axis=0) * inv_std**3
    grad_mean = -np.sum(grad_x_hat, axis=0) * inv_std + grad_var * np.mean(
        -2 * centred, axis=0
    )
    direct = grad_x_hat * inv_std
    through_var = grad_var * 2 * centred / n
    through_mean = np.broadcast_to(grad_mean / n, x.shape).copy()
    return direct, through_var, through_mean


#: The setups of the batch-norm comparison: three of chapter 6's networks
#: whose gradients fail, label -> (activation, init).
BATCHNORM_SETUPS = {
    label: GRADIENT_FLOW_SETUPS[label]
    for label in (
        "sigmoid / Xavier",
        "ReLU / too small",
        "ReLU / too large",
    )
}


def deep_network(
    depth, activation, init, *, batchnorm=False, width=32, seed=0
):
    """Chapter 6's deep network, optionally with BatchNorm1d in every layer.

    ``depth`` hidden layers of ``width`` units, 2 inputs, 3 outputs: each
    hidden layer is Linear, then (if ``batchnorm``) BatchNorm1d, then the
    activation. ``init`` is a scheme name of bpcore.init or a number, the
    std of a fixed-std normal. The weights are the same with and without
    batch norm.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    scheme = init if isinstance(init, str) else normal(init)
    rng = np.random.default_rng(seed)
    layers, fan_in = [], 2
    for _ in range(depth):
        layers.append(Linear(fan_in, width, init=scheme, rng=rng))
        if batchnorm:
            layers.append(BatchNorm1d(width))
        layers.append(make_activation(activation))
        fan_in = width
    layers.append(Linear(fan_in, 3, init=scheme, rng=rng))
    return Sequential(*layers)


def batchnorm_gradient_flow(
    setup, batchnorm, *, depth=15, width=32, seed=0
):
    """‖∂L/∂W‖ of every weight matrix of a fresh :func:`deep_network`.

    ``setup`` names an entry of ``BATCHNORM_SETUPS``; one forward and
    backward pass (training mode) on chapter 6's spiral batch under
    cross-entropy. Returns ``depth + 1`` norms, first layer first.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    if setup not in BATCHNORM_SETUPS:
        raise ValueError(
            f"unknown setup {setup!r}; valid setups are "
            f"{', '.join(map(repr, BATCHNORM_SETUPS))}"
        )
    activation, init = BATCHNORM_SETUPS[setup]
    model = deep_network(
        depth, activation, init, batchnorm=batchnorm, width=width, seed=seed
    )
    X, y = spiral(n_per_class=100, n_classes=3, seed=0)
    return layer_statistics(model, X, y, CrossEntropyLoss())[1]


# --- a recurrent network


class LastStateReadout(Module):
    """An RNN and a Linear layer that reads its last hidden state.

    ``forward(X)`` with X of shape (n, T, input_size) returns
    ``readout(h_T)``, shape (n, outputs). ``backward(g)`` puts
    ∂L/∂h_T = g Wᵀ of the readout at the last step, zeros at the others,
    and runs the RNN's backpropagation through time; ``rnn.hidden_grad``
    then holds ∂L/∂h_t for every t.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """

    def __init__(self, rnn, readout):
        self.rnn, self.readout = rnn, readout

    def __repr__(self):
        return f"LastStateReadout({self.rnn!r}, {self.readout!r})"

    def children(self):
        return [self.rnn, self.readout]

    def named_parameters(self):
        return [
            (f"{prefix}.{name}", parameter)
            for prefix, module in (
                ("rnn", self.rnn),
                ("readout", self.readout),
            )
            for name, parameter in module.named_parameters()
        ]

    def forward(self, x):
        self._hidden_shape = None
        hidden = self.rnn(x)
        self._hidden_shape = hidden.shape
        return self.readout(hidden[:, -1])

    def backward(self, grad_output, input_grad=True):
        shape = self._cached("_hidden_shape")
        grad_hidden = np.zeros(shape, dtype=self.readout.W.data.dtype)
        grad_hidden[:, -1] = self.readout.backward(grad_output)
        return self.rnn.backward(grad_hidden, input_grad)


def recall_network(*, hidden=16, truncate=None, seed=0):
    """An RNN(1, ``hidden``) read by a Linear(``hidden``, 1), seeded.

    ``LastStateReadout`` of the two; ``truncate`` goes to the RNN.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    rng = np.random.default_rng(seed)
    return LastStateReadout(
        RNN(1, hidden, truncate=truncate, rng=rng),
        Linear(hidden, 1, rng=rng),
    )


def delayed_recall(n, *, length=8, delay=3, seed=0):
    """Sequences of ``length`` N(0, 1) inputs; the target is an earlier one.

    Returns X of shape (n, length, 1) and y = X[:, length - 1 - delay], of
    shape (n, 1): read after the last step, the input ``delay`` steps
    before it.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    X = np.random.default_rng(seed).standard_normal((n, length, 1))
    return X, X[:, length - 1 - delay].copy()


def train_recall(
    *,
    truncate=None,
    hidden=16,
    length=8,
    delay=3,
    n=128,
    steps=300,
    lr=0.03,
    seed=0,
    every=10,
):
    """Train :func:`recall_network` on :func:`delayed_recall` with Adam.

    Full-batch steps on ``n`` training sequences (seed 0), held-out
    sequences 512 (seed 1); backpropagation through time, truncated to
    chunks of ``truncate`` steps if given. Returns (model,
    :class:`FullBatchRecord`).

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    X, y = delayed_recall(n, length=length, delay=delay, seed=0)
    held_out = delayed_recall(512, length=length, delay=delay, seed=1)
    model = recall_network(hidden=hidden, truncate=truncate, seed=seed)
    record = train_full_batch(
        model,
        MSELoss(),
        Adam(model.parameters(), lr=lr),
        X,
        y,
        steps,
        held_out=held_out,
        every=every,
    )
    return model, record


def gradient_through_time(scale, *, length=30, hidden=16, n=64, seed=0):
    """‖∂L/∂h_t‖ for t = 1 … T in a fresh RNN whose W_hh is ``scale`` · Q.

    Q is a random orthogonal matrix, so every singular value of W_hh is
    ``scale``. The network reads ``n`` sequences of :func:`delayed_recall`
    (T = ``length``, the target the first input), the loss is the mean
    squared error of the readout of h_T. Returns the Frobenius norms over
    the batch of ``rnn.hidden_grad[:, t]``, t = 1 … T.

    Worked in :doc:`/chapters/09_beyond_mlp`.
    """
    X, y = delayed_recall(n, length=length, delay=length - 1, seed=seed)
    model = recall_network(hidden=hidden, seed=seed)
    q, r = np.linalg.qr(
        np.random.default_rng(seed + 1).standard_normal((hidden, hidden))
    )
    model.rnn.W_hh.data[:] = scale * q * np.sign(np.diag(r))
    loss = MSELoss()
    loss(model(X), y)
    model.backward(loss.backward())
    return np.linalg.norm(model.rnn.hidden_grad, axis=(0, 2))
