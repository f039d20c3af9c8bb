"""Tests for mnist_lesson.pca, on small synthetic data (never MNIST)."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

# The module, not the function of the same name that the package exports.
pca_mod = importlib.import_module("mnist_lesson.pca")



@pytest.fixture
def correlated():
    """200 rows of 8 features with strongly unequal variances."""
    rng = np.random.default_rng(0)
    scales = np.array([10, 5, 3, 2, 1, 0.5, 0.2, 0.1])
    mixing = np.linalg.qr(rng.normal(size=(8, 8)))[0]
    return (rng.normal(size=(200, 8)) * scales) @ mixing + 3.0



# --------------------------------------------------------------------------
# PCA


def test_pca_shapes_and_projection(correlated):
    result = pca_mod.pca(correlated, 3, seed=0)
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
    full = pca_mod.explained_variance(correlated)
    result = pca_mod.pca(correlated, 8, seed=0)
    np.testing.assert_allclose(result.explained_variance_ratio, full, atol=1e-10)
    assert result.cumulative[-1] == pytest.approx(1.0)


def test_pca_is_frozen(correlated):
    result = pca_mod.pca(correlated, 2, seed=0)
    with pytest.raises(AttributeError):
        result.scores = None


def test_pca_wide_data_uses_a_seeded_solver_deterministically():
    # More features than rows (randomized solver): same seed, same result,
    # and close to the exact ratios when the spectrum falls off as in images.
    rng = np.random.default_rng(0)
    low_rank = (rng.normal(size=(60, 8)) * [20, 15, 10, 8, 6, 2, 1, 1]) @ rng.normal(size=(8, 600))
    x = (low_rank + rng.normal(size=(60, 600))).astype(np.float32)
    first = pca_mod.pca(x, 5, seed=1)
    second = pca_mod.pca(x, 5, seed=1)
    np.testing.assert_array_equal(first.scores, second.scores)
    exact = np.linalg.svd(x - x.mean(axis=0), compute_uv=False) ** 2
    np.testing.assert_allclose(first.explained_variance_ratio, (exact / exact.sum())[:5], rtol=1e-3)


def test_pca_rejects_bad_arguments(correlated):
    with pytest.raises(ValueError, match="n_components must be at most 8, got 9"):
        pca_mod.pca(correlated, 9, seed=0)
    with pytest.raises(ValueError, match="n_components must be a positive integer, got 0"):
        pca_mod.pca(correlated, 0, seed=0)
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, n_features\)"):
        pca_mod.pca(np.zeros(5), 1, seed=0)
    with pytest.raises(ValueError, match="x must have at least 2 rows, got 1"):
        pca_mod.pca(np.zeros((1, 5)), 1, seed=0)


# --------------------------------------------------------------------------
# explained_variance, components_for_variance


def test_explained_variance_matches_sklearn_full(correlated):
    from sklearn.decomposition import PCA

    ours = pca_mod.explained_variance(correlated.astype(np.float32))
    theirs = PCA(svd_solver="full").fit(correlated).explained_variance_ratio_
    assert ours.shape == (8,)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-9)
    assert ours.sum() == pytest.approx(1.0)


def test_explained_variance_more_features_than_rows():
    rng = np.random.default_rng(0)
    ratios = pca_mod.explained_variance(rng.normal(size=(5, 12)))
    assert ratios.shape == (12,)
    # Five centred rows span at most four directions.
    np.testing.assert_allclose(ratios[4:], 0, atol=1e-12)
    assert ratios[:4].sum() == pytest.approx(1.0)


def test_explained_variance_rejects_constant_data():
    with pytest.raises(ValueError, match="x must vary"):
        pca_mod.explained_variance(np.ones((10, 3)))


@pytest.mark.parametrize(
    ("fraction", "expected"), [(0.5, 1), (0.6, 1), (0.61, 2), (0.95, 3), (0.98, 3), (0.99, 4), (1.0, 4)]
)
def test_components_for_variance_hand_examples(fraction, expected):
    # Cumulative: 0.6, 0.9, 0.98, 1.0
    assert pca_mod.components_for_variance([0.6, 0.3, 0.08, 0.02], fraction) == expected


def test_components_for_variance_tolerates_rounding_at_one():
    ratios = np.full(10, 0.1)  # cumsum ends at 0.9999999999999999
    assert pca_mod.components_for_variance(ratios, 1.0) == 10


def test_components_for_variance_on_data(correlated):
    ratios = pca_mod.explained_variance(correlated)
    k = pca_mod.components_for_variance(ratios)
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
        pca_mod.components_for_variance(ratios, fraction)


# --------------------------------------------------------------------------
# reconstruct


def test_reconstruct_with_all_some_and_no_components(correlated):
    result = pca_mod.pca(correlated, 8, seed=0)
    full = pca_mod.reconstruct(correlated, result, 8)
    assert full.dtype == np.float64
    np.testing.assert_allclose(full, correlated, atol=1e-8)
    np.testing.assert_allclose(pca_mod.reconstruct(correlated, result, 0), np.tile(result.mean, (200, 1)))
    errors = [np.mean((pca_mod.reconstruct(correlated, result, k) - correlated) ** 2) for k in range(9)]
    assert all(later <= earlier + 1e-12 for earlier, later in zip(errors[:-1], errors[1:], strict=True))


def test_reconstruct_with_fewer_components_equals_a_smaller_fit(correlated):
    # Fit once with many components, reconstruct with few.
    big = pca_mod.pca(correlated, 6, seed=0)
    small = pca_mod.pca(correlated, 2, seed=0)
    np.testing.assert_allclose(
        pca_mod.reconstruct(correlated[:10], big, 2), pca_mod.reconstruct(correlated[:10], small, 2), atol=1e-8
    )


def test_reconstruct_accepts_a_fitted_sklearn_pca_and_keeps_float32(correlated):
    from sklearn.decomposition import PCA

    x = correlated.astype(np.float32)
    fitted = PCA(n_components=4).fit(x)
    rebuilt = pca_mod.reconstruct(x[:5], fitted, 4)
    assert rebuilt.dtype == np.float32
    expected = fitted.inverse_transform(fitted.transform(x[:5]))
    np.testing.assert_allclose(rebuilt, expected, rtol=1e-4, atol=1e-4)


def test_reconstruct_rejects_bad_arguments(correlated):
    result = pca_mod.pca(correlated, 3, seed=0)
    with pytest.raises(ValueError, match="k must be at most 3, got 4"):
        pca_mod.reconstruct(correlated, result, 4)
    with pytest.raises(ValueError, match="x must have 8 features like the fitted PCA, got 5"):
        pca_mod.reconstruct(correlated[:, :5], result, 2)
    with pytest.raises(ValueError, match="result_or_fit must be a PCAResult or a fitted sklearn PCA"):
        pca_mod.reconstruct(correlated, "pca", 2)
