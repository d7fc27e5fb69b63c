"""The built book in headless Chromium: on screen, on a phone, in search and on paper.

Every page of the table of contents, served over HTTP and opened from disk (file://), on a
first visit at desktop width, must load with no failed request, no request leaving the book
and no console error; its maths must be typeset by MathJax; no code or output block may
scroll sideways; every explorer's slider, moved with the keyboard, must change the figure
shown, with no kernel; and every Neural Flow view must come alive, its slider changing the
edges and its play button sending pulses forward and back through the epochs; and every
quiz question must answer the reader, wrong and then right (_static/quiz.js). At a
phone's width (390 px) nothing may be cut off and the page may not scroll sideways, with
every view live. The search page must find pages and show snippets from both places.
The bibliography must read as references.bib writes it, and the notebooks' zip must hold
the chapters. (The book on paper: test_book_print.py; its code run in the browser:
test_browser_python.py.)

The book is built first if _build/html is missing or older than a source. Screenshots land
in _build/screenshots/: every page as first shown, each page's first explorer before and
after its slider moves, its first Neural Flow view at the start, with pulses going forward
and back, and at the end, each chapter's first quiz question answered (``*-quiz``), every
page at phone width (``phone-*``) and the search page (``search-*``).
"""

import json
import re
import zipfile
from pathlib import Path

import pytest
from built_book import (
    HTML,
    PAGES,
    ROOT,
    VISIBLE_FIGURES,
    explorer_count,
    flow_count,
    wait_for_explorers,
    wait_for_flows,
    wait_for_maths,
    wait_for_one_figure,
)
from pybtex.database import parse_file
from pybtex.richtext import Text

from tests.conftest import (
    TIMEOUT_MS,
    answer_quizzes,
    quiz_questions,
    wait_for_requests,
    watched_page,
)

SCREENSHOTS = ROOT / "_build" / "screenshots"

MATHS_REPORT = """() => {
    const maths = [...document.querySelectorAll('.math')];
    const prose = document.querySelector('main').cloneNode(true);
    prose.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
    return {
        maths: maths.length,
        typeset: document.querySelectorAll('mjx-container').length,
        untypeset: maths.filter(m => !m.querySelector('mjx-container'))
                        .map(m => m.textContent.slice(0, 80)),
        raw: ['\\\\(', '\\\\[', '$$'].filter(s => prose.textContent.includes(s)),
    };
}"""
# code or output that scrolls sideways, and its longest line
WIDE_BLOCKS = """() => [...document.querySelectorAll('article pre')]
    .filter(pre => pre.checkVisibility() && pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split(String.fromCharCode(10))
                   .reduce((a, b) => b.length > a.length ? b : a).slice(0, 80))"""
# what is cut off: a box that hides part of its content (not inside MathJax's output, whose
# glyph parts clip by design, nor a collapsed solution)
CUT_OFF = """() => [...document.querySelectorAll('article *')]
    .filter(el => el.checkVisibility() && !el.closest('mjx-container, .toggle-hidden'))
    .filter(el => ['hidden', 'clip'].includes(getComputedStyle(el).overflowX)
                  && el.scrollWidth > el.clientWidth + 8)
    .map(el => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}: `
               + `${el.scrollWidth - el.clientWidth} px of "${el.textContent.trim().slice(0, 60)}"`)"""
PHONE = {"width": 390, "height": 844}
@pytest.fixture(scope="session")
def screenshots():
    """The folder for this run's screenshots, emptied of the last run's (its subfolders
    belong to other test files, which may run at the same time on another worker)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.mark.parametrize("name", PAGES)
def test_page_works_offline(browser, base, screenshots, name):
    html_file = HTML / f"{name}.html"
    assert html_file.exists(), f"{name} is in _toc.yml but was not built"
    shots = screenshots / name.replace("/", "-") if base.startswith("http:") else None
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # a first visit
    page, problems = watched_page(context, base)
    try:
        page.goto(base + f"{name}.html")
        check_maths(page)
        wide = page.evaluate(WIDE_BLOCKS)
        assert not wide, f"{len(wide)} code or output blocks scroll sideways at 1280 px: {wide}"
        check_explorers(page, explorer_count(html_file.read_text()), shots)
        check_flows(page, flow_count(html_file.read_text()), shots)
        if name.startswith("chapters/"):
            quizzes = answer_quizzes(page, quiz_questions(ROOT / f"{name}.ipynb"))
            if shots:
                quizzes.first.screenshot(path=f"{shots}-quiz.png")
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert not any(problems.values()), problems


def check_maths(page):
    """Wait for MathJax, then check that all the maths is typeset."""
    wait_for_maths(page)
    maths = page.evaluate(MATHS_REPORT)
    assert not maths["untypeset"], f"maths left as TeX: {maths['untypeset']}"
    assert not maths["raw"], f"TeX delimiters {maths['raw']} left in the text"
    assert maths["typeset"] >= maths["maths"]


def check_explorers(page, count, shots):
    """Wait for ``count`` explorers; move each slider by keyboard and see the figure change.

    With ``shots``, a path prefix, save the page and its first explorer before and after.
    """
    explorers = wait_for_explorers(page, count)
    if shots:  # a full page takes seconds: once per page is enough
        page.screenshot(path=f"{shots}.png", full_page=True)
    for index, explorer in enumerate(explorers):
        explorer.scroll_into_view_if_needed()
        handles = explorer.locator(".noUi-handle")
        for slider in range(handles.count()):
            first = shots and index == slider == 0
            handle = handles.nth(slider)
            shown = wait_for_one_figure(page, explorer)
            if first:
                explorer.screenshot(path=f"{shots}-explorer-before.png")
            at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemax")
            handle.focus()
            handle.press("ArrowLeft" if at_end else "ArrowRight")
            page.wait_for_function(
                f"explorer => ({VISIBLE_FIGURES})(explorer)[0]?.src !== {json.dumps(shown)}",
                arg=explorer.element_handle())
            wait_for_one_figure(page, explorer)
            if first:
                explorer.screenshot(path=f"{shots}-explorer-after.png")


EDGE_WIDTHS = """flow => [...flow.querySelectorAll('.nf-edge:not(.nf-key)')]
    .map(edge => edge.getAttribute('stroke-width')).join(' ')"""
UNIT_FILLS = """flow => [...flow.querySelectorAll('.nf-unit')]
    .map(unit => unit.getAttribute('fill-opacity')).join(' ')"""
# a blue (forward) pulse on its way, or a red one (backward) away from where it rests
PULSES = """([flow, kind]) => kind === 'forward'
    ? [...flow.querySelectorAll('.nf-pulse-forward')].some(dot => +dot.getAttribute('r') > 0)
    : flow.dataset.phase === 'backward'"""


def check_flows(page, count, shots):
    """Wait for ``count`` Neural Flow views to come alive; in each, the slider moved by the
    arrow key must change the edges' widths, another sample the units' fills, and play must
    send pulses forward, then back, and advance the epoch. With ``shots``, save the first view at its start, with pulses
    going forward and back, and at its last epoch."""
    for index, flow in enumerate(wait_for_flows(page, count)):
        flow.scroll_into_view_if_needed()
        assert not flow.locator("img.nf-still, .nf-note").count(), "the still was left"
        first = shots and index == 0
        if first:
            flow.screenshot(path=f"{shots}-flow-start.png")
        slider, widths = flow.locator(".nf-epoch"), flow.evaluate(EDGE_WIDTHS)
        slider.focus()
        slider.press("ArrowRight")
        assert slider.input_value() == "1"
        assert flow.evaluate(EDGE_WIDTHS) != widths, "the slider left the edges as they were"
        menu, fills = flow.locator(".nf-sample"), flow.evaluate(UNIT_FILLS)
        menu.select_option(index=menu.locator("option").count() - 1)
        assert flow.evaluate(UNIT_FILLS) != fills, "another sample left the units as they were"
        epoch = flow.get_attribute("data-epoch")
        flow.locator(".nf-play").click()
        for kind in ("forward", "backward"):
            page.wait_for_function(PULSES, arg=[flow.element_handle(), kind])
            if first:
                page.wait_for_timeout(250)  # the pulses half-way along their edges
                flow.screenshot(path=f"{shots}-flow-{kind}.png")
        page.wait_for_function("([flow, epoch]) => flow.dataset.epoch !== epoch",
                               arg=[flow.element_handle(), epoch])
        flow.locator(".nf-play").click()  # pause
        if first:
            slider.press("End")
            flow.screenshot(path=f"{shots}-flow-end.png")


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_phone(browser, server, screenshots, name):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page, problems = watched_page(context, server)
    try:
        page.goto(server + f"{name}.html")
        wait_for_maths(page)
        html = (HTML / f"{name}.html").read_text()
        wait_for_explorers(page, explorer_count(html))
        wait_for_flows(page, flow_count(html))
        page.screenshot(path=screenshots / f"phone-{name.replace('/', '-')}.png", full_page=True)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        cut = page.evaluate(CUT_OFF)
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px wide"
    assert not cut, f"cut off at {PHONE['width']} px: {cut}"
    assert not any(problems.values()), problems


def test_search_finds_pages_with_snippets(browser, base, screenshots):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, problems = watched_page(context, base)
    try:
        page.goto(base + "search.html?q=chain+rule")
        page.wait_for_function(
            "() => document.querySelector('#search-results')?.textContent.includes('found')",
            timeout=TIMEOUT_MS)
        results = page.locator("#search-results li")
        results.first.wait_for()
        wait_for_requests(page, problems)
        page.wait_for_timeout(500)  # snippets follow the results
        pages = results.locator("a").all_inner_texts()
        snippets = results.locator("p.context").all_inner_texts()
        page.screenshot(path=screenshots / f"search-{base.split(':')[0]}.png")
    finally:
        context.close()
    assert "2. The chain rule" in pages, pages
    assert len(snippets) == len(pages), f"{len(pages)} results, {len(snippets)} snippets"
    assert all(re.search("chain|rule", snippet, re.I) for snippet in snippets), snippets
    assert not any(problems.values()), problems


def test_bibliography_reads_as_references_bib_writes_it(book):
    html = (book / "references.html").read_text()
    labels = re.findall(r'<span class="label"><span class="fn-bracket">\[</span>(.*?)<', html)
    entries = parse_file(ROOT / "references.bib").entries
    assert len(labels) == len(entries)
    assert all(re.fullmatch(r"\w.*, \d{4}[a-z]?", label) for label in labels), labels
    surnames = [label.split()[0].strip(",").casefold() for label in labels]
    assert surnames == sorted(surnames), "the list is not by author"
    text = re.sub(r"<[^>]+>", "", html)
    for key, entry in entries.items():
        title = Text.from_latex(entry.fields["title"]).render_as("text")
        assert title in text, f"{key}'s title is not printed as written: {title}"
    assert "$" not in text and "\\" not in text, "TeX left in the bibliography"


def test_notebooks_zip_holds_every_chapter(book):
    assert 'href="backprop-book-notebooks.zip"' in (book / "intro.html").read_text()
    with zipfile.ZipFile(book / "backprop-book-notebooks.zip") as archive:
        names = archive.namelist()
        chapters = {name: archive.read(name) for name in names if name.endswith(".ipynb")}
        readme = archive.read("backprop-book-notebooks/README.txt").decode()
    assert readme.startswith("Backpropagation, from the chain rule up: "), readme[:80]
    expected = sorted((ROOT / "chapters").glob("*.ipynb"))
    assert [Path(name).name for name in chapters] == [path.name for path in expected]
    for (name, data), path in zip(chapters.items(), expected, strict=True):
        assert data == path.read_bytes(), f"{name} differs from {path}"
    assert {"LICENSE", "LICENSE-CC-BY-4.0.txt", "README.txt"} <= {
        Path(name).name for name in names}


def test_desktop_layout_header_and_sidebar_toggle(browser, server):
    """The theme's desktop layout: one search box, no empty header bar above the page,
    and the sidebar button hides and shows the sidebar."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, problems = watched_page(context, server)
    try:
        page.goto(server + "chapters/01_gradient_descent.html")
        searches = page.locator(".search-button-field:visible, form.bd-search:visible").count()
        header = page.locator("header.bd-header")
        header_height = header.bounding_box()["height"] if header.is_visible() else 0
        sidebar = page.locator("#pst-primary-sidebar")
        shown = sidebar.bounding_box()["x"]
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_timeout(500)  # the sidebar slides
        hidden = sidebar.bounding_box()["x"]
        page.locator(".primary-toggle:visible").first.click()
        page.wait_for_timeout(500)
        back = sidebar.bounding_box()["x"]
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert searches == 1, f"{searches} search boxes"
    assert header_height == 0, f"a header bar {header_height} px high above the page"
    assert shown == back == 0 and hidden < 0, f"sidebar at x = {shown}, {hidden}, {back}"
    assert not any(problems.values()), problems
