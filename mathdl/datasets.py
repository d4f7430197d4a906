"""Data for the chapters: 2-D toy problems and scikit-learn's digits.

Every generator takes ``rng=`` (a seed or a ``numpy.random.Generator``) and
returns ``(X, y)`` with ``X`` of shape ``(n, 2)`` (float64) and ``y`` of shape
``(n,)`` holding the integer labels 0 and 1; use ``2 * y - 1`` for ±1 labels.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._validation import as_generator, check_real

__all__ = ["make_blobs", "make_xor", "make_moons", "make_spirals", "make_separable", "make_sine",
           "load_digits",
           "read_idx", "load_mnist", "load_fashion_mnist", "data_dirs",
           "FASHION_MNIST_CLASSES"]


def _count(n, name="n", minimum=2):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < minimum:
        raise ValueError(f"{name} must be an int ≥ {minimum}, got {n!r}")
    return int(n)


def _halves(n, gen):
    y = np.repeat([0, 1], [n // 2, n - n // 2])
    return gen.permutation(y)


def make_blobs(n: int = 200, *, distance: float = 3.0, std: float = 1.0, rng=None):
    """Two Gaussian blobs centred at (±distance/2, ±distance/2) with spread ``std``."""
    n = _count(n)
    distance = check_real(distance, "distance", low=0)
    std = check_real(std, "std", low=0, low_inclusive=False)
    gen = as_generator(rng)
    y = _halves(n, gen)
    centres = np.where(y[:, None] == 1, distance / 2, -distance / 2) * np.ones((1, 2))
    return centres + std * gen.standard_normal((n, 2)), y


def make_xor(n: int = 200, *, noise: float = 0.15, rng=None):
    """XOR: four clusters at (±1, ±1); label 1 where the two signs differ.

    No single neuron can separate it: the classes sit on the two diagonals.
    """
    n = _count(n, minimum=4)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    corners = gen.integers(0, 4, size=n)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=float)[corners]
    y = (corners >= 2).astype(int)
    return signs + noise * gen.standard_normal((n, 2)), y


def make_moons(n: int = 200, *, noise: float = 0.1, rng=None):
    """Two interleaving half circles (label 0 on top, 1 below), plus Gaussian noise."""
    n = _count(n)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    y = _halves(n, gen)
    t = gen.uniform(0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower)
    return X + noise * gen.standard_normal((n, 2)), y


def make_spirals(n: int = 200, *, turns: float = 1.5, noise: float = 0.05, rng=None):
    """Two interleaved spirals (label 0 and 1), each turning ``turns`` times.

    Points lie in about [−1, 1]²; a classic problem that needs hidden units.
    """
    n = _count(n)
    turns = check_real(turns, "turns", low=0, low_inclusive=False)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    y = _halves(n, gen)
    r = gen.uniform(0.1, 1.0, size=n)
    angle = 2 * np.pi * turns * r + np.pi * y
    X = np.column_stack([r * np.cos(angle), r * np.sin(angle)])
    return X + noise * gen.standard_normal((n, 2)), y


def make_separable(n: int = 100, *, margin: float = 0.3, w=(1.0, -0.5), b: float = 0.2,
                   scale: float = 2.0, rng=None):
    """Linearly separable points with a guaranteed margin around a known boundary.

    Points are drawn uniformly in the square [−scale, scale]²; those closer
    than ``margin`` to the line w·x + b = 0 are drawn again, and the label is
    1 where w·x + b > 0. Returns ``(X, y)``; the separator (w, b) is the one
    passed in, so its margin is known (see :func:`mathdl.neuron.mistake_bound`).
    """
    n = _count(n)
    margin = check_real(margin, "margin", low=0, low_inclusive=False)
    scale = check_real(scale, "scale", low=0, low_inclusive=False)
    w = np.asarray(w, dtype=float)
    if w.shape != (2,) or not np.all(np.isfinite(w)) or not np.any(w):
        raise ValueError(f"w must be a non-zero finite vector of 2 numbers, got {w!r}")
    b = check_real(b, "b")
    gen = as_generator(rng)
    norm = np.linalg.norm(w)
    corners = scale * np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])
    if np.max(np.abs(corners @ w + b)) / norm <= 1.5 * margin:
        raise ValueError(f"margin {margin} leaves almost no room in the square of half-width {scale}")
    X = np.empty((0, 2))
    while len(X) < n:
        cand = gen.uniform(-scale, scale, size=(4 * n, 2))
        X = np.vstack([X, cand[np.abs(cand @ w + b) / norm >= margin]])
    X = X[:n]
    return X, (X @ w + b > 0).astype(int)


def make_sine(n: int = 15, *, noise: float = 0.25, rng=None):
    """A 1-D regression problem: x uniform in [0, 1], y = sin(2πx) + noise.

    Returns ``(x, y)``, both of shape ``(n,)``: the classic setting for
    over-fitting with polynomials (Bishop, *Pattern Recognition and Machine
    Learning*, §1.1). ``noise`` is the standard deviation of the Gaussian noise.
    """
    n = _count(n, minimum=1)
    noise = check_real(noise, "noise", low=0)
    gen = as_generator(rng)
    x = gen.uniform(0.0, 1.0, size=n)
    return x, np.sin(2 * np.pi * x) + noise * gen.standard_normal(n)


def load_digits(*, classes=None):
    """scikit-learn's 8×8 digits (1797 images, 64 features in 0..16), loaded offline.

    Returns ``(X, y)`` with ``X`` float64 ``(N, 64)`` and integer labels.
    ``classes`` keeps only the listed digits, for example ``(0, 1)`` for a
    binary problem.
    """
    from sklearn.datasets import load_digits as _sk_load_digits

    data = _sk_load_digits()
    X, y = data.data.astype(np.float64), data.target.astype(int)
    if classes is not None:
        classes = list(classes)
        if not classes or any(c not in range(10) for c in classes):
            raise ValueError(f"classes must be digits 0..9, got {classes!r}")
        keep = np.isin(y, classes)
        X, y = X[keep], y[keep]
    return X, y


# --------------------------------------------------------------------------
# IDX files: MNIST and Fashion-MNIST
# --------------------------------------------------------------------------
#: IDX type codes -> numpy dtypes (big-endian, as the format stores them)
_IDX_TYPES = {0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
              0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}
#: refuse to allocate more than this for one file, whatever its header claims
IDX_MAX_BYTES = 1 << 31


def read_idx(path, *, max_bytes: int = IDX_MAX_BYTES) -> np.ndarray:
    """Read an IDX file (plain or gzipped), validating its header against its length.

    The header is two zero bytes, a type code, the number of dimensions, then
    each dimension as a big-endian 32-bit integer. A file whose header is
    malformed, whose dimensions claim more than ``max_bytes``, or whose data is
    shorter or longer than the header says raises ``ValueError`` naming the
    problem, before any large allocation.
    """
    import gzip
    import pathlib

    path = pathlib.Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no IDX file at {path}")
    with open(path, "rb") as raw:
        is_gzip = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if is_gzip else open
    with opener(path, "rb") as f:
        head = f.read(4)
        if len(head) < 4 or head[0] != 0 or head[1] != 0:
            raise ValueError(f"{path.name}: not an IDX file (the first two bytes must be 0, "
                             f"got {head[:2].hex() or 'nothing'})")
        code, ndim = head[2], head[3]
        if code not in _IDX_TYPES:
            raise ValueError(f"{path.name}: unknown IDX type code 0x{code:02x}")
        if not 1 <= ndim <= 4:
            raise ValueError(f"{path.name}: an IDX file here has 1 to 4 dimensions, header says {ndim}")
        dims_raw = f.read(4 * ndim)
        if len(dims_raw) < 4 * ndim:
            raise ValueError(f"{path.name}: header cut short ({len(dims_raw)} of {4 * ndim} dimension bytes)")
        dims = tuple(int(d) for d in np.frombuffer(dims_raw, dtype=">u4"))
        dtype = _IDX_TYPES[code]
        expected = int(np.prod(dims, dtype=object)) * dtype.itemsize
        if expected > max_bytes:
            raise ValueError(f"{path.name}: header claims dimensions {dims}, {expected} bytes, "
                             f"more than the limit of {max_bytes}")
        if not is_gzip:
            actual = path.stat().st_size - 4 - 4 * ndim
            if actual != expected:
                raise ValueError(f"{path.name}: header says {dims} ({expected} data bytes), "
                                 f"the file holds {actual}")
        data = f.read(expected + 1)
        if len(data) != expected:
            raise ValueError(f"{path.name}: header says {dims} ({expected} data bytes), "
                             f"the file holds {'more' if len(data) > expected else len(data)}")
    return np.frombuffer(data, dtype=dtype).reshape(dims).astype(dtype.newbyteorder("="))


_SPLITS = {"train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
           "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")}
#: official download locations and MD5 checksums of the gzipped files
_SOURCES = {
    "mnist": ("https://ossci-datasets.s3.amazonaws.com/mnist/", {
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c"}),
    "fashion-mnist": ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/", {
        "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
        "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
        "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
        "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310"}),
}


def data_dirs(name: str, data_dir=None) -> list:
    """Where ``name`` is looked for, in order: ``data_dir``, ``$MATHDL_DATA/<name>``,
    ``~/.cache/mathdl/<name>``, ``/usr/share/datasets/<name>`` (Debian's packages)."""
    import os
    import pathlib

    dirs = []
    if data_dir is not None:
        dirs.append(pathlib.Path(data_dir))
    if os.environ.get("MATHDL_DATA"):
        dirs.append(pathlib.Path(os.environ["MATHDL_DATA"]) / name)
    dirs.append(pathlib.Path.home() / ".cache" / "mathdl" / name)
    dirs.append(pathlib.Path("/usr/share/datasets") / name)
    return dirs


def _download(name: str, filename: str, target_dir) -> None:
    import hashlib
    import urllib.request

    base, md5s = _SOURCES[name]
    target_dir.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(base + filename, timeout=30) as response:
        payload = response.read()
    digest = hashlib.md5(payload).hexdigest()  # noqa: S324 - the published checksums are MD5
    if digest != md5s[filename]:
        raise ValueError(f"{filename} from {base} has MD5 {digest}, expected {md5s[filename]}; "
                         "not saved")
    (target_dir / filename).write_bytes(payload)


def _load_idx_pair(name: str, split: str, data_dir=None, download: bool = True):
    if split not in _SPLITS:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    dirs = data_dirs(name, data_dir)
    files = _SPLITS[split]
    for folder in dirs:
        if all((folder / f).is_file() for f in files):
            X, y = (read_idx(folder / f) for f in files)
            break
    else:
        if not download:
            raise FileNotFoundError(_missing(name, dirs))
        cache = dirs[-2]
        try:
            for f in files:
                if not (cache / f).is_file():
                    _download(name, f, cache)
        except OSError as exc:
            raise FileNotFoundError(_missing(name, dirs) + f" (download failed: {exc})") from exc
        X, y = (read_idx(cache / f) for f in files)
    if X.ndim != 3 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"{name} {split}: images {X.shape} and labels {y.shape} do not match")
    return X, y.astype(np.int64)


def _missing(name, dirs):
    where = ", ".join(str(d) for d in dirs)
    package = " (`make deps` installs Debian's dataset-fashion-mnist)" if name == "fashion-mnist" else ""
    return f"{name} not found in {where}{package}; put the four .gz files in one of them"


#: Fashion-MNIST's class names, by label (Xiao, Rasul & Vollgraf, 2017).
FASHION_MNIST_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


def load_fashion_mnist(split: str = "train", *, data_dir=None, download: bool = True):
    """Fashion-MNIST: ``(X, y)``, ``X`` uint8 ``(N, 28, 28)``, ``y`` int64 labels 0–9.

    60,000 training and 10,000 test images of clothing, in MNIST's format.
    Looked for in :func:`data_dirs`; downloaded (MD5 verified) into the user
    cache when absent and a network is there; otherwise a ``FileNotFoundError``
    that says where to put the files.
    """
    return _load_idx_pair("fashion-mnist", split, data_dir, download)


def load_mnist(split: str = "train", *, data_dir=None, download: bool = True):
    """MNIST handwritten digits, same shapes and search as :func:`load_fashion_mnist`."""
    return _load_idx_pair("mnist", split, data_dir, download)
