"""Each chapter's slides (_ext/slides.py): made from the chapter, opening offline.

A deck per chapter in the built book, with its title, a slide per section that has a
display equation or a figure, the takeaways and the exercises; opened from disk with every
outside request blocked, reveal.js starts, MathJax typesets its maths, and the arrow key
moves on (to the slide saved in _build/screenshots/course/).
"""

import html
import re

import nbformat
import pytest
from slides import FOLDER, deck
from student_edition import ROOT, chapters

from tests.conftest import wait_for_requests, watched_page

SCREENSHOTS = ROOT / "_build" / "screenshots" / "course"


@pytest.mark.parametrize("path", chapters(), ids=lambda path: path.stem)
def test_each_chapter_has_a_deck_of_its_sections_figures_and_takeaways(book, path):
    page = (book / FOLDER / f"{path.stem}.html").read_text()
    assert page == deck(path)[0]
    title = next(cell.source.splitlines()[0][2:] for cell in nbformat.read(path, 4).cells
                 if cell.source.startswith("# "))
    assert f"<h1>{html.escape(title)}</h1>" in page
    slides = page.count("<section>")
    assert slides >= 5 and "<h2>Key takeaways</h2>" in page and "<h2>Exercises</h2>" in page
    for image in re.findall(r'src="([^"]+\.png)"', page):
        assert (book / FOLDER / image).stat().st_size > 1000, image


def test_a_deck_opens_from_disk_with_its_maths_and_moves_on(browser, book):
    base = book.as_uri() + "/"
    context = browser.new_context(viewport={"width": 1280, "height": 760})
    page, problems = watched_page(context, base)
    try:
        page.goto(f"{base}{FOLDER}/05_backward_pass.html")
        page.wait_for_function("window.Reveal && Reveal.isReady()")
        page.wait_for_function("document.querySelector('mjx-container')")
        assert page.evaluate("Reveal.getIndices().h") == 0
        page.keyboard.press("ArrowRight")
        page.wait_for_function("Reveal.getIndices().h === 1")
        page.wait_for_function("document.querySelector('.present mjx-container')")
        page.wait_for_timeout(1000)  # the slide's transition
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "slide.png")
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert not any(problems.values()), problems
