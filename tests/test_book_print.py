"""The book on paper: scripts/build_pdf.py prints the whole built book.

Every page numbered and within the paper, each chapter's title with its number and a
bookmark, each figure (an explorer's as it stands) printed, no link out of the PDF to the
book's files. The PDF's pages that open each part of the book land in
_build/screenshots/pdf/. (A module of its own, so that the test suite's workers can share
the browser tests out between them.)
"""

import re
import shutil
import subprocess
import sys

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from built_book import HTML, PAGES, ROOT, explorer_count, wait_for_explorers
from pypdf import PdfReader

SCREENSHOTS = ROOT / "_build" / "screenshots" / "pdf"


@pytest.fixture(scope="session")
def screenshots():
    """An empty folder for this run's pictures of the PDF's pages."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True)
    return SCREENSHOTS


@pytest.fixture(scope="session")
def printed_book(book, tmp_path_factory):
    """The PDF scripts/build_pdf.py prints of the book, and the script's report."""
    pdf = tmp_path_factory.mktemp("pdf") / "book.pdf"
    result = subprocess.run([sys.executable, ROOT / "scripts" / "build_pdf.py", "--out", pdf],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return pdf, result.stdout


def test_printed_book(printed_book, screenshots, browser):
    path, report = printed_book
    reader = PdfReader(path)
    document = pypdfium2.PdfDocument(path)
    counts = dict(re.findall(r"\] (\S+): (\d+) pages", report))
    assert list(counts) == PAGES
    front = len(reader.pages) - sum(map(int, counts.values()))
    assert 1 <= front <= 3, f"{front} pages before the first page of the book"
    first = front
    bookmarks = [item.title for item in reader.outline if not isinstance(item, list)]
    for name in PAGES:
        pages = range(first, first + int(counts[name]))
        first += int(counts[name])
        html = (HTML / f"{name}.html").read_text()
        article = html[html.index("<article"):]
        title = re.search(r"<h1>(.*?)<a class=\"headerlink", article, re.S)[1]
        title = re.sub(r"<[^>]+>", "", title).strip()
        opening = document[pages[0]].get_textpage().get_text_range()
        assert title in " ".join(opening.split()), f"{name}'s first page lacks {title!r}"
        assert title in bookmarks, f"no bookmark for {title!r}"
        document[pages[0]].render(scale=1.2).to_pil().save(
            screenshots / f"pdf-{name.replace('/', '-')}.png")
        images = 0
        for index in pages:
            pdf_page = document[index]
            width, height = pdf_page.get_size()
            text = pdf_page.get_textpage()
            beyond = text.get_text_bounded(left=width - 2, bottom=0, right=width * 3, top=height)
            # (MathJax's stretched rules reach past the edge, clipped: only words count)
            assert not re.search(r"\w", beyond), f"{name}, PDF page {index + 1}: cut off: {beyond[:80]!r}"
            foot = text.get_text_bounded(left=0, bottom=0, right=width, top=0.045 * height)
            assert foot.split()[-1] == str(index + 1), f"PDF page {index + 1}'s foot: {foot!r}"
            images += len(list(pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])))
        assert images == printed_figures(browser, name), f"{name}: figures lost in print"
    links = [annotation.get_object()["/A"] for pdf_page in reader.pages
             for annotation in pdf_page.get("/Annots", [])
             if "/A" in annotation.get_object()]
    assert not [link for link in links if str(link.get("/URI", "")).startswith("file:")]
    assert sum(link.get("/S") == "/GoTo" for link in links) >= len(PAGES)


def printed_figures(browser, name):
    """How many images page ``name`` shows when printed (an explorer's one frame)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((HTML / f"{name}.html").as_uri())
        wait_for_explorers(page, explorer_count((HTML / f"{name}.html").read_text()))
        page.evaluate("() => dispatchEvent(new Event('beforeprint'))")
        page.emulate_media(media="print")
        return page.evaluate("() => [...document.querySelectorAll('article img')]"
                             ".filter(img => img.checkVisibility()).length")
    finally:
        page.close()
