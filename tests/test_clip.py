"""Tests of bpcore.clip: clip_grad_norm follows PyTorch's rule, keeps dtypes, rejects bad input."""

import numpy as np
import pytest

import bpcore
from bpcore.clip import EPS, clip_grad_norm


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
