"""Tables printed by cells in one style: pandas' own styling taken out.

pandas writes a ``<style scoped>`` sheet and ``style="text-align: right;"``
beside every DataFrame, and a header row of its own that holds only the
index's name (empty everywhere else); a Styler writes the same extra row. This
module takes those out of the HTML of every cell output while the pages are
written, so that ``book/_static/lesson.css`` alone styles DataFrame and Styler
tables, and the index's name moves into the empty top-left corner of the first
header row. The colours a Styler gives to data cells are kept.
"""

from __future__ import annotations

import re

from docutils import nodes

__all__ = ["UPSTREAM", "clean_table_html", "merge_index_names"]

#: The pandas whose HTML (``DataFrame._repr_html_``, ``Styler.to_html``) this was checked against.
UPSTREAM = {"pandas": ">=2.1,<3.2"}

PANDAS_SHEET = re.compile(r"<style scoped>.*?</style>\s*", re.S)
ROW_ALIGN = re.compile(r'(<tr)\s+style="text-align:\s*right;?"')
THEAD = re.compile(r"(<thead>)(.*?)(</thead>)", re.S)
ROW = re.compile(r"<tr[^>]*>.*?</tr>", re.S)
CELL = re.compile(r"<th([^>]*)>(.*?)</th>", re.S)
EMPTY = {"", "&nbsp;"}


def merge_index_names(thead: str) -> str:
    """Move the names of a header's index-name row into the first row's empty corner."""
    rows = ROW.findall(thead)
    if len(rows) != 2:
        return thead
    first, names = (CELL.findall(row) for row in rows)
    named = [text.strip() for _, text in names]
    k = next((i for i, text in enumerate(named) if text in EMPTY), len(named))
    if k == 0 or any(text not in EMPTY for text in named[k:]):
        return thead
    if len(first) < k or any(text.strip() not in EMPTY for _, text in first[:k]):
        return thead
    cells = iter(CELL.finditer(rows[0]))
    merged, last = [], 0
    for i in range(k):
        cell = next(cells)
        merged.append(rows[0][last:cell.start()] + f'<th{names[i][0]}>{named[i]}</th>')
        last = cell.end()
    merged.append(rows[0][last:])
    return thead.replace(rows[1], "").replace(rows[0], "".join(merged))


def clean_table_html(html: str) -> str:
    """The HTML of a cell's output with pandas' style sheet and index-name row taken out.

    >>> clean_table_html('<style scoped>x</style><table><thead><tr style="text-align: right;">'
    ...                  '<th></th><th>a</th></tr><tr><th>n</th><th></th></tr></thead></table>')
    '<table><thead><tr><th>n</th><th>a</th></tr></thead></table>'
    """
    if "<table" not in html:
        return html
    html = ROW_ALIGN.sub(r"\1", PANDAS_SHEET.sub("", html))
    return THEAD.sub(lambda m: m.group(1) + merge_index_names(m.group(2)) + m.group(3), html)


def clean_tables(app, doctree, docname):
    for node in doctree.findall(nodes.raw):
        if "html" in node.get("format", "") and "<table" in node.astext():
            cleaned = clean_table_html(node.astext())
            node.children = [nodes.Text(cleaned)]
            node.rawsource = cleaned


def setup(app):
    app.connect("doctree-resolved", clean_tables)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
