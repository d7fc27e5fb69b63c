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
        (lambda ps: Adam(ps, betas=0.9), r"betas must be a pair \(beta1, beta2\), got 0.9"),
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


@pytest.mark.parametrize("size", [0, -3, 2.5, True])
def test_layer_sizes_must_be_positive_integers(size):
    with pytest.raises(ValueError, match=f"in_features must be a positive integer, got {size!r}"):
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
