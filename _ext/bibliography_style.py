"""The bibliography's style: author and year, in the list as in the text, titles as written.

Three pybtex plugins, registered under the name ``book``:

- a label style, so each entry in the list is labelled as the text cites it,
  "Nesterov, 1983" or "Glorot and Bengio, 2010" or "Rumelhart et al., 1986" (a, b
  after the year tell apart one author's works of one year), not pybtex's "Nes83";
- a formatting style, pybtex's ``unsrt`` with its list sorted by author and year and
  its titles left as references.bib writes them (``unsrt`` lower-cases every word but
  the first, so "Taylor" became "taylor");
- a reference style for sphinxcontrib-bibtex: author and year in round brackets,
  "Linnainmaa (1970)", "(Cauchy, 1847)", as the notebooks' citation links read.
"""

from collections import Counter
from dataclasses import dataclass, field
from string import ascii_lowercase

import pybtex.plugin
import sphinxcontrib.bibtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import sentence
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

NAME = "book"


def authors(entry):
    """The authors as cited: one or two surnames, or the first with et al."""
    surnames = [Text.from_latex(" ".join(person.last_names)).render_as("text")
                for person in entry.persons["author"]]
    if len(surnames) > 2:
        return f"{surnames[0]} et al."
    return " and ".join(surnames)


class AuthorYearLabels(BaseLabelStyle):
    """Labels "Author, year", with a, b, ... after the year where two would be equal."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [f"{authors(entry)}, {entry.fields['year']}" for entry in entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] == 1:
                yield label
            else:
                yield label + ascii_lowercase[seen[label]]
                seen[label] += 1


class BookStyle(UnsrtStyle):
    """pybtex's unsrt, sorted by author and year, with titles as written."""

    default_label_style = NAME
    default_sorting_style = "author_year_title"

    def format_title(self, e, which_field, as_sentence=True):
        title = bib_field(which_field)
        return sentence[title] if as_sentence else title


def round_brackets():
    """Author and year in parentheses, as the notebooks' citation links read."""
    return BracketStyle(left="(", right=")")


@dataclass
class RoundAuthorYear(AuthorYearReferenceStyle):
    """sphinxcontrib-bibtex's author_year, with round brackets."""

    bracket_parenthetical: BracketStyle = field(default_factory=round_brackets)
    bracket_textual: BracketStyle = field(default_factory=round_brackets)
    bracket_author: BracketStyle = field(default_factory=round_brackets)
    bracket_label: BracketStyle = field(default_factory=round_brackets)
    bracket_year: BracketStyle = field(default_factory=round_brackets)


def setup(app):
    """Register the styles; _config.yml selects them by name."""
    pybtex.plugin.register_plugin("pybtex.style.labels", NAME, AuthorYearLabels)
    pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, BookStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", NAME, RoundAuthorYear)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
