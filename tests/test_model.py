"""Tests of mnist_lesson.model: the 784-H-10 network and its presets."""

import numpy as np
import pytest

from mnist_lesson.config import Settings
from mnist_lesson.model import (
    ModelSpec,
    build_model,
    configuration_differences,
    contrast_spec,
    layer_table,
    lesson_spec,
    model_configuration,
    parameter_counts,
)


def test_parameter_counts_of_the_lesson_model():
    assert parameter_counts(128) == {"hidden": 100480, "output": 1290, "total": 101770}
    assert parameter_counts(1)["total"] == 785 + 20
    assert parameter_counts(0) == {"hidden": 0, "output": 7850, "total": 7850}  # no hidden layer
    with pytest.raises(ValueError, match="hidden_units must be at least 0, got -1"):
        parameter_counts(-1)


def test_the_linear_baseline_has_no_hidden_layer():
    model = build_model(0)
    assert [layer.name for layer in model.layers] == ["output"]
    assert model.count_params() == 7850
    assert ModelSpec("linear", 0).layer_sizes == (784, 10)
    with pytest.raises(ValueError, match="hidden_units must be a positive integer, got -2"):
        ModelSpec("linear", -2)


def test_presets_follow_the_settings():
    s = Settings(hidden_units=64, contrast_l2=0.01)
    assert lesson_spec(s) == ModelSpec("lesson", 64, 0.0)
    assert contrast_spec(s) == ModelSpec("contrast", 1, 0.01)
    assert lesson_spec(Settings()).layer_sizes == (784, 128, 10)


def test_spec_validates_its_fields():
    with pytest.raises(ValueError, match="hidden_units must be a positive integer, got -3"):
        ModelSpec("x", -3)
    with pytest.raises(ValueError, match="name must be letters"):
        ModelSpec("a b", 3)


def test_build_model_layers_and_compilation():
    model = build_model(128)
    assert [layer.name for layer in model.layers] == ["hidden", "output"]
    assert model.count_params() == 101770
    assert model.layers[0].activation.__name__ == "relu"
    assert model.layers[1].activation.__name__ == "softmax"
    assert model.optimizer.__class__.__name__ == "RMSprop"
    assert model.loss == "categorical_crossentropy"
    out = model.predict(np.zeros((3, 784), np.float32), verbose=0)
    assert out.shape == (3, 10)
    np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


def test_contrast_model_has_one_regularised_unit():
    model = build_model(1, l2=0.001)
    assert model.count_params() == 805
    assert model.layers[0].kernel_regularizer is not None
    assert float(model.layers[0].kernel_regularizer.l2) == pytest.approx(0.001)
    assert build_model(1).layers[0].kernel_regularizer is None


def test_same_seed_same_initial_weights():
    a, b = build_model(8, seed=3), build_model(8, seed=3)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    c = build_model(8, seed=4)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_build_model_rejects_bad_arguments():
    with pytest.raises(ValueError, match="l2 must be zero or positive"):
        build_model(4, l2=-0.1)
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        build_model(4, learning_rate=0)


def test_layer_table_splits_parameters_into_weights_and_biases():
    table = layer_table(build_model(128))
    assert table.index.tolist() == ["hidden", "output"]
    assert table["type"].tolist() == ["Dense", "Dense"]
    assert table["activation"].tolist() == ["relu", "softmax"]
    assert table["output shape"].tolist() == ["(None, 128)", "(None, 10)"]
    assert table["weights"].tolist() == [784 * 128, 128 * 10]
    assert table["biases"].tolist() == [128, 10]
    assert table["parameters"].tolist() == [100480, 1290]
    assert table["parameters"].sum() == parameter_counts(128)["total"]


def test_layer_table_of_the_contrast_model_and_bad_input():
    table = layer_table(build_model(1, l2=0.001))
    assert table["parameters"].tolist() == [785, 20]
    with pytest.raises(ValueError, match="model must be a built Keras model, got object"):
        layer_table(object())


def written_out(hidden_units=8, l2=0.0, *, learning_rate=0.001, loss="categorical_crossentropy",
                activation="relu", output_name="output"):
    """The lesson network written out with Keras calls, as the model chapter does."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(
                hidden_units,
                activation=activation,
                kernel_regularizer=keras.regularizers.L2(l2) if l2 else None,
                name="hidden",
            ),
            keras.layers.Dense(10, activation="softmax", name=output_name),
        ],
        name="written_out",
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=learning_rate),
        loss=loss,
        metrics=["accuracy"],
    )
    return model


def test_a_model_written_out_matches_build_model():
    assert configuration_differences(written_out(8), build_model(8, seed=3)) == []
    assert configuration_differences(written_out(1, 0.001), build_model(1, l2=0.001)) == []
    config = model_configuration(build_model(1, l2=0.001))
    assert config["input shape"] == (None, 784)
    assert config["layers"][0]["kernel regularizer"] == {"class": "L2", "l2": pytest.approx(0.001)}
    assert config["layers"][1]["kernel regularizer"] is None
    assert config["optimizer"]["learning_rate"] == pytest.approx(0.001)
    assert config["metrics"] == ["accuracy"]


@pytest.mark.parametrize(
    "changed, where",
    [
        (dict(hidden_units=9), "layers[0].units: 9 != 8"),
        (dict(l2=0.01), "layers[0].kernel regularizer"),
        (dict(activation="tanh"), "layers[0].activation: 'tanh' != 'relu'"),
        (dict(learning_rate=0.01), "optimizer.learning_rate"),
        (dict(loss="mean_squared_error"), "loss: 'mean_squared_error' != 'categorical_crossentropy'"),
        (dict(output_name="scores"), "layers[1].name: 'scores' != 'output'"),
    ],
)
def test_configuration_differences_name_what_differs(changed, where):
    differences = configuration_differences(written_out(**changed), build_model(8))
    assert any(line.startswith(where) for line in differences), differences


def test_configuration_differences_of_other_optimisers_and_depths():
    import keras

    other = build_model(8)
    other.compile(optimizer=keras.optimizers.Adam(), loss="categorical_crossentropy", metrics=["accuracy"])
    assert "optimizer.class: 'Adam' != 'RMSprop'" in configuration_differences(other, build_model(8))
    assert any(line.startswith("layers:") for line in configuration_differences(build_model(0), build_model(8)))
    with pytest.raises(ValueError, match="built and compiled Keras model, got object"):
        model_configuration(object())
