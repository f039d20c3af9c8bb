"""Tests of mnist_lesson.encoding: flattening, rescaling and one-hot labels."""

import numpy as np
import pytest

from mnist_lesson.encoding import flatten, from_one_hot, one_hot, preprocess, rescale


def test_flatten_keeps_row_order(rng):
    images = rng.integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    flat = flatten(images)
    assert flat.shape == (4, 784) and flat.dtype == np.uint8
    assert flat[2, 3 * 28 + 5] == images[2, 3, 5]
    np.testing.assert_array_equal(flat.reshape(4, 28, 28), images)
    assert flatten(images[0]).shape == (784,)


@pytest.mark.parametrize("shape", [(784,), (2, 3, 28, 28)])
def test_flatten_rejects_other_shapes(shape):
    with pytest.raises(ValueError, match=r"must have shape \(n_samples, height, width\)"):
        flatten(np.zeros(shape))


def test_rescale_maps_0_255_to_0_1_as_float32():
    scaled = rescale(np.array([[0, 128, 255]], dtype=np.uint8))
    assert scaled.dtype == np.float32
    np.testing.assert_allclose(scaled, [[0.0, 128 / 255, 1.0]], rtol=1e-6)


def test_rescale_refuses_values_already_rescaled_or_out_of_range():
    with pytest.raises(ValueError, match="between 0 and 255, got values from -1 to 3"):
        rescale(np.array([-1, 3]))
    with pytest.raises(ValueError, match="already rescaled"):
        rescale(np.array([0.0, 300.0]))
    with pytest.raises(ValueError, match="max_value must be positive"):
        rescale(np.array([1]), max_value=0)


def test_preprocess_round_trips(rng):
    images = rng.integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    x = preprocess(images)
    assert x.shape == (5, 784) and x.dtype == np.float32
    assert 0.0 <= x.min() and x.max() <= 1.0
    back = np.rint(x * 255).astype(np.uint8).reshape(5, 28, 28)
    np.testing.assert_array_equal(back, images)


def test_one_hot_and_back(rng):
    labels = rng.integers(0, 10, size=50)
    encoded = one_hot(labels)
    assert encoded.shape == (50, 10) and encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.sum(axis=1), np.ones(50))
    np.testing.assert_array_equal(from_one_hot(encoded), labels)
    np.testing.assert_array_equal(one_hot([5])[0], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0])


def test_one_hot_accepts_uint8_and_whole_floats():
    np.testing.assert_array_equal(from_one_hot(one_hot(np.array([9, 0], dtype=np.uint8))), [9, 0])
    np.testing.assert_array_equal(from_one_hot(one_hot(np.array([2.0, 7.0]))), [2, 7])


@pytest.mark.parametrize(
    "labels, kwargs, message",
    [
        ([0, 10], {}, "between 0 and 9, got values from 0 to 10"),
        ([-1, 2], {}, "between 0 and 9, got values from -1 to 2"),
        ([[1, 2]], {}, r"one-dimensional \(n_samples,\), got shape \(1, 2\)"),
        ([1.5], {}, "labels must hold whole class numbers"),
        ([1], {"num_classes": 0}, "num_classes must be a positive integer, got 0"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, kwargs, message):
    with pytest.raises(ValueError, match=message):
        one_hot(labels, **kwargs)


def test_from_one_hot_takes_the_most_probable_class():
    np.testing.assert_array_equal(from_one_hot([[0.1, 0.7, 0.2], [0.5, 0.2, 0.3]]), [1, 0])
    with pytest.raises(ValueError, match=r"shape \(n_samples, n_classes\), got shape \(3,\)"):
        from_one_hot([1, 0, 0])
