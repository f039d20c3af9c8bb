"""Tests of mnist_lesson.experiments: the width sweep on a small synthetic split."""

import pytest

from mnist_lesson import data, training
from mnist_lesson.config import Settings
from mnist_lesson.experiments import DEFAULT_WIDTHS, DRAFT_WIDTHS, width_specs, width_sweep


def test_default_widths_double_from_1_to_256():
    assert DEFAULT_WIDTHS == (1, 2, 4, 8, 16, 32, 64, 128, 256)
    assert set(DRAFT_WIDTHS) <= set(DEFAULT_WIDTHS)


def test_width_specs_reuse_the_lesson_model_and_validate():
    specs = width_specs([2, 128], Settings())
    assert [(s.name, s.hidden_units) for s in specs] == [("width", 2), ("lesson", 128)]
    with pytest.raises(ValueError, match="widths must be positive integers, got 0"):
        width_specs([0], Settings())


def test_width_sweep_trains_scores_and_caches(tmp_path, monkeypatch, synthetic_split):
    split = synthetic_split(n_train=400, n_val=100, n_test=150)
    monkeypatch.setattr(training, "load_split", lambda *a, **k: split)
    monkeypatch.setattr(data, "load_split", lambda *a, **k: split)
    settings = Settings(epochs=2, cache_dir=tmp_path)
    table = width_sweep([1, 8], settings=settings)
    assert table["hidden_units"].tolist() == [1, 8]
    assert table["parameters"].tolist() == [805, 8 * 785 + 90]
    assert table["test_accuracy"].between(0, 1).all()
    assert (table["epochs"] >= table["best_epoch"]).all()
    again = width_sweep([1, 8], settings=settings)
    assert again["train_seconds"].tolist() == table["train_seconds"].tolist()  # from the cache
