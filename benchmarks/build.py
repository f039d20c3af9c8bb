"""Benchmark the book build: cold, warm, after a prose edit and after a package edit.

Works on a copy of the repository in a temporary folder (the package is
imported from the copy through PYTHONPATH), with an empty model cache that
holds only the verified MNIST file, so "cold" means: data present, no
execution cache, no trained models, no projections. Prints the figures, the
slowest pages, the peak memory of the build and the weight of every page, and
records them in benchmarks/results.json.

Usage: .venv/bin/python benchmarks/build.py  (about 15 minutes on 2 cores)
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

from _common import ROOT, record, run_timed

sys.path.insert(0, str(ROOT))
from mnist_lesson.data import cache_file, load_mnist  # noqa: E402

JB = Path(sys.executable).with_name("jupyter-book")
CHAPTERS = ("data", "encoding", "model", "training", "confusion", "activations", "pixels", "pca", "tsne")


def copy_repository(target: Path) -> None:
    for name in ("book", "mnist_lesson"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("_config.yml", "_toc.yml", "package.json"):
        shutil.copy(ROOT / name, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")


def build(root: Path, env: dict) -> dict:
    seconds, peak, log = run_timed([str(JB), "build", ".", "-n", "-W", "--keep-going"], cwd=root, env=env)
    # One line per page (book/_ext/lesson_book/log.py), then a summary with the wall time of
    # executing the pages (two at a time, book/_ext/lesson_book/execute.py).
    executed = re.findall(r"^book/([\w-]+) \.+ executed (?:by myst-nb )?in ([\d.]+) s", log, re.M)
    parallel = re.search(r"([\d.]+) s of wall time", log)
    return {
        "seconds": seconds,
        "peak_bytes": peak,
        "executed": {name: float(s) for name, s in executed},
        "execution_seconds": float(parallel.group(1)) if parallel else sum(float(s) for _, s in executed),
    }


def page_weights(html: Path) -> dict:
    """Bytes of each book page with the images it shows (theme assets excluded)."""
    weights = {}
    for page in sorted((html / "book").glob("*.html")):
        text = page.read_text()
        total = page.stat().st_size
        for src in set(re.findall(r'<img[^>]+src="([^"]+)"', text)):
            path = (page.parent / src).resolve()
            if path.is_file():
                total += path.stat().st_size
        weights[page.stem] = total
    return weights


def cold_copy(tmp: Path) -> tuple[Path, dict]:
    """A copy of the repository and a cache holding only MNIST; the environment that uses them."""
    load_mnist()  # make sure the verified data exists to copy
    root, cache = tmp / "repo", tmp / "cache"
    copy_repository(root)
    (cache / "data").mkdir(parents=True)
    shutil.copy(cache_file(), cache / "data" / "mnist.npz")
    return root, {"PYTHONPATH": str(root), "MNIST_LESSON_CACHE": str(cache), "TF_CPP_MIN_LOG_LEVEL": "3"}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mnist-bench-") as tmp:
        root, env = cold_copy(Path(tmp))
        cold = build(root, env)
        warm = build(root, env)
        chapter = root / "book" / "pixels.md"
        chapter.write_text(chapter.read_text() + "\nOne more sentence of prose.\n")
        prose = build(root, env)
        comment = root / "mnist_lesson" / "pca.py"
        comment.write_text(comment.read_text() + "\n# an edited comment changes no code\n")
        comment_only = build(root, env)
        module = root / "mnist_lesson" / "evaluation.py"
        source = module.read_text()
        edited = source.replace("    return float(np.mean(", "    return float(1.0 * np.mean(", 1)
        if edited == source:
            raise RuntimeError("benchmarks/build.py: the statement to edit in evaluation.py is gone; update it")
        module.write_text(edited)
        package = build(root, env)
        weights = page_weights(root / "_build" / "html")

    slowest = sorted(cold["executed"].items(), key=lambda kv: -kv[1])
    chapters = sum(v for k, v in cold["executed"].items() if k in CHAPTERS)
    print(f"cold build (data present, no caches): {cold['seconds']:7.1f} s, peak memory {cold['peak_bytes'] / 2**30:.2f} GiB")
    print(f"  executing all pages, two at a time:  {cold['execution_seconds']:7.1f} s")
    print(f"  the nine chapters' pages, summed:    {chapters:7.1f} s")
    print(f"warm rebuild (nothing changed):       {warm['seconds']:7.1f} s, executed {sorted(warm['executed']) or 'nothing'}")
    print(f"warm / cold:                          {100 * warm['seconds'] / cold['seconds']:7.1f} %  (target < 5 %)")
    print(f"after editing one chapter's prose:    {prose['seconds']:7.1f} s, executed {sorted(prose['executed']) or 'nothing (code cells unchanged)'}")
    print(f"after editing a comment in the package:{comment_only['seconds']:6.1f} s, executed {sorted(comment_only['executed']) or 'nothing'}")
    print(f"after editing evaluation.accuracy:   {package['seconds']:7.1f} s, executed {sorted(package['executed'])}")
    print("slowest pages in the cold build:")
    for name, seconds in slowest:
        print(f"  {name:14s} {seconds:6.1f} s")
    print("page weights (HTML + images):")
    for name, size in sorted(weights.items(), key=lambda kv: -kv[1]):
        print(f"  {name:14s} {size / 2**20:5.2f} MB")
    record(
        "build",
        {
            "cold_seconds": round(cold["seconds"], 1),
            "cold_execution_seconds": round(cold["execution_seconds"], 1),
            "cold_chapters_summed_seconds": round(chapters, 1),
            "warm_seconds": round(warm["seconds"], 1),
            "warm_over_cold_percent": round(100 * warm["seconds"] / cold["seconds"], 2),
            "prose_edit_seconds": round(prose["seconds"], 1),
            "prose_edit_executed": sorted(prose["executed"]),
            "comment_edit_seconds": round(comment_only["seconds"], 1),
            "comment_edit_executed": sorted(comment_only["executed"]),
            "package_edit": "a statement of mnist_lesson.evaluation.accuracy",
            "package_edit_seconds": round(package["seconds"], 1),
            "package_edit_executed": sorted(package["executed"]),
            "peak_memory_gib": round(cold["peak_bytes"] / 2**30, 2),
            "page_seconds_cold": {k: round(v, 1) for k, v in slowest},
            "page_megabytes": {k: round(v / 2**20, 2) for k, v in weights.items()},
        },
    )


if __name__ == "__main__":
    main()
