"""Input validation shared by the layers, losses and training loop.

Every check raises an error that names what is wrong and the shapes
involved, so a reader who wires a network up wrongly learns why from the
message alone. One policy throughout: an argument of the wrong type raises
TypeError, one of the right type with a wrong value raises ValueError.
"""

from numbers import Integral, Real

import numpy as np


class ShapeError(ValueError):
    """An array has the wrong number of axes or a wrong size along one."""


class NonFiniteError(ValueError):
    """An array that must be finite contains NaN or infinity."""


def as_float_array(x, name):
    """Return ``x`` as a floating-point ndarray.

    Integers and booleans become float64; floating arrays keep their dtype
    (no silent upcast of float32); anything else raises.
    """
    array = np.asarray(x)
    if array.dtype.kind == "f":
        return array
    if array.dtype.kind in "iub":
        return array.astype(np.float64)
    fix = (
        "bpcore computes with real numbers only; take the real part with "
        "np.real(x) if the imaginary part is zero"
        if array.dtype.kind == "c"
        else "convert it with np.asarray(x, dtype=float)"
    )
    raise TypeError(
        f"{name} must be a real numeric array, got dtype {array.dtype}; "
        f"{fix}"
    )


def check_float_dtype(dtype, name="dtype"):
    """Return ``np.dtype(dtype)``; TypeError unless a real floating type."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(
            f"{name} must be a real floating type such as np.float64 or "
            f"np.float32, got {dtype}; an integer type would truncate the "
            "values and a complex one is not supported"
        )
    return dtype


def check_not_empty(array, name):
    """Raise ValueError if ``array`` has no entries.

    A mean over nothing is undefined.
    """
    if array.size == 0:
        raise ValueError(
            f"{name} is empty (shape {array.shape}); pass at least one "
            "sample"
        )


def check_finite(array, name):
    """Raise NonFiniteError if ``array`` holds NaN or infinity.

    The message says how many entries do.
    """
    if not np.isfinite(array).all():
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        raise NonFiniteError(
            f"{name} contains NaN or inf ({bad} of {array.size} entries, "
            f"shape {array.shape})"
        )


def check_same_shape(prediction, target, loss_name):
    """Raise ShapeError unless prediction and target have identical shapes.

    There is no broadcasting.
    """
    if prediction.shape != target.shape:
        hint = ""
        if prediction.size == target.size:
            hint = (
                "; reshape one of them, e.g. "
                f"target.reshape({prediction.shape}), because broadcasting "
                "would silently compare every prediction with every target"
            )
        raise ShapeError(
            f"{loss_name}: prediction has shape {prediction.shape} but "
            f"target has shape {target.shape}; they must be identical{hint}"
        )


def check_real(value, name):
    """Raise TypeError unless ``value`` is a real number.

    A real number is an int, a float or a NumPy scalar, but not a bool.
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        hint = (
            "; write the number without quotes"
            if isinstance(value, str)
            else ""
        )
        raise TypeError(
            f"{name} must be a real number, got {type(value).__name__} "
            f"{value!r}{hint}"
        )


def check_positive(value, name):
    """Check that ``value`` is a real number with 0 < value < ∞.

    TypeError if it is not real; ValueError if it is out of range.
    """
    check_real(value, name)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(
            f"{name} must be a positive finite number, got {value!r}"
        )


def check_non_negative(value, name):
    """Check that ``value`` is a real number with 0 ≤ value < ∞.

    TypeError if it is not real; ValueError if it is out of range.
    """
    check_real(value, name)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(
            f"{name} must be a finite number ≥ 0, got {value!r}"
        )


def check_positive_int(value, name):
    """Check that ``value`` is an integer ≥ 1.

    TypeError if it is not an integer; ValueError if it is less than 1.
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(
            f"{name} must be a positive integer, got "
            f"{type(value).__name__} {value!r}"
        )
    if value < 1:
        raise ValueError(
            f"{name} must be a positive integer, got {value!r}"
        )


def check_unit_interval(value, name):
    """Check that ``value`` is a real number with 0 ≤ value < 1.

    TypeError if it is not real; ValueError if it is out of range.
    """
    check_real(value, name)
    if not 0 <= value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")


def check_open_unit_interval(value, name):
    """Check that ``value`` is a real number with 0 < value < 1.

    TypeError if it is not real; ValueError if it is out of range.
    """
    check_real(value, name)
    if not 0 < value < 1:
        raise ValueError(
            f"{name} must lie strictly between 0 and 1, got {value!r}"
        )
