"""Tests of bpcore.examples.digits: chapter 8's reading of a prediction."""

import numpy as np

from bpcore import examples


def test_top_two():
    classes, probabilities = examples.top_two([[0.1, 0.6, 0.3], [0.5, 0.2, 0.3]])
    assert classes.tolist() == [[1, 2], [0, 2]]
    np.testing.assert_allclose(probabilities, [[0.6, 0.3], [0.5, 0.3]])
