"""Benchmark the book build: cold, warm, after a prose edit and after a package edit.

Works on a copy of the repository in a temporary folder (the package is
imported from the copy through PYTHONPATH), with an empty model cache that
holds only the verified MNIST file, so "cold" means: data present, no
execution cache, no trained models, no projections. Prints the figures, the
slowest pages, the peak memory of the build and the weight of every page, and
records them in benchmarks/results.json. A page's weight is everything a
reader downloads to read it: the page, its images, scripts, stylesheets and
the fonts they use (recorded in the section ``page_weight``).

Usage: .venv/bin/python benchmarks/build.py  (about 15 minutes on 2 cores)
       .venv/bin/python benchmarks/build.py --page-weights  (only the page weights of _build/html)
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


_ASSET = re.compile(
    r'<(?:img|script)\b[^>]*?\bsrc="([^"]+)"'
    r'|<link\b[^>]*?\brel="(?:stylesheet|preload|modulepreload)"[^>]*?\bhref="([^"]+)"'
    r'|<link\b[^>]*?\bhref="([^"]+)"[^>]*?\brel="(?:stylesheet|preload|modulepreload)"'
)
_FONT_FACE = re.compile(r"@font-face\s*\{([^}]*)\}")
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)")
#: Text files GitHub Pages serves gzip-compressed.
_TEXT = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml"}


def _local(base: Path, ref: str) -> Path | None:
    ref = ref.split("#")[0].split("?")[0]
    if not ref or re.match(r"^[a-z]+:", ref) or ref.startswith("//"):
        return None
    path = (base / ref).resolve()
    return path if path.is_file() else None


def page_assets(page: Path) -> set[Path]:
    """The files a reader downloads to read ``page``: the page, its images, scripts and styles, and the
    fonts those styles name (each ``@font-face``'s first, preferred source), and the stylesheets they import."""
    found, styles = {page}, []
    for match in _ASSET.finditer(page.read_text(encoding="utf-8")):
        path = _local(page.parent, next(g for g in match.groups() if g))
        if path:
            found.add(path)
            if path.suffix == ".css":
                styles.append(path)
    while styles:
        style = styles.pop()
        css = style.read_text(encoding="utf-8", errors="replace")
        for face in _FONT_FACE.findall(css):
            urls = _URL.findall(face)
            path = _local(style.parent, urls[0]) if urls else None
            if path:
                found.add(path)
        for ref in re.findall(r"@import\s+(?:url\()?['\"]([^'\"]+)['\"]", css):
            path = _local(style.parent, ref)
            if path and path not in found:
                found.add(path)
                styles.append(path)
    return found


def page_weights(html: Path) -> dict:
    """For each book page: the bytes of everything a reader downloads to read it (see ``page_assets``),
    as stored and as served (text files gzip-compressed, as GitHub Pages serves them)."""
    import gzip

    weights = {}
    for page in sorted((html / "book").glob("*.html")):
        files = page_assets(page)
        stored = sum(p.stat().st_size for p in files)
        served = sum(len(gzip.compress(p.read_bytes(), 6)) if p.suffix in _TEXT else p.stat().st_size for p in files)
        weights[page.stem] = {"bytes": stored, "served_bytes": served, "files": len(files)}
    return weights


def record_page_weights(html: Path) -> dict:
    """Measure and record the page weights of a built site (section ``page_weight`` of results.json)."""
    weights = page_weights(html)
    print("page weights (page, images, scripts, styles, fonts): stored / served gzipped")
    for name, w in sorted(weights.items(), key=lambda kv: -kv[1]["bytes"]):
        print(f"  {name:14s} {w['bytes'] / 2**20:5.2f} MB / {w['served_bytes'] / 2**20:5.2f} MB, {w['files']} files")
    record("page_weight", {
        "counts": "the page and every image, script, stylesheet and font it loads",
        "megabytes": {k: round(w["bytes"] / 2**20, 2) for k, w in weights.items()},
        "served_megabytes": {k: round(w["served_bytes"] / 2**20, 2) for k, w in weights.items()},
        "target_megabytes": 2,
    })
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
    if sys.argv[1:] == ["--page-weights"]:
        record_page_weights(ROOT / "_build" / "html")
        return
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
        record_page_weights(root / "_build" / "html")

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
        },
    )


if __name__ == "__main__":
    main()
