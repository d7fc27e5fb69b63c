"""Search that works from disk: the search page reads its snippets from one script.

Sphinx's search page fetches each result's page to show a snippet of it. A book opened
from disk (file://) may not fetch its own files (the browser's same-origin rule), so
every result logged an error and showed no snippet. After the build, this extension
writes the text of every page (its article, without images, scripts, widget state or
the colours of its code) to ``_static/search-pages.js``, which only the search page
loads, as a classic script (which a page opened from disk may load); the search page's
fetches of a page are then answered from it, over HTTP and from disk alike.
"""

import json
from pathlib import Path

from bs4 import BeautifulSoup

SCRIPT = "search-pages.js"
# what a snippet never shows, and what would make the file large
DROPPED = ("script", "style", "img", "svg", ".headerlink")
ANSWER_FETCHES = """
(() => {
  const root = new URL(document.documentElement.dataset.content_root, document.baseURI);
  const fetchFile = window.fetch;
  window.fetch = (resource, ...options) => {
    const path = new URL(resource, document.baseURI).href.slice(root.href.length);
    return path in BOOK_PAGES
      ? Promise.resolve(new Response(BOOK_PAGES[path], {headers: {"Content-Type": "text/html"}}))
      : fetchFile(resource, ...options);
  };
})();
"""


def page_text(html):
    """A page's article in the element the search page looks in, ``[role=main]``, as
    HTML; code as plain text, and what a snippet never shows left out."""
    article = BeautifulSoup(html, "html.parser").find("article")
    if article is None:
        return ""
    for selector in DROPPED:
        for element in article.select(selector):
            element.decompose()
    for block in article.find_all("pre"):
        block.string = block.get_text()
    return f'<div role="main">{article}</div>'


def load_on_search_page(app, pagename, templatename, context, doctree):
    """Give the search page the pages' text and the function that answers from it."""
    if pagename == "search":
        app.add_js_file(SCRIPT)
        app.add_js_file(None, body=ANSWER_FETCHES)


def write_pages(app, exception):
    """Write every built page's text to ``_static/search-pages.js``."""
    if exception or app.builder.format != "html":
        return
    out = Path(app.outdir)
    pages = {f"{name}{app.builder.out_suffix}": page_text(
        (out / f"{name}{app.builder.out_suffix}").read_text(encoding="utf-8"))
        for name in sorted(app.env.found_docs)}
    (out / "_static" / SCRIPT).write_text(
        f"window.BOOK_PAGES = {json.dumps(pages, ensure_ascii=False)};\n", encoding="utf-8")


def setup(app):
    """Register the two handlers."""
    app.connect("html-page-context", load_on_search_page)
    app.connect("build-finished", write_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
