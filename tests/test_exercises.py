"""The exercises' checks: right on a right answer, helpful on each planted error.

One checker runs over every check: a right answer passes, the starting placeholder is
"not yet answered", and each planted error (a dropped factor, a wrong sign, a transposed
matrix, ...) fails with its own hint. In the chapters, each check cell's stored output says
"not yet answered" and each solution ends with the check passing; nbval re-runs both.
"""

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest

from bpcore.exercises import EXERCISES, check
from tests import exercise_cases
from tests.conftest import book_exercises

ROOT = Path(__file__).resolve().parent.parent
MODULES = [importlib.import_module(f"{exercise_cases.__name__}.{module.name}")
           for module in pkgutil.iter_modules(exercise_cases.__path__)]
CASES = {label: case for module in MODULES for label, case in module.CASES.items()}
UNCHECKED = {label: reason for module in MODULES
             for label, reason in getattr(module, "UNCHECKED", {}).items()}
PLANTED = [(label, i) for label, case in CASES.items() for i in range(len(case.planted))]


def chapter_cells():
    """Every chapter's cells, with the chapter's file name."""
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            yield path.name, cell


def stored_text(cell):
    """A code cell's stored output as plain text."""
    return "".join("".join(output.get("data", {}).get("text/plain", output.get("text", "")))
                   for output in cell.get("outputs", []))


@pytest.mark.parametrize("label", CASES)
def test_a_right_answer_passes_and_a_placeholder_is_not_yet_answered(label):
    case = CASES[label]
    feedback = check(label, case.right, *case.data)
    assert feedback.passed, feedback
    assert check(label, ..., *case.data).status == "unanswered"


@pytest.mark.parametrize(("label", "index"), PLANTED)
def test_a_planted_error_fails_with_its_hint(label, index):
    case = CASES[label]
    wrong, hint = case.planted[index]
    feedback = check(label, wrong, *case.data)
    assert feedback.status == "wrong" and hint in feedback.message, feedback


def test_every_check_has_three_planted_errors_each_with_its_own_hint():
    assert set(CASES) == set(EXERCISES)
    for label, case in CASES.items():
        messages = {check(label, wrong, *case.data).message for wrong, _ in case.planted}
        assert len(case.planted) >= 3 and len(messages) == len(case.planted), label


def test_every_check_is_an_exercise_of_the_book_under_its_title():
    titles = book_exercises()
    for label, exercise in EXERCISES.items():
        assert titles.get(label) == exercise.title, label


def test_every_exercise_is_checked_or_says_why_not():
    """An exercise without a check asks for a proof or an explanation only."""
    titles = book_exercises()
    assert not set(EXERCISES) & set(UNCHECKED)
    assert set(EXERCISES) | set(UNCHECKED) == set(titles), sorted(
        set(titles) - set(EXERCISES) - set(UNCHECKED))


def test_chapters_check_each_answer_unanswered_and_each_solution_right():
    """Each checked exercise has an answer cell and a check cell, stored "not yet
    answered"; its solution ends with the same check, stored passed."""
    found, previous = {}, None
    for name, cell in chapter_cells():
        source, before, previous = "".join(cell["source"]), previous, cell
        labels = re.findall(r'^check\("([^"]+)"', source.removeprefix(
            "# Solution, continued\n"), re.MULTILINE)
        if cell["cell_type"] != "code" or not labels:
            continue
        kind = ("check" if "exercise-check" in cell["metadata"].get("tags", [])
                else "solution")
        if kind == "check":  # under the cell the reader fills in
            assert "exercise-answer" in before["metadata"].get("tags", []), source
            assert "..." in "".join(before["source"]) and not before["outputs"], source
        assert stored_text(cell).startswith("…" if kind == "check" else "✓"), (name, source)
        found.setdefault(labels[0], []).append(kind)
    assert found == {label: ["check", "solution"] for label in EXERCISES}
