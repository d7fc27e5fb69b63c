"""The student edition: every chapter without its solutions, with the checks in place.

Each chapter of the table of contents, with the text and code of every exercise's
solution removed (from ```{solution-start}``` to ```{solution-end}```), and a note for
students at the top. What stays: the chapter with its stored outputs, each exercise, its
answer cell (``...`` to fill in) and its check cell, whose stored output says "not yet
answered". After an HTML build, ``backprop-book-student.zip`` (the notebooks, the
licences and a note) lands at the top of the book, linked from the instructors' page;
``scripts/make_student_edition.py`` writes the notebooks and the zip to a folder.
"""

import copy
from pathlib import Path

import nbformat
from notebooks_zip import LICENCES, write_zip

ROOT = Path(__file__).resolve().parent.parent
NAME = "backprop-book-student.zip"
FOLDER = "backprop-book-student"
START, END = "```{solution-start}", "```{solution-end}"
NOTE = """\
```{{note}}
**Student edition.** The solutions of this chapter's exercises are removed. Where an
exercise asks for code or a number, fill in the answer cell under it (it starts as
`...`) and run the check cell after it: the check says whether your answer is right, and
if not, where it differs and what to look at. The full chapter is in *{title}*.
```
"""
README = """{title}: student edition.

These are the chapters as Jupyter notebooks, with the solutions of the exercises
removed. Under each exercise that asks for code or a number there is an answer cell to
fill in and a check cell to run; the check says whether the answer is right, and if not,
what to look at. Open the notebooks in JupyterLab, Jupyter Notebook or Colab; each
chapter's first cell installs the book's package, bpcore, from {repository} when it is
missing. The licences are in LICENSE.
"""


def without_solutions(notebook):
    """A copy of ``notebook`` with every solution's cells and text removed."""
    notebook = copy.deepcopy(notebook)
    kept, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if not inside:
                kept.append(cell)
            continue
        lines, closing = [], False
        for line in cell.source.splitlines(keepends=True):
            if line.startswith(START):
                inside = True
            elif inside and line.startswith(END):
                closing = True  # the directive's closing fence follows
                continue
            elif closing and line.strip() == "```":
                inside = closing = False
                continue
            if not inside:
                lines.append(line)
        if closing:  # the end marker was the cell's last line
            inside = closing = False
        text = "".join(lines).strip()
        if text and text != "% Solution, continued":
            cell.source = text + "\n"
            kept.append(cell)
    notebook.cells = kept
    return notebook


def student_notebook(path, title):
    """The student edition of the chapter at ``path``."""
    notebook = without_solutions(nbformat.read(path, as_version=4))
    heading = next(i for i, cell in enumerate(notebook.cells)
                   if cell.cell_type == "markdown" and cell.source.startswith("# "))
    note = nbformat.v4.new_markdown_cell(NOTE.format(title=title))
    note.id = "student-edition-note"  # not a random one: the same chapter, the same notebook
    notebook.cells.insert(heading + 1, note)
    return notebook


def student_notebooks(title):
    """(file name, student notebook) for every chapter."""
    return [(path.name, student_notebook(path, title)) for path in chapters()]


def chapters():
    """The chapters' notebooks, in order."""
    return sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def zip_files(notebooks, title, repository):
    """The zip's entries: (name, bytes) for the notes, notebooks and licences."""
    files = [(f"{FOLDER}/README.txt",
              README.format(title=title, repository=repository).encode())]
    files += [(f"{FOLDER}/chapters/{name}", nbformat.writes(notebook).encode())
              for name, notebook in notebooks]
    files += [(f"{FOLDER}/{name}", (ROOT / name).read_bytes()) for name in LICENCES]
    return files


def write_edition(out, title, repository):
    """Write the student notebooks to ``out/chapters`` and the zip to ``out``; return
    the notebooks, by file name."""
    (out / "chapters").mkdir(parents=True, exist_ok=True)
    notebooks = student_notebooks(title)
    for name, notebook in notebooks:
        nbformat.write(notebook, out / "chapters" / name)
    write_zip(out / NAME, zip_files(notebooks, title, repository))
    return dict(notebooks)


def write_book_zip(app, exception):
    """After an HTML build, write the student edition's zip into the built book."""
    if exception or app.builder.format != "html":
        return
    title = app.config.html_title
    repository = app.config.html_theme_options["repository_url"]
    write_zip(Path(app.outdir) / NAME, zip_files(student_notebooks(title), title, repository))


def setup(app):
    app.connect("build-finished", write_book_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
