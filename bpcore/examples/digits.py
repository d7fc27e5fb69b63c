"""Chapter 8's reading of a prediction: the two most probable classes."""

import numpy as np


def top_two(probabilities):
    """Each row's two most probable classes and their probabilities.

    Returns (classes, probabilities), both of shape (n, 2), best first.

    Worked in :doc:`/chapters/08_digits`.
    """
    probabilities = np.atleast_2d(
        np.asarray(probabilities, dtype=np.float64)
    )
    classes = np.argsort(-probabilities, axis=1, kind="stable")[:, :2]
    return classes, np.take_along_axis(probabilities, classes, axis=1)
