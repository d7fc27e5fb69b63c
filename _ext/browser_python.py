"""Python in the reader's browser: the "Run in browser" button on every code cell.

Each page loads ``_static/browser_python.js`` (a few kilobytes), which adds the buttons
(Jupyter Book adds every script in ``_static/`` to every page);
Pyodide itself, vendored in ``_vendor/_static/vendor/pyodide/`` (``scripts/vendor_pyodide.py``),
loads only when a reader presses one. After an HTML build this extension completes the
runtime folder of the built book:

- bpcore's wheel, built from the repository with pip as an install builds it, and its
  entry in the folder's ``pyodide-lock.json``, so the page loads it by name;
- ``session.py``, the Python side of a session (``browser_session.py``, beside this file);
- ``file/<name>.js`` for each file that Pyodide fetches: the file base64-encoded in a
  classic script, which a page opened from disk can load where it may not fetch.

Without the vendored runtime the book builds as before, with no buttons, and says so.
"""

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from sphinx.util import logging

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENDORED = ROOT / "_vendor" / "_static" / "vendor" / "pyodide"
FOLDER = Path("_static") / "vendor" / "pyodide"
LOADED_AS_SCRIPTS = {"pyodide.js", "pyodide.asm.js"}  # <script> tags, from disk as well
logger = logging.getLogger(__name__)


def build_bpcore_wheel(destination):
    """bpcore's wheel, built by pip from a copy of the package; return its path."""
    with tempfile.TemporaryDirectory() as workdir:
        source = Path(workdir) / "source"  # a copy, so the build leaves nothing behind
        shutil.copytree(ROOT / "bpcore", source / "bpcore",
                        ignore=shutil.ignore_patterns("__pycache__"))
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(ROOT / name, source / name)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "--quiet", "-w", workdir, str(source)], capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"could not build bpcore's wheel:\n{result.stderr}")
        (wheel,) = Path(workdir).glob("bpcore-*.whl")
        for old in destination.glob("bpcore-*.whl"):
            old.unlink()
        return Path(shutil.copy2(wheel, destination / wheel.name))


def add_to_lock(folder, wheel):
    """Name bpcore's wheel in the built runtime's lock, as the lock names the others."""
    lock_path = folder / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text())
    version = wheel.name.split("-")[1]
    lock["packages"]["bpcore"] = {
        "name": "bpcore", "version": version, "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": ["bpcore"], "depends": ["numpy", "matplotlib"],
        "unvendored_tests": False, "shared_library": False}
    lock_path.write_text(json.dumps(lock, indent=1) + "\n")


def write_scripts_for_disk(folder):
    """file/<name>.js for each fetched file: ``bookRuntimeFile(name, base64)``."""
    scripts = folder / "file"
    scripts.mkdir(exist_ok=True)
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name in LOADED_AS_SCRIPTS:
            continue
        script = scripts / f"{path.name}.js"
        if script.exists() and script.stat().st_mtime >= path.stat().st_mtime:
            continue
        text = base64.b64encode(path.read_bytes()).decode("ascii")
        script.write_text(f'bookRuntimeFile("{path.name}", "{text}");\n')
    for script in scripts.iterdir():  # none left over from a file no longer shipped
        if not (folder / script.name.removesuffix(".js")).is_file():
            script.unlink()


def complete_runtime(app, exception):
    """Add bpcore, the session and the scripts for disk to the built runtime folder."""
    if exception or app.builder.format != "html":
        return
    folder = Path(app.outdir) / FOLDER
    add_to_lock(folder, build_bpcore_wheel(folder))
    shutil.copy2(HERE / "browser_session.py", folder / "session.py")
    write_scripts_for_disk(folder)


def leave_out_the_runner(app, config):
    """Without the vendored runtime, pages load neither the runner nor its styles."""
    config.html_js_files = [f for f in config.html_js_files if f != "browser_python.js"]
    config.html_css_files = [f for f in config.html_css_files if f != "browser_python.css"]
    logger.info("no Pyodide in _vendor/ (scripts/vendor_pyodide.py): the book is built "
                "without its Run in browser buttons")


def setup(app):
    # Jupyter Book adds every script and stylesheet in _static/ to every page, the
    # runner's (browser_python.js and .css) among them
    if VENDORED.is_dir():
        app.connect("build-finished", complete_runtime)
    else:
        app.connect("config-inited", leave_out_the_runner)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
