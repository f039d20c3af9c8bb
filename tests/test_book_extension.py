"""Unit tests of the book's Sphinx extension (book/_ext/lesson_book.py): which modules a page uses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ext():
    spec = importlib.util.spec_from_file_location("lesson_book", ROOT / "book" / "_ext" / "lesson_book.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_names_imported_from_the_package_map_to_their_modules(ext):
    text = (
        "from mnist_lesson import load_mnist, load_split\n"
        "from mnist_lesson.data import class_counts\n"
        "from mnist_lesson.plotting import plot_digits as draw\n"
    )
    assert ext.chapter_modules(text) == {"mnist_lesson.data", "mnist_lesson.plotting.digits"}


def test_parenthesised_imports_over_several_lines(ext):
    text = "from mnist_lesson import (\n    accuracy,\n    get_trained_model,\n)\nx = 1\n"
    assert ext.chapter_modules(text) == {"mnist_lesson.evaluation", "mnist_lesson.training"}


def test_a_bare_package_import_depends_on_everything(ext):
    modules = ext.chapter_modules("import mnist_lesson\nmnist_lesson.__version__\n")
    assert {"mnist_lesson.data", "mnist_lesson.projection", "mnist_lesson.plotting.digits"} <= modules


def test_closure_follows_imports_inside_the_package(ext):
    closure = ext.module_closure({"mnist_lesson.data"})
    assert closure == ["mnist_lesson.config", "mnist_lesson.data"]
    assert "mnist_lesson.model" in ext.module_closure({"mnist_lesson.training"})


def test_digest_ignores_comments_but_not_code_or_settings(ext, monkeypatch, tmp_path):
    text = "from mnist_lesson.encoding import one_hot\n"
    base = ext.dependency_digest(text, tmp_path)
    assert ext.dependency_digest(text, tmp_path) == base
    monkeypatch.setenv("MNIST_LESSON_SEED", "7")
    assert ext.dependency_digest(text, tmp_path) != base


def test_digest_follows_named_data_files(ext, tmp_path):
    text = 'import json\njson.loads(open("results.json").read())\n'
    (tmp_path / "results.json").write_text("{}")
    first = ext.dependency_digest(text, tmp_path)
    (tmp_path / "results.json").write_text('{"a": 1}')
    assert ext.dependency_digest(text, tmp_path) != first
