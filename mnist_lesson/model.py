"""The dense network of the book: 784 inputs, H hidden ReLU units, 10 softmax outputs.

``H = 0`` is the network without a hidden layer, the linear baseline of the
experiments appendix: softmax regression on the pixels.

Keras is imported inside the functions that need it, so importing this module
is cheap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._checks import check_int
from .config import Settings, get_settings
from .encoding import IMAGE_PIXELS, NUM_CLASSES

__all__ = [
    "ModelSpec",
    "lesson_spec",
    "contrast_spec",
    "build_model",
    "parameter_counts",
    "layer_table",
    "model_configuration",
    "configuration_differences",
    "N_INPUTS",
    "LEARNING_RATE",
]

#: Pixels per image: the width of the input layer.
N_INPUTS = IMAGE_PIXELS
#: RMSprop's learning rate (Keras's default).
LEARNING_RATE = 0.001


@dataclass(frozen=True)
class ModelSpec:
    """What defines a model of the book: a name, its hidden width and L2 penalty.

    A width of 0 means no hidden layer (the pixels feed the softmax directly).

    Examples
    --------
    >>> ModelSpec("lesson", 128).layer_sizes
    (784, 128, 10)
    >>> ModelSpec("linear", 0).layer_sizes
    (784, 10)
    """

    name: str
    hidden_units: int
    l2: float = 0.0

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.replace("-", "").isalnum():
            raise ValueError(f"name must be letters, digits and dashes, got {self.name!r}")
        _check_width(self.hidden_units, self.l2)

    @property
    def layer_sizes(self) -> tuple:
        """``(784, hidden_units, 10)``, or ``(784, 10)`` without a hidden layer."""
        if self.hidden_units == 0:
            return (N_INPUTS, NUM_CLASSES)
        return (N_INPUTS, self.hidden_units, NUM_CLASSES)


def _check_width(hidden_units, l2, seed=0) -> None:
    """The setting checks (with their named errors), with 0 allowed: no hidden layer."""
    if hidden_units == 0 and not isinstance(hidden_units, bool):
        Settings(l2=l2, seed=seed)
    else:
        Settings(hidden_units=hidden_units, l2=l2, seed=seed)


def lesson_spec(settings: Settings | None = None) -> ModelSpec:
    """The lesson model: ``hidden_units`` ReLU units (128 by default), L2 ``l2``."""
    s = settings or get_settings()
    return ModelSpec("lesson", s.hidden_units, s.l2)


def contrast_spec(settings: Settings | None = None) -> ModelSpec:
    """The contrast model: one hidden ReLU unit with L2 ``contrast_l2`` (0.001)."""
    s = settings or get_settings()
    return ModelSpec("contrast", 1, s.contrast_l2)


def parameter_counts(hidden_units: int, n_inputs: int = N_INPUTS, n_outputs: int = NUM_CLASSES) -> dict:
    """Count the weights and biases of a 784-H-10 network, layer by layer.

    Returns
    -------
    dict
        ``{"hidden": n_inputs * H + H, "output": H * n_outputs + n_outputs,
        "total": ...}``; with ``H = 0`` (no hidden layer) the output layer
        takes the inputs: ``n_inputs * n_outputs + n_outputs``.

    Examples
    --------
    >>> parameter_counts(128)
    {'hidden': 100480, 'output': 1290, 'total': 101770}
    >>> parameter_counts(0)
    {'hidden': 0, 'output': 7850, 'total': 7850}
    """
    check_int("hidden_units", hidden_units, minimum=0)
    check_int("n_inputs", n_inputs, minimum=1)
    check_int("n_outputs", n_outputs, minimum=1)
    hidden = n_inputs * hidden_units + hidden_units
    output = (hidden_units or n_inputs) * n_outputs + n_outputs
    return {"hidden": hidden, "output": output, "total": hidden + output}


def build_model(
    hidden_units: int = 128,
    *,
    l2: float = 0.0,
    seed: int = 0,
    learning_rate: float = LEARNING_RATE,
    name: str | None = None,
):
    """Build and compile the 784-H-10 dense network.

    Parameters
    ----------
    hidden_units : int, default 128
        ReLU units in the hidden layer; 0 builds the network without one
        (the linear baseline: the softmax layer reads the pixels).
    l2 : float, default 0.0
        L2 penalty on the hidden layer's weights (0 for none).
    seed : int, default 0
        Seed of the weight initialisers, so two builds start identical.
    learning_rate : float, default 0.001
        RMSprop's step size.
    name : str, optional
        The model's name in the Keras summary.

    Returns
    -------
    keras.Sequential
        Layers ``hidden`` (Dense, ReLU) and ``output`` (Dense, softmax),
        compiled with RMSprop, categorical cross-entropy and accuracy.
    """
    _check_width(hidden_units, l2, seed)  # validate with named errors
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    import keras

    regularizer = keras.regularizers.L2(l2) if l2 > 0 else None
    hidden = [
        keras.layers.Dense(
            hidden_units,
            activation="relu",
            kernel_regularizer=regularizer,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed),
            name="hidden",
        )
    ] if hidden_units else []
    model = keras.Sequential(
        [
            keras.Input(shape=(N_INPUTS,), name="pixels"),
            *hidden,
            keras.layers.Dense(
                NUM_CLASSES,
                activation="softmax",
                kernel_initializer=keras.initializers.GlorotUniform(seed=seed + 1),
                name="output",
            ),
        ],
        name=name or (f"dense_784_{hidden_units}_10" if hidden_units else "dense_784_10"),
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def layer_table(model):
    """Tabulate a model's layers: output shape, weights, biases and parameters.

    A plain table with the content of Keras's ``model.summary()``, with the
    parameters of each layer split into weights (the kernel) and biases.

    Parameters
    ----------
    model : keras.Model
        A built model, such as :func:`build_model` returns.

    Returns
    -------
    pandas.DataFrame
        One row per layer, indexed by the layer's name, with columns ``type``
        (``"Dense"``), ``activation`` (``"relu"``, ``"softmax"``),
        ``output shape`` (``"(None, 128)"``: ``None`` stands for any number of
        images), ``weights``, ``biases`` and ``parameters`` (their sum).

    Examples
    --------
    >>> layer_table(build_model(128))["parameters"].tolist()
    [100480, 1290]
    """
    import pandas as pd

    layers = getattr(model, "layers", None)
    if layers is None or not getattr(model, "built", False):
        raise ValueError(f"model must be a built Keras model, got {type(model).__name__}")
    rows = []
    for layer in layers:
        sizes = {"kernel": 0, "bias": 0}
        for variable in layer.weights:
            kind = variable.name.rsplit("/", 1)[-1]
            if kind in sizes:
                sizes[kind] += int(math.prod(variable.shape))
        activation = getattr(layer, "activation", None)
        rows.append(
            {
                "layer": layer.name,
                "type": type(layer).__name__,
                "activation": getattr(activation, "__name__", "") if activation is not None else "",
                "output shape": str(tuple(layer.output.shape)),
                "weights": sizes["kernel"],
                "biases": sizes["bias"],
                "parameters": int(layer.count_params()),
            }
        )
    return pd.DataFrame(rows).set_index("layer")


#: Optimiser settings that :func:`model_configuration` reads, when the optimiser has them.
_OPTIMIZER_FIELDS = ("learning_rate", "rho", "momentum", "epsilon", "centered", "beta_1", "beta_2")


def model_configuration(model) -> dict:
    """What makes two networks the same model: layers, units, activations, penalties, compilation.

    Leaves out what does not change the model: its name, and the seeds and
    values of its weights.

    Parameters
    ----------
    model : keras.Model
        A built, compiled model, such as :func:`build_model` returns.

    Returns
    -------
    dict
        ``input shape``; ``layers``, one dict per layer (``name``, ``type``,
        ``units``, ``activation``, ``use bias``, ``kernel regularizer`` and
        ``bias regularizer``: a regulariser's class and settings, or None);
        ``parameters`` (the count); ``optimizer`` (its class and settings);
        ``loss`` and ``metrics`` as compiled.

    Examples
    --------
    >>> config = model_configuration(build_model(4))
    >>> config["parameters"], config["optimizer"]["class"], config["loss"]
    (3190, 'RMSprop', 'categorical_crossentropy')
    """
    layers = getattr(model, "layers", None)
    if layers is None or not getattr(model, "built", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(f"model must be a built and compiled Keras model, got {type(model).__name__}")

    def regularizer(penalty):
        if penalty is None:
            return None
        return {"class": type(penalty).__name__, **{k: float(v) for k, v in penalty.get_config().items()}}

    rows = []
    for layer in layers:
        config = layer.get_config()
        rows.append(
            {
                "name": layer.name,
                "type": type(layer).__name__,
                "units": config.get("units"),
                "activation": config.get("activation"),
                "use bias": config.get("use_bias"),
                "kernel regularizer": regularizer(getattr(layer, "kernel_regularizer", None)),
                "bias regularizer": regularizer(getattr(layer, "bias_regularizer", None)),
            }
        )
    optimizer = model.optimizer
    settings = optimizer.get_config()
    compiled = model.get_compile_config() or {}
    return {
        "input shape": tuple(model.inputs[0].shape) if getattr(model, "inputs", None) else None,
        "layers": rows,
        "parameters": int(model.count_params()),
        "optimizer": {
            "class": type(optimizer).__name__,
            **{k: float(settings[k]) for k in _OPTIMIZER_FIELDS if isinstance(settings.get(k), (int, float))},
        },
        "loss": _plain(compiled.get("loss")),
        "metrics": _plain(compiled.get("metrics")),
    }


def _plain(value):
    """A compiled loss or metric as a comparable plain value (a name, or a class and its config)."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict) and "class_name" in value:
        config = {k: v for k, v in (value.get("config") or {}).items() if k != "name"}
        return {"class": value["class_name"], **config}
    return value


def configuration_differences(model, reference) -> list[str]:
    """How ``model`` differs from ``reference`` in :func:`model_configuration`; empty if in nothing.

    Parameters
    ----------
    model, reference : keras.Model
        Built, compiled models: for instance a model written out with Keras
        calls on a page, and the one :func:`build_model` makes for training.

    Returns
    -------
    list of str
        One line per difference, ``"<where>: <model's value> != <reference's value>"``.

    Examples
    --------
    >>> configuration_differences(build_model(4), build_model(4, seed=9))
    []
    >>> configuration_differences(build_model(4), build_model(5))[:2]
    ['layers[0].units: 4 != 5', 'parameters: 3190 != 3985']
    """
    differences = []

    def walk(a, b, where):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in list(a) + [k for k in b if k not in a]:
                walk(a.get(key), b.get(key), f"{where}.{key}" if where else key)
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            differences.append(f"{where}: {a!r} != {b!r}")

    walk(model_configuration(model), model_configuration(reference), "")
    return differences
