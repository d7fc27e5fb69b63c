"""The book's structure: chapters and table of contents agree, and every chapter is stored
executed, opens with the Colab bootstrap cell, carries the state of its widgets (which the
build checks too, with _ext/widget_state.py), keeps its code and outputs to the text
column's 76 characters and reads well in JupyterLab: solutions collapsed, citations as
links whose text the bibliography confirms, no role JupyterLab cannot resolve. Binder's
pinned environment agrees with requirements.txt."""

import copy
import json
import re
import subprocess
import sys
import uuid
from pathlib import Path

import nbformat
import pytest
from execute_notebooks import (
    NOTE_TAG,
    SOLUTION_END,
    SOLUTION_START,
    bootstrap_source,
    hide_solutions,
    write_explorer_note,
)
from notebook_citations import citation_problems
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from pybtex.database import parse_file
from sphinx_external_toc.parsing import parse_toc_yaml
from widget_state import WIDGET_STATE, WIDGET_VIEW, stale_widget_views

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))
#: The widest line of code or output a chapter may show: the book's text column holds 77
#: monospace columns at 1280 px (measured in Chromium; one more scrolls sideways), and
#: bpcore, whose source the chapters print, is formatted to 76 (bpcore/ruff.toml, and
#: chapters/ruff.toml).
COLUMNS = 76
#: In a solution the box's padding takes one of them (measured likewise).
SOLUTION_COLUMNS = COLUMNS - 1
# a fence of three or more backticks, tildes or colons, and its info string
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(.*?)\s*$")
# MyST directives whose content is code, not prose
CODE_DIRECTIVES = ("{code}", "{code-block}", "{code-cell}", "{sourcecode}")
WITH_EXPLORERS = ROOT / "chapters" / "01_gradient_descent.ipynb"  # two slider explorers
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")


# requirements.txt's tools for the build
BOOK_ONLY = {"jupyter-book", "sphinx-exercise", "sphinx-book-theme", "pydata-sphinx-theme",
             "setuptools"}
# roles JupyterLab renders from the notebook alone: {numref} to a label in the same
# chapter, {ref} that gives its text; citations are links (see _ext/notebook_citations.py)
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")


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
    assert "bpcore-authors/backprop-book" in first.source  # the URL from _config.yml


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_solutions_are_collapsed_for_jupyterlab(path):
    notebook = nbformat.read(path, as_version=4)
    written = copy.deepcopy(notebook)
    hide_solutions(written)
    write_explorer_note(written)
    assert written.cells == notebook.cells, "run scripts/execute_notebooks.py on it"
    starts = [i for i, cell in enumerate(notebook.cells) if "{solution-start}" in cell.source]
    assert starts, "a chapter without solutions"
    for i in starts:  # the header stays visible, the cell after it is collapsed
        assert "jupyter" not in notebook.cells[i].metadata
        after = notebook.cells[i + 1]
        assert after.metadata["jupyter"]["source_hidden"]
        assert after.source.startswith(("# Solution, continued\n", "% Solution, continued\n"))
    explorers = [i for i, cell in enumerate(notebook.cells) if "explorer(" in cell.source
                 and cell.cell_type == "code"]
    notes = [i for i, cell in enumerate(notebook.cells)
             if NOTE_TAG in cell.metadata.get("tags", [])]
    assert notes == [i - 1 for i in explorers[:1]], "the note goes above the first explorer"


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_chapter_cites_and_refers_as_jupyterlab_can_show(path):
    entries = parse_file(ROOT / "references.bib").entries
    notebook = nbformat.read(path, as_version=4)
    labels = {label for cell in notebook.cells for label in
              re.findall(r"^:label: (\S+)|^\((\S+)\)=", cell.source, re.M) for label in label}
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        assert not citation_problems(cell.source, entries), citation_problems(cell.source,
                                                                              entries)
        for role, target in ROLE.findall(cell.source):
            assert role in ("numref", "ref"), f"{{{role}}}`{target}` shows raw in JupyterLab"
            if role == "numref":
                assert target in labels, f"{{numref}}`{target}` is in another chapter"
            else:
                assert "<" in target, f"{{ref}}`{target}` needs its text for JupyterLab"


def fenced_code(markdown):
    """(line number, line) of every line inside a code fence of the markdown.

    A fence with no info string or a language (```python) holds code, as do the
    CODE_DIRECTIVES; any other directive (```{exercise}) holds prose, which wraps, and
    may hold fences of its own. A fence closes at a bare fence of its kind, as long.
    """
    lines, open_fences = [], []  # open_fences: (marker, is code), innermost last
    for number, line in enumerate(markdown.splitlines(), 1):
        fence = FENCE.match(line)
        if open_fences and fence:
            marker, _ = open_fences[-1]
            if (fence[1][0] == marker[0] and len(fence[1]) >= len(marker)
                    and not fence[2]):
                open_fences.pop()
                continue
        if open_fences and open_fences[-1][1]:
            lines.append((number, line))  # inside code, a fence is text
        elif fence:
            info = fence[2]
            code = not info.startswith("{") or info.startswith(CODE_DIRECTIVES)
            open_fences.append((fence[1], code))
    return lines


def text_outputs(cell):
    """(output index, text) of each text output: a stream, or the text/plain of a result
    or display (also a widget's, which shows where the widget cannot be)."""
    for index, output in enumerate(cell.get("outputs", [])):
        if output.output_type == "stream":
            yield index, output.text
        elif "text/plain" in output.get("data", {}):
            yield index, output.data["text/plain"]


def overlong_lines(notebook):
    """Each line of code, fenced code or text output longer than COLUMNS characters
    (SOLUTION_COLUMNS in a solution), as "cell i, <where> line n (its length): the line",
    cells counted from 0. The bootstrap cell is left to
    test_the_bootstrap_cell_fits_the_text_column: it is scripts/bootstrap_cell.py's text,
    not the chapter's, and the book does not show it."""
    found, columns = [], COLUMNS

    def check(where, lines):
        for number, line in lines:
            if len(line) > columns:
                found.append(f"{where} line {number} ({len(line)}): {line}")

    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            if SOLUTION_START in cell.source:
                columns = SOLUTION_COLUMNS
            check(f"cell {index}, fenced code", fenced_code(cell.source))
            if SOLUTION_END in cell.source:
                columns = COLUMNS
        elif cell.cell_type == "code":
            if index > 0 or cell.source != bootstrap_source():
                check(f"cell {index}, code", enumerate(cell.source.splitlines(), 1))
            for output, text in text_outputs(cell):
                check(f"cell {index}, output {output}", enumerate(text.splitlines(), 1))
    return found


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_chapter_code_and_outputs_fit_the_text_column(path):
    """Wider lines scroll sideways in the book (and are cut off on paper): every line of
    a chapter's code cells, of code fenced in its text and of its text outputs fits, in a
    solution one character less."""
    too_long = overlong_lines(nbformat.read(path, as_version=4))
    assert not too_long, (f"{path.name}: lines wider than the text column ({COLUMNS} "
                          f"characters, {SOLUTION_COLUMNS} in a solution):\n"
                          + "\n".join(too_long))


def test_overlong_lines_are_found_in_code_fences_and_outputs():
    long = "x" * (COLUMNS + 1)
    stream = nbformat.v4.new_output("stream", name="stdout", text=f"short\n{long}\n")
    result = nbformat.v4.new_output("execute_result", {"text/plain": long}, execution_count=1)
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell(bootstrap_source()),
        nbformat.v4.new_markdown_cell(f"{long}\n```python\nfine\n{long}\n```\n"),
        nbformat.v4.new_markdown_cell(
            f"```{{exercise}} A title\n{long}\n\n~~~\n{long}\n~~~\n```\n"),
        nbformat.v4.new_code_cell(f"fine\n{long}", outputs=[stream, result]),
        nbformat.v4.new_code_cell("x" * COLUMNS),
        nbformat.v4.new_markdown_cell(f"{SOLUTION_START} an-exercise\n:class: dropdown\n```"),
        nbformat.v4.new_code_cell("x" * SOLUTION_COLUMNS + f"\n{'x' * COLUMNS}"),
        nbformat.v4.new_markdown_cell(f"{SOLUTION_END}\n```"),
        nbformat.v4.new_code_cell("x" * COLUMNS),
    ])
    assert [line.split(" (")[0] for line in overlong_lines(notebook)] == [
        "cell 1, fenced code line 4", "cell 2, fenced code line 5",
        "cell 3, code line 2", "cell 3, output 0 line 2", "cell 3, output 1 line 1",
        "cell 6, code line 2"]


def test_the_bootstrap_cell_fits_the_text_column():
    """JupyterLab and Colab show the bootstrap cell, and ruff checks it with the chapters
    (chapters/ruff.toml): it too should keep to COLUMNS."""
    assert max(len(line) for line in bootstrap_source().splitlines()) <= COLUMNS


def test_binder_pins_what_requirements_allow_and_nothing_for_the_book():
    ranges = [Requirement(line) for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line and not line.startswith(("#", "-"))]
    pins = {}
    for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    for requirement in ranges:
        name = canonicalize_name(requirement.name)
        if name in BOOK_ONLY:
            assert name not in pins, f"binder installs {name}, which only builds the book"
        else:
            assert requirement.specifier.contains(pins[name]), (requirement, pins[name])
    assert not {name for name in pins if name.startswith("sphinx")}
    assert "bpcore" not in pins  # binder/postBuild installs it from the checkout


@pytest.mark.parametrize("path", CHAPTERS, ids=chapter_id)
def test_chapter_is_stored_executed_with_its_widget_state(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), \
        "not executed top to bottom in one fresh kernel: run scripts/execute_notebooks.py"
    assert not stale_widget_views(notebook), \
        "widgets shown without their stored state: run scripts/execute_notebooks.py"


def view_ids(notebook):
    """The model ids of the notebook's widget views, in order."""
    return [output.data[WIDGET_VIEW]["model_id"] for cell in notebook.cells
            for output in cell.get("outputs", []) if WIDGET_VIEW in output.get("data", {})]


def with_new_model_ids(widgets, model_ids=None):
    """Widget metadata as another run stores it: the same widgets under fresh model ids (all,
    or those given), as JupyterLab leaves beside the outputs of a later run."""
    text = json.dumps(widgets)
    for model_id in model_ids or widgets[WIDGET_STATE]["state"]:
        text = text.replace(model_id, uuid.uuid4().hex)
    return json.loads(text)


def test_widget_views_without_stored_state_are_found():
    notebook = nbformat.read(WITH_EXPLORERS, as_version=4)
    views = view_ids(notebook)
    assert len(views) == 2 and stale_widget_views(notebook) == []
    widgets = notebook.metadata["widgets"]
    notebook.metadata["widgets"] = with_new_model_ids(widgets, views[:1])
    assert stale_widget_views(notebook) == views[:1]
    notebook.metadata["widgets"] = with_new_model_ids(widgets)
    assert stale_widget_views(notebook) == views
    del notebook.metadata["widgets"]
    assert stale_widget_views(notebook) == views


def test_build_fails_on_widgets_without_stored_state(tmp_path):
    """A throw-away book whose two chapters show a widget: one with the widget state of
    another run, one with none. The build must stop and name both, with the fix."""
    (tmp_path / "_config.yml").write_text(
        "title: stale widgets\n"
        "execute:\n  execute_notebooks: \"off\"\n"
        f"sphinx:\n  local_extensions:\n    widget_state: {json.dumps(str(ROOT / '_ext'))}\n")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n  - file: chapters/lab\n  - file: chapters/bare\n")
    (tmp_path / "intro.md").write_text("# Intro\n")
    (tmp_path / "chapters").mkdir()
    view = {"version_major": 2, "version_minor": 0, "model_id": uuid.uuid4().hex}
    output = nbformat.v4.new_output("display_data", {WIDGET_VIEW: view, "text/plain": "Stack()"})
    cells = [nbformat.v4.new_markdown_cell("# Explorer"),
             nbformat.v4.new_code_cell("explorer", execution_count=1, outputs=[output])]
    other_run = {WIDGET_STATE: {"version_major": 2, "version_minor": 0,
                                "state": {uuid.uuid4().hex: {"model_name": "StackModel"}}}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata={"widgets": other_run}),
                   tmp_path / "chapters" / "lab.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "chapters" / "bare.ipynb")
    result = subprocess.run([JUPYTER_BOOK, "build", str(tmp_path), "--warningiserror",
                             "--keep-going"], capture_output=True, text=True, timeout=120)
    log = result.stdout + result.stderr
    assert result.returncode != 0, log
    for name in ("chapters/lab.ipynb", "chapters/bare.ipynb"):
        assert (f"{name}: 1 widget view(s) without stored state; "
                f"fix: python scripts/execute_notebooks.py {name}") in log, log


def test_the_api_reference_lists_every_public_name():
    """Every class and function bpcore exports, and every one defined in bpcore.optim, appears
    in a ``:members:`` list of backmatter/api.md under the module that defines it."""
    import inspect

    import bpcore

    text = (ROOT / "backmatter" / "api.md").read_text()
    listed = {
        (module, name.strip())
        for module, members in re.findall(r"\.\. automodule:: (\S+)\n\s+:members: (.*)", text)
        for name in members.split(",")
    }
    public = [getattr(bpcore, name) for name in bpcore.__all__]
    public += [value for value in vars(bpcore.optim).values()
               if inspect.isclass(value) and value.__module__ == "bpcore.optim"]
    missing = sorted({f"{value.__module__}.{value.__name__}" for value in public
                      if (inspect.isclass(value) or inspect.isfunction(value))
                      and (value.__module__, value.__name__) not in listed})
    assert not missing, f"not in the API reference: {missing}"


#: A line that Markdown reads as the start of a list item, quote or heading.
BLOCK_START = re.compile(r"\s*([-+*>#]|\d+[.)])\s")


def lines_starting_blocks_inside_maths(markdown):
    """The lines of ``markdown`` that continue an inline ``$...$`` and begin like a list item,
    a quote or a heading: Markdown starts the block there and the maths breaks (the rest of
    the paragraph is typeset as one formula). Display maths (``$$``) is skipped."""
    body = re.sub(r"\$\$.*?\$\$", lambda m: "\n" * m.group(0).count("\n"), markdown, flags=re.S)
    inside, found = False, []
    for line in body.split("\n"):
        if inside and BLOCK_START.match(line):
            found.append(line)
        if len(re.findall(r"(?<!\\)\$", line)) % 2:
            inside = not inside
    return found


def test_no_inline_maths_is_broken_by_a_line_that_starts_a_block():
    pages = {path.name: [cell.source for cell in nbformat.read(path, as_version=4).cells
                         if cell.cell_type == "markdown"] for path in CHAPTERS}
    pages |= {path.name: [path.read_text()] for path in [*(ROOT / "backmatter").glob("*.md"),
                                                        ROOT / "intro.md"]}
    broken = {name: lines for name, sources in pages.items()
              for lines in [[line for source in sources
                             for line in lines_starting_blocks_inside_maths(source)]] if lines}
    assert not broken, f"rewrap these lines so they do not start a Markdown block: {broken}"


def test_the_maths_check_finds_a_broken_line():
    assert lines_starting_blocks_inside_maths("roots of $r^2 - b r\n+ \\mu = 0$ here") == [
        "+ \\mu = 0$ here"]
    assert lines_starting_blocks_inside_maths("$a$\n- an item\n$$\nx\n+ y\n$$") == []
