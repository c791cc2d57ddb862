"""MNIST: the declaration of its four IDX files, and its builder on tiny synthetic files."""
import gzip

import numpy as np
import pytest

from study.data.dataset import check_dataset
from study.data.idx_format import IDXError
from study.datasets import DATASETS

MNIST = DATASETS["mnist"]
TRAIN_IMAGES, TRAIN_LABELS = "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
TEST_IMAGES, TEST_LABELS = "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"


def idx_bytes(array):
    array = np.asarray(array, dtype=np.uint8)
    return bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes() + array.tobytes()


def test_declaration(defaults):
    assert list(MNIST.files) == [TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS]
    # IDX sizes: a header of 4 + 4 * ndim bytes, then one byte per value.
    sizes = {name: size for name, (_, size) in MNIST.files.items()}
    assert sizes == {TRAIN_IMAGES: 16 + 60_000 * 784, TRAIN_LABELS: 8 + 60_000,
                     TEST_IMAGES: 16 + 10_000 * 784, TEST_LABELS: 8 + 10_000}
    assert MNIST.mirror_env == "DIY_MNIST_MIRROR"
    assert all(mirror.startswith("https://") for mirror in defaults["data"]["mnist"]["mirrors"])


@pytest.fixture
def raw_mnist(tmp_path):
    """Tiny MNIST-shaped IDX files: 40 training and 10 test images of 28x28, labels 0-9."""
    rng = np.random.default_rng(0)
    arrays = {
        TRAIN_IMAGES: rng.integers(0, 256, (40, 28, 28), dtype=np.uint8),
        TRAIN_LABELS: (np.arange(40) % 10).astype(np.uint8),
        TEST_IMAGES: rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        TEST_LABELS: np.arange(10, dtype=np.uint8)[::-1].copy(),
    }
    for name, array in arrays.items():
        data = idx_bytes(array)
        # The builder reads plain and gzipped files alike.
        (tmp_path / name).write_bytes(gzip.compress(data) if "t10k" in name else data)
    return tmp_path, arrays


def test_official_test_split_and_stratified_validation(raw_mnist):
    raw_dir, arrays = raw_mnist
    data = MNIST.build(raw_dir, {}, {"seed": 0, "validation_fraction": 0.25})
    check_dataset(data)
    np.testing.assert_array_equal(data["image_shape"], [28, 28])
    assert len(data["y_train"]) == 30 and len(data["y_val"]) == 10
    np.testing.assert_array_equal(np.bincount(data["y_val"]), np.ones(10))
    np.testing.assert_array_equal(data["y_test"], arrays[TEST_LABELS])
    np.testing.assert_allclose(data["X_test"] * 255, arrays[TEST_IMAGES].reshape(10, 784), atol=1e-4)


def test_label_count_mismatch_names_the_files(raw_mnist):
    raw_dir, _ = raw_mnist
    (raw_dir / TRAIN_LABELS).write_bytes(idx_bytes(np.zeros(39)))
    with pytest.raises(IDXError, match=f"{TRAIN_LABELS}: 39 labels for 40 images"):
        MNIST.build(raw_dir, {}, {"seed": 0, "validation_fraction": 0.1})


def test_wrong_image_size(raw_mnist):
    raw_dir, _ = raw_mnist
    (raw_dir / TEST_IMAGES).write_bytes(idx_bytes(np.zeros((10, 8, 8))))
    with pytest.raises(IDXError, match=r"expected uint8 images of \(28, 28\)"):
        MNIST.build(raw_dir, {}, {"seed": 0, "validation_fraction": 0.1})
