"""The Python side of a page's in-browser session (``_static/browser_python.js``).

Pyodide runs this once when the session starts; the page then calls ``run_cell`` for each
cell. It does what a Jupyter kernel does for a notebook, in a few lines: one namespace
for the page, the value of a cell's last expression displayed, print and warnings
captured in order, ``display()`` for rich objects, and matplotlib's figures drawn as PNG
at ``plt.show()`` and at the end of the cell, as the inline backend draws them.
The page writes matplotlib's font list to /tmp before this runs.
"""

import base64
import importlib.abc
import importlib.machinery
import importlib.util
import io
import json
import linecache
import shutil
import sys
import traceback
from pathlib import Path

# Pyodide's matplotlib reads its font list from fontlist.json beside font_manager.py
# and builds it (seconds) when that is missing, as it is in every new session
shutil.move("/tmp/matplotlib-fontlist.json",
            Path(importlib.util.find_spec("matplotlib").origin).parent / "fontlist.json")

import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from pyodide.code import eval_code_async  # noqa: E402

matplotlib.use("Agg")
namespace = {"__name__": "__main__"}
outputs = []  # the running cell's, in order: {"type": ..., "text" or "data": ...}


class Stream(io.TextIOBase):
    """sys.stdout or sys.stderr for a cell: text joins the cell's outputs in order."""

    def __init__(self, name):
        self.name = name

    def write(self, text):
        if outputs and outputs[-1]["type"] == self.name:
            outputs[-1]["text"] += text
        else:
            outputs.append({"type": self.name, "text": text})
        return len(text)


def png(figure):
    """A figure as base64 PNG, cropped to what is drawn (the inline backend's look)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def bundle(value):
    """What a front end may show for ``value``: a dict of MIME type to content."""
    if isinstance(value, Figure):
        return {"image/png": png(value), "text/plain": repr(value)}
    if hasattr(value, "_repr_mimebundle_"):
        data = value._repr_mimebundle_()
        data = data[0] if isinstance(data, tuple) else data
        if "image/png" in data and isinstance(data["image/png"], bytes):
            data["image/png"] = base64.b64encode(data["image/png"]).decode("ascii")
        return data
    data = {"text/plain": repr(value)}
    for kind, method in (("text/html", "_repr_html_"), ("image/png", "_repr_png_")):
        shown = getattr(value, method, lambda: None)()
        if shown is not None:
            data[kind] = base64.b64encode(shown).decode("ascii") if kind == "image/png" else shown
    return data


def widget_state(widget):
    """The state of an ipywidgets widget and of those it holds, as a saved notebook has
    it: the page draws the widget from it as the book draws its stored ones."""
    from ipywidgets.embed import dependency_state, embed_data

    data = embed_data(views=[widget], state=dependency_state([widget]))
    return {"state": data["manager_state"], "view": data["view_specs"][0]}


def display(*values, **_):
    """IPython's display(), for this page: each value joins the cell's outputs."""
    for value in values:
        widgets = sys.modules.get("ipywidgets")
        if widgets and isinstance(value, widgets.DOMWidget):
            outputs.append({"type": "widget", **widget_state(value), "data": bundle(value)})
        else:
            outputs.append({"type": "display", "data": bundle(value)})


def show_figures(*_, **__):
    """plt.show(): draw every open figure into the outputs, then close them."""
    for number in plt.get_fignums():
        display(plt.figure(number))
    plt.close("all")


class DisplayHere(importlib.abc.MetaPathFinder):
    """Once a cell imports IPython (seconds to import, so only then), its display() is ours."""

    def find_spec(self, name, path, target=None):
        if name != "IPython.core.display_functions":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            module.display = display

        spec.loader.exec_module = exec_module
        return spec


plt.show = show_figures
sys.meta_path.insert(0, DisplayHere())


async def run_cell(code, name):
    """Run one cell's code in the page's namespace; return its outputs as JSON."""
    outputs.clear()
    linecache.cache[name] = (len(code), None, code.splitlines(keepends=True), name)  # tracebacks
    sys.stdout, sys.stderr = Stream("stdout"), Stream("stderr")
    try:
        value = await eval_code_async(code, namespace, filename=name,
                                      return_mode="last_expr", quiet_trailing_semicolon=True)
        if value is not None:
            display(value)
        show_figures()
    except BaseException as error:  # the reader's error, shown under the cell
        frames = traceback.extract_tb(error.__traceback__)[1:]  # not run_cell's own
        own = [frame for frame in frames if "/_pyodide/" not in frame.filename]
        text = "".join(traceback.format_list(own) + traceback.format_exception_only(error))
        outputs.append({"type": "error", "text": "Traceback (most recent call last):\n" + text})
        plt.close("all")
    finally:
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return json.dumps(outputs)
