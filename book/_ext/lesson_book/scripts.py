"""One copy of each script on a page.

What it changes
    Drops repeated ``<script>`` entries from a page's ``script_files``.

Why
    sphinx-thebe (a dependency of sphinx-book-theme) registers its
    configuration script while documents are read, and Sphinx then lists it
    twice on every page, once with the file name ``None`` and once with
    ``""``; the second copy redeclares a ``const`` and raises a JavaScript
    error in the reader's console. sphinx-togglebutton's selector script is
    listed twice the same way, harmlessly. ``tests/test_book_extension.py``
    checks that the duplicate still arises upstream (so this module is still
    needed) and the browser tests check that no page logs an error.
"""

from __future__ import annotations

__all__ = ["UPSTREAM", "unique_scripts", "setup"]

#: The upstream versions this workaround was checked against (see ``tests/test_book_extension.py``).
UPSTREAM = {"sphinx-thebe": "==0.3.*", "sphinx": "==7.4.*"}


def script_key(script) -> tuple:
    """What makes two script entries the same script: the file name (``None`` as ``""``) and attributes."""
    attributes = tuple(sorted((k, str(v)) for k, v in getattr(script, "attributes", {}).items()))
    return (getattr(script, "filename", str(script)) or "", attributes)


def unique_scripts(scripts) -> list:
    """``scripts`` with each script once, in first-seen order."""
    seen, unique = set(), []
    for script in scripts:
        key = script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    return unique


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    context["script_files"] = unique_scripts(context.get("script_files", []))


def setup(app):
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}
