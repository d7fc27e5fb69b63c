"""Each chapter's "Check your understanding" questions are well formed.

A question is an admonition of class bp-quiz with its choices as a numbered list (or
none, for a number), and a dropdown that opens with "**Answer: 2.**" or
"**Answer: 0.33.**" and explains it. In the built book, _static/quiz.js turns it into
buttons or a box that answer the reader with no kernel and no request leaving the page:
test_book_browser's test_page_works_offline answers every question of every chapter,
wrong and then right, over HTTP and from disk.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import quiz_questions

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
#: what quiz.js reads as a number: digits, a decimal point, an exponent
NUMBER = re.compile(r"[−-]?\d+(?:\.\d+)?(?:e[−-]?\d+)?")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_each_chapter_asks_three_to_five_well_formed_questions(path):
    found = quiz_questions(path)
    assert 3 <= len(found) == path.read_text().count("bp-quiz") <= 5, path.name
    assert any(choices for _, choices, _, _ in found), "no question with choices"
    assert any(not choices for _, choices, _, _ in found), "no question with a number"
    for title, choices, answer, why in found:
        if choices:
            assert len(choices) >= 2 and 1 <= int(answer) <= len(choices), title
        else:
            assert NUMBER.fullmatch(answer), f"{title}: quiz.js cannot read {answer!r}"
        assert len(why.split()) >= 15, f"{title}: explain the answer"
