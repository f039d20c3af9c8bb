"""The ast-based import scan (mnist_lesson.imports) on every form Python accepts."""

from __future__ import annotations

import pytest

from mnist_lesson.imports import all_modules, imports_in, module_closure, package_modules


@pytest.mark.parametrize(
    "code, expected",
    [
        ("from mnist_lesson import (\n    one_hot,  # note\n)\n", {"mnist_lesson.encoding"}),
        ("import numpy as np, mnist_lesson.claims\n", {"mnist_lesson.claims"}),
        ("from mnist_lesson.claims import \\\n    claim, \\\n    join_words\n", {"mnist_lesson.claims"}),
        ("from mnist_lesson.data import *\n", {"mnist_lesson.data"}),
        ("import mnist_lesson.encoding as enc\n", {"mnist_lesson.encoding"}),
        ("from mnist_lesson import one_hot as encode, get_settings as gs\n", {"mnist_lesson.encoding", "mnist_lesson.config"}),
        ("def f():\n    if True:\n        from mnist_lesson.config import get_settings\n", {"mnist_lesson.config"}),
        ("class A:\n    def m(self):\n        import mnist_lesson.cache\n", {"mnist_lesson.cache"}),
        ("try:\n    from mnist_lesson.claims import claim\nexcept ImportError:\n    pass\n", {"mnist_lesson.claims"}),
        ("import numpy\nfrom os import path\n", set()),
        ("from mnist_lesson import plotting\n", {"mnist_lesson.plotting"}),
    ],
    ids=["parenthesised-with-comment", "several-per-line", "backslash", "starred-module", "aliased-module",
         "aliased-names", "function-local", "method-local", "in-try", "not-ours", "subpackage-by-name"],
)
def test_every_import_form_is_found(code, expected):
    assert package_modules(code) == expected


def test_relative_imports_resolve_against_the_package():
    assert imports_in("from .data import load_split\nfrom ..cache import cached", package="mnist_lesson.plotting") == [
        ("mnist_lesson.plotting.data", "load_split"), ("mnist_lesson.cache", "cached"),
    ]
    assert package_modules("from . import config\nfrom .encoding import *", package="mnist_lesson") == {
        "mnist_lesson.config", "mnist_lesson.encoding",
    }
    with pytest.raises(ValueError, match="relative import .* needs the code's package"):
        imports_in("from .data import x")


def test_what_cannot_be_narrowed_counts_in_full():
    everything = all_modules()
    assert package_modules("import mnist_lesson") == everything
    assert package_modules("from mnist_lesson import *") == everything
    plotting = package_modules("import mnist_lesson.plotting")
    assert "mnist_lesson.plotting.digits" in plotting and "mnist_lesson.data" not in plotting


def test_an_unknown_name_counts_as_the_module_it_was_imported_from():
    assert package_modules("from mnist_lesson.data import no_such_name") == {"mnist_lesson.data"}


def test_invalid_code_raises_a_syntax_error():
    with pytest.raises(SyntaxError):
        package_modules("from mnist_lesson import (\n    one_hot")


def test_closure_follows_imports_inside_the_package():
    data = module_closure({"mnist_lesson.data"})
    assert {"mnist_lesson._checks", "mnist_lesson.config", "mnist_lesson.data"} <= set(data)
    assert "mnist_lesson.training" not in data and "mnist_lesson.plotting" not in data
    training = module_closure(["mnist_lesson.training"])
    assert {"mnist_lesson.model", "mnist_lesson.encoding", "mnist_lesson.data", "mnist_lesson.cache"} <= set(training)
    assert "mnist_lesson.plotting.digits" not in training


def test_closure_of_a_missing_module_names_it():
    with pytest.raises(ModuleNotFoundError, match="mnist_lesson.nope"):
        module_closure(["mnist_lesson.nope"])
