"""Tests for mnist_lesson.pixels, on small synthetic data (never MNIST)."""

from __future__ import annotations

import numpy as np
import pytest

from mnist_lesson import pixels


@pytest.fixture
def informative():
    """600 rows of 30 noise features; the class depends on features 7 and 19 only."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 30)).astype(np.float32)
    y = (x[:, 7] > 0).astype(np.int64) + 2 * (x[:, 19] > 0.3).astype(np.int64)
    return x, y


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("MNIST_LESSON_DRAFT", "MNIST_LESSON_SEED", "MNIST_LESSON_FOREST_SAMPLE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


# --------------------------------------------------------------------------
# feature_importance


def test_feature_importance_finds_the_informative_features(informative):
    x, y = informative
    importances = pixels.feature_importance(x, y, sample=600, n_estimators=30, seed=0)
    assert importances.shape == (30,)
    assert importances.dtype == np.float64
    assert (importances >= 0).all()
    assert importances.sum() == pytest.approx(1.0)
    assert set(pixels.top_pair(importances)) == {7, 19}


def test_feature_importance_is_deterministic_for_a_seed(informative):
    x, y = informative
    first = pixels.feature_importance(x, y, sample=400, n_estimators=20, seed=3)
    second = pixels.feature_importance(x, y, sample=400, n_estimators=20, seed=3)
    other = pixels.feature_importance(x, y, sample=400, n_estimators=20, seed=4)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_feature_importance_constant_features_score_zero():
    # Like MNIST's border pixels: always 0, never chosen for a split.
    rng = np.random.default_rng(0)
    x = np.zeros((300, 5), dtype=np.uint8)
    x[:, 2] = rng.integers(0, 256, 300)
    y = (x[:, 2] > 127).astype(np.int64)
    importances = pixels.feature_importance(x, y, sample=300, n_estimators=5, seed=0)
    np.testing.assert_allclose(importances, [0, 0, 1, 0, 0])


def test_feature_importance_defaults_come_from_the_settings(informative, clean_env):
    x, y = informative
    clean_env.setenv("MNIST_LESSON_FOREST_SAMPLE", "150")
    clean_env.setenv("MNIST_LESSON_SEED", "5")
    from_settings = pixels.feature_importance(x, y, n_estimators=10)
    explicit = pixels.feature_importance(x, y, sample=150, seed=5, n_estimators=10)
    np.testing.assert_array_equal(from_settings, explicit)


def test_feature_importance_subsample_larger_than_data_uses_all_rows(informative):
    x, y = informative
    everything = pixels.feature_importance(x, y, sample=600, n_estimators=10, seed=1)
    more = pixels.feature_importance(x, y, sample=10_000, n_estimators=10, seed=1)
    np.testing.assert_array_equal(everything, more)


@pytest.mark.parametrize(
    ("x", "y", "kwargs", "message"),
    [
        (np.zeros(10), np.zeros(10, int), {}, r"x must have shape \(n_samples, n_features\)"),
        (np.zeros((10, 3)), np.arange(9), {}, "same number of rows, got 10 and 9"),
        (np.zeros((10, 3)), np.zeros(10, int), {}, "at least two classes"),
        (np.zeros((4, 3)), np.array([0.0, 1.0, 0.0, 1.0]), {}, "y must hold integer class numbers"),
        (np.full((4, 3), np.nan), np.array([0, 1, 0, 1]), {}, "x must hold finite numbers"),
        (np.zeros((4, 3)), np.array([0, 1, 0, 1]), {"n_estimators": 0},
         "n_estimators must be a positive integer"),
        (np.zeros((4, 3)), np.array([0, 1, 0, 1]), {"sample": 0}, "sample must be a positive integer"),
        (np.zeros((4, 3)), np.array([0, 1, 0, 1]), {"seed": -1}, "seed must be at least 0"),
    ],
)
def test_feature_importance_rejects_bad_arguments(x, y, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pixels.feature_importance(x, y, **{"seed": 0, "sample": 100, **kwargs})


# --------------------------------------------------------------------------
# cached_feature_importance


def test_cached_feature_importance_computes_once_per_key(informative, tmp_path, monkeypatch):
    x, y = informative
    calls = []
    original = pixels.feature_importance

    def spy(*args, **kwargs):
        calls.append(kwargs["seed"])
        return original(*args, **kwargs)

    monkeypatch.setattr(pixels, "feature_importance", spy)
    options = {"kind_name": "pixel_importance", "cache_dir": tmp_path, "sample": 300, "n_estimators": 10}
    first = pixels.cached_feature_importance(x, y, seed=0, **options)
    second = pixels.cached_feature_importance(x, y, seed=0, **options)
    assert calls == [0]
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, original(x, y, sample=300, n_estimators=10, seed=0))
    assert (tmp_path / "pixel_importance").is_dir()

    pixels.cached_feature_importance(x, y, seed=1, **options)
    assert calls == [0, 1]
    # Other data (one value changed) is another entry.
    changed = x.copy()
    changed[0, 0] += 1
    pixels.cached_feature_importance(changed, y, seed=0, **options)
    assert calls == [0, 1, 0]


def test_cached_feature_importance_rejects_bad_kind_name(informative, tmp_path):
    x, y = informative
    with pytest.raises(ValueError, match="kind_name must be a folder name"):
        pixels.cached_feature_importance(x, y, kind_name="../escape", cache_dir=tmp_path, seed=0)


# --------------------------------------------------------------------------
# top_features, pixel names


def test_top_features_order_and_ties():
    importances = np.array([0.1, 0.3, 0.05, 0.3, 0.25])
    out = pixels.top_features(importances, k=4)
    assert out.dtype == np.int64
    assert out.tolist() == [1, 3, 4, 0]
    assert pixels.top_features(importances).tolist() == [1, 3]
    assert pixels.top_pair(importances) == (1, 3)
    assert all(type(i) is int for i in pixels.top_pair(importances))


def test_top_features_rejects_bad_arguments():
    with pytest.raises(ValueError, match="k must be at most the number of features \\(3\\), got 4"):
        pixels.top_features([0.2, 0.3, 0.5], k=4)
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        pixels.top_features([0.2, 0.3, 0.5], k=0)
    with pytest.raises(ValueError, match="importances must be a non-empty 1-D array"):
        pixels.top_features(np.ones((2, 2)))
    with pytest.raises(ValueError, match="importances must not contain NaN"):
        pixels.top_features([0.2, np.nan])


@pytest.mark.parametrize(
    ("index", "position"), [(0, (0, 0)), (27, (0, 27)), (28, (1, 0)), (350, (12, 14)), (783, (27, 27))]
)
def test_pixel_position(index, position):
    assert pixels.pixel_position(index) == position
    assert pixels.pixel_position(np.int64(index)) == position
    row, col = position
    assert row * 28 + col == index


def test_pixel_label():
    assert pixels.pixel_label(350) == "pixel 350 (row 12, col 14)"
    assert pixels.pixel_label(np.int64(0)) == "pixel 0 (row 0, col 0)"


@pytest.mark.parametrize(
    ("index", "message"),
    [(784, "between 0 and 783, got 784"), (-1, "got -1"), (2.0, "integer"), (True, "integer")],
)
def test_pixel_position_rejects_bad_index(index, message):
    with pytest.raises(ValueError, match=message):
        pixels.pixel_position(index)


# --------------------------------------------------------------------------
# feature_subset_accuracy


def test_feature_subset_accuracy_informative_beats_noise(informative):
    x, y = informative
    rows = np.arange(len(y))
    options = {"train_rows": rows[:400], "test_rows": rows[400:], "n_estimators": 30, "seed": 0}
    both = pixels.feature_subset_accuracy(x, y, [7, 19], **options)
    noise = pixels.feature_subset_accuracy(x, y, [0, 1], **options)
    assert isinstance(both, float)
    assert both > 0.85 and noise < 0.5
    assert pixels.feature_subset_accuracy(x, y, np.array([7, 19]), **options) == both


def test_feature_subset_accuracy_subsample_and_seed(informative, clean_env):
    x, y = informative
    rows = np.arange(len(y))
    options = {"train_rows": rows[:400], "test_rows": rows[400:], "n_estimators": 10}
    clean_env.setenv("MNIST_LESSON_FOREST_SAMPLE", "150")
    clean_env.setenv("MNIST_LESSON_SEED", "5")
    from_settings = pixels.feature_subset_accuracy(x, y, [7, 19], **options)
    assert from_settings == pixels.feature_subset_accuracy(x, y, [7, 19], sample=150, seed=5, **options)
    everything = pixels.feature_subset_accuracy(x, y, [7], sample=400, seed=1, **options)
    assert everything == pixels.feature_subset_accuracy(x, y, [7], sample=10_000, seed=1, **options)


@pytest.mark.parametrize(
    ("features", "rows", "message"),
    [
        ([], {}, "features must be a non-empty sequence of column positions"),
        ([0.5], {}, "features must be a non-empty sequence of column positions"),
        ([3, 30], {}, r"features must lie between 0 and 29, got \[3, 30\]"),
        ([4, 4], {}, r"features must not repeat a column, got \[4, 4\]"),
        ([1], {"train_rows": np.arange(0)}, "train_rows must be a non-empty 1-D array"),
        ([1], {"test_rows": np.array([599, 600])},
         "test_rows must lie between 0 and 599, got values from 599 to 600"),
        ([1], {"test_rows": np.arange(390, 410)}, "must not overlap, got 10 shared rows such as 390"),
    ],
)
def test_feature_subset_accuracy_rejects_bad_arguments(informative, features, rows, message):
    x, y = informative
    options = {"train_rows": np.arange(400), "test_rows": np.arange(400, 600), **rows}
    with pytest.raises(ValueError, match=message):
        pixels.feature_subset_accuracy(x, y, features, n_estimators=2, seed=0, **options)


def test_feature_subset_accuracy_needs_two_classes_to_fit(informative):
    x, y = informative
    one_class = np.flatnonzero(y == 0)[:50]
    with pytest.raises(ValueError, match="rows to fit on hold a single class"):
        pixels.feature_subset_accuracy(
            x, y, [7], train_rows=one_class, test_rows=np.flatnonzero(y == 1), n_estimators=2, seed=0
        )
