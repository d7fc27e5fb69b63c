"""Tests of bpcore.checks: one policy, a wrong type raises TypeError and a wrong value ValueError."""

import numpy as np
import pytest


def test_the_shared_checks_follow_the_policy():
    """landscapes.descend and the rest call these, so every module answers alike."""
    from bpcore import checks

    for check in (checks.check_real, checks.check_positive, checks.check_non_negative,
                  checks.check_unit_interval, checks.check_open_unit_interval):
        with pytest.raises(TypeError, match=r"eta \(the learning rate\) must be a real number, got str 'a'"):
            check("a", "eta (the learning rate)")
    checks.check_real(np.int64(3), "n")  # NumPy scalars are real numbers
    with pytest.raises(ValueError, match=r"eta \(the learning rate\) must be a positive finite number, got -1"):
        checks.check_positive(-1, "eta (the learning rate)")
