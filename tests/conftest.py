"""Shared by the tests: fixtures, helpers and settings that more than one test file uses.

Test files import the plain helpers as ``from tests.conftest import ...`` (tests/ is a package:
a bare ``conftest`` can be chapters/conftest.py when both folders are collected). The book's
local Sphinx extensions in _ext/ import as in the build (Jupyter Book puts that folder on
sys.path), so tests use the same checks the build runs."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "_ext"))


import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import bpcore  # noqa: E402
from bpcore.gradcheck import STEP, TOLERANCE, relative_error  # noqa: E402

#: Hypothesis settings of the property tests (test_gradcheck, test_value): reproducible, and
#: without a deadline (a gradient check of a deep network can take a while).
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)
#: The seeds those tests draw; every array or number comes from np.random.default_rng(seed).
SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


def central_difference(f, x, h=STEP):
    """∂f/∂x by central differences, for an ``f`` applied to whole arrays of points.

    ``x`` is a number, points of shape (n,), or points of d coordinates, shape (n, d): then
    the result has shape (n, d), one partial derivative per coordinate.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2:
        return (f(x + h) - f(x - h)) / (2 * h)
    steps = h * np.eye(x.shape[-1])
    return np.stack([(f(x + step) - f(x - step)) / (2 * h) for step in steps], axis=-1)


@pytest.fixture
def assert_matches_central_differences():
    """The book's one gradient-check rule (chapter 5) for a derivative computed by hand.

    ``check(f, x, analytic)`` compares ``analytic`` with central differences of ``f`` at
    ``x``, scored at the function's scale max(1, |f|), against ``TOLERANCE``.
    """

    def check(f, x, analytic):
        numeric = central_difference(f, x)
        scale = max(1.0, float(np.max(np.abs(f(np.asarray(x, dtype=np.float64))))))
        error = relative_error(analytic, numeric, scale)
        assert error < TOLERANCE, f"analytic {analytic}, numeric {numeric}: error {error:.1e}"

    return check


@pytest.fixture
def make_history():
    """``make_history(loss, accuracy=None, diverged=False, message="")``: a finished History."""

    def make(loss, accuracy=None, diverged=False, message=""):
        return bpcore.History(weight_names=["0.W"], loss=list(loss),
                              accuracy=list(accuracy if accuracy is not None else []),
                              diverged=diverged, message=message)

    return make


@pytest.fixture
def make_linear_model():
    """``make_linear_model(W, b)``: a Linear layer holding exactly these weights."""

    def make(W, b):
        layer = bpcore.Linear(*np.shape(W))
        layer.W.data[:] = W
        layer.b.data[:] = b
        return layer

    return make
