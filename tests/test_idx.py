"""IDX reader and the MNIST/Fashion-MNIST loaders, on small files the tests write."""

import gzip
import os
import struct

import numpy as np
import pytest

from mathdl import datasets


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    header = bytes([0, 0, code, array.ndim]) + struct.pack(">" + "I" * array.ndim, *array.shape)
    return header + array.astype(datasets._IDX_TYPES[code]).tobytes()


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_round_trip(tmp_path, compress):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    data = idx_bytes(images)
    path = tmp_path / ("x.gz" if compress else "x")
    path.write_bytes(gzip.compress(data) if compress else data)
    np.testing.assert_array_equal(datasets.read_idx(path), images)


def test_read_idx_other_types(tmp_path):
    values = np.array([[1.5, -2.0], [3.25, 4.0]])
    (tmp_path / "f").write_bytes(idx_bytes(values, 0x0D))
    out = datasets.read_idx(tmp_path / "f")
    assert out.dtype == np.float32 and out.dtype.isnative
    np.testing.assert_array_equal(out, values)


@pytest.mark.parametrize("payload, message", [
    (b"\x01\x00\x08\x01\x00\x00\x00\x02ab", "not an IDX file"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x02ab", "unknown IDX type code 0x07"),
    (b"\x00\x00\x08\x09", "1 to 4 dimensions"),
    (b"\x00\x00\x08\x02\x00\x00", "header cut short"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x05abc", r"header says \(5,\) \(5 data bytes\), the file holds 3"),
    (b"\x00\x00\x08\x01\x00\x00\x00\x02abc", "the file holds (3|more)"),
    (b"", "not an IDX file"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_rejects_malformed_files(tmp_path, payload, message, compress):
    path = tmp_path / "bad"
    path.write_bytes(gzip.compress(payload) if compress else payload)
    with pytest.raises(ValueError, match=message):
        datasets.read_idx(path)


@pytest.mark.parametrize("compress", [False, True])
def test_a_hostile_header_is_refused_before_allocating(tmp_path, compress):
    payload = b"\x00\x00\x0e\x04" + struct.pack(">IIII", 60000, 4096, 4096, 16) + b"x" * 100
    path = tmp_path / "huge"
    path.write_bytes(gzip.compress(payload) if compress else payload)
    with pytest.raises(ValueError, match="more than the limit"):
        datasets.read_idx(path)


def write_split(folder, n=5, labels_n=None):
    folder.mkdir(parents=True, exist_ok=True)
    images = np.random.default_rng(0).integers(0, 256, (n, 28, 28)).astype(np.uint8)
    labels = np.arange(labels_n or n, dtype=np.uint8) % 10
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    return images, labels


def test_loader_reads_a_data_dir_and_checks_the_pair(tmp_path):
    images, labels = write_split(tmp_path / "a")
    X, y = datasets.load_fashion_mnist("test", data_dir=tmp_path / "a", download=False)
    np.testing.assert_array_equal(X, images)
    assert y.dtype == np.int64 and y.tolist() == labels.tolist()
    write_split(tmp_path / "b", n=5, labels_n=4)
    with pytest.raises(ValueError, match="do not match"):
        datasets.load_fashion_mnist("test", data_dir=tmp_path / "b", download=False)
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        datasets.load_fashion_mnist("valid", data_dir=tmp_path / "a")


def test_loader_uses_the_environment_variable(tmp_path, monkeypatch):
    images, _ = write_split(tmp_path / "mnist")
    monkeypatch.setenv("MATHDL_DATA", str(tmp_path))
    X, _ = datasets.load_mnist("test", download=False)
    np.testing.assert_array_equal(X, images)


def test_missing_data_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("MATHDL_DATA", raising=False)
    with pytest.raises(FileNotFoundError, match=r"mnist not found in .*put the four \.gz files"):
        datasets.load_mnist("test", data_dir=tmp_path / "nowhere", download=False)


def test_a_download_with_the_wrong_checksum_is_not_saved(tmp_path, monkeypatch):
    class FakeResponse:
        def __enter__(self):
            return self

        def __exit__(self, *args):
            return False

        def read(self):
            return b"not the real file"

    monkeypatch.setattr("urllib.request.urlopen", lambda url, timeout: FakeResponse())
    with pytest.raises(ValueError, match="has MD5 .*expected"):
        datasets._download("mnist", "t10k-labels-idx1-ubyte.gz", tmp_path)
    assert not (tmp_path / "t10k-labels-idx1-ubyte.gz").exists()


DEBIAN = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"


def test_debian_fashion_mnist_when_installed():
    if not os.path.exists(DEBIAN):
        if os.environ.get("CI"):
            pytest.fail("Debian's dataset-fashion-mnist is missing: run `make deps`")
        pytest.skip("Debian's dataset-fashion-mnist is not installed (`make deps`)")
    X, y = datasets.load_fashion_mnist("test", data_dir="/usr/share/datasets/fashion-mnist",
                                       download=False)
    assert X.shape == (10000, 28, 28) and X.dtype == np.uint8
    assert np.bincount(y).tolist() == [1000] * 10
