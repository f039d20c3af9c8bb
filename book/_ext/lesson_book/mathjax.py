"""Maths without a CDN: MathJax is served with the site.

What it changes
    Copies the MathJax files the site needs from the npm package ``mathjax``
    (installed by ``npm ci``, pinned in ``package-lock.json``) into
    ``_static/mathjax`` of the built site; ``mathjax_path`` in ``_config.yml``
    points there.

Why
    Sphinx's default loads MathJax from a CDN: formulas would not render
    offline, and every reader's browser would contact a third party.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = ["MATHJAX_FILES", "setup"]

#: The MathJax files the site needs, relative to ``node_modules/mathjax/es5``.
MATHJAX_FILES = ("tex-chtml.js", "output/chtml/fonts/woff-v2", "ui", "a11y", "input/tex/extensions")


def _copy_mathjax(app, exception):
    """Copy MathJax into ``_static/mathjax`` of the built site."""
    if exception is not None or app.builder.format != "html":
        return
    source = Path(app.confdir) / "node_modules" / "mathjax" / "es5"
    if not (source / "tex-chtml.js").is_file():
        raise ExtensionError(
            f"MathJax is missing from {source}: run `npm ci` in the repository (`make install` does it)"
        )
    target = Path(app.outdir) / "_static" / "mathjax"
    for name in MATHJAX_FILES:
        src, dst = source / name, target / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)


def setup(app):
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
