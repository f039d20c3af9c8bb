"""Execute the pages that need it, several at a time, with their kernels' stderr kept aside.

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

Each kernel's standard error (TensorFlow's and absl's start-up notices,
jupyter_client's warnings) goes to ``_build/logs/<page>.stderr.txt`` instead
of the build's terminal, and is printed in full only when the page fails.

A page that fails here is not stored: myst-nb then executes it again
itself, in the usual way, and reports the error with its traceback (so a
failing cell still fails the build and names the page).

Why it earns its place: on two cores, running two pages at once takes about
a third off a cold build (see ``benchmarks/README.md``), and it is what keeps
the kernels' noise out of the log. Everything it needs from myst-nb goes
through :mod:`lesson_book.mystnb`.

Configuration (``sphinx: config:`` in ``_config.yml``)
    ``lesson_execution_jobs``: how many pages run at once; the default,
    ``None``, means two, or one on a single-core machine; 1 runs them one
    by one.

    ``lesson_execution_slow``: pages (as ``book/tsne``) known to take long,
    started first when the cache has no timing for them (a cold build).
    Otherwise the slowest pages of earlier builds start first.
"""

from __future__ import annotations

import concurrent.futures
import copy
import os
import time
from contextlib import nullcontext
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from sphinx.util import logging

from . import mystnb
from .log import report

__all__ = ["setup", "execution_jobs", "execution_order"]

logger = logging.getLogger(__name__)

#: Pages run at once when ``lesson_execution_jobs`` is not set.
DEFAULT_JOBS = 2

#: Command-line options of every page's kernel: inline figures as "retina" PNGs.
KERNEL_ARGUMENTS = ("--InlineBackend.figure_formats=retina",)

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


def kernel_manager_writing_to(path: Path):
    """A jupyter_client kernel manager class whose kernels write their stderr to ``path``.

    nbclient starts kernels through ``kernel_manager_class``; jupyter_client
    passes ``start_kernel``'s keyword arguments on to ``subprocess.Popen``.
    """
    from jupyter_client import AsyncKernelManager

    class PageKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kw):
            # Figures as PNGs at twice their dpi, with their size in CSS px beside
            # them (myst-nb writes it as the image's width and height): sharp in
            # the printed edition, the same size on the site.
            kw["extra_arguments"] = [*(kw.get("extra_arguments") or []), *KERNEL_ARGUMENTS]
            with open(path, "ab") as stream:  # the kernel keeps its own copy of the descriptor
                kw.setdefault("stderr", stream)
                return await super().start_kernel(**kw)

    return PageKernelManager


def _execute(source, cwd: str | None, timeout, allow_errors: bool, stderr: Path) -> tuple:
    """Run in a worker thread: execute a copy of one notebook; return (notebook, seconds, error).

    The notebook is None when execution failed, and the error says how. A
    kernel that fails outside a cell (dies on start, say) is started again,
    up to ``KERNEL_ATTEMPTS`` times. An error in a cell is not retried.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    stderr.parent.mkdir(parents=True, exist_ok=True)
    stderr.write_bytes(b"")
    manager = kernel_manager_writing_to(stderr)
    for attempt in range(1, KERNEL_ATTEMPTS + 1):
        notebook = copy.deepcopy(source)
        with TemporaryDirectory() if cwd is None else nullcontext(cwd) as folder:
            try:
                result = single_nb_execution(
                    notebook, cwd=folder, timeout=timeout, allow_errors=allow_errors, meta_override=True,
                    kernel_manager_class=manager,
                )
                break
            except Exception as error:  # the kernel died or did not start
                if attempt == KERNEL_ATTEMPTS:
                    return None, 0.0, f"{type(error).__name__}: {error}"
                time.sleep(attempt)
    if result.err is not None:
        return None, result.time, f"{type(result.err).__name__}"
    return notebook, result.time, None


def stderr_path(app, docname: str) -> Path:
    """Where a page's kernel stderr is kept: ``_build/logs/<page>.stderr.txt``."""
    return Path(app.outdir).parent / "logs" / f"{docname}.stderr.txt"


def _pre_execute(app, env, docnames):
    """Execute the pages missing from the execution cache, several at a time."""
    cache = mystnb.execution_cache(env)
    if cache is None:
        return
    jobs = execution_jobs(app.config.lesson_execution_jobs)
    excluded = env.mystnb_config.execution_excludepatterns
    pending = {}
    for docname in docnames:
        notebook, read_fmt = mystnb.page_notebook(app, docname)
        if notebook is None:
            continue
        path = Path(env.doc2path(docname))
        if any(PurePosixPath(path.as_posix()).match(pattern) for pattern in excluded):
            continue
        record = mystnb.cached_record(cache, notebook)
        if record is not None:
            report(app, docname, "cached", record.data.get("execution_seconds"), mystnb.record_stamp(record))
            continue
        pending[docname] = (path, notebook, read_fmt)
    if not pending:
        return

    last_seconds = {}
    by_uri = {str(path): docname for docname, (path, _, _) in pending.items()}
    for record in sorted(cache.list_cache_records(), key=lambda r: r.created):
        if record.uri in by_uri and "execution_seconds" in record.data:
            last_seconds[by_uri[record.uri]] = float(record.data["execution_seconds"])
    order = execution_order(pending, last_seconds, app.config.lesson_execution_slow)
    logger.info(f"executing {len(order)} page{'s' if len(order) > 1 else ''}, {min(jobs, len(order))} at a time")

    started = time.perf_counter()
    # OpenMP threads that wait for work sleep instead of spinning, so two
    # kernels sharing the cores do not slow each other down (results are
    # unchanged). Kernels inherit the variable; the build's own is restored.
    saved = os.environ.get("OMP_WAIT_POLICY")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    try:
        _run_pending(app, cache, pending, order, jobs)
    finally:
        if saved is None:
            os.environ.pop("OMP_WAIT_POLICY", None)
    app.lesson_execution_wall = time.perf_counter() - started


def _run_pending(app, cache, pending: dict, order: list, jobs: int) -> None:
    config = app.env.mystnb_config
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="lesson-execute") as pool:
        futures = {}
        for docname in order:
            path, notebook, _ = pending[docname]
            cwd = None if config.execution_in_temp else str(path.parent)
            futures[pool.submit(_execute, notebook, cwd, config.execution_timeout,
                                config.execution_allow_errors, stderr_path(app, docname))] = docname
        for future in concurrent.futures.as_completed(futures):
            docname = futures[future]
            path, _, read_fmt = pending[docname]
            executed, seconds, error = future.result()
            if error is not None:
                report(app, docname, "failed", seconds, error=error, stderr=stderr_path(app, docname))
                continue
            record = mystnb.store_executed(cache, path, read_fmt, executed, seconds)
            report(app, docname, "executed", seconds, mystnb.record_stamp(record))


def setup(app):
    app.add_config_value("lesson_execution_jobs", None, "")
    app.add_config_value("lesson_execution_slow", [], "")
    app.setup_extension("lesson_book.log")
    app.connect("env-before-read-docs", _pre_execute)
    return {"parallel_read_safe": False, "parallel_write_safe": True, "version": "2"}
