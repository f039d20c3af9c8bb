"""Principal component analysis: the directions along which the data vary most.

:func:`pca` finds the directions along which the data vary most (principal
components) and gives each row its coordinates along them (scores); two of
them make a scatter plot, a few dozen reconstruct a digit recognisably.
:func:`explained_variance` answers how many components keep 95 % of the
variance (with :func:`components_for_variance`), and :func:`reconstruct`
rebuilds rows from the first ``k``.

scikit-learn is imported by the functions that use it, not when this module
is imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ._checks import check_int, check_matrix
from .config import get_settings

__all__ = [
    "PCAResult",
    "pca",
    "explained_variance",
    "components_for_variance",
    "reconstruct",
]

# Rows per block when accumulating the covariance matrix in float64.
_CHUNK_ROWS = 8192

# Slack allowed when a cumulative variance ratio is compared with a fraction.
_RATIO_TOLERANCE = 1e-9


def _as_float(x: np.ndarray) -> np.ndarray:
    """Keep float32 and float64 as they are; turn anything else into float32."""
    if x.dtype in (np.float32, np.float64):
        return x
    return x.astype(np.float32)


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

    x = _as_float(check_matrix(x, min_rows=2))
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
    x = check_matrix(x, min_rows=2)
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
    x = check_matrix(x)
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
