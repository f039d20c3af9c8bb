"""An on-disk cache for expensive results: keyed, atomic, locked, self-healing.

A result lives in its own folder, ``<cache_dir>/<kind>/<key>/``, where the key
is a digest of everything that changes the result (settings, the source code
that computes it, library versions, the data digest). Writing happens in a
temporary folder beside it that is renamed into place only once complete and
readable, so an interrupted computation never leaves a broken entry. A file
lock makes two processes that ask for the same entry at once compute it only
once. An entry that cannot be read is removed and computed again.

A process killed while it writes (``kill -9``, a crash, a machine that goes
down) leaves its temporary folder, ``<kind>/.<key>.<random>.tmp``, behind.
Opening the cache for that kind again removes such leftovers
(:func:`remove_stale_temporaries`): those older than :data:`STALE_SECONDS`
whose entry's lock no live process holds, so a folder another process is
still writing is never touched.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import json
import os
import re
import shutil
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import numpy as np
from filelock import FileLock, Timeout

__all__ = [
    "cached",
    "cached_arrays",
    "make_key",
    "array_digest",
    "source_digest",
    "code_fingerprint",
    "library_versions",
    "entry_path",
    "remove_stale_temporaries",
    "STALE_SECONDS",
    "CacheWarning",
]

#: Written last into an entry; an entry without it is incomplete.
META_FILE = "meta.json"

#: Age in seconds from which a temporary folder nobody holds the lock of is a leftover.
#: Writing an entry takes seconds; the margin covers clocks and slow disks.
STALE_SECONDS = 10 * 60

#: A temporary folder of an entry being written: ``.<key>.<random>.tmp``.
_TEMPORARY = re.compile(r"^\.(?P<key>[0-9a-f]+)\.[^/]*\.tmp$")


class CacheWarning(UserWarning):
    """A cache entry was unreadable and is being rebuilt."""


def code_fingerprint(source: str) -> str:
    """The code of a Python source text, without comments, docstrings or layout.

    Two sources with the same fingerprint do the same thing, so a cache keyed
    on it survives an edited comment or docstring but not an edited statement.

    Examples
    --------
    >>> code_fingerprint("x = 1  # one") == code_fingerprint("'Doc.'" + chr(10) + "x = 1")
    True
    >>> code_fingerprint("x = 1") == code_fingerprint("x = 2")
    False
    """
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False, include_attributes=False)


def source_digest(*module_names: str) -> str:
    """Return a SHA-256 of the code of the named modules (see :func:`code_fingerprint`).

    Parameters
    ----------
    *module_names : str
        Importable module names, for example ``"mnist_lesson.training"``.

    Examples
    --------
    >>> len(source_digest("mnist_lesson.cache"))
    64
    """
    digest = hashlib.sha256()
    for name in sorted(module_names):
        module = importlib.import_module(name)
        digest.update(name.encode())
        digest.update(code_fingerprint(inspect.getsource(module)).encode())
    return digest.hexdigest()


def library_versions(*dists: str) -> dict:
    """Return ``{distribution: version}`` for installed distributions."""
    out = {}
    for dist in dists:
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = None
    return out


def array_digest(array) -> dict:
    """Identify an array for a cache key: its dtype, shape and the SHA-256 of its bytes.

    Examples
    --------
    >>> array_digest(np.zeros((2, 3), np.uint8))["shape"]
    [2, 3]
    """
    array = np.ascontiguousarray(array)
    return {
        "sha256": hashlib.sha256(array.data).hexdigest(),
        "dtype": array.dtype.str,
        "shape": list(array.shape),
    }


def make_key(parts: dict) -> str:
    """Return a short stable digest of a JSON-serialisable dictionary.

    Examples
    --------
    >>> make_key({"a": 1, "b": [2, 3]}) == make_key({"b": [2, 3], "a": 1})
    True
    """
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def entry_path(cache_dir, kind: str, parts: dict) -> Path:
    """Return the folder that holds (or would hold) the entry for ``parts``."""
    return Path(cache_dir) / kind / make_key(parts)


def remove_stale_temporaries(folder, *, older_than: float = STALE_SECONDS) -> list[Path]:
    """Remove the temporary folders a killed process left in a cache folder.

    A folder ``.<key>.<random>.tmp`` is removed when it was last changed at
    least ``older_than`` seconds ago and the lock of entry ``<key>`` is free:
    a process writing an entry holds its lock until the folder is renamed into
    place, and the operating system releases the lock of a process that dies,
    so a folder someone is still writing is never removed, however old.

    Parameters
    ----------
    folder : path-like
        A folder of entries of one kind, ``<cache_dir>/<kind>``.
    older_than : float, default STALE_SECONDS
        Minimum age in seconds, from the folder's modification time.

    Returns
    -------
    list of pathlib.Path
        The folders removed.
    """
    folder = Path(folder)
    removed = []
    now = time.time()
    try:
        candidates = sorted(folder.iterdir())
    except FileNotFoundError:
        return removed
    for path in candidates:
        match = _TEMPORARY.match(path.name)
        if match is None:
            continue
        try:
            if not path.is_dir() or now - path.stat().st_mtime < older_than:
                continue
        except FileNotFoundError:
            continue
        lock = FileLock(str(folder / match["key"]) + ".lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            continue  # a live process is writing this entry
        try:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            lock.release()
        removed.append(path)
    return removed


def cached(
    kind: str,
    parts: dict,
    compute: Callable[[], Any],
    *,
    save: Callable[[Any, Path], None],
    load: Callable[[Path], Any],
    cache_dir,
    progress: Callable[[str], None] | None = None,
):
    """Return a cached result, computing and storing it on a miss.

    Parameters
    ----------
    kind : str
        A folder name grouping entries of one kind, such as ``"models"``.
    parts : dict
        Everything that changes the result; JSON-serialisable. Its digest is
        the entry's key, and it is saved beside the entry for inspection.
    compute : callable
        Called without arguments on a miss; returns the result.
    save : callable
        ``save(result, folder)`` writes the result into an empty folder.
    load : callable
        ``load(folder)`` reads a result back; any exception marks the entry
        as damaged.
    cache_dir : path-like
        The cache root.
    progress : callable, optional
        Called with a line of text on hits, misses and rebuilds.

    Returns
    -------
    The loaded or freshly computed result.

    Notes
    -----
    Leftovers of killed processes in ``<cache_dir>/<kind>`` are removed first
    (:func:`remove_stale_temporaries`).
    """
    say = progress or (lambda message: None)
    entry = entry_path(cache_dir, kind, parts)
    entry.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(entry.parent)
    with FileLock(str(entry) + ".lock"):
        if (entry / META_FILE).is_file():
            try:
                result = load(entry)
            except Exception as exc:  # noqa: BLE001 - any failure means a damaged entry
                warnings.warn(
                    f"the cache entry {entry} could not be read ({type(exc).__name__}: {exc}); "
                    "it is removed and computed again",
                    CacheWarning,
                    stacklevel=2,
                )
            else:
                say(f"Loaded {kind} from the cache ({entry.name})")
                return result
        if entry.exists():
            shutil.rmtree(entry)
        say(f"Computing {kind} (not in the cache yet) ...")
        started = time.perf_counter()
        result = compute()
        seconds = time.perf_counter() - started
        tmp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".{entry.name}.", suffix=".tmp"))
        try:
            save(result, tmp)
            load(tmp)  # what was written must read back before it takes the name
            meta = {"kind": kind, "parts": parts, "compute_seconds": seconds,
                    "created": time.strftime("%Y-%m-%dT%H:%M:%S")}
            (tmp / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True, default=str))
            os.rename(tmp, entry)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp)
        say(f"Stored {kind} in the cache ({entry.name})")
        return result


def _save_arrays(arrays: dict, folder: Path) -> None:
    with open(folder / "arrays.npz", "wb") as fh:
        np.savez(fh, **arrays)
        fh.flush()
        os.fsync(fh.fileno())


def _load_arrays(folder: Path) -> dict:
    with np.load(folder / "arrays.npz", allow_pickle=False) as npz:
        return {name: npz[name] for name in npz.files}


def cached_arrays(
    kind: str,
    parts: dict,
    compute: Callable[[], dict],
    *,
    cache_dir,
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Like :func:`cached` for a result that is a dict of NumPy arrays.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> calls = []
    >>> def compute():
    ...     calls.append(1)
    ...     return {"squares": np.arange(4) ** 2}
    >>> cached_arrays("demo", {"n": 4}, compute, cache_dir=folder)["squares"]
    array([0, 1, 4, 9])
    >>> int(cached_arrays("demo", {"n": 4}, compute, cache_dir=folder)["squares"].sum()), len(calls)
    (14, 1)
    """
    return cached(kind, parts, compute, save=_save_arrays, load=_load_arrays,
                  cache_dir=cache_dir, progress=progress)
