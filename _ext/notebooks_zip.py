"""All the chapters' notebooks as one zip in the built book, for a reader to download.

After an HTML build, ``backprop-book-notebooks.zip`` lands at the top of the book
(the preface links to it): every notebook of the table of contents, stored executed as
in the repository, with the licences and a note on how to run them. Its entries carry
a fixed date, so the same notebooks give the same zip.
"""

import zipfile
from pathlib import Path

NAME = "backprop-book-notebooks.zip"
FOLDER = "backprop-book-notebooks"
LICENCES = ("LICENSE", "LICENSE-CC-BY-4.0.txt")
README = """{title}: the chapters as Jupyter notebooks.

Open them in JupyterLab, Jupyter Notebook, Colab or any other Jupyter front end. They
are stored executed, so every figure is there before you run anything. Each chapter's
first cell installs the book's package, bpcore, from {repository} when it is missing
(or `pip install -r requirements.txt` in a checkout of that repository installs it
with everything else). The licences are in LICENSE.
"""
DATE = (2026, 1, 1, 0, 0, 0)  # a fixed date, so the same files give the same zip


def write_zip(path, files):
    """Write ``files``, (name, bytes) pairs, to the zip at ``path``, with fixed dates."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(zipfile.ZipInfo(name, DATE), data, zipfile.ZIP_DEFLATED)


def write_book_zip(app, exception):
    """Write the zip into the built book."""
    if exception or app.builder.format != "html":
        return
    source = Path(app.srcdir)
    notebooks = sorted(app.env.doc2path(name) for name in app.env.found_docs
                       if Path(app.env.doc2path(name)).suffix == ".ipynb")
    readme = README.format(title=app.config.html_title,
                           repository=app.config.html_theme_options["repository_url"])
    files = [(f"{FOLDER}/README.txt", readme.encode())]
    files += [(f"{FOLDER}/{Path(path).relative_to(source)}", Path(path).read_bytes())
              for path in notebooks]
    files += [(f"{FOLDER}/{name}", (source / name).read_bytes()) for name in LICENCES]
    write_zip(Path(app.outdir) / NAME, files)


def setup(app):
    app.connect("build-finished", write_book_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
