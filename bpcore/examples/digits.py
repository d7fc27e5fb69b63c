"""Chapter 8's reading of a prediction and of a gradient.

The two most probable classes of a prediction, and the gradient of a batch
taken apart into the gradients of its examples.
"""

import numpy as np

from ..losses import CrossEntropyLoss


def top_two(probabilities):
    """Each row's two most probable classes and their probabilities.

    Returns (classes, probabilities), both of shape (n, 2), best first.

    Worked in :doc:`/chapters/08_digits`.
    """
    probabilities = np.atleast_2d(
        np.asarray(probabilities, dtype=np.float64)
    )
    classes = np.argsort(-probabilities, axis=1, kind="stable")[:, :2]
    return classes, np.take_along_axis(probabilities, classes, axis=1)


def per_example_gradients(model, X, y):
    """∂L_i/∂θ of each example's own cross-entropy L_i, for every parameter.

    One forward and backward pass per row of ``X``. Returns one array per
    parameter of ``model``, in the order of ``model.parameters()``, of
    shape ``(n, *parameter.shape)``: entry i is example i's gradient. Their
    mean over the examples is the gradient of the batch's mean loss. The
    model's gradients are left at zero.

    Worked in :doc:`/chapters/08_digits`.
    """
    loss = CrossEntropyLoss()
    parameters = model.parameters()
    gradients = [np.empty((len(X), *p.data.shape)) for p in parameters]
    for i in range(len(X)):
        model.zero_grad()
        loss(model(X[i : i + 1]), y[i : i + 1])
        model.backward(loss.backward(), input_grad=False)
        for gradient, parameter in zip(gradients, parameters, strict=True):
            gradient[i] = parameter.grad
    model.zero_grad()
    return gradients


def desired_nudges(scores, labels):
    """What each example wants of its logits: -∂L_i/∂z_i = y_i - p_i.

    ``scores`` are logits of shape (n, K), ``labels`` integer classes; p_i
    is the softmax of row i and y_i its one-hot label. Each row raises its
    true class and lowers every other in proportion to its probability; a
    row sums to 0.

    Worked in :doc:`/chapters/08_digits`.
    """
    scores = np.asarray(scores, dtype=np.float64)
    p = np.exp(scores - scores.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return np.eye(scores.shape[1])[np.asarray(labels)] - p


def gradient_cosines(gradients):
    """Cosine of the angle between every two examples' gradients.

    ``gradients`` is a list of arrays of shape (n, ...), one per parameter,
    as :func:`per_example_gradients` returns; each example's gradient is
    all of its entries together, one vector. Returns an (n, n) matrix: 1
    for examples that want the same change of the weights, -1 for opposite
    changes, 0 for unrelated ones.

    Worked in :doc:`/chapters/08_digits`.
    """
    n = len(gradients[0])
    vectors = np.concatenate([g.reshape(n, -1) for g in gradients], axis=1)
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return unit @ unit.T
