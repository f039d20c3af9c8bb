"""The package as a whole: importing it is cheap and has no side effects; the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mnist_lesson import cli


def test_import_has_no_side_effects(tmp_path):
    probe = (
        "import json, os, sys\n"
        "import numpy as np\n"
        "state = np.random.get_state()[1].sum()\n"
        "import matplotlib\n"
        "before = dict(matplotlib.rcParams)\n"
        "import mnist_lesson\n"
        "print(json.dumps({\n"
        "  'tensorflow': 'tensorflow' in sys.modules, 'keras': 'keras' in sys.modules,\n"
        "  'rc_same': dict(matplotlib.rcParams) == before,\n"
        "  'seed_same': bool(np.random.get_state()[1].sum() == state),\n"
        "  'files': os.listdir(os.environ['MNIST_LESSON_CACHE']) if os.path.exists(os.environ['MNIST_LESSON_CACHE']) else [],\n"
        "}))\n"
    )
    env = dict(os.environ, MNIST_LESSON_CACHE=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result == {"tensorflow": False, "keras": False, "rc_same": True, "seed_same": True, "files": []}


def test_all_names_exist():
    import mnist_lesson

    missing = [name for name in mnist_lesson.__all__ if not hasattr(mnist_lesson, name)]
    assert not missing


def test_cli_info_lists_settings_and_versions(capsys, isolated_cache):
    assert cli.main(["info"]) == 0
    out = capsys.readouterr().out
    assert str(isolated_cache) in out and "MNIST_LESSON_HIDDEN_UNITS" in out and "tensorflow" in out


def test_cli_reports_a_bad_setting_by_name(capsys, monkeypatch):
    monkeypatch.setenv("MNIST_LESSON_HIDDEN_UNITS", "zero")
    assert cli.main(["info"]) == 2
    assert "MNIST_LESSON_HIDDEN_UNITS must be an integer, got 'zero'" in capsys.readouterr().err


@pytest.mark.data
def test_cli_fetch_fills_an_empty_cache(capsys, isolated_cache, real_cache_file, monkeypatch):
    monkeypatch.setenv("MNIST_LESSON_DATA", str(real_cache_file))
    assert cli.main(["fetch"]) == 0
    out = capsys.readouterr().out
    assert "MNIST is ready: 60000 training and 10000 test images, verified" in out
    assert (isolated_cache / "data" / "mnist.npz").is_file()


def test_cli_fetch_fails_clearly_without_sources(capsys, isolated_cache, monkeypatch, tmp_path):
    from mnist_lesson import data

    monkeypatch.setattr(data, "KERAS_ORIGIN", "http://127.0.0.1:9/mnist.npz")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert cli.main(["fetch"]) == 1
    assert "Could not load verified MNIST data from any source" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.data
def test_cli_train_reports_both_models(capsys):
    # The models are in the cache after the book build; this loads them.
    assert cli.main(["train"]) == 0
    out = capsys.readouterr().out
    assert "lesson: best epoch" in out and "contrast: best epoch" in out
    assert cli.main(["train", "big"]) == 2
    assert "unknown model(s) ['big']" in capsys.readouterr().err
