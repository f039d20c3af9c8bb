"""Turn images and labels into what the network takes: flat, scaled, one-hot."""

from __future__ import annotations

import numpy as np

from ._checks import check_int, check_labels

__all__ = ["flatten", "rescale", "preprocess", "one_hot", "from_one_hot", "NUM_CLASSES", "IMAGE_SIDE", "IMAGE_PIXELS"]

#: Number of digit classes.
NUM_CLASSES = 10

#: Height and width of an MNIST image in pixels; pixel ``i`` of a flattened
#: image sits at row, column ``divmod(i, IMAGE_SIDE)``.
IMAGE_SIDE = 28

#: Pixels of an MNIST image, the length of a flattened image (784).
IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE


def flatten(images) -> np.ndarray:
    """Flatten square images to vectors, row by row.

    Parameters
    ----------
    images : array-like of shape (n_samples, height, width) or (height, width)
        Images such as MNIST's 28x28 digits.

    Returns
    -------
    ndarray of shape (n_samples, height * width) or (height * width,)
        The same values; row ``r``, column ``c`` lands at ``r * width + c``.

    Examples
    --------
    >>> flatten(np.zeros((2, 28, 28))).shape
    (2, 784)
    """
    images = np.asarray(images)
    if images.ndim == 2:
        return images.reshape(-1)
    if images.ndim != 3:
        raise ValueError(
            "images must have shape (n_samples, height, width) or (height, width), "
            f"got shape {images.shape}"
        )
    return images.reshape(len(images), -1)


def rescale(images, *, max_value: float = 255.0) -> np.ndarray:
    """Scale pixel values from 0..``max_value`` to 0..1 as float32.

    Parameters
    ----------
    images : array-like of integers
        Pixel values between 0 and ``max_value``.
    max_value : float, default 255.0
        The largest possible pixel value.

    Returns
    -------
    ndarray of float32, same shape

    Examples
    --------
    >>> rescale(np.array([0, 51, 255], dtype=np.uint8))
    array([0. , 0.2, 1. ], dtype=float32)
    """
    images = np.asarray(images)
    if max_value <= 0:
        raise ValueError(f"max_value must be positive, got {max_value}")
    if images.size and (images.min() < 0 or images.max() > max_value):
        raise ValueError(
            f"pixel values must lie between 0 and {max_value:g}, got values from "
            f"{images.min()} to {images.max()}; are the images already rescaled?"
        )
    return (images.astype(np.float32) / np.float32(max_value)).astype(np.float32)


def preprocess(images) -> np.ndarray:
    """Flatten 28x28 images to 784 values and rescale them to 0..1 (float32).

    Examples
    --------
    >>> preprocess(np.full((3, 28, 28), 255, dtype=np.uint8)).shape
    (3, 784)
    """
    return rescale(flatten(images))


def one_hot(labels, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Encode integer class labels as one-hot rows.

    Parameters
    ----------
    labels : array-like of int, shape (n_samples,)
        Class numbers from 0 to ``num_classes - 1``.
    num_classes : int, default 10
        Length of each one-hot vector.

    Returns
    -------
    ndarray of shape (n_samples, num_classes), float32
        Row ``i`` is all zeros except a one at column ``labels[i]``.

    Examples
    --------
    >>> one_hot([5, 0], num_classes=6)
    array([[0., 0., 0., 0., 0., 1.],
           [1., 0., 0., 0., 0., 0.]], dtype=float32)
    """
    num_classes = check_int("num_classes", num_classes)
    labels = check_labels(labels, "labels", num_classes=num_classes)
    encoded = np.zeros((labels.size, num_classes), dtype=np.float32)
    encoded[np.arange(labels.size), labels.astype(np.intp)] = 1.0
    return encoded


def from_one_hot(encoded) -> np.ndarray:
    """Turn one-hot rows (or rows of class probabilities) back into labels.

    Parameters
    ----------
    encoded : array-like of shape (n_samples, n_classes)
        One-hot rows, or probabilities; the largest entry of a row wins.

    Returns
    -------
    ndarray of shape (n_samples,), int64

    Examples
    --------
    >>> from_one_hot(one_hot([3, 1, 4]))
    array([3, 1, 4])
    """
    encoded = np.asarray(encoded)
    if encoded.ndim != 2 or encoded.shape[1] < 1:
        raise ValueError(
            f"encoded must have shape (n_samples, n_classes), got shape {encoded.shape}"
        )
    return np.argmax(encoded, axis=1).astype(np.int64)
