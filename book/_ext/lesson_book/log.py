"""A quiet build log: one line per page and a summary.

What it changes
    Sphinx's and its extensions' progress messages (``reading sources...``,
    myst-nb's ``Using cached notebook: ID=…``, ``writing output...``) are
    dropped from the terminal; warnings and errors are not. In their place
    the build prints one line per page it reads, saying whether the page was
    executed (and in how long), taken from the execution cache, or failed,
    and a summary at the end. The kernels' own stderr is kept aside by
    :mod:`lesson_book.execute` and printed in full only for a page that fails.

Why
    A cold build used to print over two hundred lines, a quarter of them
    TensorFlow, absl and jupyter_client notices from the kernels: an
    instructor could not tell progress from trouble.

Set ``lesson_quiet_log: false`` under ``sphinx: config:`` in ``_config.yml``,
or build with ``-v``, to see Sphinx's full log again.

For every page taken from the cache or executed here, the line is written
only after checking that myst-nb used the very cache record the extension
matched (:func:`lesson_book.mystnb.check_same_record`).
"""

from __future__ import annotations

import contextlib
import logging as std_logging
import os
import sys
from pathlib import Path

from sphinx.util import logging

from . import mystnb

__all__ = ["report", "page_line", "stderr_to", "QuietFilter", "setup"]

logger = logging.getLogger(__name__)

#: Loggers whose messages pass the quiet filter (this package's: ``sphinx.lesson_book.*``).
OWN_LOGGER = "sphinx.lesson_book"


class QuietFilter(std_logging.Filter):
    """Let through this package's messages and anything of level WARNING or above."""

    def filter(self, record: std_logging.LogRecord) -> bool:
        return record.levelno >= std_logging.WARNING or record.name.startswith(OWN_LOGGER)


def _pages(app) -> dict:
    if not hasattr(app, "lesson_pages"):
        app.lesson_pages = {}
    return app.lesson_pages


def report(app, docname: str, status: str, seconds=None, stamp=None, *, error=None, stderr: Path | None = None):
    """Record how a page was obtained: ``"executed"``, ``"cached"`` or ``"failed"``.

    A failure is printed at once, with the kernel's stderr in full.
    """
    _pages(app)[docname] = {"status": status, "seconds": seconds, "stamp": stamp}
    if status == "failed":
        text = stderr.read_text(errors="replace").rstrip() if stderr is not None and stderr.is_file() else ""
        logger.info(
            page_line(docname, "failed", seconds, error=error)
            + (f"\n---- stderr of its kernel ({stderr}) ----\n{text}\n---- end of stderr ----" if text else "")
            + "\n  myst-nb runs the page again to report the error with its traceback."
        )


@contextlib.contextmanager
def stderr_to(path: Path):
    """Send this process's standard error (file descriptor 2) to ``path`` while the block runs.

    For work inside the build's own process that loads TensorFlow, whose C++
    notices bypass Python and Sphinx's logging. If the block fails, the
    captured text is printed before the error propagates.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(path, "wb") as stream:
            os.dup2(stream.fileno(), 2)
            try:
                yield
            except BaseException:
                os.dup2(saved, 2)
                text = path.read_text(errors="replace").rstrip()
                if text:
                    logger.info(f"---- stderr ({path}) ----\n{text}\n---- end of stderr ----")
                raise
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _duration(seconds) -> str:
    return "?" if seconds is None else f"{seconds:.1f} s"


def page_line(docname: str, status: str, seconds=None, *, error=None, width: int = 24) -> str:
    """The log line of one page.

    >>> page_line("book/data", "executed", 6.14)
    'book/data .............. executed in 6.1 s'
    >>> page_line("book/api", "text")
    'book/api ............... no code to run'
    """
    what = {
        "executed": f"executed in {_duration(seconds)}",
        "cached": f"from the execution cache (ran in {_duration(seconds)})",
        "myst-nb": f"executed by myst-nb in {_duration(seconds)}",
        "failed": f"FAILED after {_duration(seconds)}: {error}",
        "text": "no code to run",
    }[status]
    return f"{docname} {'.' * max(2, width - len(docname) - 1)} {what}"


def _install_filter(app, config):
    if not config.lesson_quiet_log or app.verbosity > 0:
        return
    from sphinx.util.logging import InfoFilter

    for handler in std_logging.getLogger("sphinx").handlers:
        if any(isinstance(f, InfoFilter) for f in handler.filters):
            handler.addFilter(QuietFilter())


def _page_read(app, doctree):
    docname = app.env.docname
    data = mystnb.exec_data(app.env, docname)
    entry = _pages(app).get(docname)
    if data is None:
        status, seconds = "text", None
    elif entry is None:  # not looked at before reading: myst-nb ran or matched it itself
        status, seconds = "myst-nb", data.get("runtime")
    else:
        mystnb.check_same_record(docname, entry["stamp"], data)
        status, seconds = entry["status"], entry["seconds"]
    _pages(app).setdefault(docname, {"status": status, "seconds": seconds, "stamp": None})["status"] = status
    logger.info(page_line(docname, status, seconds))


def summary(pages: dict, wall=None) -> str:
    """The closing line: how many pages were executed, taken from the cache, or had no code.

    >>> summary({"a": {"status": "executed", "seconds": 4.0}, "b": {"status": "cached", "seconds": 2.0}})
    '2 pages read: 1 executed (4.0 s of kernel time), 1 from the execution cache'
    """
    counts = {}
    for entry in pages.values():
        status = "executed" if entry["status"] == "myst-nb" else entry["status"]
        counts[status] = counts.get(status, 0) + 1
    kernel = sum(e["seconds"] or 0.0 for e in pages.values() if e["status"] in ("executed", "myst-nb"))
    parts = []
    if counts.get("executed"):
        wall_text = f", {wall:.1f} s of wall time" if wall is not None else ""
        parts.append(f"{counts['executed']} executed ({kernel:.1f} s of kernel time{wall_text})")
    if counts.get("cached"):
        parts.append(f"{counts['cached']} from the execution cache")
    if counts.get("text"):
        parts.append(f"{counts['text']} without code")
    if counts.get("failed"):
        parts.append(f"{counts['failed']} FAILED")
    read = len(pages)
    return f"{read} page{'s' if read != 1 else ''} read: " + (", ".join(parts) if parts else "nothing changed")


def _finished(app, exception):
    if exception is not None:
        return
    logger.info(summary(_pages(app), getattr(app, "lesson_execution_wall", None)) + f"; the site is in {app.outdir}")


def setup(app):
    app.add_config_value("lesson_quiet_log", True, "")
    app.connect("config-inited", _install_filter)
    app.connect("doctree-read", _page_read)
    app.connect("build-finished", _finished)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "2"}
