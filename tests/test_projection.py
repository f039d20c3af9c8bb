"""Tests for mnist_lesson.projection, on small synthetic data (never MNIST)."""

from __future__ import annotations

import numpy as np
import openTSNE
import pytest

from mnist_lesson import projection as proj


@pytest.fixture
def clusters():
    """300 points in 10-D: three well separated clusters of 100 (float32)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 6, size=(3, 10))
    labels = np.repeat(np.arange(3), 100)
    x = centres[labels] + rng.normal(size=(300, 10))
    return x.astype(np.float32), labels


@pytest.fixture
def correlated():
    """200 rows of 8 features with strongly unequal variances."""
    rng = np.random.default_rng(0)
    scales = np.array([10, 5, 3, 2, 1, 0.5, 0.2, 0.1])
    mixing = np.linalg.qr(rng.normal(size=(8, 8)))[0]
    return (rng.normal(size=(200, 8)) * scales) @ mixing + 3.0


@pytest.fixture
def fit_counter(monkeypatch):
    """Count calls of openTSNE.TSNE.fit (the expensive step), still running it."""
    calls = []
    original = openTSNE.TSNE.fit

    def spy(self, *args, **kwargs):
        calls.append(self.random_state)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(openTSNE.TSNE, "fit", spy)
    return calls


# --------------------------------------------------------------------------
# PCA


def test_pca_shapes_and_projection(correlated):
    result = proj.pca(correlated, 3, seed=0)
    assert result.scores.shape == (200, 3)
    assert result.components.shape == (3, 8)
    assert result.mean.shape == (8,)
    assert result.explained_variance_ratio.shape == (3,)
    assert result.n_components == 3
    np.testing.assert_allclose(result.mean, correlated.mean(axis=0))
    np.testing.assert_allclose(result.components @ result.components.T, np.eye(3), atol=1e-10)
    np.testing.assert_allclose(result.scores, (correlated - result.mean) @ result.components.T, atol=1e-8)
    np.testing.assert_allclose(result.cumulative, np.cumsum(result.explained_variance_ratio))
    assert np.all(np.diff(result.explained_variance_ratio) <= 0)


def test_pca_ratios_agree_with_explained_variance(correlated):
    full = proj.explained_variance(correlated)
    result = proj.pca(correlated, 8, seed=0)
    np.testing.assert_allclose(result.explained_variance_ratio, full, atol=1e-10)
    assert result.cumulative[-1] == pytest.approx(1.0)


def test_pca_is_frozen(correlated):
    result = proj.pca(correlated, 2, seed=0)
    with pytest.raises(AttributeError):
        result.scores = None


def test_pca_wide_data_uses_a_seeded_solver_deterministically():
    # More features than rows (randomized solver): same seed, same result,
    # and close to the exact ratios when the spectrum falls off as in images.
    rng = np.random.default_rng(0)
    low_rank = (rng.normal(size=(60, 8)) * [20, 15, 10, 8, 6, 2, 1, 1]) @ rng.normal(size=(8, 600))
    x = (low_rank + rng.normal(size=(60, 600))).astype(np.float32)
    first = proj.pca(x, 5, seed=1)
    second = proj.pca(x, 5, seed=1)
    np.testing.assert_array_equal(first.scores, second.scores)
    exact = np.linalg.svd(x - x.mean(axis=0), compute_uv=False) ** 2
    np.testing.assert_allclose(first.explained_variance_ratio, (exact / exact.sum())[:5], rtol=1e-3)


def test_pca_rejects_bad_arguments(correlated):
    with pytest.raises(ValueError, match="n_components must be at most 8, got 9"):
        proj.pca(correlated, 9, seed=0)
    with pytest.raises(ValueError, match="n_components must be a positive integer, got 0"):
        proj.pca(correlated, 0, seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, n_features\)"):
        proj.pca(np.zeros(5), 1, seed=0)
    with pytest.raises(ValueError, match="x must have at least 2 rows, got 1"):
        proj.pca(np.zeros((1, 5)), 1, seed=0)


# --------------------------------------------------------------------------
# explained_variance, components_for_variance


def test_explained_variance_matches_sklearn_full(correlated):
    from sklearn.decomposition import PCA

    ours = proj.explained_variance(correlated.astype(np.float32))
    theirs = PCA(svd_solver="full").fit(correlated).explained_variance_ratio_
    assert ours.shape == (8,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-9)
    assert ours.sum() == pytest.approx(1.0)


def test_explained_variance_more_features_than_rows():
    rng = np.random.default_rng(0)
    ratios = proj.explained_variance(rng.normal(size=(5, 12)))
    assert ratios.shape == (12,)
    # Five centred rows span at most four directions.
    np.testing.assert_allclose(ratios[4:], 0, atol=1e-12)
    assert ratios[:4].sum() == pytest.approx(1.0)


def test_explained_variance_rejects_constant_data():
    with pytest.raises(ValueError, match="x must vary"):
        proj.explained_variance(np.ones((10, 3)))


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.5, 1), (0.6, 1), (0.61, 2), (0.95, 3), (0.98, 3), (0.99, 4), (1.0, 4)]
)
def test_components_for_variance_hand_examples(fraction, expected):
    # Cumulative: 0.6, 0.9, 0.98, 1.0
    assert proj.components_for_variance([0.6, 0.3, 0.08, 0.02], fraction) == expected


def test_components_for_variance_tolerates_rounding_at_one():
    ratios = np.full(10, 0.1)  # cumsum ends at 0.9999999999999999
    assert proj.components_for_variance(ratios, 1.0) == 10


def test_components_for_variance_on_data(correlated):
    ratios = proj.explained_variance(correlated)
    k = proj.components_for_variance(ratios)
    assert ratios[:k].sum() >= 0.95 > ratios[: k - 1].sum()


@pytest.mark.parametrize(
    ("ratios", "fraction", "message"),
    [
        ([0.5, 0.3], 0.95, "add up to 0.8000, less than fraction 0.95"),
        ([0.6, 0.4], 0.0, r"fraction must lie in \(0, 1\], got 0.0"),
        ([0.6, 0.4], 1.5, r"fraction must lie in \(0, 1\], got 1.5"),
        ([0.6, 0.4], "95%", "fraction must be a number"),
        ([[0.6, 0.4]], 0.9, "must be a non-empty 1-D array"),
        ([0.6, -0.4], 0.5, "non-negative finite ratios"),
    ],
)
def test_components_for_variance_rejects_bad_arguments(ratios, fraction, message):
    with pytest.raises(ValueError, match=message):
        proj.components_for_variance(ratios, fraction)


# --------------------------------------------------------------------------
# reconstruct


def test_reconstruct_with_all_some_and_no_components(correlated):
    result = proj.pca(correlated, 8, seed=0)
    full = proj.reconstruct(correlated, result, 8)
    assert full.dtype == np.float64
    np.testing.assert_allclose(full, correlated, atol=1e-8)
    np.testing.assert_allclose(proj.reconstruct(correlated, result, 0), np.tile(result.mean, (200, 1)))
    errors = [np.mean((proj.reconstruct(correlated, result, k) - correlated) ** 2) for k in range(9)]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(errors[:-1], errors[1:], strict=True))


def test_reconstruct_with_fewer_components_equals_a_smaller_fit(correlated):
    # Fit once with many components, reconstruct with few.
    big = proj.pca(correlated, 6, seed=0)
    small = proj.pca(correlated, 2, seed=0)
    np.testing.assert_allclose(
        proj.reconstruct(correlated[:10], big, 2), proj.reconstruct(correlated[:10], small, 2), atol=1e-8
    )


def test_reconstruct_accepts_a_fitted_sklearn_pca_and_keeps_float32(correlated):
    from sklearn.decomposition import PCA

    x = correlated.astype(np.float32)
    fitted = PCA(n_components=4).fit(x)
    rebuilt = proj.reconstruct(x[:5], fitted, 4)
    assert rebuilt.dtype == np.float32
    expected = fitted.inverse_transform(fitted.transform(x[:5]))
    np.testing.assert_allclose(rebuilt, expected, rtol=1e-4, atol=1e-4)


def test_reconstruct_rejects_bad_arguments(correlated):
    result = proj.pca(correlated, 3, seed=0)
    with pytest.raises(ValueError, match="k must be at most 3, got 4"):
        proj.reconstruct(correlated, result, 4)
    with pytest.raises(ValueError, match="x must have 8 features like the fitted PCA, got 5"):
        proj.reconstruct(correlated[:, :5], result, 2)
    with pytest.raises(ValueError, match="result_or_fit must be a PCAResult or a fitted sklearn PCA"):
        proj.reconstruct(correlated, "pca", 2)


# --------------------------------------------------------------------------
# t-SNE


def test_sample_indices():
    out = proj.sample_indices(1000, 50, seed=3)
    assert out.dtype == np.int64
    assert len(out) == 50 == len(np.unique(out))
    assert np.all(np.diff(out) > 0)
    np.testing.assert_array_equal(out, proj.sample_indices(1000, 50, seed=3))
    np.testing.assert_array_equal(proj.sample_indices(4, 4, seed=0), [0, 1, 2, 3])


def test_tsne_is_deterministic_quiet_and_separates_clusters(clusters, capfd):
    x, labels = clusters
    first = proj.tsne_uncached(x, perplexity=10, sample=300, seed=0)
    second = proj.tsne_uncached(x, perplexity=10, sample=300, seed=0)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    assert first.embedding.shape == (300, 2)
    assert first.embedding.dtype == np.float32
    np.testing.assert_array_equal(first.index, np.arange(300))
    np.testing.assert_array_equal(first.embedding, second.embedding)
    # Each point's nearest neighbour in the plane belongs to the same cluster.
    distances = np.linalg.norm(first.embedding[:, None] - first.embedding[None], axis=-1)
    np.fill_diagonal(distances, np.inf)
    assert np.mean(labels[distances.argmin(axis=1)] == labels) > 0.95


def test_tsne_does_not_depend_on_thread_count_below_annoy(clusters):
    # Under 1,000 points the neighbours are exact, so n_jobs changes nothing.
    x, _ = clusters
    one = proj.tsne_uncached(x[:150], perplexity=10, sample=150, seed=0, n_jobs=1)
    two = proj.tsne_uncached(x[:150], perplexity=10, sample=150, seed=0, n_jobs=2)
    np.testing.assert_array_equal(one.embedding, two.embedding)


def test_tsne_subsample_is_sorted_and_matches_embedding_the_rows(clusters):
    x, _ = clusters
    result = proj.tsne_uncached(x, perplexity=10, sample=120, seed=4)
    assert result.embedding.shape == (120, 2)
    assert len(result) == 120
    np.testing.assert_array_equal(result.index, proj.sample_indices(300, 120, seed=4))
    direct = proj.tsne_uncached(x[result.index], perplexity=10, sample=120, seed=4)
    np.testing.assert_array_equal(result.embedding, direct.embedding)


def test_tsne_reduces_with_pca_first(clusters):
    x, _ = clusters
    reduced = proj.pca(x, 4, seed=0).scores
    via_option = proj.tsne_uncached(x, perplexity=10, sample=300, seed=0, pca_components=4)
    direct = proj.tsne_uncached(reduced, perplexity=10, sample=300, seed=0)
    np.testing.assert_array_equal(via_option.embedding, direct.embedding)


def test_tsne_cache_computes_once_per_key(clusters, tmp_path, fit_counter):
    x, _ = clusters
    options = {"perplexity": 10, "sample": 300, "cache_dir": tmp_path}
    messages = []
    first = proj.tsne(x, seed=0, progress=messages.append, **options)
    assert fit_counter == [0]
    second = proj.tsne(x, seed=0, progress=messages.append, **options)
    assert fit_counter == [0]
    assert any("Loaded tsne from the cache" in line for line in messages)
    np.testing.assert_array_equal(first.embedding, second.embedding)
    np.testing.assert_array_equal(first.index, second.index)
    assert second.embedding.dtype == np.float32
    assert len(list((tmp_path / "tsne").iterdir())) >= 1

    proj.tsne(x, seed=1, **options)
    assert fit_counter == [0, 1]
    # A sample at or above the number of rows is the same entry as "all rows".
    proj.tsne(x, seed=0, perplexity=10, sample=5000, cache_dir=tmp_path)
    assert fit_counter == [0, 1]
    # Changed data is a new entry.
    changed = x.copy()
    changed[0, 0] += 1
    proj.tsne(changed, seed=0, **options)
    assert fit_counter == [0, 1, 0]


def test_tsne_without_cache_always_computes_and_stores_nothing(clusters, tmp_path, fit_counter):
    x, _ = clusters
    proj.tsne(x[:100], perplexity=10, sample=100, seed=0, cache_dir=tmp_path, cache=False)
    proj.tsne(x[:100], perplexity=10, sample=100, seed=0, cache_dir=tmp_path, cache=False)
    assert fit_counter == [0, 0]
    assert not (tmp_path / "tsne").exists()


def test_tsne_defaults_come_from_the_settings(clusters, tmp_path, fit_counter, monkeypatch):
    x, _ = clusters
    monkeypatch.delenv("MNIST_LESSON_DRAFT", raising=False)
    monkeypatch.setenv("MNIST_LESSON_TSNE_PERPLEXITY", "10")
    monkeypatch.setenv("MNIST_LESSON_TSNE_SAMPLE", "150")
    monkeypatch.setenv("MNIST_LESSON_SEED", "7")
    monkeypatch.setenv("MNIST_LESSON_CACHE", str(tmp_path))
    from_settings = proj.tsne(x)
    assert fit_counter == [7]
    assert (tmp_path / "tsne").is_dir()
    # The same entry, named explicitly, is a cache hit.
    explicit = proj.tsne(x, perplexity=10.0, sample=150, seed=7, cache_dir=tmp_path)
    assert fit_counter == [7]
    np.testing.assert_array_equal(from_settings.index, proj.sample_indices(300, 150, seed=7))
    np.testing.assert_array_equal(from_settings.embedding, explicit.embedding)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"perplexity": 40}, "less than a third of the points embedded, got perplexity 40 for 100 points"),
        ({"perplexity": 0}, "perplexity must be a positive number, got 0"),
        ({"perplexity": "30"}, "perplexity must be a positive number"),
        ({"sample": 0}, "sample must be a positive integer, got 0"),
        ({"sample": 20}, "for 20 points"),
        ({"seed": -2}, "seed must be at least 0, got -2"),
        ({"n_jobs": -1}, "n_jobs must be a positive integer, got -1"),
        ({"pca_components": 11}, "pca_components must be at most 10, got 11"),
    ],
)
def test_tsne_rejects_bad_arguments(clusters, tmp_path, kwargs, message):
    x, _ = clusters
    options = {"perplexity": 10, "sample": 100, "seed": 0, "cache_dir": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=message):
        proj.tsne(x, **options)
    with pytest.raises(ValueError, match=message):
        proj.tsne_uncached(x, **{k: v for k, v in options.items() if k != "cache_dir"})


def test_tsne_rejects_bad_data(tmp_path):
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, n_features\)"):
        proj.tsne(np.zeros(300), perplexity=10, seed=0, cache_dir=tmp_path)
    x = np.zeros((300, 3))
    x[5, 1] = np.nan
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        proj.tsne(x, perplexity=10, seed=0, cache_dir=tmp_path)


# --------------------------------------------------------------------------
# neighbour_agreement, class_spread, centroid_distances


def test_neighbour_agreement_separated_and_mixed_classes(clusters):
    x, labels = clusters
    assert proj.neighbour_agreement(x, labels, k=5) == 1.0
    # Labels that ignore the clusters: about a third of the neighbours agree.
    shuffled = np.random.default_rng(0).permutation(labels)
    assert 0.2 < proj.neighbour_agreement(x, shuffled, k=10) < 0.45


def test_neighbour_agreement_counts_by_hand():
    points = np.array([[0.0], [1.0], [3.0], [10.0]])
    # Nearest other row: 0 -> 1, 1 -> 0, 3 -> 1, 10 -> 3.
    assert proj.neighbour_agreement(points, [0, 0, 1, 1], k=1) == pytest.approx(3 / 4)
    # Two nearest: 0 -> {1, 3}, 1 -> {0, 3}, 3 -> {1, 0}, 10 -> {3, 1}: 1 + 1 + 0 + 1 of 8.
    assert proj.neighbour_agreement(points, [0, 0, 1, 1], k=2) == pytest.approx(3 / 8)


def test_neighbour_agreement_never_counts_a_row_as_its_own_neighbour():
    # Exact duplicates: each row's neighbour is its twin, never itself.
    points = np.repeat(np.array([[0.0, 0.0], [5.0, 5.0], [9.0, 0.0]]), 2, axis=0)
    labels = np.array([0, 1, 2, 2, 3, 3])
    assert proj.neighbour_agreement(points, labels, k=1) == pytest.approx(4 / 6)


def test_neighbour_agreement_rejects_bad_arguments():
    points = np.zeros((5, 2))
    with pytest.raises(ValueError, match="k must be at most 4, got 5"):
        proj.neighbour_agreement(points, np.zeros(5), k=5)
    with pytest.raises(ValueError, match="k must be a positive integer, got 0"):
        proj.neighbour_agreement(points, np.zeros(5), k=0)
    with pytest.raises(ValueError, match=r"labels must have shape \(n_samples,\) with one label per row"):
        proj.neighbour_agreement(points, np.zeros(4), k=1)
    with pytest.raises(ValueError, match=r"points must have shape \(n_samples, n_features\)"):
        proj.neighbour_agreement(np.zeros(5), np.zeros(5), k=1)


def test_class_spread_is_relative_and_scale_free(clusters):
    x, labels = clusters
    spread = proj.class_spread(x, labels)
    assert spread.shape == (3,)
    # Tight clusters far apart: each fills a small part of the whole cloud.
    assert np.all(spread < 0.5)
    np.testing.assert_allclose(proj.class_spread(100 * x + 7, labels), spread, rtol=1e-6)
    # One class holding everything has the whole spread.
    np.testing.assert_allclose(proj.class_spread(x, np.zeros(len(x), int)), [1.0])


def test_class_spread_by_hand():
    points = np.array([[0.0, 0.0], [0.0, 2.0], [10.0, 0.0], [10.0, 6.0]])
    # Overall mean (5, 2): distances^2 29, 25, 29, 41 -> rms sqrt(31).
    expected = np.array([1.0, 3.0]) / np.sqrt(31.0)
    np.testing.assert_allclose(proj.class_spread(points, [4, 4, 7, 7]), expected)


def test_class_spread_rejects_constant_points():
    with pytest.raises(ValueError, match="points must vary"):
        proj.class_spread(np.ones((4, 2)), [0, 0, 1, 1])


def test_centroid_distances(clusters):
    x, labels = clusters
    distances = proj.centroid_distances(x, labels)
    assert distances.shape == (3, 3)
    np.testing.assert_allclose(distances, distances.T)
    np.testing.assert_allclose(np.diag(distances), 0)
    centre_0, centre_2 = x[labels == 0].mean(axis=0), x[labels == 2].mean(axis=0)
    assert distances[0, 2] == pytest.approx(np.linalg.norm(centre_0 - centre_2), rel=1e-5)
    with pytest.raises(ValueError, match="labels must have shape"):
        proj.centroid_distances(x, labels[:-1])
