"""Export the book's trained networks for the browser: one binary file and a JSON manifest.

The "Try it: draw a digit" page runs the lesson model and the contrast model
in the reader's browser, in plain JavaScript. The build writes what it needs
into the site, with :func:`export_lesson_models`:

- ``weights.bin``: every array, one after another, as little-endian
  ``float32`` (the weights and biases) or ``uint8`` (sample test images and
  their labels), each starting at a multiple of 4 bytes so that the browser
  can view it as a ``Float32Array`` without copying;
- ``manifest.json``: for each array its name, dtype, shape, byte offset and
  length; for each model its layers (kernel and bias arrays, activation) and
  the key of its entry in the model cache; the settings; and the SHA-256 of
  ``weights.bin``.

Both files are always written anew (atomically, the manifest last), so the
site never serves weights of another network than the settings it was built
with: the manifest's ``cache_key`` of each model is the key of the cached
model that the chapters used. The weights are read from the model cache
through a cache of their own, keyed by the model's cache key, so only the
first export of a model imports TensorFlow.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import numpy as np

from .cache import cached_arrays, make_key, source_digest
from .config import Settings, get_settings

__all__ = [
    "FORMAT_VERSION",
    "PREPROCESSING",
    "SAMPLE_IMAGES",
    "WEIGHTS_FILE",
    "MANIFEST_FILE",
    "dense_layers",
    "model_cache_key",
    "export_arrays",
    "read_export",
    "lesson_weight_arrays",
    "sample_test_images",
    "export_lesson_models",
]

#: Version of the file layout; the page refuses a manifest of another version.
FORMAT_VERSION = 1
WEIGHTS_FILE = "weights.bin"
MANIFEST_FILE = "manifest.json"
#: The dtypes the binary file may hold, with their little-endian NumPy spelling.
DTYPES = {"float32": "<f4", "uint8": "u1"}
#: Activations the page's JavaScript implements.
ACTIVATIONS = ("relu", "softmax", "linear")
_ALIGN = 4
#: The MNIST-style preprocessing the page applies to a drawing: the ink is
#: scaled into a ``box`` x ``box`` square, centred by its centre of mass in a
#: ``side`` x ``side`` image. Written into the manifest; the page reads it.
PREPROCESSING = {"side": 28, "box": 20}
#: Test images exported for the page's "random test image" button.
SAMPLE_IMAGES = 500


def dense_layers(model) -> list:
    """Read the Dense layers of a Keras model as plain arrays.

    Parameters
    ----------
    model : keras.Model
        A built model made only of ``Dense`` layers (and its input), such as
        :func:`~mnist_lesson.model.build_model` returns.

    Returns
    -------
    list of dict
        One per layer, in order: ``name``, ``activation`` (``"relu"``,
        ``"softmax"`` or ``"linear"``), ``kernel`` (float32 array of shape
        ``(n_in, n_out)``) and ``bias`` (float32 array of shape ``(n_out,)``).

    Raises
    ------
    ValueError
        If the model is not built, holds a layer other than ``Dense``, uses
        an activation the page cannot compute, or its layers do not chain.
    """
    layers = getattr(model, "layers", None)
    if layers is None or not getattr(model, "built", False):
        raise ValueError(f"model must be a built Keras model, got {type(model).__name__}")
    out = []
    for layer in layers:
        if type(layer).__name__ != "Dense":
            raise ValueError(
                f"the browser runs Dense layers only, but layer {layer.name!r} is a {type(layer).__name__}; "
                "export a model built by mnist_lesson.model.build_model"
            )
        activation = getattr(getattr(layer, "activation", None), "__name__", "linear")
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"layer {layer.name!r} uses the activation {activation!r}; the page computes only {ACTIVATIONS}"
            )
        if not getattr(layer, "use_bias", True):
            raise ValueError(f"layer {layer.name!r} has no bias; the page expects a bias in every layer")
        kernel, bias = (np.asarray(w, dtype=np.float32) for w in layer.get_weights())
        if out and out[-1]["kernel"].shape[1] != kernel.shape[0]:
            raise ValueError(
                f"layer {layer.name!r} takes {kernel.shape[0]} inputs but the layer before gives "
                f"{out[-1]['kernel'].shape[1]}"
            )
        out.append({"name": layer.name, "activation": activation, "kernel": kernel, "bias": bias})
    if not out:
        raise ValueError("model has no Dense layer to export")
    return out


def model_cache_key(spec="lesson", settings: Settings | None = None) -> str:
    """The key of a trained model's entry in the model cache (``<cache_dir>/models/<key>``).

    Parameters
    ----------
    spec : {"lesson", "contrast"} or ModelSpec, default "lesson"
        Which model.
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.

    Returns
    -------
    str
        The same key :func:`~mnist_lesson.training.get_trained_model` uses.
    """
    from .training import cache_parts, resolve_spec

    s = settings or get_settings()
    return make_key(cache_parts(resolve_spec(spec, s), s))


def _check_name(name) -> str:
    if not isinstance(name, str) or not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError(f"array and model names must be letters, digits, '-', '_' or '.', got {name!r}")
    return name


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # served with the site: readable by the web server
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def export_arrays(folder, arrays: dict, *, models: dict | None = None, info: dict | None = None) -> dict:
    """Write named arrays to ``folder/weights.bin`` and describe them in ``folder/manifest.json``.

    Parameters
    ----------
    folder : path-like
        Created if missing. Both files are replaced atomically, the manifest
        last, so a reader never pairs a new manifest with old weights.
    arrays : dict of str to ndarray
        The arrays, written in this order. Floating-point arrays are stored as
        float32, unsigned 8-bit arrays as uint8; anything else is refused.
    models : dict, optional
        Per model, its layers as ``{"name", "activation", "kernel", "bias"}``
        where ``kernel`` and ``bias`` name arrays of ``arrays``, plus any
        other JSON-serialisable facts (such as ``cache_key``).
    info : dict, optional
        More JSON-serialisable facts for the manifest (settings, versions).

    Returns
    -------
    dict
        The manifest as written.

    Raises
    ------
    ValueError
        For an empty ``arrays``, a name with other characters than letters,
        digits, ``-``, ``_`` and ``.``, an unsupported dtype, a non-finite
        value, or a model layer that names a missing array or whose shapes do
        not fit.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> manifest = export_arrays(folder, {"w": np.ones((2, 3)), "b": np.zeros(3)})
    >>> manifest["arrays"]["b"]
    {'dtype': 'float32', 'shape': [3], 'offset': 24, 'length': 12}
    >>> read_export(folder)[1]["w"].shape
    (2, 3)
    """
    if not arrays:
        raise ValueError("arrays is empty: nothing to export")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    chunks, table, offset = [], {}, 0
    for name, array in arrays.items():
        _check_name(name)
        array = np.asarray(array)
        if array.dtype.kind == "f":
            if not np.all(np.isfinite(array)):
                raise ValueError(f"array {name!r} holds NaN or infinite values; the model is broken, retrain it")
            dtype = "float32"
        elif array.dtype == np.uint8:
            dtype = "uint8"
        else:
            raise ValueError(f"array {name!r} has dtype {array.dtype}; export floats (as float32) or uint8")
        data = np.ascontiguousarray(array, dtype=DTYPES[dtype]).tobytes()
        table[name] = {"dtype": dtype, "shape": list(array.shape), "offset": offset, "length": len(data)}
        padding = -len(data) % _ALIGN
        chunks.append(data + b"\0" * padding)
        offset += len(data) + padding
    for model_name, model in (models or {}).items():
        _check_name(model_name)
        _check_model(model_name, model, table)
    blob = b"".join(chunks)
    manifest = {
        "format": FORMAT_VERSION,
        "file": WEIGHTS_FILE,
        "byteorder": "little",
        "bytes": len(blob),
        "sha256": hashlib.sha256(blob).hexdigest(),
        "arrays": table,
        "models": models or {},
        **(info or {}),
    }
    _atomic_write(folder / WEIGHTS_FILE, blob)
    _atomic_write(folder / MANIFEST_FILE, (json.dumps(manifest, indent=1, default=str) + "\n").encode())
    return manifest


def _check_model(name: str, model: dict, table: dict) -> None:
    layers = model.get("layers") if isinstance(model, dict) else None
    if not layers:
        raise ValueError(f"model {name!r} must be a dict with a non-empty list of layers")
    previous = None
    for layer in layers:
        for part in ("kernel", "bias"):
            if layer.get(part) not in table:
                raise ValueError(f"model {name!r}, layer {layer.get('name')!r}: its {part} {layer.get(part)!r} "
                                 "is not among the exported arrays")
        kernel, bias = table[layer["kernel"]]["shape"], table[layer["bias"]]["shape"]
        if len(kernel) != 2 or bias != kernel[1:] or (previous is not None and kernel[0] != previous):
            raise ValueError(f"model {name!r}, layer {layer.get('name')!r}: kernel {kernel} and bias {bias} "
                             "do not make a dense layer that follows the one before")
        if layer.get("activation") not in ACTIVATIONS:
            raise ValueError(f"model {name!r}, layer {layer.get('name')!r}: activation "
                             f"{layer.get('activation')!r} is not one of {ACTIVATIONS}")
        previous = kernel[1]


def read_export(folder) -> tuple[dict, dict]:
    """Read an export back: ``(manifest, {name: array})``, checking the file against the manifest.

    Raises
    ------
    FileNotFoundError
        If the folder holds no manifest or no weights file.
    ValueError
        If the manifest is of another format, or the weights file does not
        match its size or SHA-256 (a damaged or half-copied site).
    """
    folder = Path(folder)
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no {MANIFEST_FILE} in {folder}: build the book (make book) to export the weights")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is format {manifest.get('format')!r}, this code reads format {FORMAT_VERSION}")
    blob = (folder / manifest["file"]).read_bytes()
    if len(blob) != manifest["bytes"] or hashlib.sha256(blob).hexdigest() != manifest["sha256"]:
        raise ValueError(f"{folder / manifest['file']} does not match {path} (size or SHA-256); rebuild the book")
    arrays = {
        name: np.frombuffer(blob, dtype=DTYPES[entry["dtype"]], count=int(np.prod(entry["shape"], dtype=int)),
                            offset=entry["offset"]).reshape(entry["shape"])
        for name, entry in manifest["arrays"].items()
    }
    return manifest, arrays


def lesson_weight_arrays(spec="lesson", settings: Settings | None = None) -> dict:
    """The weights and biases of a trained model of the book, as float32 arrays.

    They are read from the model cache (training the model on a miss, like
    the chapters) and cached themselves under the model's cache key, so later
    calls import no TensorFlow.

    Parameters
    ----------
    spec : {"lesson", "contrast"} or ModelSpec, default "lesson"
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.

    Returns
    -------
    dict of str to ndarray
        ``{"<layer>.kernel": (n_in, n_out), "<layer>.bias": (n_out,)}`` in
        layer order, plus ``"activations"``: the layers' activation names,
        as a uint8 array of indices into ``ACTIVATIONS`` (so that the
        whole entry is arrays).
    """
    s = settings or get_settings()
    key = model_cache_key(spec, s)

    def compute():
        from .training import get_trained_model

        layers = dense_layers(get_trained_model(spec, settings=s).model)
        arrays = {}
        for layer in layers:
            arrays[f"{layer['name']}.kernel"] = layer["kernel"]
            arrays[f"{layer['name']}.bias"] = layer["bias"]
        arrays["activations"] = np.array([ACTIVATIONS.index(layer["activation"]) for layer in layers], np.uint8)
        return arrays

    parts = {"model": key, "source": source_digest("mnist_lesson.export")}
    return cached_arrays("weights", parts, compute, cache_dir=s.cache_dir)


def _layers_from_arrays(prefix: str, arrays: dict) -> tuple[list, dict]:
    names = [k[: -len(".kernel")] for k in arrays if k.endswith(".kernel")]
    activations = [ACTIVATIONS[int(i)] for i in arrays["activations"]]
    layers, out = [], {}
    for name, activation in zip(names, activations, strict=True):
        out[f"{prefix}.{name}.kernel"] = arrays[f"{name}.kernel"]
        out[f"{prefix}.{name}.bias"] = arrays[f"{name}.bias"]
        layers.append({"name": name, "activation": activation,
                       "kernel": f"{prefix}.{name}.kernel", "bias": f"{prefix}.{name}.bias"})
    return layers, out


def sample_test_images(n: int = 500, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A reproducible random sample of MNIST test images, for the page's "random test image" button.

    Parameters
    ----------
    n : int, default 500
        How many images (1 to 10,000).
    seed : int, default 0
        Seed of the sample.

    Returns
    -------
    images : ndarray of shape (n, 28, 28), uint8
    labels : ndarray of shape (n,), uint8
    indices : ndarray of shape (n,)
        Their positions in the test set.
    """
    from ._checks import check_int
    from .data import load_mnist

    check_int("n", n, minimum=1, maximum=10000)
    _, (x_test, y_test) = load_mnist()
    indices = np.sort(np.random.default_rng(seed).choice(len(x_test), size=n, replace=False))
    return x_test[indices], y_test[indices], indices


def export_lesson_models(folder, settings: Settings | None = None, *, samples: int = SAMPLE_IMAGES) -> dict:
    """Export the lesson and contrast models of the current settings, with sample test images.

    This is what the book's build calls (``book/_ext/lesson_book/weights.py``)
    to put the networks into the site.

    Parameters
    ----------
    folder : path-like
        Where to write ``weights.bin`` and ``manifest.json`` (replaced).
    settings : Settings, optional
        Defaults to :func:`~mnist_lesson.config.get_settings`.
    samples : int, default 500
        Test images stored for the page's "random test image" button
        (arrays ``samples.images``, ``samples.labels``).

    Returns
    -------
    dict
        The manifest, whose ``models`` hold ``lesson`` and ``contrast`` with
        their layers and ``cache_key``, and whose ``settings`` are those of
        the export.
    """
    s = settings or get_settings()
    arrays, models = {}, {}
    for spec in ("lesson", "contrast"):
        layers, model_arrays = _layers_from_arrays(spec, lesson_weight_arrays(spec, s))
        arrays.update(model_arrays)
        models[spec] = {"cache_key": model_cache_key(spec, s), "layers": layers}
    images, labels, indices = sample_test_images(samples, seed=s.seed)
    arrays["samples.images"] = images.reshape(len(images), -1)
    arrays["samples.labels"] = labels
    settings_dict = {k: v for k, v in s.as_dict().items() if k != "cache_dir"}
    info = {"settings": settings_dict, "preprocessing": PREPROCESSING, "samples": {"images": "samples.images", "labels": "samples.labels",
                                                     "test_indices": [int(i) for i in indices]}}
    return export_arrays(folder, arrays, models=models, info=info)
