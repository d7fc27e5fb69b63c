"""Tests of bpcore.examples.optimizers: chapter 7's measure of a walk."""

import numpy as np
import pytest

from bpcore import examples


@pytest.mark.parametrize("losses, tol, expected", [
    ([5, 3, 0.5, 0.1], 1, 2),
    ([5, 0.5, 3, 0.5, 0.1], 1, 3),  # dipped below and came back: counts from the last entry
    ([0.5, 0.1], 1, 0),
    ([5, 3, 2], 1, None),
    ([5, 0.5, 2], 1, None),
    ([5, np.nan, 0.5], 1, 2),
])
def test_steps_to_reach(losses, tol, expected):
    assert examples.steps_to_reach(losses, tol) == expected
