"""The ``mnist-lesson`` command.

``fetch`` downloads and verifies MNIST, ``info`` shows where data and caches
live with the settings and versions, ``train`` trains the book's models into
the cache, and ``notebooks`` exports chapters as notebooks for students.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from importlib import metadata

from . import __version__
from .config import get_settings
from .data import DATA_ENV, MnistDataError, cache_file, keras_cache_file, load_mnist

__all__ = ["main"]

#: The models ``mnist-lesson train`` knows.
MODELS = ("lesson", "contrast")


def _print(message: str) -> None:
    print(message, flush=True)


def cmd_fetch(args) -> int:
    """Download (or find) MNIST, verify it and cache it."""
    settings = get_settings()
    try:
        (x_train, y_train), (x_test, y_test) = load_mnist(
            cache_dir=settings.cache_dir, progress=_print
        )
    except MnistDataError as exc:
        print(exc, file=sys.stderr)
        return 1
    _print(
        f"MNIST is ready: {len(x_train)} training and {len(x_test)} test images, "
        f"verified, at {cache_file(settings.cache_dir)}"
    )
    return 0


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def cmd_info(args) -> int:
    """Print where the data and caches live, the settings and the versions."""
    settings = get_settings()
    data = cache_file(settings.cache_dir)
    lines = [
        f"mnist-lesson {__version__}",
        "",
        "Data and caches",
        f"  cache folder     {settings.cache_dir}",
        f"  MNIST cache      {data} ({'present' if data.is_file() else 'not fetched yet'})",
        f"  Keras cache      {keras_cache_file()}"
        f" ({'present' if keras_cache_file().is_file() else 'absent'})",
        f"  {DATA_ENV:<16} {os.environ.get(DATA_ENV) or '(not set)'}",
        "",
        "Settings" + (" (draft profile)" if settings.draft else ""),
    ]
    for name, value in settings.as_dict().items():
        lines.append(f"  {name:<16} {value!s:<28} {settings.env_var(name)}")
    lines += ["", "Versions", f"  python           {platform.python_version()}"]
    for dist in ("numpy", "tensorflow", "keras", "scikit-learn", "openTSNE", "jupyter-book"):
        lines.append(f"  {dist:<16} {_version(dist)}")
    _print("\n".join(lines))
    return 0


def cmd_train(args) -> int:
    """Train (or load from the cache) the book's models, with a progress bar."""
    from .training import get_trained_model

    settings = get_settings()
    unknown = [name for name in args.models if name not in MODELS]
    if unknown:
        print(f"mnist-lesson train: unknown model(s) {unknown}; choose from {list(MODELS)}", file=sys.stderr)
        return 2
    for name in args.models or MODELS:
        trained = get_trained_model(name, settings=settings, verbose=1, progress=_print)
        history = trained.history
        _print(
            f"{name}: best epoch {trained.best_epoch} of {trained.epochs_run}, validation accuracy "
            f"{max(history['val_accuracy']):.4f}, trained in {trained.train_seconds:.0f} s"
            + (" (from the cache)" if trained.from_cache else "")
        )
    return 0


def cmd_notebooks(args) -> int:
    """Copy the student notebooks of the built site (what its download buttons serve)."""
    from .notebooks import export_notebooks

    try:
        written = export_notebooks(args.out, chapters=args.chapters or None, site_dir=args.site)
    except (FileNotFoundError, ValueError) as exc:
        print(f"mnist-lesson notebooks: {exc}", file=sys.stderr)
        return 2
    for path in written:
        _print(str(path))
    _print(f"{len(written)} notebook(s) written to {args.out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mnist-lesson",
        description="Tools for the MNIST textbook: data, models and notebooks.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fetch = sub.add_parser("fetch", help="download and verify MNIST into the cache")
    fetch.set_defaults(func=cmd_fetch)
    info = sub.add_parser("info", help="show where data and caches live, settings and versions")
    info.set_defaults(func=cmd_info)
    train = sub.add_parser("train", help="train the book's models into the cache (or load them)")
    train.add_argument(
        "models", nargs="*", metavar="MODEL", help="lesson and/or contrast (default: both)",
    )
    train.set_defaults(func=cmd_train)
    notebooks = sub.add_parser(
        "notebooks", help="export the chapters' student notebooks (as the site serves them) from a built site"
    )
    notebooks.add_argument("--out", required=True, help="folder to write the notebooks into")
    notebooks.add_argument(
        "--site", default="_build/html", help="the built site, written by `make book` (default: _build/html)"
    )
    notebooks.add_argument("chapters", nargs="*", help="chapter names, e.g. data pca (default: all)")
    notebooks.set_defaults(func=cmd_notebooks)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as exc:  # a bad setting names itself
        print(f"mnist-lesson: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
