"""Turn the notebooks' citation links into citations of the bibliography.

A chapter cites as a Markdown link to ``cite:`` and the keys in references.bib,
whose text is the author and year: ``[Cauchy (1847)](cite:cauchy1847)`` in
running prose, ``[(Bishop, 2006; Goodfellow et al., 2016)](cite:bishop2006,
goodfellow2016)`` in parentheses. JupyterLab and Colab have no bibliography and
show the text; the book replaces each link by the sphinxcontrib-bibtex role it
stands for (``{cite:t}`` or ``{cite:p}``), which links to the reference list.
The build warns (and so fails) where a link's text is not what the
bibliography says.
"""

import json
import re
from pathlib import Path

from bibliography_style import authors
from pybtex.database import parse_file
from sphinx.util import logging

CITATION = re.compile(
    r"\[(?P<text>[^\]]+)\]\(cite:(?P<keys>[\w-]+(?:,[\w-]+)*)\)")

logger = logging.getLogger(__name__)


def citation_text(entries, keys, parenthetical):
    """What a link citing ``keys`` must say: "A (year)", or "(A, year; B, year)"."""
    if parenthetical:
        return "(" + "; ".join(f"{authors(entries[key])}, {entries[key].fields['year']}"
                               for key in keys) + ")"
    return "; ".join(f"{authors(entries[key])} ({entries[key].fields['year']})"
                     for key in keys)


def parenthetical(match):
    """Whether a citation link stands in parentheses: its text opens with one."""
    return match["text"].startswith("(")


def citation_problems(markdown, entries):
    """Each citation link in ``markdown`` whose keys or text are wrong, as a message."""
    problems = []
    for match in CITATION.finditer(markdown):
        keys = match["keys"].split(",")
        unknown = [key for key in keys if key not in entries]
        if unknown:
            problems.append(f"{match[0]}: {', '.join(unknown)} not in references.bib")
            continue
        expected = citation_text(entries, keys, parenthetical(match))
        if " ".join(match["text"].split()) != expected:
            problems.append(f"{match[0]}: the bibliography says [{expected}]")
    return problems


def role(match):
    """The role a citation link stands for."""
    kind = "p" if parenthetical(match) else "t"
    return f"{{cite:{kind}}}`{match['keys']}`"


def cite_roles(app, docname, source):
    """Rewrite a notebook's citation links as roles before myst-nb reads it."""
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    entries = app.notebook_citation_entries
    notebook = json.loads(source[0])
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        markdown = "".join(cell["source"])
        for problem in citation_problems(markdown, entries):
            logger.warning(f"citation link {problem}", location=docname)
        cell["source"] = CITATION.sub(role, markdown)
    source[0] = json.dumps(notebook)


def read_bibliography(app):
    """Parse the book's bibliography files once per build."""
    app.notebook_citation_entries = {}
    for name in app.config.bibtex_bibfiles:
        app.notebook_citation_entries.update(
            parse_file(Path(app.srcdir) / name).entries)


def setup(app):
    app.connect("builder-inited", read_bibliography)
    app.connect("source-read", cite_roles)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
