"""Figures and styled tables for the chapters, drawn with plain matplotlib.

Every function that draws one panel follows matplotlib's ``ax`` convention:
the data come first, then keyword-only options, then ``ax=None``. When ``ax``
is None the function makes its own figure, otherwise it draws on ``ax``; it
returns the Axes it drew on. Functions that draw several panels return the
Figure or an array of Axes, as their docstrings say. Nothing here calls
``plt.show()`` or changes matplotlib's global style, and importing the module
draws nothing.

The ten digit classes have one colour-blind-safe colour each, the same in every
figure: :data:`CLASS_COLORS`, looked up with :func:`class_color`. Right and
wrong predictions are green (:data:`CORRECT_COLOR`) and red
(:data:`WRONG_COLOR`), and a wrong one is also marked in text, so that colour is
never the only cue.
"""

from ._common import CLASS_COLORS, CORRECT_COLOR, WRONG_COLOR, class_color
from .digits import plot_class_distribution, plot_digits, plot_image_as_numbers, plot_image_as_vector
from .evaluation import plot_confusion_matrix, plot_error_matrix, plot_misclassified, style_probabilities
from .features import plot_class_boxplots, plot_importance, plot_scatter_by_class
from .inside import plot_mean_activation, plot_width_experiment
from .network import plot_architecture, plot_history, plot_relu, plot_softmax
from .projection import plot_components, plot_explained_variance, plot_reconstructions

__all__ = [
    "CLASS_COLORS",
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
]
