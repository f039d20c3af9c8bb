"""Evaluation: confusion and error matrices (seaborn heat maps), styled probability tables."""

from __future__ import annotations

import numpy as np

from .._checks import check_int
from ._common import (
    COLUMN_WIDTH,
    CORRECT_COLOR,
    MIN_FONT_PT,
    WRONG_COLOR,
    _as_images,
    _as_labels,
    _axes_or_new,
    _check_size,
    _figure_or_new,
    _format_number,
    _get_cmap,
    _heatmap,
    _image_range,
    _is_numeric,
)

__all__ = ["plot_confusion_matrix", "plot_error_matrix", "style_probabilities", "plot_misclassified"]


# ---------------------------------------------------------------------------
# Evaluation: confusion and error matrices, probabilities
# ---------------------------------------------------------------------------


def _as_square_matrix(matrix, name: str) -> np.ndarray:
    if not _is_numeric(matrix):
        raise ValueError(f"{name} must hold numbers, got dtype {np.asarray(matrix).dtype}")
    arr = np.asarray(matrix, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"{name} must be a square matrix (n_classes, n_classes), got shape {arr.shape}")
    return arr


def _cell_fontsize(n: int) -> float:
    """Size, in points, of the numbers in the cells of an ``n`` by ``n`` matrix."""
    return 9.0 if n <= 10 else max(4.0, 90.0 / n)


def plot_confusion_matrix(cm, *, ax=None, normalize=False, cmap="Blues", class_names=None, colorbar=True):
    """Annotated heat map of a confusion matrix: true class down, predicted across.

    Drawn with seaborn's ``heatmap``: cell ``(i, j)`` is centred at ``x = j + 0.5,
    y = i + 0.5``, true class 0 at the top.

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts; ``cm[i, j]`` is the number of images of true class ``i``
        predicted as ``j`` (scikit-learn's convention).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    normalize : bool, default False
        If True, show each row as per cent of its true class (one decimal);
        otherwise show the counts as integers.
    cmap : str or Colormap, default "Blues"
        Colour map; the text is white on dark cells and near-black on light ones.
    class_names : sequence of str, optional
        Tick labels; by default ``0 .. n_classes - 1``.
    colorbar : bool, default True
        Whether to add a colour bar.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_confusion_matrix([[5, 1], [0, 4]], ax=Figure().subplots())
    >>> [t.get_text() for t in ax.texts]
    ['5', '1', '0', '4']
    """
    cm = _as_square_matrix(cm, "cm")
    n = cm.shape[0]
    if not np.all(np.isfinite(cm)) or np.any(cm < 0):
        raise ValueError("cm must hold finite, non-negative counts")
    if class_names is not None and len(class_names) != n:
        raise ValueError(f"class_names must name each of the {n} classes, got {len(class_names)} names")
    if normalize:
        totals = cm.sum(axis=1, keepdims=True)
        values = np.divide(100.0 * cm, totals, out=np.zeros_like(cm), where=totals > 0)
        texts = [[f"{v:.1f}" for v in row] for row in values]
        bar_label = "% of the true class"
    else:
        values = cm
        texts = [[_format_number(v) for v in row] for row in values]
        bar_label = "number of images"
    ax = _axes_or_new(ax, (6.4, 5.4) if colorbar else (5.4, 5.4))
    names = range(n) if class_names is None else class_names
    _heatmap(ax, values, cmap=cmap, vmin=0, vmax=max(float(values.max()), 1e-12), texts=texts,
             fontsize=_cell_fontsize(n), colorbar=colorbar, bar_label=bar_label, tick_labels=names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("confusion matrix (% of each true class)" if normalize else "confusion matrix")
    return ax


def plot_error_matrix(errors, *, ax=None, cmap="Reds"):
    """Heat map of where the errors go, per cent of each true class, diagonal blank.

    Drawn with seaborn's ``heatmap``, laid out as :func:`plot_confusion_matrix`.

    Parameters
    ----------
    errors : array-like of shape (n_classes, n_classes)
        Row-normalised error rates between 0 and 1: ``errors[i, j]`` is the
        share of images of true class ``i`` predicted as ``j``. The diagonal
        (right answers) is left out whatever it holds, usually NaN, and drawn
        as a blank light-grey cell; other NaN cells are drawn the same way.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    cmap : str or Colormap, default "Reds"
        Colour map for the rates.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> errors = np.array([[np.nan, 0.02], [0.1, np.nan]])
    >>> ax = plot_error_matrix(errors, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.texts]
    ['2.0', '10.0']
    """
    errors = _as_square_matrix(errors, "errors")
    n = errors.shape[0]
    pct = 100.0 * errors
    np.fill_diagonal(pct, np.nan)
    finite = pct[np.isfinite(pct)]
    if np.any(np.isinf(pct)) or np.any(finite < 0) or np.any(finite > 100.0 + 1e-9):
        raise ValueError(
            "errors must hold row-normalised error rates between 0 and 1 (NaN allowed), got values "
            f"from {np.nanmin(errors):g} to {np.nanmax(errors):g}; divide a confusion matrix's rows "
            "by their sums first"
        )
    vmax = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    colormap = _get_cmap(cmap).with_extremes(bad="#eeeeee")
    ax = _axes_or_new(ax, (6.4, 5.4))
    texts = [["" if not np.isfinite(v) else "0" if v == 0 else f"{v:.1f}" for v in row] for row in pct]
    _heatmap(ax, pct, cmap=colormap, vmin=0, vmax=vmax, texts=texts, fontsize=_cell_fontsize(n),
             mask=~np.isfinite(pct), bar_label="% of the true class", tick_labels=range(n))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title("errors: % of each true class predicted as another class")
    return ax


def style_probabilities(proba, *, y_true=None, precision=1):
    """A styled table of predicted probabilities in per cent, with a colour gradient.

    Parameters
    ----------
    proba : array-like of shape (n_images, n_classes)
        Predicted probabilities between 0 and 1, one row per image.
    y_true : array-like of int, shape (n_images,), optional
        The true classes, added as a column ``"true"``; the ``"predicted"``
        column is then green where it is right and red and bold where wrong.
    precision : int, default 1
        Decimals of the per cent values.

    Returns
    -------
    pandas.io.formats.style.Styler
        Rows ``"image 0"``, ``"image 1"``, ...; columns the classes ``0 ..
        n_classes - 1``, then ``"predicted"`` (and ``"true"``). Render it with
        ``.to_html()`` or show it in a notebook; ``.data`` holds the table.

    Examples
    --------
    >>> styler = style_probabilities([[0.9, 0.1]], y_true=[0])
    >>> styler.data
             0     1  predicted  true
    image 0  90.0  10.0          0     0
    >>> "90.0 %" in styler.to_html()
    True
    """
    import pandas as pd

    if not _is_numeric(proba):
        raise ValueError(f"proba must hold numbers, got dtype {np.asarray(proba).dtype}")
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2 or proba.shape[0] == 0 or proba.shape[1] == 0:
        raise ValueError(f"proba must have shape (n_images, n_classes), got shape {proba.shape}")
    if not np.all(np.isfinite(proba)) or proba.min() < -1e-6 or proba.max() > 1 + 1e-6:
        raise ValueError(
            f"proba must hold probabilities between 0 and 1, got values from {np.nanmin(proba):g} "
            f"to {np.nanmax(proba):g}"
        )
    precision = check_int("precision", precision, minimum=0)
    n, k = proba.shape
    classes = list(range(k))
    table = pd.DataFrame(100.0 * proba, index=[f"image {i}" for i in range(n)], columns=classes)
    table["predicted"] = proba.argmax(axis=1)
    if y_true is not None:
        table["true"] = _as_labels(y_true, "y_true", n, num_classes=k)

    styler = table.style.background_gradient(cmap="Blues", vmin=0, vmax=100, subset=classes)
    styler = styler.format(lambda v: f"{v:.{precision}f} %", subset=classes)
    caption = f"Predicted probability of each digit, in per cent, for {n} images."
    if y_true is not None:
        right = table["predicted"] == table["true"]
        styler = styler.apply(
            lambda col: [
                f"color: {CORRECT_COLOR}" if ok else f"color: {WRONG_COLOR}; font-weight: bold"
                for ok in right
            ],
            subset=["predicted"],
            axis=0,
        )
        caption += f" {int(right.sum())} of {n} predictions are right; wrong ones are in bold red."
    return styler.set_caption(caption)


def _as_class_pairs(pairs, num_classes: int) -> list[tuple[int, int]]:
    """Return ``pairs`` (a DataFrame with ``true`` and ``predicted``, or tuples) as int pairs."""
    if hasattr(pairs, "columns"):
        missing = [c for c in ("true", "predicted") if c not in pairs.columns]
        if missing:
            raise ValueError(
                f"pairs must have columns 'true' and 'predicted' (as from most_confused_pairs), "
                f"got columns {list(pairs.columns)}"
            )
        pairs = list(zip(pairs["true"], pairs["predicted"]))
    arr = _as_labels(np.asarray(pairs).reshape(-1), "pairs", num_classes=num_classes)
    if arr.size == 0 or arr.size % 2:
        raise ValueError(
            f"pairs must list at least one (true, predicted) pair of classes, got {len(arr)} numbers"
        )
    out = [(int(t), int(p)) for t, p in arr.reshape(-1, 2)]
    same = [t for t, p in out if t == p]
    if same:
        raise ValueError(
            f"pairs must name mistakes, a true class and a different predicted class, got ({same[0]}, {same[0]})"
        )
    return out


def plot_misclassified(images, y_true, y_pred, pairs, *, per_pair=10, size=None, fig=None):
    """Gallery of mistakes: one row of images for each (true, predicted) pair of classes.

    Row ``r`` shows the first ``per_pair`` images (in the order of ``images``)
    whose true class is ``pairs[r][0]`` and whose predicted class is
    ``pairs[r][1]``. Each image is titled like :func:`plot_digits` titles a
    wrong prediction, ``"3 (true 5)"`` in bold red, and each row says how
    many such images there are in all. Unused cells stay blank, so every row
    has ``per_pair`` cells and images keep the same size.

    Parameters
    ----------
    images : array-like of shape (n_images, 28, 28) or (n_images, 784)
        Grey-scale images, raw (0..255) or rescaled (0..1).
    y_true, y_pred : array-like of int, shape (n_images,)
        True and predicted classes, from 0 to 9.
    pairs : pandas.DataFrame or sequence of (int, int)
        The mistakes to show, as ``(true, predicted)`` pairs of different
        classes; a DataFrame needs the columns ``true`` and ``predicted``
        (for example ``most_confused_pairs(cm).head(3)``).
    per_pair : int, default 10
        Most images shown per pair.
    size : float, optional
        Width of one image in inches; by default 1 inch, or less so that the
        row fits the book's text column (``COLUMN_WIDTH``).
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the gallery; by default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure, holding the gallery; ``fig.subfigs`` holds
        one subfigure per pair, titled like ``"true 5, predicted 3: 10 of 24
        images"``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> images = np.zeros((4, 28, 28))
    >>> fig = plot_misclassified(images, [5, 5, 3, 5], [3, 5, 3, 3], [(5, 3)],
    ...                          per_pair=3, fig=Figure())
    >>> fig.subfigs[0].get_suptitle()
    'true 5, predicted 3: 2 of 2 images'
    >>> [ax.get_title() for ax in fig.axes if ax.images]
    ['3 (true 5)', '3 (true 5)']
    """
    images = _as_images(images, "images")
    n = len(images)
    y_true = _as_labels(y_true, "y_true", n)
    y_pred = _as_labels(y_pred, "y_pred", n)
    pairs = _as_class_pairs(pairs, num_classes=10)
    per_pair = check_int("per_pair", per_pair)
    size = min(1.0, COLUMN_WIDTH / per_pair) if size is None else _check_size(size)

    fig = _figure_or_new(fig, (per_pair * size, len(pairs) * (size * 1.25 + 0.4)))
    rows = fig.subfigures(len(pairs), 1, squeeze=False)[:, 0]
    vmin, vmax = _image_range(images)
    fontsize = max(MIN_FONT_PT + 0.5, 9.0 * size)
    for row, (true, predicted) in zip(rows, pairs):
        found = np.flatnonzero((y_true == true) & (y_pred == predicted))
        shown = found[:per_pair]
        row.suptitle(
            f"true {true}, predicted {predicted}: {len(shown)} of {len(found)} images",
            fontsize="large",
        )
        axes = row.subplots(1, per_pair, squeeze=False)[0]
        for ax, index in zip(axes, list(shown) + [None] * (per_pair - len(shown))):
            ax.set_axis_off()
            if index is None:
                continue
            ax.imshow(images[index], cmap="gray_r", vmin=vmin, vmax=vmax, interpolation="nearest")
            ax.set_title(f"{predicted} (true {true})", fontsize=fontsize, color=WRONG_COLOR,
                         fontweight="bold")
    return fig
