"""The distributions hold the whole package and need no book tooling.

The wheel and the sdist are built from the repository as pip would build them
(PEP 517, in an isolated environment) and compared with the source tree.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Distributions that only the book build uses; none may be needed at run time.
BOOK_TOOLING = {"jupyter-book", "myst-nb", "myst-parser", "sphinx", "jupytext", "nbconvert", "numpydoc", "sphinx-exercise"}

pytestmark = pytest.mark.slow


def package_files() -> set[str]:
    """Every file of the package in the source tree (what git tracks or would track)."""
    return {name for name in tracked_files() if name.startswith("mnist_lesson/")}


def tracked_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return [name for name in listed if (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def distributions(tmp_path_factory):
    # From a copy of the tree as a clone has it: setuptools' build/ folder from an
    # earlier build would otherwise slip stale modules into the wheel.
    source = tmp_path_factory.mktemp("source")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


def test_the_source_tree_has_subpackages():
    # The check below means something only if there is more than the top package.
    assert any(name.count("/") > 1 for name in package_files())


def test_wheel_holds_every_file_of_the_package(distributions):
    wheel, _ = distributions
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    packaged = {n for n in names if n.startswith("mnist_lesson/")}
    assert packaged == package_files()
    assert all(n.startswith(("mnist_lesson/", "mnist_lesson-")) for n in names), sorted(names)


def test_sdist_holds_every_file_of_the_package(distributions):
    _, sdist = distributions
    with tarfile.open(sdist) as archive:
        names = {"/".join(n.split("/")[1:]) for n in archive.getnames()}
    assert package_files() <= names
    assert {"pyproject.toml", "README.md"} <= names


def test_wheel_needs_no_book_tooling(distributions):
    wheel, _ = distributions
    with zipfile.ZipFile(wheel) as archive:
        (metadata_name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(archive.read(metadata_name).decode())
    required = [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]
    names = {r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower() for r in required}
    assert "tensorflow" in names and "numpy" in names
    assert not names & BOOK_TOOLING
    entry_points = next(n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("entry_points.txt"))
    assert "mnist-lesson = mnist_lesson.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
