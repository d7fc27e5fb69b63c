"""Tests of bpcore.optim: convergence on a quadratic, steps by hand, state over steps, bad settings,
and the learning-rate schedules."""

import math

import numpy as np
import pytest

import bpcore
from bpcore.optim import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    CosineAnnealingLR,
    LinearLR,
    RMSprop,
    StepLR,
)


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
        lambda ps: AdamW(ps, lr=0.05, weight_decay=1e-6),
        lambda ps: Adagrad(ps, lr=0.5),
    ],
    ids=["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad"],
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


def test_defaults_are_pytorchs():
    params = bpcore.MLP([2, 1]).parameters()
    assert [SGD(params, lr=0.1).weight_decay, RMSprop(params).weight_decay,
            Adam(params).weight_decay] == [0, 0, 0]
    adamw, adagrad = AdamW(params), Adagrad(params)
    assert (adamw.lr, adamw.betas, adamw.eps, adamw.weight_decay) == (0.001, (0.9, 0.999), 1e-8, 0.01)
    assert (adagrad.lr, adagrad.eps, adagrad.weight_decay) == (0.01, 1e-10, 0)


def test_weight_decay_adds_the_l2_gradient_and_adamw_decays_the_weight_itself():
    """SGD with λ on a zero loss gradient is θ ← θ (1 - ηλ); so is AdamW, whose decay never
    reaches Adam's moments (it stays still otherwise), while Adam's L2 term is rescaled."""
    assert one_step(SGD, 2.0, 0.0, lr=0.1, weight_decay=0.5) == pytest.approx(2.0 * (1 - 0.05))
    assert one_step(AdamW, 2.0, 0.0, lr=0.1, weight_decay=0.5) == pytest.approx(2.0 * (1 - 0.05))
    # Adam's first step has size lr whatever the gradient: the L2 term λθ = 1 gets a full step
    assert one_step(Adam, 2.0, 0.0, lr=0.1, weight_decay=0.5) == pytest.approx(1.9, abs=1e-7)
    # Adagrad's first step also has size lr: g / √(g²)
    assert one_step(Adagrad, 2.0, 0.0, lr=0.1, weight_decay=0.5) == pytest.approx(1.9)


@pytest.mark.parametrize("optimizer_class", [SGD, RMSprop, Adam, AdamW, Adagrad])
def test_float32_parameters_stay_float32(optimizer_class):
    parameter = bpcore.Parameter(np.ones(3, dtype=np.float32))
    optimizer = optimizer_class([parameter], lr=np.float64(0.1))
    parameter.grad[:] = 0.5
    optimizer.step()
    assert parameter.data.dtype == np.float32


# --- bad settings get an error that names what is wrong -----------------------------------


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda ps: SGD(ps, lr=0), r"lr \(the learning rate\) must be a positive finite number, got 0"),
        (lambda ps: SGD(ps, lr=-0.1), "got -0.1"),
        (lambda ps: Adam(ps, lr=float("nan")), "got nan"),
        (lambda ps: SGD(ps, lr=0.1, nesterov=True), "Nesterov momentum requires momentum > 0"),
        (lambda ps: SGD(ps, lr=0.1, momentum=1.5), r"momentum must lie in \[0, 1\), got 1.5"),
        (lambda ps: Adam(ps, betas=(0.9, 1.0)), r"betas\[1\] \(beta2\) must lie in \[0, 1\), got 1.0"),
        (lambda ps: Adam(ps, betas=(-0.1, 0.999)), r"betas\[0\] \(beta1\) must lie in \[0, 1\)"),
        (lambda ps: Adam(ps, betas=(0.9, 0.99, 0.999)), r"betas must be a pair \(beta1, beta2\), got 3 values"),
        (lambda ps: RMSprop(ps, alpha=1.0), r"alpha must lie in \[0, 1\), got 1.0"),
        (lambda ps: RMSprop(ps, eps=-1.0), "eps must be a finite number ≥ 0, got -1.0"),
        (lambda ps: SGD(ps, lr=0.1, weight_decay=-0.1), "weight_decay must be a finite number ≥ 0, got -0.1"),
        (lambda ps: AdamW(ps, weight_decay=float("inf")), "weight_decay must be a finite number ≥ 0, got inf"),
        (lambda ps: Adagrad(ps, eps=-1e-10), "eps must be a finite number ≥ 0"),
    ],
)
def test_invalid_optimizer_settings(make, message):
    with pytest.raises(ValueError, match=message):
        make(bpcore.MLP([2, 1]).parameters())


def test_optimizer_needs_parameters():
    with pytest.raises(ValueError, match="SGD got an empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match=r"expects Parameters \(e.g. model.parameters\(\)\); item 0 is ndarray"):
        SGD([np.zeros(2)], lr=0.1)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda ps: SGD(ps, lr="a"), r"lr \(the learning rate\) must be a real number, got str 'a'; write the number without quotes"),
        (lambda ps: SGD(ps, lr=None), r"lr \(the learning rate\) must be a real number, got NoneType None"),
        (lambda ps: SGD(ps, lr=True), "must be a real number, got bool True"),
        (lambda ps: SGD(ps, lr=0.1, momentum="0.9"), "momentum must be a real number, got str '0.9'"),
        (lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov="no"), "nesterov must be True or False, got str 'no'"),
        (lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=1), "nesterov must be True or False, got int 1"),
        (lambda ps: RMSprop(ps, eps="1e-8"), "eps must be a real number, got str '1e-8'"),
        (lambda ps: Adam(ps, betas=0.9), r"betas must be a pair \(beta1, beta2\), got float 0.9"),
        (lambda ps: Adam(ps, betas=(0.9, "0.999")), r"betas\[1\] \(beta2\) must be a real number, got str"),
        (lambda ps: Adam(ps, weight_decay="0.1"), "weight_decay must be a real number, got str '0.1'"),
    ],
)
def test_optimizer_settings_of_the_wrong_type(make, message):
    with pytest.raises(TypeError, match=message):
        make(bpcore.MLP([2, 1]).parameters())


def test_the_same_parameter_twice_is_refused():
    model = bpcore.MLP([2, 3, 1])
    params = model.parameters()
    with pytest.raises(ValueError, match=r"SGD got the same Parameter\(b, shape=\(3,\), dtype=float64\) twice, as items 1 and 4; list every Parameter once"):
        SGD(params + [params[1]], lr=0.1)
    layer = bpcore.Linear(2, 2)
    shared = bpcore.Sequential(layer, bpcore.Tanh(), layer)
    with pytest.raises(ValueError, match=r"Adam got the same Parameter\(W, .*\) twice, as items 0 and 2.*shares its parameters"):
        Adam(shared.parameters())


# --- learning-rate schedules -------------------------------------------------------------


def sgd(lr=0.5):
    return SGD([bpcore.Parameter(np.zeros(2))], lr=lr)


def rates_over(schedule, epochs):
    """The optimizer's rate before the first ``step()`` and after each of ``epochs``."""
    rates = [schedule.optimizer.lr]
    for _ in range(epochs):
        schedule.step()
        rates.append(schedule.optimizer.lr)
    return rates


def test_step_lr_by_hand():
    schedule = StepLR(sgd(), step_size=2, gamma=0.5)
    rates = rates_over(schedule, 5)
    assert rates == [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]
    assert (schedule.last_epoch, schedule.base_lr, schedule.gamma) == (5, 0.5, 0.5)
    assert StepLR(sgd(), step_size=3).gamma == 0.1  # PyTorch's default


def test_cosine_reaches_its_floor_at_t_max_halfway_at_half_and_comes_back():
    schedule = CosineAnnealingLR(sgd(1.0), T_max=4, eta_min=0.2)
    rates = rates_over(schedule, 8)
    assert rates[2] == pytest.approx(0.6)
    assert rates[4] == pytest.approx(0.2)
    assert rates[8] == pytest.approx(1.0)
    assert CosineAnnealingLR(sgd(), T_max=3).eta_min == 0


def test_linear_warm_up_climbs_to_the_base_rate_and_stays():
    schedule = LinearLR(sgd(0.3), start_factor=0.1, total_iters=3)
    rates = rates_over(schedule, 5)
    assert rates == pytest.approx([0.03, 0.12, 0.21, 0.3, 0.3, 0.3])
    default = LinearLR(sgd())
    assert (default.start_factor, default.end_factor, default.total_iters) == (1 / 3, 1.0, 5)


def test_fit_steps_the_schedule_once_per_epoch():
    X, y = bpcore.xor()
    y = y.reshape(-1, 1)
    model = bpcore.MLP([2, 4, 1], activation="tanh", seed=0)
    opt = SGD(model.parameters(), lr=0.4)
    schedule = StepLR(opt, step_size=3)
    bpcore.fit(model, bpcore.BCEWithLogitsLoss(), opt, X, y, epochs=7, batch_size=2,
               scheduler=schedule)
    assert schedule.last_epoch == 7
    assert opt.lr == pytest.approx(0.4 * 0.1**2)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda opt: StepLR(opt, step_size=0), ValueError, "step_size must be a positive integer, got 0"),
        (lambda opt: StepLR(opt, step_size=2.5), TypeError, "step_size must be a positive integer, got float"),
        (lambda opt: StepLR(opt, 2, gamma=0), ValueError, "gamma must be a positive finite number, got 0"),
        (lambda opt: CosineAnnealingLR(opt, T_max=0), ValueError, "T_max must be a positive integer"),
        (lambda opt: CosineAnnealingLR(opt, 5, eta_min=-1), ValueError, "eta_min must be a finite number ≥ 0"),
        (lambda opt: LinearLR(opt, start_factor=0), ValueError, r"start_factor must lie in \(0, 1\], got 0"),
        (lambda opt: LinearLR(opt, end_factor=1.5), ValueError, r"end_factor must lie in \[0, 1\], got 1.5"),
        (lambda opt: LinearLR(opt, total_iters=0), ValueError, "total_iters must be a positive integer"),
        (lambda opt: StepLR(opt.params, 2), TypeError, "StepLR schedules a bpcore Optimizer, got list"),
    ],
)
def test_bad_schedule_settings_are_named(make, error, message):
    with pytest.raises(error, match=message):
        make(sgd())


def test_fit_refuses_a_schedule_of_another_optimizer_or_something_else():
    X, y = bpcore.xor()
    y = y.reshape(-1, 1)
    model = bpcore.MLP([2, 2, 1])
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="the scheduler schedules another optimizer"):
        bpcore.fit(model, bpcore.BCEWithLogitsLoss(), opt, X, y, epochs=1,
                   scheduler=StepLR(sgd(), 2))
    with pytest.raises(TypeError, match="scheduler must be a schedule of bpcore.optim"):
        bpcore.fit(model, bpcore.BCEWithLogitsLoss(), opt, X, y, epochs=1, scheduler=0.5)
