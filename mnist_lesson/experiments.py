"""Experiments across models: how the hidden layer's width changes the result."""

from __future__ import annotations

import pandas as pd

from .config import Settings, get_settings
from .model import ModelSpec, lesson_spec, parameter_counts

__all__ = ["DEFAULT_WIDTHS", "DRAFT_WIDTHS", "width_specs", "width_sweep"]

#: Hidden-layer widths of the full sweep: 1, 2, 4, ..., 256.
DEFAULT_WIDTHS = tuple(2**k for k in range(9))
#: The smaller sweep of the draft profile.
DRAFT_WIDTHS = (1, 4, 16, 128)


def width_specs(widths, settings: Settings) -> list[ModelSpec]:
    """One model spec per width; the lesson model's width reuses the lesson model.

    Examples
    --------
    >>> [s.name for s in width_specs([1, 128], Settings())]
    ['width', 'lesson']
    """
    specs = []
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, int) or width < 1:
            raise ValueError(f"widths must be positive integers, got {width!r}")
        lesson = lesson_spec(settings)
        specs.append(lesson if width == lesson.hidden_units else ModelSpec("width", width, settings.l2))
    return specs


def width_sweep(widths=None, *, settings: Settings | None = None, progress=None) -> pd.DataFrame:
    """Train (or load) one model per hidden-layer width and score it on the test set.

    Every model is trained exactly like the lesson model (same data, seed,
    early stopping and checkpoint), only the width changes, and is cached, so
    a rebuild only pays for widths it has not seen.

    Parameters
    ----------
    widths : sequence of int, optional
        Defaults to :data:`DEFAULT_WIDTHS`, or :data:`DRAFT_WIDTHS` in the
        draft profile.
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.
    progress : callable, optional
        Called with a line of text on cache hits and misses.

    Returns
    -------
    DataFrame
        One row per width: ``hidden_units``, ``parameters``,
        ``test_accuracy``, ``val_accuracy`` (best), ``epochs``,
        ``best_epoch``, ``train_seconds``.
    """
    from .data import load_split
    from .encoding import preprocess
    from .evaluation import accuracy, predict_classes, predict_proba
    from .training import get_trained_model

    s = settings or get_settings()
    if widths is None:
        widths = DRAFT_WIDTHS if s.draft else DEFAULT_WIDTHS
    specs = width_specs(list(widths), s)
    split = load_split(s.validation_size, s.seed, cache_dir=s.cache_dir)
    x_test = preprocess(split.x_test)
    rows = []
    for spec in specs:
        trained = get_trained_model(spec, settings=s, progress=progress)
        y_pred = predict_classes(predict_proba(trained.model, x_test))
        rows.append(
            {
                "hidden_units": spec.hidden_units,
                "parameters": parameter_counts(spec.hidden_units)["total"],
                "test_accuracy": accuracy(split.y_test, y_pred),
                "val_accuracy": max(trained.history["val_accuracy"]),
                "epochs": trained.epochs_run,
                "best_epoch": trained.best_epoch,
                "train_seconds": trained.train_seconds,
            }
        )
    return pd.DataFrame(rows)
