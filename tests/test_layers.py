"""Tests of bpcore.layers: the Module interface, Linear, activations, Sequential, and bad input."""

import inspect
from functools import partial

import numpy as np
import pytest

import bpcore
from bpcore.mlp import ACTIVATIONS
from tests.conftest import (
    LinearTransposed,
    LinearWrongSign,
    SigmoidWithoutSlope,
    away_from_zero,
    check_loss,
    check_module,
    trained_batchnorm,
)

CASES = np.random.default_rng(1234)
LOGITS = CASES.standard_normal((6, 3))  # moderate size: no gradient entry drowns in rounding
SIGMOID = 1 / (1 + np.exp(-LOGITS))


def mlp(activation, dtype):
    return bpcore.MLP([4, 5, 3], activation=activation, seed=0, dtype=dtype)


SHARED_CHECK_CASES = [
    pytest.param(check_module, (lambda dtype: bpcore.Linear(4, 3, rng=0, dtype=dtype), (5, 4)),
                 id="Linear"),
    pytest.param(check_module, (lambda dtype: bpcore.Sigmoid(), (5, 4)), id="Sigmoid"),
    pytest.param(check_module, (lambda dtype: bpcore.Tanh(), (5, 4)), id="Tanh"),
    pytest.param(check_module, (lambda dtype: bpcore.ReLU(), (5, 4)), id="ReLU"),
    pytest.param(check_module, (lambda dtype: bpcore.LeakyReLU(0.1), (5, 4)), id="LeakyReLU"),
    pytest.param(check_module, (lambda dtype: bpcore.Identity(), (5, 4)), id="Identity"),
    pytest.param(check_module, (lambda dtype: bpcore.Sequential(
        bpcore.Linear(4, 5, rng=0, dtype=dtype), bpcore.Tanh(),
        bpcore.Linear(5, 3, rng=1, dtype=dtype)), (5, 4)), id="Sequential"),
    pytest.param(check_module, (lambda dtype: bpcore.Residual(bpcore.Sequential(
        bpcore.Linear(4, 4, rng=0, dtype=dtype), bpcore.Tanh())), (5, 4)), id="Residual"),
    pytest.param(check_module, (lambda dtype: bpcore.BatchNorm1d(4, dtype=dtype), (5, 4)),
                 id="BatchNorm1d-train"),
    pytest.param(check_module, (lambda dtype: trained_batchnorm(4, dtype).eval(), (5, 4)),
                 id="BatchNorm1d-eval"),
    pytest.param(check_module, (lambda dtype: bpcore.Sequential(
        bpcore.Linear(4, 5, rng=0, dtype=dtype), trained_batchnorm(5, dtype), bpcore.Tanh(),
        bpcore.Linear(5, 3, rng=1, dtype=dtype)), (6, 4)), id="Sequential-BatchNorm1d"),
    # in training mode every forward pass draws a new mask: test_dropout checks that mode
    pytest.param(check_module, (lambda dtype: bpcore.Dropout(0.5, rng=0).eval(), (5, 4)),
                 id="Dropout-eval"),
    pytest.param(check_module, (lambda dtype: bpcore.RNN(3, 4, rng=0, dtype=dtype), (2, 5, 3)),
                 id="RNN"),
    *[pytest.param(check_module, (partial(mlp, activation), (5, 4)), id=f"MLP-{activation}")
      for activation in sorted(ACTIVATIONS)],
    pytest.param(check_loss, (bpcore.MSELoss, LOGITS, CASES.standard_normal((6, 3))),
                 id="MSELoss"),
    pytest.param(check_loss, (bpcore.BCEWithLogitsLoss, LOGITS[:, :1], CASES.uniform(0, 1, (6, 1))),
                 id="BCEWithLogitsLoss-soft"),
    pytest.param(check_loss, (bpcore.BCEWithLogitsLoss, LOGITS,
                              CASES.integers(0, 2, (6, 3)).astype(float)),
                 id="BCEWithLogitsLoss-labels"),
    # soft targets 0.3 away from σ(z), so no entry of σ(z) - y is near zero
    pytest.param(check_loss, (bpcore.BCEWithLogitsLoss, LOGITS,
                              np.where(SIGMOID > 0.5, SIGMOID - 0.3, SIGMOID + 0.3)),
                 id="BCEWithLogitsLoss-soft-away"),
    pytest.param(check_loss, (bpcore.CrossEntropyLoss, LOGITS, CASES.integers(0, 3, 6)),
                 id="CrossEntropyLoss-labels"),
    pytest.param(check_loss, (bpcore.CrossEntropyLoss, LOGITS, np.eye(3)[CASES.integers(0, 3, 6)]),
                 id="CrossEntropyLoss-one-hot"),
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("check, arguments", SHARED_CHECK_CASES)
def test_every_layer_and_loss_passes_the_shared_check(check, arguments, dtype):
    """Gradients against central differences, dtypes kept, inputs untouched, input_grad=False.

    One list for every layer, block and loss bpcore exports (conftest's check_module and
    check_loss say what is checked), so a new layer needs one line here, not a new test.
    """
    check(*arguments, dtype)


def test_the_shared_check_covers_every_exported_layer_and_loss():
    exported = {name for name in bpcore.__all__
                if isinstance(getattr(bpcore, name), type)
                and issubclass(getattr(bpcore, name), (bpcore.Module, bpcore.losses.Loss))
                and getattr(bpcore, name) is not bpcore.Module}
    checked = set()
    for case in SHARED_CHECK_CASES:
        check, (make, *_) = case.values
        built = make(np.float64) if check is check_module else make()
        checked.add(type(built).__name__)
    assert exported == checked, f"not checked: {sorted(exported - checked)}"


class TanhInFloat64(bpcore.Tanh):
    def function(self, x):
        return np.tanh(x.astype(np.float64))


class TanhInPlace(bpcore.Tanh):
    def function(self, x):
        return np.tanh(x, out=x)


class TanhScalingTheUpstreamGradient(bpcore.Tanh):
    def backward(self, grad_output, input_grad=True):
        grad_output *= self.derivative()
        return grad_output if input_grad else None


class LinearIgnoringInputGrad(bpcore.Linear):
    def backward(self, grad_output, input_grad=True):
        return super().backward(grad_output, input_grad=True)


class LinearSkippingParametersWithoutInputGrad(bpcore.Linear):
    def backward(self, grad_output, input_grad=True):
        return super().backward(grad_output) if input_grad else None


class LinearWithoutInputGradByDefault(bpcore.Linear):
    def backward(self, grad_output, input_grad=False):
        return super().backward(grad_output, input_grad)


class LinearWithFloat64Gradients(bpcore.Linear):
    def backward(self, grad_output, input_grad=True):
        result = super().backward(grad_output, input_grad)
        # stored behind the setter's back, which would cast it to the weights' dtype
        self.W._grad = self.W.grad.astype(np.float64)
        return result


class MSELossWithoutTheFactorTwo(bpcore.MSELoss):
    def forward(self, prediction, target):
        value = super().forward(prediction, target)
        self._gradient = self._gradient / 2
        return value


class MSELossWithFloat64Gradient(bpcore.MSELoss):
    def forward(self, prediction, target):
        value = super().forward(prediction, target)
        self._gradient = self._gradient.astype(np.float64)
        return value


class CrossEntropyLossShiftingInPlace(bpcore.CrossEntropyLoss):
    """Subtracts each row's maximum from the caller's logits: same loss, same gradient."""

    def forward(self, prediction, target):
        prediction -= prediction.max(axis=1, keepdims=True)
        return super().forward(prediction, target)


class BCEWithLogitsLossReturningAnArray(bpcore.BCEWithLogitsLoss):
    def forward(self, prediction, target):
        return np.float32(super().forward(prediction, target))


class BatchNormWithConstantStatistics(bpcore.BatchNorm1d):
    """The classic slip: backward treats the batch mean and variance as constants."""

    def backward(self, grad_output, input_grad=True):
        super().backward(grad_output, input_grad=False)
        return grad_output * self.weight.data * self._inv_std if input_grad else None


def linear_bug(bug, size=3):
    """A maker of the planted ``bug``, a Linear(4, size) subclass, in the dtype asked for."""
    return lambda dtype: bug(4, size, rng=0, dtype=dtype)


PLANTED_BUGS = [
    pytest.param(check_module, (lambda dtype: SigmoidWithoutSlope(), (5, 4)),
                 "gradient check fails", id="dropped-factor"),
    pytest.param(check_module, (linear_bug(LinearWrongSign), (5, 4)),
                 "gradient check fails", id="wrong-sign"),
    pytest.param(check_module, (linear_bug(LinearTransposed, 4), (5, 4)),
                 "gradient check fails", id="transposed-weight"),
    pytest.param(check_module, (lambda dtype: TanhInFloat64(), (5, 4)),
                 "float32 input into float64 output", id="upcast-output"),
    pytest.param(check_module, (linear_bug(LinearWithFloat64Gradients), (5, 4)),
                 "W.grad is float64, not float32", id="upcast-parameter-gradient"),
    pytest.param(check_module, (lambda dtype: TanhInPlace(), (5, 4)),
                 "forward mutated its input", id="forward-in-place"),
    pytest.param(check_module, (lambda dtype: TanhScalingTheUpstreamGradient(), (5, 4)),
                 "backward mutated the upstream gradient", id="backward-in-place"),
    pytest.param(check_module, (linear_bug(LinearWithoutInputGradByDefault), (5, 4)),
                 r"backward\(g\) returned None", id="input-grad-off-by-default"),
    pytest.param(check_module, (linear_bug(LinearIgnoringInputGrad), (5, 4)),
                 r"backward\(g, input_grad=False\) returned ndarray", id="input-grad-ignored"),
    pytest.param(check_module, (linear_bug(LinearSkippingParametersWithoutInputGrad), (5, 4)),
                 "W.grad differs with input_grad=False", id="parameters-skipped"),
    pytest.param(check_module, (lambda dtype: bpcore.Sequential(
        bpcore.Linear(4, 3, init="zeros", dtype=dtype), bpcore.ReLU()), (5, 4)),
                 "from its kink", id="relu-at-its-kink"),
    pytest.param(check_module, (lambda dtype: BatchNormWithConstantStatistics(4, dtype=dtype),
                                (5, 4)), "gradient check fails", id="batchnorm-constant-statistics"),
    # truncated backpropagation through time is, by design, not the whole gradient
    pytest.param(check_module, (lambda dtype: bpcore.RNN(3, 4, truncate=2, rng=0, dtype=dtype),
                                (2, 5, 3)), "gradient check fails", id="rnn-truncated"),
    pytest.param(check_loss, (MSELossWithoutTheFactorTwo, LOGITS, np.zeros((6, 3))),
                 "gradient check fails", id="loss-dropped-factor"),
    pytest.param(check_loss, (MSELossWithFloat64Gradient, LOGITS, np.zeros((6, 3))),
                 "float32 prediction got a float64 gradient", id="loss-upcast-gradient"),
    pytest.param(check_loss, (CrossEntropyLossShiftingInPlace, LOGITS, np.arange(6) % 3),
                 "the loss mutated its prediction", id="loss-in-place"),
    pytest.param(check_loss, (BCEWithLogitsLossReturningAnArray, LOGITS, np.ones((6, 3))),
                 "the loss is float32", id="loss-not-a-float"),
]


@pytest.mark.parametrize("check, arguments, message", PLANTED_BUGS)
def test_the_shared_check_catches_planted_bugs(check, arguments, message):
    """A check that cannot fail proves nothing: each bug breaks one promise, and is caught."""
    with pytest.raises(AssertionError, match=message):
        check(*arguments, np.float32)


# --- the Module interface: backward(g) returns ∂L/∂x unless input_grad=False -------------


@pytest.mark.parametrize("module_class", [
    bpcore.Module, bpcore.Linear, bpcore.layers.Activation, bpcore.Sigmoid, bpcore.Tanh,
    bpcore.ReLU, bpcore.LeakyReLU, bpcore.Identity, bpcore.Sequential,
], ids=lambda module_class: module_class.__name__)
def test_input_grad_is_true_by_default(module_class):
    assert inspect.signature(module_class.backward).parameters["input_grad"].default is True


def test_linear_backward_returns_the_input_gradient_unless_told_not_to():
    rng = np.random.default_rng(0)
    layer = bpcore.Linear(3, 2, rng=0)
    x, g = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    layer(x)
    np.testing.assert_array_equal(layer.backward(g), g @ layer.W.data.T)
    layer.zero_grad()
    layer(x)
    assert layer.backward(g, input_grad=False) is None
    np.testing.assert_array_equal(layer.W.grad, x.T @ g)
    np.testing.assert_array_equal(layer.b.grad, g.sum(axis=0))


@pytest.mark.parametrize("activation, derivative", [
    (bpcore.Sigmoid(), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    (bpcore.Tanh(), lambda x: 1 / np.cosh(x) ** 2),
    (bpcore.ReLU(), lambda x: (x > 0).astype(float)),
    (bpcore.LeakyReLU(0.1), lambda x: np.where(x > 0, 1.0, 0.1)),
    (bpcore.Identity(), np.ones_like),
], ids=["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Identity"])
def test_activation_backward_returns_the_input_gradient_unless_told_not_to(activation, derivative):
    rng = np.random.default_rng(1)
    x, g = away_from_zero((4, 3), rng), rng.standard_normal((4, 3))
    activation(x)
    np.testing.assert_allclose(activation.backward(g), g * derivative(x), rtol=1e-12)
    activation(x)
    assert activation.backward(g, input_grad=False) is None


class Recording(bpcore.Identity):
    """The identity, noting the input_grad of every backward call in ``log``."""

    def __init__(self, log, name):
        self.log, self.name = log, name

    def backward(self, grad_output, input_grad=True):
        self.log.append((self.name, input_grad))
        return super().backward(grad_output, input_grad)


def test_sequential_asks_only_its_first_layer_to_skip_the_input_gradient():
    """Every later layer must pass its input gradient down, whatever input_grad says."""
    rng = np.random.default_rng(2)
    log = []
    linear = bpcore.Linear(3, 3, rng=0)
    model = bpcore.Sequential(Recording(log, "first"), linear, Recording(log, "last"))
    x, g = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    model(x)
    np.testing.assert_array_equal(model.backward(g), g @ linear.W.data.T)
    assert log == [("last", True), ("first", True)]
    log.clear()
    model(x)
    assert model.backward(g, input_grad=False) is None
    assert log == [("last", True), ("first", False)]


# --- named_weights: the 2-D parameters ------------------------------------------------------


class Bilinear(bpcore.Module):
    """Parameters only (no forward is needed here): a vector, and a matrix not called W."""

    def __init__(self):
        self.scale = bpcore.Parameter(np.ones(3), "scale")
        self.M = bpcore.Parameter(np.eye(3), "M")

    def named_parameters(self):
        return [("scale", self.scale), ("M", self.M)]


def test_named_weights_lists_exactly_the_two_dimensional_parameters_in_forward_order():
    model = bpcore.MLP([2, 3, 4, 1], seed=0)
    named = model.named_weights()
    assert [name for name, _ in named] == ["0.W", "2.W", "4.W"]
    assert all(p is layer.W for (_, p), layer in zip(named, model[::2], strict=True))
    mixed = bpcore.Sequential(bpcore.Linear(2, 3), Bilinear(),
                              bpcore.Residual(bpcore.Linear(3, 3)), bpcore.Linear(3, 1))
    assert [name for name, _ in mixed.named_weights()] == ["0.W", "1.M", "2.module.W", "3.W"]
    assert [name for name, _ in bpcore.Tanh().named_weights()] == []


# --- bad input gets an error that names what is wrong -------------------------------------


def test_linear_rejects_wrong_feature_count():
    with pytest.raises(bpcore.ShapeError, match=r"Linear\(3, 2\) expects input of shape \(n, 3\), got shape \(4, 5\)"):
        bpcore.Linear(3, 2, rng=0).forward(np.ones((4, 5)))


def test_linear_rejects_one_dimensional_input():
    with pytest.raises(bpcore.ShapeError, match=r"got shape \(3,\)"):
        bpcore.Linear(3, 2, rng=0).forward(np.ones(3))


def test_sequential_names_the_layer_at_fault():
    model = bpcore.MLP([3, 4, 2], seed=0)
    with pytest.raises(bpcore.ShapeError, match=r"layer 0 of the Sequential: Linear\(3, 4\)"):
        model.forward(np.ones((2, 7)))


def test_sequential_rejects_mismatched_layers_at_construction():
    with pytest.raises(bpcore.ShapeError, match=r"layer 2 Linear\(5, 1\) expects 5 input features, but layer 0 Linear\(3, 4\) produces 4"):
        bpcore.Sequential(bpcore.Linear(3, 4), bpcore.ReLU(), bpcore.Linear(5, 1))


def test_sequential_rejects_non_modules():
    with pytest.raises(TypeError, match=r"Sequential takes Module instances; argument 1 is ufunc"):
        bpcore.Sequential(bpcore.Linear(2, 2), np.tanh)


def test_non_finite_inputs_are_named():
    with pytest.raises(bpcore.NonFiniteError, match=r"input to Linear\(2, 2\) contains NaN or inf \(1 of 4 entries, shape \(2, 2\)\)"):
        bpcore.Linear(2, 2, rng=0).forward(np.array([[1.0, np.nan], [0.0, 1.0]]))


@pytest.mark.parametrize(
    "module",
    [bpcore.Linear(2, 2), bpcore.Sigmoid(), bpcore.ReLU(), bpcore.MLP([2, 2, 1])],
    ids=lambda m: type(m).__name__,
)
def test_backward_before_forward(module):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        module.backward(np.ones((1, 2)))


def test_backward_with_wrong_gradient_shape():
    layer = bpcore.Linear(2, 3, rng=0)
    layer.forward(np.ones((4, 2)))
    with pytest.raises(bpcore.ShapeError, match=r"got a gradient of shape \(4, 2\), but its last forward output had shape \(4, 3\)"):
        layer.backward(np.ones((4, 2)))


def test_dtype_mismatch_between_input_and_layer():
    with pytest.raises(TypeError, match=r"float64 parameters but got float32 input.*astype\(np.float64\)"):
        bpcore.Linear(2, 2, rng=0).forward(np.ones((1, 2), dtype=np.float32))


@pytest.mark.parametrize("size", [0, -3])
def test_layer_sizes_must_be_positive_integers(size):
    with pytest.raises(ValueError, match=f"in_features must be a positive integer, got {size!r}"):
        bpcore.Linear(size, 2)


@pytest.mark.parametrize("size, shown", [(2.5, "float 2.5"), (True, "bool True"), ("3", "str '3'")])
def test_layer_sizes_of_the_wrong_type(size, shown):
    with pytest.raises(TypeError, match=f"in_features must be a positive integer, got {shown}"):
        bpcore.Linear(size, 2)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.LeakyReLU("a"), "negative_slope must be a real number, got str 'a'"),
    ],
)
def test_settings_of_the_wrong_type_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.LeakyReLU(-0.1), "negative_slope must be a finite number ≥ 0, got -0.1"),
        (lambda: bpcore.LeakyReLU(np.inf), "negative_slope must be a finite number ≥ 0, got inf"),
    ],
)
def test_settings_of_the_right_type_but_a_wrong_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, shown",
    [
        (lambda: bpcore.Linear(2, 2, dtype=int), "int64"),
    ],
)
def test_only_real_floating_dtypes(call, shown):
    with pytest.raises(TypeError, match=f"dtype must be a real floating type such as np.float64 or np.float32, got {shown}; an integer type would truncate"):
        call()


def test_integer_input_to_a_float32_layer_names_its_dtype():
    layer = bpcore.Linear(2, 2, rng=0, dtype=np.float32)
    with pytest.raises(TypeError, match=r"float32 parameters but got int64 input; cast the input with x.astype\(np.float32\)$"):
        layer.forward(np.ones((1, 2), dtype=np.int64))


@pytest.mark.parametrize(
    "module", [bpcore.Linear(2, 2, rng=0), bpcore.Tanh(), bpcore.MLP([2, 3, 2])], ids=repr
)
def test_complex_gradient_to_backward(module):
    module.forward(np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"the gradient passed to .*\.backward must be a real numeric array, got dtype complex128; .*np.real"):
        module.backward(np.ones((1, 2)) * 1j)


def test_a_gradient_reads_as_zeros_after_zero_grad():
    parameter = bpcore.Parameter(np.ones(3))
    parameter.grad[:] = 5.0
    parameter.zero_grad()
    np.testing.assert_array_equal(parameter.grad, np.zeros(3))


def test_contributions_after_zero_grad_add_up_from_zero():
    parameter = bpcore.Parameter(np.ones(3))
    parameter.accumulate_grad(np.full(3, 7.0))
    parameter.zero_grad()
    parameter.accumulate_grad(np.array([1.0, 2.0, 3.0]))
    parameter.accumulate_grad(np.array([1.0, 1.0, 1.0]))
    np.testing.assert_array_equal(parameter.grad, [2.0, 3.0, 4.0])


def test_a_gradient_written_by_hand_after_zero_grad_is_added_to():
    parameter = bpcore.Parameter(np.ones(2))
    parameter.zero_grad()
    parameter.grad[:] = [10.0, 20.0]  # reading .grad clears it, then the write sticks
    parameter.accumulate_grad(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(parameter.grad, [11.0, 22.0])


def test_a_module_used_twice_sums_both_contributions():
    layer = bpcore.Linear(2, 2, rng=0)
    x = np.array([[1.0, 2.0]])
    layer.zero_grad()
    layer(x)
    layer.backward(np.ones((1, 2)))
    layer(x)
    layer.backward(np.ones((1, 2)))
    np.testing.assert_allclose(layer.W.grad, 2 * x.T @ np.ones((1, 2)))
    np.testing.assert_allclose(layer.b.grad, [2.0, 2.0])


def test_the_gradient_setter_checks_the_shape_and_keeps_the_weights_dtype():
    parameter = bpcore.Parameter(np.zeros(3, dtype=np.float32))
    parameter.grad = np.array([1.0, 2.0, 3.0])  # float64 in
    assert parameter.grad.dtype == np.float32
    with pytest.raises(bpcore.ShapeError, match="cannot take a gradient of shape"):
        parameter.grad = np.zeros(4)


@pytest.mark.parametrize("contribution, error, message", [
    (np.zeros(4), bpcore.ShapeError, "contribution of shape"),
    (np.zeros(3, dtype=np.float32), TypeError, "float32 gradient contribution"),
])
def test_accumulate_grad_refuses_a_contribution_of_another_shape_or_dtype(
        contribution, error, message):
    with pytest.raises(error, match=message):
        bpcore.Parameter(np.zeros(3)).accumulate_grad(contribution)


@pytest.mark.parametrize("weights, x", [
    ([[np.inf, 1.0], [0.0, 1.0]], [[1.0, 1.0]]),  # a weight that is not finite
    ([[1e300, 1.0], [1e300, 1.0]], [[1e10, 1e10]]),  # a product that overflows
])
def test_linear_names_itself_when_a_finite_input_gives_a_non_finite_output(weights, x):
    layer = bpcore.Linear(2, 2)
    layer.W.data[:] = weights
    # and no RuntimeWarning first (the suite makes one an error)
    with pytest.raises(bpcore.NonFiniteError,
                       match=r"Linear\(2, 2\) turned a finite input into NaN or inf"):
        layer(np.array(x))


def test_an_infinite_input_meeting_a_zero_weight_gives_the_input_message_alone():
    layer = bpcore.Linear(2, 2, rng=0)
    layer.W.data[0, 0] = 0.0  # inf · 0 is NaN inside the product
    with pytest.raises(bpcore.NonFiniteError,
                       match=r"input to Linear\(2, 2\) contains NaN or inf \(1 of 2 entries"):
        layer(np.array([[np.inf, 1.0]]))


# --- train() and eval() ----------------------------------------------------------------------


def every_module(module):
    yield module
    for child in module.children():
        yield from every_module(child)


def test_train_and_eval_set_training_on_every_module_inside_and_return_the_module():
    inner = bpcore.Sequential(bpcore.Linear(4, 4, rng=0), bpcore.BatchNorm1d(4), bpcore.Tanh())
    model = bpcore.Sequential(bpcore.Linear(3, 4, rng=1), bpcore.Dropout(0.2, rng=0),
                              bpcore.Residual(inner), bpcore.Linear(4, 2, rng=2))
    modules = list(every_module(model))
    assert len(modules) == 9
    assert all(module.training is True for module in modules)  # the default
    assert model.eval() is model
    assert all(module.training is False for module in modules)
    assert model.train() is model
    assert all(module.training is True for module in modules)
    assert model.train(False) is model
    assert all(module.training is False for module in modules)


def test_train_takes_a_bool():
    with pytest.raises(TypeError, match=r"train\(mode\) takes True or False, got str 'eval'"):
        bpcore.Linear(2, 2).train("eval")


def test_fresh_modules_do_not_share_a_mode():
    first, second = bpcore.Dropout(), bpcore.Dropout()
    first.eval()
    assert second.training is True
