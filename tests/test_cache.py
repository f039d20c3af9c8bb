"""Tests of mnist_lesson.cache: hits, misses, damaged entries, interruptions, two processes."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mnist_lesson.cache import CacheWarning, cached, cached_arrays, entry_path, make_key


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
