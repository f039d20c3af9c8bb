"""Sphinx extension of the MNIST book: execute the pages that need it, several at a time.

myst-nb executes a page while Sphinx reads it, one page after another, so a
build pays for every kernel start, every import of TensorFlow and every
single-threaded stretch of work in turn. Before Sphinx reads anything, this
extension finds the pages whose notebooks are missing from the execution
cache (the same test myst-nb makes, on the same notebook, hidden dependency
cell included), executes them a few at a time (each in its own kernel,
driven from a thread of the build), and stores each result in the cache
exactly as myst-nb would. When
Sphinx then reads the pages, myst-nb finds every one of them in the cache.

Pages that share work are safe to run together: trained models, activations
and projections are cached under file locks by ``mnist_lesson``, so the
second page that asks for a model waits for the first to train it.

A page that fails here is not stored: myst-nb then executes it again
itself, in the usual way, and reports the error with its traceback (so a
failing cell still fails the build and names the page).

Configuration (``sphinx: config:`` in ``_config.yml``)
    ``lesson_execution_jobs``: how many pages run at once; the default,
    ``None``, means two, or one on a single-core machine. 1 leaves all
    execution to myst-nb.

    ``lesson_execution_slow``: pages (as ``book/tsne``) known to take long,
    started first when the cache has no timing for them (a cold build).
    Otherwise the slowest pages of earlier builds start first.
"""

from __future__ import annotations

import concurrent.futures
import copy
import os
import time
from contextlib import nullcontext, suppress
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from sphinx.util import logging

__all__ = ["setup", "execution_jobs", "execution_order"]

logger = logging.getLogger(__name__)

#: Pages run at once when ``lesson_execution_jobs`` is not set.
DEFAULT_JOBS = 2

#: Times a worker starts a kernel for one page before leaving the page to myst-nb.
KERNEL_ATTEMPTS = 3


def execution_jobs(configured, cpu_count: int | None = None) -> int:
    """The number of pages to run at once for the ``lesson_execution_jobs`` setting."""
    if configured is None:
        return max(1, min(DEFAULT_JOBS, cpu_count or os.cpu_count() or 1))
    if isinstance(configured, bool) or not isinstance(configured, int) or configured < 1:
        raise ValueError(
            f"lesson_execution_jobs must be a positive integer (or None for the default), got {configured!r}; "
            "set it under sphinx: config: in _config.yml"
        )
    return configured


def execution_order(pages, seconds: dict, slow=()) -> list:
    """Pages in the order to start them, slowest first.

    Starting the longest pages first keeps the workers busy to the end (a
    short page left over fills a gap, a long one left over makes everyone
    wait). ``seconds`` holds each page's last recorded execution time; pages
    without one (a cold build) go first, those listed in ``slow`` (the
    ``lesson_execution_slow`` setting) ahead of the others.

    >>> execution_order(["a", "b", "c", "d"], {"a": 5.0, "b": 50.0}, slow=["d"])
    ['d', 'c', 'b', 'a']
    """
    slow = list(slow)

    def key(page):
        known = page in seconds
        rank = slow.index(page) if page in slow else len(slow)
        return (known, -seconds.get(page, 0.0), rank, page)

    return sorted(pages, key=key)


def _execute(source, cwd: str | None, timeout, allow_errors: bool) -> tuple:
    """Run in a worker thread: execute a copy of one notebook; return (notebook, seconds, error).

    The notebook is None when execution failed, and the error says how. A
    kernel that fails outside a cell (dies on start, say) is started again,
    up to ``KERNEL_ATTEMPTS`` times. An error in a cell is not retried.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        notebook = copy.deepcopy(source)
        with TemporaryDirectory() if cwd is None else nullcontext(cwd) as folder:
            try:
                result = single_nb_execution(notebook, cwd=folder, timeout=timeout, allow_errors=allow_errors, meta_override=True)
                break
            except Exception as error:  # the kernel died or did not start
                if attempt == KERNEL_ATTEMPTS:
                    return None, 0.0, f"{type(error).__name__}: {error}"
                time.sleep(attempt)
    if result.err is not None:
        return None, result.time, f"{type(result.err).__name__}"
    return notebook, result.time, None


def _read_notebook(app, docname: str):
    """The notebook myst-nb will build from a page (and its reader), or None for plain pages."""
    from lesson_book import _is_notebook_source, with_digest
    from myst_nb.core.read import create_nb_reader

    path = Path(app.env.doc2path(docname))
    if path.suffix != ".md" or not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    if not _is_notebook_source(text):
        return None
    text, _ = with_digest(text, path.parent)
    reader = create_nb_reader(str(path), app.env.myst_config, app.env.mystnb_config, text)
    if reader is None:
        return None
    return path, reader.read(text), reader.read_fmt


def _pre_execute(app, env, docnames):
    """Execute the pages missing from the execution cache, several at a time."""
    from jupyter_cache import get_cache

    nb_config = env.mystnb_config
    jobs = execution_jobs(app.config.lesson_execution_jobs)
    if nb_config.execution_mode != "cache" or jobs < 2:
        return
    cache = get_cache(nb_config.execution_cache_path or ".jupyter_cache")
    pending = {}
    for docname in docnames:
        found = _read_notebook(app, docname)
        if found is None:
            continue
        path, notebook, read_fmt = found
        posix = PurePosixPath(path.as_posix())
        if any(posix.match(pattern) for pattern in nb_config.execution_excludepatterns):
            continue
        with suppress(KeyError):
            cache.match_cache_notebook(notebook)
            continue
        pending[docname] = (path, notebook, read_fmt)
    if len(pending) < 2:
        return  # nothing to gain: myst-nb runs it as usual

    last_seconds = {}
    by_uri = {str(path): docname for docname, (path, _, _) in pending.items()}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.created):
        if record.uri in by_uri and "execution_seconds" in record.data:
            last_seconds[by_uri[record.uri]] = float(record.data["execution_seconds"])
    order = execution_order(pending, last_seconds, app.config.lesson_execution_slow)
    logger.info(f"[lesson_execute] executing {len(order)} pages, {jobs} at a time: {', '.join(order)}")

    started = time.perf_counter()
    # OpenMP threads that wait for work sleep instead of spinning, so two
    # kernels sharing the cores do not slow each other down (results are
    # unchanged). Kernels inherit the variable; the build's own is restored.
    saved = os.environ.get("OMP_WAIT_POLICY")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        _run_pending(cache, pending, order, jobs, nb_config)
    finally:
        if saved is None:
            os.environ.pop("OMP_WAIT_POLICY", None)
    logger.info(f"[lesson_execute] {len(order)} pages in {time.perf_counter() - started:.1f} s")


def _run_pending(cache, pending: dict, order: list, jobs: int, nb_config) -> None:
    from jupyter_cache.base import CacheBundleIn
    from jupyter_cache.cache.db import NbProjectRecord

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="lesson-execute") as pool:
        futures = {}
        for docname in order:
            path, notebook, _ = pending[docname]
            cwd = None if nb_config.execution_in_temp else str(path.parent)
            logger.info("Executing notebook (lesson_execute worker)", location=docname)
            futures[pool.submit(_execute, notebook, cwd, nb_config.execution_timeout,
                                nb_config.execution_allow_errors)] = docname
        for future in concurrent.futures.as_completed(futures):
            docname = futures[future]
            path, _, read_fmt = pending[docname]
            executed, seconds, error = future.result()
            if error is not None:
                logger.info(f"[lesson_execute] {error}; myst-nb will run the page again and report", location=docname)
                continue
            stage = cache.add_nb_to_project(str(path), read_data=read_fmt)
            NbProjectRecord.remove_tracebacks([stage.pk], cache.db)
            cache.cache_notebook_bundle(
                CacheBundleIn(executed, stage.uri, data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            logger.info(f"Executed notebook in {seconds:.2f} seconds", location=docname)


def setup(app):
    app.add_config_value("lesson_execution_jobs", None, "")
    app.add_config_value("lesson_execution_slow", [], "")
    app.connect("env-before-read-docs", _pre_execute)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "1"}
