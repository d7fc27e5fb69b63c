"""Re-execute chapter notebooks in place, from a fresh kernel, storing the widget state.

Usage (from anywhere)::

    python scripts/execute_notebooks.py                      # every chapters/*.ipynb
    python scripts/execute_notebooks.py chapters/01_gradient_descent.ipynb

Before running a chapter, its first cell is made the Colab bootstrap (tag
``remove-cell``, source in ``scripts/bootstrap_cell.py``), which installs bpcore from
the repository named in ``_config.yml`` when it is missing; the cell is inserted if the
chapter has none. The cells of each exercise's solution get the metadata that collapses
them in JupyterLab, and a note above the first explorer tells JupyterLab and Colab
readers how to make it move. The kernel runs in
``chapters/``, so relative paths in a chapter work as they do in Jupyter. The notebook
is saved with its outputs and the state of every widget, so the sliders also work in
the built HTML book and a reader sees every result before running anything. Its
metadata records the run (``execution_statistics``: the time it took, the date, the
versions of Python and the packages, the BLAS library and the kernel and thread count
it chose), which the book's execution-statistics page tabulates.
"""

import argparse
import datetime
import importlib.metadata
import os
import platform
import re
import time
from pathlib import Path

import nbformat
import threadpoolctl
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
CELL_TIMEOUT = 120  # seconds
BOOTSTRAP_TAG = "remove-cell"
BOOTSTRAP = Path(__file__).with_name("bootstrap_cell.py")
# the packages whose versions a run records (the kernel runs in this environment)
PACKAGES = ("bpcore", "numpy", "matplotlib", "ipywidgets", "scikit-learn")
SOLUTION_START = "```{solution-start}"
SOLUTION_END = "```{solution-end}"
# a collapsed cell's first line (not "Exercise 2.1": JupyterLab numbers exercises 1, 2, ...)
SOLUTION_LINE = "Solution, continued"
SOLUTION_COMMENT = re.compile(rf"\A[#%] {SOLUTION_LINE}\n")
HIDDEN = ("source_hidden", "outputs_hidden")  # JupyterLab's collapsed input, output
NOTE_TAG = "explorer-note"
EXPLORER_NOTE = (
    "**In JupyterLab or Colab**, until the notebook has run on your computer, each "
    "explorer shows only the figure it starts at. Run it (*Run ▸ Run All Cells*) and the "
    "sliders move; in JupyterLab, *Trust Notebook* in the command palette (*View ▸ "
    "Commands*) brings the stored explorers back to life without running anything.")

# One BLAS thread: faster for the chapters' small matrices, and the same setting as the
# test run (chapters/conftest.py), which the kernels inherit.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def bootstrap_source():
    """The first cell of every chapter (scripts/bootstrap_cell.py): install bpcore from
    the repository named in _config.yml when it is missing, or say what to do."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return BOOTSTRAP.read_text().strip().replace("{repository}", url)


def write_bootstrap(notebook):
    """Make the notebook's first cell the bootstrap cell, inserting it if absent."""
    cells = notebook.cells
    if cells and cells[0].cell_type == "code" and BOOTSTRAP_TAG in cells[0].metadata.get(
            "tags", []):
        cells[0].source = bootstrap_source()
        cells[0].metadata["tags"] = [BOOTSTRAP_TAG]
    else:
        cells.insert(0, nbformat.v4.new_code_cell(bootstrap_source(),
                                                  metadata={"tags": [BOOTSTRAP_TAG]}))


def hide_solutions(notebook):
    """Collapse each solution's cells in JupyterLab, after the one that opens it.

    A solution runs from its ``solution-start`` cell to its ``solution-end`` cell. The
    book folds it whole; jupyterlab-myst renders each cell on its own, so it folds only
    the opening cell (the "Solution to Exercise ..." header). The cells after it get the
    metadata JupyterLab collapses a cell by: ``jupyter.source_hidden``, and for code
    ``outputs_hidden`` too. A collapsed cell shows its first line, so each starts with
    a comment that says so (``# ...`` in code, MyST's ``% ...`` in text) instead of
    giving the answer away. Every other cell loses both.
    """
    solution = False
    for cell in notebook.cells:
        jupyter = cell.metadata.pop("jupyter", {})
        for key in HIDDEN:
            jupyter.pop(key, None)
        cell.source = SOLUTION_COMMENT.sub("", cell.source, count=1)
        if solution:
            jupyter.update(dict.fromkeys(
                HIDDEN if cell.cell_type == "code" else HIDDEN[:1], True))
            mark = "#" if cell.cell_type == "code" else "%"
            cell.source = f"{mark} {SOLUTION_LINE}\n{cell.source}"
        if jupyter:
            cell.metadata["jupyter"] = jupyter
        if SOLUTION_START in cell.source:
            solution = True
        elif SOLUTION_END in cell.source:
            if cell.source.split(SOLUTION_END, 1)[1].strip() != "```":
                raise ValueError(f"text after the end of a solution: {cell.source[-200:]}")
            solution = False


def write_explorer_note(notebook):
    """Put the note for JupyterLab and Colab readers above the first explorer.

    The note (tag ``remove-cell``: the book, whose sliders always move, leaves it out)
    keeps its cell where it already stands; a chapter without an explorer gets none.
    """
    notes = [cell for cell in notebook.cells if NOTE_TAG in cell.metadata.get("tags", [])]
    cells = [cell for cell in notebook.cells if cell not in notes]
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and "explorer(" in cell.source:
            note = notes[0] if notes else nbformat.v4.new_markdown_cell(
                metadata={"tags": [BOOTSTRAP_TAG, NOTE_TAG]})
            note.source = EXPLORER_NOTE
            cells.insert(index, note)
            break
    notebook.cells = cells


def environment():
    """What a run's numbers depend on: Python, the packages, the BLAS and its kernel."""
    import numpy  # noqa: F401 - loads the BLAS library that threadpoolctl reports

    blas = next((info for info in threadpoolctl.threadpool_info()
                 if info["user_api"] == "blas"), {})
    return {
        "python": platform.python_version(),
        "packages": {name: importlib.metadata.version(name) for name in PACKAGES},
        "blas": f"{blas.get('internal_api', 'unknown')} {blas.get('version', '')}".strip(),
        "blas_kernel": blas.get("architecture", "unknown"),
        "blas_threads": os.environ["OPENBLAS_NUM_THREADS"],
        "machine": f"{platform.system()} {platform.machine()}",
    }


def execute(path):
    """Write the bootstrap cell and the solutions' metadata, run the notebook from a
    fresh kernel, save it in place; return the run's seconds."""
    notebook = nbformat.read(path, as_version=4)
    write_bootstrap(notebook)
    hide_solutions(notebook)
    write_explorer_note(notebook)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(CHAPTERS)}},
                            store_widget_state=True, record_timing=False)
    start = time.perf_counter()
    client.execute()
    notebook.metadata["execution_statistics"] = {
        "seconds": round(time.perf_counter() - start, 1),
        "date": datetime.date.today().isoformat(), **environment()}
    nbformat.write(notebook, path)
    return notebook.metadata["execution_statistics"]["seconds"]


def main():
    """Execute the notebooks named on the command line, or every chapter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: every chapters/*.ipynb)")
    paths = parser.parse_args().notebooks or sorted(CHAPTERS.glob("*.ipynb"))
    for path in paths:
        seconds = execute(path)
        print(f"{path}: {seconds:.1f} s, {path.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
