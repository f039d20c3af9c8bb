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
cache, keyed by the data, the parameters, the code of this module and of
the package modules it imports, and the library versions.

The second half of the module puts results into words for the book's
pixels chapter, so that its sentences stay true whatever the settings (see
:mod:`mnist_lesson.claims`): :func:`ink_profile` (how often a pixel is
blank, grey or fully inked), :func:`favourite_digits` (for which digits a
pixel or unit is non-zero), :func:`grid_distance` and
:func:`neighbour_words`, :func:`neighbour_correlations`,
:func:`mean_abs_correlation`, and the wording helpers
:func:`ignored_features_words`, :func:`box_spread_words`,
:func:`digit_mix_words`, :func:`choosier_words`,
:func:`pair_relation_words` and :func:`redundancy_words`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ._checks import check_int
from .cache import array_digest, cached_arrays, library_versions, source_digest
from .claims import compare_words, join_words, share_words
from .config import get_settings
from .encoding import IMAGE_PIXELS, IMAGE_SIDE
from .imports import module_closure
from .sampling import sample_indices

__all__ = [
    "feature_importance",
    "cached_feature_importance",
    "feature_subset_accuracy",
    "top_features",
    "top_pair",
    "pixel_position",
    "pixel_label",
    "candidates_per_split",
    "ink_profile",
    "Favourites",
    "favourite_digits",
    "grid_distance",
    "neighbour_words",
    "neighbour_correlations",
    "mean_abs_correlation",
    "ignored_features_words",
    "box_spread_words",
    "digit_mix_words",
    "choosier_words",
    "pair_relation_words",
    "redundancy_words",
    "FULL_INK",
    "N_ESTIMATORS",
    "MIN_SAMPLES_LEAF",
    "SUBSET_ESTIMATORS",
]

#: Smallest pixel value (on the 0..1 scale) that the book calls full ink.
FULL_INK = 0.9

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
    rows = sample_indices(len(x), sample, seed)
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
    shape), ``sample``, ``n_estimators``, ``seed``, the code of this
    module and of the package modules it imports
    (``mnist_lesson.imports.module_closure``), and the versions of scikit-learn and NumPy. Changing any of them
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
        "source": source_digest(*module_closure([__name__])),
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
    fit_rows = train_rows[sample_indices(len(train_rows), sample, seed)]
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
    n_pixels = IMAGE_PIXELS
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


def candidates_per_split(n_features: int) -> int:
    """Return how many features the forests of this module try at each split.

    The forests use scikit-learn's ``max_features="sqrt"``: each question
    of each tree chooses among ``max(1, floor(sqrt(n_features)))`` features
    drawn afresh, 28 of the 784 pixels or 11 of 128 hidden units.

    Parameters
    ----------
    n_features : int
        Number of input features (columns), at least 1.

    Returns
    -------
    int
        The number of candidate features per split.

    Examples
    --------
    >>> candidates_per_split(784), candidates_per_split(128), candidates_per_split(3)
    (28, 11, 1)
    """
    n_features = check_int("n_features", n_features)
    return max(1, int(np.sqrt(n_features)))


def _check_values(values, name: str = "values") -> np.ndarray:
    values = np.asarray(values)
    if values.size == 0 or not np.issubdtype(values.dtype, np.number) \
            or np.issubdtype(values.dtype, np.complexfloating):
        raise ValueError(f"{name} must be a non-empty array of real numbers, got shape {values.shape} "
                         f"and dtype {values.dtype}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"{name} must hold finite numbers, got NaN or infinity")
    return values


def ink_profile(values, *, full: float = FULL_INK) -> dict:
    """Return how often pixel values are blank, grey or full ink.

    A pixel value is *blank* at 0, *full* at ``full`` or more and *grey* in
    between; *inked* means not blank.

    Parameters
    ----------
    values : array-like of any shape
        Pixel values on the 0..1 scale, for example one pixel of every image
        (shape ``(n_images,)``) or all pixels of all images
        (``(n_images, 784)``).
    full : float, default :data:`FULL_INK` (0.9)
        Smallest value counted as full ink; between 0 (exclusive) and 1.

    Returns
    -------
    dict
        ``"blank"``, ``"grey"`` and ``"full"``: shares of all values (they
        add up to 1); ``"grey_among_inked"`` and ``"full_among_inked"``:
        shares of the inked values (adding up to 1), NaN when no value is
        inked.

    Raises
    ------
    ValueError
        If ``values`` is empty, not finite or outside 0..1, or ``full`` is
        not in (0, 1].

    Examples
    --------
    >>> profile = ink_profile([0, 0, 0.5, 1.0])
    >>> profile["blank"], profile["grey"], profile["full"], profile["grey_among_inked"]
    (0.5, 0.25, 0.25, 0.5)
    """
    values = _check_values(values)
    if values.min() < 0 or values.max() > 1:
        raise ValueError(
            "values must lie between 0 and 1 (pixels rescaled as in mnist_lesson.preprocess), "
            f"got values from {values.min()} to {values.max()}"
        )
    full = float(full)
    if not 0 < full <= 1:
        raise ValueError(f"full must lie in (0, 1], got {full}")
    inked = values > 0
    is_full = values >= full
    n_inked = int(inked.sum())
    n_full = int(is_full.sum())
    n_grey = n_inked - n_full
    return {
        "blank": float(1 - n_inked / values.size),
        "grey": float(n_grey / values.size),
        "full": float(n_full / values.size),
        "grey_among_inked": float(n_grey / n_inked) if n_inked else float("nan"),
        "full_among_inked": float(n_full / n_inked) if n_inked else float("nan"),
    }


@dataclass(frozen=True)
class Favourites:
    """The digits for which a feature is most often non-zero (see :func:`favourite_digits`).

    Attributes
    ----------
    digits : tuple of int
        The favourite digits, the most often non-zero first.
    names : str
        The digits in words, in increasing order, such as ``"1s or 3s"``.
    share : float
        Share of the images with a non-zero value that show one of ``digits``.
    baseline : float
        Share of all images that show one of ``digits``: what ``share``
        would be if the feature ignored the digit.
    active_share : float
        Share of all images with a non-zero value.
    """

    digits: tuple
    names: str
    share: float
    baseline: float
    active_share: float

    @property
    def lift(self) -> float:
        """``share / baseline``: how many times more common the favourites are among the active images."""
        return self.share / self.baseline


def favourite_digits(values, labels, k: int = 2) -> Favourites:
    """Return the ``k`` digits for which ``values`` is most often non-zero.

    For a pixel, the digits most often inked there; for a hidden unit, the
    digits it most often fires for. Each digit is ranked by the share of its
    own images with a non-zero value (so a rare digit is not penalised), ties
    going to the lower digit. The result also says how much of the non-zero
    images those digits make up (``share``), to compare with how much of all
    images they make up (``baseline``).

    Parameters
    ----------
    values : array-like of shape (n_images,)
        One pixel or one hidden unit for every image.
    labels : array-like of int, shape (n_images,)
        The digit of every image.
    k : int, default 2
        How many favourite digits, at most the number of different labels.

    Returns
    -------
    Favourites
        With the fields ``digits``, ``names``, ``share``, ``baseline`` and
        ``active_share``, and the property ``lift = share / baseline``.

    Raises
    ------
    ValueError
        If the shapes do not match, the labels are not integers, ``k`` is out
        of range or no value is non-zero.

    Examples
    --------
    >>> fav = favourite_digits([0, 1, 1, 0, 1, 0], [0, 1, 1, 2, 3, 3], k=2)
    >>> fav.digits, fav.names, round(fav.share, 3), round(fav.baseline, 3)
    ((1, 3), '1s or 3s', 1.0, 0.667)
    """
    values = _check_values(values)
    labels = np.asarray(labels)
    if values.ndim != 1:
        raise ValueError(f"values must be one-dimensional (n_images,), got shape {values.shape}")
    if labels.shape != values.shape or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"labels must be integers of the same shape as values {values.shape}, "
            f"got shape {labels.shape} and dtype {labels.dtype}"
        )
    digits = np.unique(labels)
    k = check_int("k", k, maximum=len(digits))
    active = values != 0
    if not active.any():
        raise ValueError("values must be non-zero for at least one image, got all zeros")
    rates = np.array([active[labels == d].mean() for d in digits])
    order = np.argsort(-rates, kind="stable")[:k]
    chosen = tuple(int(d) for d in digits[order])
    names = join_words([f"{d}s" for d in sorted(chosen)], conjunction="or")
    return Favourites(
        digits=chosen,
        names=names,
        share=float(np.isin(labels[active], chosen).mean()),
        baseline=float(np.isin(labels, chosen).mean()),
        active_share=float(active.mean()),
    )


def grid_distance(a: int, b: int) -> int:
    """Return how many pixels apart two pixels are on the 28x28 grid.

    The distance counts king's moves (Chebyshev distance): the eight pixels
    around a pixel, diagonal ones included, are at distance 1.

    Examples
    --------
    >>> grid_distance(378, 350), grid_distance(378, 409), grid_distance(0, 29)
    (1, 3, 1)
    """
    row_a, col_a = pixel_position(a)
    row_b, col_b = pixel_position(b)
    return max(abs(row_a - row_b), abs(col_a - col_b))


def neighbour_words(a: int, b: int) -> str:
    """Say where two different pixels lie relative to each other: "neighbours on the grid" or "3 pixels apart".

    Raises
    ------
    ValueError
        If ``a`` and ``b`` are the same pixel.

    Examples
    --------
    >>> neighbour_words(378, 350), neighbour_words(378, 409)
    ('neighbours on the grid', '3 pixels apart on the grid')
    """
    distance = grid_distance(a, b)
    if distance == 0:
        raise ValueError(f"a and b must be two different pixels, got {a} twice")
    if distance == 1:
        return "neighbours on the grid"
    return f"{distance} pixels apart on the grid"


def neighbour_correlations(x, pixel: int) -> np.ndarray:
    """Return the correlation of a pixel with each of its (up to eight) neighbours.

    Parameters
    ----------
    x : array-like of shape (n_images, 784)
        Flattened images.
    pixel : int
        The pixel, from 0 to 783.

    Returns
    -------
    ndarray of shape (n_neighbours,), float64
        Pearson correlations over the images, neighbours in reading order
        (8 inside the grid, fewer at its edge); NaN for a neighbour, or a
        pixel, that never changes.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((50, 784))
    >>> neighbour_correlations(x, 0).shape, neighbour_correlations(x, 378).shape
    ((3,), (8,))
    """
    x = _check_values(x, "x")
    if x.ndim != 2 or x.shape[1] != IMAGE_PIXELS:
        raise ValueError(f"x must have shape (n_images, 784), got shape {x.shape}")
    row, col = pixel_position(pixel)
    neighbours = [
        r * IMAGE_SIDE + c
        for r in range(row - 1, row + 2)
        for c in range(col - 1, col + 2)
        if (r, c) != (row, col) and 0 <= r < IMAGE_SIDE and 0 <= c < IMAGE_SIDE
    ]
    return np.array([_correlation(x[:, pixel], x[:, n]) for n in neighbours])


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    a = np.asarray(a, dtype=np.float64) - np.mean(a)
    b = np.asarray(b, dtype=np.float64) - np.mean(b)
    denominator = np.sqrt((a @ a) * (b @ b))
    return float(a @ b / denominator) if denominator > 0 else float("nan")


def mean_abs_correlation(x, features) -> float:
    """Return the mean absolute correlation between every two of the ``features``.

    A measure of how much a set of features repeats itself: near 0 when each
    varies on its own, near 1 when they move together (or against each other).

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Pixels or hidden activations.
    features : sequence of int
        At least two different columns of ``x``.

    Returns
    -------
    float
        The mean of ``|r|`` over all pairs, leaving out pairs with a constant
        feature (NaN if every pair has one).

    Examples
    --------
    >>> x = np.array([[0, 0, 1], [1, 2, 0], [2, 4, 1], [3, 6, 0]])
    >>> mean_abs_correlation(x, [0, 1]), round(mean_abs_correlation(x, [0, 1, 2]), 3)
    (1.0, 0.631)
    """
    x = _check_values(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must have shape (n_samples, n_features), got shape {x.shape}")
    columns = np.asarray(features)
    if columns.ndim != 1 or columns.size < 2 or not np.issubdtype(columns.dtype, np.integer):
        raise ValueError(f"features must be a sequence of at least two column positions, got {features!r}")
    if columns.min() < 0 or columns.max() >= x.shape[1]:
        raise ValueError(f"features must lie between 0 and {x.shape[1] - 1}, got {columns.tolist()}")
    if len(np.unique(columns)) != len(columns):
        raise ValueError(f"features must not repeat a column, got {columns.tolist()}")
    values = [
        abs(_correlation(x[:, columns[i]], x[:, columns[j]]))
        for i in range(len(columns))
        for j in range(i + 1, len(columns))
    ]
    values = [v for v in values if not np.isnan(v)]
    return float(np.mean(values)) if values else float("nan")


def ignored_features_words(importances, noun: str = "hidden unit") -> str:
    """Say how many features a forest never used (importance exactly 0), as a sentence without a full stop.

    Parameters
    ----------
    importances : array-like of shape (n_features,)
        For example from :func:`feature_importance`.
    noun : str, default "hidden unit"
        What a feature is called; the plural adds an "s".

    Examples
    --------
    >>> ignored_features_words([0.5, 0.5])
    'Every hidden unit has some importance; none is ignored by the forest'
    >>> ignored_features_words([0, 1.0, 0], noun="pixel")
    '2 pixels have no importance at all: the forest never asks about them'
    """
    importances = _check_values(importances, "importances")
    if importances.ndim != 1:
        raise ValueError(f"importances must be one-dimensional (n_features,), got shape {importances.shape}")
    n_zero = int((importances == 0).sum())
    if n_zero == 0:
        return f"Every {noun} has some importance; none is ignored by the forest"
    if n_zero == 1:
        return f"One {noun} has no importance at all: the forest never asks about it"
    return f"{n_zero} {noun}s have no importance at all: the forest never asks about them"


def box_spread_words(ranges, exclude=(), *, wide: float = 0.5) -> str:
    """Say for which digits the middle half of the values is wide, as a sentence without a full stop.

    A box of a box plot spans the middle half of a digit's values, from the
    25% to the 75% quantile. This sorts the digits into those whose box
    spans at least ``wide`` and those whose box is narrower.

    Parameters
    ----------
    ranges : pandas.DataFrame
        One row per digit with columns ``"25%"`` and ``"75%"``, as returned
        by :func:`mnist_lesson.activations.activation_ranges`.
    exclude : sequence, default ()
        Digits to leave out (for example those discussed already); the
        sentence then speaks of "the other digits".
    wide : float, default 0.5
        Smallest box width called wide, on the 0..1 scale of the values.

    Raises
    ------
    ValueError
        If the columns are missing or no digit is left.

    Examples
    --------
    >>> import pandas as pd
    >>> ranges = pd.DataFrame({"25%": [0, 0, 0.1, 0], "75%": [0, 0.9, 0.8, 0.2]})
    >>> box_spread_words(ranges, exclude=[0])
    'For more than half of the other digits (1 and 2) the box spans at least half of the range from 0 to 1; for 3 it is narrower'
    """
    missing = {"25%", "75%"} - set(ranges.columns)
    if missing:
        raise ValueError(f"ranges must have the columns '25%' and '75%' (from activation_ranges), missing {sorted(missing)}")
    others = ranges.drop(index=list(exclude))
    if len(others) == 0:
        raise ValueError("no digit is left after exclude")
    width = others["75%"] - others["25%"]
    wide_digits = [int(d) for d in others.index[width >= wide]]
    narrow_digits = [int(d) for d in others.index[width < wide]]
    group = "the other digits" if len(exclude) else "the digits"
    span = f"at least {'half' if wide == 0.5 else f'{wide:g}'} of the range from 0 to 1"
    if not narrow_digits:
        return f"For all of {group} ({join_words(wide_digits)}) the box spans {span}"
    if not wide_digits:
        return f"For none of {group} does the box span {span}: it is narrower for {join_words(narrow_digits)}"
    share = share_words(len(wide_digits) / len(others))
    return (f"For {share} of {group} ({join_words(wide_digits)}) the box spans {span}; "
            f"for {join_words(narrow_digits)} it is narrower")


def digit_mix_words(labels) -> str:
    """Say how much the most common digit dominates a group of images, as a clause.

    Examples
    --------
    >>> digit_mix_words([0, 0, 1, 2, 3])
    '0s are the most common digit but make up only 40%'
    >>> digit_mix_words([0, 0, 0, 0, 1, 2])
    'more than half are 0s (67%)'
    """
    labels = np.asarray(labels)
    if labels.ndim != 1 or labels.size == 0 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be a non-empty 1-D array of integer digits, got shape {labels.shape} "
                         f"and dtype {labels.dtype}")
    digits, counts = np.unique(labels, return_counts=True)
    top = int(np.argmax(counts))
    digit, share = int(digits[top]), counts[top] / labels.size
    if share > 0.5:
        return f"{share_words(share)} are {digit}s ({share:.0%})"
    return f"{digit}s are the most common digit but make up only {share:.0%}"


def choosier_words(reference: Favourites, others, names, *, reference_name: str,
                   tolerance: float = 0.1) -> str:
    """Say which features are choosier than a reference, by the lift of their favourite digits.

    A feature is *choosier* when its favourite digits (see
    :func:`favourite_digits`) are over-represented among the images for
    which it is non-zero by a larger factor (``lift``) than the reference's,
    by more than ``tolerance``.

    Parameters
    ----------
    reference : Favourites
        The favourites of the feature to compare with (a pixel).
    others : sequence of Favourites
        The favourites of the features to compare (hidden units).
    names : sequence of str
        A name for each of ``others``, such as ``"unit 45"``.
    reference_name : str
        A name for the reference, such as ``"pixel 378"``.
    tolerance : float, default 0.1
        Lifts closer than this count as no choosier.

    Returns
    -------
    str
        A clause such as "unit 45 and unit 18 are both choosier than pixel
        378", "neither unit 30 nor unit 15 is choosier than pixel 378" or
        "unit 45 is choosier than pixel 378, unit 113 is not".

    Examples
    --------
    >>> pixel = Favourites((1, 3), "1s or 3s", 0.35, 0.21, 0.58)
    >>> units = [Favourites((0, 7), "0s or 7s", 0.54, 0.2, 0.33), Favourites((3, 5), "3s or 5s", 0.24, 0.2, 0.34)]
    >>> choosier_words(pixel, units, ["unit 45", "unit 18"], reference_name="pixel 378")
    'unit 45 is choosier than pixel 378; unit 18 is not'
    """
    others = list(others)
    names = [str(n) for n in names]
    if not others or len(names) != len(others):
        raise ValueError(f"others and names must be non-empty and of the same length, got {len(others)} and {len(names)}")
    choosier = [
        compare_words(o.lift, reference.lift, higher="yes", lower="no", same="no", tolerance=tolerance) == "yes"
        for o in others
    ]
    yes = [n for n, c in zip(names, choosier) if c]
    no = [n for n, c in zip(names, choosier) if not c]
    than = f"choosier than {reference_name}"
    if not no:
        if len(yes) == 1:
            return f"{yes[0]} is {than}"
        return f"{join_words(yes)} are {'both' if len(yes) == 2 else 'all'} {than}"
    if not yes:
        if len(no) == 1:
            return f"{no[0]} is not {than}"
        if len(no) == 2:
            return f"neither {no[0]} nor {no[1]} is {than}"
        return f"none of {join_words(no)} is {than}"
    verb_yes, verb_no = ("is" if len(yes) == 1 else "are"), ("is" if len(no) == 1 else "are")
    return f"{join_words(yes)} {verb_yes} {than}; {join_words(no)} {verb_no} not"


def _repeat_level(corr: float) -> str:
    if corr >= 0.5:
        return "partly repeat each other"
    if corr >= 0.2:
        return "repeat each other a little"
    if corr > -0.2:
        return "hardly repeat each other"
    return "tend to be large one at a time"


def pair_relation_words(corr: float, fav_a: Favourites, fav_b: Favourites, *,
                        reference_corr: float | None = None, reference: str = "the two pixels") -> str:
    """Say how two features relate, from their correlation and their favourite digits.

    The correlation gives the first half: "they partly repeat each other"
    (``corr >= 0.5``), "they repeat each other a little" (0.2 to 0.5),
    "they hardly repeat each other" (-0.2 to 0.2) or "they tend to be large
    one at a time" (``corr <= -0.2``). With ``reference_corr``, the
    correlation of another pair, it adds "too" when both pairs partly repeat
    each other, and "unlike <reference>" when one pair partly repeats itself
    and the other hardly does. The favourite digits give the second half:
    whether the two features favour the same, partly the same or different
    digits.

    Parameters
    ----------
    corr : float
        Correlation of the two features, from -1 to 1.
    fav_a, fav_b : Favourites
        Their favourite digits, from :func:`favourite_digits`.
    reference_corr : float, optional
        Correlation of another pair to compare with.
    reference : str, default "the two pixels"
        Words for that other pair.

    Returns
    -------
    str
        A clause starting with "they" or "unlike", without a full stop.

    Examples
    --------
    >>> a = Favourites((0, 7), "0s or 7s", 0.54, 0.2, 0.33)
    >>> b = Favourites((3, 5), "3s or 5s", 0.49, 0.19, 0.34)
    >>> pair_relation_words(-0.08, a, b, reference_corr=0.77)
    'unlike the two pixels, they hardly repeat each other, and they favour different digits (0s or 7s, against 3s or 5s)'
    >>> pair_relation_words(0.77, b, b)
    'they partly repeat each other, and they favour the same digits (3s or 5s)'
    """
    corr = float(corr)
    if not -1 <= corr <= 1:
        raise ValueError(f"corr must lie between -1 and 1, got {corr}")
    level = _repeat_level(corr)
    text = f"they {level}"
    if reference_corr is not None:
        reference_corr = float(reference_corr)
        if not -1 <= reference_corr <= 1:
            raise ValueError(f"reference_corr must lie between -1 and 1, got {reference_corr}")
        other = _repeat_level(reference_corr)
        repeat, hardly = "partly repeat each other", "hardly repeat each other"
        if level == other == repeat:
            text = "they too partly repeat each other"
        elif {level, other} == {repeat, hardly}:
            text = f"unlike {reference}, they {level}"
    shared = set(fav_a.digits) & set(fav_b.digits)
    if set(fav_a.digits) == set(fav_b.digits):
        digits = f"they favour the same digits ({fav_a.names})"
    elif shared:
        common = join_words([f"{d}s" for d in sorted(shared)])
        digits = f"they share {'a favourite digit' if len(shared) == 1 else 'favourite digits'}, {common} ({fav_a.names}, against {fav_b.names})"
    else:
        digits = f"they favour different digits ({fav_a.names}, against {fav_b.names})"
    return f"{text}, and {digits}"


def redundancy_words(gain_a: float, gain_b: float, corr_a: float, corr_b: float, *,
                     names=("the pixels", "the units"), gain_tolerance: float = 0.02,
                     corr_tolerance: float = 0.03) -> str:
    """Say which of two feature sets gains more and whether their redundancy fits, as two sentences.

    Parameters
    ----------
    gain_a, gain_b : float
        Accuracy gained by each set (on the 0..1 scale), for example from two
        to ten features.
    corr_a, corr_b : float
        How much each set repeats itself, for example from
        :func:`mean_abs_correlation`.
    names : pair of str, default ("the pixels", "the units")
        Words for the two sets.
    gain_tolerance, corr_tolerance : float
        Differences up to these count as "about as much".

    Returns
    -------
    str
        Two sentences, the second ending without a full stop, such as "The
        units gain more. The pixels repeat one another more than the units
        do, which fits: features that repeat one another add less".

    Examples
    --------
    >>> redundancy_words(0.36, 0.44, 0.33, 0.24)
    'The units gain more. The pixels repeat one another more than the units do, which fits: features that repeat one another add less'
    >>> redundancy_words(0.26, 0.39, 0.20, 0.30)
    'The units gain more. Yet the units repeat one another more than the pixels do, so repetition does not explain the difference'
    """
    a, b = names
    gains = compare_words(gain_a, gain_b, higher="a", lower="b", same="same", tolerance=gain_tolerance)
    repeats = compare_words(corr_a, corr_b, higher="a", lower="b", same="same", tolerance=corr_tolerance)
    first = {"a": f"{a.capitalize()} gain more", "b": f"{b.capitalize()} gain more",
             "same": "Both gain about as much"}[gains]
    if repeats == "same":
        second = f"{a.capitalize()} repeat one another about as much as {b} do"
        second += ", so repetition does not explain the difference" if gains != "same" else ""
    else:
        more, less = (a, b) if repeats == "a" else (b, a)
        fits = gains != "same" and gains != repeats
        if fits:
            second = f"{more.capitalize()} repeat one another more than {less} do, which fits: features that repeat one another add less"
        elif gains == "same":
            second = f"{more.capitalize()} repeat one another more than {less} do"
        else:
            second = f"Yet {more} repeat one another more than {less} do, so repetition does not explain the difference"
    return f"{first}. {second}"
