"""Project many dimensions onto a few: PCA and t-SNE.

:func:`pca` finds the directions along which the data vary most (principal
components) and gives each row its coordinates along them (scores); two of
them make a scatter plot, a few dozen reconstruct a digit recognisably.
:func:`explained_variance` answers how many components keep 95 % of the
variance, and :func:`reconstruct` rebuilds rows from the first ``k``.

:func:`tsne` places each row on a plane so that rows that are near
neighbours in the original space stay near each other (openTSNE's FFT-
accelerated t-SNE). Unlike PCA it is not a linear map: distances between
clusters, and cluster sizes, mean little. It is expensive (about a minute
and a half for all 60,000 training images on two cores), so results are
cached; see :func:`tsne` for what the cache key holds and what makes the
embedding reproducible.

:func:`neighbour_agreement`, :func:`class_spread` and
:func:`centroid_distances` measure how the classes sit in a projection:
whether near neighbours share a class, how wide each class is, and how far
apart the class centres are.

scikit-learn and openTSNE are imported by the functions that use them, not
when this module is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ._checks import check_int
from .cache import array_digest, cached_arrays, library_versions, source_digest
from .config import get_settings

__all__ = [
    "PCAResult",
    "TSNEResult",
    "pca",
    "explained_variance",
    "components_for_variance",
    "reconstruct",
    "tsne",
    "tsne_uncached",
    "sample_indices",
    "neighbour_agreement",
    "class_spread",
    "centroid_distances",
]

# Rows per block when accumulating the covariance matrix in float64.
_CHUNK_ROWS = 8192

# Slack allowed when a cumulative variance ratio is compared with a fraction.
_RATIO_TOLERANCE = 1e-9


# --------------------------------------------------------------------------
# Checks


def _check_data(x, name: str = "x", *, min_rows: int = 1) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(
            f"{name} must have shape (n_samples, n_features), for example images "
            f"flattened to 784 pixels, got shape {x.shape}"
        )
    if len(x) < min_rows:
        raise ValueError(f"{name} must have at least {min_rows} rows, got {len(x)}")
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise ValueError(f"{name} must hold real numbers, got dtype {x.dtype}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return x


def _as_float(x: np.ndarray) -> np.ndarray:
    """Keep float32 and float64 as they are; turn anything else into float32."""
    if x.dtype in (np.float32, np.float64):
        return x
    return x.astype(np.float32)


# --------------------------------------------------------------------------
# PCA


@dataclass(frozen=True, eq=False)
class PCAResult:
    """A fitted principal component analysis.

    Attributes
    ----------
    scores : ndarray of shape (n_samples, n_components)
        Coordinates of each row along the components (the projected data).
    components : ndarray of shape (n_components, n_features)
        Unit-length directions of largest variance, largest first.
    mean : ndarray of shape (n_features,)
        The mean row, subtracted before projecting.
    explained_variance_ratio : ndarray of shape (n_components,)
        Share of the total variance along each component.
    """

    scores: np.ndarray
    components: np.ndarray
    mean: np.ndarray
    explained_variance_ratio: np.ndarray

    @property
    def n_components(self) -> int:
        """Number of components kept."""
        return int(self.components.shape[0])

    @property
    def cumulative(self) -> np.ndarray:
        """Share of the variance kept by the first 1, 2, ... components.

        Returns
        -------
        ndarray of shape (n_components,)
            The running sum of ``explained_variance_ratio``.
        """
        return np.cumsum(self.explained_variance_ratio)


def _has_covariance_eigh() -> bool:
    """Whether scikit-learn's PCA offers ``svd_solver="covariance_eigh"`` (1.5+)."""
    import sklearn

    match = re.match(r"(\d+)\.(\d+)", sklearn.__version__)
    return match is not None and (int(match[1]), int(match[2])) >= (1, 5)


def _pca_solver(n_samples: int, n_features: int, n_components: int) -> str:
    if n_features <= 1000 and n_samples >= 10 * n_features and _has_covariance_eigh():
        return "covariance_eigh"
    if max(n_samples, n_features) > 500 and n_components < 0.8 * min(n_samples, n_features):
        return "randomized"
    return "full"


def pca(x, n_components: int = 50, *, seed: int | None = None) -> PCAResult:
    """Fit a principal component analysis and project the rows onto it.

    Uses :class:`sklearn.decomposition.PCA` with a solver chosen
    explicitly, so the result does not depend on scikit-learn's ``"auto"``
    rules of the day:

    * ``"covariance_eigh"`` when there are at least ten times more rows than
      features and at most 1,000 features (MNIST: 60,000 x 784). It is
      exact, has no randomness and takes about a second for all the
      training images (scikit-learn 1.5 or later; older versions use one
      of the two below);
    * otherwise ``"randomized"`` (with ``random_state=seed``) when the data
      are larger than 500 in one direction and fewer than 80 % of the
      possible components are asked for;
    * otherwise the exact ``"full"`` SVD.

    Every path is deterministic for a given ``seed``, and component signs
    follow scikit-learn's fixed convention.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Images flattened to 784 pixels, or hidden activations.
    n_components : int, default 50
        Components to keep, at most ``min(n_samples, n_features)``.
    seed : int, optional
        Seed of the randomized solver; defaults to the ``seed`` setting.

    Returns
    -------
    PCAResult
        ``scores`` in the float type of ``x`` (float32 for integer input).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(100, 3)) * [5.0, 1.0, 0.1]
    >>> result = pca(x, 2, seed=0)
    >>> result.scores.shape, result.components.shape
    ((100, 2), (2, 3))
    >>> bool(result.cumulative[-1] > 0.99)
    True
    """
    from sklearn.decomposition import PCA

    x = _as_float(_check_data(x, min_rows=2))
    n_samples, n_features = x.shape
    n_components = check_int(
        "n_components", n_components, maximum=min(n_samples, n_features)
    )
    if seed is None:
        seed = get_settings().seed
    seed = check_int("seed", seed, minimum=0)
    model = PCA(
        n_components=n_components,
        svd_solver=_pca_solver(n_samples, n_features, n_components),
        random_state=seed,
    )
    scores = model.fit_transform(x)
    return PCAResult(
        scores=scores,
        components=model.components_,
        mean=model.mean_,
        explained_variance_ratio=model.explained_variance_ratio_,
    )


def explained_variance(x) -> np.ndarray:
    """Return the share of variance along every principal component.

    Computes the eigenvalues of the covariance matrix (in float64, a block
    of rows at a time) rather than a full SVD, which takes a second or two
    for 60,000 x 784 instead of a minute.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        At least two rows, not all equal.

    Returns
    -------
    ndarray of shape (n_features,), float64
        Ratios in decreasing order, summing to 1. With fewer rows than
        features the ratios past ``n_samples - 1`` are (about) zero.

    Examples
    --------
    >>> x = np.array([[0.0, 0.0], [2.0, 1.0], [4.0, 2.0]])
    >>> explained_variance(x).round(6)
    array([1., 0.])
    """
    x = _check_data(x, min_rows=2)
    n_samples, n_features = x.shape
    mean = np.zeros(n_features)
    for start in range(0, n_samples, _CHUNK_ROWS):
        mean += x[start:start + _CHUNK_ROWS].sum(axis=0, dtype=np.float64)
    mean /= n_samples
    scatter = np.zeros((n_features, n_features))
    for start in range(0, n_samples, _CHUNK_ROWS):
        block = x[start:start + _CHUNK_ROWS].astype(np.float64) - mean
        scatter += block.T @ block
    eigenvalues = np.clip(np.linalg.eigvalsh(scatter)[::-1], 0.0, None)
    total = eigenvalues.sum()
    if total <= 0:
        raise ValueError("x must vary: every row is the same, so there is no variance to explain")
    return eigenvalues / total


def components_for_variance(explained_variance_ratio_full, fraction: float = 0.95) -> int:
    """Return how many components keep at least ``fraction`` of the variance.

    Parameters
    ----------
    explained_variance_ratio_full : array-like of shape (n_components,)
        Ratios of all components, largest first, as from
        :func:`explained_variance` (those of a truncated PCA work when they
        reach ``fraction``).
    fraction : float, default 0.95
        Share of the variance to keep, in (0, 1].

    Returns
    -------
    int
        The smallest ``k`` whose first ``k`` ratios add up to ``fraction``
        or more (allowing a rounding slack of 1e-9).

    Raises
    ------
    ValueError
        If ``fraction`` is outside (0, 1], the ratios are not a 1-D array of
        non-negative numbers, or they never add up to ``fraction``.

    Examples
    --------
    >>> components_for_variance([0.6, 0.3, 0.08, 0.02], 0.95)
    3
    """
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float, np.floating, np.integer)):
        raise ValueError(f"fraction must be a number in (0, 1], got {fraction!r}")
    if not 0 < fraction <= 1:
        raise ValueError(f"fraction must lie in (0, 1], got {fraction}")
    ratios = np.asarray(explained_variance_ratio_full, dtype=np.float64)
    if ratios.ndim != 1 or ratios.size == 0:
        raise ValueError(
            "explained_variance_ratio_full must be a non-empty 1-D array, got shape "
            f"{ratios.shape}"
        )
    if not np.all(np.isfinite(ratios)) or ratios.min() < 0:
        raise ValueError("explained_variance_ratio_full must hold non-negative finite ratios")
    cumulative = np.cumsum(ratios)
    reached = cumulative >= fraction - _RATIO_TOLERANCE
    if not reached.any():
        raise ValueError(
            f"the ratios add up to {cumulative[-1]:.4f}, less than fraction {fraction}; "
            "pass the ratios of every component (explained_variance(x))"
        )
    return int(np.argmax(reached)) + 1


def reconstruct(x, result_or_fit, k: int) -> np.ndarray:
    """Rebuild rows of ``x`` from their first ``k`` principal components.

    Each row is projected onto the first ``k`` components and mapped back:
    ``mean + ((x - mean) @ C.T) @ C`` with ``C`` the first ``k`` rows of
    the components. Fit once with enough components, then reconstruct
    with as few as you like.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Rows to rebuild (they need not be the rows the PCA was fitted on).
    result_or_fit : PCAResult or fitted sklearn.decomposition.PCA
        The fitted analysis (anything with ``components`` and ``mean``, or
        scikit-learn's ``components_`` and ``mean_``).
    k : int
        Components to use, from 0 (every row becomes the mean) to the
        number fitted.

    Returns
    -------
    ndarray of shape (n_samples, n_features)
        float32 unless ``x`` is float64.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(50, 4))
    >>> result = pca(x, 4, seed=0)
    >>> bool(np.allclose(reconstruct(x, result, 4), x))
    True
    >>> bool(np.allclose(reconstruct(x, result, 0), x.mean(axis=0)))
    True
    """
    if isinstance(result_or_fit, PCAResult):
        components, mean = result_or_fit.components, result_or_fit.mean
    elif hasattr(result_or_fit, "components_") and hasattr(result_or_fit, "mean_"):
        components, mean = result_or_fit.components_, result_or_fit.mean_
    else:
        raise ValueError(
            "result_or_fit must be a PCAResult or a fitted sklearn PCA, got "
            f"{type(result_or_fit).__name__}"
        )
    components = np.asarray(components, dtype=np.float64)
    mean = np.asarray(mean, dtype=np.float64)
    x = _check_data(x)
    if x.shape[1] != mean.shape[0]:
        raise ValueError(
            f"x must have {mean.shape[0]} features like the fitted PCA, got {x.shape[1]}"
        )
    k = check_int("k", k, minimum=0, maximum=components.shape[0])
    basis = components[:k]
    centred = x.astype(np.float64) - mean
    rebuilt = (centred @ basis.T) @ basis + mean
    dtype = np.float64 if x.dtype == np.float64 else np.float32
    return rebuilt.astype(dtype)


# --------------------------------------------------------------------------
# How the classes sit in a projection


def _check_points_labels(points, labels, *, min_rows: int = 1):
    points = _check_data(points, "points", min_rows=min_rows)
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(points):
        raise ValueError(
            f"labels must have shape (n_samples,) with one label per row of points "
            f"({len(points)}), got shape {labels.shape}"
        )
    return points, labels


def neighbour_agreement(points, labels, *, k: int = 10, n_jobs: int = 2) -> float:
    """Return the share of each row's ``k`` nearest neighbours that have its label.

    For every row, find its ``k`` nearest other rows (Euclidean distance)
    and count how many carry the same label; average over the rows. A
    projection in which the classes form separate groups scores close to
    1; one in which they are thoroughly mixed scores about the share of
    the most common classes (0.1 for ten equal classes).

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates: two principal components, a t-SNE map, or the
        original rows.
    labels : array-like of shape (n_samples,)
        Class of each row.
    k : int, default 10
        Neighbours per row, fewer than ``n_samples``.
    n_jobs : int, default 2
        Threads for the neighbour search.

    Returns
    -------
    float
        A share between 0 and 1.

    Notes
    -----
    The search is exact (:class:`sklearn.neighbors.NearestNeighbors`). In
    two dimensions it takes well under a second for 60,000 rows; in
    dozens of dimensions its cost grows with ``n_samples ** 2``, so pass a
    sample of a few thousand rows. A row's exact duplicates count as its
    neighbours; the row itself does not.

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> neighbour_agreement(points, [0, 0, 0, 1, 1, 1], k=2)
    1.0
    >>> neighbour_agreement(points, [0, 1, 0, 1, 0, 1], k=1)
    0.0
    """
    from sklearn.neighbors import NearestNeighbors

    points, labels = _check_points_labels(points, labels, min_rows=2)
    k = check_int("k", k, maximum=len(points) - 1)
    n_jobs = check_int("n_jobs", n_jobs)
    search = NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs).fit(points)
    found = search.kneighbors(points, return_distance=False)
    # Drop each row itself; when a tie with a duplicate pushed it out of the
    # k + 1 found, drop the farthest instead.
    is_self = found == np.arange(len(points))[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    neighbours = found[~is_self].reshape(len(points), k)
    return float(np.mean(labels[neighbours] == labels[:, None]))


def _rms_radius(points: np.ndarray) -> float:
    """Root-mean-square distance of the rows from their mean."""
    return float(np.sqrt(np.mean(np.sum((points - points.mean(axis=0)) ** 2, axis=1))))


def class_spread(points, labels) -> np.ndarray:
    """Return how widely each class is spread, relative to all the rows.

    The spread of a class is the root-mean-square distance of its rows from
    their mean (the class centre), divided by the same quantity for all the
    rows and the overall mean. A value of 0.5 means the class fills about
    half the radius of the whole cloud. Dividing by the overall spread makes
    values from spaces of different scale comparable (pixels, hidden
    activations, a t-SNE map).

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    labels : array-like of shape (n_samples,)
        Class of each row.

    Returns
    -------
    ndarray of shape (n_classes,), float64
        One value per class, in the order of ``np.unique(labels)`` (for
        digits, entry ``k`` belongs to digit ``k``).

    Examples
    --------
    >>> points = np.array([[-1.0, 0.0], [1.0, 0.0], [9.0, 0.0], [11.0, 0.0]])
    >>> class_spread(points, [0, 0, 1, 1]).round(3)
    array([0.196, 0.196])
    """
    points, labels = _check_points_labels(points, labels, min_rows=2)
    points = points.astype(np.float64)
    total = _rms_radius(points)
    if total == 0:
        raise ValueError("points must vary: every row is the same, so there is no spread to compare")
    spreads = []
    for label in np.unique(labels):
        spreads.append(_rms_radius(points[labels == label]))
    return np.asarray(spreads) / total


def centroid_distances(points, labels) -> np.ndarray:
    """Return the Euclidean distances between the class centres.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    labels : array-like of shape (n_samples,)
        Class of each row.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), float64
        Entry ``[i, j]`` is the distance between the mean row of class
        ``i`` and that of class ``j`` (classes in the order of
        ``np.unique(labels)``); symmetric, with zeros on the diagonal.

    Examples
    --------
    >>> points = np.array([[0.0, 0.0], [0.0, 2.0], [3.0, 1.0], [3.0, 1.0]])
    >>> centroid_distances(points, [0, 0, 1, 1])
    array([[0., 3.],
           [3., 0.]])
    """
    points, labels = _check_points_labels(points, labels)
    points = points.astype(np.float64)
    centres = np.array([points[labels == label].mean(axis=0) for label in np.unique(labels)])
    return np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)


# --------------------------------------------------------------------------
# t-SNE


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


def sample_indices(n_rows: int, sample: int, seed: int) -> np.ndarray:
    """Return sorted positions of ``sample`` of ``n_rows`` rows, drawn with ``seed``.

    All rows (``0 .. n_rows - 1``) when ``sample >= n_rows``; otherwise a
    random choice without replacement from ``numpy.random.default_rng(seed)``.

    Examples
    --------
    >>> sample_indices(5, 10, seed=0)
    array([0, 1, 2, 3, 4])
    >>> len(sample_indices(100, 10, seed=0))
    10
    """
    n_rows = check_int("n_rows", n_rows)
    sample = check_int("sample", sample)
    seed = check_int("seed", seed, minimum=0)
    if sample >= n_rows:
        return np.arange(n_rows, dtype=np.int64)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_rows, size=sample, replace=False)).astype(np.int64)


def _tsne_parameters(x, perplexity, sample, seed, pca_components, n_jobs) -> dict:
    """Validate the t-SNE arguments and fill in defaults from the settings."""
    x = _check_data(x)
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
        (see :func:`pca`); the book uses 50 for pixels. None embeds ``x``
        as it is.
    n_jobs : int, default 2
        Threads for the neighbour search and the optimisation.
    cache_dir : path-like, optional
        The cache root; defaults to the ``cache_dir`` setting. Entries live
        under ``<cache_dir>/tsne/``, keyed by the SHA-256 of ``x`` (with its
        dtype and shape), every argument above, this module's source and the
        versions of openTSNE, scikit-learn and NumPy.
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
        "source": source_digest("mnist_lesson.projection"),
        "versions": library_versions("openTSNE", "scikit-learn", "numpy"),
    }
    arrays = cached_arrays(
        "tsne", parts, lambda: _embed(**params), cache_dir=cache_dir, progress=progress
    )
    return TSNEResult(embedding=arrays["embedding"], index=arrays["index"])
