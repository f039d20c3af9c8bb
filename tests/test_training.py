"""Tests of mnist_lesson.training on a small synthetic split, plus one on MNIST."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from mnist_lesson import training
from mnist_lesson.cache import CacheWarning
from mnist_lesson.config import Settings
from mnist_lesson.model import ModelSpec


@pytest.fixture
def small(tmp_path, monkeypatch, synthetic_split):
    """Settings for quick runs, and a synthetic split in place of MNIST."""
    split = synthetic_split()
    monkeypatch.setattr(training, "load_split", lambda *a, **k: split)
    return Settings(epochs=4, batch_size=64, cache_dir=tmp_path, seed=1), split


def test_training_learns_and_keeps_the_best_epoch(small):
    settings, split = small
    trained = training.train_model(ModelSpec("tiny", 16), settings=settings, split=split)
    assert set(trained.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert 1 <= trained.epochs_run <= 4
    assert trained.best_epoch == int(np.argmax(trained.history["val_accuracy"])) + 1
    x_val = split.x_val.reshape(len(split.x_val), -1).astype("float32") / 255
    acc = (trained.model.predict(x_val, verbose=0).argmax(1) == split.y_val).mean()
    # The model holds the checkpointed best weights, not the last epoch's.
    assert acc == pytest.approx(max(trained.history["val_accuracy"]), abs=1e-6)
    assert acc > 0.8


def test_early_stopping_stops_after_patience(small):
    settings, split = small
    settings = settings.replace(epochs=30, patience=0)
    trained = training.train_model(ModelSpec("tiny", 16), settings=settings, split=split)
    val = trained.history["val_accuracy"]
    assert trained.epochs_run < 30
    assert val[-1] <= max(val[:-1])  # it stopped on an epoch that did not improve


def test_same_seed_gives_identical_weights(small):
    settings, split = small
    a = training.train_model(ModelSpec("tiny", 8), settings=settings, split=split)
    b = training.train_model(ModelSpec("tiny", 8), settings=settings, split=split)
    for wa, wb in zip(a.model.get_weights(), b.model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert a.history == b.history


def test_epoch_lines_for_book_pages(small, capsys):
    settings, split = small
    training.train_model(ModelSpec("tiny", 8), settings=settings.replace(epochs=2), split=split, verbose="epoch")
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("epoch  1: loss ")
    assert "val_accuracy" in lines[1]
    with pytest.raises(ValueError, match="verbose must be 0, 1, 2 or 'epoch'"):
        training.train_model(ModelSpec("tiny", 8), settings=settings, split=split, verbose=5)


def test_cache_miss_hit_and_rebuild(small):
    settings, _ = small
    spec = ModelSpec("tiny", 8)
    first = training.get_trained_model(spec, settings=settings)
    assert not first.from_cache
    second = training.get_trained_model(spec, settings=settings)
    assert second.from_cache and second.history == first.history
    for wa, wb in zip(first.model.get_weights(), second.model.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    # Another setting that changes training is another entry.
    third = training.get_trained_model(spec, settings=settings.replace(batch_size=32))
    assert not third.from_cache
    # A damaged model file is trained again, with a warning.
    entry = training.cached.__globals__["entry_path"](settings.cache_dir, "models", training.cache_parts(spec, settings))
    (entry / "model.keras").write_bytes(b"not a zip")
    with pytest.warns(CacheWarning, match="could not be read"):
        fourth = training.get_trained_model(spec, settings=settings)
    assert not fourth.from_cache
    assert training.get_trained_model(spec, settings=settings).from_cache


def test_cache_key_covers_what_changes_the_model():
    s = Settings()
    parts = training.cache_parts(ModelSpec("lesson", 128), s)
    assert set(parts) == {"spec", "settings", "source", "versions", "data"}
    assert parts["settings"]["seed"] == 42 and parts["versions"]["tensorflow"]
    other = training.cache_parts(ModelSpec("lesson", 128), s.replace(seed=1))
    assert other != parts
    # t-SNE settings do not change a trained model.
    assert training.cache_parts(ModelSpec("lesson", 128), s.replace(tsne_sample=5000)) == parts


def test_resolve_spec_names():
    s = Settings()
    assert training.resolve_spec("contrast", s).hidden_units == 1
    with pytest.raises(ValueError, match="spec must be 'lesson', 'contrast' or a ModelSpec, got 'big'"):
        training.resolve_spec("big", s)


PROBE = textwrap.dedent(
    """
    import json, time
    t = time.perf_counter()
    from mnist_lesson import load_split, preprocess
    from mnist_lesson.training import get_trained_model
    trained = get_trained_model("lesson")
    seconds = time.perf_counter() - t
    split = load_split()
    proba = trained.model.predict(preprocess(split.x_test), verbose=0, batch_size=2048)
    accuracy = float((proba.argmax(1) == split.y_test).mean())
    print(json.dumps({"from_cache": trained.from_cache, "seconds": seconds, "accuracy": accuracy,
                      "best_epoch": trained.best_epoch}))
    """
)


def _probe():
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=1800)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.data
def test_lesson_model_on_mnist_reaches_97_percent_and_is_cached(mnist):
    first = _probe()
    assert first["accuracy"] >= 0.97, first
    second = _probe()  # a new process: the model comes from the cache
    assert second["from_cache"] and second["accuracy"] == first["accuracy"]
    print(f"lesson model: test accuracy {first['accuracy']:.4f}, cache hit in {second['seconds']:.1f} s")


def test_the_cache_key_holds_the_code_of_every_module_training_imports():
    from mnist_lesson.training import training_modules

    modules = training_modules()
    # The four modules that were once listed by hand, and what they import in turn
    # (the hold-out is drawn by mnist_lesson.sampling, imported by mnist_lesson.data).
    assert {"mnist_lesson.data", "mnist_lesson.encoding", "mnist_lesson.model", "mnist_lesson.training"} <= set(modules)
    assert {"mnist_lesson.sampling", "mnist_lesson.config", "mnist_lesson._checks"} <= set(modules)
    # Code training never runs is not part of the key.
    assert not {"mnist_lesson.tsne", "mnist_lesson.pca", "mnist_lesson.plotting"} & set(modules)
    assert modules == sorted(modules)
