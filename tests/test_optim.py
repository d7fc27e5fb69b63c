"""Optimizers: convergence on a quadratic, single steps by hand, state over several steps."""

import math

import numpy as np
import pytest

import bpcore
from bpcore.optim import SGD, Adam, RMSprop


def quadratic_gradient(parameter, minimum, curvature):
    """Gradient of ½ Σ c_i (θ_i - m_i)²: c ⊙ (θ - m)."""
    return curvature * (parameter.data - minimum)


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1),
        lambda ps: SGD(ps, lr=0.05, momentum=0.9),
        lambda ps: SGD(ps, lr=0.05, momentum=0.9, nesterov=True),
        lambda ps: RMSprop(ps, lr=0.01),
        lambda ps: Adam(ps, lr=0.05),
    ],
    ids=["sgd", "momentum", "nesterov", "rmsprop", "adam"],
)
def test_converges_on_a_quadratic(make):
    minimum = np.array([2.0, -1.0, 0.5])
    curvature = np.array([1.0, 4.0, 0.5])
    parameter = bpcore.Parameter(np.array([-3.0, 3.0, 5.0]))
    optimizer = make([parameter])
    for _ in range(2000):
        optimizer.zero_grad()
        parameter.grad += quadratic_gradient(parameter, minimum, curvature)
        optimizer.step()
    np.testing.assert_allclose(parameter.data, minimum, atol=1e-3)


def one_step(optimizer_class, theta, gradient, **kwargs):
    parameter = bpcore.Parameter(np.array([theta]))
    optimizer = optimizer_class([parameter], **kwargs)
    parameter.grad[:] = gradient
    optimizer.step()
    return parameter.data[0]


def test_single_steps_match_hand_computed_updates():
    # SGD: θ - ηg = 1 - 0.1·2
    assert one_step(SGD, 1.0, 2.0, lr=0.1) == pytest.approx(0.8, rel=1e-15)
    # momentum: the first buffer is the gradient itself, so step one equals plain SGD
    assert one_step(SGD, 1.0, 2.0, lr=0.1, momentum=0.9) == pytest.approx(0.8, rel=1e-15)
    # Nesterov, step one: θ - η(g + μ g) = 1 - 0.1·(2 + 1.8)
    assert one_step(SGD, 1.0, 2.0, lr=0.1, momentum=0.9, nesterov=True) == pytest.approx(0.62)
    # RMSprop: s = 0.01·4 = 0.04, θ - η g / (√s + ε) = 1 - 0.01·2/(0.2 + 1e-8)
    assert one_step(RMSprop, 1.0, 2.0, lr=0.01) == pytest.approx(1 - 0.02 / (0.2 + 1e-8), rel=1e-14)
    # Adam, step one: bias correction makes m̂ = g and v̂ = g², so the step is η·g/(|g| + ε)
    assert one_step(Adam, 1.0, 2.0, lr=0.01) == pytest.approx(1 - 0.01 * 2 / (2 + 1e-8), rel=1e-14)


def test_momentum_buffer_over_three_steps():
    """v1 = g1, v2 = μ v1 + g2, v3 = μ v2 + g3; θ falls by η v_t each step."""
    parameter = bpcore.Parameter(np.array([0.0]))
    optimizer = SGD([parameter], lr=0.5, momentum=0.9)
    velocity, theta = None, 0.0
    for gradient in (1.0, -2.0, 0.5):
        parameter.grad[:] = gradient
        optimizer.step()
        velocity = gradient if velocity is None else 0.9 * velocity + gradient
        theta -= 0.5 * velocity
        assert optimizer.velocity[0][0] == pytest.approx(velocity)
        assert parameter.data[0] == pytest.approx(theta)


def test_nesterov_over_three_steps():
    """θ falls by η (g_t + μ v_t)."""
    parameter = bpcore.Parameter(np.array([0.0]))
    optimizer = SGD([parameter], lr=0.5, momentum=0.9, nesterov=True)
    velocity, theta = None, 0.0
    for gradient in (1.0, -2.0, 0.5):
        parameter.grad[:] = gradient
        optimizer.step()
        velocity = gradient if velocity is None else 0.9 * velocity + gradient
        theta -= 0.5 * (gradient + 0.9 * velocity)
        assert parameter.data[0] == pytest.approx(theta)


def test_rmsprop_adds_eps_outside_the_square_root():
    """With a zero gradient history, √s = 0 and the denominator is exactly ε."""
    parameter = bpcore.Parameter(np.array([0.0]))
    optimizer = RMSprop([parameter], lr=1e-3, alpha=0.5, eps=1e-2)
    parameter.grad[:] = 1e-3
    optimizer.step()
    s = 0.5 * 1e-6
    assert parameter.data[0] == pytest.approx(-1e-3 * 1e-3 / (math.sqrt(s) + 1e-2), rel=1e-14)
    assert optimizer.square_avg[0][0] == pytest.approx(s)


def test_adam_state_and_bias_correction_over_three_steps():
    parameter = bpcore.Parameter(np.array([1.0]))
    beta1, beta2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    optimizer = Adam([parameter], lr=lr, betas=(beta1, beta2), eps=eps)
    m = v = 0.0
    theta = 1.0
    for t, gradient in enumerate((0.5, -1.0, 2.0), start=1):
        parameter.grad[:] = gradient
        optimizer.step()
        m = beta1 * m + (1 - beta1) * gradient
        v = beta2 * v + (1 - beta2) * gradient**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta -= lr * m_hat / (math.sqrt(v_hat) + eps)
        assert optimizer.steps == t
        assert optimizer.exp_avg[0][0] == pytest.approx(m)
        assert optimizer.exp_avg_sq[0][0] == pytest.approx(v)
        assert parameter.data[0] == pytest.approx(theta, rel=1e-12)


def test_zero_grad_clears_every_parameter():
    model = bpcore.MLP([2, 3, 1], seed=0)
    optimizer = Adam(model.parameters())
    for parameter in model.parameters():
        parameter.grad += 1.0
    optimizer.zero_grad()
    assert all(not parameter.grad.any() for parameter in model.parameters())


@pytest.mark.parametrize("optimizer_class", [SGD, RMSprop, Adam])
def test_float32_parameters_stay_float32(optimizer_class):
    parameter = bpcore.Parameter(np.ones(3, dtype=np.float32))
    optimizer = optimizer_class([parameter], lr=np.float64(0.1))
    parameter.grad[:] = 0.5
    optimizer.step()
    assert parameter.data.dtype == np.float32
