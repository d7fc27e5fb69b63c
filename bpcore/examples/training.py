"""Chapter 5's experiments: the spiral classifier at one learning rate.

:func:`train_spiral` trains the classifier at a learning rate, and
:func:`training_regime` names what the rate did.
"""

from ..data import spiral
from ..losses import CrossEntropyLoss
from ..mlp import MLP
from ..optim import SGD
from ..train import fit


def training_regime(history, *, good_accuracy=0.9):
    """Name what a learning rate did to a classifier's training run.

    "too high" if the loss diverged or shot up to more than twice its first
    value; otherwise "good" if the final training accuracy is at least
    ``good_accuracy``; otherwise "too high" if the loss ever rose above its
    first value, "too low" if it never did (it fell, just not far enough). A
    spike to twice the start is decided in the first, large steps, so the
    name does not hang on the last bits of a run that bounces around
    afterwards.

    Worked in :doc:`/chapters/05_backward_pass`.
    """
    if history.diverged:
        return "too high"
    if not history.accuracy:
        raise ValueError(
            "training_regime needs a classification History (with accuracy)"
        )
    if max(history.loss) > 2 * history.loss[0]:
        return "too high"
    if history.accuracy[-1] >= good_accuracy:
        return "good"
    if max(history.loss) > history.loss[0]:
        return "too high"
    return "too low"


def train_spiral(lr, *, hidden=50, epochs=300, seed=0, activation="relu"):
    """Train a 2-``hidden``-3 classifier on the spiral with full-batch SGD.

    The data is ``bpcore.spiral(seed=0)``. Returns (model, history, X, y).
    If the loss diverges, ``fit`` stops early and warns with a
    ``TrainingDivergedWarning``; ``history.diverged`` and
    ``history.message`` say so.

    Worked in :doc:`/chapters/05_backward_pass`.
    """
    X, y = spiral(seed=0)
    model = MLP((2, hidden, 3), activation=activation, seed=seed)
    history = fit(
        model,
        CrossEntropyLoss(),
        SGD(model.parameters(), lr=lr),
        X,
        y,
        epochs=epochs,
    )
    return model, history, X, y
