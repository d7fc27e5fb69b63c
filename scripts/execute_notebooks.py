"""Re-execute chapter notebooks in place, from a fresh kernel, storing the widget state.

Usage (from anywhere)::

    python scripts/execute_notebooks.py                      # every chapters/*.ipynb
    python scripts/execute_notebooks.py chapters/01_gradient_descent.ipynb

Before running a chapter, its first cell is made the Colab bootstrap (tag
``remove-cell``), which installs bpcore from the repository named in ``_config.yml``
when it is missing; the cell is inserted if the chapter has none. The kernel runs in
``chapters/``, so relative paths in a chapter work as they do in Jupyter. The notebook
is saved with its outputs and the state of every widget, so the sliders also work in
the built HTML book and a reader sees every result before running anything.
"""

import argparse
import os
import time
from pathlib import Path

import nbformat
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "chapters"
CELL_TIMEOUT = 120  # seconds
BOOTSTRAP_TAG = "remove-cell"
BOOTSTRAP_START = "try:\n    import bpcore\n"

# One BLAS thread: faster for the chapters' small matrices, and the same setting as the
# test run (chapters/conftest.py), which the kernels inherit.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def bootstrap_source():
    """The first cell of every chapter: install bpcore from the repository when missing."""
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    return (BOOTSTRAP_START
            + "except ImportError:  # e.g. on Colab: install the book's package from its "
              "repository\n"
            + f'    %pip install --quiet "bpcore @ git+{url}"')


def write_bootstrap(notebook):
    """Make the notebook's first cell the bootstrap cell, inserting it if absent."""
    cells = notebook.cells
    if cells and cells[0].cell_type == "code" and cells[0].source.startswith(BOOTSTRAP_START):
        cells[0].source = bootstrap_source()
        cells[0].metadata["tags"] = [BOOTSTRAP_TAG]
    else:
        cells.insert(0, nbformat.v4.new_code_cell(bootstrap_source(),
                                                  metadata={"tags": [BOOTSTRAP_TAG]}))


def execute(path):
    """Write the bootstrap cell, run the notebook from a fresh kernel, save it in place."""
    notebook = nbformat.read(path, as_version=4)
    write_bootstrap(notebook)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(CHAPTERS)}},
                            store_widget_state=True, record_timing=False)
    client.execute()
    nbformat.write(notebook, path)


def main():
    """Execute the notebooks named on the command line, or every chapter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to execute (default: every chapters/*.ipynb)")
    paths = parser.parse_args().notebooks or sorted(CHAPTERS.glob("*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"{path}: {time.perf_counter() - start:.1f} s, "
              f"{path.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
