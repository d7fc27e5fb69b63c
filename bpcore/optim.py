"""Optimizers with PyTorch's update rules.

There is no dampening, amsgrad or learning-rate decay inside an optimizer.

With gradient g_t of a parameter θ at step t, where ``weight_decay`` λ > 0
first adds the L2 term, g_t ← g_t + λ θ (AdamW instead decays θ itself):

- SGD:      θ ← θ - η g_t; with momentum μ: v_1 = g_1, v_t = μ v_{t-1} +
  g_t, θ ← θ - η v_t; Nesterov: θ ← θ - η (g_t + μ v_t).
- RMSprop:  s_t = α s_{t-1} + (1 - α) g_t², θ ← θ - η g_t / (√s_t + ε).
- Adam:     m_t = β₁ m_{t-1} + (1 - β₁) g_t, s_t = β₂ s_{t-1} + (1 - β₂)
  g_t², θ ← θ - η/(1 - β₁ᵗ) · m_t / (√s_t / √(1 - β₂ᵗ) + ε).
- AdamW:    θ ← θ (1 - η λ), then Adam's step with the undecayed g_t.
- Adagrad:  s_t = s_{t-1} + g_t², θ ← θ - η g_t / (√s_t + ε).

Learning-rate schedules (StepLR, CosineAnnealingLR, and LinearLR for a
warm-up) set an optimizer's η once per epoch, as PyTorch's
``torch.optim.lr_scheduler`` do.
"""

import math

import numpy as np

from .checks import (
    check_non_negative,
    check_positive,
    check_positive_int,
    check_real,
    check_unit_interval,
)
from .layers import check_parameters


class Optimizer:
    """Holds a list of Parameters; ``step()`` updates them.

    ``zero_grad()`` clears their gradients.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(self, params, lr, weight_decay=0.0):
        self.params = check_parameters(params, type(self).__name__)
        if not self.params:
            raise ValueError(
                f"{type(self).__name__} got an empty parameter list"
            )
        check_positive(lr, "lr (the learning rate)")
        check_non_negative(weight_decay, "weight_decay")
        self.lr = float(lr)
        self.weight_decay = float(weight_decay)

    def gradient(self, parameter):
        """∂L/∂θ plus the L2 term λ θ of ``weight_decay`` (a new array)."""
        if self.weight_decay:
            return parameter.grad + self.weight_decay * parameter.data
        return parameter.grad

    def zero_grad(self):
        """Set every parameter's gradient to zero."""
        for parameter in self.params:
            parameter.zero_grad()

    def step(self):
        """Update every parameter from its current gradient."""
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum.

    Its update rule is PyTorch's.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(
        self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0
    ):
        super().__init__(params, lr, weight_decay)
        check_unit_interval(momentum, "momentum")
        if not isinstance(nesterov, (bool, np.bool_)):
            raise TypeError(
                "nesterov must be True or False, got "
                f"{type(nesterov).__name__} {nesterov!r}"
            )
        if nesterov and momentum == 0:
            raise ValueError("Nesterov momentum requires momentum > 0")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)
        self.velocity = [None] * len(self.params)

    def step(self):
        for index, parameter in enumerate(self.params):
            grad = direction = self.gradient(parameter)
            if self.momentum:
                velocity = self.velocity[index]
                if velocity is None:
                    velocity = self.velocity[index] = grad.copy()
                else:
                    velocity *= self.momentum
                    velocity += grad
                if self.nesterov:
                    direction = grad + self.momentum * velocity
                else:
                    direction = velocity
            parameter.data -= self.lr * direction


class RMSprop(Optimizer):
    """Divides each step by a running root-mean-square of the gradient.

    Its update rule is PyTorch's.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(
        self, params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0
    ):
        super().__init__(params, lr, weight_decay)
        check_unit_interval(alpha, "alpha")
        check_non_negative(eps, "eps")
        self.alpha, self.eps = float(alpha), float(eps)
        self.square_avg = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        pairs = zip(self.params, self.square_avg, strict=True)
        for parameter, square_avg in pairs:
            grad = self.gradient(parameter)
            square_avg *= self.alpha
            square_avg += (1 - self.alpha) * grad**2
            scale = np.sqrt(square_avg) + self.eps
            parameter.data -= self.lr * grad / scale


class Adam(Optimizer):
    """Momentum plus RMSprop-style scaling, both averages bias-corrected.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(
        self,
        params,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.0,
    ):
        super().__init__(params, lr, weight_decay)
        if not isinstance(betas, (tuple, list)):
            raise TypeError(
                "betas must be a pair (beta1, beta2), got "
                f"{type(betas).__name__} {betas!r}"
            )
        if len(betas) != 2:
            raise ValueError(
                "betas must be a pair (beta1, beta2), got "
                f"{len(betas)} values"
            )
        check_unit_interval(betas[0], "betas[0] (beta1)")
        check_unit_interval(betas[1], "betas[1] (beta2)")
        check_non_negative(eps, "eps")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = float(eps)
        self.steps = 0
        self.exp_avg = [np.zeros_like(p.data) for p in self.params]
        self.exp_avg_sq = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        beta1, beta2 = self.betas
        self.steps += 1
        step_size = self.lr / (1 - beta1**self.steps)
        bias_correction2_sqrt = math.sqrt(1 - beta2**self.steps)
        state = zip(self.params, self.exp_avg, self.exp_avg_sq, strict=True)
        for parameter, exp_avg, exp_avg_sq in state:
            grad = self.gradient(parameter)
            exp_avg += (1 - beta1) * (grad - exp_avg)
            exp_avg_sq *= beta2
            exp_avg_sq += (1 - beta2) * grad**2
            root = np.sqrt(exp_avg_sq) / bias_correction2_sqrt
            parameter.data -= step_size * exp_avg / (root + self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay: θ shrinks by η λ before each step.

    Unlike ``Adam(weight_decay=λ)``, the decay never enters the moment
    estimates, so every weight decays at the same rate whatever its
    gradient's scale (Loshchilov and Hutter's AdamW, as in PyTorch).

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(
        self,
        params,
        lr=0.001,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0.01,
    ):
        super().__init__(params, lr, betas, eps, weight_decay)

    def gradient(self, parameter):
        return parameter.grad

    def step(self):
        for parameter in self.params:
            parameter.data *= 1 - self.lr * self.weight_decay
        super().step()


class Adagrad(Optimizer):
    """Divides each step by the root of the sum of all squared gradients.

    Parameters whose gradients have been large take ever smaller steps. Its
    update rule is PyTorch's (with no ``lr_decay``).

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(self, params, lr=0.01, eps=1e-10, weight_decay=0.0):
        super().__init__(params, lr, weight_decay)
        check_non_negative(eps, "eps")
        self.eps = float(eps)
        self.sum_sq = [np.zeros_like(p.data) for p in self.params]

    def step(self):
        for parameter, sum_sq in zip(self.params, self.sum_sq, strict=True):
            grad = self.gradient(parameter)
            sum_sq += grad**2
            parameter.data -= self.lr * grad / (np.sqrt(sum_sq) + self.eps)


class LRScheduler:
    """Sets its optimizer's learning rate ``lr`` epoch by epoch.

    Call ``step()`` once per epoch, after the epoch's updates, as with
    PyTorch's schedulers: after ``t`` calls (``last_epoch`` = t) the rate is
    ``lr_at(t)``, computed in closed form from the rate the optimizer had
    when the scheduler was built, ``base_lr``.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__} schedules a bpcore Optimizer, got "
                f"{type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.last_epoch = 0
        optimizer.lr = self.lr_at(0)

    def lr_at(self, epoch):
        """The learning rate after ``epoch`` calls of ``step()``."""
        raise NotImplementedError

    def step(self):
        """Advance one epoch and set the optimizer's learning rate."""
        self.last_epoch += 1
        self.optimizer.lr = self.lr_at(self.last_epoch)

    def get_last_lr(self):
        """``[lr]``: the rate last set, in a list as PyTorch returns it."""
        return [self.optimizer.lr]


class StepLR(LRScheduler):
    """Multiplies the rate by ``gamma`` every ``step_size`` epochs.

    η_t = η₀ γ^⌊t / step_size⌋.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        check_positive_int(step_size, "step_size")
        check_positive(gamma, "gamma")
        self.step_size, self.gamma = int(step_size), float(gamma)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        return self.base_lr * self.gamma ** (epoch // self.step_size)


class CosineAnnealingLR(LRScheduler):
    """Lowers the rate along half a cosine, from η₀ to ``eta_min``.

    η_t = η_min + (η₀ - η_min) (1 + cos(π t / T_max)) / 2: η_min at
    ``T_max`` epochs, and back up, periodically, after that (as PyTorch's).

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):  # noqa: N803
        check_positive_int(T_max, "T_max")
        check_non_negative(eta_min, "eta_min")
        self.T_max, self.eta_min = int(T_max), float(eta_min)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        cosine = (1 + math.cos(math.pi * epoch / self.T_max)) / 2
        return self.eta_min + (self.base_lr - self.eta_min) * cosine


class LinearLR(LRScheduler):
    """A linear warm-up: the rate grows from a fraction of η₀ over epochs.

    η_t = η₀ (s + (e - s) min(t, total_iters) / total_iters), with s =
    ``start_factor`` and e = ``end_factor``: PyTorch's LinearLR, with its
    defaults.

    Taught in :doc:`/chapters/07_optimizers`.
    """

    def __init__(
        self, optimizer, start_factor=1 / 3, end_factor=1.0, total_iters=5
    ):
        check_real(start_factor, "start_factor")
        if not 0 < start_factor <= 1:
            raise ValueError(
                f"start_factor must lie in (0, 1], got {start_factor!r}"
            )
        check_real(end_factor, "end_factor")
        if not 0 <= end_factor <= 1:
            raise ValueError(
                f"end_factor must lie in [0, 1], got {end_factor!r}"
            )
        check_positive_int(total_iters, "total_iters")
        self.start_factor = float(start_factor)
        self.end_factor = float(end_factor)
        self.total_iters = int(total_iters)
        super().__init__(optimizer)

    def lr_at(self, epoch):
        progress = min(epoch, self.total_iters) / self.total_iters
        factor = (
            self.start_factor
            + (self.end_factor - self.start_factor) * progress
        )
        return self.base_lr * factor
