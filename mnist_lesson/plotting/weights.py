"""What each hidden unit looks for: weight images, one image's forward pass, the one-unit logit lines."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.patches import Patch

from .._checks import check_int
from ..encoding import IMAGE_SIDE, NUM_CLASSES
from ._common import (
    CLASS_COLORS,
    COLUMN_WIDTH,
    STACKED_WIDTH,
    _as_float_vector,
    _as_images,
    _axes_or_new,
    _check_size,
    _figure_or_new,
    _get_cmap,
)

__all__ = ["plot_unit_weights", "plot_pre_activations", "plot_logits", "plot_logit_lines"]

#: Grey of the things that are "off": silent units, dead-unit crosses, the histogram.
_GREY = "#999999"


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal consecutive values."""
    starts = [0, *(np.flatnonzero(values[1:] != values[:-1]) + 1).tolist(), len(values)]
    return list(zip(starts[:-1], starts[1:]))


def plot_unit_weights(images, *, digits=None, dead=None, ncols=16, size=None, limit=None, cmap="RdBu_r",
                      ax=None):
    """Hidden units' pixel weights as 28x28 tiles on one signed colour scale.

    Every tile is one unit's weight vector (:func:`~mnist_lesson.unit_weights.weight_images`),
    red where ink raises the unit's weighted sum and blue where it lowers it, on
    one colour scale symmetric about zero (white) shared by all tiles, with a
    colour bar.

    Parameters
    ----------
    images : array-like of shape (n_units, 28, 28) or (n_units, 784)
        The weight images, in the order to draw them.
    digits : array-like of int of shape (n_units,), optional
        A digit per tile (for example the one the unit votes for most,
        :func:`~mnist_lesson.unit_weights.unit_order`). Each run of equal
        digits starts a new row and is labelled with its digit on the left.
    dead : array-like of bool of shape (n_units,), optional
        Tiles to cross out in grey (units that never fire).
    ncols : int, default 16
        Tiles per row.
    size : float, optional
        Width of one tile in inches, when the function makes its own figure;
        by default 0.45 inches, or less so that a row fits the text column.
    limit : float, optional
        The colour scale runs from ``-limit`` to ``limit``; by default the
        largest absolute weight. Weights beyond it get the end colours.
    cmap : str or Colormap, default "RdBu_r"
        A diverging colour map (ColorBrewer's red-blue, safe for colour-blind readers).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure as wide as the text column.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> tiles = np.stack([np.eye(28), -np.eye(28), np.ones((28, 28))])
    >>> ax = plot_unit_weights(tiles, digits=[0, 0, 3], ncols=2, ax=Figure().subplots())
    >>> [t.get_text() for t in ax.get_yticklabels()], [float(v) for v in ax.images[0].get_clim()]
    (['0', '3'], [-1.0, 1.0])
    """
    tiles = _as_images(images, "images").astype(float)
    n = len(tiles)
    if n == 0:
        raise ValueError(f"images must hold at least one weight image, got shape {tiles.shape}")
    if not np.all(np.isfinite(tiles)):
        raise ValueError("images must hold finite numbers, got NaN or infinity")
    ncols = check_int("ncols", ncols)
    if digits is None:
        groups = np.zeros(n, dtype=int)
    else:
        groups = np.asarray(digits)
        if groups.shape != (n,) or not np.issubdtype(groups.dtype, np.integer):
            raise ValueError(f"digits must hold one whole number per image ({n}), got {groups!r:.80}")
    crossed = np.zeros(n, dtype=bool) if dead is None else np.asarray(dead)
    if crossed.shape != (n,) or crossed.dtype != bool:
        raise ValueError(f"dead must hold one True or False per image ({n}), got {crossed!r:.80}")
    if limit is None:
        limit = float(np.abs(tiles).max()) or 1.0
    elif isinstance(limit, bool) or not isinstance(limit, (int, float, np.integer, np.floating)) or not limit > 0:
        raise ValueError(f"limit must be a positive number, got {limit!r}")
    runs = _runs(groups)
    ncols = min(ncols, max(stop - start for start, stop in runs))
    step = IMAGE_SIDE + 2
    rows = [(start + r * ncols, min(stop, start + (r + 1) * ncols), r == 0)
            for start, stop in runs for r in range(math.ceil((stop - start) / ncols))]
    mosaic = np.full((len(rows) * step - 2, ncols * step - 2), np.nan)
    positions = {}
    for row, (start, stop, _) in enumerate(rows):
        for col, i in enumerate(range(start, stop)):
            top, left = row * step, col * step
            mosaic[top : top + IMAGE_SIDE, left : left + IMAGE_SIDE] = tiles[i]
            positions[i] = (top, left)
    tile_in = min(0.45, (COLUMN_WIDTH - 1.2) / ncols) if size is None else _check_size(size)
    ax = _axes_or_new(ax, (ncols * tile_in + 1.2, len(rows) * tile_in + 0.6))
    colours = _get_cmap(cmap).with_extremes(bad="white")
    im = ax.imshow(mosaic, cmap=colours, vmin=-float(limit), vmax=float(limit), interpolation="nearest")
    for i in np.flatnonzero(crossed):
        top, left = positions[i]
        edge = IMAGE_SIDE - 0.5
        ax.plot([left - 0.5, left + edge], [top - 0.5, top + edge], color=_GREY, linewidth=1.2)
        ax.plot([left - 0.5, left + edge], [top + edge, top - 0.5], color=_GREY, linewidth=1.2)
    ax.set_xticks([])
    if digits is None:
        ax.set_yticks([])
    else:
        firsts = [(row, groups[start]) for row, (start, _, first) in enumerate(rows) if first]
        ax.set_yticks([row * step + IMAGE_SIDE / 2 for row, _ in firsts], labels=[str(d) for _, d in firsts])
        ax.tick_params(axis="y", length=0)
        ax.set_ylabel("the digit the units vote for most")
    for side in ax.spines.values():
        side.set_visible(False)
    clipped = float(np.abs(tiles).max()) > float(limit)
    ax.figure.colorbar(im, ax=ax, label="weight", shrink=0.8, extend="both" if clipped else "neither")
    return ax


def plot_pre_activations(pre_activation, *, ax=None):
    """One image's pre-activations, sorted, with the ReLU's cut at zero.

    Parameters
    ----------
    pre_activation : array-like of shape (n_units,)
        ``x . w_j + b_j`` of every hidden unit for one image
        (:func:`~mnist_lesson.unit_weights.decompose`).
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_pre_activations([0.5, -1.0, 2.0], ax=Figure().subplots())
    >>> [float(p.get_height()) for p in ax.patches]
    [2.0, 0.5, -1.0]
    """
    values = _as_float_vector(pre_activation, "pre_activation")
    if len(values) == 0 or not np.all(np.isfinite(values)):
        raise ValueError("pre_activation must hold at least one finite number per hidden unit")
    values = np.sort(values)[::-1]
    fires = values > 0
    ax = _axes_or_new(ax, (STACKED_WIDTH, 3.0))
    positions = np.arange(len(values))
    colours = np.where(fires, CLASS_COLORS[0], _GREY)
    ax.bar(positions, values, width=1.0, color=colours, linewidth=0)
    ax.axhline(0, color="black", linewidth=0.8)
    n_fire = int(fires.sum())
    if 0 < n_fire < len(values):
        ax.axvline(n_fire - 0.5, color="black", linestyle=":", linewidth=1)
    handles = [
        Patch(color=CLASS_COLORS[0], label=f"fires: {n_fire} units pass w·x + b on"),
        Patch(color=_GREY, label=f"silent: {len(values) - n_fire} units, ReLU gives 0"),
    ]
    ax.legend(handles=handles, loc="upper right", fontsize="small")
    ax.set_xlim(-0.5, len(values) - 0.5)
    ax.set_xlabel("hidden units, sorted by pre-activation")
    ax.set_ylabel("pre-activation w·x + b")
    return ax


def plot_logits(logits, *, probabilities=None, ax=None):
    """The ten scores (logits) of one image as bars, the highest one marked.

    Parameters
    ----------
    logits : array-like of shape (10,)
        The output layer's weighted sums before the softmax.
    probabilities : array-like of shape (10,), optional
        The softmax of ``logits``; when given, the highest bar is labelled
        with its probability.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_logits(np.arange(10.0), probabilities=np.full(10, 0.1), ax=Figure().subplots())
    >>> ax.texts[0].get_text()
    '9: 10.0%'
    """
    scores = _as_float_vector(logits, "logits")
    if scores.shape != (NUM_CLASSES,) or not np.all(np.isfinite(scores)):
        raise ValueError(f"logits must hold {NUM_CLASSES} finite numbers, one per digit, got shape {scores.shape}")
    best = int(scores.argmax())
    ax = _axes_or_new(ax, (STACKED_WIDTH, 2.8))
    edges = ["black" if k == best else "none" for k in range(NUM_CLASSES)]
    ax.bar(np.arange(NUM_CLASSES), scores, color=CLASS_COLORS, edgecolor=edges, linewidth=1.5)
    ax.axhline(0, color="black", linewidth=0.8)
    if probabilities is not None:
        proba = _as_float_vector(probabilities, "probabilities")
        if proba.shape != (NUM_CLASSES,):
            raise ValueError(f"probabilities must hold {NUM_CLASSES} numbers, got shape {proba.shape}")
        ax.annotate(f"{best}: {proba[best]:.1%}", (best, scores[best]), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize="small")
        ax.margins(y=0.15)
    ax.set_xticks(np.arange(NUM_CLASSES))
    ax.set_xlabel("digit")
    ax.set_ylabel("score (logit)")
    return ax


def _spread(values: np.ndarray, gap: float) -> np.ndarray:
    """Move sorted-by-value labels apart so that neighbours are at least ``gap`` apart."""
    order = np.argsort(values)
    placed = values[order].astype(float)
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    placed -= (placed.mean() - values.mean()) if len(placed) else 0
    out = np.empty_like(placed)
    out[order] = placed
    return out


def plot_logit_lines(h, slopes, intercepts, *, bins=60, fig=None):
    """A one-unit network's ten scores as lines over ``h``, above the histogram of ``h``.

    The top panel draws ``z_k(h) = h * slopes[k] + intercepts[k]`` for each
    digit over the range of ``h``, each line labelled with its digit at the
    right, and the highest of them, the upper envelope that decides the
    prediction, in thick grey; dotted lines mark where the winner changes,
    and each interval is labelled with its winning digit above the panel.
    The score axis reaches a little below the lowest point of the envelope:
    a line that falls further is labelled where it leaves the panel. The bottom panel,
    on the same ``h`` axis, is the histogram of ``h``.

    Parameters
    ----------
    h : array-like of shape (n_images,)
        The hidden unit's value for each image (at least two distinct values).
    slopes, intercepts : array-like of shape (10,)
        The output weights and biases (``w2[0]`` and ``b2`` of
        :func:`~mnist_lesson.unit_weights.dense_weights`).
    bins : int, default 60
        Bins of the histogram.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the two panels, one above the other; by default a new figure.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure; ``fig.axes`` holds the lines panel and the histogram panel.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = plot_logit_lines([0.0, 1.0, 3.0], np.arange(10.0) - 4, np.zeros(10), fig=Figure())
    >>> len(fig.axes[0].lines) >= 11
    True
    """
    from ..unit_weights import logit_lines, winning_intervals

    values = _as_float_vector(h, "h")
    if not np.all(np.isfinite(values)) or len(np.unique(values)) < 2:
        raise ValueError("h must hold finite numbers with at least two distinct values")
    low, high = float(values.min()), float(values.max())
    grid = np.linspace(low, high, 200)
    lines = logit_lines(grid, slopes, intercepts)
    if lines.shape[1] != NUM_CLASSES:
        raise ValueError(f"slopes and intercepts must hold {NUM_CLASSES} numbers, one per digit")
    intervals = winning_intervals(slopes, intercepts, low, high)
    bins = check_int("bins", bins)
    fig = _figure_or_new(fig, (STACKED_WIDTH, 6.0))
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2, 1])
    envelope = lines.max(axis=1)
    for k in range(NUM_CLASSES):
        top.plot(grid, lines[:, k], color=CLASS_COLORS[k], linewidth=1.3)
    top.plot(grid, envelope, color="black", linewidth=3, alpha=0.35, label="highest line: the prediction")
    rise = float(np.ptp(envelope)) or 1.0
    floor, ceiling = float(envelope.min()) - 0.4 * rise, float(envelope.max()) + 0.05 * rise
    top.set_ylim(floor, ceiling)
    # each line is labelled with its digit where it leaves the panel: at the right, or at the bottom
    ends = lines[-1]
    inside = ends >= floor
    placed = _spread(ends[inside], 0.055 * (ceiling - floor))
    for k, y in zip(np.flatnonzero(inside), placed):
        top.annotate(str(k), (high, y), xytext=(4, 0), textcoords="offset points",
                     va="center", ha="left", fontsize="small")
    slope = np.asarray(slopes, dtype=float)
    for k in np.flatnonzero(~inside):
        exit_h = (floor - float(intercepts[k])) / slope[k] if slope[k] else low
        top.annotate(str(k), (min(max(exit_h, low), high), floor), xytext=(3, 2), textcoords="offset points",
                     va="bottom", ha="left", fontsize="small")
    # winners above the panel, on a second line where a neighbour is too close
    last = [-np.inf, -np.inf]
    for _, row in intervals.iterrows():
        if row["from h"] > low:
            for ax in (top, bottom):
                ax.axvline(row["from h"], color="black", linestyle=":", linewidth=0.9)
        centre = (row["from h"] + row["to h"]) / 2
        where = (centre - low) / (high - low)
        level = 0 if where - last[0] >= 0.04 else (1 if where - last[1] >= 0.04 else 0)
        last[level] = where
        top.annotate(f"{int(row['digit'])}", (centre, 1.0), xycoords=("data", "axes fraction"),
                     xytext=(0, 3 + 12 * level), textcoords="offset points",
                     ha="center", va="bottom", fontweight="bold")
    top.set_xlim(low, high)
    top.set_ylabel("score z_k(h)")
    top.legend(loc="upper left", fontsize="small")
    top.set_title("the winning digit on each interval of h", pad=30)
    bottom.hist(values, bins=bins, range=(low, high), color=_GREY)
    bottom.set_yscale("log")
    bottom.set_xlabel("h, the value of the single hidden unit")
    bottom.set_ylabel("images (log scale)")
    return fig
