"""Checks a reader runs on the answers to the chapters' exercises.

``check(label, answer, *data)`` looks up the exercise by its label in the
book and says whether the answer is right, and if not, where it differs
and what to look at::

    from bpcore.exercises import check
    check("ch01-ex-steps", steps_needed)

One module per chapter holds its checks; ``feedback`` holds what they
share.
"""

from . import (
    autodiff,
    backward_pass,
    beyond_mlp,
    chain_rule,
    digits,
    gradient_descent,
    losses,
    optimizers,
    vanishing_exploding,
)
from .feedback import EXERCISES, Feedback, Wrong, check

__all__ = ["EXERCISES", "Feedback", "Wrong", "check"]
