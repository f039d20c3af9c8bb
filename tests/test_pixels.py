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


# --------------------------------------------------------------------------
# helpers that put the chapter's results into words


def test_candidates_per_split_matches_the_forests():
    assert pixels.candidates_per_split(784) == 28
    assert pixels.candidates_per_split(128) == 11
    assert pixels.candidates_per_split(1) == 1
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 30))
    y = rng.integers(0, 2, 60)
    forest = pixels._forest(2, 0).fit(x, y)
    assert forest.estimators_[0].max_features_ == pixels.candidates_per_split(30)
    with pytest.raises(ValueError, match="n_features must be a positive integer"):
        pixels.candidates_per_split(0)


def test_ink_profile_shares():
    values = np.array([[0, 0.2, 0.95], [1.0, 0, 0.5]])
    profile = pixels.ink_profile(values)
    assert profile["blank"] == pytest.approx(2 / 6)
    assert profile["grey"] == pytest.approx(2 / 6)
    assert profile["full"] == pytest.approx(2 / 6)
    assert profile["grey_among_inked"] == pytest.approx(0.5)
    assert profile["full_among_inked"] == pytest.approx(0.5)
    assert profile["blank"] + profile["grey"] + profile["full"] == pytest.approx(1)
    # The threshold of full ink is a parameter; FULL_INK is the book's.
    assert pixels.ink_profile(values, full=0.4)["full"] == pytest.approx(3 / 6)
    assert pixels.FULL_INK == 0.9
    assert np.isnan(pixels.ink_profile(np.zeros(4))["grey_among_inked"])


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([], {}, "values must be a non-empty array of real numbers"),
        ([0, 255], {}, "values must lie between 0 and 1"),
        ([0, np.nan], {}, "finite"),
        ([0, 0.5], {"full": 0}, r"full must lie in \(0, 1\]"),
    ],
)
def test_ink_profile_rejects_bad_arguments(values, kwargs, message):
    with pytest.raises(ValueError, match=message):
        pixels.ink_profile(values, **kwargs)


def test_favourite_digits_ranks_by_each_digits_own_rate():
    # Digit 0 is common but rarely active; digit 2 is rare but always active.
    labels = np.array([0] * 10 + [1] * 4 + [2] * 2)
    values = np.array([1.0] * 3 + [0.0] * 7 + [0.5, 0, 0, 0] + [2.0, 3.0])
    fav = pixels.favourite_digits(values, labels)
    assert fav.digits == (2, 0)
    assert fav.names == "0s or 2s"
    assert fav.share == pytest.approx(5 / 6)
    assert fav.baseline == pytest.approx(12 / 16)
    assert fav.active_share == pytest.approx(6 / 16)
    assert fav.lift == pytest.approx(fav.share / fav.baseline)
    one = pixels.favourite_digits(values, labels, k=1)
    assert one.digits == (2,) and one.names == "2s"


def test_favourite_digits_ties_go_to_the_lower_digit():
    labels = np.array([0, 1, 2, 3])
    fav = pixels.favourite_digits(np.ones(4), labels)
    assert fav.digits == (0, 1)
    assert fav.share == pytest.approx(0.5) and fav.baseline == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("values", "labels", "k", "message"),
    [
        (np.zeros(4), np.array([0, 1, 2, 3]), 2, "non-zero for at least one image"),
        (np.ones(4), np.array([0, 1, 2]), 2, "labels must be integers of the same shape"),
        (np.ones(4), np.array([0.0, 1.0, 2.0, 3.0]), 2, "labels must be integers"),
        (np.ones(4), np.array([0, 1, 1, 0]), 3, "k must be at most 2"),
        (np.ones((2, 2)), np.array([0, 1, 1, 0]), 2, "values must be one-dimensional"),
    ],
)
def test_favourite_digits_rejects_bad_arguments(values, labels, k, message):
    with pytest.raises(ValueError, match=message):
        pixels.favourite_digits(values, labels, k=k)


def test_grid_distance_and_neighbour_words():
    assert pixels.grid_distance(378, 350) == 1  # (13, 14) and (12, 14)
    assert pixels.grid_distance(378, 409) == 3  # (13, 14) and (14, 17)
    assert pixels.grid_distance(0, 783) == 27
    assert pixels.grid_distance(27, 28) == 27  # end of one row, start of the next
    assert pixels.neighbour_words(378, 379) == "neighbours on the grid"
    assert pixels.neighbour_words(378, 409) == "3 pixels apart on the grid"
    with pytest.raises(ValueError, match="two different pixels"):
        pixels.neighbour_words(5, 5)
    with pytest.raises(ValueError, match="between 0 and 783"):
        pixels.grid_distance(0, 784)


def test_neighbour_correlations():
    rng = np.random.default_rng(0)
    x = rng.random((200, 784))
    x[:, 379] = 2 * x[:, 378]  # right neighbour of 378: a copy
    x[:, 350] = -x[:, 378]  # the one above: the negative
    corr = pixels.neighbour_correlations(x, 378)
    assert corr.shape == (8,)
    # Reading order: 349, 350, 351, 377, 379, 405, 406, 407.
    assert corr[1] == pytest.approx(-1) and corr[4] == pytest.approx(1)
    assert np.all(np.abs(np.delete(corr, [1, 4])) < 0.3)
    assert pixels.neighbour_correlations(x, 783).shape == (3,)
    x[:, 0] = 0
    assert np.isnan(pixels.neighbour_correlations(x, 1)[0])
    with pytest.raises(ValueError, match=r"x must have shape \(n_images, 784\)"):
        pixels.neighbour_correlations(np.zeros((5, 10)), 0)


def test_mean_abs_correlation():
    rng = np.random.default_rng(0)
    a = rng.normal(size=500)
    x = np.column_stack([a, -a, rng.normal(size=500), np.zeros(500)])
    assert pixels.mean_abs_correlation(x, [0, 1]) == pytest.approx(1)
    assert pixels.mean_abs_correlation(x, [0, 2]) < 0.15
    # Pairs with a constant feature are left out.
    assert pixels.mean_abs_correlation(x, [0, 1, 3]) == pytest.approx(1)
    assert np.isnan(pixels.mean_abs_correlation(x, [2, 3]))
    for features, message in [([0], "at least two"), ([0, 4], "between 0 and 3"), ([1, 1], "repeat")]:
        with pytest.raises(ValueError, match=message):
            pixels.mean_abs_correlation(x, features)


def test_ignored_features_words():
    assert pixels.ignored_features_words([0.2, 0.8]) == (
        "Every hidden unit has some importance; none is ignored by the forest"
    )
    assert pixels.ignored_features_words([0.0, 1.0]) == (
        "One hidden unit has no importance at all: the forest never asks about it"
    )
    assert pixels.ignored_features_words([0.0, 0.0, 1.0], noun="pixel") == (
        "2 pixels have no importance at all: the forest never asks about them"
    )
    with pytest.raises(ValueError, match="one-dimensional"):
        pixels.ignored_features_words(np.zeros((2, 2)))


def _ranges(widths):
    import pandas as pd

    return pd.DataFrame({"25%": [0.0] * len(widths), "75%": widths})


def test_box_spread_words_sorts_digits_by_box_width():
    ranges = _ranges([0.0, 0.01, 0.78, 0.33, 0.41, 0.99, 0.75, 0.0, 0.63, 0.89])  # the book's pixel 378
    assert pixels.box_spread_words(ranges, exclude=[0, 1]) == (
        "For more than half of the other digits (2, 5, 6, 8 and 9) the box spans at least half of the "
        "range from 0 to 1; for 3, 4 and 7 it is narrower"
    )
    assert pixels.box_spread_words(_ranges([0.6, 0.7])) == (
        "For all of the digits (0 and 1) the box spans at least half of the range from 0 to 1"
    )
    assert pixels.box_spread_words(_ranges([0.1, 0.2, 0.9]), exclude=[2]) == (
        "For none of the other digits does the box span at least half of the range from 0 to 1: "
        "it is narrower for 0 and 1"
    )
    assert "at least 0.3 of the range" in pixels.box_spread_words(_ranges([0.4]), wide=0.3)


def test_box_spread_words_rejects_bad_arguments():
    import pandas as pd

    with pytest.raises(ValueError, match="must have the columns"):
        pixels.box_spread_words(pd.DataFrame({"min": [0]}))
    with pytest.raises(ValueError, match="no digit is left"):
        pixels.box_spread_words(_ranges([0.5]), exclude=[0])


def test_digit_mix_words():
    mixed = np.array([2] * 21 + [8] * 19 + [0, 1, 3, 4, 5, 6, 7, 9] * 7 + [0, 1, 3, 4])
    assert pixels.digit_mix_words(mixed) == "2s are the most common digit but make up only 21%"
    assert pixels.digit_mix_words(np.array([0] * 59 + [5] * 41)) == "more than half are 0s (59%)"
    assert pixels.digit_mix_words(np.array([9] * 52 + [3] * 48)) == "about half are 9s (52%)"
    with pytest.raises(ValueError, match="non-empty 1-D array of integer digits"):
        pixels.digit_mix_words(np.array([], dtype=int))


def _fav(digits, share, baseline):
    names = " or ".join(f"{d}s" for d in sorted(digits))
    return pixels.Favourites(tuple(digits), names, share, baseline, 0.5)


def test_choosier_words():
    pixel = _fav((1, 3), 0.35, 0.21)  # lift 1.67
    choosy, plain = _fav((0, 7), 0.54, 0.20), _fav((0, 5), 0.24, 0.19)  # lifts 2.7 and 1.26
    names = ["unit 45", "unit 18"]
    kwargs = {"reference_name": "pixel 378"}
    assert pixels.choosier_words(pixel, [choosy, choosy], names, **kwargs) == (
        "unit 45 and unit 18 are both choosier than pixel 378"
    )
    assert pixels.choosier_words(pixel, [plain, plain], names, **kwargs) == (
        "neither unit 45 nor unit 18 is choosier than pixel 378"
    )
    assert pixels.choosier_words(pixel, [plain, choosy], names, **kwargs) == (
        "unit 18 is choosier than pixel 378; unit 45 is not"
    )
    assert pixels.choosier_words(pixel, [choosy], ["unit 1"], **kwargs) == "unit 1 is choosier than pixel 378"
    assert pixels.choosier_words(pixel, [plain], ["unit 1"], **kwargs) == "unit 1 is not choosier than pixel 378"
    # Within the tolerance, a unit is not called choosier.
    close = _fav((0, 7), 0.355, 0.21)
    assert "neither" in pixels.choosier_words(pixel, [close, close], names, **kwargs)
    with pytest.raises(ValueError, match="same length"):
        pixels.choosier_words(pixel, [choosy], names, **kwargs)


def test_pair_relation_words():
    a, b, c = _fav((0, 7), 0.5, 0.2), _fav((3, 5), 0.5, 0.2), _fav((0, 2), 0.4, 0.2)
    # The book's default build: pixels repeat each other, units do not.
    assert pixels.pair_relation_words(0.77, _fav((1, 3), 0.35, 0.21), _fav((1, 3), 0.41, 0.21)) == (
        "they partly repeat each other, and they favour the same digits (1s or 3s)"
    )
    assert pixels.pair_relation_words(-0.08, a, b, reference_corr=0.77) == (
        "unlike the two pixels, they hardly repeat each other, and they favour different digits "
        "(0s or 7s, against 3s or 5s)"
    )
    # The draft build: the other way round, and the units share a favourite digit.
    assert pixels.pair_relation_words(0.65, a, c, reference_corr=-0.14) == (
        "unlike the two pixels, they partly repeat each other, and they share a favourite digit, "
        "0s (0s or 7s, against 0s or 2s)"
    )
    assert pixels.pair_relation_words(0.6, a, b, reference_corr=0.7).startswith("they too partly repeat")
    assert pixels.pair_relation_words(0.3, a, b, reference_corr=0.7).startswith("they repeat each other a little")
    assert pixels.pair_relation_words(-0.5, a, b).startswith("they tend to be large one at a time")
    with pytest.raises(ValueError, match="corr must lie between -1 and 1"):
        pixels.pair_relation_words(1.5, a, b)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0.36, 0.44, 0.33, 0.24), "The units gain more. The pixels repeat one another more than the units do, "
                                   "which fits: features that repeat one another add less"),
        ((0.26, 0.39, 0.20, 0.30), "The units gain more. Yet the units repeat one another more than the pixels "
                                   "do, so repetition does not explain the difference"),
        ((0.31, 0.38, 0.310, 0.292), "The units gain more. The pixels repeat one another about as much as the "
                                     "units do, so repetition does not explain the difference"),
        ((0.40, 0.30, 0.20, 0.30), "The pixels gain more. The units repeat one another more than the pixels do, "
                                   "which fits: features that repeat one another add less"),
        ((0.30, 0.31, 0.20, 0.30), "Both gain about as much. The units repeat one another more than the pixels do"),
    ],
)
def test_redundancy_words(args, expected):
    assert pixels.redundancy_words(*args) == expected
