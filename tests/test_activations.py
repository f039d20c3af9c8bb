"""Tests of mnist_lesson.activations on small models and hand-made arrays."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from mnist_lesson import activations, data, training
from mnist_lesson.activations import (
    activation_frame,
    activation_model,
    activation_ranges,
    compute_activations,
    dead_units,
    mean_activation,
    most_active_units,
)
from mnist_lesson.config import Settings
from mnist_lesson.encoding import preprocess
from mnist_lesson.evaluation import predict_proba
from mnist_lesson.model import build_model


@pytest.fixture(scope="module")
def model():
    return build_model(6, seed=0)


def test_activation_model_exposes_hidden_and_output(model):
    probe = activation_model(model)
    assert [tuple(o.shape) for o in probe.outputs] == [(None, 6), (None, 10)]


def test_activation_model_needs_named_layers():
    import keras

    plain = keras.Sequential([keras.Input((784,)), keras.layers.Dense(3, name="d")])
    with pytest.raises(ValueError, match="must have a layer named 'hidden'; its layers are \\['d'\\]"):
        activation_model(plain)


def test_compute_activations_shapes_and_batching(model, rng):
    images = rng.integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    hidden, output = compute_activations(model, images)
    assert hidden.shape == (50, 6) and output.shape == (50, 10)
    assert hidden.dtype == np.float32 and hidden.min() >= 0
    np.testing.assert_allclose(output.sum(axis=1), 1.0, rtol=1e-5)
    small_hidden, small_output = compute_activations(model, images, batch_size=7)
    np.testing.assert_allclose(small_hidden, hidden, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(small_output, model.predict(images.reshape(50, -1) / 255, verbose=0), rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 784\)"):
        compute_activations(model, np.zeros((2, 10)))
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        compute_activations(model, images, batch_size=0)


def test_activation_frame_and_errors():
    hidden = np.arange(12, dtype=float).reshape(4, 3)
    frame = activation_frame(hidden, [1, 2, 3, 4], units=[2, 0], rows=2)
    assert list(frame.columns) == ["unit 2", "unit 0", "class"]
    assert frame["unit 2"].tolist() == [2.0, 5.0] and frame["class"].tolist() == [1, 2]
    with pytest.raises(ValueError, match="same length, got 4 and 3"):
        activation_frame(hidden, [1, 2, 3])
    with pytest.raises(ValueError, match=r"units must lie between 0 and 2, got \[5\]"):
        activation_frame(hidden, [1, 2, 3, 4], units=[5])


def test_activation_ranges_by_hand():
    values = np.array([0.0, 0.0, 2.0, 4.0, 1.0, 3.0])
    labels = np.array([0, 0, 0, 0, 1, 1])
    table = activation_ranges(values, labels)
    assert table.index.tolist() == [0, 1]
    assert table.loc[0, "min"] == 0.0 and table.loc[0, "max"] == 4.0
    assert table.loc[0, "median"] == 1.0 and table.loc[0, "zero share"] == 0.5
    assert table.loc[1, "mean"] == 2.0 and table.loc[1, "zero share"] == 0.0


def test_dead_units_mean_activation_and_most_active():
    hidden = np.array([[0.0, 1.0, 0.0, 3.0], [0.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.0, 5.0]])
    np.testing.assert_array_equal(dead_units(hidden), [0, 2])
    np.testing.assert_array_equal(dead_units(hidden, threshold=1.0), [0, 2])
    means = mean_activation(hidden, [0, 0, 2], num_classes=3)
    np.testing.assert_allclose(means[0], [0.0, 1.5, 0.0, 2.0])
    assert np.isnan(means[1]).all()
    np.testing.assert_array_equal(most_active_units(hidden, k=2), [3, 1])


@pytest.fixture
def small_mnist(monkeypatch, synthetic_split):
    """Training and loading see a small synthetic split (300 + 100 training, 100 test images)."""
    split = synthetic_split(n_train=300, n_val=100, n_test=100)
    monkeypatch.setattr(training, "load_split", lambda *a, **k: split)
    x_all = np.concatenate([split.x_train, split.x_val])
    y_all = np.concatenate([split.y_train, split.y_val])
    monkeypatch.setattr(data, "load_mnist", lambda **k: ((x_all, y_all), (split.x_test, split.y_test)))
    return split, y_all


def test_training_activations_are_cached_and_skip_tensorflow_on_a_hit(tmp_path, small_mnist):
    split, y_all = small_mnist
    settings = Settings(epochs=2, cache_dir=tmp_path, hidden_units=5)
    first = activations.training_activations("lesson", settings=settings)
    assert first["hidden"].shape == (400, 5) and first["output"].shape == (400, 10)
    np.testing.assert_array_equal(first["y_train"], y_all)
    # A new process with the same settings reads the arrays without importing TensorFlow.
    probe = (
        "import sys; from mnist_lesson.activations import training_activations\n"
        "from mnist_lesson.config import Settings\n"
        f"a = training_activations('lesson', settings=Settings(epochs=2, cache_dir={str(tmp_path)!r}, hidden_units=5))\n"
        "print(a['hidden'].shape, 'tensorflow' in sys.modules)"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(400, 5) False"


def test_test_activations_match_predictions_and_records_load_without_tensorflow(tmp_path, small_mnist):
    split, _ = small_mnist
    settings = Settings(epochs=2, cache_dir=tmp_path, hidden_units=5)
    result = activations.test_activations("lesson", settings=settings)
    assert result["hidden"].shape == (100, 5) and result["output"].shape == (100, 10)
    np.testing.assert_array_equal(result["y_test"], split.y_test)
    # The cached outputs are the model's predictions on the test images.
    model = training.get_trained_model("lesson", settings=settings).model
    expected = predict_proba(model, preprocess(split.x_test))
    np.testing.assert_allclose(result["output"], expected, atol=1e-6)
    np.testing.assert_array_equal(result["output"].argmax(axis=1), expected.argmax(axis=1))
    # Training and test activations are separate cache entries.
    assert activations.training_activations("lesson", settings=settings)["hidden"].shape == (400, 5)
    # A new process reads the test outputs and the training record without importing TensorFlow.
    probe = (
        "import sys; from mnist_lesson import get_trained_model, test_activations\n"
        "from mnist_lesson.config import Settings\n"
        f"s = Settings(epochs=2, cache_dir={str(tmp_path)!r}, hidden_units=5)\n"
        "a = test_activations('lesson', settings=s)\n"
        "r = get_trained_model('lesson', settings=s, load_model=False)\n"
        "print(a['output'].shape, r.model, r.epochs_run, r.from_cache, 'tensorflow' in sys.modules)"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(100, 10) None 2 True False"
