"""Each chapter's "Check your understanding" questions: well formed, and self-checking in
the built book with no kernel and no request leaving it (_static/quiz.js).

A question is an admonition of class bp-quiz with its choices as a numbered list (or
none, for a number), and a dropdown that opens with "**Answer: 2.**" or
"**Answer: 0.33.**" and explains it.
"""

import re
from pathlib import Path

import nbformat
import pytest

from tests.conftest import wait_for_requests, watched_page

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots" / "course"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
QUESTION = re.compile(
    r"::::\{admonition\} (?P<title>[^\n]+)\n:class: bp-quiz\n\n(?P<text>.*?)"
    r":::\{dropdown\} Answer\n\*\*Answer: (?P<answer>[^*\n]+?)\.\*\* (?P<why>.*?)\n:::\n::::",
    re.DOTALL)


def questions(path):
    """(title, choices, answer, explanation) for each question of the chapter."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for match in QUESTION.finditer(cell.source):
                choices = re.findall(r"^\d+\. (.+(?:\n   .+)*)", match["text"], re.MULTILINE)
                found.append((match["title"], choices, match["answer"], match["why"]))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_asks_three_to_five_well_formed_questions(path):
    found = questions(path)
    source = path.read_text()
    assert 3 <= len(found) == source.count("bp-quiz") <= 5, path.name
    for title, choices, answer, why in found:
        if choices:
            assert len(choices) >= 2 and 1 <= int(answer) <= len(choices), title
        else:
            float(answer.replace("−", "-"))
        assert len(why.split()) >= 15, f"{title}: explain the answer"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_the_questions_answer_the_reader_in_the_page(browser, server, path):
    """Every question, in the built page: a wrong choice or number is told so and the
    explanation stays closed; the right one is told so and opens it. The first question,
    answered, is saved to _build/screenshots/course/."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, problems = watched_page(context, server)
    try:
        page.goto(f"{server}chapters/{path.stem}.html")
        quizzes = page.locator(".admonition.bp-quiz")
        found = questions(path)
        assert quizzes.count() == len(found)
        for quiz, (title, choices, answer, _) in zip(quizzes.all(), found, strict=True):
            status, details = quiz.locator(".bp-quiz-status"), quiz.locator("details")
            if choices:
                wrong = 1 if answer != "1" else 2
                quiz.locator(".bp-quiz-choice").nth(wrong - 1).click()
                assert status.text_content().startswith("Not this one"), title
                assert not details.evaluate("element => element.open"), title
                quiz.locator(".bp-quiz-choice").nth(int(answer) - 1).click()
            else:
                box = quiz.locator("input")
                box.fill(str(float(answer.replace("−", "-")) + 1))
                quiz.get_by_role("button", name="Check").click()
                assert status.text_content().startswith("Not quite"), title
                box.fill(answer)
                quiz.get_by_role("button", name="Check").click()
            assert status.text_content() == "Right.", title
            assert details.evaluate("element => element.open"), title
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        quizzes.first.screenshot(path=SCREENSHOTS / f"quiz-{path.stem}.png")
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert not any(problems.values()), problems
