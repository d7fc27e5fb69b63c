"""bpcore: a small NumPy backpropagation engine and the book's networks.

Layers (Linear, the activations, BatchNorm1d, Dropout, RNN), blocks
(Sequential, Residual), losses, optimizers and learning-rate schedules
(``bpcore.optim``), gradient checking and a training loop.

``import bpcore`` needs only NumPy. The figures, explorers, views and worked
examples are loaded on first use (``bpcore.plots``, ``bpcore.widgets``,
``bpcore.neural_flow``, ``bpcore.examples``); the digits data needs
scikit-learn.
"""

import importlib

from . import data, init, optim
from .blocks import Residual
from .checks import NonFiniteError, ShapeError
from .clip import clip_grad_norm
from .data import blobs, circles, digits, moons, spiral, xor
from .dropout import Dropout
from .gradcheck import (
    GradcheckReport,
    gradcheck,
    numerical_gradient,
    relative_error,
)
from .layers import (
    Identity,
    LeakyReLU,
    Linear,
    Module,
    Parameter,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from .losses import BCEWithLogitsLoss, CrossEntropyLoss, MSELoss
from .mlp import MLP
from .normalization import BatchNorm1d
from .optim import SGD, Adagrad, Adam, AdamW, RMSprop
from .recurrent import RNN
from .snapshots import Snapshot, SnapshotRecorder
from .train import History, TrainingDivergedWarning, accuracy, fit
from .value import Dual, Value

__version__ = "0.1.0"

_LAZY_MODULES = {"examples", "neural_flow", "plots", "widgets"}


def __getattr__(name):
    """Import the figures, explorers and worked examples on first use."""
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'bpcore' has no attribute {name!r}")


__all__ = [
    "Adagrad",
    "Adam",
    "AdamW",
    "BCEWithLogitsLoss",
    "BatchNorm1d",
    "CrossEntropyLoss",
    "Dropout",
    "Dual",
    "GradcheckReport",
    "History",
    "Identity",
    "LeakyReLU",
    "Linear",
    "MLP",
    "MSELoss",
    "Module",
    "NonFiniteError",
    "Parameter",
    "RMSprop",
    "RNN",
    "ReLU",
    "Residual",
    "SGD",
    "Sequential",
    "ShapeError",
    "Sigmoid",
    "Snapshot",
    "SnapshotRecorder",
    "Tanh",
    "TrainingDivergedWarning",
    "Value",
    "accuracy",
    "blobs",
    "circles",
    "clip_grad_norm",
    "data",
    "digits",
    "fit",
    "gradcheck",
    "init",
    "moons",
    "numerical_gradient",
    "optim",
    "relative_error",
    "spiral",
    "xor",
]
