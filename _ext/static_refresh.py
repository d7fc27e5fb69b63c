"""Rebuild when only a static file changed, so the built book gets the new copy.

Sphinx copies ``html_static_path`` (the book's ``_static/book.css``) only when some page
is written: after an edit to the stylesheet alone it reports "no targets are out of
date" and the built book keeps the old one. Here a static file that differs from its
copy in the output marks the root page out of date, which makes Sphinx write it and copy
the files again.
"""

from pathlib import Path


def outdated_if_static_changed(app, env, added, changed, removed):
    """The root page, if a static file differs from the built book's copy of it."""
    out = Path(app.outdir) / "_static"
    for folder in app.config.html_static_path:
        source = Path(app.confdir) / folder
        for path in source.rglob("*"):
            copy = out / path.relative_to(source)
            if path.is_file() and (not copy.is_file()
                                   or copy.read_bytes() != path.read_bytes()):
                return [app.config.root_doc]
    return []


def setup(app):
    app.connect("env-get-outdated", outdated_if_static_changed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
