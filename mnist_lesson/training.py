"""Train the book's models with early stopping, and cache them on disk.

:func:`get_trained_model` is what chapters call: the first call trains (a minute
or two on a laptop) and stores the model, its history and its timing under
``<cache_dir>/models/``; later calls, in any process, load it in seconds. The
cache key holds everything that changes the result: the model spec, the
training settings, the code of this module and of every package module it
imports (read from the imports, not kept by hand), the TensorFlow
and Keras versions, and the data digest. So a change to any of them trains
again instead of serving a stale model.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .cache import cached, library_versions, source_digest
from .config import Settings, get_settings
from .data import MnistSplit, data_digest, load_split
from .encoding import one_hot, preprocess
from .imports import module_closure
from .model import ModelSpec, build_model, contrast_spec, lesson_spec

__all__ = [
    "TrainedModel",
    "set_seeds",
    "prepare_arrays",
    "train_model",
    "get_trained_model",
    "resolve_spec",
    "cache_parts",
    "epoch_logger",
]


def training_modules() -> list[str]:
    """The package modules whose code is part of a trained model's cache key.

    This module and every ``mnist_lesson`` module it imports, transitively,
    read from the import statements (``mnist_lesson.imports.module_closure``).
    """
    return module_closure([__name__])


@dataclass
class TrainedModel:
    """A trained Keras model with what the book shows about its training.

    Attributes
    ----------
    model : keras.Model or None
        The weights of the best epoch (highest validation accuracy); None
        when only the training record was read (``load_model=False``).
    history : dict of list
        Per-epoch ``loss``, ``accuracy``, ``val_loss`` and ``val_accuracy``.
    spec : ModelSpec
        Name, hidden units and L2 penalty.
    best_epoch : int
        The epoch (counting from 1) whose weights were kept.
    train_seconds : float
        Wall time of the training run that produced the model.
    from_cache : bool
        Whether this call loaded the model instead of training it.
    """

    model: object
    history: dict
    spec: ModelSpec
    best_epoch: int
    train_seconds: float
    from_cache: bool = False
    info: dict = field(default_factory=dict)

    @property
    def epochs_run(self) -> int:
        """How many epochs ran before early stopping (or the ceiling) ended training."""
        return len(self.history.get("loss", []))


def set_seeds(seed: int) -> None:
    """Seed Python, NumPy and TensorFlow, and make TensorFlow ops deterministic.

    Called by :func:`train_model`; never on import.
    """
    import keras
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def prepare_arrays(split: MnistSplit) -> dict:
    """Flatten and rescale the images and one-hot encode the labels of a split.

    Returns
    -------
    dict
        ``x_train`` (55000, 784) float32, ``y_train_onehot`` (55000, 10),
        ``x_val``, ``y_val_onehot``, ``x_test``, ``y_test_onehot``.
    """
    return {
        "x_train": preprocess(split.x_train),
        "y_train_onehot": one_hot(split.y_train),
        "x_val": preprocess(split.x_val),
        "y_val_onehot": one_hot(split.y_val),
        "x_test": preprocess(split.x_test),
        "y_test_onehot": one_hot(split.y_test),
    }


def epoch_logger():
    """Return a Keras callback that prints one short line per epoch (for book pages)."""
    import keras

    class EpochLogger(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            keys = ("loss", "accuracy", "val_loss", "val_accuracy")
            parts = [f"{k} {logs[k]:.4f}" for k in keys if k in logs]
            print(f"epoch {epoch + 1:>2}: " + ", ".join(parts), flush=True)

    return EpochLogger()


@contextlib.contextmanager
def _quiet_keras():
    """Silence one known Keras 3 / NumPy 2 deprecation notice raised inside ``fit``.

    Keras's TensorFlow backend converts tensors with ``np.array(x)``, which
    NumPy 2 flags because TensorFlow's ``__array__`` lacks a ``copy`` keyword.
    It is Keras's to fix and says nothing about this project's code, so it is
    filtered here, by message and module, and nowhere else.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"__array__ implementation doesn't accept a copy keyword",
            category=DeprecationWarning,
            module=r"keras\.",
        )
        yield


def _fit_callbacks(settings: Settings, checkpoint: Path, verbose) -> list:
    import keras

    callbacks = [
        keras.callbacks.EarlyStopping(
            monitor="val_accuracy", mode="max", patience=settings.patience, restore_best_weights=False
        ),
        keras.callbacks.ModelCheckpoint(
            str(checkpoint), monitor="val_accuracy", mode="max", save_best_only=True, save_weights_only=True
        ),
    ]
    if verbose == "epoch":
        callbacks.append(epoch_logger())
    return callbacks


def train_model(
    spec: ModelSpec,
    *,
    settings: Settings | None = None,
    split: MnistSplit | None = None,
    verbose=0,
) -> TrainedModel:
    """Train a model from scratch, without the cache.

    Early stopping watches the validation accuracy and stops after
    ``settings.patience`` epochs without improvement; a checkpoint keeps the
    weights of the best epoch, which the returned model holds.

    Parameters
    ----------
    spec : ModelSpec
        The model to train (see :func:`~mnist_lesson.model.lesson_spec`).
    settings : Settings, optional
        Seed, epochs, batch size, patience, validation size; defaults to
        :func:`~mnist_lesson.config.get_settings`.
    split : MnistSplit, optional
        The data; defaults to :func:`~mnist_lesson.data.load_split` with the
        settings' validation size and seed.
    verbose : {0, 1, 2, "epoch"}, default 0
        0 is silent, 1 is Keras's progress bar, 2 Keras's line per epoch,
        ``"epoch"`` a short line per epoch.

    Returns
    -------
    TrainedModel
    """
    s = settings or get_settings()
    if verbose not in (0, 1, 2, "epoch"):
        raise ValueError(f"verbose must be 0, 1, 2 or 'epoch', got {verbose!r}")
    if split is None:
        split = load_split(s.validation_size, s.seed, cache_dir=s.cache_dir)
    arrays = prepare_arrays(split)
    set_seeds(s.seed)
    model = build_model(spec.hidden_units, l2=spec.l2, seed=s.seed, name=f"{spec.name}_model")
    with tempfile.TemporaryDirectory(prefix="mnist-checkpoint-") as tmp:
        checkpoint = Path(tmp) / "best.weights.h5"
        started = time.perf_counter()
        with _quiet_keras():
            fit = model.fit(
                arrays["x_train"],
                arrays["y_train_onehot"],
                validation_data=(arrays["x_val"], arrays["y_val_onehot"]),
                epochs=s.epochs,
                batch_size=s.batch_size,
                shuffle=True,
                callbacks=_fit_callbacks(s, checkpoint, verbose),
                verbose=verbose if verbose != "epoch" else 0,
            )
        seconds = time.perf_counter() - started
        model.load_weights(str(checkpoint))
    history = {k: [float(v) for v in values] for k, values in fit.history.items()}
    best_epoch = int(np.argmax(history["val_accuracy"])) + 1
    return TrainedModel(model=model, history=history, spec=spec, best_epoch=best_epoch, train_seconds=seconds)


def resolve_spec(spec, settings: Settings) -> ModelSpec:
    """Turn ``"lesson"``, ``"contrast"`` or a :class:`ModelSpec` into a spec."""
    if isinstance(spec, ModelSpec):
        return spec
    presets = {"lesson": lesson_spec, "contrast": contrast_spec}
    if spec not in presets:
        raise ValueError(f"spec must be 'lesson', 'contrast' or a ModelSpec, got {spec!r}")
    return presets[spec](settings)


def cache_parts(spec: ModelSpec, settings: Settings) -> dict:
    """Everything that changes a trained model: the key of its cache entry."""
    return {
        "spec": {"name": spec.name, "hidden_units": spec.hidden_units, "l2": spec.l2},
        "settings": {
            name: getattr(settings, name)
            for name in ("seed", "epochs", "batch_size", "patience", "validation_size")
        },
        "source": source_digest(*training_modules()),
        "versions": library_versions("tensorflow", "keras", "numpy"),
        "data": data_digest(),
    }


def _save(trained: TrainedModel, folder: Path) -> None:
    with _quiet_keras():
        trained.model.save(folder / "model.keras")
    info = {
        "history": trained.history,
        "best_epoch": trained.best_epoch,
        "train_seconds": trained.train_seconds,
        "spec": {"name": trained.spec.name, "hidden_units": trained.spec.hidden_units, "l2": trained.spec.l2},
    }
    (folder / "training.json").write_text(json.dumps(info, indent=1))


def _load(folder: Path) -> TrainedModel:
    import keras

    record = _load_record(folder)
    record.model = keras.models.load_model(folder / "model.keras", safe_mode=True)
    return record


def _load_record(folder: Path) -> TrainedModel:
    """The training record of a cache entry, without the model (no TensorFlow)."""
    info = json.loads((folder / "training.json").read_text())
    if not (folder / "model.keras").is_file():
        raise FileNotFoundError(f"{folder / 'model.keras'} is missing")
    return TrainedModel(
        model=None,
        history=info["history"],
        spec=ModelSpec(**info["spec"]),
        best_epoch=int(info["best_epoch"]),
        train_seconds=float(info["train_seconds"]),
        from_cache=True,
        info={"cache_entry": str(folder)},
    )


def get_trained_model(
    spec="lesson",
    *,
    settings: Settings | None = None,
    verbose=0,
    progress=None,
    load_model: bool = True,
) -> TrainedModel:
    """Return a trained model from the cache, training it first on a miss.

    Parameters
    ----------
    spec : {"lesson", "contrast"} or ModelSpec, default "lesson"
        Which model.
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.
    verbose : {0, 1, 2, "epoch"}, default 0
        Output while training on a miss (see :func:`train_model`).
    progress : callable, optional
        Called with a line of text on cache hits and misses.
    load_model : bool, default True
        False reads only the training record (history, best epoch, time) on
        a cache hit, leaving ``model`` as None, so TensorFlow is not
        imported. A miss trains the model as usual.

    Returns
    -------
    TrainedModel
        ``from_cache`` tells whether it was loaded.

    Notes
    -----
    Writes are atomic and guarded by a file lock: two processes asking for the
    same model at once train it once; an interrupted training leaves no entry;
    an entry that cannot be read is trained again.
    """
    s = settings or get_settings()
    spec = resolve_spec(spec, s)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    trained = cached(
        "models",
        cache_parts(spec, s),
        lambda: train_model(spec, settings=s, verbose=verbose),
        save=_save,
        load=_load if load_model else _load_record,
        cache_dir=s.cache_dir,
        progress=progress,
    )
    return trained
