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

__all__ = ["UPSTREAM", "visit_citation", "depart_citation", "visit_hidden_cell", "setup"]

#: The upstream versions whose markup these visitors reproduce (see the tests).
UPSTREAM = {"docutils": "==0.21.*", "myst-nb": "==1.4.*"}


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


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_HideCellInput))
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
