"""Tests of mnist_lesson.cache: hits, misses, damaged entries, interruptions, two processes, leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from mnist_lesson.cache import (
    STALE_SECONDS,
    CacheWarning,
    cached,
    cached_arrays,
    entry_path,
    make_key,
    remove_stale_temporaries,
)


def counting_compute(calls, value=3):
    def compute():
        calls.append(1)
        return {"values": np.arange(value)}

    return compute


def test_miss_then_hit_then_other_key(tmp_path):
    calls = []
    first = cached_arrays("demo", {"n": 3}, counting_compute(calls), cache_dir=tmp_path)
    second = cached_arrays("demo", {"n": 3}, counting_compute(calls), cache_dir=tmp_path)
    np.testing.assert_array_equal(first["values"], second["values"])
    assert len(calls) == 1
    cached_arrays("demo", {"n": 4}, counting_compute(calls, 4), cache_dir=tmp_path)
    assert len(calls) == 2
    entry = entry_path(tmp_path, "demo", {"n": 3})
    assert (entry / "meta.json").is_file() and (entry / "arrays.npz").is_file()


def test_key_ignores_dict_order_but_not_values():
    assert make_key({"a": 1, "b": 2}) == make_key({"b": 2, "a": 1})
    assert make_key({"a": 1}) != make_key({"a": 2})


@pytest.mark.parametrize("damage", ["garbled", "missing file"])
def test_damaged_entry_is_computed_again(tmp_path, damage):
    calls = []
    cached_arrays("demo", {"n": 3}, counting_compute(calls), cache_dir=tmp_path)
    npz = entry_path(tmp_path, "demo", {"n": 3}) / "arrays.npz"
    if damage == "garbled":
        npz.write_bytes(b"garbage")
    else:
        npz.unlink()
    with pytest.warns(CacheWarning, match="could not be read .* computed again"):
        again = cached_arrays("demo", {"n": 3}, counting_compute(calls), cache_dir=tmp_path)
    assert len(calls) == 2
    np.testing.assert_array_equal(again["values"], np.arange(3))
    np.testing.assert_array_equal(np.load(npz)["values"], np.arange(3))


def test_interrupted_computation_leaves_no_entry(tmp_path):
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cached_arrays("demo", {"n": 3}, interrupted, cache_dir=tmp_path)
    assert not entry_path(tmp_path, "demo", {"n": 3}).exists()
    assert [p.name for p in (tmp_path / "demo").iterdir() if not p.name.endswith(".lock")] == []


def test_failed_write_leaves_no_entry(tmp_path):
    def bad_save(result, folder):
        (folder / "half.bin").write_bytes(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        cached("demo", {"n": 1}, lambda: 1, save=bad_save, load=lambda f: 1, cache_dir=tmp_path)
    assert [p.name for p in (tmp_path / "demo").iterdir() if not p.name.endswith(".lock")] == []


def test_entry_that_does_not_read_back_is_never_stored(tmp_path):
    def save(result, folder):
        (folder / "x").write_text("x")

    def load(folder):
        raise ValueError("unreadable")

    with pytest.raises(ValueError, match="unreadable"):
        cached("demo", {"n": 1}, lambda: 1, save=save, load=load, cache_dir=tmp_path)
    assert not entry_path(tmp_path, "demo", {"n": 1}).exists()


WORKER = """
import sys, time
import numpy as np
from mnist_lesson.cache import cached_arrays

cache_dir, log = sys.argv[1], sys.argv[2]

def compute():
    with open(log, "a") as fh:
        fh.write("computed\\n")
    time.sleep(1.0)
    return {"values": np.arange(5)}

assert cached_arrays("demo", {"n": 5}, compute, cache_dir=cache_dir)["values"].tolist() == [0, 1, 2, 3, 4]
"""


def test_two_processes_compute_once(tmp_path):
    log = tmp_path / "log.txt"
    args = [sys.executable, "-c", WORKER, str(tmp_path / "c"), str(log)]
    workers = [subprocess.Popen(args) for _ in range(2)]
    assert [w.wait(60) for w in workers] == [0, 0]
    assert log.read_text().count("computed") == 1


# A child that starts writing an entry and then hangs in the middle of it,
# holding the entry's lock, until it is killed.
WRITER = """
import sys, time
from pathlib import Path
from mnist_lesson.cache import cached

def save(result, folder):
    (folder / "half-written.bin").write_bytes(b"x" * 100_000)
    print("writing", flush=True)
    time.sleep(600)

cached("demo", {"n": int(sys.argv[2])}, lambda: 1, save=save, load=lambda folder: 1, cache_dir=sys.argv[1])
"""


def start_writer(cache_dir, n):
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(cache_dir), str(n)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "writing"
    return child


def temporaries(cache_dir):
    return sorted(p.name for p in (cache_dir / "demo").glob(".*.tmp"))


def make_old(path, seconds=STALE_SECONDS + 60):
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_writer_killed_with_sigkill_leaves_a_temporary_that_is_removed_once_old(tmp_path):
    child = start_writer(tmp_path, 1)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    left = temporaries(tmp_path)
    assert len(left) == 1 and left[0].startswith(f".{make_key({'n': 1})}.")
    # Opening the cache again: a recent leftover may still be someone's, so it stays.
    cached_arrays("demo", {"n": 2}, counting_compute([]), cache_dir=tmp_path)
    assert temporaries(tmp_path) == left
    # Once it is older than STALE_SECONDS, the next opening removes it.
    make_old(tmp_path / "demo" / left[0])
    cached_arrays("demo", {"n": 2}, counting_compute([]), cache_dir=tmp_path)
    assert temporaries(tmp_path) == []
    # The killed writer's entry was never stored: asking for it computes it.
    calls = []
    cached_arrays("demo", {"n": 1}, counting_compute(calls), cache_dir=tmp_path)
    assert calls == [1]


def test_a_temporary_a_live_process_is_writing_is_never_removed(tmp_path):
    child = start_writer(tmp_path, 1)
    try:
        (left,) = temporaries(tmp_path)
        make_old(tmp_path / "demo" / left)
        cached_arrays("demo", {"n": 2}, counting_compute([]), cache_dir=tmp_path)
        assert remove_stale_temporaries(tmp_path / "demo", older_than=0) == []
        assert temporaries(tmp_path) == [left]
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
    assert [p.name for p in remove_stale_temporaries(tmp_path / "demo")] == [left]


def test_only_temporary_entry_folders_are_removed(tmp_path):
    folder = tmp_path / "demo"
    cached_arrays("demo", {"n": 3}, counting_compute([]), cache_dir=tmp_path)
    (entry,) = [p for p in folder.iterdir() if p.is_dir()]
    others = [folder / "notes.tmp", folder / ".not-a-key.tmp"]
    for path in others:
        path.mkdir()
    (folder / ".0123abcd.x.tmp").write_text("a file, not a folder")
    for path in [entry, *others, folder / ".0123abcd.x.tmp"]:
        make_old(path)
    assert remove_stale_temporaries(folder) == []
    assert remove_stale_temporaries(tmp_path / "no-such-kind") == []
    assert entry.is_dir() and all(path.is_dir() for path in others)
