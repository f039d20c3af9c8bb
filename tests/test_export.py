"""mnist_lesson.export: the networks' weights in one binary file with a JSON manifest."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mnist_lesson.export import (
    FORMAT_VERSION,
    MANIFEST_FILE,
    WEIGHTS_FILE,
    dense_layers,
    export_arrays,
    model_cache_key,
    read_export,
)


@pytest.fixture(scope="module")
def small_model():
    """A 784-3-10 network of the book's kind, with random (untrained) weights."""
    from mnist_lesson.model import build_model

    return build_model(3, seed=1)


def layer_arrays(layers, prefix="m"):
    arrays, described = {}, []
    for layer in layers:
        arrays[f"{prefix}.{layer['name']}.kernel"] = layer["kernel"]
        arrays[f"{prefix}.{layer['name']}.bias"] = layer["bias"]
        described.append({"name": layer["name"], "activation": layer["activation"],
                          "kernel": f"{prefix}.{layer['name']}.kernel", "bias": f"{prefix}.{layer['name']}.bias"})
    return arrays, {"layers": described}


def test_dense_layers_reads_kernels_biases_and_activations(small_model):
    layers = dense_layers(small_model)
    assert [(layer["name"], layer["activation"]) for layer in layers] == [("hidden", "relu"), ("output", "softmax")]
    assert layers[0]["kernel"].shape == (784, 3) and layers[0]["bias"].shape == (3,)
    assert layers[1]["kernel"].shape == (3, 10) and layers[1]["kernel"].dtype == np.float32
    kernel, bias = small_model.get_layer("hidden").get_weights()
    np.testing.assert_array_equal(layers[0]["kernel"], kernel)
    np.testing.assert_array_equal(layers[0]["bias"], bias)


def test_dense_layers_refuses_what_the_page_cannot_run():
    import keras

    with pytest.raises(ValueError, match="must be a built Keras model"):
        dense_layers(object())
    odd = keras.Sequential([keras.Input((784,)), keras.layers.Dense(4, activation="tanh", name="h")])
    with pytest.raises(ValueError, match="activation 'tanh'"):
        dense_layers(odd)
    dropout = keras.Sequential([keras.Input((784,)), keras.layers.Dropout(0.5, name="drop")])
    with pytest.raises(ValueError, match="Dense layers only.*'drop' is a Dropout"):
        dense_layers(dropout)


def test_export_round_trips_exactly_in_little_endian_float32(tmp_path, small_model):
    arrays, model = layer_arrays(dense_layers(small_model))
    images = np.arange(2 * 784, dtype=np.uint8).reshape(2, 784)
    arrays["samples.images"] = images
    arrays["samples.labels"] = np.array([3, 7], np.uint8)
    manifest = export_arrays(tmp_path, arrays, models={"m": model}, info={"settings": {"seed": 5}})
    assert manifest["format"] == FORMAT_VERSION and manifest["byteorder"] == "little"
    assert manifest["settings"] == {"seed": 5}
    assert json.loads((tmp_path / MANIFEST_FILE).read_text()) == manifest
    read_manifest, read = read_export(tmp_path)
    assert read_manifest == manifest
    for name, array in arrays.items():
        np.testing.assert_array_equal(read[name], array)
        entry = manifest["arrays"][name]
        assert entry["offset"] % 4 == 0, "each array must start on a 4-byte boundary (Float32Array views)"
    blob = (tmp_path / WEIGHTS_FILE).read_bytes()
    kernel = manifest["arrays"]["m.hidden.kernel"]
    first = np.frombuffer(blob, dtype="<f4", count=1, offset=kernel["offset"])[0]
    assert first == arrays["m.hidden.kernel"][0, 0]
    assert manifest["arrays"]["samples.labels"] == {"dtype": "uint8", "shape": [2], "offset": manifest["arrays"]["samples.labels"]["offset"], "length": 2}
    assert len(blob) == manifest["bytes"] and len(blob) % 4 == 0


def test_export_replaces_the_previous_export(tmp_path):
    export_arrays(tmp_path, {"a": np.ones(10), "b": np.zeros(3)})
    manifest = export_arrays(tmp_path, {"c": np.full(2, 7.0)})
    assert set(manifest["arrays"]) == {"c"}
    read_manifest, read = read_export(tmp_path)
    assert set(read) == {"c"} and read["c"].tolist() == [7.0, 7.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == [MANIFEST_FILE, WEIGHTS_FILE], "no temporary files left"


def test_export_refuses_bad_arrays_and_models(tmp_path):
    with pytest.raises(ValueError, match="nothing to export"):
        export_arrays(tmp_path, {})
    with pytest.raises(ValueError, match="NaN or infinite"):
        export_arrays(tmp_path, {"w": np.array([1.0, np.nan])})
    with pytest.raises(ValueError, match="dtype int64"):
        export_arrays(tmp_path, {"w": np.arange(3)})
    with pytest.raises(ValueError, match="names must be letters"):
        export_arrays(tmp_path, {"../w": np.ones(3)})
    arrays = {"k": np.ones((4, 2)), "b": np.ones(3)}
    layer = {"name": "h", "activation": "relu", "kernel": "k", "bias": "b"}
    with pytest.raises(ValueError, match="do not make a dense layer"):
        export_arrays(tmp_path, arrays, models={"m": {"layers": [layer]}})
    with pytest.raises(ValueError, match="is not among the exported arrays"):
        export_arrays(tmp_path, arrays, models={"m": {"layers": [{**layer, "bias": "missing"}]}})
    with pytest.raises(ValueError, match="activation 'gelu'"):
        export_arrays(tmp_path, {"k": np.ones((4, 2)), "b": np.ones(2)},
                      models={"m": {"layers": [{**layer, "activation": "gelu"}]}})
    assert not (tmp_path / MANIFEST_FILE).exists(), "a refused export writes nothing"


def test_read_export_detects_a_damaged_or_missing_export(tmp_path):
    with pytest.raises(FileNotFoundError, match="build the book"):
        read_export(tmp_path)
    export_arrays(tmp_path, {"w": np.ones(8)})
    path = tmp_path / WEIGHTS_FILE
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(ValueError, match="does not match"):
        read_export(tmp_path)


def test_model_cache_key_follows_the_settings():
    from mnist_lesson.config import Settings

    base = Settings()
    assert model_cache_key("lesson", base) == model_cache_key("lesson", base)
    assert model_cache_key("lesson", base) != model_cache_key("contrast", base)
    assert model_cache_key("lesson", base) != model_cache_key("lesson", base.replace(hidden_units=64))
    with pytest.raises(ValueError, match="spec must be 'lesson', 'contrast'"):
        model_cache_key("other", base)


def fake_weights(units):
    """What lesson_weight_arrays returns, for a 784-units-10 network, without training."""
    generator = np.random.default_rng(units)
    return {
        "hidden.kernel": generator.normal(size=(784, units)).astype(np.float32),
        "hidden.bias": np.zeros(units, np.float32),
        "output.kernel": generator.normal(size=(units, 10)).astype(np.float32),
        "output.bias": np.zeros(10, np.float32),
        "activations": np.array([0, 1], np.uint8),
    }


@pytest.fixture
def no_training(monkeypatch):
    """Make export_lesson_models run on synthetic weights and images (no model cache, no data)."""
    import mnist_lesson.export as export

    monkeypatch.setattr(export, "lesson_weight_arrays",
                        lambda spec, settings: fake_weights(settings.hidden_units if spec == "lesson" else 1))
    monkeypatch.setattr(export, "sample_test_images", lambda n, seed: (
        np.full((n, 28, 28), seed % 256, np.uint8), np.arange(n, dtype=np.uint8) % 10, np.arange(n)))
    return export


def test_an_export_with_other_settings_replaces_the_network(tmp_path, no_training):
    from mnist_lesson.config import Settings

    for settings in (Settings(hidden_units=8, seed=1), Settings(hidden_units=5, seed=2)):
        manifest = no_training.export_lesson_models(tmp_path, settings, samples=3)
        read_manifest, arrays = read_export(tmp_path)
        assert read_manifest == manifest
        assert manifest["settings"]["hidden_units"] == settings.hidden_units
        for name in ("lesson", "contrast"):
            assert manifest["models"][name]["cache_key"] == model_cache_key(name, settings)
        assert arrays["lesson.hidden.kernel"].shape == (784, settings.hidden_units)
        assert arrays["contrast.hidden.kernel"].shape == (784, 1)
        assert [layer["activation"] for layer in manifest["models"]["lesson"]["layers"]] == ["relu", "softmax"]
        assert arrays["samples.images"].shape == (3, 784) and (arrays["samples.images"] == settings.seed).all()


def test_the_build_exports_after_every_successful_html_build(tmp_path, no_training, monkeypatch):
    """book/_ext/lesson_book/weights.py: into _static/lesson-weights, never after a failed or non-HTML build."""
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
    from lesson_book import weights as extension
    monkeypatch.setenv("MNIST_LESSON_HIDDEN_UNITS", "6")
    target = tmp_path / "_static" / "lesson-weights"

    extension.export_weights(SimpleNamespace(builder=SimpleNamespace(name="html"), outdir=str(tmp_path)),
                             RuntimeError("the build failed"))
    extension.export_weights(SimpleNamespace(builder=SimpleNamespace(name="latex"), outdir=str(tmp_path)), None)
    # Not the one-page build the PDF is printed from either.
    extension.export_weights(SimpleNamespace(builder=SimpleNamespace(name="singlehtml"), outdir=str(tmp_path)), None)
    assert not target.exists()
    extension.export_weights(SimpleNamespace(builder=SimpleNamespace(name="html"), outdir=str(tmp_path)), None)
    manifest, arrays = read_export(target)
    assert manifest["settings"]["hidden_units"] == 6 and arrays["lesson.hidden.kernel"].shape == (784, 6)

    def broken(folder, settings):
        raise ValueError("no model")

    monkeypatch.setattr(no_training, "export_lesson_models", broken)
    from sphinx.errors import ExtensionError

    with pytest.raises(ExtensionError, match="could not export the networks.*ValueError: no model"):
        extension.export_weights(SimpleNamespace(builder=SimpleNamespace(name="html"), outdir=str(tmp_path)), None)
