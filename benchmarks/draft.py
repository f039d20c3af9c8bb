"""Benchmark the draft build (``make draft``) from a cold start.

Works like build.py: a copy of the repository in a temporary folder and an
empty model cache that holds only the verified MNIST file (data present, no
execution cache, no trained models, no projections). Builds the whole book
once with ``MNIST_LESSON_DRAFT=1``, prints the wall time, the peak memory
and each page's execution time, and records them in benchmarks/results.json.

Usage: .venv/bin/python benchmarks/draft.py  (a few minutes on 2 cores)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import record
from build import build, cold_copy

TARGET_SECONDS = 90


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="mnist-draft-") as tmp:
        root, env = cold_copy(Path(tmp))
        env["MNIST_LESSON_DRAFT"] = "1"
        draft = build(root, env)

    pages = sorted(draft["executed"].items(), key=lambda kv: -kv[1])
    executing = draft["execution_seconds"]
    print(f"draft build from a cold start: {draft['seconds']:6.1f} s  (target < {TARGET_SECONDS} s)")
    print(f"  of which executing pages:    {executing:6.1f} s (two at a time; the rest is Sphinx)")
    print(f"  peak memory:                 {draft['peak_bytes'] / 2**30:6.2f} GiB")
    print("each page's execution time (sharing the cores with another page), slowest first:")
    for name, seconds in pages:
        print(f"  {name:14s} {seconds:6.1f} s")
    record(
        "draft",
        {
            "seconds": round(draft["seconds"], 1),
            "executing_seconds": round(executing, 1),
            "peak_memory_gib": round(draft["peak_bytes"] / 2**30, 2),
            "page_seconds": {k: round(v, 1) for k, v in pages},
        },
    )


if __name__ == "__main__":
    main()
