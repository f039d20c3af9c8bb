"""Projections: explained variance, reconstructions, and components drawn as images."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from .._checks import check_int
from ._common import (
    CLASS_COLORS,
    COLUMN_WIDTH,
    _as_float_vector,
    _as_images,
    _axes_or_new,
    _check_size,
    _figure_or_new,
    _image_range,
)

__all__ = ["plot_explained_variance", "plot_reconstructions", "plot_components"]


# ---------------------------------------------------------------------------
# PCA
# ---------------------------------------------------------------------------


def plot_explained_variance(explained_variance_ratio, *, ax=None, threshold=0.95, max_components=None):
    """Explained variance per principal component (bars) and cumulated (line).

    A dashed line marks ``threshold`` and a dotted one the number of
    components needed to reach it.

    Parameters
    ----------
    explained_variance_ratio : array-like of shape (n_components,)
        Share of the variance of each component, largest first, as in
        scikit-learn's ``PCA.explained_variance_ratio_``.
    ax : matplotlib.axes.Axes, optional
        Where to draw; by default a new figure is made.
    threshold : float, default 0.95
        Share of the variance to keep, between 0 and 1.
    max_components : int, optional
        Draw only the first ``max_components`` components (the count needed is
        computed from all of them); by default all.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> ax = plot_explained_variance([0.5, 0.3, 0.15, 0.05], ax=Figure().subplots())
    >>> ax.texts[0].get_text()
    '3 components keep 95 %'
    """
    ratio = _as_float_vector(explained_variance_ratio, "explained_variance_ratio")
    if ratio.size == 0 or not np.all(np.isfinite(ratio)) or ratio.min() < 0 or ratio.sum() > 1 + 1e-6:
        raise ValueError(
            "explained_variance_ratio must be a non-empty vector of shares between 0 and 1 that sum "
            f"to at most 1, got shape {ratio.shape} summing to {ratio.sum():g}"
        )
    if not np.isscalar(threshold) or not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie between 0 and 1 (a share, 0.95 for 95 %), got {threshold!r}")
    shown = len(ratio) if max_components is None else min(
        check_int("max_components", max_components), len(ratio))
    cumulative = np.cumsum(ratio)
    reached = np.flatnonzero(cumulative >= threshold - 1e-12)
    needed = int(reached[0]) + 1 if reached.size else None

    ax = _axes_or_new(ax, (COLUMN_WIDTH, 4))
    x = np.arange(1, shown + 1)
    ax.bar(x, ratio[:shown], width=0.8 if shown <= 60 else 1.0, color=CLASS_COLORS[0],
           label="each component")
    ax.plot(x, cumulative[:shown], color=CLASS_COLORS[3], linewidth=2, label="cumulative")
    share = f"{threshold * 100:g} %"
    if needed is None:
        note = f"{share} of the variance (all {len(ratio)} components keep {cumulative[-1] * 100:.1f} %)"
    elif needed > shown:
        note = f"{share} of the variance ({needed} components, beyond the plot)"
    else:
        note = f"{share} of the variance"
    ax.axhline(threshold, color="0.35", linestyle="--", linewidth=1, label=note)
    if needed is not None and needed <= shown:
        ax.axvline(needed, color="0.35", linestyle=":", linewidth=1)
        ax.annotate(f"{needed} components keep {share}", xy=(needed, threshold),
                    xytext=(8, -28), textcoords="offset points", fontsize="small",
                    arrowprops={"arrowstyle": "->", "color": "0.35"})
    ax.set_xlim(0.5 - (0 if shown <= 60 else 0.5), shown + 0.5)
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("principal component")
    ax.set_ylabel("share of the variance")
    ax.set_title("variance explained by the principal components")
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_reconstructions(originals, reconstructions, *, titles=None, fig=None):
    """Grid of digits rebuilt from k principal components, beside the originals.

    Parameters
    ----------
    originals : array-like of shape (n_images, 784) or (n_images, 28, 28)
        The images.
    reconstructions : dict of int to array-like
        Maps a number of components ``k`` to the reconstructed images, same
        number of images as ``originals``. Columns go by increasing ``k``,
        titled ``"k = 10"``; the last column, ``"original"``, holds the images.
    titles : sequence of str, optional
        One label per image (row), written left of the row.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the grid; by default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure; its axes, row by row, are ``fig.axes``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> originals = np.zeros((2, 784))
    >>> fig = plot_reconstructions(originals, {1: originals, 5: originals}, fig=Figure())
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['k = 1', 'k = 5', 'original']
    """
    originals = _as_images(originals, "originals")
    n = len(originals)
    if n == 0:
        raise ValueError(f"originals must hold at least one image, got shape {originals.shape}")
    if not isinstance(reconstructions, Mapping) or not reconstructions:
        raise ValueError("reconstructions must be a non-empty dict mapping a number of components to images")
    columns = []
    for k in sorted(reconstructions):
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)) or k < 1:
            raise ValueError(f"reconstructions' keys must be positive numbers of components, got {k!r}")
        images = _as_images(reconstructions[k], f"reconstructions[{k}]")
        if len(images) != n:
            raise ValueError(
                f"reconstructions[{k}] must hold {n} images like originals, got shape {images.shape}"
            )
        columns.append((f"k = {k}", images))
    columns.append(("original", originals))
    if titles is not None:
        titles = [str(t) for t in titles]
        if len(titles) != n:
            raise ValueError(f"titles must have one entry per image ({n}), got {len(titles)}")

    ncols = len(columns)
    margin = 0.7 if titles else 0.2
    cell = min(1.2, (COLUMN_WIDTH - margin) / ncols)
    fig = _figure_or_new(fig, (cell * ncols + margin, cell * n + 0.6))
    axes = fig.subplots(n, ncols, squeeze=False)
    vmin, vmax = _image_range(originals)
    for col, (name, images) in enumerate(columns):
        for row in range(n):
            ax = axes[row, col]
            ax.imshow(images[row], cmap="gray_r", vmin=vmin, vmax=vmax, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_color("0.3" if name == "original" else "0.8")
            if row == 0:
                ax.set_title(name, fontsize="medium")
            if col == 0 and titles is not None:
                ax.set_ylabel(titles[row], rotation=0, ha="right", va="center")
    fig.suptitle("images rebuilt from k principal components")
    return fig


def plot_components(components, *, titles=None, ncols=5, size=None, cmap="RdBu_r", fig=None):
    """Principal components drawn as 28x28 images: red where positive, blue where negative.

    A component is a unit vector of 784 weights, one per pixel. Adding a
    multiple of it to the mean image darkens the red pixels and lightens the
    blue ones (or the reverse for a negative multiple). All panels share one
    colour scale, symmetric around zero (white), with one colour bar.

    Parameters
    ----------
    components : array-like of shape (n_components, 784) or (n_components, 28, 28)
        The components, as in ``PCAResult.components``.
    titles : sequence of str, optional
        One title per component; by default ``"PC 1"``, ``"PC 2"``, ...
    ncols : int, default 5
        Panels per row.
    size : float, optional
        Width of one panel in inches; by default 1.5 inches, or less so that
        the row fits the book's text column (``COLUMN_WIDTH``).
    cmap : str or Colormap, default "RdBu_r"
        A diverging colour map.
    fig : matplotlib.figure.Figure or SubFigure, optional
        Where to draw the panels; by default a new figure is made.

    Returns
    -------
    matplotlib.figure.Figure or SubFigure
        ``fig``, or the new figure; its image axes come first in ``fig.axes``,
        row by row, then the colour bar.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = plot_components(np.eye(784)[:3], fig=Figure())
    >>> [ax.get_title() for ax in fig.axes[:3]]
    ['PC 1', 'PC 2', 'PC 3']
    """
    images = _as_images(components, "components").astype(float)
    n = len(images)
    if n == 0:
        raise ValueError(f"components must hold at least one component, got shape {images.shape}")
    if not np.all(np.isfinite(images)):
        raise ValueError("components must hold finite numbers, got NaN or infinity")
    if titles is None:
        titles = [f"PC {i + 1}" for i in range(n)]
    else:
        titles = [str(t) for t in titles]
        if len(titles) != n:
            raise ValueError(f"titles must have one entry per component ({n}), got {len(titles)}")
    ncols = min(check_int("ncols", ncols), n)
    size = min(1.5, (COLUMN_WIDTH - 0.9) / ncols) if size is None else _check_size(size)
    nrows = math.ceil(n / ncols)
    fig = _figure_or_new(fig, (ncols * size + 0.9, nrows * size * 1.15))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    limit = float(np.abs(images).max()) or 1.0
    image = None
    for i, ax in enumerate(axes.ravel()):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= n:
            ax.set_axis_off()
            continue
        image = ax.imshow(images[i], cmap=cmap, vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_title(titles[i], fontsize="medium")
    fig.colorbar(image, ax=axes, shrink=0.85, label="weight")
    return fig
