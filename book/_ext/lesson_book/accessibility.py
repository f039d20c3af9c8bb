"""Accessible names and roles, fixed where the HTML is written from the document tree.

What it changes
    Two node types get HTML visitors of their own, identical to upstream's
    but for one attribute:

    - citations (the bibliography's entries, docutils ``citation`` nodes) are
      written with ``role="listitem"`` inside the ``role="list"`` element
      docutils already wraps around them;
    - the toggles of folded code cells (myst-nb's ``HideCodeCellNode``) are
      ``<summary>`` elements named by their visible text ("Show code cell
      source").

    The sidebar's toggles that fold a page's sub-pages (the API reference's
    modules) get a name: pydata-sphinx-theme writes them as ``<summary>``
    elements holding only a decorative chevron, which a screen reader
    announces as an unnamed control (axe-core: "summary-name").
    :func:`name_sidebar_toggles` wraps the theme's ``generate_toctree_html``
    and labels each such ``<summary>`` "Pages under <the page's title>".

Why
    docutils' HTML5 writer gives each citation ``role="doc-biblioentry"``, a
    role deprecated in DPUB-ARIA 1.1 that screen readers and axe-core do not
    accept as a list item, which leaves the list without items. myst-nb labels
    the toggle ``aria-label="Toggle hidden content"``, which hides its visible
    text from screen readers (axe-core: "label-content-name-mismatch").

``tests/test_book_extension.py`` renders both nodes with upstream's visitors
and with these, and fails when upstream's markup changes in any other way (or
no longer needs the fix).
"""

from __future__ import annotations

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput

__all__ = ["UPSTREAM", "visit_citation", "depart_citation", "visit_hidden_cell", "name_sidebar_toggles", "setup"]

#: The upstream versions whose markup these visitors reproduce (see the tests).
UPSTREAM = {"docutils": "==0.21.*", "myst-nb": "==1.4.*", "pydata-sphinx-theme": "==0.17.*"}


def visit_citation(self, node):
    """docutils' ``visit_citation`` (html5_polyglot), with ``role="listitem"``."""
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    """docutils' ``depart_citation``, unchanged (it closes the list after the last citation)."""
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


#: What myst-nb writes as the toggle's opening tag, and what it becomes.
UPSTREAM_SUMMARY = '<summary aria-label="Toggle hidden content">\n'
SUMMARY = "<summary>\n"


def visit_hidden_cell(self, node):
    """myst-nb's ``visit_HideCellInput``, without the ``aria-label`` that hides the toggle's text."""
    start = len(self.body)
    visit_HideCellInput(self, node)
    written = self.body[start:]
    if UPSTREAM_SUMMARY not in written:
        from sphinx.errors import ExtensionError

        raise ExtensionError(
            "myst-nb no longer writes the folded cell's toggle as "
            f"{UPSTREAM_SUMMARY.strip()!r}: check book/_ext/lesson_book/accessibility.py against it"
        )
    self.body[start:] = [SUMMARY if part == UPSTREAM_SUMMARY else part for part in written]


def label_toggles(soup) -> int:
    """Name every sidebar ``<summary>`` that has no text after the link it folds; returns how many."""
    named = 0
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else "this page"
        summary["aria-label"] = f"Pages under {title}"
        named += 1
    return named


def name_sidebar_toggles(app, pagename, templatename, context, doctree):
    """Wrap the theme's ``generate_toctree_html`` so its fold toggles are named (see the module's docstring)."""
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "lesson_named", False):
        return

    def generate_named(kind, *args, **kwargs):
        from bs4 import BeautifulSoup

        result = generate(kind, *args, **kwargs)
        soup = result if isinstance(result, BeautifulSoup) else BeautifulSoup(result, "html.parser")
        label_toggles(soup)
        return soup if isinstance(result, BeautifulSoup) else str(soup)

    generate_named.lesson_named = True
    context["generate_toctree_html"] = generate_named


def setup(app):
    # after pydata-sphinx-theme's add_toctree_functions (default priority 500)
    app.connect("html-page-context", name_sidebar_toggles, priority=600)
    app.setup_extension("myst_nb")
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
