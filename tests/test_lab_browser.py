"""The chapters in JupyterLab itself, driven in headless Chromium.

The test starts a JupyterLab server on 127.0.0.1 (stopped after) on a copy of the chapters,
so nothing a run changes reaches the repository, with its own settings and data folders,
so every notebook opens as a reader's download does: not trusted, nothing run. Every
chapter must then show no raw MyST markup, its solutions collapsed, no citation key, and
each explorer as its starting figure (never a widget's repr), and each Neural Flow view as
its still with a line saying how to play it. Chapter 1, run from the Run menu with a live
kernel, must raise nothing, and its first slider, moved by keyboard, must change the
figure; chapter 5, run so, must play its Neural Flow view. Screenshots land in
_build/screenshots-lab/.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
SCREENSHOTS = ROOT / "_build" / "screenshots-lab"
TOKEN = "bpcore-lab-test"
TIMEOUT_MS = 60_000
BIB_KEYS = set(parse_file(ROOT / "references.bib").entries)
SETTINGS = {  # every cell in the page (no windowing), no news pop-up
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False},
}
RAW_MYST = re.compile(r"\{[\w:-]+\}`|```|^:(label|class):|\$\$|\\\(|\\\[", re.M)
# the text a cell shows: rendered Markdown, or a collapsed cell's placeholder line
CELL_TEXTS = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => ({
    markdown: cell.classList.contains('jp-MarkdownCell'),
    rendered: [...cell.querySelectorAll('.myst')]
        .filter(e => e.checkVisibility()).map(e => e.innerText).join('\\n'),
    placeholder: [...cell.querySelectorAll('.jp-InputPlaceholder')]
        .filter(e => e.checkVisibility()).map(e => e.innerText).join(''),
    input: [...cell.querySelectorAll('.jp-InputArea')].some(e => e.checkVisibility()),
    outputs: [...cell.querySelectorAll('.jp-OutputArea-output')]
        .filter(e => e.checkVisibility())
        .map(e => ({mime: e.dataset.mimeType || '', text: e.innerText.slice(0, 1000),
                    images: e.querySelectorAll('img').length})),
}))"""
# every code cell of the open notebook has an execution count, and the kernel is idle
NOTEBOOK_RAN = """() => { const panel = jupyterapp.shell.currentWidget;
    const cells = [...panel.content.model.cells].filter(cell => cell.type === 'code');
    return cells.every(cell => cell.executionCount !== null)
        && panel.sessionContext.session?.kernel?.status === 'idle'; }"""
VISIBLE_FIGURES = """explorer => [...explorer.querySelectorAll('img')]
    .filter(img => img.checkVisibility() && img.complete && img.naturalWidth > 0)
    .map(img => img.src)"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The base URL of a JupyterLab server on a copy of the chapters."""
    home = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "chapters", home / "chapters")
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    env = {**os.environ, "JUPYTER_DATA_DIR": str(home / "data"),
           "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}", "--ServerApp.allow_root=True",
         f"--ServerApp.root_dir={home}", f"--LabApp.user_settings_dir={home / 'settings'}",
         f"--LabApp.workspaces_dir={home / 'workspaces'}", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=(home / "server.log").open("w"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n"
                            + (home / "server.log").read_text()[-3000:], pytrace=False)
            time.sleep(0.3)
    yield base
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def screenshots():
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


def open_chapter(browser, lab, path):
    """A page showing the chapter in JupyterLab, every cell rendered; its console errors;
    the notebook as stored."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # a workspace of its own, reset: no tab left open by another test
    page.goto(f"{lab}/lab/workspaces/{path.stem}/tree/chapters/{path.name}"
              f"?reset&token={TOKEN}")
    notebook = nbformat.read(path, as_version=4)
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
        f" === {len(notebook.cells)}",
        timeout=TIMEOUT_MS)
    page.wait_for_function(  # jupyterlab-myst has rendered every Markdown cell shown
        "() => [...document.querySelectorAll('.jp-MarkdownCell')].every(cell =>"
        " !cell.querySelector('.jp-InputArea')?.checkVisibility()"
        " || cell.querySelector('.myst'))",
        timeout=TIMEOUT_MS)
    page.wait_for_timeout(1000)
    return page, errors, notebook


def check_cells(page, notebook):
    """Compare what each cell shows with what the notebook says it should."""
    shown = page.evaluate(CELL_TEXTS)
    assert len(shown) == len(notebook.cells)
    for cell, view in zip(notebook.cells, shown, strict=True):
        text = view["rendered"] + view["placeholder"]
        hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        where = f"cell {cell.id} ({cell.source[:40]!r})"
        if cell.cell_type == "markdown" and not hidden:
            assert view["rendered"], f"{where} is not rendered"
        assert not RAW_MYST.search(text), f"raw MyST in {where}: {text[:300]!r}"
        assert not BIB_KEYS & set(re.findall(r"[a-z]+\d{4}\w*", text)), \
            f"a citation key shows in {where}"
        if hidden:
            assert not view["input"] and view["placeholder"].startswith(
                ("# Solution, continued", "% Solution, continued")), \
                f"solution {where} is not collapsed: {view}"
            assert not view["outputs"], f"solution {where} shows its output"
        for output in view["outputs"]:
            assert not re.match(r"(V|H)Box\(children=", output["text"]), \
                f"{where} shows a widget's repr"
        if cell.cell_type == "code" and "explorer(" in cell.source:
            assert any(output["images"] for output in view["outputs"]), \
                f"explorer {where} shows no figure"
        if cell.cell_type == "code" and "NeuralFlow(" in cell.source:
            (output,) = view["outputs"]
            assert output["images"] == 2 and "Run this cell" in output["text"], \
                f"Neural Flow {where} shows no still, or not what to do: {output}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.name)
def test_chapter_reads_in_jupyterlab_before_it_runs(browser, lab, screenshots, path):
    page, errors, notebook = open_chapter(browser, lab, path)
    try:
        check_cells(page, notebook)
        assert not errors, errors
        page.screenshot(path=screenshots / f"{path.stem}-top.png")
        solution = page.locator(".jp-InputPlaceholder").first
        solution.scroll_into_view_if_needed()
        page.screenshot(path=screenshots / f"{path.stem}-solution.png")
        explorers = page.locator(".jp-Cell", has_text="explorer(")
        if explorers.count():
            explorers.first.locator(".jp-OutputArea").scroll_into_view_if_needed()
            page.screenshot(path=screenshots / f"{path.stem}-explorer-before-run.png")
        flows = page.locator(".jp-Cell", has_text="NeuralFlow(")
        if flows.count():
            flows.first.locator(".jp-OutputArea").scroll_into_view_if_needed()
            page.screenshot(path=screenshots / f"{path.stem}-neural-flow-still.png")
    finally:
        page.close()


def run_all(page):
    """Run every cell of the open notebook from the Run menu; fail on an error or warning."""
    page.wait_for_function("() => window.jupyterapp?.commands", timeout=TIMEOUT_MS)
    # clear the stored outputs first, so that a count means this run executed the cell
    page.evaluate("() => jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    page.wait_for_function(NOTEBOOK_RAN, timeout=180_000)
    failed = page.evaluate(
        "() => [...document.querySelectorAll('.jp-OutputArea-output')]"
        ".filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr')"
        ".map(o => o.innerText.slice(0, 300))")
    assert not failed, f"Run All raised or warned: {failed}"


def test_chapter_runs_in_jupyterlab_and_its_slider_moves(browser, lab, screenshots):
    page, errors, _ = open_chapter(browser, lab, CHAPTERS[0])
    try:
        run_all(page)
        assert not errors, errors
        explorer = page.locator(".bpcore-explorer").first
        explorer.scroll_into_view_if_needed()
        page.wait_for_function(f"e => ({VISIBLE_FIGURES})(e).length === 1",
                               arg=explorer.element_handle(), timeout=TIMEOUT_MS)
        before = explorer.evaluate(f"e => ({VISIBLE_FIGURES})(e)[0]")
        page.screenshot(path=screenshots / "run-explorer-before.png")
        handle = explorer.locator(".noUi-handle").first
        handle.focus()
        handle.press("ArrowRight")
        page.wait_for_function(
            f"([e, before]) => {{ const shown = ({VISIBLE_FIGURES})(e);"
            " return shown.length === 1 && shown[0] !== before; }",
            arg=[explorer.element_handle(), before], timeout=TIMEOUT_MS)
        page.screenshot(path=screenshots / "run-explorer-after.png")
    finally:
        page.close()


def test_neural_flow_plays_once_its_chapter_has_run(browser, lab, screenshots):
    """Chapter 5 run from the Run menu: its Neural Flow view replaces the still with the
    live drawing, and its slider and play button work."""
    page, errors, _ = open_chapter(browser, lab, CHAPTERS[4])
    try:
        run_all(page)
        flow = page.locator(".neural-flow").first
        page.wait_for_function("flow => flow.querySelector('.nf-controls')",
                               arg=flow.element_handle(), timeout=TIMEOUT_MS)
        flow.scroll_into_view_if_needed()
        assert not flow.locator("img.nf-still, .nf-note").count(), "the still was left"
        edges = "flow => flow.querySelector('.nf-edge').getAttribute('stroke-width')"
        before = flow.evaluate(edges)
        flow.locator(".nf-epoch").focus()
        flow.locator(".nf-epoch").press("End")
        assert flow.evaluate(edges) != before
        flow.locator(".nf-epoch").press("Home")
        flow.locator(".nf-play").click()
        page.wait_for_function("flow => flow.dataset.epoch !== '0'",
                               arg=flow.element_handle(), timeout=TIMEOUT_MS)
        page.screenshot(path=screenshots / "run-neural-flow.png")
        assert not errors, errors
    finally:
        page.close()
