"""The ``execution-statistics`` directive: how long each chapter took to run, and with what.

scripts/execute_notebooks.py records each run in the notebook's metadata
(``execution_statistics``): seconds, date, Python, the packages' versions, the BLAS
library with the kernel and thread count it chose, and the machine. The directive
tabulates them, one row per chapter in reading order (its number from its file name,
``NN_name.ipynb``), with the total, and says once what they ran with if all ran with the
same; the build warns (and so fails) for a chapter stored without them.
"""

import json
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)
KEY = "execution_statistics"
SHOWN = (("python", "Python"), ("numpy", "NumPy"), ("matplotlib", "Matplotlib"),
         ("scikit-learn", "scikit-learn"), ("ipywidgets", "ipywidgets"), ("bpcore", "bpcore"))
BLAS_NAMES = {"openblas": "OpenBLAS", "mkl": "MKL", "blis": "BLIS"}  # threadpoolctl's names


def blas_name(blas):
    """"openblas 0.3.31" as its authors write it: "OpenBLAS 0.3.31"."""
    name, _, version = blas.partition(" ")
    return f"{BLAS_NAMES.get(name, name)} {version}".strip()


def environment(run):
    """One run's environment in words."""
    versions = {"python": run["python"], **run["packages"]}
    threads = "thread" if run["blas_threads"] == "1" else "threads"
    return (", ".join(f"{label} {versions[name]}" for name, label in SHOWN)
            + f"; {blas_name(run['blas'])} ({run['blas_kernel']} kernel, {run['blas_threads']} "
            f"{threads}), {run['machine']}")


class ExecutionStatistics(SphinxDirective):
    """A table of the chapters' recorded runs."""

    def run(self):
        runs = {}
        for name in sorted(self.env.found_docs):
            path = self.env.doc2path(name)
            if Path(path).suffix != ".ipynb":
                continue
            self.env.note_dependency(path)
            run = json.loads(Path(path).read_text(encoding="utf-8"))["metadata"].get(KEY)
            if run is None:
                logger.warning(f"{name} has no {KEY}: run scripts/execute_notebooks.py",
                               location=self.get_location())
            else:
                runs[name] = run
        shared = {environment(run) for run in runs.values()}
        columns = ["chapter", "run time", "executed"] + ([] if len(shared) == 1 else ["with"])
        lines = ["| " + " | ".join(columns) + " |",
                 "| --- | ---: | --- |" + ("" if len(shared) == 1 else " --- |")]
        for name, run in runs.items():
            number = int(Path(name).name.split("_")[0])
            cells = [f"{number}. {{doc}}`/{name}`", f"{run['seconds']:.0f} s", run["date"]]
            lines.append("| " + " | ".join(
                cells + ([] if len(shared) == 1 else [environment(run)])) + " |")
        total = sum(run["seconds"] for run in runs.values())
        lines.append("| " + " | ".join([f"all {len(runs)} chapters", f"{total:.0f} s"]
                                        + [""] * (len(columns) - 2)) + " |")
        if len(shared) == 1:
            lines += ["", f"Every chapter ran with {shared.pop()}."]
        container = nodes.container()
        self.state.nested_parse(StringList(lines), self.content_offset, container)
        return container.children

def setup(app):
    app.add_directive("execution-statistics", ExecutionStatistics)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
