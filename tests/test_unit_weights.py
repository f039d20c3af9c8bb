"""Tests for mnist_lesson.unit_weights, on small hand-made networks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mnist_lesson.unit_weights import (
    DenseWeights,
    decompose,
    dense_weights,
    frame_text,
    logit_lines,
    unit_order,
    weight_images,
    winning_intervals,
    winning_text,
)


@pytest.fixture
def weights():
    rng = np.random.default_rng(0)
    return DenseWeights(
        rng.normal(scale=0.1, size=(784, 6)),
        rng.normal(scale=0.1, size=6),
        rng.normal(size=(6, 10)),
        rng.normal(size=10),
    )


# --------------------------------------------------------------------------- weight images


def test_weight_images_lay_each_column_out_as_the_pixels_of_an_image():
    w1 = np.arange(784 * 3, dtype=float).reshape(784, 3)
    images = weight_images(w1)
    assert images.shape == (3, 28, 28)
    # pixel (row r, column c) of a flattened image is entry 28 r + c
    assert images[2, 4, 7] == w1[28 * 4 + 7, 2]
    np.testing.assert_array_equal(images[1].ravel(), w1[:, 1])


def test_weight_images_reject_a_transposed_kernel():
    with pytest.raises(ValueError, match=r"w1 must have shape \(784, n_units\).*transpose it\?"):
        weight_images(np.zeros((5, 784)))


# --------------------------------------------------------------------------- order


def test_unit_order_groups_by_the_digit_voted_for_most_strongest_first():
    w2 = np.zeros((5, 10))
    w2[0, 3] = 0.2
    w2[1, 1] = 0.7
    w2[2, 3] = 0.9
    w2[3, 1] = 0.7  # ties unit 1: unit order decides
    w2[4, 9] = 0.1
    w2[4, 0] = -5.0  # a negative weight is no vote
    table = unit_order(w2)
    assert table["unit"].tolist() == [1, 3, 2, 0, 4]
    assert table["digit"].tolist() == [1, 1, 3, 3, 9]
    np.testing.assert_allclose(table["vote"], [0.7, 0.7, 0.9, 0.2, 0.1])


def test_unit_order_is_a_permutation(weights):
    table = unit_order(weights.w2)
    assert sorted(table["unit"]) == list(range(weights.n_units))
    assert table["digit"].is_monotonic_increasing
    np.testing.assert_array_equal(table["vote"], weights.w2[table["unit"], table["digit"]])


def test_unit_order_rejects_the_wrong_shape_and_nan():
    with pytest.raises(ValueError, match=r"w2 must have shape \(n_units, 10\)"):
        unit_order(np.zeros((10, 4)))
    with pytest.raises(ValueError, match="finite"):
        unit_order(np.full((2, 10), np.nan))


# --------------------------------------------------------------------------- one image's forward pass


def _dense_forward(x, w):
    """The forward pass of a 784-n-10 ReLU/softmax network written another way: one batch, no steps."""
    logits = np.maximum(x[None, :] @ w.w1 + w.b1, 0) @ w.w2 + w.b2
    e = np.exp(logits - logits.max())
    return logits[0], (e / e.sum())[0]


def test_decompose_equals_a_dense_forward_pass(weights):
    x = np.random.default_rng(1).random(784)
    parts = decompose(x, weights)
    logits, proba = _dense_forward(x, weights)
    np.testing.assert_allclose(parts.logits, logits, atol=1e-12)
    np.testing.assert_allclose(parts.probabilities, proba, atol=1e-12)
    np.testing.assert_allclose(parts.contributions.sum(axis=0) + weights.b2, parts.logits, atol=1e-12)
    np.testing.assert_allclose(parts.pre_activation, x @ weights.w1 + weights.b1)
    assert parts.predicted == int(np.argmax(proba))


def test_decompose_keeps_silent_units_out_of_every_score(weights):
    x = np.random.default_rng(2).random(784)
    parts = decompose(x.reshape(28, 28), weights)
    silent = parts.pre_activation <= 0
    assert silent.any() and (~silent).any()  # the fixture has both kinds for this image
    assert np.all(parts.hidden[silent] == 0)
    assert np.all(parts.contributions[silent] == 0)
    np.testing.assert_array_equal(parts.firing, np.flatnonzero(~silent))


def test_decompose_rejects_raw_pixels_batches_and_mismatched_weights(weights):
    with pytest.raises(ValueError, match=r"rescaled to 0..1.*preprocess"):
        decompose(np.full(784, 255, np.uint8), weights)
    with pytest.raises(ValueError, match="call decompose once per image"):
        decompose(np.zeros((2, 784)), weights)
    with pytest.raises(ValueError, match=r"w2 must have shape \(6, 10\) for a hidden layer of 6 units"):
        decompose(np.zeros(784), weights._replace(w2=np.zeros((5, 10))))
    with pytest.raises(ValueError, match="weights must be the four arrays"):
        decompose(np.zeros(784), [1, 2])


def test_dense_weights_reads_a_keras_model():
    import keras

    from mnist_lesson.model import build_model

    model = build_model(4, seed=0)
    w = dense_weights(model)
    assert w.w1.shape == (784, 4) and w.b1.shape == (4,) and w.w2.shape == (4, 10) and w.b2.shape == (10,)
    x = np.random.default_rng(3).random(784).astype(np.float32)
    predicted = model.predict(x[None, :], verbose=0)[0]
    np.testing.assert_allclose(decompose(x, w).probabilities, predicted, atol=1e-5)
    with pytest.raises(ValueError, match="must be a Keras model with a layer named 'hidden'"):
        dense_weights(keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, name="output")]))


# --------------------------------------------------------------------------- the one-unit network's lines


def test_logit_lines_are_straight_lines():
    z = logit_lines([0.0, 1.0, 3.0], [2.0, -1.0], [1.0, 0.5])
    np.testing.assert_allclose(z, [[1.0, 0.5], [3.0, -0.5], [7.0, -2.5]])


def test_winning_intervals_of_hand_made_lines():
    # digit 0 falls, 1 is flat, 2 rises: 0 wins up to 1, 1 from 1 to 2, 2 after 2
    table = winning_intervals([-1.0, 0.0, 1.0], [2.0, 1.0, -1.0], 0.0, 5.0)
    assert table["digit"].tolist() == [0, 1, 2]
    np.testing.assert_allclose(table["from h"], [0.0, 1.0, 2.0])
    np.testing.assert_allclose(table["to h"], [1.0, 2.0, 5.0])


def test_a_line_below_the_envelope_wins_nowhere():
    # line 1 touches the top only at h = 1, where 0 and 2 cross: it wins no interval
    table = winning_intervals([-1.0, 0.0, 1.0, -3.0], [1.0, 0.0, -1.0, -9.0], 0.0, 3.0)
    assert table["digit"].tolist() == [0, 2]
    np.testing.assert_allclose(table[["from h", "to h"]].to_numpy(), [[0.0, 1.0], [1.0, 3.0]])
    assert winning_text(table, num_classes=4) == (
        "Along the observed range of h, the lines of 0 and 2 take the top in turn, each on one interval; "
        "the lines of 1 and 3 are never the highest."
    )


def test_ties_go_to_the_lower_digit_as_argmax_breaks_them():
    # lines 1 and 2 are the same line: 1 wins where they are highest, 2 never
    table = winning_intervals([0.0, 1.0, 1.0], [1.0, 0.0, 0.0], 0.0, 2.0)
    assert table["digit"].tolist() == [0, 1]
    np.testing.assert_allclose(table["to h"], [1.0, 2.0])
    h = np.linspace(0.01, 1.99, 50)
    predicted = logit_lines(h, [0.0, 1.0, 1.0], [1.0, 0.0, 0.0]).argmax(axis=1)
    assert set(predicted) == {0, 1}


def test_each_digit_wins_at_most_one_interval_for_random_lines():
    rng = np.random.default_rng(4)
    for _ in range(50):
        slopes, intercepts = rng.normal(size=10), rng.normal(size=10)
        table = winning_intervals(slopes, intercepts, 0.0, 10.0)
        assert table["digit"].is_unique
        np.testing.assert_allclose(table["from h"].iloc[1:], table["to h"].iloc[:-1])
        # the intervals agree with the argmax of the lines on a fine grid
        h = np.linspace(0.0, 10.0, 2001)
        winners = logit_lines(h, slopes, intercepts).argmax(axis=1)
        owner = table["digit"].to_numpy()[np.searchsorted(table["to h"].to_numpy(), h).clip(0, len(table) - 1)]
        assert (winners == owner).mean() > 0.99
        assert set(winners) <= set(table["digit"])


def test_winning_intervals_reject_bad_ranges_and_lines():
    with pytest.raises(ValueError, match="low < high"):
        winning_intervals([0.0, 1.0], [0.0, 1.0], 2.0, 1.0)
    with pytest.raises(ValueError, match="same length"):
        winning_intervals([0.0, 1.0], [0.0], 0.0, 1.0)


def test_winning_text_when_every_digit_wins_or_one_wins_everywhere():
    every = pd.DataFrame({"digit": [1, 0], "from h": [0.0, 1.0], "to h": [1.0, 2.0]})
    assert winning_text(every, num_classes=2).endswith("; every digit wins somewhere.")
    one = pd.DataFrame({"digit": [2], "from h": [0.0], "to h": [1.0]})
    assert winning_text(one, num_classes=3) == (
        "Along the observed range of h, the line of 2 is the highest everywhere; "
        "the lines of 0 and 1 are never the highest."
    )
    with pytest.raises(ValueError, match="at most one interval"):
        winning_text(pd.DataFrame({"digit": [1, 0, 1]}))


def test_frame_text_follows_the_numbers():
    assert frame_text(1e-20, 0.08, l2=0.001).startswith("Its frame is clean: ")
    assert "at most 1.0e-20 in size, against 0.08" in frame_text(1e-20, 0.08, l2=0.001)
    assert frame_text(0.05, 0.08, l2=0.001).startswith("Its frame is fainter: ")
    assert frame_text(0.09, 0.08, l2=0.001).startswith("Its frame is not yet cleaner")
    with pytest.raises(ValueError, match="sizes of weights"):
        frame_text(-1.0, 0.08, l2=0.001)
