"""The book's structure: chapters and table of contents agree, and every chapter is stored
executed, opens with the Colab bootstrap cell and carries the state of its widgets."""

from pathlib import Path

import nbformat
import pytest
import yaml
from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def bootstrap_source():
    """The first cell every chapter must have, for the repository named in _config.yml."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return ("try:\n"
            "    import bpcore\n"
            "except ImportError:  # e.g. on Colab: install the book's package from its repository\n"
            f'    %pip install --quiet "bpcore @ git+{url}"')


def chapter_id(path):
    """A chapter's file name, for test ids."""
    return path.name


def test_chapters_and_table_of_contents_agree():
    listed = {name for name in parse_toc_yaml(ROOT / "_toc.yml") if name.startswith("chapters/")}
    on_disk = {path.relative_to(ROOT).with_suffix("").as_posix() for path in CHAPTERS}
    assert not on_disk - listed, "chapters missing from _toc.yml"
    assert not listed - on_disk, "_toc.yml lists chapters that do not exist"


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_chapter_opens_with_the_bootstrap_cell(path):
    first = nbformat.read(path, as_version=4).cells[0]
    assert first.cell_type == "code"
    assert first.source == bootstrap_source(), "run scripts/execute_notebooks.py on it"
    assert first.metadata.get("tags") == ["remove-cell"]


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_chapter_is_stored_executed_with_its_widget_state(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), \
        "not executed top to bottom in one fresh kernel: run scripts/execute_notebooks.py"
    views = {output.data[WIDGET_VIEW]["model_id"] for cell in code for output in cell.outputs
             if WIDGET_VIEW in output.get("data", {})}
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    assert views <= state.keys(), "widgets shown without their stored state"
