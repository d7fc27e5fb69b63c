"""Snapshots of a network as it trains: what the Neural Flow view draws.

A ``SnapshotRecorder`` is given to :func:`bpcore.fit` as its ``progress``
callback. It records the network before training and after every
``every``-th epoch: each weight matrix, the loss on the whole training set,
and, for a few chosen samples, the activation of every unit and the
gradient of that sample's own loss L_s with respect to every weight,

    ∂L_s/∂W = a_prevᵀ δ,   δ = ∂L_s/∂z   (one outer product per layer),

computed by the network's own backward pass.

>>> from bpcore import BCEWithLogitsLoss, MLP, SGD, fit, xor
>>> X, y = xor()
>>> model = MLP([2, 2, 1], activation="sigmoid")
>>> loss = BCEWithLogitsLoss()
>>> recorder = SnapshotRecorder(model, loss, X, y[:, None], [0, 3], 100)
>>> history = fit(model, loss, SGD(model.parameters(), lr=2.0), X,
...               y[:, None], epochs=500, progress=recorder)
>>> [snapshot.epoch for snapshot in recorder.snapshots]
[0, 100, 200, 300, 400, 500]
"""

from dataclasses import dataclass

import numpy as np

from .checks import ShapeError, check_positive_int
from .layers import Linear, Sequential
from .train import _check_data


@dataclass(frozen=True)
class Snapshot:
    """The network after ``epoch`` epochs (0: before training).

    With layers l = 1 … L (the Linear layers) and the chosen samples s:

    - ``loss``: the mean loss over the whole training set at these weights;
    - ``weights[l - 1]``: W of layer l, shape (in_features, out_features);
    - ``activations[l]``: the units' values, shape (samples, units):
      l = 0 the inputs, 1 … L − 1 the hidden layers after their activation,
      L the network's outputs (logits, before the loss's sigmoid/softmax);
    - ``gradients[l - 1]``: ∂L_s/∂W of layer l for each sample's own loss,
      shape (samples, in_features, out_features).

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    epoch: int
    loss: float
    weights: list
    activations: list
    gradients: list


class SnapshotRecorder:
    """Records a ``Snapshot`` before training and every ``every`` epochs.

    ``samples`` are the indices (into X) of the samples whose activations
    and gradients are recorded. Give the recorder to :func:`bpcore.fit` as
    ``progress=recorder``; ``recorder.snapshots`` then holds the run. The
    model must be a ``Sequential`` of Linear layers and activations (or one
    Linear layer). Recording leaves the weights, and the gradients the
    training step left, as they were.

    Taught in :doc:`/chapters/05_backward_pass`.
    """

    def __init__(self, model, loss, X, y, samples, every=1):
        self.layers = _drawable_layers(model)
        self.model, self.loss = model, loss
        self.X, self.y = _check_data(X, y)
        self.samples = _check_samples(samples, len(self.X))
        check_positive_int(every, "every")
        self.every = every
        self.snapshots = [self.take(0)]

    def __call__(self, epoch, history):
        """Record after ``epoch``, if it is a multiple of ``every``."""
        if epoch % self.every == 0:
            self.snapshots.append(self.take(epoch))

    def take(self, epoch):
        """A Snapshot of the model as it is now, labelled ``epoch``."""
        parameters = self.model.parameters()
        kept = [parameter.grad.copy() for parameter in parameters]
        linears = [
            layer for layer in self.layers if isinstance(layer, Linear)
        ]
        activations, a = [], self.X[self.samples]
        for layer in self.layers:
            if isinstance(layer, Linear):
                activations.append(a)  # the units feeding this layer
            a = layer(a)
        activations.append(a)
        gradients = [[] for _ in linears]
        for s in self.samples:
            self.model.zero_grad()
            one = slice(s, s + 1)
            self.loss(self.model(self.X[one]), self.y[one])
            self.model.backward(self.loss.backward(), input_grad=False)
            for per_layer, layer in zip(gradients, linears, strict=True):
                per_layer.append(layer.W.grad.copy())
        mean_loss = self.loss(self.model(self.X), self.y)
        for parameter, grad in zip(parameters, kept, strict=True):
            parameter.grad = grad
        return Snapshot(
            epoch=epoch,
            loss=mean_loss,
            weights=[layer.W.data.copy() for layer in linears],
            activations=activations,
            gradients=[np.stack(per_layer) for per_layer in gradients],
        )


def _drawable_layers(model):
    """The modules of ``model`` in order; raise if it cannot be drawn."""
    layers = [model] if isinstance(model, Linear) else model
    if not isinstance(model, (Linear, Sequential)):
        raise TypeError(
            "snapshots are drawn for a Sequential of Linear layers and "
            f"activations (or one Linear layer), got {type(model).__name__}"
        )
    for position, layer in enumerate(layers):
        if not isinstance(layer, Linear) and layer.parameters():
            raise TypeError(
                f"layer {position} of the model ({layer!r}) has parameters "
                "but is not Linear: snapshots are drawn for Linear layers "
                "and activations only"
            )
    if not any(isinstance(layer, Linear) for layer in layers):
        raise ValueError("the model has no Linear layer to draw")
    return list(layers)


def _check_samples(samples, n):
    """``samples`` as a list of distinct indices into n samples."""
    indices = np.asarray(samples)
    if indices.ndim != 1 or not len(indices):
        raise ShapeError(
            f"samples must be a non-empty list of indices, got {samples!r}"
        )
    if indices.dtype.kind not in "iu":
        raise TypeError(
            f"samples must be integer indices into X, got {samples!r}"
        )
    if indices.min() < -n or indices.max() >= n:
        raise ValueError(
            f"samples must index the {n} samples of X, got {samples!r}"
        )
    indices = indices % n
    if len(set(indices.tolist())) != len(indices):
        raise ValueError(f"samples names a sample twice: {samples!r}")
    return indices.tolist()
