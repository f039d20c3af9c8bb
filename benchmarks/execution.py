"""Does running pages two at a time earn its place? A cold draft build with one and with two workers.

``book/_ext/lesson_book/execute.py`` runs the pages that need executing
``lesson_execution_jobs`` at a time (default two). With ``1`` the pages run
one after another, as myst-nb alone would run them. This benchmark builds
the draft book (``MNIST_LESSON_DRAFT=1``) twice from a cold start, each in
its own copy of the repository with its own empty model cache (MNIST
present), once with each setting, and prints and records the wall times.

Usage: .venv/bin/python benchmarks/execution.py  (about five minutes on 2 cores)
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from _common import record
from build import build, cold_copy


def cold_draft_build(jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"mnist-jobs{jobs}-") as tmp:
        root, env = cold_copy(Path(tmp))
        config = root / "_config.yml"
        text = config.read_text()
        assert "lesson_execution_jobs: null" in text, "_config.yml no longer sets lesson_execution_jobs: null"
        config.write_text(text.replace("lesson_execution_jobs: null", f"lesson_execution_jobs: {jobs}"))
        env["MNIST_LESSON_DRAFT"] = "1"
        return build(root, env)


def main() -> None:
    serial, parallel = cold_draft_build(1), cold_draft_build(2)
    saved = 1 - parallel["seconds"] / serial["seconds"]
    print(f"cold draft build, pages one at a time: {serial['seconds']:6.1f} s "
          f"(executing {serial['execution_seconds']:.1f} s, peak {serial['peak_bytes'] / 2**30:.2f} GiB)")
    print(f"cold draft build, pages two at a time: {parallel['seconds']:6.1f} s "
          f"(executing {parallel['execution_seconds']:.1f} s, peak {parallel['peak_bytes'] / 2**30:.2f} GiB)")
    print(f"two at a time saves {saved:.0%} of the build")
    record(
        "execution_jobs",
        {
            "draft_one_at_a_time_seconds": round(serial["seconds"], 1),
            "draft_two_at_a_time_seconds": round(parallel["seconds"], 1),
            "saved_fraction": round(saved, 3),
            "peak_memory_gib": {"one": round(serial["peak_bytes"] / 2**30, 2), "two": round(parallel["peak_bytes"] / 2**30, 2)},
        },
    )


if __name__ == "__main__":
    main()
