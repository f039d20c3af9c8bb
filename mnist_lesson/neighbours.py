"""Neighbourhoods of points by class: who lies next to whom, and in how many pieces.

:mod:`mnist_lesson.pca` and :mod:`mnist_lesson.tsne` make the projections;
this module measures how the classes sit in one (or in the pixels, or in the
hidden activations), and words what it finds, so that the chapters can state
results that stay true for any settings (see :mod:`mnist_lesson.claims`).

Who is next to whom:

- :func:`nearest_neighbours` finds each row's ``k`` nearest other rows, the
  one search every measure below counts on;
- :func:`neighbour_agreement` is the share of those neighbours that have the
  row's class;
- :func:`neighbour_mixing` counts, for every pair of classes, the share of
  all neighbour links that join them; :func:`mixed_pairs` lists the pairs of
  a square table (mixing, or confusion counts) both ways added up,
  :func:`mixing_change` sets two mixings (two maps) side by side, and
  :func:`busiest_pairs` picks the few pairs that hold most of the links;
- :func:`neighbour_majority` gives the class most of a row's neighbours
  have (a row of another class is a *misfit*), and
  :func:`neighbour_overlap` the share of neighbours two maps of the same
  rows have in common;
- :func:`agreement_by_components` is the neighbour agreement of several
  data sets after PCA to 2, 5, 10, ... components, and :func:`lead` says
  from how many components one of them stays ahead.

In how many pieces:

- :func:`count_clumps` counts the connected pieces of the neighbour graph of
  a map, :func:`class_pieces` the pieces each class falls into.

How wide the classes are and how far apart: :func:`class_spread` and
:func:`centroid_distances`.

Where the classes lie: :func:`class_positions` (mean of the first two
principal components and spread per class), :func:`axis_ends`,
:func:`closest_pair`, :func:`rank_shift`; and how well a network reads
images rebuilt from a few components: :func:`reconstruction_accuracy`.

The functions whose names end in ``_words`` (and :func:`digit_note`) choose
the words for a result (a list of pairs, a comparison, a correlation) for the
chapters to glue into their prose; :mod:`mnist_lesson.claims` has the
general-purpose ones.

scikit-learn and SciPy are imported by the functions that use them, not when
this module is imported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._checks import check_int, check_labels, check_matrix
from .claims import join_words
from .pca import PCAResult, pca
from .sampling import sample_indices

__all__ = [
    "nearest_neighbours",
    "neighbour_agreement",
    "class_spread",
    "centroid_distances",
    "neighbour_mixing",
    "mixed_pairs",
    "mixing_change",
    "busiest_pairs",
    "neighbour_majority",
    "neighbour_overlap",
    "count_clumps",
    "class_pieces",
    "agreement_by_components",
    "lead",
    "class_positions",
    "axis_ends",
    "closest_pair",
    "rank_shift",
    "reconstruction_accuracy",
    "pair_words",
    "pairs_words",
    "digits_words",
    "change_words",
    "correlation_words",
    "difference_words",
    "gap_words",
    "mixing_words",
    "pieces_words",
    "lead_words",
    "plane_words",
    "closest_words",
    "readable_words",
    "reading_words",
    "spread_words",
    "digit_note",
]


# --------------------------------------------------------------------------
# Checks


def _check_points(points, *, min_rows: int = 2) -> np.ndarray:
    return check_matrix(points, "points", min_rows=min_rows)


def _check_points_labels(points, labels, num_classes=None):
    points = _check_points(points)
    labels = check_labels(labels, num_classes=num_classes, n=len(points))
    if num_classes is None:
        num_classes = int(labels.max()) + 1
    return points, labels, num_classes


def _check_labelled(points, labels, *, min_rows: int = 1):
    """Points and one label of any kind per row (the class measures accept any labels)."""
    points = check_matrix(points, "points", min_rows=min_rows)
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(points):
        raise ValueError(
            f"labels must have shape (n_samples,) with one label per row of points "
            f"({len(points)}), got shape {labels.shape}"
        )
    return points, labels


def _check_square(matrix, name: str = "matrix") -> np.ndarray:
    matrix = np.asarray(matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 2:
        raise ValueError(
            f"{name} must be a square table of shape (n_classes, n_classes) with at least "
            f"two classes, got shape {matrix.shape}"
        )
    if not np.issubdtype(matrix.dtype, np.number) or not np.all(np.isfinite(matrix)):
        raise ValueError(f"{name} must hold finite numbers")
    return matrix


def _check_share(name: str, value, *, low: float = 0.0, high: float = 1.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}, got {value!r}")
    if not low < value <= high:
        raise ValueError(f"{name} must lie in ({low:g}, {high:g}], got {value!r}")
    return float(value)


def _check_pair(name: str, pair) -> tuple[int, int]:
    try:
        first, second = pair
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of classes such as (4, 9), got {pair!r}") from None
    return first, second


# --------------------------------------------------------------------------
# Who is next to whom


def nearest_neighbours(points, *, k: int = 10, n_jobs: int = 2) -> np.ndarray:
    """Return the positions of each row's ``k`` nearest other rows.

    The search is exact and Euclidean
    (:class:`sklearn.neighbors.NearestNeighbors`); every measure of this
    module, :func:`neighbour_agreement` included, counts these neighbours.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates: a t-SNE map, principal components, or the rows themselves.
    k : int, default 10
        Neighbours per row, fewer than ``n_samples``.
    n_jobs : int, default 2
        Threads for the search.

    Returns
    -------
    ndarray of shape (n_samples, k), int64
        Row ``i`` holds the positions of the neighbours of row ``i``, nearest
        first. A row never counts as its own neighbour; its exact duplicates do.

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.3], [5.0]])
    >>> nearest_neighbours(points, k=2)
    array([[1, 2],
           [0, 2],
           [1, 0],
           [2, 1]])
    """
    from sklearn.neighbors import NearestNeighbors

    points = _check_points(points)
    k = check_int("k", k, maximum=len(points) - 1)
    n_jobs = check_int("n_jobs", n_jobs)
    search = NearestNeighbors(n_neighbors=k + 1, n_jobs=n_jobs).fit(points)
    found = search.kneighbors(points, return_distance=False)
    # Drop each row itself, or, when a tie with a duplicate pushed it out of
    # the k + 1 found, the farthest one found.
    is_self = found == np.arange(len(points))[:, None]
    is_self[~is_self.any(axis=1), -1] = True
    return found[~is_self].reshape(len(points), k).astype(np.int64)


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
    The search is :func:`nearest_neighbours` (exact,
    :class:`sklearn.neighbors.NearestNeighbors`). In
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
    points, labels = _check_labelled(points, labels, min_rows=2)
    neighbours = nearest_neighbours(points, k=k, n_jobs=n_jobs)
    return float(np.mean(labels[neighbours] == labels[:, None]))


def neighbour_mixing(points, labels, *, k: int = 10, n_jobs: int = 2,
                     num_classes: int | None = None) -> np.ndarray:
    """Return the share of all neighbour links that go from each class to each class.

    Every row has ``k`` links, one to each of its nearest neighbours (see
    :func:`nearest_neighbours`): ``n_samples * k`` links in all. Entry
    ``[i, j]`` is the share of them that go from a row of class ``i`` to a
    row of class ``j``. The diagonal holds the links within a class, and its
    sum (the trace) is the neighbour agreement of
    :func:`neighbour_agreement`; an entry off the
    diagonal measures how much two classes touch.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    labels : array-like of shape (n_samples,)
        Class of each row, whole numbers from 0.
    k : int, default 10
        Neighbours per row, fewer than ``n_samples``.
    n_jobs : int, default 2
        Threads for the neighbour search.
    num_classes : int, optional
        Number of classes; by default the largest label plus one.

    Returns
    -------
    ndarray of shape (num_classes, num_classes), float64
        Shares that add up to 1. Not symmetric: a row's neighbours need not
        have it among theirs.

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> neighbour_mixing(points, [0, 0, 1, 1, 1, 1], k=1)
    array([[0.33333333, 0.        ],
           [0.16666667, 0.5       ]])
    """
    points, labels, num_classes = _check_points_labels(points, labels, num_classes)
    neighbours = nearest_neighbours(points, k=k, n_jobs=n_jobs)
    links = labels[:, None] * num_classes + labels[neighbours]
    counts = np.bincount(links.ravel(), minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes) / links.size


def mixed_pairs(matrix, *, top: int | None = None, name: str = "share") -> pd.DataFrame:
    """List the pairs of classes of a square table, both directions added up.

    Parameters
    ----------
    matrix : array-like of shape (n_classes, n_classes)
        A mixing from :func:`neighbour_mixing`, or confusion counts from
        :func:`~mnist_lesson.evaluation.confusion_counts`.
    top : int, optional
        Keep only the first ``top`` pairs; by default all
        ``n_classes * (n_classes - 1) / 2``.
    name : str, default "share"
        Name of the column of values.

    Returns
    -------
    pandas.DataFrame
        Columns ``digit`` and ``other digit`` (the smaller class first) and
        ``name``, ``matrix[i, j] + matrix[j, i]``; sorted by that value,
        largest first, ties in the order of the classes; index 0, 1, 2, ...

    Examples
    --------
    >>> mixed_pairs([[0.5, 0.1, 0.0], [0.05, 0.2, 0.0], [0.02, 0.03, 0.1]])
       digit  other digit  share
    0      0            1   0.15
    1      1            2   0.03
    2      0            2   0.02
    """
    matrix = _check_square(matrix)
    if top is not None:
        top = check_int("top", top)
    first, second = np.triu_indices(len(matrix), k=1)
    values = matrix[first, second] + matrix[second, first]
    frame = pd.DataFrame({"digit": first, "other digit": second, name: values})
    frame = frame.sort_values(name, ascending=False, kind="mergesort")
    if top is not None:
        frame = frame.head(top)
    return frame.reset_index(drop=True)


def mixing_change(before, after, *, names: Sequence[str] = ("before", "after"),
                  confusions=None) -> pd.DataFrame:
    """Set the mixings of two maps of the same rows side by side, pair by pair.

    Parameters
    ----------
    before, after : array-like of shape (n_classes, n_classes)
        Mixings from :func:`neighbour_mixing`, for example of a map of the
        pixels and a map of the hidden activations.
    names : pair of str, default ("before", "after")
        Column names of the two shares.
    confusions : array-like of shape (n_classes, n_classes), optional
        Confusion counts (true classes in rows) of the same rows, added up
        both ways into a column ``confusions``.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``digit`` and ``other digit``; the two shares of each pair
        (both directions added up), ``ratio`` (after divided by before, NaN
        where before is 0) and, when given, ``confusions``. Sorted by the
        ``before`` share, largest first.

    Examples
    --------
    >>> before = [[0.4, 0.1], [0.1, 0.4]]
    >>> after = [[0.45, 0.05], [0.0, 0.5]]
    >>> mixing_change(before, after, confusions=[[90, 3], [2, 95]])
                       before  after  ratio  confusions
    digit other digit
    0     1               0.2   0.05   0.25           5
    """
    before, after = _check_square(before, "before"), _check_square(after, "after")
    if before.shape != after.shape:
        raise ValueError(f"before and after must have the same shape, got {before.shape} and {after.shape}")
    if isinstance(names, str) or len(names) != 2 or len(set(names)) != 2:
        raise ValueError(f"names must be two different column names, got {names!r}")
    first, second = np.triu_indices(len(before), k=1)
    frame = pd.DataFrame(
        {
            names[0]: before[first, second] + before[second, first],
            names[1]: after[first, second] + after[second, first],
        },
        index=pd.MultiIndex.from_arrays([first, second], names=["digit", "other digit"]),
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["ratio"] = np.where(frame[names[0]] > 0, frame[names[1]] / frame[names[0]], np.nan)
    if confusions is not None:
        confusions = _check_square(confusions, "confusions")
        if confusions.shape != before.shape:
            raise ValueError(
                f"confusions must have the shape of the mixings, {before.shape}, got {confusions.shape}"
            )
        frame["confusions"] = confusions[first, second] + confusions[second, first]
    return frame.sort_values(names[0], ascending=False, kind="mergesort")


def busiest_pairs(shares, *, share: float = 0.5) -> list:
    """Return the fewest pairs that together hold ``share`` of all the links between classes.

    Parameters
    ----------
    shares : pandas.Series
        One value per pair (for example a column of :func:`mixing_change`),
        indexed by the pair.
    share : float, default 0.5
        Part of the total to reach, in (0, 1].

    Returns
    -------
    list
        Index entries of the pairs, largest first. Empty when every value is 0.

    Examples
    --------
    >>> shares = pd.Series([0.1, 0.4, 0.3, 0.2], index=["a", "b", "c", "d"])
    >>> busiest_pairs(shares, share=0.5)
    ['b', 'c']
    """
    share = _check_share("share", share)
    if not isinstance(shares, pd.Series):
        raise ValueError(f"shares must be a pandas Series indexed by pair, got {type(shares).__name__}")
    values = shares.sort_values(ascending=False, kind="mergesort")
    total = float(values.sum())
    if total <= 0:
        return []
    reached = np.cumsum(values.to_numpy()) >= share * total - 1e-12
    return list(values.index[: int(np.argmax(reached)) + 1])


def neighbour_majority(points, labels, *, k: int = 10, n_jobs: int = 2,
                       num_classes: int | None = None) -> np.ndarray:
    """Return the class that most of each row's ``k`` nearest neighbours have.

    A row whose majority is another class than its own sits among images of
    that class: a *misfit*.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    labels : array-like of shape (n_samples,)
        Class of each row, whole numbers from 0.
    k : int, default 10
        Neighbours per row (see :func:`nearest_neighbours`).
    n_jobs : int, default 2
        Threads for the neighbour search.
    num_classes : int, optional
        Number of classes; by default the largest label plus one.

    Returns
    -------
    ndarray of shape (n_samples,), int64
        The most common class among the neighbours; on a tie, the smallest.

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.2], [0.3], [5.0]])
    >>> neighbour_majority(points, [0, 0, 1, 0, 1], k=2)
    array([0, 0, 0, 0, 0])
    """
    points, labels, num_classes = _check_points_labels(points, labels, num_classes)
    neighbour_labels = labels[nearest_neighbours(points, k=k, n_jobs=n_jobs)]
    counts = np.zeros((len(points), num_classes), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(points)), k), neighbour_labels.ravel()), 1)
    return counts.argmax(axis=1).astype(np.int64)


def neighbour_overlap(a, b, *, k: int = 10, n_jobs: int = 2) -> float:
    """Return the share of each row's ``k`` nearest neighbours that two maps have in common.

    For every row, compare its ``k`` nearest neighbours in ``a`` with those
    in ``b`` and count how many are the same rows; average over the rows.
    Two maps with the same neighbourhoods score 1, however differently they
    are rotated, mirrored or laid out.

    Parameters
    ----------
    a, b : array-like of shape (n_samples, n_dimensions)
        Two sets of coordinates of the same rows, in the same order (the
        dimensions may differ).
    k : int, default 10
        Neighbours per row.
    n_jobs : int, default 2
        Threads for the neighbour search.

    Returns
    -------
    float
        A share between 0 and 1.

    Examples
    --------
    >>> a = np.array([[0.0], [1.0], [3.0], [7.0]])
    >>> neighbour_overlap(a, -2 * a, k=1)  # mirrored and stretched: same neighbours
    1.0
    >>> neighbour_overlap(a, [[0.0], [4.0], [5.0], [1.0]], k=1)
    0.25
    """
    a = check_matrix(a, "a", min_rows=2)
    b = check_matrix(b, "b", min_rows=2)
    if len(a) != len(b):
        raise ValueError(f"a and b must hold the same rows, got {len(a)} and {len(b)} rows")
    first = np.sort(nearest_neighbours(a, k=k, n_jobs=n_jobs), axis=1)
    second = np.sort(nearest_neighbours(b, k=k, n_jobs=n_jobs), axis=1)
    shared = [np.intersect1d(x, y, assume_unique=True).size for x, y in zip(first, second)]
    return float(np.mean(shared) / k)


# --------------------------------------------------------------------------
# In how many pieces


def _neighbour_graph(points: np.ndarray, k: int, n_jobs: int):
    """The symmetrised ``k``-nearest-neighbour graph as a sparse matrix."""
    from scipy.sparse import coo_matrix

    neighbours = nearest_neighbours(points, k=k, n_jobs=n_jobs)
    rows = np.repeat(np.arange(len(points)), k)
    graph = coo_matrix((np.ones(rows.size, dtype=np.int8), (rows, neighbours.ravel())),
                       shape=(len(points), len(points))).tocsr()
    return (graph + graph.T).tocsr()


def count_clumps(points, *, k: int = 5, n_jobs: int = 2) -> int:
    """Return the number of separate clumps a map falls into.

    Link every row to its ``k`` nearest neighbours (either way round) and
    count the connected pieces of the resulting graph: two rows are in the
    same clump when a chain of neighbour links joins them. A map of
    well-separated islands has as many clumps as islands; one connected
    cloud is a single clump; a map that shatters into small groups has many.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    k : int, default 5
        Neighbours per row. Fewer links split the map into more clumps.
    n_jobs : int, default 2
        Threads for the neighbour search.

    Returns
    -------
    int
        At least 1.

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2], [9.0], [9.1]])
    >>> count_clumps(points, k=1)  # three groups of points
    3
    >>> count_clumps(points, k=2)  # with two links each, 9.0 reaches 5.2
    2
    """
    from scipy.sparse.csgraph import connected_components

    points = _check_points(points)
    count, _ = connected_components(_neighbour_graph(points, k, n_jobs), directed=False)
    return int(count)


def class_pieces(points, labels, *, k: int = 5, min_share: float = 0.1, n_jobs: int = 2,
                 num_classes: int | None = None) -> np.ndarray:
    """Return how many sizeable pieces each class falls into on a map.

    Link every row to its ``k`` nearest neighbours among all the rows (either
    way round), keep only the links between two rows of the class, and count
    the connected pieces that hold at least ``min_share`` of the class's
    rows. Smaller pieces (a few strays in another class's island) are not
    counted. A class that forms one island scores 1.

    Parameters
    ----------
    points : array-like of shape (n_samples, n_dimensions)
        Coordinates of the rows.
    labels : array-like of shape (n_samples,)
        Class of each row, whole numbers from 0.
    k : int, default 5
        Neighbours per row.
    min_share : float, default 0.1
        Smallest piece counted, as a share of the class, in (0, 1].
    n_jobs : int, default 2
        Threads for the neighbour search.
    num_classes : int, optional
        Number of classes; by default the largest label plus one.

    Returns
    -------
    ndarray of shape (num_classes,), int64
        Pieces per class: 1 for a single island, more for a class split into
        several, 0 for a class shattered into pieces all smaller than
        ``min_share`` (or with no rows).

    Examples
    --------
    >>> points = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2], [9.0], [9.1]])
    >>> class_pieces(points, [0, 0, 0, 1, 1, 1, 0, 0], k=2)
    array([2, 1])
    """
    from scipy.sparse.csgraph import connected_components

    points, labels, num_classes = _check_points_labels(points, labels, num_classes)
    min_share = _check_share("min_share", min_share)
    graph = _neighbour_graph(points, k, n_jobs)
    pieces = np.zeros(num_classes, dtype=np.int64)
    for label in range(num_classes):
        members = np.flatnonzero(labels == label)
        if members.size == 0:
            continue
        _, piece = connected_components(graph[members][:, members], directed=False)
        sizes = np.bincount(piece)
        pieces[label] = int(np.sum(sizes >= min_share * members.size))
    return pieces


# --------------------------------------------------------------------------
# Spread and distance of the classes


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
    points, labels = _check_labelled(points, labels, min_rows=2)
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
    points, labels = _check_labelled(points, labels)
    points = points.astype(np.float64)
    centres = np.array([points[labels == label].mean(axis=0) for label in np.unique(labels)])
    return np.linalg.norm(centres[:, None, :] - centres[None, :, :], axis=-1)


# --------------------------------------------------------------------------
# Agreement after PCA


def agreement_by_components(views: Mapping, labels, dims: Sequence[int], *, sample: int = 10_000,
                            seed: int | None = None, k: int = 10, n_jobs: int = 2) -> pd.DataFrame:
    """Return the neighbour agreement of several data sets on their first few principal components.

    Each data set is reduced by PCA fitted on all its rows (or a
    :class:`~mnist_lesson.pca.PCAResult` is used as it is); then, on
    a random sample of the rows, the neighbour agreement
    (:func:`neighbour_agreement`) of the first
    ``d`` scores is computed for every ``d`` in ``dims``.

    Parameters
    ----------
    views : mapping of str to array-like or PCAResult
        Named data sets of the same rows, for example
        ``{"pixels": x_pixels, "hidden activations": hidden}``: arrays of shape
        (n_samples, n_features), or fitted PCAs whose ``scores`` have
        ``max(dims)`` columns or more.
    labels : array-like of shape (n_samples,)
        Class of each row.
    dims : sequence of int
        Numbers of components, each at most the width of every data set.
    sample : int, default 10000
        Rows to compare (all when there are fewer): the search in tens of
        dimensions grows with the square of the rows.
    seed : int, optional
        Seed of the sample and of the PCA; defaults to the ``seed`` setting.
    k : int, default 10
        Neighbours per row.
    n_jobs : int, default 2
        Threads for the neighbour search.

    Returns
    -------
    pandas.DataFrame
        One row per number of components (index ``components``), one
        column per data set, shares between 0 and 1.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1], 50)
    >>> x = rng.normal(size=(100, 6)) + 4 * labels[:, None]
    >>> agreement_by_components({"x": x}, labels, [1, 2], seed=0).round(2)
                   x
    components
    1            1.0
    2            1.0
    """
    from .config import get_settings

    if not isinstance(views, Mapping) or not views:
        raise ValueError("views must be a non-empty mapping of names to data sets or PCA results")
    dims = [check_int("dims", d) for d in dims]
    if not dims:
        raise ValueError("dims must hold at least one number of components")
    if seed is None:
        seed = get_settings().seed
    seed = check_int("seed", seed, minimum=0)
    scores = {}
    for name, view in views.items():
        if isinstance(view, PCAResult):
            values = view.scores
        else:
            data = check_matrix(view, str(name), min_rows=2)
            if max(dims) > min(data.shape):
                raise ValueError(
                    f"dims must be at most {min(data.shape)}, the width of {name}, got {max(dims)}"
                )
            values = pca(data, max(dims), seed=seed).scores
        if values.shape[1] < max(dims):
            raise ValueError(
                f"the PCA of {name} has {values.shape[1]} components, fewer than dims asks for ({max(dims)})"
            )
        scores[name] = values
    n_rows = {len(values) for values in scores.values()}
    if len(n_rows) != 1:
        raise ValueError(f"every view must hold the same rows, got {sorted(n_rows)} rows")
    n_rows = n_rows.pop()
    labels = check_labels(labels, n=n_rows)
    rows = sample_indices(n_rows, check_int("sample", sample), seed)
    table = {
        name: [neighbour_agreement(values[rows, :d], labels[rows], k=k, n_jobs=n_jobs) for d in dims]
        for name, values in scores.items()
    }
    return pd.DataFrame(table, index=pd.Index(dims, name="components"))


def lead(gap) -> dict:
    """Where one column of :func:`agreement_by_components` leads another.

    Parameters
    ----------
    gap : pandas.Series
        The difference of two columns (leader minus other), indexed by the
        number of components, in increasing order.

    Returns
    -------
    dict
        ``first_ahead``: the smallest number of components from which the
        gap is positive at every larger number in the index (None when it is
        not positive at the largest); ``widest``: the number of components
        where the gap is largest; ``last``: the largest number of components.

    Examples
    --------
    >>> lead(pd.Series([-0.01, 0.07, 0.05, 0.02], index=[2, 5, 10, 20]))
    {'first_ahead': 5, 'widest': 5, 'last': 20}
    """
    if not isinstance(gap, pd.Series) or gap.empty:
        raise ValueError("gap must be a non-empty pandas Series indexed by the number of components")
    if not gap.index.is_monotonic_increasing:
        raise ValueError("gap must be indexed by increasing numbers of components")
    first_ahead = None
    for dims, value in zip(gap.index[::-1], gap.to_numpy()[::-1]):
        if not value > 0:
            break
        first_ahead = int(dims)
    return {"first_ahead": first_ahead, "widest": int(gap.idxmax()), "last": int(gap.index[-1])}


# --------------------------------------------------------------------------
# Where the classes lie


def class_positions(scores, labels) -> pd.DataFrame:
    """Return where each class lies on the plane of the first two principal components.

    Parameters
    ----------
    scores : array-like of shape (n_samples, n_components)
        Principal component scores, at least two columns.
    labels : array-like of shape (n_samples,)
        Class of each row.

    Returns
    -------
    pandas.DataFrame
        One row per class (in the order of ``np.unique(labels)``, index
        ``digit``): ``PC 1`` and ``PC 2``, the mean scores on the first two
        components, and ``spread``, the
        :func:`class_spread` on those two.

    Examples
    --------
    >>> scores = np.array([[-2.0, 0.0], [-2.0, 0.2], [3.0, 1.0], [1.0, -1.0]])
    >>> class_positions(scores, [1, 1, 0, 0]).round(2)
           PC 1  PC 2  spread
    digit
    0       2.0   0.0    0.63
    1      -2.0   0.1    0.04
    """
    scores = check_matrix(scores, "scores", min_rows=2)
    if scores.shape[1] < 2:
        raise ValueError(f"scores must have at least two columns, got {scores.shape[1]}")
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(scores):
        raise ValueError(f"labels must have shape ({len(scores)},), one per row of scores, got {labels.shape}")
    plane = scores[:, :2].astype(np.float64)
    classes = np.unique(labels)
    means = np.array([plane[labels == c].mean(axis=0) for c in classes])
    return pd.DataFrame(
        {"PC 1": means[:, 0], "PC 2": means[:, 1], "spread": class_spread(plane, labels)},
        index=pd.Index(classes, name="digit"),
    )


def axis_ends(positions) -> tuple:
    """Return the classes at the two ends of the first component: (lowest mean, highest mean).

    The sign of a principal component is arbitrary, so only the pair
    means something, not which class is at which end.

    Parameters
    ----------
    positions : pandas.DataFrame
        As from :func:`class_positions`.

    Examples
    --------
    >>> positions = pd.DataFrame({"PC 1": [3.9, -3.3, 0.2], "PC 2": [0, 0, 0], "spread": [1, 1, 1]})
    >>> axis_ends(positions)
    (1, 0)
    """
    if not isinstance(positions, pd.DataFrame) or "PC 1" not in positions:
        raise ValueError("positions must be a DataFrame from class_positions (with a column 'PC 1')")
    column = positions["PC 1"]
    return (column.idxmin(), column.idxmax())


def closest_pair(distances) -> tuple[int, int]:
    """Return the two classes whose entry in a distance table is smallest (the smaller class first).

    Parameters
    ----------
    distances : array-like of shape (n_classes, n_classes)
        Symmetric distances, as from
        :func:`centroid_distances`; the diagonal is
        ignored.

    Examples
    --------
    >>> closest_pair([[0.0, 3.0, 1.0], [3.0, 0.0, 2.0], [1.0, 2.0, 0.0]])
    (0, 2)
    """
    distances = _check_square(distances, "distances").astype(np.float64)
    first, second = np.triu_indices(len(distances), k=1)
    best = int(np.argmin(distances[first, second]))
    return int(first[best]), int(second[best])


def rank_shift(a, b) -> int:
    """Return by how many places the rankings of two series differ at most.

    Both are ranked from the smallest (rank 1, ties share the lowest rank),
    and the largest absolute difference between the two ranks of an entry
    is returned.

    Parameters
    ----------
    a, b : array-like of shape (n,)
        Values of the same entries, in the same order.

    Examples
    --------
    >>> rank_shift([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0])
    0
    >>> rank_shift([1.0, 2.0, 3.0, 4.0], [4.0, 2.0, 3.0, 1.0])
    3
    """
    a = pd.Series(np.asarray(a, dtype=np.float64).ravel())
    b = pd.Series(np.asarray(b, dtype=np.float64).ravel())
    if len(a) != len(b) or len(a) == 0:
        raise ValueError(f"a and b must hold the same number of values (at least one), got {len(a)} and {len(b)}")
    shift = (a.rank(method="min") - b.rank(method="min")).abs()
    return int(shift.max())


def reconstruction_accuracy(x, labels, pca_result: PCAResult, ks: Sequence[int],
                            predict: Callable, *, measure: str = "recall") -> pd.DataFrame:
    """Return how often a reader recognises images rebuilt from the first ``k`` components.

    Every image is rebuilt from its first ``k`` principal components
    (:func:`~mnist_lesson.pca.reconstruct`) and given to ``predict``;
    the share of right answers is counted per class: among the images of
    the class (``measure="recall"``), or among the images the reader gives
    that class (``measure="precision"``). A reader that calls every blob an
    8 gets all the 8s right, and only the second measure shows that its 8s
    mean little.

    Parameters
    ----------
    x : array-like of shape (n_samples, n_features)
        Images as the PCA and the reader take them (784 values 0..1).
    labels : array-like of shape (n_samples,)
        True class of each image.
    pca_result : PCAResult
        The fitted PCA, with at least ``max(ks)`` components.
    ks : sequence of int
        Numbers of components to try.
    predict : callable
        Takes an array of shape (n_samples, n_features) and returns the
        predicted class of each row, for example
        ``lambda x: predict_classes(predict_proba(model, x))``.
    measure : {"recall", "precision"}, default "recall"
        Share right among the images of each class, or among the images
        read as each class.

    Returns
    -------
    pandas.DataFrame
        Index ``digit`` (the classes present), one column per ``k`` (column
        index ``components``), shares between 0 and 1; for precision, NaN
        where the reader never gives the class.

    Examples
    --------
    >>> from mnist_lesson.pca import pca
    >>> rng = np.random.default_rng(0)
    >>> labels = np.repeat([0, 1], 20)
    >>> x = rng.normal(size=(40, 5)) * 0.1 + 3 * labels[:, None]
    >>> fitted = pca(x, 3, seed=0)
    >>> reader = lambda rows: (rows.mean(axis=1) > 1.5).astype(int)
    >>> reconstruction_accuracy(x, labels, fitted, [0, 1], reader)  # k = 0: every image is the mean
    components    0    1
    digit
    0           0.0  1.0
    1           1.0  1.0
    >>> reconstruction_accuracy(x, labels, fitted, [0, 1], reader, measure="precision")
    components    0    1
    digit
    0           NaN  1.0
    1           0.5  1.0
    """
    from .pca import reconstruct

    x = check_matrix(x, "x")
    labels = check_labels(labels, n=len(x))
    if not isinstance(pca_result, PCAResult):
        raise ValueError(f"pca_result must be a PCAResult, got {type(pca_result).__name__}")
    ks = [check_int("ks", k, minimum=0, maximum=pca_result.n_components) for k in ks]
    if not ks:
        raise ValueError("ks must hold at least one number of components")
    if not callable(predict):
        raise ValueError(f"predict must be a function of the images, got {type(predict).__name__}")
    if measure not in ("recall", "precision"):
        raise ValueError(f"measure must be 'recall' or 'precision', got {measure!r}")
    classes = np.unique(labels)
    table = {}
    for k in ks:
        predicted = np.asarray(predict(reconstruct(x, pca_result, k)))
        if predicted.shape != labels.shape:
            raise ValueError(
                f"predict must return one class per image, shape {labels.shape}, got {predicted.shape}"
            )
        right = predicted == labels
        among = labels if measure == "recall" else predicted
        table[k] = [float(right[among == c].mean()) if np.any(among == c) else np.nan for c in classes]
    frame = pd.DataFrame(table, index=pd.Index(classes, name="digit"))
    frame.columns.name = "components"
    return frame


# --------------------------------------------------------------------------
# Words


def pair_words(pair) -> str:
    """A pair of classes in words: "4 and 9".

    Examples
    --------
    >>> pair_words((4, 9))
    '4 and 9'
    """
    first, second = _check_pair("pair", pair)
    return f"{first} and {second}"


def pairs_words(pairs) -> str:
    """Pairs of classes as a list: "4–9, 7–9 and 3–8" (an en dash joins the two of a pair).

    Examples
    --------
    >>> pairs_words([(4, 9)]), pairs_words([(4, 9), (7, 9), (3, 8)])
    ('4–9', '4–9, 7–9 and 3–8')
    """
    pairs = list(pairs)
    return join_words(f"{a}–{b}" for a, b in (_check_pair("pairs", p) for p in pairs))


def digits_words(digits, *, n_classes: int = 10) -> str:
    """Classes in words: "every digit", "no digit" or "the 0s, 1s and 6s".

    Examples
    --------
    >>> digits_words(range(10)), digits_words([]), digits_words([0, 1, 6])
    ('every digit', 'no digit', 'the 0s, 1s and 6s')
    """
    digits = [int(d) for d in digits]
    n_classes = check_int("n_classes", n_classes)
    if len(set(digits)) >= n_classes:
        return "every digit"
    if not digits:
        return "no digit"
    return "the " + join_words(f"{d}s" for d in digits)


def correlation_words(rho: float, *, strong: float = 0.7, weak: float = 0.3) -> str:
    """Words for a rank correlation: "close", "loose", "little" or "reversed" agreement.

    ``rho`` at least ``strong`` is "close agreement", at least ``weak``
    "loose agreement", above ``-weak`` "little agreement", and lower
    "reversed order" (the two rankings run against each other).

    Examples
    --------
    >>> [correlation_words(r) for r in (0.88, 0.56, 0.02, -0.5)]
    ['close agreement', 'loose agreement', 'little agreement', 'reversed order']
    """
    rho = float(rho)
    if not -1.0 - 1e-9 <= rho <= 1.0 + 1e-9:
        raise ValueError(f"rho must lie between -1 and 1, got {rho}")
    if not 0 < weak < strong <= 1:
        raise ValueError(f"weak and strong must satisfy 0 < weak < strong <= 1, got {weak} and {strong}")
    if rho >= strong:
        return "close agreement"
    if rho >= weak:
        return "loose agreement"
    if rho > -weak:
        return "little agreement"
    return "reversed order"


def difference_words(a: float, b: float, *, same: float = 0.005, little: float = 0.02,
                     more: str = "higher", less: str = "lower", alike: str = "about the same") -> str:
    """How ``a`` compares with ``b`` when both are shares: "a little higher", "clearly higher", ...

    Differences up to ``same`` are ``alike``; up to ``little`` "a little"
    ``more`` (or ``less``); larger ones "clearly" ``more`` (or ``less``).

    Examples
    --------
    >>> difference_words(0.9693, 0.9633), difference_words(0.95, 0.90), difference_words(0.901, 0.9)
    ('a little higher', 'clearly higher', 'about the same')
    >>> difference_words(0.85, 0.90, more="cleaner", less="less clean")
    'clearly less clean'
    """
    a, b = float(a), float(b)
    if not 0 <= same < little:
        raise ValueError(f"same and little must satisfy 0 <= same < little, got {same} and {little}")
    difference = a - b
    if abs(difference) <= same:
        return alike
    degree = "a little" if abs(difference) <= little else "clearly"
    return f"{degree} {more if difference > 0 else less}"


def gap_words(value: float, reference: float, *, much: float = 0.5, tolerance: float = 0.1) -> str:
    """How a difference compares with a reference difference: "much less than", "less than", "about as much as", "more than".

    "much less than" when ``value`` is below ``much`` times a positive
    ``reference``; "about as much as" within ``tolerance`` (relative) of it.

    Examples
    --------
    >>> gap_words(0.6, 7.3), gap_words(5.0, 7.3), gap_words(7.0, 7.3), gap_words(18.0, 15.7)
    ('much less than', 'less than', 'about as much as', 'more than')
    """
    value, reference = float(value), float(reference)
    much = _check_share("much", much)
    if reference > 0 and value < much * reference:
        return "much less than"
    if abs(value - reference) <= tolerance * abs(reference):
        return "about as much as"
    return "less than" if value < reference else "more than"


def change_words(before: int, after: int) -> str:
    """How a count changes: "falls from 8 to 1", "stays at 1", "rises from 1 to 3".

    Examples
    --------
    >>> change_words(8, 1), change_words(1, 1), change_words(1, 3)
    ('falls from 8 to 1', 'stays at 1', 'rises from 1 to 3')
    """
    before, after = int(before), int(after)
    if after < before:
        return f"falls from {before} to {after}"
    if after > before:
        return f"rises from {before} to {after}"
    return f"stays at {after}"


def mixing_words(change, *, names: Sequence[str], share: float = 0.5, threshold: float = 0.75) -> dict:
    """Say which pairs of classes touch most on one map, and which of them another map pulled apart.

    Parameters
    ----------
    change : pandas.DataFrame
        From :func:`mixing_change`, with the two columns ``names``.
    names : pair of str
        The two maps' columns, ``(before, after)``, used in the sentences
        ("on the pixel map").
    share : float, default 0.5
        The busiest pairs are the fewest that together hold this share of all
        the links between different classes on the first map
        (:func:`busiest_pairs`).
    threshold : float, default 0.75
        A busy pair counts as pulled apart when its share on the second map
        is below ``threshold`` times that on the first; otherwise as still mixed.

    Returns
    -------
    dict
        ``busy``, ``pulled`` and ``kept``: lists of pairs; ``text``: Markdown
        sentences that say so.

    Examples
    --------
    >>> before = np.array([[0.8, 0.05, 0.01], [0.05, 0.0, 0.0], [0.04, 0.0, 0.05]])
    >>> after = np.array([[0.85, 0.01, 0.02], [0.01, 0.0, 0.0], [0.03, 0.0, 0.08]])
    >>> found = mixing_words(mixing_change(before, after, names=("map A", "map B")), names=("map A", "map B"))
    >>> found["busy"], found["pulled"], found["kept"]
    ([(0, 1)], [(0, 1)], [])
    >>> found["text"]
    'Half of all the links between different digits on the map A join one of the 3 pairs: 0–1. On the map B, it keeps less than 75% of its share of the links: these digits were pulled apart.'
    """
    if isinstance(names, str) or len(names) != 2:
        raise ValueError(f"names must be the two columns (before, after), got {names!r}")
    before, after = names
    share = _check_share("share", share)
    threshold = _check_share("threshold", threshold, high=np.inf)
    if not isinstance(change, pd.DataFrame):
        raise ValueError(f"change must be a DataFrame from mixing_change, got {type(change).__name__}")
    for name in names:
        if name not in change:
            raise ValueError(f"change must have a column {name!r}, as made by mixing_change")
    busy = busiest_pairs(change[before], share=share)
    if not busy:
        text = f"No links join different digits on the {before}."
        return {"busy": [], "pulled": [], "kept": [], "text": text}
    ratio = change.loc[busy, after] / change.loc[busy, before]
    pulled = [pair for pair in busy if ratio.loc[pair] < threshold]
    kept = [pair for pair in busy if ratio.loc[pair] >= threshold]
    part = {0.5: "Half", 0.25: "A quarter", 0.75: "Three quarters"}.get(share, f"{share:.0%}")
    if len(busy) == 1:
        count = "one"
    elif len(busy) <= len(change) / 4:
        count = f"just {len(busy)}"
    else:
        count = str(len(busy))
    text = (
        f"{part} of all the links between different digits on the {before} join "
        f"{count} of the {len(change)} pairs: {pairs_words(busy)}."
    )
    bar = f"{threshold:.0%}"
    one = len(busy) == 1
    if pulled and kept:
        text += (
            f" On the {after}, {pairs_words(pulled)} {'keeps' if len(pulled) == 1 else 'keep'} less than "
            f"{bar} of {'its' if len(pulled) == 1 else 'their'} share of the links: these digits were "
            f"pulled apart. {pairs_words(kept)} {'keeps' if len(kept) == 1 else 'keep'} {bar} or more: "
            f"{'it is' if len(kept) == 1 else 'they are'} still mixed."
        )
    elif pulled:
        text += (
            f" On the {after}, {'it keeps' if one else 'every one of them keeps'} less than {bar} of its "
            f"share of the links: {'these digits were' if one else 'they were all'} pulled apart."
        )
    else:
        text += (
            f" On the {after}, {'it keeps' if one else 'every one of them keeps'} {bar} or more of its "
            f"share of the links: {'these digits are' if one else 'they are all'} still mixed."
        )
    return {"busy": busy, "pulled": pulled, "kept": kept, "text": text}


def pieces_words(pieces) -> str:
    """Say whether every class forms one island on a map, from :func:`class_pieces`.

    Examples
    --------
    >>> pieces_words([1] * 10)
    'every digit forms a single island'
    >>> pieces_words([1, 2, 3, 1, 1, 1, 1, 1, 1, 1])
    'most digits form a single island, but the 1s and 2s are split into two or more pieces'
    >>> pieces_words([0, 2, 3, 1, 2, 1, 2, 4, 1, 2])
    'the 0s, 1s, 2s, 4s, 6s, 7s and 9s are split into two or more pieces, and only the 3s, 5s and 8s form a single island'
    """
    pieces = np.asarray(pieces)
    if pieces.ndim != 1 or pieces.size == 0 or np.any(pieces < 0):
        raise ValueError("pieces must be a non-empty vector of counts, as from class_pieces")
    whole = [int(d) for d in np.flatnonzero(pieces == 1)]
    split = [int(d) for d in np.flatnonzero(pieces != 1)]
    n_classes = len(pieces)
    if not split:
        return "every digit forms a single island"
    if not whole:
        return "every digit is split into two or more pieces"
    if len(whole) > len(split):
        return (
            f"most digits form a single island, but {digits_words(split, n_classes=n_classes)} "
            "are split into two or more pieces"
        )
    only = "only " if len(whole) < len(split) else ""
    return (
        f"{digits_words(split, n_classes=n_classes)} are split into two or more pieces, and {only}"
        f"{digits_words(whole, n_classes=n_classes)} form a single island"
    )


def lead_words(gap, *, leader: str, other: str) -> str:
    """Say from how many components one column of :func:`agreement_by_components` leads another.

    Parameters
    ----------
    gap : pandas.Series
        Leader minus other, indexed by increasing numbers of components
        (differences of shares).
    leader, other : str
        Names for the sentence, such as "the hidden activations" and "the pixels".

    Returns
    -------
    str
        Markdown sentences with the gap in percentage points.

    Examples
    --------
    >>> gap = pd.Series([-0.006, 0.073, 0.052, 0.022], index=[2, 5, 10, 20])
    >>> lead_words(gap, leader="the hidden activations", other="the pixels")
    'From 5 components on, the hidden activations are ahead of the pixels. The lead is widest at 5 components (7.3 points) and narrows to 2.2 points at 20.'
    >>> lead_words(pd.Series([0.01, 0.03], index=[2, 5]), leader="A", other="B")
    'At every number of components in the table, A are ahead of B. The lead is widest at 5 components, the most in the table (3.0 points).'
    """
    found = lead(gap)
    first, widest, last = found["first_ahead"], found["widest"], found["last"]
    if first is None:
        return (
            f"At {last} components, the most in the table, {leader} are not ahead of {other} "
            f"({gap.loc[last] * 100:+.1f} points)."
        )
    start = "At every number of components in the table" if first == gap.index[0] else f"From {first} components on"
    text = f"{start}, {leader} are ahead of {other}."
    if widest == last:
        return text + f" The lead is widest at {last} components, the most in the table ({gap.loc[last] * 100:.1f} points)."
    ending = "narrows to" if gap.loc[last] < gap.loc[widest] else "is"
    return text + (
        f" The lead is widest at {widest} components ({gap.loc[widest] * 100:.1f} points) and "
        f"{ending} {gap.loc[last] * 100:.1f} points at {last}."
    )


def plane_words(positions, *, like=None) -> str:
    """Say which classes lie at the two ends of the first component, and which is tightest.

    Parameters
    ----------
    positions : pandas.DataFrame
        From :func:`class_positions`.
    like : pandas.DataFrame, optional
        The positions on another plane, for "the same digits ... again".

    Examples
    --------
    >>> positions = pd.DataFrame({"PC 1": [3.9, -3.3, 0.2], "PC 2": [0, 0, 0], "spread": [0.6, 0.3, 0.5]})
    >>> plane_words(positions)
    'the 1s and the 0s lie at the two ends of the first component, and the 1s are the tightest digit'
    >>> plane_words(positions, like=positions)
    'the same two digits lie at the two ends of the first component, and the 1s are again the tightest'
    """
    low, high = axis_ends(positions)
    tightest = positions["spread"].idxmin()
    if like is not None and set(axis_ends(like)) == {low, high}:
        same_tightest = like["spread"].idxmin() == tightest
        return (
            "the same two digits lie at the two ends of the first component, and "
            + (f"the {tightest}s are again the tightest" if same_tightest
               else f"the tightest digit is now the {tightest}")
        )
    return (
        f"the {low}s and the {high}s lie at the two ends of the first component, and the "
        f"{tightest}s are the tightest digit"
    )


def closest_words(in_space, on_map) -> str:
    """Say which pair of classes has the closest centres in the original space and on a map.

    Examples
    --------
    >>> closest_words((4, 9), (2, 8))
    'In the hidden space the closest centres are those of the digits 4 and 9; on the map, those of 2 and 8.'
    >>> closest_words((4, 9), (9, 4))
    'The closest centres are those of the digits 4 and 9, in the hidden space and on the map alike.'
    """
    if set(_check_pair("in_space", in_space)) == set(_check_pair("on_map", on_map)):
        return f"The closest centres are those of the digits {pair_words(in_space)}, in the hidden space and on the map alike."
    return (
        f"In the hidden space the closest centres are those of the digits {pair_words(in_space)}; "
        f"on the map, those of {pair_words(on_map)}."
    )


def readable_words(accuracy, *, threshold: float = 0.9, precision=None) -> str:
    """Which classes a reader reads: "every digit", "no digit", "the 0s and 2s".

    A class counts as read when at least ``threshold`` of its images are
    read right and, when ``precision`` is given, at least ``threshold`` of
    the images read as that class show it.

    Parameters
    ----------
    accuracy : pandas.Series
        Share right per class (recall), indexed by class: a column of
        :func:`reconstruction_accuracy`.
    threshold : float, default 0.9
        The share that counts as read.
    precision : pandas.Series, optional
        Share right among the images read as each class, indexed like
        ``accuracy`` (``measure="precision"``).

    Examples
    --------
    >>> readable_words(pd.Series([0.93, 0.73, 0.95], index=[0, 1, 2]))
    'the 0s and 2s'
    >>> readable_words(pd.Series([0.93, 0.73, 0.95], index=[0, 1, 2]), precision=pd.Series([0.5, 1.0, 0.99]))
    'the 2s'
    """
    threshold = _check_share("threshold", threshold)
    if not isinstance(accuracy, pd.Series):
        raise ValueError("accuracy must be a pandas Series indexed by class")
    read = [d for d, value in accuracy.items() if value >= threshold]
    if precision is not None:
        if not isinstance(precision, pd.Series) or not precision.index.equals(accuracy.index):
            raise ValueError("precision must be a pandas Series indexed like accuracy")
        read = [d for d in read if precision.loc[d] >= threshold]
    return digits_words(read, n_classes=len(accuracy))


def reading_words(accuracy, *, threshold: float = 0.9, precision=None) -> str:
    """Say which classes a reader reads, for every number of components of :func:`reconstruction_accuracy`.

    A class counts as read as in :func:`readable_words`. Numbers of
    components with the same classes read are named together.

    Parameters
    ----------
    accuracy : pandas.DataFrame
        From :func:`reconstruction_accuracy` (classes in rows, numbers of
        components in columns).
    threshold : float, default 0.9
        The share that counts as read.
    precision : pandas.DataFrame, optional
        The same with ``measure="precision"``.

    Returns
    -------
    str
        A list such as "no digit with 1 component; the 0s with 5; and
        every digit with 20 and 50".

    Examples
    --------
    >>> table = pd.DataFrame({1: [0.86, 0.0], 5: [0.93, 0.73], 20: [0.98, 0.97], 50: [0.99, 0.99]})
    >>> reading_words(table)
    'no digit with 1 component; the 0s with 5; and every digit with 20 and 50'
    """
    if not isinstance(accuracy, pd.DataFrame) or accuracy.empty:
        raise ValueError("accuracy must be a non-empty DataFrame from reconstruction_accuracy")
    if precision is not None and (not isinstance(precision, pd.DataFrame) or precision.shape != accuracy.shape):
        raise ValueError("precision must be a DataFrame shaped like accuracy")
    groups: list[tuple[str, list]] = []
    for k in accuracy.columns:
        words = readable_words(accuracy[k], threshold=threshold,
                               precision=None if precision is None else precision[k])
        if groups and groups[-1][0] == words:
            groups[-1][1].append(k)
        else:
            groups.append((words, [k]))
    parts = []
    for i, (words, ks) in enumerate(groups):
        unit = " component" if i == 0 and ks == [1] else (" components" if i == 0 else "")
        parts.append(f"{words} with {join_words(ks)}{unit}")
    if len(parts) == 1:
        return parts[0]
    return "; ".join(parts[:-1]) + "; and " + parts[-1]


def spread_words(rhos: Mapping[str, float], *, strong: float = 0.7) -> str:
    """Conclude from rank correlations between spreads in a space and on its map.

    Parameters
    ----------
    rhos : mapping of str to float
        Rank correlation for each map, by the name of what it maps (the
        sentences are written for two maps, as in the book).
    strong : float, default 0.7
        The correlation from which the sizes count as kept.

    Examples
    --------
    >>> spread_words({"pixels": -0.5, "hidden activations": 0.02})
    'On neither map does the size of an island say much about how varied its digit is.'
    >>> spread_words({"pixels": -0.5, "hidden activations": 0.88})
    'Only on the map of the hidden activations do the sizes of the islands follow how varied the digits are; t-SNE does not promise it, and on the other map they do not.'
    """
    if not rhos:
        raise ValueError("rhos must name at least one map")
    kept = [name for name, rho in rhos.items() if rho >= strong]
    if not kept:
        return "On neither map does the size of an island say much about how varied its digit is." if len(rhos) == 2 \
            else "On no map does the size of an island say much about how varied its digit is."
    if len(kept) == len(rhos):
        return (
            "Here the sizes of the islands do follow how varied the digits are, but t-SNE does not "
            "promise it: other settings need not keep them."
        )
    return (
        f"Only on the map of the {join_words(kept)} do the sizes of the islands follow how varied the "
        "digits are; t-SNE does not promise it, and on the other map they do not."
    )


#: Why a digit is the tightest in pixel space, for the digits where the book knows a reason.
_DIGIT_NOTES = {
    1: "a 1 is one short stroke, and there are only so many ways to draw it",
}


def digit_note(digit) -> str:
    """A reason why ``digit`` is the tightest class in pixel space, with its leading colon, or "".

    Examples
    --------
    >>> digit_note(1)
    ': a 1 is one short stroke, and there are only so many ways to draw it'
    >>> digit_note(6)
    ''
    """
    note = _DIGIT_NOTES.get(int(digit))
    return f": {note}" if note else ""
