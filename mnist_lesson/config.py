"""Settings of the lesson, in one place.

Every setting has a default, an environment variable that overrides it for a
whole build, and a check that names the setting when its value is wrong.

=================== ================================ ========= =======
setting             environment variable             default   draft
=================== ================================ ========= =======
``seed``            ``MNIST_LESSON_SEED``            42        42
``hidden_units``    ``MNIST_LESSON_HIDDEN_UNITS``    128       128
``l2``              ``MNIST_LESSON_L2``              0.0       0.0
``contrast_l2``     ``MNIST_LESSON_CONTRAST_L2``     0.001     0.001
``epochs``          ``MNIST_LESSON_EPOCHS``          30        3
``batch_size``      ``MNIST_LESSON_BATCH_SIZE``      128       512
``patience``        ``MNIST_LESSON_PATIENCE``        2         2
``validation_size`` ``MNIST_LESSON_VALIDATION_SIZE`` 5000      5000
``tsne_sample``     ``MNIST_LESSON_TSNE_SAMPLE``     60000     2000
``tsne_perplexity`` ``MNIST_LESSON_TSNE_PERPLEXITY`` 30        30
``forest_sample``   ``MNIST_LESSON_FOREST_SAMPLE``   10000     3000
``cache_dir``       ``MNIST_LESSON_CACHE``           see below same
=================== ================================ ========= =======

``MNIST_LESSON_DRAFT=1`` switches to the draft profile (the last column):
a whole build for proof-reading in a fraction of the time. Variables set
explicitly still win over the draft values.

The cache folder defaults to ``$XDG_CACHE_HOME/mnist-lesson`` (that is
``~/.cache/mnist-lesson`` on most systems).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path

from ._checks import check_int

__all__ = ["Settings", "SettingsError", "get_settings", "default_cache_dir", "ENV_PREFIX", "DRAFT_ENV"]

ENV_PREFIX = "MNIST_LESSON_"
DRAFT_ENV = "MNIST_LESSON_DRAFT"
CACHE_ENV = "MNIST_LESSON_CACHE"

#: Values that replace the defaults in the draft profile.
DRAFT_OVERRIDES = {"epochs": 3, "batch_size": 512, "tsne_sample": 2000, "forest_sample": 3000}

#: The integer settings and their allowed ranges (None: no upper bound).
_INTEGER_RANGES = {
    "seed": (0, None),
    "hidden_units": (1, None),
    "epochs": (1, None),
    "batch_size": (1, None),
    "patience": (0, None),
    "validation_size": (1, 59999),
    "tsne_sample": (100, 60000),
    "forest_sample": (100, 60000),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class SettingsError(ValueError):
    """A setting has a bad value; ``setting`` says which one.

    A subclass of :class:`ValueError`, so ``except ValueError`` catches it.

    Attributes
    ----------
    setting : str
        The setting's name, for example ``"hidden_units"``.
    variable : str
        The environment variable that sets it, for example
        ``"MNIST_LESSON_HIDDEN_UNITS"``.

    Examples
    --------
    >>> try:
    ...     Settings(hidden_units=0)
    ... except SettingsError as exc:
    ...     print(exc.setting, exc.variable)
    hidden_units MNIST_LESSON_HIDDEN_UNITS
    """

    def __init__(self, setting: str, message: str):
        super().__init__(message)
        self.setting = setting
        self.variable = Settings.env_var(setting)


def _named(setting: str, check, *args, **kwargs):
    """Run ``check(*args, **kwargs)``; a ValueError it raises becomes a SettingsError for ``setting``."""
    try:
        return check(*args, **kwargs)
    except SettingsError:
        raise
    except ValueError as exc:
        raise SettingsError(setting, str(exc)) from None


def default_cache_dir(environ=None) -> Path:
    """Return the cache folder: ``$MNIST_LESSON_CACHE`` or the user cache.

    Parameters
    ----------
    environ : mapping, optional
        Where to read the variables from; defaults to ``os.environ``.
    """
    env = os.environ if environ is None else environ
    if env.get(CACHE_ENV):
        return Path(env[CACHE_ENV]).expanduser()
    base = env.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "mnist-lesson"


@dataclass(frozen=True)
class Settings:
    """The settings that change what the book computes.

    Parameters
    ----------
    seed : int, default 42
        Seed for the validation split, weight initialisation, shuffling,
        random forests and t-SNE.
    hidden_units : int, default 128
        Width of the lesson model's hidden layer.
    l2 : float, default 0.0
        L2 penalty on the lesson model's hidden weights.
    contrast_l2 : float, default 0.001
        L2 penalty on the one-unit contrast model's hidden weights.
    epochs : int, default 30
        Ceiling on training epochs; early stopping usually ends sooner.
    batch_size : int, default 128
        Mini-batch size for training.
    patience : int, default 2
        Epochs without a better validation accuracy before training stops.
    validation_size : int, default 5000
        Training images held back for validation.
    tsne_sample : int, default 60000
        Points embedded by t-SNE (60000 means every training image).
    tsne_perplexity : float, default 30.0
        t-SNE perplexity, roughly the number of neighbours each point attends to.
    forest_sample : int, default 10000
        Training images used to fit the random forests of the pixels chapter.
    cache_dir : pathlib.Path
        Where data, trained models and projections are cached.
    draft : bool, default False
        Whether the draft profile is active (set through ``MNIST_LESSON_DRAFT``).

    Examples
    --------
    >>> s = Settings(hidden_units=64)
    >>> s.hidden_units
    64
    >>> s.replace(epochs=5).epochs
    5

    A bad value raises a :class:`SettingsError` (a ``ValueError``) whose
    message names the setting, for example ``hidden_units must be a positive
    integer, got 0``, and whose ``setting`` attribute holds its name.
    """

    seed: int = 42
    hidden_units: int = 128
    l2: float = 0.0
    contrast_l2: float = 0.001
    epochs: int = 30
    batch_size: int = 128
    patience: int = 2
    validation_size: int = 5000
    tsne_sample: int = 60000
    tsne_perplexity: float = 30.0
    forest_sample: int = 10000
    cache_dir: Path = field(default_factory=default_cache_dir)
    draft: bool = False

    def __post_init__(self) -> None:
        for name, (low, high) in _INTEGER_RANGES.items():
            value = _named(name, check_int, name, getattr(self, name), minimum=low, maximum=high)
            object.__setattr__(self, name, value)
        for name in ("l2", "contrast_l2", "tsne_perplexity"):
            _named(name, _check_float, name, getattr(self, name), positive=name == "tsne_perplexity")
        if self.tsne_perplexity * 3 >= self.tsne_sample:
            raise SettingsError(
                "tsne_perplexity",
                f"tsne_perplexity must be less than a third of tsne_sample, got "
                f"perplexity {self.tsne_perplexity} for {self.tsne_sample} points"
            )
        object.__setattr__(self, "cache_dir", Path(self.cache_dir).expanduser())

    def replace(self, **changes) -> "Settings":
        """Return a copy with some settings changed (and validated)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def env_var(cls, name: str) -> str:
        """Return the environment variable that overrides setting ``name``."""
        if name == "cache_dir":
            return CACHE_ENV
        if name == "draft":
            return DRAFT_ENV
        if name not in {f.name for f in dataclasses.fields(cls)}:
            raise ValueError(f"unknown setting {name!r}")
        return ENV_PREFIX + name.upper()

    def as_dict(self) -> dict:
        """Return the settings as a plain dictionary (paths as strings)."""
        out = dataclasses.asdict(self)
        out["cache_dir"] = str(self.cache_dir)
        return out


def get_settings(environ: dict | None = None, **overrides) -> Settings:
    """Read the settings from the environment.

    Parameters
    ----------
    environ : mapping, optional
        Where to read the variables from; defaults to ``os.environ``.
    **overrides
        Settings given in code; they win over the environment.

    Returns
    -------
    Settings

    Raises
    ------
    SettingsError
        If a variable holds a value of the wrong kind or out of range; the
        message names the variable and the value, and the ``setting``
        attribute the setting (a ``ValueError``, like every bad argument).
    """
    env = os.environ if environ is None else environ
    values: dict = {}
    draft = _named("draft", _parse_bool, DRAFT_ENV, env.get(DRAFT_ENV, ""))
    if draft:
        values.update(DRAFT_OVERRIDES)
    values["draft"] = draft
    values["cache_dir"] = default_cache_dir(env)
    for f in dataclasses.fields(Settings):
        if f.name in ("draft", "cache_dir"):
            continue
        var = Settings.env_var(f.name)
        raw = env.get(var)
        if raw is None or raw.strip() == "":
            continue
        kind = int if f.type in ("int", int) else float
        try:
            values[f.name] = kind(raw.strip())
        except ValueError:
            raise SettingsError(
                f.name, f"{var} must be {'an integer' if kind is int else 'a number'}, got {raw!r}"
            ) from None
    values.update(overrides)
    try:
        return Settings(**values)
    except SettingsError as exc:
        # Point at the variable when the bad value came from the environment.
        if exc.setting not in overrides and exc.variable in env:
            raise SettingsError(exc.setting, f"{exc} (from the environment variable {exc.variable})") from None
        raise


def _parse_bool(var: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{var} must be 1 or 0 (true or false), got {raw!r}")


def _check_float(name, value, *, positive=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    if not positive and value < 0:
        raise ValueError(f"{name} must be zero or positive, got {value!r}")
