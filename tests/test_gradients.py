"""Tests of mnist_lesson.gradients: the forward and backward pass by hand."""

import numpy as np
import pytest

from mnist_lesson.gradients import (
    PARAMETER_NAMES,
    backward,
    compare_with_tape,
    cross_entropy,
    forward,
    relu,
    softmax,
    tape_gradients,
)
from mnist_lesson.model import build_model


def small_problem(seed=0, n=6, d=5, hidden=4, k=3):
    """A small network with random weights and biases, a batch and its one-hot targets."""
    rng = np.random.default_rng(seed)
    weights = [
        rng.normal(size=(d, hidden)),
        rng.normal(scale=0.5, size=hidden),
        rng.normal(size=(hidden, k)),
        rng.normal(scale=0.5, size=k),
    ]
    x = rng.random((n, d))
    y = np.eye(k)[rng.integers(0, k, size=n)]
    return weights, x, y


def loss_of(weights, x, y, l2=0.0):
    return cross_entropy(forward(weights, x)["p"], y) + l2 * float(np.sum(weights[0] ** 2))


def finite_differences(weights, x, y, l2=0.0, step=1e-6):
    """Central differences of the loss for every entry of every parameter."""
    grads = {}
    for i, name in enumerate(PARAMETER_NAMES):
        grad = np.zeros_like(weights[i])
        for index in np.ndindex(weights[i].shape):
            plus = [w.copy() for w in weights]
            minus = [w.copy() for w in weights]
            plus[i][index] += step
            minus[i][index] -= step
            grad[index] = (loss_of(plus, x, y, l2) - loss_of(minus, x, y, l2)) / (2 * step)
        grads[name] = grad
    return grads


def test_relu_and_softmax():
    np.testing.assert_array_equal(relu([-1.0, 0.0, 2.5]), [0.0, 0.0, 2.5])
    p = softmax(np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]]))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], 1 / 3)
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p[0], e / e.sum())


def test_forward_keeps_every_step():
    weights, x, y = small_problem()
    out = forward(weights, x)
    np.testing.assert_allclose(out["z"], x @ weights[0] + weights[1])
    np.testing.assert_array_equal(out["h"], np.maximum(out["z"], 0))
    np.testing.assert_allclose(out["logits"], out["h"] @ weights[2] + weights[3])
    assert out["p"].shape == (6, 3)
    assert 0 < (out["z"] > 0).mean() < 1  # the ReLU mask matters in this test


@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_backward_matches_finite_differences(l2):
    weights, x, y = small_problem(seed=1)
    by_hand = backward(weights, x, y, l2=l2)
    numeric = finite_differences(weights, x, y, l2=l2)
    for name in PARAMETER_NAMES:
        assert by_hand[name].shape == weights[PARAMETER_NAMES.index(name)].shape
        np.testing.assert_allclose(by_hand[name], numeric[name], atol=1e-7, err_msg=name)
    assert np.abs(by_hand["W1"]).max() > 1e-3  # not trivially zero


def test_backward_formulas_of_the_chapter():
    weights, x, y = small_problem(seed=2)
    out = forward(weights, x)
    g = backward(weights, x, y)
    n = len(x)
    np.testing.assert_allclose(g["W2"], out["h"].T @ (out["p"] - y) / n)
    np.testing.assert_allclose(g["b2"], (out["p"] - y).sum(axis=0) / n)
    delta = ((out["p"] - y) @ weights[2].T) * (out["z"] > 0) / n
    np.testing.assert_allclose(g["W1"], x.T @ delta)
    np.testing.assert_allclose(g["b1"], delta.sum(axis=0))


def test_a_unit_that_never_fires_gets_no_gradient():
    weights, x, y = small_problem(seed=3)
    weights[0][:, 0] = -1.0  # x >= 0, so unit 0's pre-activation is negative for every image
    weights[1][0] = -1.0
    g = backward(weights, x, y)
    np.testing.assert_array_equal(g["W1"][:, 0], 0.0)
    assert g["b1"][0] == 0.0
    np.testing.assert_array_equal(g["W2"][0], 0.0)


def test_cross_entropy():
    assert cross_entropy([[0.25, 0.75]], [[0.0, 1.0]]) == pytest.approx(-np.log(0.75))
    with pytest.raises(ValueError, match="same shape"):
        cross_entropy([[0.5, 0.5]], [[1.0, 0.0, 0.0]])


def test_bad_input_is_explained():
    weights, x, y = small_problem()
    with pytest.raises(ValueError, match="4 arrays"):
        forward(weights[:2], x)
    with pytest.raises(ValueError, match="shapes"):
        forward([weights[0], weights[1], weights[2].T, weights[3]], x)
    with pytest.raises(ValueError, match=r"x must be a non-empty batch of shape \(n, 5\)"):
        forward(weights, x[:, :3])
    with pytest.raises(ValueError, match="one-hot targets of shape"):
        backward(weights, x, y[:, :2])
    with pytest.raises(ValueError, match="l2 must be zero or positive"):
        backward(weights, x, y, l2=-1.0)


@pytest.mark.parametrize("l2", [0.0, 0.01])
def test_backward_matches_tensorflow(l2):
    model = build_model(6, l2=l2, seed=4)
    rng = np.random.default_rng(5)
    x = rng.random((8, 784)).astype(np.float32)
    y = np.eye(10)[rng.integers(0, 10, size=8)]
    tape = tape_gradients(model, x, y)
    by_hand = backward(model.get_weights(), x, y, l2=l2)
    for name in PARAMETER_NAMES:
        np.testing.assert_allclose(by_hand[name], tape[name], atol=1e-6, err_msg=name)
    table = compare_with_tape(model, x, y)
    assert list(table.index) == list(PARAMETER_NAMES)
    assert table.loc["W1", "shape"] == "(784, 6)"
    assert (table["max |NumPy - tape|"] < 1e-6).all()
    assert (table["largest |gradient|"] > 1e-4).all()


def test_tape_gradients_need_a_hidden_layer():
    with pytest.raises(ValueError, match="one hidden layer"):
        tape_gradients(build_model(0), np.zeros((2, 784)), np.eye(10)[[0, 1]])
