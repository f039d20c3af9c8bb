"""Shared pieces of the plotting modules: the class palette, input checks, helpers, heat maps."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure, SubFigure

from .._checks import check_labels
from ..encoding import IMAGE_PIXELS as _IMAGE_PIXELS
from ..encoding import IMAGE_SIDE, NUM_CLASSES

#: One colour per digit 0..9: Paul Tol's colour-blind-safe "muted" scheme,
#: with a mid grey for its pale one, ordered so that digits whose points share
#: a region in the scatter plots (4, 7, 9; 3, 5, 8; 0, 6; 1, 7) get hues of
#: different families and lightness. No two are shades of one hue (seaborn's
#: "colorblind", used before, had two blues and two oranges).
CLASS_COLORS = (
    "#332288",  # 0 indigo
    "#ddcc77",  # 1 sand
    "#117733",  # 2 green
    "#cc6677",  # 3 rose
    "#88ccee",  # 4 cyan
    "#999933",  # 5 olive
    "#44aa99",  # 6 teal
    "#aa4499",  # 7 purple
    "#882255",  # 8 wine
    "#777777",  # 9 grey
)

# ---------------------------------------------------------------------------
# Figure sizes: text at least 9 px where the figure is shown
# ---------------------------------------------------------------------------

#: CSS pixels per inch of figure: matplotlib's default dpi, which the book's
#: PNGs keep as their display size (they are drawn at twice that, "retina",
#: with their width and height in CSS pixels written beside them).
PX_PER_INCH = 100.0

#: Width of a figure in the book's text column on a 1280-px desktop, in CSS px
#: (measured: images are at most 672 px wide there, 342 px on a 390-px phone).
COLUMN_PX = 672.0

#: Margin, in inches, that the notebook's PNGs add around a figure on each side
#: (IPython saves them with ``bbox_inches="tight"``, padded by matplotlib's
#: ``savefig.pad_inches``).
PAD_INCHES = 0.1

#: Widest figure, in inches: one that fits the desktop column with its margins
#: is shown at its own size, so a font of ``p`` points is ``p * 100 / 72`` px
#: on screen (a wider one is shrunk, and its text with it).
COLUMN_WIDTH = COLUMN_PX / PX_PER_INCH - 2 * PAD_INCHES

#: Width, in inches, of a figure whose panels are stacked one above the other
#: so that it still reads on a phone: a 390-px phone shows it at two thirds of
#: its size (342 of 520 px) rather than at half.
STACKED_WIDTH = 5.2

#: Smallest text of a figure at display size on a 1280-px desktop, in CSS px.
MIN_TEXT_PX = 9.0

#: The smallest font, in points, that is ``MIN_TEXT_PX`` on screen in a figure
#: no wider than ``COLUMN_WIDTH`` (6.48 pt).
MIN_FONT_PT = MIN_TEXT_PX * 72.0 / PX_PER_INCH


def _text_px(points: float, width_in: float, *, column_px: float = COLUMN_PX) -> float:
    """Size on screen, in CSS px, of a font of ``points`` in a figure ``width_in`` inches wide.

    A figure drawn ``W`` inches wide (its margins added) is shown at ``W * PX_PER_INCH`` CSS px,
    or at the column's width when it is wider, so its text is scaled by
    ``min(1, column_px / (W * PX_PER_INCH))``.

    Examples
    --------
    >>> round(_text_px(10, 5.0), 1)
    13.9
    >>> round(_text_px(10, 13.24), 1)  # shown at half size
    6.9
    """
    natural = (width_in + 2 * PAD_INCHES) * PX_PER_INCH
    return points * PX_PER_INCH / 72.0 * min(1.0, column_px / natural)


#: Colour of a right prediction (a green that stays distinct from red for most
#: colour-blind readers).
CORRECT_COLOR = "#1b7837"

#: Colour of a wrong prediction.
WRONG_COLOR = "#b2182b"


def class_color(k) -> str:
    """Return the colour of digit class ``k``.

    Parameters
    ----------
    k : int
        A digit from 0 to 9.

    Returns
    -------
    str
        A hex colour from :data:`CLASS_COLORS`.

    Examples
    --------
    >>> class_color(0)
    '#332288'
    >>> class_color(3) == CLASS_COLORS[3]
    True
    """
    if isinstance(k, (bool, np.bool_)) or not isinstance(k, (int, np.integer)):
        raise ValueError(f"k must be a digit class, an integer from 0 to 9, got {k!r}")
    if not 0 <= k < len(CLASS_COLORS):
        raise ValueError(f"k must be a digit class from 0 to 9, got {k}")
    return CLASS_COLORS[int(k)]


# ---------------------------------------------------------------------------
# Input checks and small helpers
# ---------------------------------------------------------------------------


def _as_images(images, name: str) -> np.ndarray:
    """Return ``images`` as an array of shape (n, 28, 28)."""
    arr = np.asarray(images)
    if arr.ndim == 3 and arr.shape[1:] == (IMAGE_SIDE, IMAGE_SIDE):
        out = arr
    elif arr.ndim == 2 and arr.shape[1] == _IMAGE_PIXELS:
        out = arr.reshape(len(arr), IMAGE_SIDE, IMAGE_SIDE)
    else:
        raise ValueError(
            f"{name} must have shape (n_images, 28, 28) or (n_images, 784), "
            f"got shape {arr.shape}"
        )
    if not (np.issubdtype(out.dtype, np.number) or out.dtype.kind == "b"):
        raise ValueError(f"{name} must hold numbers, got dtype {out.dtype}")
    return out


def _as_image(image, name: str) -> np.ndarray:
    """Return one image as an array of shape (28, 28)."""
    arr = np.asarray(image)
    if arr.shape == (IMAGE_SIDE, IMAGE_SIDE):
        out = arr
    elif arr.shape == (_IMAGE_PIXELS,):
        out = arr.reshape(IMAGE_SIDE, IMAGE_SIDE)
    else:
        raise ValueError(
            f"{name} must be one 28x28 image, of shape (28, 28) or (784,), got shape {arr.shape}"
        )
    if not (np.issubdtype(out.dtype, np.number) or out.dtype.kind == "b"):
        raise ValueError(f"{name} must hold numbers, got dtype {out.dtype}")
    return out


def _as_labels(labels, name: str, n: int | None = None, *, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Return class labels as a 1-D int64 array, checking range and length."""
    return check_labels(labels, name, num_classes=num_classes, n=n)


def _check_size(size) -> float:
    """Return the width of one panel in inches, checking it is a positive number."""
    numeric = isinstance(size, (int, float, np.integer, np.floating)) and not isinstance(size, (bool, np.bool_))
    if not numeric or not size > 0:
        raise ValueError(f"size must be a positive number of inches, got {size!r}")
    return float(size)


def _as_float_vector(values, name: str) -> np.ndarray:
    if not _is_numeric(values):
        raise ValueError(f"{name} must hold numbers, got dtype {np.asarray(values).dtype}")
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    return arr


def _is_numeric(values) -> bool:
    dtype = np.asarray(values).dtype
    return bool(np.issubdtype(dtype, np.number) or dtype.kind == "b")


def _axes_or_new(ax, figsize) -> Axes:
    """Where a one-panel function draws: ``ax``, or a new figure of ``figsize`` inches when None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
        return ax
    if not isinstance(ax, Axes):
        raise ValueError(
            f"ax must be a matplotlib Axes (or None for a new figure), got {type(ax).__name__}; "
            "functions that draw several panels take fig= instead"
        )
    return ax


def _figure_or_new(fig, figsize) -> Figure | SubFigure:
    """Where a several-panel function draws: ``fig``, or a new figure of ``figsize`` inches when None."""
    if fig is None:
        return plt.figure(figsize=figsize, layout="constrained")
    if not isinstance(fig, (Figure, SubFigure)):
        hint = "; pass ax.figure, or leave fig out for a new figure" if isinstance(fig, Axes) else ""
        raise ValueError(
            f"fig must be a matplotlib Figure or SubFigure (or None for a new figure), "
            f"got {type(fig).__name__}{hint}"
        )
    return fig


def _text_color(rgba) -> str:
    """Black on light backgrounds, white on dark ones."""
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black"


def _image_range(images: np.ndarray) -> tuple[float, float]:
    """Grey scale limits: 0..1 for rescaled images, 0..255 for raw ones."""
    if images.size == 0:
        return 0.0, 1.0
    high = float(np.nanmax(images))
    return 0.0, 1.0 if high <= 1.0 else 255.0


def _format_number(value: float) -> str:
    """Whole numbers as integers, others with two significant digits."""
    if float(value).is_integer():
        return str(int(value))
    return format(value, ".2g")


def _get_cmap(cmap):
    return matplotlib.colormaps[cmap] if isinstance(cmap, str) else cmap


def _heatmap(ax, values, *, cmap, vmin=None, vmax=None, texts=None, fontsize=9.0, mask=None,
             square=True, colorbar=True, bar_label=None, tick_labels=None):
    """Draw ``values`` on ``ax`` as a heat map with seaborn, in the package's style; return the mesh.

    Row ``i``, column ``j`` is the cell from ``(j, i)`` to ``(j + 1, i + 1)``
    in data coordinates, row 0 at the top (seaborn's layout), so cell centres
    are at ``j + 0.5, i + 0.5``. ``texts``, when given, is one string per
    cell written in it, white on dark cells and near-black on light ones
    (seaborn's choice); ``mask`` cells (and NaN cells, which seaborn masks
    itself) are left out: drawn in the colour map's "bad" colour, not written. ``tick_labels`` names the rows
    and columns (both, for a square matrix); by default there are no ticks
    and the caller sets them. Tick labels are horizontal; nothing global
    (theme, rcParams) is changed.
    """
    import seaborn as sns

    tick = False if tick_labels is None else list(tick_labels)
    mesh_count = len(ax.collections)
    sns.heatmap(
        values,
        ax=ax,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        mask=mask,
        annot=texts is not None and np.asarray(texts, dtype=object),
        fmt="",
        annot_kws={"fontsize": fontsize},
        square=square,
        cbar=colorbar,
        cbar_kws={"label": bar_label, "shrink": 0.85} if colorbar else None,
        xticklabels=tick,
        yticklabels=tick,
    )
    ax.tick_params(length=0)
    ax.tick_params(axis="y", labelrotation=0)
    ax.tick_params(axis="x", labelrotation=0)
    return ax.collections[mesh_count]
