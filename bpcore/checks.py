"""Input validation shared by the layers, losses and training loop.

Every check raises an error that names what is wrong and the shapes involved, so a reader
who wires a network up wrongly learns why from the message alone.
"""

import numpy as np


class ShapeError(ValueError):
    """An array has the wrong number of dimensions or the wrong size along one of them."""


class NonFiniteError(ValueError):
    """An array that must be finite contains NaN or infinity."""


def as_float_array(x, name):
    """Return ``x`` as a floating-point ndarray; integers and booleans become float64.

    Floating arrays keep their dtype (no silent upcast of float32); anything else raises.
    """
    array = np.asarray(x)
    if array.dtype.kind == "f":
        return array
    if array.dtype.kind in "iub":
        return array.astype(np.float64)
    raise TypeError(f"{name} must be a numeric array, got dtype {array.dtype}")


def check_finite(array, name):
    """Raise NonFiniteError if ``array`` holds NaN or infinity, saying how many entries do."""
    if not np.isfinite(array).all():
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        raise NonFiniteError(
            f"{name} contains NaN or inf ({bad} of {array.size} entries, shape {array.shape})"
        )


def check_same_shape(prediction, target, loss_name):
    """Raise ShapeError unless prediction and target have identical shapes (no broadcasting)."""
    if prediction.shape != target.shape:
        hint = ""
        if prediction.size == target.size:
            hint = (
                f"; reshape one of them, e.g. target.reshape({prediction.shape}), "
                "because broadcasting would silently compare every prediction with every target"
            )
        raise ShapeError(
            f"{loss_name}: prediction has shape {prediction.shape} but target has shape "
            f"{target.shape}; they must be identical{hint}"
        )


def check_positive(value, name):
    """Raise ValueError unless ``value`` is a finite number greater than zero."""
    if not (isinstance(value, (int, float, np.number)) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


def check_positive_int(value, name):
    """Raise ValueError unless ``value`` is a whole number ≥ 1 (a size or a count)."""
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def check_unit_interval(value, name):
    """Raise ValueError unless 0 <= value < 1 (momentum and moving-average coefficients)."""
    if not (isinstance(value, (int, float, np.number)) and 0 <= value < 1):
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
