"""Tests for mnist_lesson.tsne, on small synthetic data (never MNIST)."""

from __future__ import annotations

import importlib

import numpy as np
import openTSNE
import pytest

from mnist_lesson.pca import pca
from mnist_lesson.sampling import sample_indices

# The module, not the function of the same name that the package exports.
tsne_mod = importlib.import_module("mnist_lesson.tsne")


@pytest.fixture
def clusters():
    """300 points in 10-D: three well separated clusters of 100 (float32)."""
    rng = np.random.default_rng(0)
    centres = rng.normal(0, 6, size=(3, 10))
    labels = np.repeat(np.arange(3), 100)
    x = centres[labels] + rng.normal(size=(300, 10))
    return x.astype(np.float32), labels



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
# t-SNE


def test_tsne_is_deterministic_quiet_and_separates_clusters(clusters, capfd):
    x, labels = clusters
    first = tsne_mod.tsne_uncached(x, perplexity=10, sample=300, seed=0)
    second = tsne_mod.tsne_uncached(x, perplexity=10, sample=300, seed=0)
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
    one = tsne_mod.tsne_uncached(x[:150], perplexity=10, sample=150, seed=0, n_jobs=1)
    two = tsne_mod.tsne_uncached(x[:150], perplexity=10, sample=150, seed=0, n_jobs=2)
    np.testing.assert_array_equal(one.embedding, two.embedding)


def test_tsne_subsample_is_sorted_and_matches_embedding_the_rows(clusters):
    x, _ = clusters
    result = tsne_mod.tsne_uncached(x, perplexity=10, sample=120, seed=4)
    assert result.embedding.shape == (120, 2)
    assert len(result) == 120
    np.testing.assert_array_equal(result.index, sample_indices(300, 120, seed=4))
    direct = tsne_mod.tsne_uncached(x[result.index], perplexity=10, sample=120, seed=4)
    np.testing.assert_array_equal(result.embedding, direct.embedding)


def test_tsne_reduces_with_pca_first(clusters):
    x, _ = clusters
    reduced = pca(x, 4, seed=0).scores
    via_option = tsne_mod.tsne_uncached(x, perplexity=10, sample=300, seed=0, pca_components=4)
    direct = tsne_mod.tsne_uncached(reduced, perplexity=10, sample=300, seed=0)
    np.testing.assert_array_equal(via_option.embedding, direct.embedding)


def test_tsne_cache_computes_once_per_key(clusters, tmp_path, fit_counter):
    x, _ = clusters
    options = {"perplexity": 10, "sample": 300, "cache_dir": tmp_path}
    messages = []
    first = tsne_mod.tsne(x, seed=0, progress=messages.append, **options)
    assert fit_counter == [0]
    second = tsne_mod.tsne(x, seed=0, progress=messages.append, **options)
    assert fit_counter == [0]
    assert any("Loaded tsne from the cache" in line for line in messages)
    np.testing.assert_array_equal(first.embedding, second.embedding)
    np.testing.assert_array_equal(first.index, second.index)
    assert second.embedding.dtype == np.float32
    assert len(list((tmp_path / "tsne").iterdir())) >= 1

    tsne_mod.tsne(x, seed=1, **options)
    assert fit_counter == [0, 1]
    # A sample at or above the number of rows is the same entry as "all rows".
    tsne_mod.tsne(x, seed=0, perplexity=10, sample=5000, cache_dir=tmp_path)
    assert fit_counter == [0, 1]
    # Changed data is a new entry.
    changed = x.copy()
    changed[0, 0] += 1
    tsne_mod.tsne(changed, seed=0, **options)
    assert fit_counter == [0, 1, 0]


def test_tsne_without_cache_always_computes_and_stores_nothing(clusters, tmp_path, fit_counter):
    x, _ = clusters
    tsne_mod.tsne(x[:100], perplexity=10, sample=100, seed=0, cache_dir=tmp_path, cache=False)
    tsne_mod.tsne(x[:100], perplexity=10, sample=100, seed=0, cache_dir=tmp_path, cache=False)
    assert fit_counter == [0, 0]
    assert not (tmp_path / "tsne").exists()


def test_tsne_defaults_come_from_the_settings(clusters, tmp_path, fit_counter, monkeypatch):
    x, _ = clusters
    monkeypatch.delenv("MNIST_LESSON_DRAFT", raising=False)
    monkeypatch.setenv("MNIST_LESSON_TSNE_PERPLEXITY", "10")
    monkeypatch.setenv("MNIST_LESSON_TSNE_SAMPLE", "150")
    monkeypatch.setenv("MNIST_LESSON_SEED", "7")
    monkeypatch.setenv("MNIST_LESSON_CACHE", str(tmp_path))
    from_settings = tsne_mod.tsne(x)
    assert fit_counter == [7]
    assert (tmp_path / "tsne").is_dir()
    # The same entry, named explicitly, is a cache hit.
    explicit = tsne_mod.tsne(x, perplexity=10.0, sample=150, seed=7, cache_dir=tmp_path)
    assert fit_counter == [7]
    np.testing.assert_array_equal(from_settings.index, sample_indices(300, 150, seed=7))
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
        tsne_mod.tsne(x, **options)
    with pytest.raises(ValueError, match=message):
        tsne_mod.tsne_uncached(x, **{k: v for k, v in options.items() if k != "cache_dir"})


def test_tsne_rejects_bad_data(tmp_path):
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, n_features\)"):
        tsne_mod.tsne(np.zeros(300), perplexity=10, seed=0, cache_dir=tmp_path)
    x = np.zeros((300, 3))
    x[5, 1] = np.nan
    with pytest.raises(ValueError, match="x must hold finite numbers"):
        tsne_mod.tsne(x, perplexity=10, seed=0, cache_dir=tmp_path)


def test_tsne_cache_key_follows_the_imports_not_a_hand_kept_list():
    with_pca = tsne_mod._key_modules(50)
    without_pca = tsne_mod._key_modules(None)
    # The modules the t-SNE code runs: itself, the subsampler, the checks, the cache.
    assert {"mnist_lesson.tsne", "mnist_lesson.sampling", "mnist_lesson._checks"} <= set(without_pca)
    # The PCA runs only when pca_components is given; the neighbour measures never.
    assert "mnist_lesson.pca" in with_pca and "mnist_lesson.pca" not in without_pca
    assert "mnist_lesson.neighbours" not in with_pca


def test_tsne_cache_key_changes_with_the_code_it_runs(clusters, tmp_path, fit_counter, monkeypatch):
    x, _ = clusters
    options = {"perplexity": 10, "sample": 300, "seed": 0, "cache_dir": tmp_path}
    tsne_mod.tsne(x, **options)
    tsne_mod.tsne(x, pca_components=4, **options)
    assert len(fit_counter) == 2
    # An edit of the PCA code (here: its digest) reaches the key only where the PCA runs.
    real_digest = tsne_mod.source_digest

    def edited_pca(*modules):
        return real_digest(*modules) + ("-edited" if "mnist_lesson.pca" in modules else "")

    monkeypatch.setattr(tsne_mod, "source_digest", edited_pca)
    tsne_mod.tsne(x, **options)
    assert len(fit_counter) == 2
    tsne_mod.tsne(x, pca_components=4, **options)
    assert len(fit_counter) == 3
