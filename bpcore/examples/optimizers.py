"""Chapter 7's measure of a walk: from which step it stays below ``tol``."""

import numpy as np


def steps_to_reach(losses, tol):
    """The first step t after which every loss is below ``tol``, else None.

    A walk that dips below ``tol`` and comes back up has not arrived yet:
    this counts the step from which it stays there.

    Worked in :doc:`/chapters/07_optimizers`.
    """
    above = np.flatnonzero(~(np.asarray(losses, dtype=np.float64) < tol))
    if len(above) == 0:
        return 0
    if above[-1] == len(losses) - 1:
        return None
    return int(above[-1] + 1)
