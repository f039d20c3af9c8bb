"""Shared fixtures: an isolated cache, the real MNIST arrays, tidy figures."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _require(condition: bool, what: str, how: str) -> None:
    """Fail in CI, skip elsewhere, when something a test needs is missing."""
    if condition:
        return
    message = f"{what} is missing: {how}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def require():
    """``require(condition, what, how)``: fail in CI, skip elsewhere, when missing."""
    return _require


@pytest.fixture
def isolated_cache(tmp_path, monkeypatch):
    """Point every cache at an empty temporary folder and forget local copies."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("MNIST_LESSON_CACHE", str(cache))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("MNIST_LESSON_DATA", raising=False)
    return cache


@pytest.fixture(scope="session")
def real_cache_file():
    """The verified ``mnist.npz`` in the user's cache (``make data`` puts it there)."""
    from mnist_lesson.data import MnistDataError, cache_file, load_mnist

    try:
        load_mnist()
    except MnistDataError as exc:
        _require(False, "MNIST data", f"run `make data` ({exc})")
    return cache_file()


@pytest.fixture(scope="session")
def mnist(real_cache_file):
    """The real MNIST arrays: ``(x_train, y_train), (x_test, y_test)``."""
    from mnist_lesson.data import load_mnist

    return load_mnist()


@pytest.fixture
def rng():
    """A seeded random generator for synthetic data."""
    return np.random.default_rng(0)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test opened."""
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def make_synthetic_split(n_train=600, n_val=200, n_test=200, seed=0):
    """A learnable stand-in for MNIST: a bright bar at a class-specific row, plus noise."""
    from mnist_lesson.data import MnistSplit

    generator = np.random.default_rng(seed)

    def make(n):
        y = generator.integers(0, 10, size=n).astype(np.uint8)
        x = generator.integers(0, 60, size=(n, 28, 28)).astype(np.uint8)
        for i, label in enumerate(y):
            x[i, 2 + 2 * label, 4:24] = 255
        return x, y

    (xt, yt), (xv, yv), (xs, ys) = make(n_train), make(n_val), make(n_test)
    return MnistSplit(xt, yt, xv, yv, xs, ys, np.arange(n_train), np.arange(n_train, n_train + n_val))


@pytest.fixture
def synthetic_split():
    """``synthetic_split(n_train=600, n_val=200, n_test=200, seed=0)`` -> MnistSplit."""
    return make_synthetic_split


ROOT = Path(__file__).resolve().parents[1]
#: The flags of the book build, as in the Makefile: nitpicky, warnings are errors.
BUILD_FLAGS = ["-n", "-W", "--keep-going"]


def _jupyter_book(*args, cwd, env=None, timeout=3600):
    """Run the venv's ``jupyter-book`` and return the completed process (output captured)."""
    exe = Path(sys.executable).with_name("jupyter-book")
    environ = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **(env or {}))
    return subprocess.run(
        [str(exe), *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=timeout
    )


def pytest_addoption(parser):
    parser.addoption(
        "--built-site",
        default=None,
        help="test this already built site (an _build/html folder) instead of building the book",
    )


@pytest.fixture(scope="session")
def built_site(request):
    """Build the whole book (the README's build; cached chapters are not re-run) and return _build/html."""
    given = request.config.getoption("--built-site")
    if given:
        return Path(given).resolve()
    result = _jupyter_book("build", ".", *BUILD_FLAGS, cwd=ROOT)
    log = result.stdout + result.stderr
    assert result.returncode == 0, "the book build failed:\n" + log[-6000:]
    html = ROOT / "_build" / "html"
    assert (html / "index.html").is_file()
    return html


@pytest.fixture
def jupyter_book():
    """``jupyter_book(*args, cwd, env=None)``: run the venv's jupyter-book; ``.flags`` are the build flags."""
    _jupyter_book.flags = BUILD_FLAGS
    return _jupyter_book


# --------------------------------------------------------------------------- the site in Chromium
# Shared by every browser test (site, draw page, PDF): one server and one Chromium per session,
# since Playwright's sync API allows one running instance per thread.

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(require):
    require(CHROMIUM.exists(), "Chromium", "apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the lock file installs it
        require(False, "Playwright", "pip install playwright (it is in requirements.lock)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source(require):
    require(AXE.is_file(), "axe-core", "run `npm ci` in the repository (make install does)")
    return AXE.read_text()
