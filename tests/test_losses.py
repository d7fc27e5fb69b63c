"""Tests of bpcore.losses: the three losses' values, gradients and stability, predictions, errors."""

import numpy as np
import pytest

import bpcore

RNG = np.random.default_rng(1234)


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


# --- scores to classes ---------------------------------------------------------------------


def test_predict_classes_takes_the_argmax_of_several_outputs(make_linear_model):
    model = make_linear_model(np.eye(2, 3), np.zeros(3))  # scores (x1, x2, 0)
    X = np.array([[2.0, 1.0], [-1.0, 3.0], [-1.0, -2.0]])
    np.testing.assert_array_equal(bpcore.losses.predict_classes(model(X)), [0, 1, 2])


def test_predict_classes_thresholds_a_single_logit_at_zero(make_linear_model):
    model = make_linear_model([[1.0], [0.0]], [0.0])  # logit x1
    X = np.array([[0.5, 9.0], [-0.5, 9.0]])
    np.testing.assert_array_equal(bpcore.losses.predict_classes(model(X)), [1, 0])


def test_mse_predicts_nothing_because_its_scores_are_the_predictions():
    assert bpcore.MSELoss().predict(np.array([[0.3], [-2.0]])) is None


def test_cross_entropy_predicts_the_argmax_of_each_row():
    scores = np.array([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0], [-1.0, -2.0, -0.5]])
    np.testing.assert_array_equal(bpcore.CrossEntropyLoss().predict(scores), [1, 0, 2])


def test_bce_predicts_one_where_the_logit_is_positive():
    predicted = bpcore.BCEWithLogitsLoss().predict(np.array([[0.3], [-0.2], [0.0], [5.0]]))
    np.testing.assert_array_equal(predicted, [[1], [0], [0], [1]])
    assert predicted.dtype.kind == "i"


def test_bce_answers_each_logit_of_a_multi_label_output_on_its_own():
    # two independent yes/no outputs: not the argmax of the row
    scores = np.array([[2.0, 1.0], [-1.0, 3.0], [-2.0, -0.5]])
    np.testing.assert_array_equal(bpcore.BCEWithLogitsLoss().predict(scores),
                                  [[1, 1], [0, 1], [0, 0]])


@pytest.mark.parametrize("scores, classes", [
    (np.array([[0.2, 0.1], [-1.0, 1.0]]), [0, 1]),  # (n, 2): the argmax, not column 0's sign
    (np.array([[-3.0, -1.0, -2.0]]), [1]),  # (n, K): the argmax even when every score is < 0
    (np.array([[0.5], [-0.5], [0.0]]), [1, 0, 0]),  # (n, 1): 1 where the logit is > 0
    (np.array([0.5, -0.5, 0.0]), [1, 0, 0]),  # (n,): the same threshold
], ids=["two-columns", "three-columns", "one-column", "vector"])
def test_predict_classes_follows_the_shape_rule(scores, classes):
    predicted = bpcore.losses.predict_classes(scores)
    np.testing.assert_array_equal(predicted, classes)
    assert predicted.shape == (len(scores),)


# --- bad input gets an error that names what is wrong -------------------------------------


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


def test_non_finite_predictions_and_targets_are_named():
    with pytest.raises(bpcore.NonFiniteError, match=r"MSELoss\(\) target contains NaN or inf"):
        bpcore.MSELoss()(np.zeros((1, 1)), np.array([[np.inf]]))
    with pytest.raises(bpcore.NonFiniteError, match=r"CrossEntropyLoss\(\) prediction contains NaN"):
        bpcore.CrossEntropyLoss()(np.array([[np.nan, 0.0]]), np.array([0]))


def test_loss_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"MSELoss\(\).backward\(\) was called before forward\(\)"):
        bpcore.MSELoss().backward()


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
