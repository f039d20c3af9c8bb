"""The execution table of the build-status page, with words instead of emoji.

What it changes
    myst-nb's ``nb-exec-table`` directive fills its table in a post-transform
    (``myst_nb.ext.execution_tables.ExecutionStatsPostTransform``, priority
    8), writing each page's status as the emoji ✅ or ❌. This module's
    post-transform runs just before it (priority 7), builds the same table
    with myst-nb's own ``make_stat_table`` and writes the status as the word
    ``ok`` or ``failed`` (a failure keeps myst-nb's explanation, the error, as
    the word's ``<abbr>`` title); the column is headed "Status" as before.

Why
    Neither the fonts the site ships nor a plain Linux browser (Debian's
    Chromium with its basic fonts) nor the PDF edition's print has an emoji
    font, so the marks showed as empty boxes. A word reads the same
    everywhere, to a screen reader too.

``UPSTREAM`` names the myst-nb versions whose table this was checked against;
``tests/test_book_extension.py`` checks that myst-nb still writes the emoji
(so this module is still needed) and that only the status column changes.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

__all__ = ["UPSTREAM", "EMOJI", "WORDS", "in_words", "setup"]

#: The upstream versions whose execution table this module rewrites.
UPSTREAM = {"myst-nb": "==1.*"}

#: The marks myst-nb writes, and the words written instead.
EMOJI = {"\u2705": "ok", "\u274c": "failed"}
WORDS = tuple(EMOJI.values())


def in_words(table: nodes.table) -> int:
    """Replace the emoji status marks in ``table`` with words; how many were replaced."""
    count = 0
    for text in list(table.findall(nodes.Text)):
        value = str(text)
        if value in EMOJI:
            text.parent.replace(text, nodes.Text(EMOJI[value]))
            count += 1
    return count


class ExecutionTableInWords(SphinxPostTransform):
    """myst-nb's execution table, made before myst-nb makes it, with words for its marks."""

    default_priority = 7

    def run(self, **kwargs) -> None:
        from myst_nb.ext.execution_tables import ExecutionStatsNode, make_stat_table
        from myst_nb.sphinx_ import NbMetadataCollector

        for node in list(self.document.findall(ExecutionStatsNode)):
            table = make_stat_table(self.env.docname, NbMetadataCollector.get_doc_data(self.env))
            in_words(table)
            node.replace_self(table)


def setup(app):
    app.add_post_transform(ExecutionTableInWords)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
