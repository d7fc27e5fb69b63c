"""The instructors' page's measurements and syllabi (_ext/course_facts.py, course_plan.py)."""


import course_facts as facts
import pytest
from course_plan import FULL, SHORT, SYLLABI

from tests.conftest import book_exercises

CHAPTERS = facts.chapters()
BOOK = {chapter.number: chapter for chapter in CHAPTERS}
USES = facts.dependencies(CHAPTERS)


def test_the_workload_counts_what_a_student_reads_runs_and_answers():
    load = facts.workload(BOOK[1])
    everything = sum(len(cell.source.split()) for cell in BOOK[1].notebook.cells
                     if cell.cell_type == "markdown")
    assert 1000 < load.words < everything  # the solutions' text is left out
    assert load.exercises == 4 and load.exercise_minutes == 4 * facts.MINUTES_PER_EXERCISE
    assert load.reading_minutes == pytest.approx(
        load.words / facts.WORDS_PER_MINUTE + load.cells * facts.MINUTES_PER_CELL)


def test_uses_are_read_from_the_code_with_the_section_that_teaches_them():
    """Chapter 5 uses chapter 3's numerical gradient and chapter 4's p - y; chapter 8
    uses chapter 7's Adam."""
    found = {(use.user, use.used, use.section): use.names for use in USES if use.section}
    assert "bpcore.numerical_gradient" in found[5, 3, "The price of not using backprop"]
    assert "bpcore.CrossEntropyLoss" in found[5, 4, "The clean result: $p - y$"]
    assert "bpcore.Adam" in found[8, 7, "Adam: momentum and RMSProp, corrected"]
    assert all(use.used < use.user for use in USES)
    # the instructors' page: "Chapter 5 is the hub: every later chapter trains networks
    # with its layers, losses and training loop"
    assert all(any(use.user == later and use.used == 5 and use.section for use in USES)
               for later in range(6, len(BOOK) + 1))
    assert not any(name.startswith(facts.PRESENTATION) for use in USES for name in use.names)


def test_both_syllabi_teach_every_chapter_after_what_it_uses():
    for weeks in SYLLABI.values():
        assert facts.syllabus_gaps([week.taught for week in weeks], USES) == []
        for week in weeks:
            for item in week.taught:
                if not isinstance(item, int):
                    assert facts.section_minutes(BOOK[item[0]], item[1]) > 0


def test_a_syllabus_that_skips_what_a_chapter_uses_is_caught():
    without_chapter_3 = [tuple(item for item in week.taught
                               if not (isinstance(item, tuple) and item[0] == 3))
                         for week in SHORT]
    gaps = facts.syllabus_gaps(without_chapter_3, USES)
    assert any("chapter 5" in gap and "numerical_gradient" in gap for gap in gaps), gaps
    late = [SHORT[2].taught, SHORT[0].taught, SHORT[1].taught, SHORT[3].taught]
    assert any("in week 1, uses" in gap and "week 3" in gap
               for gap in facts.syllabus_gaps(late, USES))


def test_the_syllabi_assign_real_exercises_and_the_full_one_each_exactly_once():
    labels = list(book_exercises())
    for weeks in SYLLABI.values():
        assigned = [label for week in weeks for label in week.lab + week.homework]
        assert set(assigned) <= set(labels) and len(assigned) == len(set(assigned))
    assert sorted(label for week in FULL for label in week.lab + week.homework) == sorted(labels)
    assert {item for week in SHORT for item in week.taught if isinstance(item, int)} == {
        1, 2, 5, 8}
