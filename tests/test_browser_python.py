"""The chapters' code run in the reader's browser, offline: the "Run in browser" button.

In every chapter served over HTTP, and in chapters opened from disk, with every request
that would leave the book blocked: the button on one cell starts Python in the page, runs
the cells above it and then the cell, and the cell prints what the book stored for it
(computed again, by Pyodide's numpy, matplotlib, scikit-learn and bpcore); the cell,
edited, prints its new output. From disk, what differs is how the runtime's files are
read (from scripts beside them), not the chapter's code, so the chapters opened from disk
are those that load different packages: the first chapter (numpy, matplotlib and bpcore,
then ipywidgets for an explorer, a figure and an error) and the digits (scikit-learn).
A Neural Flow view made in the browser plays, and an exercise's check gives its hint for
a wrong answer. The seconds to the first result are
written to _build/browser-python/, and a live cell of each chapter to
_build/screenshots/browser-python/.
"""

import base64
import contextlib
import hashlib
import json
import zipfile

import pytest
from browser_python import FOLDER, LOADED_AS_SCRIPTS
from built_book import HTML, ROOT, VISIBLE_FIGURES, wait_for_one_figure

from tests.conftest import wait_for_requests, watched_page

START_MS = 120_000  # Python's first start, with the packages, on a slow machine
RESULTS = ROOT / "_build" / "browser-python"
SCREENSHOTS = ROOT / "_build" / "screenshots" / "browser-python"
# per chapter, a code cell (counted from 0 on the page) whose printed output the
# browser must reproduce; cells that print timings or draw figures are not among them
CELLS = {
    "01_gradient_descent": 1,
    "02_chain_rule": 1,
    "03_autodiff": 1,
    "04_losses": 1,
    "05_backward_pass": 1,
    "06_vanishing_exploding": 1,
    "07_optimizers": 2,
    "08_digits": 2,  # bpcore.digits(): scikit-learn's digits, in the browser
    "09_beyond_mlp": 1,
}
# the chapters also opened from disk: each loads packages the others do not
FROM_DISK = ["01_gradient_descent", "08_digits"]
EDIT = '\nprint("edited:", 6 * 7)'


@contextlib.contextmanager
def chapter_page(browser, base, chapter):
    """A chapter's page, opened from ``base`` in a fresh browser context (a first
    visit), with every request that would leave the book blocked; once the test is done,
    its requests must have finished with no failure and no console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page, problems = watched_page(context, base)
    try:
        page.goto(f"{base}chapters/{chapter}.html")
        yield page
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert not any(problems.values()), problems


def code_cell(page, index):
    return page.locator("div.cell:has(> .cell_input pre)").nth(index)


def run(cell, button="Run in browser"):
    """Press one of a cell's buttons; wait for it to finish; return its status text."""
    cell.get_by_role("button", name=button, exact=True).click()
    cell.page.wait_for_function("cell => !cell.classList.contains('bp-busy')",
                                arg=cell.element_handle(), timeout=START_MS)
    return cell.locator(".bp-status").text_content()


def stored_text(cell):
    """The text the book stored as a cell's printed output."""
    return cell.locator(".cell_output .output.stream").inner_text()


@pytest.mark.parametrize(("base", "chapter"),
                         [("http", chapter) for chapter in CELLS]
                         + [("file", chapter) for chapter in FROM_DISK],
                         indirect=["base"])
def test_a_cell_runs_and_an_edited_cell_runs_in_the_browser(browser, base, chapter):
    mode = "http" if base.startswith("http:") else "file"
    with chapter_page(browser, base, chapter) as page:
        cell = code_cell(page, CELLS[chapter])
        stored = stored_text(cell)
        status = run(cell)
        output = cell.locator(".bp-output")
        assert not output.locator(".bp-error").count(), output.inner_text()
        assert status.startswith(f"Ran {CELLS[chapter] + 1} cells"), status
        assert output.locator(".bp-stdout").inner_text() == stored
        assert cell.locator(".cell_output").is_hidden()  # the new output replaces it

        editor = cell.locator("textarea.bp-editor")
        editor.fill(editor.input_value() + EDIT)
        assert run(cell, "Run").startswith("Ran in")
        assert output.inner_text().rstrip().endswith("edited: 42")
        if mode == "http":
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            cell.screenshot(path=SCREENSHOTS / f"{chapter}.png")
        cell.get_by_role("button", name="Reset", exact=True).click()
        assert EDIT not in editor.input_value()

        timings = page.evaluate("window.bookPythonTimings")
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{mode}-{chapter}.json").write_text(json.dumps(timings, indent=1))


def test_figures_errors_and_widgets_in_the_browser(browser, book):
    """Chapter 1, from disk: a figure drawn as PNG, a reader's error shown with its
    traceback, and an explorer made in the browser, whose slider changes its figure."""
    base = book.as_uri() + "/"
    with chapter_page(browser, base, "01_gradient_descent") as page:
        cells = page.locator("div.cell:has(> .cell_input pre)")
        figure = next(i for i in range(cells.count())
                      if cells.nth(i).locator(".cell_output img").count()
                      and not cells.nth(i).locator(".cell_output .jupyter-widgets").count())
        cell = cells.nth(figure)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        assert run(cell).startswith("Ran"), cell.locator(".bp-output").inner_text()
        image = cell.locator(".bp-output img")
        assert image.evaluate("img => img.complete && img.naturalWidth > 100")

        editor = cell.locator("textarea.bp-editor")
        editor.fill("def step(w):\n    return 1 / w\n\nstep(0.0)")
        assert run(cell, "Run").startswith("Failed")
        error = cell.locator(".bp-error").inner_text()
        assert "ZeroDivisionError" in error and "step(0.0)" in error and "_pyodide" not in error

        widget = next(i for i in range(cells.count())
                      if cells.nth(i).locator(".cell_output .bpcore-explorer").count())
        cell = cells.nth(widget)
        assert run(cell).startswith("Ran"), cell.locator(".bp-output").inner_text()
        explorer = cell.locator(".bp-output .bpcore-explorer")
        shown = wait_for_one_figure(page, explorer)
        handle = explorer.locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function(
            f"explorer => ({VISIBLE_FIGURES})(explorer)[0]?.src !== {json.dumps(shown)}",
            arg=explorer.element_handle())
        cell.screenshot(path=SCREENSHOTS / "explorer.png")


def test_a_neural_flow_made_in_the_browser_plays(browser, server):
    """Chapter 5: the Neural Flow view a cell makes in the browser replaces its still
    with the live drawing, and its play button moves it through the training run."""
    with chapter_page(browser, server, "05_backward_pass") as page:
        cells = page.locator("div.cell:has(> .cell_input pre)")
        cell = next(cells.nth(i) for i in range(cells.count())
                    if cells.nth(i).locator(".cell_output .neural-flow").count())
        assert run(cell).startswith("Ran"), cell.locator(".bp-output").inner_text()
        flow = cell.locator(".bp-output .neural-flow")
        assert flow.locator("svg.nf-live").count() == 2
        assert not flow.locator("img.nf-still, .nf-note").count(), "the still was left"
        flow.locator(".nf-play").click()
        page.wait_for_function("flow => flow.dataset.epoch !== '0'",
                               arg=flow.element_handle())


def test_an_exercise_check_gives_its_hint_in_the_browser(browser, server):
    """Chapter 1: a wrong answer typed into an exercise's answer cell gets the check's
    hint for that mistake, computed by bpcore.exercises in the browser."""
    with chapter_page(browser, server, "01_gradient_descent") as page:
        cells = page.locator("div.cell:has(> .cell_input pre)")
        index = next(i for i in range(cells.count())
                     if "diverges_above = ..." in cells.nth(i).locator(".cell_input pre").inner_text())
        answer, check_cell = cells.nth(index), cells.nth(index + 1)
        assert run(answer).startswith("Ran")
        editor = answer.locator("textarea.bp-editor")
        editor.fill(editor.input_value().replace("= ...", "= 0.64"))
        assert run(answer, "Run").startswith("Ran in")
        assert run(check_cell).startswith("Ran in")
        feedback = check_cell.locator(".bp-output .bp-feedback-wrong")
        assert "keep the factor 2" in feedback.inner_text()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "exercise-check.png", clip=union(answer, check_cell))


def union(*elements):
    """The page area that holds every element, with a margin."""
    boxes = [element.bounding_box() for element in elements]
    left, top = min(b["x"] for b in boxes) - 8, min(b["y"] for b in boxes) - 8
    return {"x": left, "y": top,
            "width": max(b["x"] + b["width"] for b in boxes) + 8 - left,
            "height": max(b["y"] + b["height"] for b in boxes) + 8 - top}


def test_the_built_runtime_has_bpcore_and_a_script_for_every_fetched_file(book):
    """bpcore's wheel, built with the book, is in the built lock; every file Pyodide
    fetches has its script for pages opened from disk, which decodes to the same bytes."""
    built = HTML / FOLDER
    lock = json.loads((built / "pyodide-lock.json").read_text())
    entry = lock["packages"]["bpcore"]
    wheel = built / entry["file_name"]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"bpcore/__init__.py", "bpcore/neural_flow.js", "bpcore/plots/__init__.py"} <= names
    fetched = [path for path in built.iterdir()
               if path.is_file() and path.name not in LOADED_AS_SCRIPTS]
    assert {path.name for path in fetched} >= {"pyodide.asm.wasm", "session.py", wheel.name}
    for path in fetched:
        script = (built / "file" / f"{path.name}.js").read_text()
        prefix = f'bookRuntimeFile("{path.name}", "'
        assert script.startswith(prefix) and script.endswith('");\n'), path.name
        assert base64.b64decode(script[len(prefix):-4]) == path.read_bytes(), path.name
