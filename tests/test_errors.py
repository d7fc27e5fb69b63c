"""Bad input gets an error that names what is wrong (checked by message, not only type)."""

import numpy as np
import pytest

import bpcore
from bpcore.optim import SGD, Adam, RMSprop


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


@pytest.mark.parametrize("loss", [bpcore.MSELoss(), bpcore.BCEWithLogitsLoss()], ids=repr)
def test_losses_refuse_to_broadcast_column_against_vector(loss):
    with pytest.raises(bpcore.ShapeError, match=r"prediction has shape \(5, 1\) but target has shape \(5,\).*reshape"):
        loss(np.zeros((5, 1)), np.zeros(5))


def test_cross_entropy_rejects_float_labels():
    with pytest.raises(TypeError, match=r"expects integer class labels, got dtype float64.*astype\(int\)"):
        bpcore.CrossEntropyLoss()(np.zeros((3, 4)), np.array([0.0, 1.0, 2.0]))


@pytest.mark.parametrize("labels, shown", [([0, 4, 1], "from 0 to 4"), ([-1, 0, 1], "from -1 to 1")])
def test_cross_entropy_rejects_labels_out_of_range(labels, shown):
    with pytest.raises(ValueError, match=rf"labels must lie in \[0, 4\) for 4 classes, got values {shown}"):
        bpcore.CrossEntropyLoss()(np.zeros((3, 4)), np.array(labels))


def test_cross_entropy_rejects_wrong_label_count():
    with pytest.raises(bpcore.ShapeError, match=r"labels of shape \(3,\) for logits of shape \(3, 4\), got target of shape \(2,\)"):
        bpcore.CrossEntropyLoss()(np.zeros((3, 4)), np.array([0, 1]))


def test_cross_entropy_rejects_one_dimensional_logits():
    with pytest.raises(bpcore.ShapeError, match=r"logits of shape \(n, classes\), got shape \(3,\)"):
        bpcore.CrossEntropyLoss()(np.zeros(3), np.array([0, 1, 1]))


def test_bce_rejects_targets_outside_unit_interval():
    with pytest.raises(ValueError, match=r"targets must lie in \[0, 1\], got values from 0.0 to 2.0"):
        bpcore.BCEWithLogitsLoss()(np.zeros((2, 1)), np.array([[0.0], [2.0]]))


def test_non_finite_inputs_are_named():
    with pytest.raises(bpcore.NonFiniteError, match=r"input to Linear\(2, 2\) contains NaN or inf \(1 of 4 entries, shape \(2, 2\)\)"):
        bpcore.Linear(2, 2, rng=0).forward(np.array([[1.0, np.nan], [0.0, 1.0]]))
    with pytest.raises(bpcore.NonFiniteError, match=r"MSELoss\(\) target contains NaN or inf"):
        bpcore.MSELoss()(np.zeros((1, 1)), np.array([[np.inf]]))
    with pytest.raises(bpcore.NonFiniteError, match=r"CrossEntropyLoss\(\) prediction contains NaN"):
        bpcore.CrossEntropyLoss()(np.array([[np.nan, 0.0]]), np.array([0]))


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


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="unknown activation 'relu6'; valid names are identity, leaky_relu, relu, sigmoid, tanh"):
        bpcore.MLP([2, 3, 1], activation="relu6")
    with pytest.raises(ValueError, match="unknown initialisation 'glorot'; valid names are he_normal, he_uniform, small_normal, xavier_normal, xavier_uniform, zeros"):
        bpcore.MLP([2, 3, 1], init="glorot")


@pytest.mark.parametrize(
    "module",
    [bpcore.Linear(2, 2), bpcore.Sigmoid(), bpcore.ReLU(), bpcore.MLP([2, 2, 1])],
    ids=lambda m: type(m).__name__,
)
def test_backward_before_forward(module):
    with pytest.raises(RuntimeError, match=r"backward\(\) was called before forward\(\)"):
        module.backward(np.ones((1, 2)))


def test_loss_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"MSELoss\(\).backward\(\) was called before forward\(\)"):
        bpcore.MSELoss().backward()


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


def test_fit_rejects_bad_data_and_settings():
    model = bpcore.MLP([2, 1])
    optimizer = SGD(model.parameters(), lr=0.1)
    loss = bpcore.MSELoss()
    with pytest.raises(bpcore.ShapeError, match=r"X has 3 samples but y has 2"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((2, 1)))
    with pytest.raises(bpcore.NonFiniteError, match="X contains NaN or inf"):
        bpcore.fit(model, loss, optimizer, np.full((3, 2), np.nan), np.ones((3, 1)))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((3, 1)), batch_size=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got -1"):
        bpcore.fit(model, loss, optimizer, np.ones((3, 2)), np.ones((3, 1)), epochs=-1)


# --- one policy: a wrong type raises TypeError, a wrong value ValueError -------------------


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
    ],
)
def test_optimizer_settings_of_the_wrong_type(make, message):
    with pytest.raises(TypeError, match=message):
        make(bpcore.MLP([2, 1]).parameters())


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.LeakyReLU("a"), "negative_slope must be a real number, got str 'a'"),
        (lambda: bpcore.spiral(noise="0.2"), "noise must be a real number, got str '0.2'; write the number without quotes"),
        (lambda: bpcore.moons(noise=None), "noise must be a real number, got NoneType None"),
        (lambda: bpcore.circles(factor="a"), "factor must be a real number, got str 'a'"),
        (lambda: bpcore.digits(test_fraction="0.25"), "test_fraction must be a real number, got str '0.25'"),
        (lambda: bpcore.blobs(std="1"), "std must be a real number, got str '1'"),
        (lambda: bpcore.xor(repeats=2.0), "repeats must be a positive integer, got float 2.0"),
        (lambda: bpcore.init.normal("0.1"), "std must be a real number, got str '0.1'"),
    ],
)
def test_settings_of_the_wrong_type_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_fit_sizes_of_the_wrong_type():
    model = bpcore.MLP([2, 1])
    optimizer = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match="epochs must be a positive integer, got float 2.5"):
        bpcore.fit(model, bpcore.MSELoss(), optimizer, np.ones((3, 2)), np.ones((3, 1)), epochs=2.5)
    with pytest.raises(TypeError, match="batch_size must be a positive integer, got str '8'"):
        bpcore.fit(model, bpcore.MSELoss(), optimizer, np.ones((3, 2)), np.ones((3, 1)), batch_size="8")


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.LeakyReLU(-0.1), "negative_slope must be a finite number ≥ 0, got -0.1"),
        (lambda: bpcore.LeakyReLU(np.inf), "negative_slope must be a finite number ≥ 0, got inf"),
        (lambda: bpcore.spiral(noise=np.nan), "noise must be a finite number ≥ 0, got nan"),
        (lambda: bpcore.circles(factor=0), "factor must lie strictly between 0 and 1, got 0"),
        (lambda: bpcore.digits(test_fraction=np.nan), "test_fraction must lie strictly between 0 and 1, got nan"),
    ],
)
def test_settings_of_the_right_type_but_a_wrong_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_the_shared_checks_follow_the_policy():
    """landscapes.descend and the rest call these, so every module answers alike."""
    from bpcore import checks

    for check in (checks.check_real, checks.check_positive, checks.check_non_negative,
                  checks.check_unit_interval, checks.check_open_unit_interval):
        with pytest.raises(TypeError, match=r"eta \(the learning rate\) must be a real number, got str 'a'"):
            check("a", "eta (the learning rate)")
    checks.check_real(np.int64(3), "n")  # NumPy scalars are real numbers
    with pytest.raises(ValueError, match=r"eta \(the learning rate\) must be a positive finite number, got -1"):
        checks.check_positive(-1, "eta (the learning rate)")


def test_the_same_parameter_twice_is_refused():
    model = bpcore.MLP([2, 3, 1])
    params = model.parameters()
    with pytest.raises(ValueError, match=r"SGD got the same Parameter\(b, shape=\(3,\), dtype=float64\) twice, as items 1 and 4; list every Parameter once"):
        SGD(params + [params[1]], lr=0.1)
    layer = bpcore.Linear(2, 2)
    shared = bpcore.Sequential(layer, bpcore.Tanh(), layer)
    with pytest.raises(ValueError, match=r"Adam got the same Parameter\(W, .*\) twice, as items 0 and 2.*shares its parameters"):
        Adam(shared.parameters())


# --- silent garbage becomes an error --------------------------------------------------------


@pytest.mark.parametrize(
    "call, shown",
    [
        (lambda: bpcore.spiral(dtype=int), "int64"),
        (lambda: bpcore.spiral(dtype=complex), "complex128"),
        (lambda: bpcore.xor(dtype=np.int32), "int32"),
        (lambda: bpcore.blobs(dtype=bool), "bool"),
        (lambda: bpcore.moons(dtype=np.uint8), "uint8"),
        (lambda: bpcore.circles(dtype=int), "int64"),
        (lambda: bpcore.digits(dtype=int), "int64"),
        (lambda: bpcore.Linear(2, 2, dtype=int), "int64"),
    ],
)
def test_only_real_floating_dtypes(call, shown):
    with pytest.raises(TypeError, match=f"dtype must be a real floating type such as np.float64 or np.float32, got {shown}; an integer type would truncate"):
        call()


def test_blobs_rejects_non_finite_centers():
    with pytest.raises(ValueError, match=r"centers contains NaN or inf \(1 of 2 entries, shape \(1, 2\)\)"):
        bpcore.blobs(centers=[[np.nan, 0.0]])


# --- empty batches ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "loss, prediction, target, shown",
    [
        (bpcore.MSELoss(), np.zeros((0, 1)), np.zeros((0, 1)), r"MSELoss\(\) prediction is empty \(shape \(0, 1\)\)"),
        (bpcore.BCEWithLogitsLoss(), np.zeros((0, 1)), np.zeros((0, 1)), r"BCEWithLogitsLoss\(\) prediction is empty \(shape \(0, 1\)\)"),
        (bpcore.CrossEntropyLoss(), np.zeros((0, 3)), np.zeros(0, dtype=int), r"CrossEntropyLoss\(\) prediction is empty \(shape \(0, 3\)\)"),
        (bpcore.CrossEntropyLoss(), np.zeros((0, 3)), np.zeros((0, 3)), r"CrossEntropyLoss\(\) prediction is empty \(shape \(0, 3\)\)"),
    ],
    ids=["mse", "bce", "ce-labels", "ce-onehot"],
)
def test_losses_reject_an_empty_batch(loss, prediction, target, shown):
    with pytest.raises(ValueError, match=shown + "; pass at least one sample"):
        loss(prediction, target)


def test_fit_rejects_empty_data_naming_X():
    model = bpcore.MLP([2, 1])
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\); pass at least one sample"):
        bpcore.fit(model, bpcore.MSELoss(), SGD(model.parameters(), lr=0.1), np.zeros((0, 2)),
                   np.zeros((0, 1)))


# --- messages that say what was passed ---------------------------------------------------


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


def test_fit_rejects_a_scalar_target():
    model = bpcore.MLP([2, 1])
    with pytest.raises(bpcore.ShapeError, match=r"y must hold one target per sample, with shape \(3,\) or \(3, outputs\); got the single number 1.0"):
        bpcore.fit(model, bpcore.MSELoss(), SGD(model.parameters(), lr=0.1), np.ones((3, 2)), 1.0)
