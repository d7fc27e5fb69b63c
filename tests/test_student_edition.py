"""The student edition: no solution text or output in it, and it runs unanswered.

Every chapter's student notebook keeps each exercise with its answer cell and check
cell, holds nothing that only a solution holds (its text, code or outputs), and runs
from top to bottom in a fresh kernel with the exercises unanswered, each check saying
"not yet answered". The built book's zip holds the same notebooks.
"""

import json
import re
import zipfile

import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from student_edition import END, FOLDER, NAME, ROOT, START, chapters, student_notebook

TITLE = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
LABEL = re.compile(r":label: (\S+)")
SHORTEST = 16  # shorter lines ("plt.show()", "print(loss)") are not the solution's own


def solution_parts(notebook):
    """The chapter's lines and outputs inside solutions, and those outside them."""
    inside, outside, solution = set(), set(), False
    for cell in notebook.cells:
        texts = [cell.source] + [text for output in cell.get("outputs", [])
                                 for text in output_texts(output)]
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                solution = solution or line.startswith(START)
                (inside if solution else outside).add(line.strip())
                solution = solution and not line.startswith(END)
            continue
        for text in texts:
            (inside if solution else outside).update(
                line.strip() for line in text.splitlines())
    keep = {line for line in inside - outside if len(line) >= SHORTEST}
    return keep


def output_texts(output):
    """An output's text, whatever its kind."""
    if "text" in output:
        yield "".join(output["text"])
    for kind in ("text/plain", "text/html", "text/markdown", "text/latex"):
        if kind in output.get("data", {}):
            yield "".join(output["data"][kind])


def everything(notebook):
    """Every line of a notebook's sources and outputs, stripped."""
    lines = set()
    for cell in notebook.cells:
        lines.update(line.strip() for line in cell.source.splitlines())
        for output in cell.get("outputs", []):
            for text in output_texts(output):
                lines.update(line.strip() for line in text.splitlines())
    return lines


@pytest.fixture(scope="module", params=chapters(), ids=lambda path: path.stem)
def edition(request):
    """A chapter and its student edition."""
    return nbformat.read(request.param, as_version=4), student_notebook(request.param, TITLE)


def test_no_solution_text_code_or_output_is_left(edition):
    chapter, student = edition
    leaked = solution_parts(chapter) & everything(student)
    assert not leaked, sorted(leaked)[:5]
    assert not any(START in cell.source or END in cell.source for cell in student.cells)


def test_every_exercise_stays_with_its_answer_and_check_cells(edition):
    chapter, student = edition

    def labels(notebook):
        return [label for cell in notebook.cells if cell.cell_type == "markdown"
                for label in LABEL.findall(cell.source) if "-ex-" in label]

    def tagged(notebook, tag):
        return [cell.source for cell in notebook.cells
                if tag in cell.metadata.get("tags", [])]

    assert labels(student) == labels(chapter)
    for tag in ("exercise-answer", "exercise-check"):
        assert tagged(student, tag) == tagged(chapter, tag)


def test_the_student_notebook_runs_with_its_exercises_unanswered(edition):
    _, student = edition
    path = chapters()[0].parent
    NotebookClient(student, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path)}}).execute()
    for cell in student.cells:
        if "exercise-check" in cell.metadata.get("tags", []):
            text = "".join(output_texts(cell.outputs[0])) if cell.outputs else ""
            assert "not yet answered" in text, (cell.source, text)


def test_the_books_student_zip_holds_the_student_edition(book):
    with zipfile.ZipFile(book / NAME) as archive:
        names = archive.namelist()
        for path in chapters():
            stored = json.loads(archive.read(f"{FOLDER}/chapters/{path.name}"))
            assert stored == json.loads(nbformat.writes(student_notebook(path, TITLE)))
        readme = archive.read(f"{FOLDER}/README.txt").decode()
    assert readme.startswith(f"{TITLE}: student edition") and f"{FOLDER}/LICENSE" in names
