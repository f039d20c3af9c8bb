"""mnist_lesson: the code behind the MNIST textbook.

Every chapter of the book calls this package; each function is documented
and tested. Importing it has no side effects: nothing is downloaded, seeded
or styled until a function is called, and TensorFlow is imported only by the
functions that need it (building, training or running a model).

The figures live in :mod:`mnist_lesson.plotting`.
"""

from . import plotting
from ._version import __version__
from .activations import (
    activation_frame,
    activation_model,
    activation_ranges,
    activations_of_test_images,
    compute_activations,
    dead_units,
    mean_activation,
    most_active_units,
    training_activations,
)
from .config import Settings, get_settings
from .data import MnistDataError, MnistSplit, class_counts, load_mnist, load_split
from .encoding import flatten, from_one_hot, one_hot, preprocess, rescale
from .evaluation import (
    accuracy,
    class_number_rmse,
    classification_report_frame,
    confusion_counts,
    error_matrix,
    misclassified_indices,
    most_confused_pairs,
    never_predicted,
    predict_classes,
    predict_proba,
    probability_table,
)
from .experiments import width_sweep
from .model import (
    ModelSpec,
    build_model,
    configuration_differences,
    contrast_spec,
    layer_table,
    lesson_spec,
    model_configuration,
    parameter_counts,
)
from .neighbours import centroid_distances, class_spread, neighbour_agreement
from .pca import components_for_variance, explained_variance, pca, reconstruct
from .pixels import (
    cached_feature_importance,
    feature_importance,
    feature_subset_accuracy,
    pixel_label,
    top_features,
    top_pair,
)
from .training import TrainedModel, get_trained_model, train_model
from .tsne import tsne
from .unit_weights import (
    Decomposition,
    DenseWeights,
    decompose,
    dense_weights,
    logit_lines,
    unit_order,
    weight_images,
    winning_intervals,
)

__all__ = [
    "__version__",
    "plotting",
    # settings
    "Settings",
    "get_settings",
    # data and encoding
    "MnistDataError",
    "MnistSplit",
    "class_counts",
    "load_mnist",
    "load_split",
    "flatten",
    "from_one_hot",
    "one_hot",
    "preprocess",
    "rescale",
    # model and training
    "ModelSpec",
    "build_model",
    "configuration_differences",
    "contrast_spec",
    "layer_table",
    "lesson_spec",
    "model_configuration",
    "parameter_counts",
    "TrainedModel",
    "get_trained_model",
    "train_model",
    # evaluation
    "accuracy",
    "class_number_rmse",
    "classification_report_frame",
    "confusion_counts",
    "error_matrix",
    "misclassified_indices",
    "most_confused_pairs",
    "never_predicted",
    "predict_classes",
    "predict_proba",
    "probability_table",
    # activations
    "activation_frame",
    "activation_model",
    "activation_ranges",
    "compute_activations",
    "dead_units",
    "mean_activation",
    "most_active_units",
    "training_activations",
    "activations_of_test_images",
    # hidden units' weights
    "DenseWeights",
    "Decomposition",
    "decompose",
    "dense_weights",
    "logit_lines",
    "unit_order",
    "weight_images",
    "winning_intervals",
    # pixels and projections
    "cached_feature_importance",
    "feature_importance",
    "feature_subset_accuracy",
    "pixel_label",
    "top_features",
    "top_pair",
    "centroid_distances",
    "class_spread",
    "components_for_variance",
    "explained_variance",
    "neighbour_agreement",
    "pca",
    "reconstruct",
    "tsne",
    # experiments
    "width_sweep",
]
