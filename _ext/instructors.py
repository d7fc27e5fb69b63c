"""The instructors' page's measured parts, written at build time from the chapters.

Directives, each replaced by Markdown (tables, cross-references) computed by
``course_facts`` and ``course_plan``:

- ``{course-workload}``: words, code cells, exercises and minutes per chapter;
- ``{course-dependencies}``: the arc diagram of which chapters use which, and the table
  of what for;
- ``{course-syllabus} <name>``: one syllabus of ``course_plan.SYLLABI``, week by week,
  with its reading time; the build fails if it teaches a chapter before what it uses.
"""

import html
import math

import course_facts as facts
import course_plan as plan
from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.statemachine import StringList
from sphinx.errors import ExtensionError
from student_edition import chapters as book_chapters


class Markdown(Directive):
    """A directive whose output is Markdown, parsed in place."""

    def markdown(self):
        raise NotImplementedError

    def run(self):
        # the page is made from the chapters: a changed chapter makes Sphinx read it again
        env = self.state.document.settings.env
        for path in book_chapters():
            env.note_dependency(str(path))
        container = nodes.container()
        self.state.nested_parse(StringList(self.markdown().splitlines()),
                                self.content_offset, container)
        return container.children


def chapter_link(chapter):
    return f"{{doc}}`{chapter.number} {chapter.title.split(':')[0]} </chapters/{chapter.name}>`"


class WorkloadTable(Markdown):
    def markdown(self):
        rows = [rates(),  "",
                "| chapter | words | code cells | exercises | minutes to read and run "
                "| minutes of exercises | hours in all | slides |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        total = 0
        for chapter in facts.chapters():
            load = facts.workload(chapter)
            minutes = load.reading_minutes + load.exercise_minutes
            total += minutes
            rows.append(f"| {chapter_link(chapter)} | {load.words:,} | {load.cells} | "
                        f"{load.exercises} | {rounded(load.reading_minutes)} | "
                        f"{load.exercise_minutes} | {minutes / 60:.1f} | "
                        f'<a href="../slides/{chapter.name}.html">slides</a> |')
        rows.append(f"| the book | | | | | | {total / 60:.0f} | |")
        return "\n".join(rows)


def rounded(minutes):
    """``minutes`` to the nearest 5."""
    return 5 * round(minutes / 5)


def rates():
    """The stated rates the times are estimated from."""
    return (f"Estimated from the chapters themselves: their text outside the solutions at "
            f"{facts.WORDS_PER_MINUTE} words a minute (text with equations, read with "
            f"care: about half the pace of ordinary reading), {facts.MINUTES_PER_CELL} "
            f"minute for each code cell a student runs and reads, and "
            f"{facts.MINUTES_PER_EXERCISE} minutes for each exercise. The counts are "
            "made when the book is built.")


class DependencyMap(Markdown):
    def markdown(self):
        book = facts.chapters()
        uses = facts.dependencies(book)
        lines = [arc_diagram(book, uses), "",
                 "| chapter | uses, from earlier chapters | named in its text |",
                 "| --- | --- | --- |"]
        titles = {chapter.number: chapter for chapter in book}
        for chapter in book:
            own = [use for use in uses if use.user == chapter.number]
            code = "; ".join(
                f"{use.used}: {section_name(titles[use.used], use.section)} "
                f"({names(use)})" for use in own if use.section)
            named = ", ".join(str(use.used) for use in own if not use.section)
            lines.append(f"| {chapter_link(chapter)} | {code or '—'} | {named or '—'} |")
        return "\n".join(lines)


def names(use):
    return ", ".join(f"`{name.removeprefix('bpcore.')}`" for name in use.names)


def section_name(chapter, section):
    return "its opening" if section == chapter.title else f"“{section}”"


def arc_diagram(book, uses):
    """An SVG of the chapters in a row: an arc above from chapter a to chapter b where
    b's code uses what a teaches (wider for more names), a dashed arc below where only
    b's text names a."""
    step, left, mid = 88, 30, 180
    x = {chapter.number: left + step * i for i, chapter in enumerate(book)}
    width = left * 2 + step * (len(book) - 1)
    parts = [f'<svg class="bp-course-map" viewBox="0 0 {width} 360" role="img" '
             'aria-label="Which chapters use which: arcs above for code, '
             'dashed arcs below for the text" xmlns="http://www.w3.org/2000/svg">']
    code, named = {}, set()
    for use in uses:
        if use.section:
            code[use.used, use.user] = code.get((use.used, use.user), 0) + len(use.names)
        else:
            named.add((use.used, use.user))

    def arc(a, b, side):
        rx, ry = (x[b] - x[a]) / 2, 10 + 18 * (b - a)
        y = mid - 16 * side
        return f'M {x[a]} {y} A {rx} {ry} 0 0 {1 if side > 0 else 0} {x[b]} {y}'

    for (a, b), count in sorted(code.items()):
        parts.append(f'<path d="{arc(a, b, 1)}" fill="none" stroke="#1f77b4" '
                     f'stroke-opacity="0.75" stroke-width="{1 + math.sqrt(count):.1f}"/>')
    for a, b in sorted(named - set(code)):
        parts.append(f'<path d="{arc(a, b, -1)}" fill="none" stroke="#777" '
                     'stroke-width="1.3" stroke-dasharray="4 3"/>')
    for chapter in book:
        parts.append(f'<circle cx="{x[chapter.number]}" cy="{mid}" r="15" fill="#fff" '
                     'stroke="#333" stroke-width="1.5"/>'
                     f'<text x="{x[chapter.number]}" y="{mid + 5}" text-anchor="middle" '
                     f'font-size="14" fill="#111">{chapter.number}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


class SyllabusTable(Markdown):
    required_arguments = 1
    final_argument_whitespace = True

    def markdown(self):
        name = self.arguments[0]
        if name not in plan.SYLLABI:
            raise self.error(f"no syllabus {name!r}; there are {sorted(plan.SYLLABI)}")
        weeks = plan.SYLLABI[name]
        chapters = facts.chapters()
        gaps = facts.syllabus_gaps([week.taught for week in weeks],
                                   facts.dependencies(chapters))
        if gaps:
            raise ExtensionError(f"the syllabus {name!r} does not fit the chapters: "
                                 + "; ".join(gaps))
        book = {chapter.number: chapter for chapter in chapters}
        rows = ["| week | chapters | in class | lab | homework | minutes to read and run "
                "| minutes of exercises |", "| --- | --- | --- | --- | --- | ---: | ---: |"]
        for number, week in enumerate(weeks, 1):
            taught, minutes = [], 0
            for item in week.taught:
                if isinstance(item, int):
                    taught.append(chapter_link(book[item]))
                    minutes += facts.workload(book[item]).reading_minutes
                else:
                    chapter, section = book[item[0]], item[1]
                    taught.append(f"{item[0]}: {section_name(chapter, section)}")
                    minutes += facts.section_minutes(chapter, section)
            rows.append(
                f"| {number} | {'; '.join(taught) or 'the chapter continued'} | "
                f"{html.escape(week.in_class)} | {exercises(week.lab)} | "
                f"{exercises(week.homework)} | {rounded(minutes) or '—'} | "
                f"{facts.MINUTES_PER_EXERCISE * (len(week.lab) + len(week.homework))} |")
        return "\n".join(rows)


def exercises(labels):
    return ", ".join(f"{{numref}}`{label}`" for label in labels) or "—"


def setup(app):
    app.add_directive("course-workload", WorkloadTable)
    app.add_directive("course-dependencies", DependencyMap)
    app.add_directive("course-syllabus", SyllabusTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
