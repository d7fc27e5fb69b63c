"""The built book in headless Chromium, served over HTTP and opened from disk (file://).

Every page of the table of contents must load with no failed request, no request
leaving the book and no console error; its maths must be typeset by MathJax; bpcore's
source, where a chapter prints it, must fit its box at desktop width; and every
explorer's slider, moved with the keyboard, must change the figure shown, with no
kernel. The book is built first if _build/html is missing or older than a source.
Screenshots of the pages served over HTTP land in _build/screenshots/: every page as
first shown, and each page's first explorer before and after its slider moves.
"""

import functools
import http.server
import json
import shutil
import threading
import time

import pytest
from built_book import (
    HTML,
    PAGES,
    ROOT,
    VISIBLE_FIGURES,
    build,
    explorer_count,
    is_stale,
    wait_for_explorers,
    wait_for_maths,
    wait_for_one_figure,
)

SCREENSHOTS = ROOT / "_build" / "screenshots"
TIMEOUT_MS = 20_000

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
# bpcore's source, printed by a cell with inspect.getsource: a box that scrolls sideways
WIDE_SOURCE = """() => [...document.querySelectorAll('.cell_output pre')]
    .filter(pre => /^\\s*(def |class |@)/.test(pre.textContent))
    .filter(pre => pre.scrollWidth > pre.clientWidth)
    .map(pre => pre.textContent.trim().split('\\n')[0].slice(0, 60))"""
@pytest.fixture(scope="session")
def book(pytestconfig):
    """The built book's folder, built first if missing or older than any source."""
    if is_stale():
        writer = pytestconfig.get_terminal_writer()
        writer.line("\nbuilding the book for the browser test ...", bold=True)
        start = time.perf_counter()
        try:
            build()
        except RuntimeError as error:
            pytest.fail(str(error), pytrace=False)
        writer.line(f"built in {time.perf_counter() - start:.0f} s", bold=True)
    return HTML


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging every request."""

    def log_message(self, format, *args):
        """Log nothing."""


@pytest.fixture(scope="session")
def server(book):
    """The base URL of the built book, served on 127.0.0.1 at a free port."""
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(book)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def screenshots():
    """An empty folder for this run's screenshots."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(params=["http", "file"])
def base(request, server, book):
    """Where the book is opened: the local server, or the folder on disk."""
    return server if request.param == "http" else book.as_uri() + "/"


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
        wide = page.evaluate(WIDE_SOURCE)
        assert not wide, f"printed source scrolls sideways at 1280 px: {wide}"
        check_explorers(page, explorer_count(html_file.read_text()), shots)
        wait_for_requests(page, problems)
    finally:
        context.close()
    assert not any(problems.values()), problems


def watched_page(context, base):
    """A new page of ``context`` whose requests may not leave ``base``, and its problem lists.

    ``problems["pending requests"]`` holds the requests still under way.
    """
    problems = {"requests outside the book": [], "failed requests": [], "console errors": [],
                "pending requests": []}

    def keep_inside(route):
        if route.request.url.startswith(base):
            route.continue_()
        else:
            problems["requests outside the book"].append(route.request.url)
            route.abort("blockedbyclient")

    def on_request(request):
        problems["pending requests"].append(request.url)

    def on_finished(request):
        problems["pending requests"].remove(request.url)

    def on_failed(request):
        on_finished(request)
        problems["failed requests"].append(f"{request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 400:
            problems["failed requests"].append(f"{response.url}: HTTP {response.status}")

    def on_console(message):
        if message.type == "error":
            problems["console errors"].append(message.text)

    def on_error(error):
        problems["console errors"].append(str(error))

    context.route("**/*", keep_inside)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    for event, handler in (("request", on_request), ("requestfinished", on_finished),
                           ("requestfailed", on_failed), ("response", on_response),
                           ("console", on_console), ("pageerror", on_error)):
        page.on(event, handler)
    return page, problems


def wait_for_requests(page, problems):
    """Give the requests still under way the usual time to finish."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while problems["pending requests"] and time.monotonic() < deadline:
        page.wait_for_timeout(100)


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

