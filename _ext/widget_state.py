"""Fail the build when a notebook shows widgets whose state it does not store.

In the built page the widget manager (@jupyter-widgets/html-manager) renders a widget view
only from the widget state stored in the notebook's metadata; a view whose model is not
there is dropped without a warning, and the chapter's explorer vanishes from the page.
JupyterLab leaves a notebook so after Run All and a save: new outputs, with new model ids,
beside the old stored state. scripts/execute_notebooks.py stores the state of the run.
"""

from pathlib import Path

import nbformat
from sphinx.errors import SphinxError

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


class StaleWidgetStateError(SphinxError):
    category = "Stale widget state"


def stale_widget_views(notebook):
    """The model ids of the notebook's widget views that have no stored state, in order."""
    widgets = notebook.get("metadata", {}).get("widgets", {})
    state = widgets.get(WIDGET_STATE, {}).get("state", {})
    views = [output["data"][WIDGET_VIEW]["model_id"]
             for cell in notebook.get("cells", []) for output in cell.get("outputs", [])
             if WIDGET_VIEW in output.get("data", {})]
    return [model_id for model_id in views if model_id not in state]


def check_notebooks(app, env, docnames):
    """Before any page is read, check every notebook the book builds (all found documents,
    not only the outdated ones) and fail with one message that names each offender."""
    problems = []
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        missing = stale_widget_views(nbformat.read(path, as_version=4))
        if missing:
            name = path.relative_to(app.srcdir).as_posix()
            problems.append(f"  {name}: {len(missing)} widget view(s) without stored state; "
                            f"fix: python scripts/execute_notebooks.py {name}")
    if problems:
        raise StaleWidgetStateError(
            "these notebooks show widgets whose state they do not store (as JupyterLab saves "
            "them after a run), so their explorers would vanish from the built pages; "
            "re-execute each, which stores the widget state:\n" + "\n".join(problems))


def setup(app):
    app.connect("env-before-read-docs", check_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
