"""Declared dependencies equal the imported ones, group by group.

Each group of ``pyproject.toml`` serves one part of the repository:

============== ======================================== =========================
group          code                                     can also rely on
============== ======================================== =========================
dependencies   ``mnist_lesson/``                        (nothing)
``book``       ``book/*.md`` code cells, ``book/_ext/``  dependencies
               and ``book/_pdf/``
``test``       ``tests/``                               dependencies, book
``benchmarks`` ``benchmarks/``                          dependencies, book, test
============== ======================================== =========================

The imports are read with :func:`mnist_lesson.imports.imports_in` (chapters'
code cells with jupytext), mapped to distributions with
:func:`importlib.metadata.packages_distributions`, and compared both ways: a
distribution imported by a group's code and declared neither there nor in a
group it relies on is undeclared; one declared in a group whose code does not
use it is unused. A few distributions are used without an ``import``
statement (a command, a Sphinx extension, a kernel); they are listed in
``USED_WITHOUT_IMPORT`` with the text that shows the use, and that text must
still be there.
"""

from __future__ import annotations

import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import jupytext
import pytest
import tomllib
import yaml

from mnist_lesson.imports import imports_in

ROOT = Path(__file__).resolve().parents[1]

#: The group each part of the repository belongs to, and the groups it relies on.
RELIES_ON = {
    "dependencies": (),
    "book": ("dependencies",),
    "test": ("dependencies", "book"),
    "benchmarks": ("dependencies", "book", "test"),
}

#: Distributions used without an import: group -> {distribution: (file, text showing the use)}.
USED_WITHOUT_IMPORT = {
    "dependencies": {
        # pandas needs jinja2 for DataFrame.style (style_probabilities, the sweep table).
        "jinja2": ("mnist_lesson/plotting/evaluation.py", ".style"),
    },
    "book": {
        "jupyter-book": ("Makefile", "$(BIN)/jupyter-book build"),
        # The kernel that runs the chapters.
        "ipykernel": ("book/intro.md", "name: python3"),
        # fontTools writes WOFF2 fonts with brotli.
        "brotli": ("book/_ext/lesson_book/icons.py", 'options.flavor = "woff2"'),
    },
    "test": {
        "build": ("tests/test_packaging.py", '"-m", "build"'),
        # The chapters' code-cell formatter runs ruff as a command (tests/test_format_code_cells.py).
        "ruff": ("book/_tools/format_code_cells.py", '"-m", "ruff"'),
    },
    "benchmarks": {},
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _canonical(re.match(r"[A-Za-z0-9._-]+", requirement.strip())[0])


def declared() -> dict[str, set[str]]:
    """The distributions each group of pyproject.toml declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    groups = {"dependencies": {_requirement_name(r) for r in project["dependencies"]}}
    for name, requirements in project.get("optional-dependencies", {}).items():
        groups[name] = {_requirement_name(r) for r in requirements}
    return groups


def _chapter_code(path: Path) -> str:
    """The code cells of a MyST notebook, IPython magics and shell lines blanked."""
    notebook = jupytext.read(path)
    lines = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines += ["" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines()]
            lines.append("")
    return "\n".join(lines)


def _sources(group: str):
    """(path, Python source, package) of the code a group serves."""
    if group == "dependencies":
        for path in sorted((ROOT / "mnist_lesson").rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            package = ".".join(parts if parts[-1] == "__init__" else parts[:-1])
            yield path, path.read_text(), package
    elif group == "book":
        for path in sorted((ROOT / "book").glob("*.md")):
            yield path, _chapter_code(path), None
        for path in sorted((ROOT / "book" / "_pdf").glob("*.py")):  # make pdf's print script
            yield path, path.read_text(), None
        ext = ROOT / "book" / "_ext"
        for path in sorted(ext.rglob("*.py")):  # the extension package's relative imports resolve in it
            parts = path.relative_to(ext).with_suffix("").parts
            yield path, path.read_text(), ".".join(parts if parts[-1] == "__init__" else parts[:-1]) or None
    else:
        for path in sorted((ROOT / ("tests" if group == "test" else "benchmarks")).rglob("*.py")):
            yield path, path.read_text(), None


#: Top-level names that are the repository's own: the package, and the modules
#: that tests, benchmarks and the extension import from their own folders.
LOCAL = {"mnist_lesson"} | {
    path.stem for folder in ("tests", "benchmarks", "book/_ext") for path in (ROOT / folder).glob("*.py")
} | {path.name for path in (ROOT / "book" / "_ext").iterdir() if (path / "__init__.py").is_file()}


def sphinx_extensions() -> set[str]:
    """Modules the book's Sphinx configuration loads (extra_extensions)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return set(config.get("sphinx", {}).get("extra_extensions", []))


def imported(group: str) -> dict[str, set[str]]:
    """Third-party distributions the code of ``group`` imports: {distribution: {file, ...}}."""
    distributions = packages_distributions()
    found: dict[str, set[str]] = {}
    modules = []
    for path, source, package in _sources(group):
        where = str(path.relative_to(ROOT))
        modules += [(module, where) for module, _ in imports_in(source, package=package or "_")]
    if group == "book":
        modules += [(module, "_config.yml") for module in sphinx_extensions()]
    for module, where in modules:
        top = module.split(".")[0]
        if not top or top == "__future__" or top in sys.stdlib_module_names or top in LOCAL:
            continue
        if top not in distributions:
            raise AssertionError(f"{where} imports {top!r}, which no installed distribution provides")
        for dist in distributions[top]:
            found.setdefault(_canonical(dist), set()).add(where)
    return found


def used(group: str) -> set[str]:
    return set(imported(group)) | set(USED_WITHOUT_IMPORT[group])


@pytest.fixture(scope="module")
def groups():
    return declared()


def test_every_group_of_the_repository_is_declared(groups):
    assert set(groups) == set(RELIES_ON), "pyproject.toml's groups and this test's RELIES_ON differ"


@pytest.mark.parametrize("group", list(RELIES_ON))
def test_every_used_distribution_is_declared(groups, group):
    available = groups[group].union(*(groups[g] for g in RELIES_ON[group]))
    users = imported(group)
    missing = sorted((set(users) | set(USED_WITHOUT_IMPORT[group])) - available)
    assert not missing, "used but not declared in [" + group + "]: " + "; ".join(
        f"{dist} (by {', '.join(sorted(users.get(dist, {'USED_WITHOUT_IMPORT'}))[:3])})" for dist in missing
    )


@pytest.mark.parametrize("group", list(RELIES_ON))
def test_every_declared_distribution_is_used(groups, group):
    unused = sorted(groups[group] - used(group))
    assert not unused, f"declared in [{group}] but not used by its code: {', '.join(unused)}"


@pytest.mark.parametrize(
    "group, dist, where, text",
    [(g, d, w, t) for g, table in USED_WITHOUT_IMPORT.items() for d, (w, t) in table.items()],
)
def test_uses_without_an_import_are_still_there(group, dist, where, text):
    assert text in (ROOT / where).read_text(), f"{dist}: {where} no longer shows its use ({text!r})"


def test_the_scan_finds_imports_in_every_form(tmp_path):
    source = "import numpy as np, os\nfrom pandas import (\n    DataFrame,  # note\n)\ndef f():\n    import scipy.sparse\n"
    assert [m for m, _ in imports_in(source)] == ["numpy", "os", "pandas", "scipy.sparse"]
    chapter = tmp_path / "chapter.md"
    chapter.write_text(
        "---\njupytext:\n  text_representation:\n    extension: .md\n    format_name: myst\n"
        "    format_version: 0.13\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n---\n"
        "# A chapter\n\n```{code-cell} ipython3\n%matplotlib inline\nimport yaml\n```\n"
    )
    assert "import yaml" in _chapter_code(chapter)
    assert "%matplotlib" not in _chapter_code(chapter)


def test_a_missing_or_extra_declaration_would_fail(groups):
    # The comparison is not vacuous: the package's code uses NumPy and seaborn, and not pytest.
    assert {"numpy", "seaborn"} <= set(imported("dependencies"))
    assert "pytest" not in used("dependencies") and "pytest" not in groups["dependencies"]
    without_numpy = groups["dependencies"] - {"numpy"}
    assert "numpy" in used("dependencies") - without_numpy
