"""The built HTML book, as the PDF build and the browser tests open it.

Where it is, which pages it has (in the order of _toc.yml), how to rebuild it when a
source is newer, and how to wait in Chromium until a page is shown: its maths typeset
by MathJax and each of its explorers showing one loaded figure.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
SOURCES = ("chapters", "backmatter", "_ext", "_static", "intro.md", "_config.yml", "_toc.yml",
           "references.bib", "references.md", "bpcore", "_vendor")
BUILD = (str(Path(sys.executable).parent / "jupyter-book"), "build", ".", "--warningiserror",
         "--keep-going")
PAGES = list(parse_toc_yaml(ROOT / "_toc.yml"))  # document names, in reading order
WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-(state|view)\+json">(.*?)</script>', re.S)
VISIBLE_FIGURES = """explorer => [...explorer.querySelectorAll('img')]
    .filter(img => img.checkVisibility())
    .map(img => ({src: img.src, loaded: img.complete && img.naturalWidth > 0}))"""


def newest(paths):
    """The latest modification time of the files under ``paths`` (caches left out)."""
    return max((file.stat().st_mtime for path in paths if path.exists()
                for file in ([path] if path.is_file() else path.rglob("*"))
                if file.is_file() and not {"__pycache__", ".ipynb_checkpoints"} & set(file.parts)),
               default=0)


def is_stale():
    """Whether _build/html is missing or older than one of the book's sources."""
    return not HTML.is_dir() or newest([HTML]) < newest(ROOT / name for name in SOURCES)


def build():
    """Build the book as README says; raise with the build's last output if it fails."""
    result = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(
            f"the book build failed:\n{result.stdout[-4000:]}{result.stderr[-4000:]}")


def explorer_count(html):
    """How many explorers a built page displays, read from its stored widget state."""
    blocks = WIDGET_STATE.findall(html)
    state = {}
    for kind, text in blocks:
        if kind == "state":
            state = json.loads(text)["state"]
    return sum("bpcore-explorer" in state.get(json.loads(text)["model_id"], {})
               .get("state", {}).get("_dom_classes", [])
               for kind, text in blocks if kind == "view")


def flow_count(html):
    """How many Neural Flow views a built page displays (bpcore.neural_flow)."""
    return html.count('<div class="neural-flow">')


def wait_for_flows(page, count):
    """Wait until the page's ``count`` Neural Flow views are live (their script has put in
    the controls); return them (Playwright locators)."""
    page.wait_for_function(
        f"() => document.querySelectorAll('.neural-flow .nf-controls').length === {count}")
    return [page.locator(".neural-flow").nth(index) for index in range(count)]


def wait_for_maths(page):
    """Wait until MathJax has typeset the page (Sphinx loads it only where there is maths)."""
    if page.locator(".math").count():
        page.wait_for_function("() => window.MathJax?.startup?.promise")
        page.evaluate("() => MathJax.startup.promise")


def wait_for_one_figure(page, explorer):
    """Wait until an explorer shows exactly one loaded figure; return that figure's src."""
    page.wait_for_function(
        f"explorer => {{ const shown = ({VISIBLE_FIGURES})(explorer);"
        f" return shown.length === 1 && shown[0].loaded; }}",
        arg=explorer.element_handle())
    return explorer.evaluate(f"explorer => ({VISIBLE_FIGURES})(explorer)[0].src")


def wait_for_explorers(page, count):
    """Wait until the page shows its ``count`` explorers, each with one loaded figure;
    return them (Playwright locators)."""
    page.wait_for_function(
        f"() => document.querySelectorAll('.bpcore-explorer').length === {count}")
    explorers = [page.locator(".bpcore-explorer").nth(index) for index in range(count)]
    for explorer in explorers:
        wait_for_one_figure(page, explorer)
    return explorers
