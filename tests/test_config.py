"""Tests of mnist_lesson.config: defaults, environment overrides, validation."""

from pathlib import Path

import pytest

from mnist_lesson.config import DRAFT_OVERRIDES, Settings, SettingsError, default_cache_dir, get_settings


def test_defaults_match_the_book():
    s = get_settings({"HOME": "/home/x"})
    assert (s.seed, s.hidden_units, s.patience, s.validation_size) == (42, 128, 2, 5000)
    assert s.tsne_sample == 60000 and not s.draft
    assert s.contrast_l2 == 0.001


def test_environment_overrides_each_setting(tmp_path):
    env = {
        "MNIST_LESSON_SEED": "7",
        "MNIST_LESSON_HIDDEN_UNITS": "64",
        "MNIST_LESSON_EPOCHS": "5",
        "MNIST_LESSON_TSNE_SAMPLE": "2000",
        "MNIST_LESSON_TSNE_PERPLEXITY": "15.5",
        "MNIST_LESSON_CACHE": str(tmp_path),
    }
    s = get_settings(env)
    assert (s.seed, s.hidden_units, s.epochs, s.tsne_sample) == (7, 64, 5, 2000)
    assert s.tsne_perplexity == 15.5
    assert s.cache_dir == tmp_path


def test_every_setting_has_a_documented_variable():
    import mnist_lesson.config as config

    for name in Settings.__dataclass_fields__:
        assert Settings.env_var(name) in config.__doc__, name


def test_cache_dir_follows_xdg_then_home():
    assert default_cache_dir({"XDG_CACHE_HOME": "/xdg"}) == Path("/xdg/mnist-lesson")
    assert default_cache_dir({"MNIST_LESSON_CACHE": "/c", "XDG_CACHE_HOME": "/xdg"}) == Path("/c")


def test_draft_profile_shrinks_the_work_but_explicit_values_win():
    s = get_settings({"MNIST_LESSON_DRAFT": "1"})
    assert s.draft and s.epochs == DRAFT_OVERRIDES["epochs"] and s.tsne_sample < 60000
    s = get_settings({"MNIST_LESSON_DRAFT": "true", "MNIST_LESSON_EPOCHS": "4"})
    assert s.epochs == 4


@pytest.mark.parametrize(
    "env, message",
    [
        ({"MNIST_LESSON_HIDDEN_UNITS": "0"}, "hidden_units must be a positive integer, got 0 .from the environment variable MNIST_LESSON_HIDDEN_UNITS"),
        ({"MNIST_LESSON_HIDDEN_UNITS": "many"}, "MNIST_LESSON_HIDDEN_UNITS must be an integer, got 'many'"),
        ({"MNIST_LESSON_L2": "-1"}, "l2 must be zero or positive, got -1.0"),
        ({"MNIST_LESSON_TSNE_PERPLEXITY": "x"}, "MNIST_LESSON_TSNE_PERPLEXITY must be a number, got 'x'"),
        ({"MNIST_LESSON_TSNE_SAMPLE": "70000"}, "tsne_sample must be at most 60000, got 70000"),
        ({"MNIST_LESSON_VALIDATION_SIZE": "0"}, "validation_size must be a positive integer, got 0"),
        ({"MNIST_LESSON_DRAFT": "maybe"}, "MNIST_LESSON_DRAFT must be 1 or 0"),
        ({"MNIST_LESSON_TSNE_SAMPLE": "120", "MNIST_LESSON_TSNE_PERPLEXITY": "50"}, "tsne_perplexity must be less than a third of tsne_sample"),
    ],
)
def test_bad_values_name_the_setting(env, message):
    with pytest.raises(ValueError, match=message):
        get_settings(env)


def test_code_overrides_are_validated_too():
    with pytest.raises(ValueError, match="hidden_units must be a positive integer, got 0"):
        Settings(hidden_units=0)
    with pytest.raises(ValueError, match="seed must be an integer, got 1.5"):
        Settings().replace(seed=1.5)
    assert Settings().replace(hidden_units=1).hidden_units == 1


@pytest.mark.parametrize(
    "env, setting, from_environment",
    [
        ({"MNIST_LESSON_HIDDEN_UNITS": "0"}, "hidden_units", True),
        ({"MNIST_LESSON_HIDDEN_UNITS": "many"}, "hidden_units", False),
        ({"MNIST_LESSON_L2": "-1"}, "l2", True),
        ({"MNIST_LESSON_TSNE_PERPLEXITY": "x"}, "tsne_perplexity", False),
        ({"MNIST_LESSON_TSNE_SAMPLE": "120", "MNIST_LESSON_TSNE_PERPLEXITY": "50"}, "tsne_perplexity", True),
        ({"MNIST_LESSON_DRAFT": "maybe"}, "draft", False),
    ],
)
def test_a_bad_value_carries_the_setting_as_data(env, setting, from_environment):
    with pytest.raises(SettingsError) as caught:
        get_settings(env)
    assert isinstance(caught.value, ValueError)
    assert caught.value.setting == setting
    assert caught.value.variable == Settings.env_var(setting)
    assert caught.value.variable in str(caught.value)
    assert str(caught.value).endswith(f"(from the environment variable {caught.value.variable})") == from_environment


def test_a_message_whose_first_word_is_another_setting_names_the_right_one():
    # The setting comes from the error, not from the wording of its message.
    with pytest.raises(SettingsError) as caught:
        Settings(tsne_sample=120, tsne_perplexity=50.0)
    assert caught.value.setting == "tsne_perplexity"
    with pytest.raises(SettingsError) as caught:
        get_settings({"MNIST_LESSON_SEED": "3"}, seed=-1)
    assert caught.value.setting == "seed"
    assert "environment variable" not in str(caught.value)  # the bad value came from code
