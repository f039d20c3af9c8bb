"""The ``mnist-lesson`` command: fetch the data, show where things live."""

from __future__ import annotations

import argparse
import platform
import sys
from importlib import metadata

from . import __version__
from .config import get_settings
from .data import DATA_ENV, MnistDataError, cache_file, keras_cache_file, load_mnist

__all__ = ["main"]


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
        f"  {DATA_ENV:<16} {__import__('os').environ.get(DATA_ENV) or '(not set)'}",
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
