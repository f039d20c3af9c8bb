"""Which inputs matter: random-forest feature importance of pixels or units.

A random forest learns to tell the digits apart from a table of inputs:
the 784 pixels of each image, or the 128 hidden activations the network
computes from them. Each split of each tree picks the input that best
separates the classes at that point, and the (impurity-based) importance of
an input is how much its splits reduce class impurity, summed over all
trees and scaled so that all importances add up to 1. Pixels at the border
are never used and score 0; the informative pixels sit in the middle of
the 28x28 grid.

The forest is fitted on a seeded random subsample of the rows
(``forest_sample`` in :mod:`mnist_lesson.config`, 10,000 by default), which
keeps a book build fast: see :func:`feature_importance` for the measured
cost. :func:`cached_feature_importance` stores the result in the project's
cache, keyed by the data, the parameters, this module's source and the
library versions.
"""

from __future__ import annotations

import re

import numpy as np

from ._checks import check_int
from .cache import array_digest, cached_arrays, library_versions, source_digest
from .config import get_settings

__all__ = [
    "feature_importance",
    "cached_feature_importance",
    "feature_subset_accuracy",
    "top_features",
    "top_pair",
    "pixel_position",
    "pixel_label",
    "IMAGE_SIDE",
    "N_ESTIMATORS",
    "MIN_SAMPLES_LEAF",
    "SUBSET_ESTIMATORS",
]

#: Height and width of an MNIST image; pixel ``i`` sits at ``divmod(i, 28)``.
IMAGE_SIDE = 28

#: Trees per forest (see :func:`feature_importance` for the timing behind it).
N_ESTIMATORS = 500

#: Smallest number of rows in a leaf: stops trees from splitting single images.
MIN_SAMPLES_LEAF = 5

#: Trees per forest in :func:`feature_subset_accuracy` (a few features need fewer).
SUBSET_ESTIMATORS = 100

_KIND_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def _check_xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValueError(
            "x must have shape (n_samples, n_features), for example images flattened "
            f"to 784 pixels, got shape {x.shape}"
        )
    if not np.issubdtype(x.dtype, np.number) or np.issubdtype(x.dtype, np.complexfloating):
        raise ValueError(f"x must hold real numbers, got dtype {x.dtype}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x must hold finite numbers, got NaN or infinity")
    if y.ndim != 1:
        raise ValueError(f"y must be one-dimensional (n_samples,), got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class numbers, got dtype {y.dtype}")
    if len(y) != len(x):
        raise ValueError(
            f"x and y must have the same number of rows, got {len(x)} and {len(y)}"
        )
    if len(np.unique(y)) < 2:
        raise ValueError(
            f"y must hold at least two classes to tell apart, got {np.unique(y).tolist()}"
        )
    return x, y


def _resolve(seed, sample) -> tuple[int, int]:
    if seed is None or sample is None:
        settings = get_settings()
        seed = settings.seed if seed is None else seed
        sample = settings.forest_sample if sample is None else sample
    return check_int("seed", seed, minimum=0), check_int("sample", sample)


def _subsample(n_rows: int, sample: int, seed: int) -> np.ndarray:
    """Return sorted positions of ``sample`` rows drawn without replacement."""
    if sample >= n_rows:
        return np.arange(n_rows)
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n_rows, size=sample, replace=False))


def _forest(n_estimators: int, seed: int):
    """The random forest of this module: sqrt(d) features per split, leaves of 5+ rows."""
    from sklearn.ensemble import RandomForestClassifier

    return RandomForestClassifier(
        n_estimators=n_estimators,
        max_features="sqrt",
        min_samples_leaf=MIN_SAMPLES_LEAF,
        n_jobs=-1,
        random_state=seed,
    )


def feature_importance(
    x,
    y,
    *,
    sample: int | None = None,
    n_estimators: int = N_ESTIMATORS,
    seed: int | None = None,
) -> np.ndarray:
    """Return a random forest's importance of each input feature.

    Fits :class:`sklearn.ensemble.RandomForestClassifier` to tell the
    classes ``y`` apart from the features ``x`` and returns its
    impurity-based importances (mean decrease in Gini impurity). A random
    forest rather than extremely randomised trees: its splits are the best
    threshold on each candidate feature, so an informative pixel wins its
    splits and collects importance, where random thresholds spread the
    importance more evenly over weak neighbours. The forest uses
    ``max_features="sqrt"`` (28 of 784 pixels tried per split),
    ``min_samples_leaf=5`` and all cores (``n_jobs=-1``); the result does
    not depend on the number of cores.

    Cost and the choice of 500 trees, measured on MNIST (10,000 training
    images drawn with seed 42, 784 pixels rescaled to 0..1) on a shared
    two-core machine: 100 trees take 2-3 s, 300 trees 6-7 s and 500 trees
    11-14 s. The time grows with the number of trees, while the ranking of
    the top pixels settles: with 100 trees the second most important pixel
    changed with the seed (434, 350, 378), with 500 trees three seeds agree
    on pixel 378 first and 350 or 377 second (neighbours near the centre,
    nearly tied). ``ExtraTreesClassifier`` was no faster here (3.2 s for 100
    trees) and its random thresholds spread importance over weaker
    neighbours, so the maps are noisier. ``min_samples_leaf=5`` keeps trees
    from splitting off single images, which made about 130 more pixels get
    a (tiny) importance without changing the top of the ranking. Draft
    builds (``forest_sample`` 3,000) take a few seconds.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Images flattened to 784 pixels, or hidden activations (128 units).
    y : array-like of shape (n_samples,)
        Class of each row (at least two different classes).
    sample : int, optional
        Fit on this many rows, drawn at random without replacement with
        ``seed`` (all rows when ``sample >= n_samples``). Defaults to the
        ``forest_sample`` setting (10,000; 3,000 in draft mode).
    n_estimators : int, default 500
        Trees in the forest; fewer are faster and noisier (see above).
    seed : int, optional
        Seed for the subsample and the forest. Defaults to the ``seed``
        setting (42). The same seed gives the same importances.

    Returns
    -------
    importances : ndarray of shape (n_features,), float64
        Non-negative, summing to 1; features never used by a split (such as
        the always-blank border pixels) score 0.

    Raises
    ------
    ValueError
        If ``x`` is not 2-D and finite, ``y`` does not match it or holds one
        class only, or a parameter is out of range.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 200)
    >>> x = np.column_stack([rng.normal(size=200), y + rng.normal(0, 0.1, 200)])
    >>> importances = feature_importance(x, y, n_estimators=10, seed=0)
    >>> importances.shape, int(np.argmax(importances)), round(float(importances.sum()), 6)
    ((2,), 1, 1.0)
    """
    x, y = _check_xy(x, y)
    seed, sample = _resolve(seed, sample)
    n_estimators = check_int("n_estimators", n_estimators)
    rows = _subsample(len(x), sample, seed)
    x_fit, y_fit = x[rows], y[rows]
    if len(np.unique(y_fit)) < 2:
        raise ValueError(
            f"the subsample of {len(rows)} rows holds a single class; increase sample"
        )
    forest = _forest(n_estimators, seed)
    # Trees split on float32 internally; converting once avoids a float64 copy.
    forest.fit(x_fit.astype(np.float32, copy=False), y_fit)
    importances = np.asarray(forest.feature_importances_, dtype=np.float64)
    total = importances.sum()
    return importances / total if total > 0 else importances


def cached_feature_importance(
    x,
    y,
    *,
    kind_name: str,
    cache_dir=None,
    sample: int | None = None,
    n_estimators: int = N_ESTIMATORS,
    seed: int | None = None,
    progress=None,
) -> np.ndarray:
    """Like :func:`feature_importance`, but stored in and read from the cache.

    The entry lives under ``<cache_dir>/<kind_name>/<key>/``; the key is a
    digest of ``x`` and ``y`` (SHA-256 of their bytes, with dtype and
    shape), ``sample``, ``n_estimators``, ``seed``, the source of this
    module and the versions of scikit-learn and NumPy. Changing any of them
    computes a new entry; nothing stale is ever returned.

    Parameters
    ----------
    x, y, sample, n_estimators, seed
        As for :func:`feature_importance`.
    kind_name : str
        The cache folder for this kind of result, such as
        ``"pixel_importance"`` or ``"hidden_importance"``; letters, digits,
        ``-`` and ``_`` only.
    cache_dir : path-like, optional
        The cache root; defaults to the ``cache_dir`` setting.
    progress : callable, optional
        Called with a line of text on a cache hit or miss.

    Returns
    -------
    importances : ndarray of shape (n_features,), float64
    """
    if not isinstance(kind_name, str) or not _KIND_PATTERN.match(kind_name):
        raise ValueError(
            "kind_name must be a folder name of letters, digits, '-' and '_', "
            f"got {kind_name!r}"
        )
    x, y = _check_xy(x, y)
    seed, sample = _resolve(seed, sample)
    n_estimators = check_int("n_estimators", n_estimators)
    if cache_dir is None:
        cache_dir = get_settings().cache_dir
    parts = {
        "x": array_digest(x),
        "y": array_digest(y),
        "sample": sample,
        "n_estimators": n_estimators,
        "seed": seed,
        "source": source_digest("mnist_lesson.pixels"),
        "versions": library_versions("scikit-learn", "numpy"),
    }

    def compute() -> dict:
        return {
            "importances": feature_importance(
                x, y, sample=sample, n_estimators=n_estimators, seed=seed
            )
        }

    arrays = cached_arrays(kind_name, parts, compute, cache_dir=cache_dir, progress=progress)
    return arrays["importances"]


def _check_rows(name: str, rows, n_rows: int) -> np.ndarray:
    rows = np.asarray(rows)
    if rows.ndim != 1 or rows.size == 0 or not np.issubdtype(rows.dtype, np.integer):
        raise ValueError(
            f"{name} must be a non-empty 1-D array of integer row positions, "
            f"got shape {rows.shape} and dtype {rows.dtype}"
        )
    if rows.min() < 0 or rows.max() >= n_rows:
        raise ValueError(
            f"{name} must lie between 0 and {n_rows - 1}, got values from {rows.min()} to {rows.max()}"
        )
    return rows


def feature_subset_accuracy(
    x,
    y,
    features,
    *,
    train_rows,
    test_rows,
    sample: int | None = None,
    n_estimators: int = SUBSET_ESTIMATORS,
    seed: int | None = None,
) -> float:
    """Return the accuracy of a random forest that sees only some features.

    How well do two pixels, or two hidden units, tell the ten digits apart
    on their own? This fits a random forest (the same kind as in
    :func:`feature_importance`) on the columns ``features`` of the rows
    ``train_rows`` and returns the share of the rows ``test_rows`` it
    classifies correctly. Keep the two sets of rows apart, for example the
    training and the validation positions of
    :func:`~mnist_lesson.data.load_split`, so that the score is measured on
    images the forest has not seen.

    Fitting a 100-tree forest on 10,000 rows of two features and scoring
    5,000 rows takes one to two seconds on a two-core machine.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Images flattened to 784 pixels, or hidden activations.
    y : array-like of shape (n_samples,)
        Class of each row.
    features : sequence of int
        Columns of ``x`` the forest may use (at least one, no repeats).
    train_rows : array-like of int, shape (n_train,)
        Rows to fit on.
    test_rows : array-like of int, shape (n_test,)
        Rows to score on; none of them may be in ``train_rows``.
    sample : int, optional
        Fit on this many of ``train_rows``, drawn at random without
        replacement with ``seed`` (all of them when ``sample >= n_train``).
        Defaults to the ``forest_sample`` setting (10,000).
    n_estimators : int, default 100
        Trees in the forest.
    seed : int, optional
        Seed of the subsample and the forest; defaults to the ``seed``
        setting. The same seed gives the same accuracy.

    Returns
    -------
    float
        Share of ``test_rows`` whose class the forest predicts, from 0 to 1.

    Raises
    ------
    ValueError
        If ``features`` or the rows are out of range, empty or repeated,
        or the two sets of rows overlap.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 400)
    >>> x = np.column_stack([rng.normal(size=400), y + rng.normal(0, 0.1, 400)])
    >>> rows = np.arange(400)
    >>> feature_subset_accuracy(x, y, [1], train_rows=rows[:300], test_rows=rows[300:],
    ...                         n_estimators=10, seed=0)
    1.0
    """
    x, y = _check_xy(x, y)
    seed, sample = _resolve(seed, sample)
    n_estimators = check_int("n_estimators", n_estimators)
    columns = np.asarray(features)
    if columns.ndim != 1 or columns.size == 0 or not np.issubdtype(columns.dtype, np.integer):
        raise ValueError(f"features must be a non-empty sequence of column positions, got {features!r}")
    if columns.min() < 0 or columns.max() >= x.shape[1]:
        raise ValueError(f"features must lie between 0 and {x.shape[1] - 1}, got {columns.tolist()}")
    if len(np.unique(columns)) != len(columns):
        raise ValueError(f"features must not repeat a column, got {columns.tolist()}")
    train_rows = _check_rows("train_rows", train_rows, len(x))
    test_rows = _check_rows("test_rows", test_rows, len(x))
    shared = np.intersect1d(train_rows, test_rows)
    if shared.size:
        raise ValueError(
            f"train_rows and test_rows must not overlap, got {shared.size} shared rows "
            f"such as {int(shared[0])}"
        )
    fit_rows = train_rows[_subsample(len(train_rows), sample, seed)]
    if len(np.unique(y[fit_rows])) < 2:
        raise ValueError(f"the {len(fit_rows)} rows to fit on hold a single class; use more train_rows")
    forest = _forest(n_estimators, seed)
    forest.fit(x[np.ix_(fit_rows, columns)].astype(np.float32, copy=False), y[fit_rows])
    predicted = forest.predict(x[np.ix_(test_rows, columns)].astype(np.float32, copy=False))
    return float(np.mean(predicted == y[test_rows]))


def top_features(importances, k: int = 2) -> np.ndarray:
    """Return the positions of the ``k`` largest importances, largest first.

    Parameters
    ----------
    importances : array-like of shape (n_features,)
        For example from :func:`feature_importance`.
    k : int, default 2
        How many features to return (at most ``n_features``).

    Returns
    -------
    ndarray of shape (k,), int64
        Feature positions by decreasing importance; on ties the lower
        position comes first.

    Examples
    --------
    >>> top_features([0.1, 0.5, 0.1, 0.3], k=3)
    array([1, 3, 0])
    """
    importances = np.asarray(importances, dtype=np.float64)
    if importances.ndim != 1 or importances.size == 0:
        raise ValueError(
            f"importances must be a non-empty 1-D array (n_features,), got shape {importances.shape}"
        )
    k = check_int("k", k)
    if k > importances.size:
        raise ValueError(f"k must be at most the number of features ({importances.size}), got {k}")
    if np.any(np.isnan(importances)):
        raise ValueError("importances must not contain NaN")
    order = np.argsort(-importances, kind="stable")
    return order[:k].astype(np.int64)


def top_pair(importances) -> tuple[int, int]:
    """Return the two most important features, most important first.

    Examples
    --------
    >>> top_pair([0.1, 0.5, 0.1, 0.3])
    (1, 3)
    """
    first, second = top_features(importances, k=2)
    return int(first), int(second)


def pixel_position(index: int) -> tuple[int, int]:
    """Return the (row, column) of a flattened pixel in the 28x28 image.

    Parameters
    ----------
    index : int
        Position in the flat vector of 784 pixels, from 0 to 783.

    Returns
    -------
    tuple of int
        ``(row, col)``, each from 0 to 27; ``index == row * 28 + col``.

    Examples
    --------
    >>> pixel_position(350)
    (12, 14)
    """
    n_pixels = IMAGE_SIDE * IMAGE_SIDE
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise ValueError(f"index must be an integer pixel position, got {index!r}")
    if not 0 <= index < n_pixels:
        raise ValueError(f"index must lie between 0 and {n_pixels - 1}, got {index}")
    row, col = divmod(int(index), IMAGE_SIDE)
    return row, col


def pixel_label(index: int) -> str:
    """Return a readable name for a flattened pixel, with its row and column.

    Examples
    --------
    >>> pixel_label(350)
    'pixel 350 (row 12, col 14)'
    """
    row, col = pixel_position(index)
    return f"pixel {int(index)} (row {row}, col {col})"
