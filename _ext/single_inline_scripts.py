"""Keep Sphinx 7 from writing an inline script twice on every page.

Sphinx 7 (fixed in 8.2, sphinx-doc/sphinx#13402) lists an inline script that an extension
adds after the HTML builder has started twice: once as added, once again from the
registry when the pages are written. sphinx-thebe adds its configuration this way, and
the second copy fails in the browser with "Identifier 'THEBE_JS_URL' has already been
declared". This extension drops the first copy, so only the registry's remains.
"""


def drop_early_inline_scripts(app, env, docnames):
    """Remove the inline scripts added so far; writing the pages adds them back once."""
    scripts = getattr(app.builder, "_js_files", None)
    if scripts is not None:
        scripts[:] = [script for script in scripts if script.filename is not None]


def setup(app):
    """Run after sphinx-thebe's handler of the same event (priority 500)."""
    app.connect("env-before-read-docs", drop_early_inline_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
