"""One slide deck per chapter, made from the chapter when the book is built.

After an HTML build, ``slides/<chapter>.html`` lands in the built book: a reveal.js deck
(vendored, ``_static/vendor/reveal/``) that opens offline, from a server or from disk.
Its slides come from the chapter as the student reads it (solutions left out):

- the title, with the question the chapter opens with (its first bold sentence);
- a slide for each section that has a display equation or a figure: the section's title,
  its first two display equations, and its first figure (a stored PNG output, explorers
  left out);
- the key takeaways, three to a slide;
- the exercises, by title, and where the chapter is.

The maths is typeset by the book's MathJax. The instructors' page links the decks.
"""

import base64
import html
import re
from pathlib import Path

import nbformat
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from student_edition import chapters, without_solutions

FOLDER = "slides"
SKIPPED = {"Key takeaways", "Exercises", "Check your understanding"}
TAKEAWAYS_PER_SLIDE = 3
ROLE = re.compile(r"\{[a-z:]+\}`([^`<]*?)\s*(?:<[^>]*>)?`")  # {doc}`text <target>`
DISPLAY = re.compile(r"^\$\$\n(.*?)\n\$\$", re.DOTALL | re.MULTILINE)
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}: slides</title>
<link rel="stylesheet" href="../_static/vendor/reveal/reveal.css">
<link rel="stylesheet" href="../_static/vendor/reveal/theme/white.css">
<style>
.reveal h1, .reveal h2 {{ text-transform: none; }}
.reveal h2 {{ font-size: 1.5em; }}
.reveal section img.bp-figure {{ max-height: 430px; margin: 0.3em auto; border: 0; }}
.reveal .bp-small {{ font-size: 0.6em; }}
.reveal ul {{ font-size: 0.8em; }}
.reveal .bp-chapter {{ color: #555; font-size: 0.7em; }}
</style>
</head>
<body>
<div class="reveal"><div class="slides">
{slides}
</div></div>
<script src="../_static/vendor/reveal/reveal.js"></script>
<script src="../_static/vendor/reveal/plugin/math.js"></script>
<script>
Reveal.initialize({{
  hash: true, width: 1280, height: 760, slideNumber: "c/t",
  plugins: [RevealMath.MathJax3],
  mathjax3: {{
    mathjax: "../_static/vendor/mathjax/tex-mml-chtml.js",
    tex: {{ inlineMath: [["\\\\(", "\\\\)"]], displayMath: [["\\\\[", "\\\\]"]] }}
  }}
}});
</script>
</body>
</html>
"""


def markdown():
    """A Markdown renderer that leaves maths as \\( \\) and \\[ \\] for MathJax."""
    renderer = MarkdownIt("commonmark").use(dollarmath_plugin, allow_space=True)
    renderer.add_render_rule(
        "math_inline", lambda _, tokens, i, *__: f"\\({html.escape(tokens[i].content)}\\)")
    renderer.add_render_rule(
        "math_block", lambda _, tokens, i, *__: f"\\[{html.escape(tokens[i].content)}\\]\n")
    return renderer


def as_html(text, renderer):
    """MyST text as HTML: roles become their text, maths stays TeX."""
    return renderer.render(ROLE.sub(lambda match: match.group(1), text))


def sections(notebook):
    """(title, markdown text, PNG outputs) of the notebook's sections, in order; the
    opening (before the first section) is titled by the chapter."""
    found = [["", "", []]]
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for part in re.split(r"^(## .+)$", cell.source, flags=re.MULTILINE):
                if part.startswith("## "):
                    found.append([part[3:].strip(), "", []])
                else:
                    found[-1][1] += part + "\n"
        else:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "image/png" in data and not any("widget" in kind for kind in data):
                    found[-1][2].append(data["image/png"])
    return found


def deck(path):
    """The slides of the chapter at ``path``, as HTML, and its figures: (name, bytes)."""
    notebook = without_solutions(nbformat.read(path, as_version=4))
    renderer = markdown()
    parts = sections(notebook)
    opening = parts[0][1]
    title = re.search(r"^# (.+)$", opening, re.MULTILINE).group(1)
    number = int(path.name[:2])
    question = re.search(r"\*\*(.+?)\*\*", opening, re.DOTALL)
    slides = [f'<section><p class="bp-chapter">Chapter {number}</p>'
              f"<h1>{html.escape(title)}</h1>"
              + (as_html(question.group(1).replace("\n", " "), renderer) if question else "")
              + "</section>"]
    figures = []
    for heading, text, images in parts[1:]:
        if heading in SKIPPED:
            continue
        equations = DISPLAY.findall(text)[:2]
        if not equations and not images:
            continue
        body = "".join(f"\\[{html.escape(equation)}\\]" for equation in equations)
        if images:
            name = f"{path.stem}/figure-{len(figures) + 1}.png"
            figures.append((name, base64.b64decode(images[0])))
            body += f'<img class="bp-figure" src="{name}" alt="a figure of {html.escape(heading)}">'
        slides.append(f"<section><h2>{as_html(heading, renderer)[3:-5]}</h2>{body}</section>")
    takeaways = next((text for heading, text, _ in parts if heading == "Key takeaways"), "")
    items = re.split(r"^- ", takeaways.strip(), flags=re.MULTILINE)[1:]
    for start in range(0, len(items), TAKEAWAYS_PER_SLIDE):
        bullets = "".join(f"- {item}" for item in items[start:start + TAKEAWAYS_PER_SLIDE])
        slides.append(f"<section><h2>Key takeaways</h2>{as_html(bullets, renderer)}"
                      "</section>")
    exercises = re.findall(r"```\{exercise\} (.+)", notebook_text(notebook))
    slides.append(
        "<section><h2>Exercises</h2><ol>"
        + "".join(f"<li>{as_html(name, renderer)[3:-5]}</li>" for name in exercises)
        + f'</ol><p class="bp-small">In the book: <a href="../chapters/{path.stem}.html">'
        f"chapter {number}</a>, with answer cells and checks.</p></section>")
    return PAGE.format(title=html.escape(title), slides="\n".join(slides)), figures


def notebook_text(notebook):
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")


def write_decks(app, exception):
    """After an HTML build, write every chapter's deck into the built book."""
    if exception or app.builder.format != "html":
        return
    out = Path(app.outdir) / FOLDER
    for path in chapters():
        page, figures = deck(path)
        (out / path.stem).mkdir(parents=True, exist_ok=True)
        (out / f"{path.stem}.html").write_text(page)
        for name, data in figures:
            (out / name).write_bytes(data)


def setup(app):
    app.connect("build-finished", write_decks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
