"""Print the whole book to one PDF with Chromium: _build/pdf/backprop-book.pdf.

Usage (from anywhere; builds the HTML book first if a source is newer)::

    python scripts/build_pdf.py

Each page of the table of contents is opened from disk (_build/html) in Debian's
Chromium, which the browser tests use too, and waited on until its maths is typeset and
its explorers show their figures; its solutions are opened, as the browser's own print
opens them, and it is printed with the book's print styles (_static/book.css: code
wraps, a cell moves to the next page whole where it fits, an explorer prints as the
figure it shows). pypdf then joins the pages behind a title page and a contents page
that gives the page each part of the book starts on, puts the chapter's title and the
page number at the foot of every page, keeps every heading as a bookmark, and makes a
link from one page of the book to another a link inside the PDF.
"""

import argparse
import html
import io
import time
from pathlib import Path

from built_book import (
    HTML,
    PAGES,
    ROOT,
    build,
    explorer_count,
    is_stale,
    wait_for_explorers,
    wait_for_maths,
)
from chromium import CHROMIUM, CHROMIUM_ARGS
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from sphinx_external_toc.parsing import parse_toc_yaml

OUT = ROOT / "_build" / "pdf" / "backprop-book.pdf"
MARGINS = {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}
TIMEOUT_MS = 60_000
FRONT = """<!DOCTYPE html><meta charset="utf-8"><style>
  @page {{ size: A4; margin: 0 }}
  body {{ margin: 0; font-family: sans-serif; color: #222 }}
  section {{ height: 297mm; box-sizing: border-box; padding: 40mm 24mm 0; break-after: page }}
  h1 {{ font-size: 30pt; font-weight: 500; margin: 60mm 0 8mm }}
  h2 {{ font-size: 20pt; font-weight: 500; margin: 0 0 10mm }}
  h3 {{ font-size: 12pt; margin: 8mm 0 2mm; color: #555 }}
  p {{ font-size: 11pt; line-height: 1.5 }}
  ol {{ list-style: none; padding: 0; margin: 0; font-size: 12pt }}
  li {{ display: flex; gap: 2mm; padding: 1.6mm 0 }}
  li .dots {{ flex: 1; border-bottom: 1px dotted #999; margin-bottom: 1.2mm }}
</style>
<section><h1>{title}</h1><p>{author}</p><p>{licence}</p><p>Printed {date}.</p></section>
<section><h2>Contents</h2>{contents}</section>"""
FOOT = """<!DOCTYPE html><meta charset="utf-8"><style>
  @page { size: A4; margin: 0 }
  body { margin: 0; font: 8.5pt sans-serif; color: #666 }
  section { height: 297mm; position: relative; break-after: page }
  div { position: absolute; left: 16mm; right: 16mm; bottom: 8mm; display: flex;
        justify-content: space-between }
</style>"""


def print_page(page, name):
    """Open page ``name`` of the built book and print it; return the PDF (a pypdf
    reader) and the page's title."""
    path = HTML / f"{name}.html"
    page.goto(path.as_uri())
    wait_for_maths(page)
    wait_for_explorers(page, explorer_count(path.read_text(encoding="utf-8")))
    page.evaluate("() => document.fonts.ready")
    page.evaluate("() => dispatchEvent(new Event('beforeprint'))")  # opens the solutions
    headings = page.evaluate(
        "() => [...document.querySelectorAll('article :is(h1, h2, h3, h4, h5, h6)')]"
        ".map(h => [...h.childNodes].filter(n => !n.classList?.contains('headerlink'))"
        ".map(n => n.textContent).join('').replace(/\\s+/g, ' ').trim())")
    pdf = page.pdf(format="A4", margin=MARGINS, print_background=True, outline=True,
                   tagged=True)  # Chromium builds the outline from the tagged structure
    reader = PdfReader(io.BytesIO(pdf))
    name_headings(reader, headings)
    return reader, headings[0]


def name_headings(reader, headings):
    """Give the bookmarks Chromium made from ``headings`` their titles back: it drops the
    space where a heading wraps ("the chainrule up")."""
    by_letters = {"".join(heading.split()): heading for heading in headings}
    nodes = [reader.trailer["/Root"].get("/Outlines", {}).get("/First")]
    while nodes:
        node = nodes.pop()
        if node is None:
            continue
        node = node.get_object()
        title = by_letters.get("".join(str(node.get("/Title", "")).split()))
        if title:
            node[NameObject("/Title")] = TextStringObject(title)
        nodes += [node.get("/First"), node.get("/Next")]


def front_matter(page, config, parts, starts):
    """The title page and the contents page, printed; ``starts[name]`` is a 1-based page."""
    contents = ""
    for caption, entries in parts:
        items = "".join(f'<li><span>{html.escape(title)}</span><span class="dots"></span>'
                        f"<span>{starts[name]}</span></li>" for name, title in entries)
        contents += (f"<h3>{html.escape(caption)}</h3>" if caption else "") + f"<ol>{items}</ol>"
    page.set_content(FRONT.format(
        title=html.escape(config["title"]), author=html.escape(config["author"]),
        licence="Text, figures and prose: CC BY 4.0. Code: MIT.",
        date=time.strftime("%d %B %Y"), contents=contents))
    return page.pdf(prefer_css_page_size=True, print_background=True)


def feet(page, labels):
    """One page per label: the label at the left of its foot, its page number at the right."""
    body = "".join(f"<section><div><span>{html.escape(label)}</span><span>{number}</span>"
                   f"</div></section>" for number, label in enumerate(labels, start=1))
    page.set_content(FOOT + body)
    return PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))


def link_inside(writer, starts):
    """Make each link to a page of the book (a file:// URL) a link to where it starts,
    and drop a link to another of the book's files (the notebooks' zip), which paper
    does not carry."""
    for pdf_page in writer.pages:
        kept = ArrayObject()
        for reference in pdf_page.get("/Annots", []):
            annotation = reference.get_object()
            uri = str(annotation.get("/A", {}).get("/URI", ""))
            if uri.startswith(HTML.as_uri() + "/"):
                name = uri[len(HTML.as_uri()) + 1:].split("#")[0].removesuffix(".html")
                if name not in starts:
                    continue
                target = writer.pages[starts[name] - 1].indirect_reference
                annotation[NameObject("/A")] = DictionaryObject({
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([target, NameObject("/Fit")])})
            kept.append(reference)
        if "/Annots" in pdf_page:
            pdf_page[NameObject("/Annots")] = kept


def parts_of_book():
    """The table of contents as (caption, [document names]) in reading order."""
    root = parse_toc_yaml(ROOT / "_toc.yml").root
    parts = [(None, [root.docname])]
    for subtree in root.subtrees:
        parts.append((subtree.caption, [str(item) for item in subtree.items]))
    return parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"the PDF (default: {OUT})")
    out = parser.parse_args().out
    if is_stale():
        print("building the HTML book first ...", flush=True)
        build()
    import yaml  # Jupyter Book's dependency, as are pypdf's and Playwright's

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    printed, titles = {}, {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT_MS)
        for number, name in enumerate(PAGES, start=1):
            start = time.perf_counter()
            printed[name], titles[name] = print_page(page, name)
            print(f"[{number}/{len(PAGES)}] {name}: {len(printed[name].pages)} pages, "
                  f"{time.perf_counter() - start:.1f} s", flush=True)
        parts = [(caption, [(name, titles[name]) for name in names])
                 for caption, names in parts_of_book()]
        # the front matter's length does not depend on the numbers in it: print it once
        # to count its pages, then again with each part's first page
        placeholder = dict.fromkeys(PAGES, 999)
        front_pages = len(PdfReader(io.BytesIO(
            front_matter(page, config, parts, placeholder))).pages)
        starts, next_page = {}, front_pages + 1
        for name in PAGES:
            starts[name] = next_page
            next_page += len(printed[name].pages)
        front = PdfReader(io.BytesIO(front_matter(page, config, parts, starts)))
        labels = [""] * front_pages + [titles[name] for name in PAGES
                                       for _ in printed[name].pages]
        foot = feet(page, labels)
        browser.close()
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    for name in PAGES:
        writer.append(printed[name], import_outline=True)
    for number, pdf_page in enumerate(writer.pages):
        if number >= front_pages:
            pdf_page.merge_page(foot.pages[number])
        pdf_page.compress_content_streams()  # merging leaves them uncompressed
    writer.compress_identical_objects()  # fonts and images each chapter repeats
    link_inside(writer, starts)
    writer.add_metadata({"/Title": config["title"], "/Author": config["author"]})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as file:
        writer.write(file)
    print(f"{out}: {len(writer.pages)} pages, {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
