"""Residual blocks and gradient clipping: gradients, shapes, PyTorch's clipping rule, errors."""

import warnings

import numpy as np
import pytest

import bpcore
from bpcore.blocks import Residual
from bpcore.clip import EPS, clip_grad_norm


class Halve(bpcore.Module):
    """A module without parameters or feature sizes that drops half the columns."""

    def forward(self, x):
        return x[:, : x.shape[1] // 2]

    def backward(self, grad_output, input_grad=True):
        raise AssertionError("never reached")


def residual_net(activation=bpcore.Sigmoid, seed=0):
    rng = np.random.default_rng(seed)
    return bpcore.Sequential(
        bpcore.Linear(3, 4, rng=rng), bpcore.Tanh(),
        Residual(bpcore.Sequential(bpcore.Linear(4, 4, rng=rng), activation())),
        Residual(bpcore.Sequential(bpcore.Linear(4, 4, rng=rng), activation())),
        bpcore.Linear(4, 2, rng=rng),
    )


# --- Residual ------------------------------------------------------------------------------

@pytest.mark.parametrize("activation", [bpcore.Sigmoid, bpcore.Tanh, bpcore.Identity])
def test_residual_network_passes_gradcheck(activation):
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    report = bpcore.gradcheck(residual_net(activation), bpcore.MSELoss(), X, y)
    assert report.max_error < 1e-7, str(report)
    assert set(report.errors) == {"0.W", "0.b", "2.module.0.W", "2.module.0.b", "3.module.0.W",
                                  "3.module.0.b", "4.W", "4.b", "input"}


def test_residual_alone_passes_gradcheck_with_respect_to_its_input():
    rng = np.random.default_rng(2)
    block = Residual(bpcore.Linear(3, 3, rng=0))
    report = bpcore.gradcheck(block, bpcore.MSELoss(), rng.standard_normal((4, 3)),
                              rng.standard_normal((4, 3)))
    assert report.max_error < 1e-7, str(report)


def test_residual_computes_x_plus_module_and_adds_the_gradients():
    rng = np.random.default_rng(3)
    inner = bpcore.Sequential(bpcore.Linear(4, 4, rng=0), bpcore.Tanh())
    block = Residual(inner)
    x, g = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    out = block(x)
    assert out.shape == x.shape
    np.testing.assert_array_equal(out, x + inner(x))
    block.zero_grad()
    inner(x)
    expected = g + inner.backward(g, input_grad=True)
    expected_grads = [p.grad.copy() for p in inner.parameters()]
    block.zero_grad()
    block(x)
    grad_x = block.backward(g)
    assert grad_x.shape == x.shape
    np.testing.assert_allclose(grad_x, expected, rtol=1e-15)
    for p, want in zip(inner.parameters(), expected_grads, strict=True):
        np.testing.assert_allclose(p.grad, want, rtol=1e-15)


def test_residual_around_a_zero_module_is_the_identity_and_passes_gradients_unchanged():
    block = Residual(bpcore.Linear(5, 5, init="zeros"))
    x = np.arange(10.0).reshape(2, 5)
    np.testing.assert_array_equal(block(x), x)
    g = np.ones((2, 5))
    np.testing.assert_array_equal(block.backward(g), g)


def test_residual_without_input_grad_still_fills_parameter_gradients():
    block = Residual(bpcore.Linear(3, 3, rng=0))
    x = np.ones((2, 3))
    block(x)
    assert block.backward(np.ones((2, 3)), input_grad=False) is None
    np.testing.assert_array_equal(block.module.W.grad, x.T @ np.ones((2, 3)))


def test_residual_parameters_are_the_inner_modules_with_prefixed_names():
    inner = bpcore.Sequential(bpcore.Linear(4, 4, rng=0), bpcore.ReLU())
    block = Residual(inner)
    assert block.parameters() == inner.parameters()
    assert [name for name, _ in block.named_parameters()] == ["module.0.W", "module.0.b"]
    assert (block.in_features, block.out_features) == (4, 4)
    model = bpcore.Sequential(bpcore.Linear(2, 4), block, bpcore.Linear(4, 1))
    assert [name for name, _ in model.named_parameters()] == [
        "0.W", "0.b", "1.module.0.W", "1.module.0.b", "2.W", "2.b"]


def test_residual_trains_in_fit_and_appears_in_history():
    X, y = bpcore.blobs(n_per_class=20, seed=0)
    model = bpcore.Sequential(bpcore.Linear(2, 8, rng=0), bpcore.Tanh(),
                              Residual(bpcore.Sequential(bpcore.Linear(8, 8, rng=1), bpcore.Tanh())),
                              bpcore.Linear(8, 2, rng=2))
    history = bpcore.fit(model, bpcore.CrossEntropyLoss(),
                         bpcore.optim.Adam(model.parameters(), lr=0.05), X, y, epochs=50)
    assert history.weight_names == ["0.W", "2.module.0.W", "3.W"]
    assert history.loss[-1] < history.loss[0] and history.accuracy[-1] > 0.9


def test_residual_keeps_gradients_alive_in_a_deep_sigmoid_network():
    X, y = bpcore.spiral(n_per_class=50, seed=0)

    def first_layer_grad(skip):
        rng = np.random.default_rng(0)
        blocks = [bpcore.Sequential(bpcore.Linear(16, 16, rng=rng), bpcore.Sigmoid())
                  for _ in range(15)]
        model = bpcore.Sequential(bpcore.Linear(2, 16, rng=rng), bpcore.Sigmoid(),
                                  *[Residual(b) if skip else b for b in blocks],
                                  bpcore.Linear(16, 3, rng=rng))
        loss = bpcore.CrossEntropyLoss()
        loss(model(X), y)
        model.backward(loss.backward())
        return np.linalg.norm(model[0].W.grad)

    assert first_layer_grad(skip=True) > 1e6 * first_layer_grad(skip=False)


def test_residual_works_in_float32():
    block = Residual(bpcore.Sequential(bpcore.Linear(3, 3, rng=0, dtype=np.float32), bpcore.Tanh()))
    x = np.ones((2, 3), dtype=np.float32)
    assert block(x).dtype == np.float32
    assert block.backward(np.ones((2, 3), dtype=np.float32)).dtype == np.float32


def test_residual_rejects_non_modules():
    with pytest.raises(TypeError, match=r"Residual wraps a Module instance, got ufunc"):
        Residual(np.tanh)


@pytest.mark.parametrize("inner", [
    bpcore.Linear(3, 4),
    bpcore.Sequential(bpcore.Linear(3, 4), bpcore.ReLU()),
    bpcore.Sequential(bpcore.Linear(3, 3), bpcore.ReLU(), bpcore.Linear(3, 2)),
], ids=["linear", "sequential", "last-layer"])
def test_residual_rejects_modules_that_change_the_width(inner):
    with pytest.raises(bpcore.ShapeError, match=r"Residual needs a module whose output has the "
                                                r"shape of its input, .* maps 3 features to \d"):
        Residual(inner)


def test_residual_rejects_a_shape_change_found_in_the_forward_pass():
    with pytest.raises(bpcore.ShapeError, match=r"turned input of shape \(2, 4\) into output of "
                                                r"shape \(2, 2\)"):
        Residual(Halve())(np.ones((2, 4)))


def test_sequential_checks_feature_sizes_across_a_residual_block():
    with pytest.raises(bpcore.ShapeError, match=r"layer 2 Linear\(5, 1\) expects 5 input features"):
        bpcore.Sequential(bpcore.Linear(2, 4), Residual(bpcore.Linear(4, 4)), bpcore.Linear(5, 1))


def test_residual_backward_needs_a_forward_pass_and_the_right_gradient_shape():
    block = Residual(bpcore.Linear(3, 3, rng=0))
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        block.backward(np.ones((2, 3)))
    block(np.ones((2, 3)))
    with pytest.raises(bpcore.ShapeError, match=r"got a gradient of shape \(2, 4\), but its last "
                                                r"forward output had shape \(2, 3\)"):
        block.backward(np.ones((2, 4)))


# --- clip_grad_norm ----------------------------------------------------------------------

def params_with_grads(*grads, dtype=np.float64):
    params = []
    for grad in grads:
        p = bpcore.Parameter(np.zeros(np.shape(grad), dtype=dtype))
        p.grad[...] = grad
        params.append(p)
    return params


def test_clip_scales_every_gradient_by_max_norm_over_total_norm():
    a, b = params_with_grads([3.0, 0.0], [[0.0], [4.0]])  # global norm sqrt(9 + 16) = 5
    total = clip_grad_norm([a, b], max_norm=1.0)
    assert total == 5.0
    factor = 1.0 / (5.0 + 1e-6)
    np.testing.assert_array_equal(a.grad, np.array([3.0, 0.0]) * factor)
    np.testing.assert_array_equal(b.grad, np.array([[0.0], [4.0]]) * factor)
    new_norm = np.sqrt(np.sum(a.grad**2) + np.sum(b.grad**2))
    assert new_norm < 1.0 and np.isclose(new_norm, 1.0, rtol=1e-6)
    assert EPS == 1e-6


def test_clip_matches_a_hand_computation_on_random_gradients():
    rng = np.random.default_rng(4)
    grads = [rng.standard_normal((3, 4)) * 10, rng.standard_normal(4), rng.standard_normal((4, 2))]
    params = params_with_grads(*grads)
    total = np.sqrt(sum(np.sum(g**2) for g in grads))
    assert clip_grad_norm(params, 2.5) == pytest.approx(total, rel=1e-15)
    for p, g in zip(params, grads, strict=True):
        np.testing.assert_allclose(p.grad, g * 2.5 / (total + 1e-6), rtol=1e-15)


@pytest.mark.parametrize("max_norm", [5.0, 7.0, 1e9])
def test_clip_leaves_gradients_within_the_limit_untouched(max_norm):
    a, b = params_with_grads([3.0, 0.0], [[0.0], [4.0]])
    assert clip_grad_norm([a, b], max_norm) == 5.0
    np.testing.assert_array_equal(a.grad, [3.0, 0.0])
    np.testing.assert_array_equal(b.grad, [[0.0], [4.0]])


def test_clip_accepts_a_generator_a_single_parameter_and_an_empty_list():
    (p,) = params_with_grads([0.0, 2.0])
    assert clip_grad_norm(iter([p]), 1.0) == 2.0
    np.testing.assert_allclose(p.grad, [0.0, 1.0 * 2.0 / (2.0 + 1e-6)], rtol=1e-15)
    (q,) = params_with_grads([6.0, 8.0])
    assert clip_grad_norm(q, 5.0) == 10.0
    assert clip_grad_norm([], 1.0) == 0.0


def test_clip_keeps_float32_gradients_float32():
    a, b = params_with_grads([3.0, 0.0], [0.0, 4.0], dtype=np.float32)
    assert clip_grad_norm([a, b], 0.5) == pytest.approx(5.0)
    assert a.grad.dtype == b.grad.dtype == np.float32
    np.testing.assert_allclose(a.grad, [0.3, 0.0], rtol=1e-6)


def test_clip_returns_a_non_finite_norm_and_leaves_the_gradients_alone():
    a, b = params_with_grads([np.inf, 1.0], [2.0])
    assert clip_grad_norm([a, b], 1.0) == np.inf
    np.testing.assert_array_equal(a.grad, [np.inf, 1.0])
    (c,) = params_with_grads([np.nan, 1.0])
    assert np.isnan(clip_grad_norm([c], 1.0))


@pytest.mark.parametrize("max_norm", [0, -1.0, np.nan, np.inf])
def test_clip_rejects_bad_max_norm(max_norm):
    with pytest.raises(ValueError, match=r"max_norm must be a positive finite number"):
        clip_grad_norm(params_with_grads([1.0]), max_norm)


def test_clip_rejects_a_max_norm_that_is_not_a_number():
    with pytest.raises(TypeError, match=r"max_norm must be a real number, got str '1'; write the number without quotes"):
        clip_grad_norm(params_with_grads([1.0]), "1")


def test_clip_rejects_a_parameter_listed_twice():
    (a,) = params_with_grads([3.0, 4.0])
    with pytest.raises(ValueError, match=r"clip_grad_norm got the same Parameter\(.*\) twice, as items 0 and 1"):
        clip_grad_norm([a, a], 1.0)


def test_clip_rejects_things_that_are_not_parameters():
    with pytest.raises(TypeError, match=r"clip_grad_norm expects Parameters \(e.g. "
                                        r"model.parameters\(\)\); item 1 is ndarray"):
        clip_grad_norm([*params_with_grads([1.0]), np.ones(2)], 1.0)


# --- fit(..., clip_grad_norm=...) ------------------------------------------------------

def regression_problem():
    X = np.linspace(-3, 3, 200).reshape(-1, 1)
    return X, 3 * np.sin(2 * X) + X


def test_fit_with_a_loose_clip_is_plain_fit():
    X, y = regression_problem()

    def run(**clip):
        model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
        return bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=0.01),
                          X, y, epochs=20, batch_size=50, **clip)

    plain, loose = run(), run(clip_grad_norm=1e12)
    assert plain.loss == loose.loss
    np.testing.assert_array_equal(plain.grad_norms, loose.grad_norms)


def test_fit_clips_every_step_to_learning_rate_times_max_norm():
    X, y = regression_problem()
    lr, max_norm = 0.1, 0.5
    steps = {}
    for clip in (None, max_norm):
        model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
        before = np.concatenate([p.data.ravel() for p in model.parameters()])
        history = bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=lr),
                             X, y, epochs=1, clip_grad_norm=clip)
        after = np.concatenate([p.data.ravel() for p in model.parameters()])
        steps[clip] = np.linalg.norm(after - before)
        grad_norms = history.grad_norms[0]
    assert steps[None] > 10 * lr * max_norm  # the raw gradient is much larger than the limit
    assert steps[max_norm] == pytest.approx(lr * max_norm, rel=1e-5)
    # the history records the gradients before clipping
    model = bpcore.MLP([1, 8, 1], activation="tanh", seed=0)
    plain = bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=lr),
                       X, y, epochs=1)
    np.testing.assert_array_equal(grad_norms, plain.grad_norms[0])


def test_clipping_rescues_a_run_that_explodes_without_it():
    """Linear regression is an exact bowl, with curvature matrix (2/n) [X 1]^T [X 1]. Above
    eta = 2 / lambda (chapter 1) every step multiplies the error along the steepest direction
    by 1 - eta lambda = -2, whatever the rounding, until the loss overflows. Clipping caps each
    step at eta * c, so the clipped run settles near the bottom of the bowl instead."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2)) * [1.0, 3.0]
    y = X @ np.array([[2.0], [-1.0]]) + 0.5 + 0.1 * rng.normal(size=(64, 1))
    design = np.hstack([X, np.ones((len(X), 1))])
    steepest = np.linalg.eigvalsh(2 / len(X) * design.T @ design)[-1]
    lowest = np.mean((design @ np.linalg.lstsq(design, y, rcond=None)[0] - y) ** 2)

    def run(clip):
        model = bpcore.Linear(2, 1, rng=0)
        optimizer = bpcore.optim.SGD(model.parameters(), lr=3 / steepest)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", bpcore.TrainingDivergedWarning)
            return bpcore.fit(model, bpcore.MSELoss(), optimizer, X, y, epochs=1000,
                              clip_grad_norm=clip)

    exploding, clipped = run(None), run(0.1)
    assert exploding.diverged and exploding.epochs < 600  # the loss grows fourfold per step
    assert all(b > 3 * a for a, b in zip(exploding.loss[100:110], exploding.loss[101:111],
                                         strict=True))
    assert not clipped.diverged and clipped.epochs == 1000
    assert clipped.loss[-1] < 1.5 * lowest


@pytest.mark.parametrize("clip, error, message", [
    (0, ValueError, "clip_grad_norm must be a positive finite number"),
    (-1.0, ValueError, "clip_grad_norm must be a positive finite number"),
    (np.nan, ValueError, "clip_grad_norm must be a positive finite number"),
    ("2", TypeError, "clip_grad_norm must be a real number, got str '2'"),
])
def test_fit_rejects_bad_clip_values(clip, error, message):
    X, y = regression_problem()
    model = bpcore.MLP([1, 4, 1], seed=0)
    with pytest.raises(error, match=message):
        bpcore.fit(model, bpcore.MSELoss(), bpcore.optim.SGD(model.parameters(), lr=0.1), X, y,
                   epochs=1, clip_grad_norm=clip)
