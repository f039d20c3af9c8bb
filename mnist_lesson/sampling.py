"""Seeded choice of rows: the one place where the package draws a random subset.

The validation hold-out (:func:`mnist_lesson.data.split_indices`), the rows
t-SNE embeds, the rows the random forests learn from and the rows a
neighbour agreement is measured on are all drawn by :func:`sample_indices`,
so the same ``seed`` always picks the same rows in every chapter.

Two ways of drawing are kept because the book's results were computed with
both and must not change: ``"choice"``
(:meth:`numpy.random.Generator.choice` without replacement) for samples, and
``"permutation"`` (the first rows of :meth:`numpy.random.Generator.permutation`)
for the validation hold-out. For the same seed they pick different rows.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int

__all__ = ["sample_indices", "METHODS"]

#: The ways :func:`sample_indices` can draw rows.
METHODS = ("choice", "permutation")


def sample_indices(n_rows: int, sample: int, seed: int, *, method: str = "choice") -> np.ndarray:
    """Return sorted positions of ``sample`` of ``n_rows`` rows, drawn with ``seed``.

    Parameters
    ----------
    n_rows : int
        Rows to draw from, positions ``0 .. n_rows - 1``.
    sample : int
        Rows to draw; every row (``0 .. n_rows - 1``, nothing random) when
        ``sample >= n_rows``.
    seed : int
        Seed of :func:`numpy.random.default_rng`; the same seed draws the same rows.
    method : {"choice", "permutation"}, default "choice"
        ``"choice"`` draws with ``rng.choice(n_rows, size=sample,
        replace=False)``; ``"permutation"`` takes the first ``sample`` of
        ``rng.permutation(n_rows)`` (the validation hold-out).

    Returns
    -------
    ndarray of shape (min(sample, n_rows),), int64
        Increasing positions, without repeats.

    Raises
    ------
    ValueError
        If a number is not a whole number in range or ``method`` is unknown.

    Examples
    --------
    >>> sample_indices(5, 10, seed=0)
    array([0, 1, 2, 3, 4])
    >>> len(sample_indices(100, 10, seed=0))
    10
    >>> sample_indices(10, 3, seed=0, method="permutation")
    array([2, 4, 6])
    """
    n_rows = check_int("n_rows", n_rows)
    sample = check_int("sample", sample)
    seed = check_int("seed", seed, minimum=0)
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    if sample >= n_rows:
        return np.arange(n_rows, dtype=np.int64)
    rng = np.random.default_rng(seed)
    if method == "choice":
        drawn = rng.choice(n_rows, size=sample, replace=False)
    else:
        drawn = rng.permutation(n_rows)[:sample]
    return np.sort(drawn).astype(np.int64)
