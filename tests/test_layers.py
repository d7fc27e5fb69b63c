"""Tests of bpcore.layers: Linear, the activations and Sequential, their gradients and their errors."""

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
    with pytest.raises(TypeError, match=r"float64 weights but got float32 input.*astype\(np.float64\)"):
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
    with pytest.raises(TypeError, match=r"float32 weights but got int64 input; cast the input with x.astype\(np.float32\)$"):
        layer.forward(np.ones((1, 2), dtype=np.int64))


@pytest.mark.parametrize(
    "module", [bpcore.Linear(2, 2, rng=0), bpcore.Tanh(), bpcore.MLP([2, 3, 2])], ids=repr
)
def test_complex_gradient_to_backward(module):
    module.forward(np.ones((1, 2)))
    with pytest.raises(TypeError, match=r"the gradient passed to .*\.backward must be a real numeric array, got dtype complex128; .*np.real"):
        module.backward(np.ones((1, 2)) * 1j)
