"""Figures keep their shape when the column is narrower than they are.

What it changes
    Every image given both a width and a height (myst-nb gives a notebook's
    figure the size written beside it in the output, in CSS px) keeps its
    width and loses its height, so that its height follows from its width.

Why
    The kernels draw figures as "retina" PNGs, twice the pixels of their size
    on screen (``KERNEL_ARGUMENTS`` in :mod:`~lesson_book.execute`), and
    myst-nb writes that size as ``style="width: 531px; height: 621px"``. The
    width keeps the figure at its own size on a desktop; but the theme caps
    images at the column's width (``max-width: 100%``), and on a 390-px phone
    a fixed height would then stretch the figure to 342 by 621 px.
    ``tests/test_figures.py`` checks the shape of every figure on a phone.
"""

from __future__ import annotations

from docutils import nodes

__all__ = ["drop_heights", "setup"]


def drop_heights(app, doctree, docname) -> None:
    """Remove the height of every image that also has a width."""
    for image in doctree.findall(nodes.image):
        if image.get("width") and image.get("height"):
            del image["height"]


def setup(app):
    app.connect("doctree-resolved", drop_heights)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
