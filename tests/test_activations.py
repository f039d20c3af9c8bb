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
    box_overlaps,
    compute_activations,
    dead_units,
    dead_units_text,
    distributed_code,
    favourite_digits_text,
    ink_correlation_text,
    mean_activation,
    most_active_units,
    never_predicted_text,
    sparsity_text,
    unit_profile_text,
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


def test_activations_of_test_images_match_predictions_and_records_load_without_tensorflow(tmp_path, small_mnist):
    split, _ = small_mnist
    settings = Settings(epochs=2, cache_dir=tmp_path, hidden_units=5)
    result = activations.activations_of_test_images("lesson", settings=settings)
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
        "import sys; from mnist_lesson import activations_of_test_images, get_trained_model\n"
        "from mnist_lesson.config import Settings\n"
        f"s = Settings(epochs=2, cache_dir={str(tmp_path)!r}, hidden_units=5)\n"
        "a = activations_of_test_images('lesson', settings=s)\n"
        "r = get_trained_model('lesson', settings=s, load_model=False)\n"
        "print(a['output'].shape, r.model, r.epochs_run, r.from_cache, 'tensorflow' in sys.modules)"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "(100, 10) None 2 True False"


# ---------------------------------------------------------------------------
# Sentences worded from the numbers: every branch, on hand-made arrays
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active_per_row", "expected"),
    [
        (1, "This network's code is sparse in that sense: on average an image switches on few of its units."),
        (4, "This network's code is only partly sparse: on average an image switches on a minority of its units."),
        (5, "This network's code is only partly sparse: on average an image switches on about half of its units."),
        (9, "This network's code is not sparse in that sense: on average an image switches on most of its units."),
        (10, "This network's code is not sparse in that sense: on average an image switches on all of its units."),
    ],
)
def test_sparsity_text_follows_the_share_of_active_units(active_per_row, expected):
    hidden = np.zeros((3, 10))
    hidden[:, :active_per_row] = 1.5
    assert sparsity_text(hidden) == expected


def test_sparsity_and_dead_units_text_check_their_argument():
    for bad in (np.zeros(4), np.zeros((0, 3)), np.zeros((2, 0))):
        with pytest.raises(ValueError, match=r"hidden must have shape \(n_samples, n_units\)"):
            sparsity_text(bad)
        with pytest.raises(ValueError, match=r"hidden must have shape \(n_samples, n_units\)"):
            dead_units_text(bad)


def _ranges(columns_by_class):
    """activation_ranges of hand-made values: {class: list of values}."""
    values = [v for vs in columns_by_class.values() for v in vs]
    labels = [k for k, vs in columns_by_class.items() for _ in vs]
    return activation_ranges(values, labels)


def test_unit_profile_text_for_a_unit_that_some_digits_lack():
    ranges = _ranges({0: [0.0, 2.0, 3.0, 4.0], 1: [0.0, 0.0, 0.0, 1.0], 2: [0.0, 1.0, 1.0, 2.0]})
    assert unit_profile_text(ranges) == (
        "Its median is highest for the 0s (2.50), and it is silent most often for the 1s (75% of them). "
        "For 1 of the 3 digits its median is zero: it is silent for at least half of their images. "
        "Yet it fires for some images of every digit (the smallest of the 3 maxima is 1.00). "
        "It responds to a pattern that some digits share and others mostly lack."
    )


def test_unit_profile_text_for_a_unit_that_every_digit_switches_on():
    ranges = _ranges({0: [1.0, 2.0], 1: [1.0, 2.0], 2: [0.5, 2.5]})
    text = unit_profile_text(ranges)
    assert text.startswith("Its median is highest for the 0s, 1s and 2s (1.50)"), text
    assert "it is above zero for every image. It responds to something" in text
    rarely_silent = _ranges({0: [0.0, 2.0, 3.0], 1: [1.0, 2.0]})
    assert "Its median is above zero for every digit: it fires for at least half of the images of each." in (
        unit_profile_text(rarely_silent)
    )
    assert text.endswith("it tells the digits apart by how much it fires rather than whether it fires.")
    assert "Yet" not in text


def test_unit_profile_text_for_silent_and_dead_units():
    mostly_silent = _ranges({0: [0.0, 0.0, 5.0], 1: [0.0, 0.0, 0.0]})
    text = unit_profile_text(mostly_silent)
    assert text.startswith("Its median is zero for every digit: it is silent for at least half of the images of each")
    assert "silent most often for the 1s (100% of them)" in text
    assert "It never fires for the 1s." in text
    assert text.endswith("It responds to something that most images lack, whatever their digit.")
    dead = _ranges({0: [0.0, 0.0], 1: [0.0]})
    assert unit_profile_text(dead).endswith("It never fires at all.")


def test_unit_profile_text_shows_shares_without_misleading_rounding():
    rare = _ranges({0: [0.0] + [1.0] * 999, 1: [2.0] * 10})
    assert "(0.1% of them)" in unit_profile_text(rare)
    almost = _ranges({0: [0.0] * 9999 + [1.0], 1: [2.0] * 3})
    assert "(more than 99.9% of them)" in unit_profile_text(almost)


def test_ranges_functions_check_their_argument():
    with pytest.raises(ValueError, match="ranges must be a DataFrame from activation_ranges, got ndarray"):
        unit_profile_text(np.zeros((3, 7)))
    with pytest.raises(ValueError, match=r"\['zero share'\] missing"):
        unit_profile_text(_ranges({0: [1.0]}).drop(columns="zero share"))
    with pytest.raises(ValueError, match="at least one row"):
        box_overlaps(_ranges({0: [1.0]}).iloc[:0])


def test_box_overlaps_counts_other_boxes_only():
    ranges = _ranges({0: [0.0, 1.0, 2.0, 3.0], 1: [10.0, 11.0], 2: [0.0, 5.0], 3: [1.0, 2.0]})
    table = box_overlaps(ranges)
    assert list(table.columns) == ["overlapping boxes", "covered boxes"]
    assert table.index.tolist() == [0, 1, 2, 3]
    # boxes: 0 -> [0.75, 2.25], 1 -> [10.25, 10.75], 2 -> [1.25, 3.75], 3 -> [1.25, 1.75]
    assert table["overlapping boxes"].tolist() == [2, 0, 2, 2]
    # ranges: 0 -> [0, 3], 1 -> [10, 11], 2 -> [0, 5], 3 -> [1, 2]
    assert table["covered boxes"].tolist() == [1, 0, 2, 0]


def test_never_predicted_text_in_every_case():
    assert never_predicted_text([]).startswith("Here every digit has a stretch in the table")
    assert never_predicted_text([7]) == (
        "Here the digit 7 has no stretch in the table: the network never predicts it, for any training image."
    )
    assert never_predicted_text(np.array([5, 0, 2])).startswith("Here the digits 0, 2 and 5 have no stretch")
    with pytest.raises(ValueError, match="missing class must be at most 9, got 10"):
        never_predicted_text([10])
    with pytest.raises(ValueError, match=r"must not repeat a class, got \[3, 3\]"):
        never_predicted_text([3, 3])
    with pytest.raises(ValueError, match="missing holds every class"):
        never_predicted_text([0, 1], num_classes=2)


def test_dead_units_text_in_every_case():
    alive = np.array([[1.0, 0.0], [0.0, 2.0]])
    assert dead_units_text(alive).startswith("None of the units is dead: every one of them fires")
    several = np.array([[0.0, 1.0, 0.0, 0.0], [0.0, 2.0, 0.0, 3.0]])
    assert dead_units_text(several) == (
        "Of the 4 units, 2 are dead: they are zero for every training image, "
        "so the network effectively has 2 hidden units, not 4."
    )
    one_left = np.array([[0.0, 1.0, 0.0], [0.0, 2.0, 0.0]])
    assert "effectively has 1 hidden unit, not 3." in dead_units_text(one_left)
    assert dead_units_text(np.zeros((2, 3)), images="test images").startswith(
        "All 3 units are dead: they are zero for every test image"
    )


def test_ink_correlation_text_direction_and_verdict():
    ink = np.arange(10.0)
    line = ink_correlation_text(ink, 2 * ink + 1)
    assert line.startswith("is 1.00: more ink goes, on average, with more active units. The amount of ink accounts for ")
    assert line.endswith("of the variation in the count (the square of the correlation), so ink explains almost all of it.")
    noisy = 2 * ink + np.array([3.0, -3.0] * 5)
    text = ink_correlation_text(ink, noisy)
    assert text.startswith("is 0.87: more ink goes") and "accounts for 76% of" in text
    assert "so ink goes a long way to explain it, but not all the way." in text
    flat = np.array([1.0, 2.0, 2.0, 1.0] * 2 + [1.0, 2.0])
    assert "there is hardly a trend either way" in ink_correlation_text(ink, flat)
    assert "so it is not simply a matter of ink" in ink_correlation_text(ink, flat)
    with pytest.raises(ValueError, match="must both vary"):
        ink_correlation_text(ink, np.ones(10))
    with pytest.raises(ValueError, match="of the same length"):
        ink_correlation_text(ink, ink[:5])


def test_favourite_digits_text_counts_ties_and_absent_digits():
    every = np.array([[3.0, 0.0, 0.0, 1.0], [0.0, 3.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0]])
    assert favourite_digits_text(every) == "Every digit is the favourite of some units, from 1 unit for the 1s and 2s to 2 for the 0s."
    even = np.eye(3)
    assert favourite_digits_text(even) == "Every digit is the favourite of some units, each of them is the favourite of 1 unit."
    absent = np.array([[1.0, 1.0], [0.0, 0.0], [0.0, 2.0]])
    assert favourite_digits_text(absent) == (
        "2 of the 3 digits are the favourite of some units, and none is the favourite of the 1s. "
        "Of the others, each of them is the favourite of 1 unit."
    )
    one = np.array([[1.0, 2.0], [0.0, 1.0]])
    assert favourite_digits_text(one).startswith("Every unit has its largest mean for the 0s")


def test_distributed_code_counts_lit_cells():
    means = np.array([[4.0, 1.0, 3.0, 0.0], [3.0, 2.0, 0.0, 0.0], [0.0, 1.5, 3.5, 0.0]])
    found = distributed_code(means)
    # Column 3 is dark everywhere: no cell of it is lit.
    assert found["shared_units"] == 3 and found["n_units"] == 4 and found["shared_share"] == 0.75
    assert found["min_groups"] == 2 and found["n_groups"] == 3
    assert "more than half of the columns (3 of 4) are lit for more than one digit" in found["text"]
    strict = distributed_code(means, lit=0.9)
    assert strict["shared_units"] == 0 and strict["min_groups"] == 1
    assert "at least 90% of the largest mean in its column. Then none of the columns (0 of 4)" in strict["text"]
    with pytest.raises(ValueError, match=r"lit must lie in \(0, 1\], got 0.0"):
        distributed_code(means, lit=0)
    with pytest.raises(ValueError, match=r"means must have shape"):
        distributed_code(np.zeros(3))
