"""Tests for mnist_lesson.sampling: the one seeded subsampler."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson.data import split_indices
from mnist_lesson.sampling import sample_indices


def test_sample_indices():
    out = sample_indices(1000, 50, seed=3)
    assert out.dtype == np.int64
    assert len(out) == 50 == len(np.unique(out))
    assert np.all(np.diff(out) > 0)
    np.testing.assert_array_equal(out, sample_indices(1000, 50, seed=3))
    assert not np.array_equal(out, sample_indices(1000, 50, seed=4))
    np.testing.assert_array_equal(sample_indices(4, 4, seed=0), [0, 1, 2, 3])
    np.testing.assert_array_equal(sample_indices(4, 9, seed=0, method="permutation"), [0, 1, 2, 3])


# The draws the book makes: 60,000 training images (t-SNE, forests: 10,000, 3,000,
# 2,000), the 55,000 left after the hold-out, and the 5,000-image hold-out itself.
BOOK_DRAWS = [(60000, 10000), (60000, 3000), (60000, 2000), (55000, 10000), (60000, 5000)]


@pytest.mark.parametrize("n_rows, sample", BOOK_DRAWS)
@pytest.mark.parametrize("seed", [0, 7, 42])
def test_both_methods_draw_what_numpy_drew_before_they_were_merged(n_rows, sample, seed):
    # The two algorithms the package used before there was one subsampler; the
    # book's numbers were computed with them, so the rows must stay the same.
    choice = np.sort(np.random.default_rng(seed).choice(n_rows, size=sample, replace=False))
    permutation = np.sort(np.random.default_rng(seed).permutation(n_rows)[:sample])
    assert sample_indices(n_rows, sample, seed).tobytes() == choice.astype(np.int64).tobytes()
    assert sample_indices(n_rows, sample, seed, method="permutation").tobytes() == \
        permutation.astype(np.int64).tobytes()


def test_the_validation_split_is_the_permutation_sample_and_the_rest():
    order = np.random.default_rng(42).permutation(60000)
    train, val = split_indices(60000, 5000, seed=42)
    assert train.dtype == val.dtype == np.int64
    assert train.tobytes() == np.sort(order[5000:]).tobytes()
    assert val.tobytes() == np.sort(order[:5000]).tobytes()
    np.testing.assert_array_equal(val, sample_indices(60000, 5000, 42, method="permutation"))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_rows": 0, "sample": 1, "seed": 0}, "n_rows must be a positive integer"),
        ({"n_rows": 5, "sample": 0, "seed": 0}, "sample must be a positive integer"),
        ({"n_rows": 5, "sample": 2, "seed": -1}, "seed must be at least 0"),
        ({"n_rows": 5, "sample": 2, "seed": 0, "method": "shuffle"}, "method must be one of 'choice', 'permutation'"),
    ],
)
def test_sample_indices_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample_indices(**kwargs)
