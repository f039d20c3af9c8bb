"""Sphinx extension of the MNIST book: the site's links to its PDF edition.

``make pdf`` prints the book to ``_build/pdf/book.pdf`` (``book/_pdf/print_book.py``),
and the Pages workflow publishes it beside the site, at ``book.pdf`` under the
site's address (``html.baseurl`` in ``_config.yml``). This extension

- adds "Book (PDF)" to the header's download menu of every page;
- provides the role ``{pdf-edition}`text``` for the introduction: a link to
  the published PDF (in the PDF itself the print script turns it into a
  sentence naming the site);
- lets the one-page build that the PDF is printed from render every node
  the site renders, and leaves the student notebooks to the site's build;
- declares ``lesson_pdf_exclude``, the pages left out of the PDF (each is
  replaced there by one sentence and a link to the page on the site).

The links point to the published address, not to a file of the local build:
the site is complete without the PDF, which takes its own build.
"""

from __future__ import annotations

from docutils import nodes

#: The PDF's file name on the published site (beside index.html) and in _build/pdf.
PDF_NAME = "book.pdf"


def pdf_url(app) -> str:
    """The published PDF's address: ``book.pdf`` under the site's address."""
    from lesson_notebooks import site_url

    return site_url(app) + PDF_NAME


def _add_download_entry(app, pagename, templatename, context, doctree):
    """Add the whole book's PDF to the header's download menu (after the theme made it)."""
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            group["buttons"].append(
                {
                    "type": "link",
                    "text": "Book (PDF)",
                    "tooltip": "Download the whole book as a PDF",
                    "icon": "fas fa-book",
                    "url": pdf_url(app),
                    "label": "download-book-pdf-button",
                }
            )


def _pdf_edition_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{pdf-edition}`the PDF edition```: a link to the published PDF."""
    app = inliner.document.settings.env.app
    node = nodes.reference(rawtext, text, refuri=pdf_url(app), classes=["lesson-pdf-edition"])
    return [node], []


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


def _skip_student_notebooks(app):
    """The one-page build writes no student notebooks (the site's build does).

    ``lesson_notebooks`` writes them after every HTML-format build; in the
    ``singlehtml`` build Sphinx has renumbered the figures under the one
    page, so they could not be written there anyway.
    """
    if app.builder.name != "singlehtml":
        return
    for listener in list(app.events.listeners.get("build-finished", [])):
        if getattr(listener.handler, "__module__", "") == "lesson_notebooks" and listener.handler.__name__ == "_write_notebooks":
            app.disconnect(listener.id)


def setup(app):
    # Pages printed as one sentence and a link instead (docnames such as book/draw).
    app.add_config_value("lesson_pdf_exclude", [], "env")
    app.add_role("pdf-edition", _pdf_edition_role)
    app.connect("builder-inited", _share_html_handlers)
    app.connect("builder-inited", _skip_student_notebooks)
    # After the theme's header buttons (priority 501).
    app.connect("html-page-context", _add_download_entry, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}


__all__ = ["PDF_NAME", "pdf_url", "setup"]
