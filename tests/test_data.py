"""Data generators (shapes, dtypes, seeds) and initialisation schemes (their variances)."""

import numpy as np
import pytest

import bpcore
from bpcore import init


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
    assert y.shape == (n,) and y.dtype == np.int64
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
    "name, variance",
    [
        ("xavier_uniform", lambda fi, fo: 2 / (fi + fo)),
        ("xavier_normal", lambda fi, fo: 2 / (fi + fo)),
        ("he_normal", lambda fi, fo: 2 / fi),
        ("he_uniform", lambda fi, fo: 2 / fi),
        ("small_normal", lambda fi, fo: 1e-4),
    ],
)
def test_schemes_have_their_variances(name, variance):
    W = init.get_scheme(name)(400, 300, np.random.default_rng(0))
    assert W.shape == (400, 300) and W.dtype == np.float64
    assert abs(W.mean()) < 0.01 * np.sqrt(variance(400, 300)) * 10
    assert W.var() == pytest.approx(variance(400, 300), rel=0.02)


def test_zeros_and_fixed_normal():
    assert not init.zeros(3, 2, None).any()
    W = init.normal(2.0)(200, 200, np.random.default_rng(0), np.float32)
    assert W.dtype == np.float32 and W.std() == pytest.approx(2.0, rel=0.02)
    with pytest.raises(ValueError, match="std must be a positive finite number"):
        init.normal(0.0)


def test_mlp_auto_init_picks_he_for_relu_and_xavier_otherwise():
    relu = bpcore.MLP([500, 500, 1], activation="relu", seed=0)
    tanh = bpcore.MLP([500, 500, 1], activation="tanh", seed=0)
    assert relu.layers[0].W.data.var() == pytest.approx(2 / 500, rel=0.02)
    assert tanh.layers[0].W.data.var() == pytest.approx(2 / 1000, rel=0.02)


def test_float32_end_to_end():
    X, y = bpcore.spiral(n_per_class=20, seed=0, dtype=np.float32)
    model = bpcore.MLP([2, 8, 3], activation="leaky_relu", seed=0, dtype=np.float32)
    loss = bpcore.CrossEntropyLoss()
    history = bpcore.fit(model, loss, bpcore.optim.Adam(model.parameters(), lr=0.01), X, y, epochs=3)
    assert np.isfinite(history.loss).all()
    assert model(X).dtype == np.float32
    assert loss.backward().dtype == np.float32
    assert all(p.data.dtype == np.float32 and p.grad.dtype == np.float32 for p in model.parameters())
    model.forward(X)
    loss(model(X), y)
    assert model.backward(loss.backward(), input_grad=True).dtype == np.float32
    for activation in (bpcore.Sigmoid(), bpcore.Tanh(), bpcore.ReLU(), bpcore.Identity()):
        assert activation(X).dtype == np.float32
    for l32 in (bpcore.MSELoss(), bpcore.BCEWithLogitsLoss()):
        l32(X[:, :1], np.ones((len(X), 1)))
        assert l32.backward().dtype == np.float32
