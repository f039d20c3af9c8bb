"""A student's machine, for the tests and benchmarks that run chapters as a student does.

A student has a clean Python with a Jupyter kernel, a notebook downloaded from
the site, an empty folder and a home of their own. The notebook's install
cell installs ``mnist-lesson`` from the wheel the site publishes, and pip
resolves its dependencies from the ranges the wheel declares. Nothing of this
repository is on the path, and no book tooling (jupyter-book, myst-nb) is
installed.

Only the site's address differs from what a student meets: the site is served
from this machine (``serve``), and the install cell's address is pointed there
(``localise``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

#: What the student installs besides the package: a kernel and a way to run notebooks.
KERNEL_PACKAGES = ("ipykernel>=6.29,<8", "nbclient>=0.10,<1")

#: Runs one notebook in the student's Python, in the current folder; writes the result elsewhere.
RUNNER = """
import json, sys, time
import nbformat
from nbclient import NotebookClient
source, target = sys.argv[1], sys.argv[2]
notebook = nbformat.read(source, as_version=4)
started = time.perf_counter()
error = None
try:
    NotebookClient(notebook, timeout=1800, kernel_name="python3").execute()
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
seconds = time.perf_counter() - started
nbformat.write(notebook, target)
print(json.dumps({"seconds": seconds, "error": error}))
"""


def pip_cache() -> str:
    """The developer's pip cache, shared so that a student venv costs no fresh download."""
    found = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True)
    return found.stdout.strip() or str(Path.home() / ".cache" / "pip")


def student_environment(home: Path) -> dict:
    """The environment of a student's shell: a home of their own, none of the developer's settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MNIST_LESSON_", "XDG_", "JUPYTER", "PYTHON", "VIRTUAL_ENV", "KERAS", "PIP_", "CONDA"))
    }
    env.update(HOME=str(home), PIP_CACHE_DIR=pip_cache(), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p)
    return env


def make_venv(folder: Path, env: dict) -> Path:
    """A clean virtual environment with a kernel and nbclient; returns its Python."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True, env=env)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", *KERNEL_PACKAGES],
        check=True, env=env, capture_output=True, text=True,
    )
    return python


@contextlib.contextmanager
def serve(site: Path):
    """Serve a built site on 127.0.0.1; yields its address (ending in ``/``)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def without_outputs(notebook: dict) -> dict:
    """The notebook as a student starts it: the site's outputs cleared (changed in place)."""
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    return notebook


def wheel_url(notebook: dict) -> str:
    """The wheel address in a student notebook's install cell."""
    code = "".join(notebook["cells"][1]["source"])
    return re.search(r'WHEEL = "([^"]+)"', code).group(1)


def localise(notebook: dict, site_url: str) -> dict:
    """The notebook with its install cell pointed at the site served on this machine."""
    published = wheel_url(notebook)
    local = site_url + published[published.index("wheels/"):]
    cell = notebook["cells"][1]
    cell["source"] = "".join(cell["source"]).replace(published, local)
    return notebook


def run_notebook(python: Path, notebook: dict, folder: Path, env: dict, out: Path) -> dict:
    """Run ``notebook`` as ``folder/<name>.ipynb`` in the student's Python; the executed copy goes to ``out``.

    Returns ``{"seconds", "error", "notebook"}`` (the executed notebook as a dict).
    """
    folder.mkdir(parents=True, exist_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    source = folder / out.name
    source.write_text(json.dumps(notebook))
    started = time.perf_counter()
    done = subprocess.run(
        [str(python), "-c", RUNNER, source.name, str(out)],
        cwd=folder, env=env, capture_output=True, text=True, timeout=3600,
    )
    if done.returncode != 0 or not done.stdout.strip():
        return {"seconds": time.perf_counter() - started, "error": done.stderr[-3000:], "notebook": None}
    report = json.loads(done.stdout.strip().splitlines()[-1])
    report["notebook"] = json.loads(out.read_text())
    return report


def cell_errors(notebook: dict) -> list[str]:
    """Error outputs and warnings that a student would see under the cells."""
    found = []
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                found.append(f"{output.get('ename')}: {output.get('evalue')}")
            elif output.get("name") == "stderr" and re.search(r"Warning|Traceback|Error", "".join(output.get("text", ""))):
                found.append("".join(output["text"])[:500])
    return found


def installed_versions(python: Path, env: dict, names=("mnist-lesson", "tensorflow", "keras", "numpy")) -> dict:
    """Versions of the named distributions in the student's Python (asked from the student's home,
    so that nothing in the current folder, such as a clone's egg-info, answers instead)."""
    code = "import importlib.metadata as m, json, sys; print(json.dumps({n: m.version(n) for n in sys.argv[1:]}))"
    done = subprocess.run([str(python), "-c", code, *names], env=env, cwd=env["HOME"], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)
