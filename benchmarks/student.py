"""Benchmark the student path: each downloaded chapter, alone, from a cold cache.

A student who downloads one chapter has no data and no trained model yet. For
each chapter, this runs the notebook the site serves in a clean virtual
environment (a Jupyter kernel and the package's wheel from the site, nothing
else: see tests/student.py) with an empty home, so the chapter downloads and
verifies MNIST and trains whatever model it needs. It also times the install
cell in a fresh environment (with pip's cache warm, as on a second laptop of
the same classroom). Needs a built site (`make book`).

Usage: .venv/bin/python benchmarks/student.py [chapter ...]  (about 20 minutes on 2 cores)
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, record

sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from student import (  # noqa: E402
    cell_errors,
    installed_versions,
    localise,
    make_venv,
    run_notebook,
    serve,
    student_environment,
    without_outputs,
)

from mnist_lesson.notebooks import chapter_files  # noqa: E402

SITE = ROOT / "_build" / "html"
CHAPTERS = [p.stem for p in chapter_files(ROOT / "book")][1:10]
#: Targets, in seconds, of issue "Students": chapters 1-8 within 2 minutes, t-SNE within 6.
TARGETS = {name: 360 if name == "tsne" else 120 for name in CHAPTERS}


def main(chapters: list[str]) -> None:
    if not (SITE / "_sources" / "book").is_dir():
        sys.exit("no built site in _build/html: run `make book` first")
    base = Path(tempfile.mkdtemp(prefix="student-bench-"))
    try:
        home = base / "install-home"
        home.mkdir()
        env = student_environment(home)
        python = make_venv(base / "venv", env)
        seconds = {}
        with serve(SITE) as site_url:
            # The install cell alone, in the fresh environment.
            data = without_outputs(json.loads((SITE / "_sources" / "book" / "data.ipynb").read_text()))
            install_only = localise(data, site_url)
            install_only["cells"] = install_only["cells"][:2]
            report = run_notebook(python, install_only, base / "install", env, base / "install.ipynb")
            if report["error"]:
                sys.exit(f"the install cell failed: {report['error']}")
            install_seconds = report["seconds"]
            print(f"install cell (fresh environment, pip cache warm): {install_seconds:6.1f} s", flush=True)
            for name in chapters:
                home = base / f"home-{name}"  # empty: no data, no model
                home.mkdir()
                notebook = localise(without_outputs(json.loads((SITE / "_sources" / "book" / f"{name}.ipynb").read_text())), site_url)
                started = time.perf_counter()
                report = run_notebook(python, notebook, base / "work" / name, student_environment(home),
                                      base / f"{name}.ipynb")
                wall = time.perf_counter() - started
                problems = report["error"] or cell_errors(report["notebook"] or {})
                if problems:
                    sys.exit(f"{name} failed: {problems}")
                seconds[name] = round(wall, 1)
                mark = "ok" if wall <= TARGETS[name] else "OVER"
                print(f"{name:12s} cold cache: {wall:6.1f} s  (target <= {TARGETS[name]} s) {mark}", flush=True)
        versions = installed_versions(python, env)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print("versions:", versions)
    record("student", {"chapter_cold_seconds": seconds, "install_cell_seconds": round(install_seconds, 1),
                       "targets_seconds": TARGETS, "versions": versions})


if __name__ == "__main__":
    main(sys.argv[1:] or CHAPTERS)
