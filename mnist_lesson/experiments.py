"""Experiments across models: how the hidden layer's width changes the result.

Width 0 is the network without a hidden layer (the linear baseline). The
sentences the appendix builds from a sweep are worded here, from its numbers
(:func:`sweep_findings`), so that they hold for any settings.
"""

from __future__ import annotations

import pandas as pd

from ._checks import check_int
from .claims import compare_words, join_words
from .config import Settings, get_settings
from .model import ModelSpec, lesson_spec, parameter_counts

__all__ = ["DEFAULT_WIDTHS", "DRAFT_WIDTHS", "sweep_findings", "sweep_table", "width_specs", "width_sweep"]

#: Hidden-layer widths of the full sweep: none (the linear baseline), then 1, 2, 4, ..., 256.
DEFAULT_WIDTHS = (0, *(2**k for k in range(9)))
#: The smaller sweep of the draft profile.
DRAFT_WIDTHS = (0, 1, 4, 16, 128)


def width_specs(widths, settings: Settings) -> list[ModelSpec]:
    """One model spec per width; the lesson model's width reuses the lesson model.

    Every width gets the lesson model's L2 penalty (``settings.l2``); width 0
    is the network without a hidden layer.

    Examples
    --------
    >>> [s.name for s in width_specs([0, 1, 128], Settings())]
    ['linear', 'width', 'lesson']
    """
    specs = []
    lesson = lesson_spec(settings)
    for width in widths:
        check_int("width", width, minimum=0)
        if width == 0:
            specs.append(ModelSpec("linear", 0))
        else:
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
        One row per width: ``hidden_units``, ``parameters``, ``l2``,
        ``test_accuracy``, ``val_accuracy`` (best), ``epochs`` (run),
        ``best_epoch``, ``hit_ceiling`` (True when training ran to the
        ``epochs`` setting without early stopping), ``train_seconds`` and
        ``seconds_per_epoch``.
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
                "l2": spec.l2,
                "test_accuracy": accuracy(split.y_test, y_pred),
                "val_accuracy": max(trained.history["val_accuracy"]),
                "epochs": trained.epochs_run,
                "best_epoch": trained.best_epoch,
                "hit_ceiling": trained.epochs_run >= s.epochs,
                "train_seconds": trained.train_seconds,
                "seconds_per_epoch": trained.train_seconds / trained.epochs_run,
            }
        )
    return pd.DataFrame(rows)


#: Readable headers of :func:`sweep_table`.
_HEADERS = {
    "hidden_units": "hidden units",
    "parameters": "parameters",
    "test_accuracy": "test accuracy",
    "val_accuracy": "best validation accuracy",
    "epochs": "epochs run",
    "best_epoch": "best epoch",
    "stopped_by": "stopped by",
    "seconds_per_epoch": "seconds per epoch",
}


def sweep_table(results: pd.DataFrame):
    """The sweep as the appendix shows it: readable headers, per cent, how each run stopped.

    Parameters
    ----------
    results : DataFrame
        As :func:`width_sweep` returns it.

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    table = results.copy()
    table["hidden_units"] = table["hidden_units"].map(lambda w: "none" if w == 0 else str(w))
    table["stopped_by"] = table["hit_ceiling"].map({True: "epoch ceiling", False: "early stopping"})
    table = table[list(_HEADERS)].rename(columns=_HEADERS)
    return table.style.format(
        {"test accuracy": "{:.2%}", "best validation accuracy": "{:.2%}", "parameters": "{:,}",
         "seconds per epoch": "{:.1f}"}
    ).hide(axis="index")


def sweep_findings(results: pd.DataFrame, *, epochs: int) -> dict:
    """What the appendix says about a sweep, worded from its numbers.

    Parameters
    ----------
    results : DataFrame
        As :func:`width_sweep` returns it, with width 0 (the linear baseline)
        and width 1 among its rows.
    epochs : int
        The ``epochs`` setting: the ceiling on training epochs.

    Returns
    -------
    dict
        ``one_vs_none`` ("worse" or "better"), ``linear_accuracy``,
        ``one_accuracy``, ``largest_gain`` and ``smallest_gain`` (points of
        accuracy between neighbouring widths, with ``largest_gain_from``,
        ``largest_gain_to``, ``smallest_gain_from``, ``smallest_gain_to``),
        ``fastest_epoch`` and ``slowest_epoch`` (seconds, with
        ``fastest_width`` and ``slowest_width``), and ``ceiling_text``, a
        sentence on which runs hit the epoch ceiling.

    Examples
    --------
    >>> table = pd.DataFrame({"hidden_units": [0, 1, 2], "test_accuracy": [0.92, 0.35, 0.70],
    ...                       "seconds_per_epoch": [1.0, 1.2, 1.1], "hit_ceiling": [False, True, False]})
    >>> found = sweep_findings(table, epochs=30)
    >>> found["one_vs_none"], found["ceiling_text"]
    ('worse', 'Only the run with 1 hidden unit trained for all 30 epochs: early stopping ended every other run.')
    """
    by_width = results.sort_values("hidden_units").reset_index(drop=True)
    widths = by_width["hidden_units"].tolist()
    if 0 not in widths or 1 not in widths:
        raise ValueError(f"the sweep needs widths 0 and 1 to compare them, got {widths}")
    accuracy = dict(zip(widths, by_width["test_accuracy"]))
    hidden = by_width[by_width["hidden_units"] > 0].reset_index(drop=True)
    gains = hidden["test_accuracy"].diff().iloc[1:] * 100
    found = {
        "linear_accuracy": float(accuracy[0]),
        "one_accuracy": float(accuracy[1]),
        "one_vs_none": compare_words(accuracy[1], accuracy[0], higher="better", lower="worse", same="as good"),
    }
    if len(gains):
        largest, smallest = gains.idxmax(), gains.idxmin()
        found.update(
            largest_gain=float(gains[largest]), largest_gain_from=int(hidden["hidden_units"][largest - 1]),
            largest_gain_to=int(hidden["hidden_units"][largest]),
            smallest_gain=float(gains[smallest]), smallest_gain_from=int(hidden["hidden_units"][smallest - 1]),
            smallest_gain_to=int(hidden["hidden_units"][smallest]),
        )
    fastest, slowest = by_width["seconds_per_epoch"].idxmin(), by_width["seconds_per_epoch"].idxmax()
    found.update(
        fastest_epoch=float(by_width["seconds_per_epoch"][fastest]), fastest_width=_width_name(widths[fastest]),
        slowest_epoch=float(by_width["seconds_per_epoch"][slowest]), slowest_width=_width_name(widths[slowest]),
    )
    ceiling = [_width_name(w) for w, hit in zip(widths, by_width["hit_ceiling"]) if hit]
    if not ceiling:
        found["ceiling_text"] = f"Early stopping ended every run before the ceiling of {epochs} epochs."
    elif len(ceiling) == len(widths):
        found["ceiling_text"] = (
            f"Every run trained for all {epochs} epochs, the ceiling: early stopping never ended one, "
            "so longer training might change these numbers."
        )
    elif len(ceiling) == 1:
        found["ceiling_text"] = (
            f"Only the run with {ceiling[0]} trained for all {epochs} epochs: early stopping ended every other run."
        )
    else:
        found["ceiling_text"] = (
            f"The runs with {join_words(ceiling)} trained for all {epochs} epochs, the ceiling; "
            "early stopping ended the others."
        )
    return found


def _width_name(width: int) -> str:
    return "no hidden layer" if width == 0 else f"{width} hidden unit{'s' if width != 1 else ''}"
