"""One stylesheet for the book's and its extensions' styles, instead of eight.

What it changes
    Sphinx links every stylesheet that it, the theme and the extensions add
    (``pygments.css``, sphinx-book-theme's, togglebutton's, copybutton's,
    myst-nb's, sphinx-exercise's, the maths' and the book's own
    ``lesson.css``) from every page, each one a request that holds back the
    first paint. In the site's pages they become one file,
    ``_static/lesson-styles.css``, linked where the first of them was: their
    rules in the same order, each file's relative ``url()`` paths rewritten
    for the new folder. The file is written at the end of every build, from
    the files as they are then (some extensions write theirs only at the
    end), and removed at the start of one, so that no page is written with
    Sphinx's ``?v=`` checksum of an earlier build's file.

    Left out, and linked as before: stylesheets from other sites, ones with
    a ``media`` or any other attribute beyond ``rel`` and ``type``, the ones
    :mod:`~lesson_book.loading` links only on the pages that use them
    (sphinx-design's, sphinx-thebe's), and ones a page adds for itself (the
    draw page's). The theme's own two stylesheets, which its template links
    before Sphinx's list, stay as they are. A stylesheet left out whose
    priority falls between the bundled ones' would change the order of the
    rules; that fails the build and names it.

Why
    Lighthouse (mobile, simulated slow 4G) counted ten render-blocking
    stylesheets on every chapter; each costs a round trip over one of a
    phone's few connections before the page can be drawn. With one, the
    first paint of the pages with the most maths came about 0.3 s sooner.

The one-page build that the PDF is printed from keeps Sphinx's links.
``tests/test_book_extension.py`` checks the bundling on made-up lists;
``tests/test_speed.py`` checks, in the built site, that each page links the
one file and that it holds every bundled file's rules, and
``tests/test_book.py`` that a rebuild with nothing changed keeps it.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path

from sphinx.errors import ExtensionError

from .loading import PAGE_DEPENDENT_CSS, rebase_urls

__all__ = ["UPSTREAM", "BUNDLE", "bundled", "bundle_parts", "with_bundle", "bundle_text", "setup"]

#: The upstream behaviour relied on: ``builder.css_files`` holds Sphinx's list of stylesheets as
#: ``_CascadingStyleSheet`` objects (``filename`` under ``_static/``, ``priority``, ``attributes``),
#: reset to the book's own list before each page's ``html-page-context`` handlers run (which may
#: add a page's own), and a page's ``css_files`` are sorted by priority after those handlers ran.
UPSTREAM = {"sphinx": "==7.4.*"}

#: The bundle, relative to the built site.
BUNDLE = "_static/lesson-styles.css"

_CHARSET = re.compile(r'^\ufeff?\s*@charset\s+"utf-8"\s*;', re.I)


def _name(sheet) -> str:
    return os.fspath(getattr(sheet, "filename", sheet) or "")


def bundled(sheet) -> bool:
    """Whether a stylesheet goes into the bundle: local, no attributes beyond ``rel`` and ``type``, on every page."""
    name = _name(sheet)
    attributes = {k for k, v in getattr(sheet, "attributes", {}).items() if v is not None}
    return (
        bool(name) and "://" not in name and not name.startswith("/")
        and attributes <= {"rel", "type"} and Path(name).name not in PAGE_DEPENDENT_CSS
    )


def bundle_parts(css_files) -> list:
    """The stylesheets of Sphinx's own list that go into the bundle, each once, in priority order."""
    first = {}
    for sheet in css_files:
        if bundled(sheet):
            first.setdefault(_name(sheet), sheet)
    return sorted(first.values(), key=lambda sheet: sheet.priority)


def with_bundle(page_css, parts) -> list:
    """A page's stylesheets with the ``parts`` it links replaced by the bundle, at the first part's priority.

    Raises
    ------
    sphinx.errors.ExtensionError
        If a stylesheet left out has a priority between the parts' (its rules would move).
    """
    names = {_name(part) for part in parts}
    inside = [sheet for sheet in page_css if _name(sheet) in names]
    if not inside:
        return list(page_css)
    low, high = min(s.priority for s in inside), max(s.priority for s in inside)
    between = [_name(s) for s in page_css if _name(s) not in names and low <= s.priority <= high]
    if between:
        raise ExtensionError(
            f"{', '.join(between)}: a stylesheet outside the bundle (book/_ext/lesson_book/stylesheets.py) with a "
            f"priority between the bundled ones' ({low}-{high}); give it a priority outside that range"
        )
    first = min(inside, key=lambda s: s.priority)
    bundle = type(first)(BUNDLE, priority=first.priority, **{k: v for k, v in first.attributes.items() if v})
    return [bundle if sheet is first else sheet for sheet in page_css if sheet is first or _name(sheet) not in names]


def bundle_text(outdir: Path, parts) -> str:
    """The bundle: each part's rules, in order, under a comment naming the file.

    A part's leading ``@charset "UTF-8";`` moves to the top of the bundle (where alone it is valid);
    a part with ``@import`` or another character set cannot be bundled and fails the build.
    """
    folder = posixpath.dirname(BUNDLE)
    texts = ['@charset "UTF-8";\n']
    for part in parts:
        name = _name(part)
        css = _CHARSET.sub("", (outdir / name).read_text(encoding="utf-8"), count=1)
        if re.search(r"@import\b|@charset\b", css):
            raise ExtensionError(
                f"{name} has @import or a @charset other than UTF-8, which cannot be bundled: leave it out in "
                "book/_ext/lesson_book/stylesheets.py (bundled)"
            )
        texts.append(f"/* {name} */\n{rebase_urls(css, posixpath.dirname(name), folder).strip()}\n")
    return "\n".join(texts)


def _html(app) -> bool:
    return app.builder.name == "html"


def _remove_old_bundle(app):
    if _html(app):
        (Path(app.outdir) / BUNDLE).unlink(missing_ok=True)


def _remember_css_files(app, pagename, templatename, context, doctree):
    # First of the page's handlers: Sphinx has just reset the list to the book's own stylesheets.
    app.lesson_css_files = list(app.builder.css_files)


def _book_css_files(app) -> list:
    # A build that writes no page (nothing changed) still rewrites the bundle, from Sphinx's list.
    return getattr(app, "lesson_css_files", None) or list(app.builder.css_files)


def _link_bundle(app, pagename, templatename, context, doctree):
    if _html(app) and "css_files" in context:
        context["css_files"] = with_bundle(context["css_files"], bundle_parts(_book_css_files(app)))


def _write_bundle(app, exception):
    if exception is not None or not _html(app):
        return
    outdir = Path(app.outdir)
    text = bundle_text(outdir, bundle_parts(_book_css_files(app)))
    target = outdir / BUNDLE
    temporary = target.with_name(target.name + ".part")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)


def setup(app):
    app.connect("builder-inited", _remove_old_bundle)
    app.connect("html-page-context", _remember_css_files, priority=1)
    # After loading.py has dropped the stylesheets a page does not use (priority 940).
    app.connect("html-page-context", _link_bundle, priority=945)
    # After every extension has written its stylesheet (at the default priority).
    app.connect("build-finished", _write_bundle, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
