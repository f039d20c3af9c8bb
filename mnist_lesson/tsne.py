"""t-SNE: a map of the data on a plane that keeps near neighbours near, cached.

:func:`tsne` places each row on a plane so that rows that are near
neighbours in the original space stay near each other (openTSNE's FFT-
accelerated t-SNE). Unlike PCA it is not a linear map: distances between
clusters, and cluster sizes, mean little. It is expensive (about a minute
and a half for all 60,000 training images on two cores), so results are
cached; see :func:`tsne` for what the cache key holds and what makes the
embedding reproducible. :func:`tsne_uncached` computes without the cache.

openTSNE is imported by the functions that use it, not when this module is
imported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_matrix
from .cache import array_digest, cached_arrays, library_versions, source_digest
from .config import get_settings
from .imports import module_closure
from .pca import _as_float, pca
from .sampling import sample_indices

__all__ = ["TSNEResult", "tsne", "tsne_uncached"]

@dataclass(frozen=True, eq=False)
class TSNEResult:
    """A 2-D t-SNE embedding of some rows of a data set.

    Attributes
    ----------
    embedding : ndarray of shape (n_embedded, 2), float32
        Plane coordinates, one row per embedded row.
    index : ndarray of shape (n_embedded,), int64
        Increasing positions in the input of the rows embedded: row ``i``
        of ``embedding`` belongs to ``x[index[i]]`` (and to
        ``y_train[index[i]]`` for colouring by class).
    """

    embedding: np.ndarray
    index: np.ndarray

    def __len__(self) -> int:
        return int(self.embedding.shape[0])


def _tsne_parameters(x, perplexity, sample, seed, pca_components, n_jobs) -> dict:
    """Validate the t-SNE arguments and fill in defaults from the settings."""
    x = check_matrix(x)
    if perplexity is None or sample is None or seed is None:
        settings = get_settings()
        perplexity = settings.tsne_perplexity if perplexity is None else perplexity
        sample = settings.tsne_sample if sample is None else sample
        seed = settings.seed if seed is None else seed
    if isinstance(perplexity, bool) or not isinstance(perplexity, (int, float, np.number)):
        raise ValueError(f"perplexity must be a positive number, got {perplexity!r}")
    if not np.isfinite(perplexity) or perplexity <= 0:
        raise ValueError(f"perplexity must be a positive number, got {perplexity!r}")
    sample = check_int("sample", sample)
    seed = check_int("seed", seed, minimum=0)
    n_jobs = check_int("n_jobs", n_jobs)
    n_embedded = min(sample, len(x))
    if 3 * perplexity >= n_embedded:
        raise ValueError(
            f"perplexity must be less than a third of the points embedded, got "
            f"perplexity {perplexity:g} for {n_embedded} points"
        )
    if pca_components is not None:
        pca_components = check_int(
            "pca_components", pca_components, maximum=min(n_embedded, x.shape[1])
        )
    return {
        "x": x,
        "perplexity": float(perplexity),
        "sample": sample,
        "seed": seed,
        "pca_components": pca_components,
        "n_jobs": n_jobs,
    }


def _embed(x, *, perplexity, sample, seed, pca_components, n_jobs) -> dict:
    from openTSNE import TSNE

    index = sample_indices(len(x), sample, seed)
    data = x[index] if len(index) < len(x) else x
    if pca_components is not None:
        data = pca(data, pca_components, seed=seed).scores
    data = np.ascontiguousarray(_as_float(data))
    model = TSNE(
        n_components=2,
        perplexity=perplexity,
        initialization="pca",
        n_jobs=n_jobs,
        random_state=seed,
        verbose=False,
    )
    embedding = model.fit(data)
    # A plain array: the TSNEEmbedding object also holds the affinity matrix.
    return {"embedding": np.array(embedding, dtype=np.float32), "index": index}


def tsne_uncached(
    x,
    *,
    perplexity: float | None = None,
    sample: int | None = None,
    seed: int | None = None,
    pca_components: int | None = None,
    n_jobs: int = 2,
) -> TSNEResult:
    """Compute a t-SNE embedding without the cache (for benchmarks and tests).

    Takes the same arguments as :func:`tsne` (except the cache options) and
    returns the same result.
    """
    params = _tsne_parameters(x, perplexity, sample, seed, pca_components, n_jobs)
    arrays = _embed(**params)
    return TSNEResult(embedding=arrays["embedding"], index=arrays["index"])


def tsne(
    x,
    *,
    perplexity: float | None = None,
    sample: int | None = None,
    seed: int | None = None,
    pca_components: int | None = None,
    n_jobs: int = 2,
    cache_dir=None,
    progress=None,
    cache: bool = True,
) -> TSNEResult:
    """Embed the rows of ``x`` in the plane with t-SNE, cached.

    Runs :class:`openTSNE.TSNE` with PCA initialisation, the given
    perplexity and seed, and openTSNE's defaults otherwise (approximate
    nearest neighbours with Annoy from 1,000 points up, exact below;
    FFT-interpolated gradients from 10,000 points up, Barnes-Hut below;
    750 iterations). openTSNE prints nothing (``verbose=False``).

    Reproducibility: the same ``x`` and arguments give the same embedding,
    bit for bit (checked on 60,000 x 128 rows with 5 % duplicated rows,
    ``n_jobs=2``, twice). On large inputs the embedding also depends on
    ``n_jobs``: Annoy seeds each thread that builds its search trees with
    ``seed + thread number``, so another thread count builds other trees,
    and once the search is approximate (tens of thousands of points) it
    finds slightly different neighbours (for 60,000 rows, 1 and 2 threads
    gave affinities differing by up to 5e-6). That is why ``n_jobs`` is a
    fixed number, not "all cores" (which would differ between machines),
    and part of the cache key. Small inputs, where the neighbour search is
    exhaustive, and the optimisation itself give identical results for any
    number of threads.

    Cost, measured on a two-core machine with ``n_jobs=2``: 60,000 rows of
    128 values 70-80 s when the machine was otherwise idle (145 s while
    other jobs ran); 60,000 MNIST images reduced to 50 principal components
    about 90 s; a 2,000-image draft about 4 s.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Hidden activations (60000 x 128) or pixels (60000 x 784; pass
        ``pca_components=50``).
    perplexity : float, optional
        Roughly the number of neighbours each point keeps close; must be
        less than a third of the points embedded. Defaults to the
        ``tsne_perplexity`` setting (30).
    sample : int, optional
        Embed this many rows, drawn at random without replacement with
        ``seed`` (all rows when ``sample >= n_samples``). Defaults to the
        ``tsne_sample`` setting (60,000, that is every training image;
        2,000 in draft mode).
    seed : int, optional
        Seed for the subsample, the PCA and t-SNE. Defaults to the ``seed``
        setting (42).
    pca_components : int, optional
        Reduce the embedded rows to this many principal components first
        (see :func:`~mnist_lesson.pca.pca`); the book uses 50 for pixels. None embeds ``x``
        as it is.
    n_jobs : int, default 2
        Threads for the neighbour search and the optimisation.
    cache_dir : path-like, optional
        The cache root; defaults to the ``cache_dir`` setting. Entries live
        under ``<cache_dir>/tsne/``, keyed by the SHA-256 of ``x`` (with its
        dtype and shape), every argument above, the code of this module and of
        the package modules it imports (``_key_modules``) and the versions
        of openTSNE, scikit-learn and NumPy.
    progress : callable, optional
        Called with a line of text on a cache hit or miss.
    cache : bool, default True
        False computes afresh and stores nothing (as :func:`tsne_uncached`).

    Returns
    -------
    TSNEResult
        ``embedding`` of shape (n_embedded, 2), float32, and ``index``, the
        sorted positions of the embedded rows in ``x``.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D array or an argument is out of range
        (the message names it).
    """
    params = _tsne_parameters(x, perplexity, sample, seed, pca_components, n_jobs)
    if not cache:
        arrays = _embed(**params)
        return TSNEResult(embedding=arrays["embedding"], index=arrays["index"])
    if cache_dir is None:
        cache_dir = get_settings().cache_dir
    parts = {
        "x": array_digest(params["x"]),
        "perplexity": params["perplexity"],
        "sample": min(params["sample"], len(params["x"])),
        "seed": params["seed"],
        "pca_components": params["pca_components"],
        "n_jobs": params["n_jobs"],
        "source": source_digest(*_key_modules(params["pca_components"])),
        "versions": library_versions("openTSNE", "scikit-learn", "numpy"),
    }
    arrays = cached_arrays(
        "tsne", parts, lambda: _embed(**params), cache_dir=cache_dir, progress=progress
    )
    return TSNEResult(embedding=arrays["embedding"], index=arrays["index"])


def _key_modules(pca_components: int | None) -> list[str]:
    """The package modules whose code is part of a t-SNE cache key.

    This module and every ``mnist_lesson`` module it imports
    (``mnist_lesson.imports.module_closure``), except :mod:`mnist_lesson.pca`
    when ``pca_components`` is None: then no PCA runs before the embedding, so
    an edit to the PCA code does not change the result.
    """
    modules = module_closure([__name__])
    if pca_components is None:
        modules = [m for m in modules if m != "mnist_lesson.pca"]
    return modules
