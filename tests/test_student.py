"""Every chapter, downloaded from the site, runs as a student runs it.

A clean virtual environment gets a Jupyter kernel and nothing else (no
jupyter-book, no myst-nb, nothing of this repository). The data chapter
starts from a cold cache, in an empty folder with a home of its own: its
install cell installs the wheel the site publishes (pip resolves the
dependencies from the declared ranges), and it downloads and verifies MNIST.
The other chapters follow in the same environment and share its cache, two at
a time; each trains or computes what it needs that is not there yet.

See ``tests/student.py`` for the student's machine.
"""

from __future__ import annotations

import concurrent.futures
import json
from pathlib import Path

import pytest
from book_pages import CHAPTERS
from student import (
    cell_errors,
    installed_versions,
    localise,
    make_venv,
    run_notebook,
    serve,
    student_environment,
    without_outputs,
)

from mnist_lesson.notebooks import INSTALL_TAG

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.student]


@pytest.fixture(scope="module")
def student_runs(built_site, tmp_path_factory):
    """Run every chapter as a student; returns {chapter: report} and the student's versions."""
    base = tmp_path_factory.mktemp("student")
    home = base / "home"
    home.mkdir()
    env = student_environment(home)
    python = make_venv(base / "venv", env)
    reports = {}
    with serve(built_site) as site_url:

        def run(name):
            notebook = without_outputs(json.loads((built_site / "_sources" / "book" / f"{name}.ipynb").read_text()))
            localise(notebook, site_url)
            return run_notebook(python, notebook, base / "work" / name, env, base / "executed" / f"{name}.ipynb")

        first, rest = CHAPTERS[0], CHAPTERS[1:]
        reports[first] = run(first)  # cold: installs the package, fetches MNIST
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            # The longest first, so that the two lanes finish together.
            order = sorted(rest, key=lambda n: n != "tsne")
            for name, report in zip(order, pool.map(run, order)):
                reports[name] = report
    versions = installed_versions(python, env) if reports[first]["error"] is None else {}
    print("\nstudent path:", json.dumps(versions), {n: round(r["seconds"]) for n, r in reports.items()})
    return {"reports": reports, "versions": versions, "base": base}


@pytest.mark.parametrize("name", CHAPTERS)
def test_downloaded_chapter_runs_for_a_student(student_runs, name):
    report = student_runs["reports"][name]
    assert report["error"] is None, f"{name}: {report['error']}"
    assert not cell_errors(report["notebook"]), cell_errors(report["notebook"])
    folder = student_runs["base"] / "work" / name
    assert sorted(p.name for p in folder.iterdir()) == [f"{name}.ipynb"], "the chapter wrote files into its folder"


def test_the_student_has_no_book_tooling_and_the_site_wheel(student_runs):
    versions = student_runs["versions"]
    from mnist_lesson import __version__

    # The site's wheel: the package's version with a label naming the code that built the site.
    assert versions.get("mnist-lesson", "").startswith(f"{__version__}+c")
    python = student_runs["base"] / "venv" / "bin" / "python"
    import subprocess

    probe = (
        "import importlib.util as u, mnist_lesson, sys; "
        "print([m for m in ('myst_nb', 'jupyter_book', 'sphinx', 'jupytext') if u.find_spec(m)]) "
        "if mnist_lesson.__file__.startswith(sys.prefix) else print(mnist_lesson.__file__)"
    )
    home = student_runs["base"] / "home"  # not this clone, whose folder would shadow the venv
    found = subprocess.run([str(python), "-c", probe], cwd=home, capture_output=True, text=True, check=True).stdout.strip()
    assert found == "[]"


def test_the_readme_names_the_versions_the_student_path_ran_with(student_runs):
    """The README states what the student path was tested with; a new release in range must be named there."""
    import re

    readme = (ROOT / "README.md").read_text()
    stated = dict(re.findall(r"(TensorFlow|Keras|NumPy) (\d+\.\d+)\.\d+", readme.split("was last tested", 1)[1][:600]))
    for name, key in (("TensorFlow", "tensorflow"), ("Keras", "keras"), ("NumPy", "numpy")):
        resolved = ".".join(student_runs["versions"][key].split(".")[:2])
        assert stated.get(name) == resolved, f"README states {name} {stated.get(name)}, the student path ran {resolved}"


def test_first_chapter_started_cold_and_installed_from_the_site(student_runs):
    data = student_runs["reports"][CHAPTERS[0]]["notebook"]
    install = data["cells"][1]
    assert INSTALL_TAG in install["metadata"]["tags"]
    assert install["execution_count"] == 1  # it ran (and installed: the venv had no package before)
    home = student_runs["base"] / "home"
    assert (home / ".cache" / "mnist-lesson" / "data" / "mnist.npz").is_file()
