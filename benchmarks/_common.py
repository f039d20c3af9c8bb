"""Shared helpers of the benchmark scripts: timing, memory, results file."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).with_name("results.json")


def machine() -> dict:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.machine()}",
    }


def record(section: str, figures: dict) -> None:
    """Merge one benchmark's figures into results.json (with the machine and date)."""
    data = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    data[section] = {**figures, "measured": time.strftime("%Y-%m-%d"), "machine": machine()}
    RESULTS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


class PeakMemory:
    """Sample the resident memory of a process and all its children; keep the peak."""

    def __init__(self, pid: int, interval: float = 0.25):
        import psutil

        self._process = psutil.Process(pid)
        self._interval = interval
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        while not self._stop.is_set():
            total = 0
            try:
                procs = [self._process, *self._process.children(recursive=True)]
            except psutil.Error:
                break
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_bytes = max(self.peak_bytes, total)
            time.sleep(self._interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run_timed(args, *, cwd, env=None) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak memory in bytes of its process tree, output)."""
    environ = dict(os.environ, **(env or {}))
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=cwd, env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    with PeakMemory(process.pid) as memory:
        output, _ = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{output[-4000:]}")
    return seconds, memory.peak_bytes, output
