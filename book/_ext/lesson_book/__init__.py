"""The book's Sphinx extension: one module per job.

``_config.yml`` loads this package (``sphinx: local_extensions: lesson_book:
book/_ext``); it loads its modules, each of which says in its docstring what
it changes in the build or the site, and why:

- :mod:`~lesson_book.dependencies`: no stale pages; a chapter runs again when
  the package code it imports, the settings or the libraries change;
- :mod:`~lesson_book.execute`: pages that need executing run two at a time,
  their kernels' stderr kept aside;
- :mod:`~lesson_book.log`: a quiet log, one line per page and a summary;
- :mod:`~lesson_book.notebooks`: the student notebook of every chapter and
  the wheel its install cell installs;
- :mod:`~lesson_book.colab`: "Colab" in each chapter's launch menu;
- :mod:`~lesson_book.accessibility`: accessible names and roles in the HTML;
- :mod:`~lesson_book.scripts`: one copy of each script on a page;
- :mod:`~lesson_book.loading`: pages drawn before their scripts run (every
  script deferred, the search index only on the search page) and images
  with their sizes, lazy below the first screen;
- :mod:`~lesson_book.stylesheets`: one stylesheet for the book's and its
  extensions' styles instead of eight;
- :mod:`~lesson_book.icons`: the theme's icons from a font of a few
  kilobytes, carried in its stylesheet, instead of a script of 1.5 MB;
- :mod:`~lesson_book.maths`: maths rendered as SVG while the book is built,
  so pages load no MathJax;
- :mod:`~lesson_book.weights`: the trained networks exported into the site
  for the draw-a-digit page;
- :mod:`~lesson_book.pdf`: links to the PDF edition, and the one-page build
  it is printed from;
- :mod:`~lesson_book.draft`: draft builds say so on every page;
- :mod:`~lesson_book.status`: the build-status page's execution table says
  "ok" or "failed" in words, not in emoji that many fonts lack;
- :mod:`~lesson_book.images`: figures stored as palette PNGs, a third of
  their bytes, no pixel moved by more than 16 of 255;
- :mod:`~lesson_book.figures`: figures (drawn at twice their size on screen)
  keep their shape in a column narrower than they are;
- :mod:`~lesson_book.tables`: the tables cells print, in the book's one
  table style (pandas' own style sheets and index-name rows taken out).

Two modules hold what the others rely on from upstream:
:mod:`~lesson_book.mystnb` (myst-nb and jupyter-cache) and
:mod:`~lesson_book.theme` (sphinx-book-theme's header buttons). Each module
that works around an upstream behaviour names the versions it was checked
against in ``UPSTREAM``; ``tests/test_book_extension.py`` fails when an
installed version leaves that range, and tests each workaround's upstream
behaviour where it can.
"""

from __future__ import annotations

__all__ = ["MODULES", "setup"]

#: The extension's modules, in the order they are set up.
MODULES = (
    "dependencies", "execute", "log", "notebooks", "colab", "accessibility", "scripts", "loading", "stylesheets",
    "icons", "maths", "weights", "pdf", "draft", "status", "images", "figures", "tables",
)


def setup(app):
    for name in MODULES:
        app.setup_extension(f"{__name__}.{name}")
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "2"}
