"""The one place where the book's extension reaches into myst-nb and jupyter-cache.

myst-nb executes a page while Sphinx reads it, and keeps executed notebooks
in a jupyter-cache database keyed by a hash of the notebook. The book's
extension runs pages ahead of myst-nb (:mod:`lesson_book.execute`), reads
their outputs back for the student notebooks (:mod:`lesson_book.notebooks`)
and reports how each page was obtained (:mod:`lesson_book.log`). For that it
must build exactly the notebook myst-nb builds, find the cache myst-nb uses,
and store results as myst-nb would. Everything that depends on how myst-nb
does those things is here, read from myst-nb's own configuration
(``env.mystnb_config``) and done with myst-nb's own reader.

Upstream behaviour relied on (myst-nb 1.4, ``myst_nb/core/execute/cache.py``):

- the notebook hashed is the one ``create_nb_reader(...).read(text)`` returns
  for the page's text after ``source-read`` handlers ran;
- the cache is ``get_cache(execution_cache_path or ".jupyter_cache")``;
- an executed notebook is stored with ``add_nb_to_project`` and
  ``cache_notebook_bundle(..., data={"execution_seconds": t})``;
- a page taken from the cache gets ``exec_data["mtime"]`` equal to its cache
  record's ``created.timestamp()``;
- the files made from outputs (``myst_nb/core/render.py``, ``write_file``)
  go to the output folder, named by the SHA-256 of what the kernel wrote,
  and a file that is already there is not written again
  (``overwrite=False, exists_ok=True``), so :mod:`lesson_book.images` can
  re-encode it in place.

If the first of these drifts, every page would run twice without an error:
:func:`check_same_record` makes that an error in every build instead.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from sphinx.errors import ExtensionError

__all__ = [
    "UPSTREAM", "page_notebook", "execution_cache", "cached_record", "store_executed", "exec_data",
    "output_folder", "executed_notebook_path", "glued_values", "with_outputs", "check_same_record",
]

#: The upstream versions whose behaviour this module reproduces (see ``tests/test_book_extension.py``).
UPSTREAM = {"myst-nb": "==1.4.*", "jupyter-cache": "==1.0.*"}


def page_notebook(app, docname: str):
    """The notebook myst-nb builds from a page, and its read format; ``(None, None)`` for plain pages.

    The page's text first gets the hidden dependency cell that the
    ``source-read`` handler of :mod:`lesson_book.dependencies` adds when
    Sphinx reads the page (the only ``source-read`` handler that changes a
    chapter's text; :func:`check_same_record` catches any other).
    """
    from myst_nb.core.read import create_nb_reader

    from .dependencies import is_notebook_source, with_digest

    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md" or not path.is_file():
        return None, None
    text = path.read_text(encoding="utf-8")
    if not is_notebook_source(text):
        return None, None
    source = [with_digest(text, path.parent, docname)[0]]
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, source[0])
    if reader is None:
        return None, None
    return reader.read(source[0]), reader.read_fmt


def execution_cache(env):
    """The jupyter-cache database myst-nb uses, or None when pages are not executed through it."""
    from jupyter_cache import get_cache

    config = env.mystnb_config
    if config.execution_mode != "cache":
        return None
    return get_cache(config.execution_cache_path or ".jupyter_cache")


def cached_record(cache, notebook):
    """The cache record of an executed copy of ``notebook``, or None."""
    with suppress(KeyError):
        return cache.match_cache_notebook(notebook)
    return None


def store_executed(cache, path: Path, read_fmt, executed, seconds: float):
    """Store an executed notebook as myst-nb would, and return its cache record."""
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    stage = cache.add_nb_to_project(str(path), read_data=read_fmt)
    NbProjectRecord.remove_tracebacks([stage.pk], cache.db)
    return cache.cache_notebook_bundle(
        CacheBundleIn(executed, stage.uri, data={"execution_seconds": seconds}),
        check_validity=False,
        overwrite=True,
    )


def record_stamp(record) -> float:
    """The time stamp myst-nb gives a page it took from ``record`` (``exec_data["mtime"]``)."""
    return record.created.timestamp()


def exec_data(env, docname: str) -> dict | None:
    """What myst-nb recorded about executing a page while reading it (None for plain pages)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    return NbMetadataCollector.get_exec_data(env, docname)


def check_same_record(docname: str, expected_stamp: float, data: dict | None) -> None:
    """Fail when myst-nb did not take a page from the cache record the extension expected.

    That happens only when the notebook the extension hashes differs from
    the one myst-nb hashes (an upstream change): the page would have run twice.

    Raises
    ------
    sphinx.errors.ExtensionError
        Naming the page and what to check.
    """
    if data is None or data.get("mtime") != expected_stamp:
        raise ExtensionError(
            f"{docname}: myst-nb did not use the execution-cache record the book's extension matched for "
            "this page, so the two hash the page's notebook differently and pages run twice; check "
            "book/_ext/lesson_book/mystnb.py against the installed myst-nb"
        )


def output_folder(env) -> Path:
    """myst-nb's output folder: the executed notebooks, and the files it writes from outputs (figures)."""
    return Path(env.mystnb_config.output_folder)


def executed_notebook_path(app, pagename: str) -> Path:
    """Where myst-nb keeps a page's executed notebook (its configured output folder)."""
    return output_folder(app.env) / f"{pagename}.ipynb"


def glued_values(app, pagename: str) -> dict:
    """A page's glued outputs by name, as myst-nb stores them beside the executed notebook.

    myst-nb writes ``<page>.glue.json`` in its output folder for every page
    that glues something (``{"name": {"data": {mime: value}, ...}}``).
    """
    import json

    path = executed_notebook_path(app, pagename).with_suffix(".glue.json")
    return json.loads(path.read_text()) if path.is_file() else {}


def with_outputs(env, notebook):
    """The notebook with its outputs from the execution cache.

    myst-nb's copy of a page it took from the cache (rather than executed in
    this build) has no outputs; the cache has them, under the same notebook.
    """
    cache = execution_cache(env)
    if cache is None:
        return notebook
    try:
        _, merged = cache.merge_match_into_notebook(notebook)
    except KeyError:  # not from the cache: executed in this build, outputs and all
        return notebook
    return merged
