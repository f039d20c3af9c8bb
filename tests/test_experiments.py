"""Tests of mnist_lesson.experiments: the width sweep on a small synthetic split, and its wording."""

import pandas as pd
import pytest

from mnist_lesson import data, training
from mnist_lesson.config import Settings
from mnist_lesson.experiments import (
    DEFAULT_WIDTHS,
    DRAFT_WIDTHS,
    sweep_findings,
    sweep_table,
    width_specs,
    width_sweep,
)


def test_default_widths_are_the_baseline_then_doubling_from_1_to_256():
    assert DEFAULT_WIDTHS == (0, 1, 2, 4, 8, 16, 32, 64, 128, 256)
    assert set(DRAFT_WIDTHS) <= set(DEFAULT_WIDTHS) and {0, 1} <= set(DRAFT_WIDTHS)


def test_width_specs_reuse_the_lesson_model_and_validate():
    specs = width_specs([0, 2, 128], Settings(l2=0.01))
    assert [(s.name, s.hidden_units, s.l2) for s in specs] == [("linear", 0, 0.0), ("width", 2, 0.01), ("lesson", 128, 0.01)]
    with pytest.raises(ValueError, match="width must be at least 0, got -1"):
        width_specs([-1], Settings())


def test_width_sweep_trains_scores_and_caches(tmp_path, monkeypatch, synthetic_split):
    split = synthetic_split(n_train=400, n_val=100, n_test=150)
    monkeypatch.setattr(training, "load_split", lambda *a, **k: split)
    monkeypatch.setattr(data, "load_split", lambda *a, **k: split)
    settings = Settings(epochs=2, cache_dir=tmp_path)
    table = width_sweep([0, 1, 8], settings=settings)
    assert table["hidden_units"].tolist() == [0, 1, 8]
    assert table["parameters"].tolist() == [7850, 805, 8 * 785 + 90]
    assert table["test_accuracy"].between(0, 1).all()
    assert (table["epochs"] >= table["best_epoch"]).all()
    assert table["hit_ceiling"].tolist() == (table["epochs"] == 2).tolist()
    assert (table["seconds_per_epoch"] * table["epochs"]).round(6).tolist() == table["train_seconds"].round(6).tolist()
    again = width_sweep([0, 1, 8], settings=settings)
    assert again["train_seconds"].tolist() == table["train_seconds"].tolist()  # from the cache
    shown = sweep_table(table).to_html()
    assert "hidden units" in shown and "stopped by" in shown and "none" in shown


def sweep(accuracies, ceiling, seconds=None):
    widths = [0, 1, 2, 4][: len(accuracies)]
    return pd.DataFrame({"hidden_units": widths, "test_accuracy": accuracies, "hit_ceiling": ceiling,
                         "seconds_per_epoch": seconds or [1.0] * len(widths)})


def test_findings_are_worded_from_the_numbers():
    found = sweep_findings(sweep([0.92, 0.35, 0.60, 0.95], [False, True, True, False], [2.0, 1.5, 3.0, 2.5]), epochs=30)
    assert found["one_vs_none"] == "worse"
    assert (found["largest_gain_from"], found["largest_gain_to"], round(found["largest_gain"], 6)) == (2, 4, 35.0)
    assert (found["smallest_gain_from"], found["smallest_gain_to"]) == (1, 2)
    assert (found["fastest_width"], found["slowest_width"]) == ("1 hidden unit", "2 hidden units")
    assert found["ceiling_text"] == (
        "The runs with 1 hidden unit and 2 hidden units trained for all 30 epochs, the ceiling; "
        "early stopping ended the others."
    )
    assert sweep_findings(sweep([0.3, 0.4, 0.5], [False] * 3), epochs=5)["one_vs_none"] == "better"
    assert sweep_findings(sweep([0.3, 0.4], [False] * 2), epochs=5)["ceiling_text"] == (
        "Early stopping ended every run before the ceiling of 5 epochs."
    )
    assert "Every run trained for all 5 epochs" in sweep_findings(sweep([0.3, 0.4], [True] * 2), epochs=5)["ceiling_text"]
    with pytest.raises(ValueError, match="needs widths 0 and 1"):
        sweep_findings(sweep([0.3], [False]), epochs=5)
