"""Unit tests of the book's Sphinx extensions (book/_ext): which modules a page uses, execution, Colab."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_extension(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "book" / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def execute():
    return _load_extension("lesson_execute")


def test_execution_jobs_default_to_two_and_reject_bad_values(execute):
    assert execute.execution_jobs(None, cpu_count=8) == 2
    assert execute.execution_jobs(None, cpu_count=1) == 1
    assert execute.execution_jobs(3) == 3
    for bad in (0, "2", True, 1.5):
        with pytest.raises(ValueError, match="lesson_execution_jobs must be a positive integer"):
            execute.execution_jobs(bad)


def test_slowest_pages_start_first(execute):
    seconds = {"book/data": 4.0, "book/tsne": 200.0, "book/pca": 10.0}
    assert execute.execution_order(["book/data", "book/pca", "book/tsne"], seconds) == ["book/tsne", "book/pca", "book/data"]
    # Without timings (a cold build), the pages named slow go first, in their order.
    order = execute.execution_order(["book/a", "book/tsne", "book/b", "book/exp"], {}, slow=["book/tsne", "book/exp"])
    assert order == ["book/tsne", "book/exp", "book/a", "book/b"]


@pytest.fixture(scope="module")
def ext():
    return _load_extension("lesson_book")


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
    assert {"mnist_lesson.data", "mnist_lesson.tsne", "mnist_lesson.plotting.digits"} <= modules


def test_closure_follows_imports_inside_the_package(ext):
    closure = ext.module_closure({"mnist_lesson.data"})
    assert closure == [
        "mnist_lesson._checks", "mnist_lesson.config", "mnist_lesson.data", "mnist_lesson.encoding", "mnist_lesson.sampling",
    ]
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


def test_colab_addresses_only_for_github():
    ext = _load_extension("lesson_notebooks")
    assert ext.colab_url("https://github.com/me/book.git", "notebooks", "book/data") == (
        "https://colab.research.google.com/github/me/book/blob/notebooks/book/data.ipynb"
    )
    assert ext.colab_url("https://github.com/me/book", "", "book/data") is None
    assert ext.colab_url("https://example.org/me/book", "notebooks", "book/data") is None
