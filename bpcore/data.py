"""Data sets: small seeded toy problems and scikit-learn's 8x8 digits.

Every generator returns ``X`` as an array of shape (n, 2) (digits: (n, 64))
of the floating ``dtype`` asked for (float64 by default) and ``y`` as
integer class labels of shape (n,), of NumPy's index type ``np.intp``
(int64 on 64-bit Python, int32 in a browser's 32-bit Python), which
np.bincount and indexing take on every platform. For a one-output
network with BCEWithLogitsLoss use ``y.reshape(-1, 1).astype(float)`` as
the target.
The digits come bundled with scikit-learn.
"""

from typing import NamedTuple

import numpy as np

from .checks import (
    check_finite,
    check_float_dtype,
    check_non_negative,
    check_open_unit_interval,
    check_positive,
    check_positive_int,
)


def _shuffled(X, y, rng, dtype):
    order = rng.permutation(len(X))
    return X[order].astype(dtype), y[order].astype(np.intp)


def xor(repeats=1, noise=0.0, seed=0, dtype=np.float64):
    """The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0.

    Each point appears ``repeats`` times. With ``noise`` > 0, Gaussian noise
    of that standard deviation is added to the inputs. Returns X (4·repeats,
    2) and y (4·repeats,); with repeats=1 and no noise, in that order.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    check_positive_int(repeats, "repeats")
    check_non_negative(noise, "noise")
    check_float_dtype(dtype)
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    X = np.tile(corners, (repeats, 1))
    y = np.tile([0, 1, 1, 0], repeats).astype(np.intp)
    if noise:
        X = X + noise * np.random.default_rng(seed).standard_normal(X.shape)
    return X.astype(dtype), y


def spiral(
    n_per_class=100, n_classes=3, noise=0.2, seed=0, dtype=np.float64
):
    """K interleaved spiral arms in the unit disc, one class per arm.

    Arm k: radius r ∈ [0, 1], angle θ = 4(k + r) + noise·N(0, 1); point (r
    sin θ, r cos θ). Returns X (n_per_class·K, 2) and y (n_per_class·K,),
    grouped by class.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    check_positive_int(n_per_class, "n_per_class")
    check_positive_int(n_classes, "n_classes")
    check_non_negative(noise, "noise")
    check_float_dtype(dtype)
    rng = np.random.default_rng(seed)
    radius = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    y = np.repeat(np.arange(n_classes), n_per_class)
    angle = 4.0 * (y + radius) + noise * rng.standard_normal(radius.size)
    X = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return X.astype(dtype), y.astype(np.intp)


def blobs(
    n_per_class=50,
    centers=((-1.5, -1.0), (1.5, 1.0)),
    std=1.0,
    seed=0,
    dtype=np.float64,
):
    """Gaussian clouds, one per centre: class k is N(centers[k], std² I).

    Returns X (n_per_class·K, 2) and y (n_per_class·K,), shuffled.

    Taught in :doc:`/chapters/05_backward_pass`.
    """
    check_positive_int(n_per_class, "n_per_class")
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or len(centers) < 1:
        raise ValueError(
            f"centers must be a list of points, got shape {centers.shape}"
        )
    check_finite(centers, "centers")
    check_positive(std, "std")
    check_float_dtype(dtype)
    rng = np.random.default_rng(seed)
    y = np.repeat(np.arange(len(centers)), n_per_class)
    X = centers[y] + std * rng.standard_normal((len(y), centers.shape[1]))
    return _shuffled(X, y, rng, dtype)


def moons(n=200, noise=0.1, seed=0, dtype=np.float64):
    """Two interleaving half circles: class 0 the upper arc, 1 the lower.

    The lower arc is centred at (1, 0.5), the upper at (0, 0). Returns X (n,
    2) and y (n,), shuffled; noise is the std of added Gaussian noise.

    Taught in :doc:`/chapters/06_vanishing_exploding`.
    """
    check_positive_int(n, "n")
    check_non_negative(noise, "noise")
    check_float_dtype(dtype)
    rng = np.random.default_rng(seed)
    n_upper = n // 2 + n % 2
    upper = np.linspace(0, np.pi, n_upper)
    lower = np.linspace(0, np.pi, n - n_upper)
    X = np.vstack(
        [
            np.column_stack([np.cos(upper), np.sin(upper)]),
            np.column_stack([1 - np.cos(lower), 0.5 - np.sin(lower)]),
        ]
    )
    y = np.repeat([0, 1], [n_upper, n - n_upper])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(X, y, rng, dtype)


def circles(n=200, noise=0.05, factor=0.5, seed=0, dtype=np.float64):
    """Two concentric circles: radius 1 for class 0, ``factor`` for class 1.

    ``factor`` lies in 0 < f < 1. Returns X (n, 2) and y (n,), shuffled.

    Taught in :doc:`/chapters/07_optimizers`.
    """
    check_positive_int(n, "n")
    check_non_negative(noise, "noise")
    check_open_unit_interval(factor, "factor")
    check_float_dtype(dtype)
    rng = np.random.default_rng(seed)
    n_outer = n // 2 + n % 2
    angle = np.concatenate(
        [
            np.linspace(0, 2 * np.pi, n_outer, endpoint=False),
            np.linspace(0, 2 * np.pi, n - n_outer, endpoint=False),
        ]
    )
    y = np.repeat([0, 1], [n_outer, n - n_outer])
    radius = np.where(y == 0, 1.0, factor)
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(X, y, rng, dtype)


class DigitsSplit(NamedTuple):
    """The digits split into a training and a test set.

    It unpacks like the result of scikit-learn's train_test_split.

    Taught in :doc:`/chapters/08_digits`.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray


def digits(test_fraction=0.25, seed=0, dtype=np.float64):
    """scikit-learn's 8x8 handwritten digits (1797 images, no download).

    Pixels are scaled from 0..16 to [0, 1]; images are flattened to 64
    features. The split is stratified by class and seeded. Returns
    DigitsSplit(X_train, X_test, y_train, y_test) with X of shape (n, 64)
    and y integer labels 0–9 of shape (n,).

    Taught in :doc:`/chapters/08_digits`.
    """
    check_open_unit_interval(test_fraction, "test_fraction")
    check_float_dtype(dtype)
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    X = (bunch.data / 16.0).astype(dtype)
    y = bunch.target.astype(np.intp)
    split = train_test_split(
        X, y, test_size=test_fraction, random_state=seed, stratify=y
    )
    return DigitsSplit(*split)
