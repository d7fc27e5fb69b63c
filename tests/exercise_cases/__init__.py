"""Answers to the checked exercises, one module per chapter, for tests/test_exercises.py.

Each module's ``CASES`` maps an exercise's label to a :class:`Case`: a right answer, the
data its check cell passes, and answers with a planted error, each with a part of the
hint its check must give.
"""

from dataclasses import dataclass, field


@dataclass
class Case:
    """A right answer to one exercise, its check's data, and planted errors."""

    right: object
    data: tuple = ()
    planted: list = field(default_factory=list)  # (wrong answer, part of its hint)
