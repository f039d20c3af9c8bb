"""Draft builds say so on every page.

What it changes
    With ``MNIST_LESSON_DRAFT=1`` (``make draft``), every page carries the
    theme's announcement banner saying the build is a draft.

Why
    A draft trains for fewer epochs on fewer points: its numbers and figures
    are not the book's, and a page read or shared out of context must say so.
"""

from __future__ import annotations

from mnist_lesson.config import get_settings

__all__ = ["DRAFT_BANNER", "setup"]

DRAFT_BANNER = (
    "Draft build (MNIST_LESSON_DRAFT=1): smaller settings for proof-reading; "
    "the numbers and figures are not those of the published book."
)


def _mark_draft(app, config):
    """In the draft profile, say so at the top of every page."""
    if get_settings().draft:
        config.html_theme_options = {**config.html_theme_options, "announcement": DRAFT_BANNER}


def setup(app):
    app.connect("config-inited", _mark_draft)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
