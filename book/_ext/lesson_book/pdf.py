"""The site's links to its PDF edition, and the one-page build the PDF is printed from.

``make pdf`` prints the book to ``_build/pdf/book.pdf`` (``book/_pdf/print_book.py``),
and the Pages workflow publishes it beside the site, at ``book.pdf`` under the
site's address (``html.baseurl`` in ``_config.yml``). This extension

- adds "Book (PDF)" to the header's download menu of every page;
- ends the introduction (the root page) with a sentence that links the
  published PDF (the print script leaves it out of the PDF itself);
- lets the one-page build that the PDF is printed from render every node
  the site renders (a workaround of Sphinx's handler fallback, see
  :func:`_share_html_handlers`; ``UPSTREAM`` names the version it was
  checked against);
- declares ``lesson_pdf_exclude``, the pages left out of the PDF (each is
  replaced there by one sentence and a link to the page on the site).

The links point to the published address, not to a file of the local build:
the site is complete without the PDF, which takes its own build.
"""

from __future__ import annotations

from docutils import nodes

from .notebooks import site_url
from .theme import THEME_PRIORITY, add_header_link

#: The upstream versions whose behaviour :func:`_share_html_handlers` works around.
UPSTREAM = {"sphinx": "==7.4.*"}

#: The PDF's file name on the published site (beside index.html) and in _build/pdf.
PDF_NAME = "book.pdf"


def pdf_url(app) -> str:
    """The published PDF's address: ``book.pdf`` under the site's address."""
    return site_url(app) + PDF_NAME


def _add_download_entry(app, pagename, templatename, context, doctree):
    """Add the whole book's PDF to the header's download menu (after the theme made it)."""
    add_header_link(context, "download-buttons", text="Book (PDF)", tooltip="Download the whole book as a PDF",
                    icon="fas fa-book", url=pdf_url(app), label="download-book-pdf-button")


def _link_from_introduction(app, doctree):
    """End the root page's last section with a sentence that links the PDF edition.

    Added to the page's tree rather than written in ``book/intro.md``: the
    address follows ``html.baseurl``, and the student notebook made from the
    chapter's source stays as it is.
    """
    if app.env.docname != app.config.master_doc:  # the root page (sphinx-external-toc sets it)
        return
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    sections = [child for child in top.children if isinstance(child, nodes.section)]
    target = sections[-1] if sections else top
    link = nodes.reference("", "PDF edition", refuri=pdf_url(app))
    target += nodes.paragraph(
        "", "",
        nodes.Text("The whole book is also published as a "), link,
        nodes.Text(" from the same build as this site, for printing and reading offline: a title page, "
                   "a table of contents, each chapter's solutions gathered at its end."),
        classes=["lesson-pdf-edition"],
    )


def _share_html_handlers(app):
    """Let the one-page builder (``singlehtml``, what ``make pdf`` prints) render every HTML node.

    Sphinx falls back to the ``html`` handlers of a node only for a builder
    that has none of its own; once any extension registers one for
    ``singlehtml``, nodes registered for ``html`` only (myst-nb's folded code
    cells) have no handler there. This gives them the ``html`` one.
    """
    if app.builder.name != "singlehtml":
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node, pair in handlers.get("html", {}).items():
        single.setdefault(node, pair)


def setup(app):
    # Pages printed as one sentence and a link instead (docnames such as book/draw).
    app.add_config_value("lesson_pdf_exclude", [], "")  # read by the print script; the site ignores it
    app.connect("doctree-read", _link_from_introduction)
    app.connect("builder-inited", _share_html_handlers)
    # After the theme's header buttons.
    app.connect("html-page-context", _add_download_entry, priority=THEME_PRIORITY + 1)
    # env_version: the introduction's sentence is part of the stored page; a new value re-reads it.
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1", "env_version": 1}


__all__ = ["PDF_NAME", "UPSTREAM", "pdf_url", "setup"]
