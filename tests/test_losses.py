"""Every layer, activation and loss: analytic gradients against central differences."""

import numpy as np
import pytest

import bpcore
from bpcore.gradcheck import TOLERANCE, numerical_gradient, relative_error

RNG = np.random.default_rng(1234)


def away_from_zero(shape, rng=RNG):
    """Inputs with |x| ≥ 0.1, so no finite-difference step crosses a ReLU kink."""
    x = rng.uniform(0.1, 2.0, shape)
    return x * rng.choice([-1.0, 1.0], shape)


def check_module(module, x):
    """∂(Σ R ⊙ module(x))/∂x and /∂θ for a random R, analytic versus numeric."""
    upstream = RNG.standard_normal(module.forward(x).shape)

    def objective():
        return float(np.sum(module.forward(x) * upstream))

    module.zero_grad()
    module.forward(x)
    analytic_input = module.backward(upstream, input_grad=True)
    errors = {"input": relative_error(analytic_input, numerical_gradient(objective, x))}
    for name, parameter in module.named_parameters():
        errors[name] = relative_error(parameter.grad, numerical_gradient(objective, parameter.data))
    return errors


@pytest.mark.parametrize(
    "module",
    [
        bpcore.Linear(4, 3, rng=0),
        bpcore.Sigmoid(),
        bpcore.Tanh(),
        bpcore.ReLU(),
        bpcore.LeakyReLU(0.1),
        bpcore.Identity(),
        bpcore.MLP([4, 5, 3], activation="tanh", seed=0),
    ],
    ids=repr,
)
def test_module_gradients(module):
    errors = check_module(module, away_from_zero((5, 4)))
    assert max(errors.values()) < TOLERANCE, errors


LOGITS = RNG.standard_normal((6, 3))  # moderate size: no gradient entry drowns in rounding
SIGMOID = 1 / (1 + np.exp(-LOGITS))


@pytest.mark.parametrize(
    "loss, target",
    [
        (bpcore.MSELoss(), RNG.standard_normal((6, 3))),
        (bpcore.BCEWithLogitsLoss(), RNG.integers(0, 2, (6, 3)).astype(float)),
        # soft targets 0.3 away from σ(z), so no entry of σ(z) - y is near zero
        (bpcore.BCEWithLogitsLoss(), np.where(SIGMOID > 0.5, SIGMOID - 0.3, SIGMOID + 0.3)),
        (bpcore.CrossEntropyLoss(), RNG.integers(0, 3, 6)),
        (bpcore.CrossEntropyLoss(), np.eye(3)[RNG.integers(0, 3, 6)]),
    ],
    ids=["mse", "bce-labels", "bce-soft", "ce-labels", "ce-onehot"],
)
def test_loss_gradients(loss, target):
    prediction = LOGITS.copy()

    def objective():
        return loss(prediction, target)

    loss(prediction, target)
    analytic = loss.backward()
    assert relative_error(analytic, numerical_gradient(objective, prediction)) < TOLERANCE


def test_loss_gradients_have_the_clean_forms():
    """Softmax cross-entropy gives (p - y)/n; sigmoid BCE gives (σ(z) - y)/N."""
    z = RNG.standard_normal((4, 3))
    labels = np.array([0, 2, 1, 2])
    ce = bpcore.CrossEntropyLoss()
    ce(z, labels)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ce.backward(), (p - np.eye(3)[labels]) / 4, rtol=1e-12)
    bce = bpcore.BCEWithLogitsLoss()
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    bce(z[:, :1], y)
    np.testing.assert_allclose(bce.backward(), (1 / (1 + np.exp(-z[:, :1])) - y) / 4, rtol=1e-12)


def test_losses_match_their_definitions():
    z = RNG.standard_normal((5, 4))
    labels = RNG.integers(0, 4, 5)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert np.isclose(bpcore.CrossEntropyLoss()(z, labels), -np.mean(np.log(p[range(5), labels])))
    y = RNG.integers(0, 2, (5, 4)).astype(float)
    s = 1 / (1 + np.exp(-z))
    expected_bce = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert np.isclose(bpcore.BCEWithLogitsLoss()(z, y), expected_bce)
    assert np.isclose(bpcore.MSELoss()(z, y), np.mean((z - y) ** 2))


@pytest.mark.parametrize("logit", [1000.0, -1000.0])
def test_classification_losses_are_stable_at_extreme_logits(logit):
    """No overflow, no log(0), no warning (pytest turns RuntimeWarnings into errors)."""
    z = np.array([[logit, -logit, 0.0]])
    ce = bpcore.CrossEntropyLoss()
    value = ce(z, np.array([1]))
    assert np.isfinite(value) and np.all(np.isfinite(ce.backward()))
    assert np.isclose(value, 2 * abs(logit) if logit > 0 else 0.0)
    bce = bpcore.BCEWithLogitsLoss()
    value = bce(np.array([[logit]]), np.array([[0.0]]))
    assert np.isclose(value, max(logit, 0.0))
    assert np.all(np.isfinite(bce.backward()))


@pytest.mark.parametrize("dtype, big", [(np.float64, 1e308), (np.float32, 2e38)])
def test_cross_entropy_picks_the_label_log_probability_when_a_logit_overflows(dtype, big):
    """z = [big, -big]: big - (-big) overflows to inf, so p_1 = e^{-inf} = 0 and log p_1 = -inf.

    The loss for label 0 is exactly 0; a one-hot product would give 0 · (-inf) = NaN.
    """
    z = np.array([[big, -big]], dtype=dtype)
    ce = bpcore.CrossEntropyLoss()
    for target in (np.array([0]), np.array([[1.0, 0.0]], dtype=dtype)):
        assert ce(z, target) == 0.0
        np.testing.assert_array_equal(ce.backward(), [[0.0, 0.0]])
        assert ce.backward().dtype == dtype
    assert ce(z, np.array([1])) == np.inf  # the true loss, 2·big, is beyond the largest float
    np.testing.assert_array_equal(ce.backward(), [[1.0, -1.0]])


def test_cross_entropy_agrees_on_labels_one_hot_and_soft_targets():
    z = RNG.standard_normal((5, 4))
    labels = RNG.integers(0, 4, 5)
    ce = bpcore.CrossEntropyLoss()
    from_labels, gradient = ce(z, labels), ce.backward().copy()
    assert ce(z, np.eye(4)[labels]) == pytest.approx(from_labels, rel=1e-15)
    np.testing.assert_allclose(ce.backward(), gradient, rtol=1e-15)
    soft = np.full((5, 4), 0.25)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert ce(z, soft) == pytest.approx(-np.mean(np.sum(soft * np.log(p), axis=1)))
    np.testing.assert_allclose(ce.backward(), (p - soft) / 5)


def test_whole_network_gradcheck_reports_the_worst_parameter():
    model = bpcore.MLP([3, 4, 2], activation="sigmoid", seed=3)
    X = RNG.standard_normal((5, 3))
    report = bpcore.gradcheck(model, bpcore.CrossEntropyLoss(), X, np.array([0, 1, 1, 0, 1]))
    assert set(report.errors) == {"0.W", "0.b", "2.W", "2.b", "input"}
    assert report.passed(TOLERANCE)
    assert report.worst in report.errors and report.max_error == max(report.errors.values())
    assert f"worst: {report.worst}" in str(report)


def test_gradcheck_summary_states_the_bound_not_the_noise():
    report = bpcore.GradcheckReport({"0.W": 3.17e-9, "0.b": 2.4e-10, "input": 0.75})
    assert report.summary(1e-7) == ("fails at 1e-07: input (relative error 0.75); "
                                    "the other 2 below it")
    del report.errors["input"]
    assert report.summary(1e-7) == "all 2 arrays checked: relative error below 1e-07"
    assert report.summary(1e-9) == ("fails at 1e-09: 0.W (relative error 3.2e-09); "
                                    "the other 1 below it")


def test_gradcheck_catches_a_wrong_backward():
    """A check that cannot fail proves nothing: break one gradient and watch it fail."""

    class WrongTanh(bpcore.Tanh):
        def derivative(self):
            return 1 - self._output  # should be 1 - tanh²

    model = bpcore.Sequential(bpcore.Linear(3, 4, rng=0), WrongTanh(), bpcore.Linear(4, 1, rng=1))
    report = bpcore.gradcheck(model, bpcore.MSELoss(), RNG.standard_normal((5, 3)),
                              RNG.standard_normal((5, 1)))
    assert not report.passed(1e-3)
    assert report.worst in {"0.W", "0.b", "input"}


def test_relative_error_is_relative_above_the_scale_and_absolute_below():
    """|a - n| / max(|a|, |n|, scale): 1e-12 off a gradient of 1e-9 is noise, not 0.1%."""
    assert relative_error([2.0], [2.2]) == pytest.approx(0.2 / 2.2)
    assert relative_error([1e-9], [1e-9 + 1e-12]) == pytest.approx(1e-12)
    assert relative_error([30.0], [33.0], scale=100.0) == pytest.approx(0.03)
    with pytest.raises(ValueError, match="scale"):
        relative_error([1.0], [1.0], scale=0.0)


def test_gradcheck_scores_at_the_scale_of_the_loss():
    """A loss a million times larger rounds a million times coarser: no false alarm.

    The first input column is tiny, so the first row of ∂L/∂W is far below the loss's
    scale and its finite difference is mostly rounding, about 1e-5 here.
    """

    class MillionfoldMSE(bpcore.MSELoss):
        def forward(self, prediction, target):
            return 1e6 * super().forward(prediction, target)

        def backward(self):
            return 1e6 * super().backward()

    model = bpcore.MLP([3, 4, 2], activation="tanh", seed=0)
    X, y = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 2))
    X[:, 0] = 1e-9
    assert bpcore.gradcheck(model, MillionfoldMSE(), X, y).passed()
