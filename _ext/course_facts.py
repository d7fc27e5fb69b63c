"""What the instructors' page measures in the chapters: time to work through, and uses.

Read from the chapters' notebooks, never typed in:

- :func:`workload`: each chapter's words of text (outside solutions), the code cells a
  student runs and the exercises, and from them the minutes to work through it at the
  stated rates (``WORDS_PER_MINUTE``, ``MINUTES_PER_CELL``, ``MINUTES_PER_EXERCISE``);
- :func:`dependencies`: which earlier chapters each chapter uses, and for what: every
  bpcore name its code calls whose docstring says it is taught in an earlier chapter
  ("Taught in :doc:`/chapters/05_backward_pass`"), with the section that teaches it
  there, and every time its text names an earlier chapter;
- :func:`syllabus_gaps`: what a syllabus (weeks of chapters and sections) teaches later
  than a chapter that uses it, or not at all.
"""

import ast
import importlib
import inspect
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from student_edition import chapters as book_chapters
from student_edition import without_solutions

#: the stated rates behind the time estimates
WORDS_PER_MINUTE = 120  # text with equations, read with care: half of ordinary reading
MINUTES_PER_CELL = 1  # run a code cell, read its code and its output
MINUTES_PER_EXERCISE = 15
TAUGHT = re.compile(r"(?:Taught|Worked|Defined) in :doc:`/chapters/(\d\d)_\w+`")
MENTION = re.compile(r"\b[Cc]hapters? (\d)((?:, \d)*(?:,? and \d)?)")
#: bpcore's drawing and explorer modules: how a chapter shows things, not what it uses
PRESENTATION = ("bpcore.plots", "bpcore.widgets", "bpcore.neural_flow")


@dataclass
class Chapter:
    """A chapter's number, title, file and notebook, and the cells a student works
    through: (section title, cell) pairs of its student edition, without the cells the
    book hides; the opening, before the first section, is titled by the chapter."""

    number: int
    title: str
    path: Path
    notebook: object = field(repr=False)
    cells: list = field(repr=False)

    @property
    def name(self):
        return self.path.stem


def chapters():
    """The chapters, in order."""
    found = []
    for path in book_chapters():
        notebook = nbformat.read(path, as_version=4)
        title = next(cell.source.splitlines()[0][2:] for cell in notebook.cells
                     if cell.source.startswith("# "))
        cells, section = [], title
        for cell in without_solutions(notebook).cells:
            if "remove-cell" in cell.metadata.get("tags", []):
                continue
            if cell.cell_type == "markdown":
                section = ([section] + re.findall(r"^## (.+)$", cell.source, re.M))[-1]
            cells.append((section, cell))
        found.append(Chapter(int(path.name[:2]), title, path, notebook, cells))
    return found


@dataclass
class Workload:
    """Words, code cells and exercises, and the minutes they take."""

    words: int
    cells: int
    exercises: int

    @property
    def reading_minutes(self):
        """Minutes to read the text and run every code cell."""
        return self.words / WORDS_PER_MINUTE + self.cells * MINUTES_PER_CELL

    @property
    def exercise_minutes(self):
        return self.exercises * MINUTES_PER_EXERCISE


def count(cells):
    """The :class:`Workload` of some (section, cell) pairs; an exercise's check cell is
    counted with the exercise, not as a cell."""
    words = code = exercises = 0
    for _, cell in cells:
        if cell.cell_type == "markdown":
            words += len(cell.source.split())
            exercises += cell.source.count("```{exercise}")
        elif "exercise-check" not in cell.metadata.get("tags", []):
            code += 1
    return Workload(words, code, exercises)


def workload(chapter):
    """The chapter's :class:`Workload`."""
    return count(chapter.cells)


def section_minutes(chapter, section):
    """Minutes to read and run one section of ``chapter`` (its opening: the title)."""
    load = count([(where, cell) for where, cell in chapter.cells if where == section])
    if not load.words:
        raise ValueError(f"chapter {chapter.number} has no section {section!r}")
    return load.reading_minutes


@dataclass(frozen=True)
class Use:
    """Chapter ``user`` uses ``names`` of chapter ``used``, taught in ``section``
    there; ``section`` is None for a mention of the chapter in the text."""

    user: int
    used: int
    section: str
    names: tuple


def imports_and_tree(source):
    """A cell's bpcore imports ({local name: dotted name}) and its syntax tree;
    None for a cell that is not plain Python (an IPython magic)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "bpcore":
                    imported[(alias.asname or alias.name).split(".")[0]] = "bpcore"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bpcore"):
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return imported, tree


def _resolve(dotted):
    """The object a dotted bpcore name refers to, or None."""
    parts = dotted.split(".")
    obj = importlib.import_module(parts[0])
    for i, part in enumerate(parts[1:], 1):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            try:
                obj = importlib.import_module(".".join(parts[:i + 1]))
            except ImportError:
                return None
    return obj


def used_names(chapter):
    """Every bpcore name the chapter's code uses, {dotted name: object}, with the
    chapter's imports followed (``from bpcore.examples import landscapes`` then
    ``landscapes.descend`` is ``bpcore.examples.landscapes.descend``)."""
    imported, found = {}, {}
    for cell in chapter.notebook.cells:
        parsed = cell.cell_type == "code" and imports_and_tree(cell.source)
        if not parsed:
            continue
        imported.update(parsed[0])
        for node in ast.walk(parsed[1]):
            chain = []
            while isinstance(node, ast.Attribute):
                chain.append(node.attr)
                node = node.value
            if isinstance(node, ast.Name) and node.id in imported:
                parts = [imported[node.id], *reversed(chain)]
                for length in range(len(parts), 0, -1):
                    obj = _resolve(".".join(parts[:length]))
                    if obj is not None:
                        found[".".join(parts[:length])] = obj
                        break
    return found


def taught_in(obj):
    """The chapter number an object's docstring says it is taught in, or None."""
    match = TAUGHT.search(inspect.getdoc(obj) or "")
    return int(match.group(1)) if match else None


def teaching_section(chapter, name):
    """The section of ``chapter`` that teaches ``name``: the first whose heading
    names it (Adam in "Adam: momentum and RMSProp, corrected"), else the first
    whose code uses it."""
    pattern = re.compile(rf"\b{re.escape(name.split('.')[-1])}\b")
    for section, _ in chapter.cells:
        if section != chapter.title and pattern.search(section):
            return section
    for section, cell in chapter.cells:
        if cell.cell_type == "code" and pattern.search(cell.source):
            return section
    return chapter.title


def dependencies(book):
    """Every :class:`Use` of an earlier chapter, chapter by chapter, in ``book`` (the
    :func:`chapters`)."""
    by_number = {chapter.number: chapter for chapter in book}
    uses = []
    for chapter in book:
        taught = {}
        for dotted, obj in used_names(chapter).items():
            number = taught_in(obj)
            if number and number < chapter.number and not dotted.startswith(PRESENTATION):
                section = teaching_section(by_number[number], dotted)
                taught.setdefault((number, section), set()).add(dotted)
        uses += [Use(chapter.number, number, section, tuple(sorted(names)))
                 for (number, section), names in sorted(taught.items())]
        text = " ".join(cell.source for _, cell in chapter.cells
                        if cell.cell_type == "markdown")
        mentioned = set()
        for match in MENTION.finditer(text):
            mentioned.update(int(n) for n in re.findall(r"\d", match.group(0)))
        uses += [Use(chapter.number, number, None, ()) for number in sorted(mentioned)
                 if number < chapter.number]
    return uses


def syllabus_gaps(weeks, uses):
    """What ``weeks`` teaches too late or never, for the chapters it teaches.

    ``weeks`` lists, week by week, the chapters taught whole ({5}) and the sections
    taught of others ({(3, "The price of not using backprop")}). A code use needs its
    section (or its whole chapter) in the same week or before; a mention of a chapter in
    the text needs some of that chapter. Returns readable sentences, empty if none.
    """
    gaps, whole, parts = [], {}, {}
    for week, taught in enumerate(weeks, 1):
        for item in taught:
            if isinstance(item, int):
                whole.setdefault(item, week)
            else:
                parts.setdefault(item, week)
                parts.setdefault(item[0], week)
    for use in uses:
        if use.user not in whole:
            continue
        needed = (use.used, use.section) if use.section else use.used
        when = min(whole.get(use.used, 99), parts.get(needed, 99))
        if when > whole[use.user]:
            what = f"section “{use.section}” of chapter {use.used}" if use.section else \
                f"chapter {use.used}"
            because = f" ({', '.join(use.names)})" if use.names else " (named in the text)"
            gaps.append(f"chapter {use.user}, in week {whole[use.user]}, uses {what}"
                        f"{because}, which is taught "
                        + ("never" if when == 99 else f"in week {when}"))
    return gaps
