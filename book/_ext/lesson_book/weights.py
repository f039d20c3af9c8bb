"""The book's trained networks in the site, for the "Try it: draw a digit" page.

What it changes
    Writes ``_static/lesson-weights/weights.bin`` and ``manifest.json`` into
    the built site, and loads ``draw/draw.js`` and ``draw/draw.css`` on the
    draw page only.

Why
    The page runs the very networks the chapters trained, in the reader's
    browser; they must be those of this build's settings, never a stale copy.

At the end of every successful HTML build, the lesson model and the contrast
model of the current settings (:func:`mnist_lesson.config.get_settings`, the
same that the chapters ran with) are exported from the model cache into
``_static/lesson-weights/`` of the built site by
:func:`mnist_lesson.export.export_lesson_models`: ``weights.bin`` and
``manifest.json``. They are written anew on every build, so a rebuild with
other settings serves the new networks and never a stale export; the
manifest names each model's cache key.

The page's script and styles (``book/_static/draw/``) are added to that page
only (``lesson_draw_page``, default ``book/draw``).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from .log import stderr_to

logger = logging.getLogger(__name__)

#: Where the export goes, relative to the built site.
EXPORT_DIR = ("_static", "lesson-weights")


def export_weights(app, exception):
    """Export the networks into the built site (HTML builds that succeeded only)."""
    if exception is not None or app.builder.name != "html":  # the site's build, not the PDF's one page
        return
    from mnist_lesson.config import get_settings
    from mnist_lesson.export import export_lesson_models

    target = Path(app.outdir).joinpath(*EXPORT_DIR)
    try:
        # Loading a model imports TensorFlow into the build's process: its notices go to a log file.
        with stderr_to(Path(app.outdir).parent / "logs" / "weights.stderr.txt"):
            manifest = export_lesson_models(target, get_settings())
    except Exception as exc:  # noqa: BLE001 - reported as the build's error, with the cause
        raise ExtensionError(
            f"could not export the networks for the draw-a-digit page into {target}: "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    keys = ", ".join(f"{name} {model['cache_key']}" for name, model in manifest["models"].items())
    logger.info(f"exported the networks for the draw-a-digit page ({manifest['bytes']:,} bytes; {keys})")


def add_page_assets(app, pagename, templatename, context, doctree):
    """Load the page's script and styles on the draw page only."""
    if pagename == app.config.lesson_draw_page:
        # After the book's own stylesheets, which stylesheets.py bundles into one file (priority 800 and below).
        app.add_css_file("draw/draw.css", priority=900)
        app.add_js_file("draw/draw.js", loading_method="defer")


def setup(app):
    app.add_config_value("lesson_draw_page", "book/draw", "html")
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", export_weights)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
