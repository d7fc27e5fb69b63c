"""Fetch the JavaScript the built book serves itself, so it works with no network.

By default a Jupyter Book page loads MathJax, RequireJS and the Jupyter widget manager
from public CDNs; the chapters' slides need reveal.js. This script downloads pinned
versions of these packages with ``npm pack``, keeps the files a page can load, and puts
them in ``_vendor/_static/vendor/``. (Pyodide, the Python that runs in the page, has its
own script: ``vendor_pyodide.py``.) The book copies ``_vendor/`` into the built site
(``html_extra_path`` in ``_config.yml``), so they are served from
``_build/html/_static/vendor/``. It also rewrites
``_vendor/README.md`` with the versions, origins and sizes.

Run from anywhere, with npm on the PATH: ``python scripts/vendor_js.py``. To move to a
new version, change it in ``PACKAGES`` and run the script again.
"""

import fnmatch
import json
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "_vendor"
TARGET = VENDOR / "_static" / "vendor"
README = VENDOR / "README.md"


@dataclass
class Package:
    """One npm package: what to fetch, where it goes, which of its files to keep."""

    name: str
    version: str
    folder: str  # under _static/vendor/
    root: str  # the package folder whose files are kept (with their relative paths)
    keep: tuple[str, ...]  # fnmatch patterns, relative to root
    licenses: tuple[str, ...]  # files relative to the package, copied next to the rest
    why: str  # for the README


PACKAGES = (
    Package(
        name="mathjax", version="3.2.2", folder="mathjax", root="es5",
        keep=("tex-mml-chtml.js", "input/tex/extensions/*", "output/chtml/fonts/woff-v2/*",
              "output/svg.js", "output/svg/fonts/tex.js", "a11y/*", "sre/*"),
        licenses=("LICENSE",),
        why="Renders the maths (`mathjax_path`). Kept: the component Sphinx uses by "
            "default (`tex-mml-chtml.js`), its web fonts, every TeX extension it may "
            "autoload, and what its right-click menu may load (the SVG renderer, the "
            "accessibility tools and their speech rules).",
    ),
    Package(
        name="requirejs", version="2.3.8", folder="requirejs", root="",
        keep=("require.js",), licenses=(),
        why="The module loader the widget manager needs (first entry of "
            "`nb_ipywidgets_js`). MIT licence, stated in the file's header.",
    ),
    Package(
        name="@jupyter-widgets/html-manager", version="1.0.15", folder="html-manager",
        root="dist", keep=("embed-amd.js", "*.woff2", "*.woff", "*.LICENSE.txt"),
        licenses=(),
        why="Renders the stored ipywidgets state in a page, without a kernel (second "
            "entry of `nb_ipywidgets_js`); the 1.0 line is the one for ipywidgets 8 "
            "(ipywidgets 8.1 declares `^1.0.1`). Kept from `dist/`: the self-contained "
            "AMD bundle and the icon web fonts a modern browser may fetch; left out: "
            "the CommonJS bundle, its source map and the AMD library copy, which no "
            "page loads.",
    ),
    Package(
        name="reveal.js", version="6.0.2", folder="reveal", root="dist",
        keep=("reveal.js", "reveal.css", "theme/white.css", "plugin/math.js"),
        licenses=("LICENSE",),
        why="Shows each chapter's slides (`_build/html/slides/`, written by "
            "`_ext/slides.py`). Kept from `dist/`: the script and its styles as a classic "
            "script (so a deck opens from disk), the white theme with its fonts inside, "
            "and the maths plugin, which is pointed at the MathJax above. MIT licence.",
    ),
)


def npm_pack(package, workdir):
    """Download one package tarball with ``npm pack``; return (its metadata, unpacked folder)."""
    result = subprocess.run(
        ["npm", "pack", f"{package.name}@{package.version}", "--json",
         "--pack-destination", str(workdir)],
        check=True, capture_output=True, text=True, cwd=workdir,
    )
    info = json.loads(result.stdout)[0]
    unpacked = workdir / info["filename"].removesuffix(".tgz")
    with tarfile.open(workdir / info["filename"]) as tar:
        tar.extractall(unpacked, filter="data")
    return info, unpacked / "package"


def install(package, source):
    """Copy the kept files of one unpacked package into place; return their total size."""
    destination = TARGET / package.folder
    shutil.rmtree(destination, ignore_errors=True)
    root = source / package.root
    files = [(path, path.relative_to(root)) for path in sorted(root.rglob("*"))
             if path.is_file() and any(fnmatch.fnmatch(path.relative_to(root).as_posix(), pattern)
                                       for pattern in package.keep)]
    if not files:
        raise SystemExit(f"nothing matched in {package.name}: check PACKAGES")
    files += [(source / name, Path(name)) for name in package.licenses]
    for path, relative in files:
        (destination / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination / relative)
    return sum(path.stat().st_size for path in destination.rglob("*") if path.is_file())


def megabytes(size):
    """A byte count as megabytes with one decimal."""
    return f"{size / 1e6:.1f} MB"


def readme(rows):
    """The text of _vendor/README.md for the (package, npm metadata, size) rows."""
    lines = [
        "# Vendored JavaScript",
        "",
        "The built book serves these itself, so the maths and the widgets work with no",
        "network, over HTTP and from `file://`. `_config.yml` copies this folder into the",
        "site (`html_extra_path`), so `_static/vendor/` lands in `_build/html/_static/vendor/`,",
        "and points `mathjax_path` and `nb_ipywidgets_js` there. Do not edit by hand:",
        "`python scripts/vendor_js.py` fetches the pinned versions with `npm pack` and",
        "rewrites this file.",
        "",
        "| package | version | folder | size |",
        "| --- | --- | --- | --- |",
    ]
    for package, _, size in rows:
        lines.append(f"| [{package.name}](https://www.npmjs.com/package/{package.name}) "
                     f"| {package.version} | `_static/vendor/{package.folder}/` "
                     f"| {megabytes(size)} |")
    total = sum(size for *_, size in rows)
    lines += ["", f"Total: {megabytes(total)}.", ""]
    for package, info, _ in rows:
        lines += [f"## {package.name} {package.version}", "", package.why, "",
                  f"Origin: the npm registry tarball `{info['filename']}`, integrity",
                  f"`{info['integrity']}`.", ""]
    return "\n".join(lines)


def main():
    """Fetch every package, install the kept files and rewrite the README."""
    rows = []
    with tempfile.TemporaryDirectory() as workdir:
        for package in PACKAGES:
            info, source = npm_pack(package, Path(workdir))
            rows.append((package, info, install(package, source)))
            print(f"{package.name}@{package.version}: {megabytes(rows[-1][2])}")
    old = README.read_text() if README.exists() else ""
    pyodide = old[old.find("## pyodide "):] if "## pyodide " in old else ""  # vendor_pyodide.py's
    README.write_text(readme(rows) + pyodide)
    print(f"total {megabytes(sum(size for *_, size in rows))} in {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
