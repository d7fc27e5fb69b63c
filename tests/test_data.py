"""Tests of bpcore.data: the generators' shapes, dtypes and seeds, the digits split, bad arguments."""

import numpy as np
import pytest

import bpcore


@pytest.mark.parametrize(
    "make, n, classes",
    [
        (lambda **kw: bpcore.xor(repeats=3, noise=0.1, **kw), 12, 2),
        (lambda **kw: bpcore.spiral(n_per_class=40, n_classes=4, **kw), 160, 4),
        (lambda **kw: bpcore.blobs(n_per_class=25, centers=[(0, 0), (3, 3), (-3, 3)], **kw), 75, 3),
        (lambda **kw: bpcore.moons(n=101, **kw), 101, 2),
        (lambda **kw: bpcore.circles(n=101, **kw), 101, 2),
    ],
    ids=["xor", "spiral", "blobs", "moons", "circles"],
)
def test_generators_have_documented_shapes_and_are_seeded(make, n, classes):
    X, y = make(seed=5)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.intp
    assert set(np.unique(y)) == set(range(classes))
    X_again, y_again = make(seed=5)
    np.testing.assert_array_equal(X, X_again)
    np.testing.assert_array_equal(y, y_again)
    assert not np.array_equal(make(seed=6)[0], X)
    assert make(seed=5, dtype=np.float32)[0].dtype == np.float32


def test_xor_points():
    X, y = bpcore.xor()
    np.testing.assert_array_equal(X, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(y, [0, 1, 1, 0])


def test_circles_radii():
    X, y = bpcore.circles(n=50, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_digits_split_is_stratified_and_scaled():
    split = bpcore.digits(test_fraction=0.25, seed=0)
    X_train, X_test, y_train, y_test = split
    assert X_train.shape[1] == 64 and len(X_train) + len(X_test) == 1797
    assert len(X_test) == 450
    assert X_train.min() >= 0 and X_train.max() <= 1
    per_class = np.bincount(y_train) + np.bincount(y_test)
    assert np.all(np.abs(np.bincount(y_test) - 0.25 * per_class) <= 1)
    np.testing.assert_array_equal(bpcore.digits(seed=0).y_test, y_test)


# --- bad arguments get an error that names what is wrong ----------------------------------


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.spiral(n_per_class=0), "n_per_class must be a positive integer, got 0"),
        (lambda: bpcore.moons(noise=-1), "noise must be a finite number ≥ 0, got -1"),
        (lambda: bpcore.circles(factor=1.5), "factor must lie strictly between 0 and 1, got 1.5"),
        (lambda: bpcore.blobs(std=0), "std must be a positive finite number, got 0"),
        (lambda: bpcore.digits(test_fraction=1.0), "test_fraction must lie strictly between 0 and 1"),
    ],
)
def test_generators_reject_bad_arguments(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.spiral(noise="0.2"), "noise must be a real number, got str '0.2'; write the number without quotes"),
        (lambda: bpcore.moons(noise=None), "noise must be a real number, got NoneType None"),
        (lambda: bpcore.circles(factor="a"), "factor must be a real number, got str 'a'"),
        (lambda: bpcore.digits(test_fraction="0.25"), "test_fraction must be a real number, got str '0.25'"),
        (lambda: bpcore.blobs(std="1"), "std must be a real number, got str '1'"),
        (lambda: bpcore.xor(repeats=2.0), "repeats must be a positive integer, got float 2.0"),
    ],
)
def test_settings_of_the_wrong_type_are_named(call, message):
    with pytest.raises(TypeError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: bpcore.spiral(noise=np.nan), "noise must be a finite number ≥ 0, got nan"),
        (lambda: bpcore.circles(factor=0), "factor must lie strictly between 0 and 1, got 0"),
        (lambda: bpcore.digits(test_fraction=np.nan), "test_fraction must lie strictly between 0 and 1, got nan"),
    ],
)
def test_settings_of_the_right_type_but_a_wrong_value(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, shown",
    [
        (lambda: bpcore.spiral(dtype=int), "int64"),
        (lambda: bpcore.spiral(dtype=complex), "complex128"),
        (lambda: bpcore.xor(dtype=np.int32), "int32"),
        (lambda: bpcore.blobs(dtype=bool), "bool"),
        (lambda: bpcore.moons(dtype=np.uint8), "uint8"),
        (lambda: bpcore.circles(dtype=int), "int64"),
        (lambda: bpcore.digits(dtype=int), "int64"),
    ],
)
def test_only_real_floating_dtypes(call, shown):
    with pytest.raises(TypeError, match=f"dtype must be a real floating type such as np.float64 or np.float32, got {shown}; an integer type would truncate"):
        call()


def test_blobs_rejects_non_finite_centers():
    with pytest.raises(ValueError, match=r"centers contains NaN or inf \(1 of 2 entries, shape \(1, 2\)\)"):
        bpcore.blobs(centers=[[np.nan, 0.0]])
