"""Tests of bpcore.examples.digits: chapter 8's reading of a prediction and of a
gradient."""

import numpy as np

import bpcore
from bpcore import examples


def test_top_two():
    classes, probabilities = examples.top_two([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    assert classes.tolist() == [[1, 2], [0, 2]]
    np.testing.assert_allclose(probabilities, [[0.6, 0.3], [0.5, 0.3]])


def small_batch(seed=0, n=6):
    rng = np.random.default_rng(seed)
    model = bpcore.MLP([5, 4, 3], activation="relu", seed=seed)
    return model, rng.standard_normal((n, 5)), rng.integers(0, 3, n)


def test_per_example_gradients_average_to_the_batch_gradient():
    model, X, y = small_batch()
    gradients = examples.per_example_gradients(model, X, y)
    assert [g.shape for g in gradients] == [(6, *p.data.shape) for p in model.parameters()]
    assert all(np.all(p.grad == 0) for p in model.parameters())  # left at zero
    loss = bpcore.CrossEntropyLoss()
    loss(model(X), y)
    model.backward(loss.backward(), input_grad=False)
    for per_example, parameter in zip(gradients, model.parameters(), strict=True):
        np.testing.assert_allclose(per_example.mean(axis=0), parameter.grad, rtol=1e-12,
                                   atol=1e-15)


def test_per_example_gradients_are_each_examples_own():
    model, X, y = small_batch(seed=1, n=3)
    gradients = examples.per_example_gradients(model, X, y)
    loss = bpcore.CrossEntropyLoss()
    for i in range(3):
        for per_example, parameter in zip(gradients, model.parameters(), strict=True):
            numeric = bpcore.numerical_gradient(
                lambda i=i: loss(model(X[i:i + 1]), y[i:i + 1]), parameter.data)
            assert bpcore.relative_error(per_example[i], numeric) < 1e-7


def test_desired_nudges_are_the_negative_gradient_of_each_examples_loss():
    rng = np.random.default_rng(2)
    scores, labels = rng.standard_normal((4, 5)) * 3, np.array([0, 4, 2, 2])
    nudges = examples.desired_nudges(scores, labels)
    p = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(nudges, np.eye(5)[labels] - p, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(nudges.sum(axis=1), 0, atol=1e-15)
    for i in range(4):  # the gradient of example i's own loss, not of the mean
        loss = bpcore.CrossEntropyLoss()
        loss(scores[i:i + 1], labels[i:i + 1])
        np.testing.assert_allclose(-loss.backward()[0], nudges[i], rtol=1e-12, atol=1e-15)
    big = examples.desired_nudges([[1000.0, 0.0, -1000.0]], [2])
    np.testing.assert_allclose(big, [[-1.0, 0.0, 1.0]], atol=1e-15)


def test_gradient_cosines():
    a = np.array([[1.0, 0.0], [2.0, 0.0], [-1.0, 0.0], [0.0, 3.0]])
    b = np.array([[0.0], [0.0], [0.0], [0.0]])
    cosines = examples.gradient_cosines([a, b])
    np.testing.assert_allclose(np.diag(cosines), 1)
    np.testing.assert_allclose(cosines[0, 1:], [1, -1, 0], atol=1e-15)
    np.testing.assert_allclose(cosines, cosines.T)
    # the arrays of one example count together, as one vector
    joined = examples.gradient_cosines([np.ones((2, 2, 2)), np.array([[1.0], [-4.0]])])
    np.testing.assert_allclose(joined[0, 1], 0.0, atol=1e-15)
