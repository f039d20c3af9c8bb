"""Figures and styled tables for the chapters, drawn with matplotlib; seaborn draws the heat maps and count bars.

**Where a function draws, and what it returns.** Every plotting function
takes its data first, then keyword-only options, among them one that says
where to draw:

- A function that draws **one panel** takes ``ax=None``: it draws on that
  :class:`~matplotlib.axes.Axes` and returns it. Several of them fill a figure
  made with ``plt.subplots``, one call per panel.
- A function that draws **several panels** (a grid of digits, two charts side
  by side) takes ``fig=None``: it adds its panels to that
  :class:`~matplotlib.figure.Figure`, or to a
  :class:`~matplotlib.figure.SubFigure` so that it can sit in a larger figure
  beside other panels, and returns it; its panels are ``fig.axes``.
- When ``ax`` or ``fig`` is None, the function makes its own figure, with the
  size written in its code and constrained layout, and returns its Axes or
  Figure as above.

No function takes ``axes=``, and nothing here calls ``plt.show()`` or changes
matplotlib's global style; importing the module draws nothing.
:func:`style_probabilities` draws no figure: it returns a pandas ``Styler``
table. ``tests/test_plotting.py`` checks every public function against these
rules.

**Sizes.** A figure is drawn at most ``COLUMN_WIDTH`` inches wide, the
widest a figure is shown in the book's text column on a 1280-px desktop
(672 px) at 100 px per inch, so
that it is shown at its own size and a font of ``p`` points is
``p * 100 / 72`` px on screen: no text is smaller than 6.5 points, which is
``MIN_TEXT_PX`` (9 px). Two-panel figures stack their panels one above the
other in a figure ``STACKED_WIDTH`` inches wide, so that a phone shrinks
them by a third rather than to thumbnails. The book's PNGs are drawn at twice
that resolution ("retina") for print, at the same display size.

**Colours.** The ten digit classes have one colour-blind-safe colour each,
the same in every figure: :data:`CLASS_COLORS`, looked up with
:func:`class_color`. Right and wrong predictions are green
(:data:`CORRECT_COLOR`) and red (:data:`WRONG_COLOR`), and a wrong one is
also marked in text (bold, with the true class), so that colour is never the
only cue. Text on a heat map is white on dark cells and near-black on light ones.

**Captions and alt text.** The functions write titles, axis labels and
legends, but no caption or alt text: those belong to the chapter that shows
the figure, in its code cell's ``mystnb`` metadata (``figure.name`` and
``figure.caption`` for the numbered caption, ``image.alt`` for the alt text,
which says in words what the figure shows).
"""

from ._common import (
    CLASS_COLORS,
    COLUMN_WIDTH,
    CORRECT_COLOR,
    MIN_TEXT_PX,
    STACKED_WIDTH,
    WRONG_COLOR,
    class_color,
)
from .digits import plot_class_distribution, plot_digits, plot_image_as_numbers, plot_image_as_vector
from .evaluation import plot_confusion_matrix, plot_error_matrix, plot_misclassified, style_probabilities
from .features import plot_class_boxplots, plot_importance, plot_scatter_by_class
from .inside import plot_mean_activation, plot_width_experiment
from .network import plot_architecture, plot_history, plot_relu, plot_softmax
from .projection import plot_components, plot_explained_variance, plot_reconstructions
from .weights import plot_logit_lines, plot_logits, plot_pre_activations, plot_unit_weights

__all__ = [
    "CLASS_COLORS",
    "COLUMN_WIDTH",
    "STACKED_WIDTH",
    "MIN_TEXT_PX",
    "CORRECT_COLOR",
    "WRONG_COLOR",
    "class_color",
    "plot_digits",
    "plot_class_distribution",
    "plot_image_as_numbers",
    "plot_image_as_vector",
    "plot_architecture",
    "plot_relu",
    "plot_softmax",
    "plot_history",
    "plot_confusion_matrix",
    "plot_error_matrix",
    "plot_misclassified",
    "style_probabilities",
    "plot_class_boxplots",
    "plot_importance",
    "plot_scatter_by_class",
    "plot_components",
    "plot_explained_variance",
    "plot_reconstructions",
    "plot_mean_activation",
    "plot_width_experiment",
    "plot_unit_weights",
    "plot_pre_activations",
    "plot_logits",
    "plot_logit_lines",
]
