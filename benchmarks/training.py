"""Benchmark training: mnist_lesson's train_model against a bare Keras fit.

Both train the lesson model on the same arrays for the same number of epochs
(early stopping is given a patience larger than the epochs, so it never
stops early), with the same seed; the difference is what train_model adds
(callbacks, checkpoint of the best weights, reloading them). Each is run
twice and the faster run counts. Prints both times and the overhead.

Usage: .venv/bin/python benchmarks/training.py  (about 3 minutes on 2 cores)
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from _common import ROOT, record  # noqa: E402

sys.path.insert(0, str(ROOT))
from mnist_lesson import build_model, get_settings, load_split  # noqa: E402
from mnist_lesson.model import ModelSpec  # noqa: E402
from mnist_lesson.training import prepare_arrays, set_seeds, train_model  # noqa: E402

EPOCHS = 5


def bare_fit(arrays, settings) -> float:
    set_seeds(settings.seed)
    model = build_model(settings.hidden_units, seed=settings.seed)
    started = time.perf_counter()
    model.fit(arrays["x_train"], arrays["y_train_onehot"], validation_data=(arrays["x_val"], arrays["y_val_onehot"]),
              epochs=EPOCHS, batch_size=settings.batch_size, shuffle=True, verbose=0)
    return time.perf_counter() - started


def lesson_fit(split, settings) -> float:
    trained = train_model(ModelSpec("lesson", settings.hidden_units), settings=settings, split=split)
    return trained.train_seconds


def main() -> None:
    settings = get_settings().replace(epochs=EPOCHS, patience=EPOCHS + 1)
    split = load_split(settings.validation_size, settings.seed)
    arrays = prepare_arrays(split)
    bare = min(bare_fit(arrays, settings) for _ in range(2))
    ours = min(lesson_fit(split, settings) for _ in range(2))
    overhead = 100 * (ours / bare - 1)
    print(f"training the lesson model for {EPOCHS} epochs on {os.cpu_count()} cores (best of two)")
    print(f"  bare Keras fit           {bare:6.1f} s")
    print(f"  mnist_lesson train_model {ours:6.1f} s")
    print(f"  overhead                 {overhead:6.1f} %  (target <= 5 %)")
    record("training", {"epochs": EPOCHS, "bare_fit_seconds": round(bare, 1), "train_model_seconds": round(ours, 1),
                        "overhead_percent": round(overhead, 1)})


if __name__ == "__main__":
    main()
