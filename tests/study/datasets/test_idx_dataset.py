"""A dataset of four IDX files declared with idx_dataset, registered from a module of its own,
fetched from a local mirror and built."""
import gzip
import hashlib
import sys

import numpy as np
import pytest

from study.config import load_schema, merge, validate_config
from study.data.dataset import check_dataset
from study.data.download import DownloadError, fetch_files
from study.data.idx_format import IDXError
from study.datasets import DATASETS, build_settings
from study.datasets.idx_dataset import DOWNLOAD_SCHEMA, idx_dataset
from study.extensions import load_extensions

NAME = "toyidx"
FILES = ("toy-train-images", "toy-train-labels", "toy-test-images", "toy-test-labels")


def idx_bytes(array):
    """A uint8 array as the bytes of an IDX file, written independently of study.data.idx_format."""
    array = np.asarray(array, dtype=np.uint8)
    return bytes([0, 0, 0x08, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes() + array.tobytes()


@pytest.fixture
def arrays():
    """40 training and 12 test images of 4x3, labels 0-3."""
    rng = np.random.default_rng(0)
    return {FILES[0]: rng.integers(0, 256, (40, 4, 3)), FILES[1]: np.arange(40) % 4,
            FILES[2]: rng.integers(0, 256, (12, 4, 3)), FILES[3]: np.arange(12)[::-1] % 4}


@pytest.fixture
def mirror(tmp_path, arrays):
    """A local mirror holding the files, the images gzipped; and ``{file: (sha256, size)}``."""
    directory = tmp_path / "mirror"
    directory.mkdir()
    expected = {}
    for file, array in arrays.items():
        data = idx_bytes(array)
        expected[file] = (hashlib.sha256(data).hexdigest(), len(data))
        if "images" in file:  # a mirror may serve NAME.gz or NAME
            (directory / f"{file}.gz").write_bytes(gzip.compress(data))
        else:
            (directory / file).write_bytes(data)
    return directory, expected


def _declaration(expected, mirror_dir):
    (a, b, c, d) = FILES
    return (f"idx_dataset({NAME!r}, train=(({a!r}, *{expected[a]!r}), ({b!r}, *{expected[b]!r})), "
            f"test=(({c!r}, *{expected[c]!r}), ({d!r}, *{expected[d]!r})), image_shape=(4, 3), n_classes=4, "
            f"mirrors=[{str(mirror_dir)!r}])")


def _extension_module(tmp_path, monkeypatch, module, declaration):
    """A module `module` on the path that declares DATASET = `declaration`, as an extension would."""
    (tmp_path / f"{module}.py").write_text(
        '"""A toy IDX dataset."""\nfrom study.datasets.idx_dataset import idx_dataset\n\n'
        f"DATASET = {declaration}\n")
    monkeypatch.syspath_prepend(str(tmp_path))


@pytest.fixture
def registered(tmp_path, monkeypatch, mirror):
    """The dataset declared in a module of its own, loaded as a config's extension."""
    directory, expected = mirror
    _extension_module(tmp_path, monkeypatch, "toy_dataset", _declaration(expected, directory))
    try:
        load_extensions(["toy_dataset"])
        yield DATASETS[NAME]
    finally:
        DATASETS.pop(NAME, None)
        sys.modules.pop("toy_dataset", None)


def digits_values_for(name, defaults):
    """For every setting of `defaults` given per dataset ({digits: ..., mnist: ...}, keyed by
    registered datasets), the value of digits for dataset `name`, as a config to merge over the
    defaults (``data`` is the datasets' own sections, not a setting per dataset)."""
    def walk(value):
        if isinstance(value, dict) and value and set(value) <= set(DATASETS):
            return {name: value["digits"]}
        if isinstance(value, dict):
            found = {key: walk(item) for key, item in value.items()}
            return {key: item for key, item in found.items() if item is not None} or None
        return None

    return walk({key: value for key, value in defaults.items() if key != "data"}) or {}


def test_register_fetch_and_build(tmp_path, repo_root, registered, mirror, arrays, defaults):
    directory, expected = mirror
    assert registered.files == expected and registered.schema == DOWNLOAD_SCHEMA
    # The config may now study it, its section checked like any other.
    schema = load_schema(repo_root / "workflow" / "schemas" / "config.schema.yaml")
    assert set(schema["properties"]["data"]["properties"][NAME]["properties"]) == {"mirrors", "timeout", "retries", "binarize"}
    # (config.yaml's settings per dataset name digits and mnist only: a study of it gives its own,
    # here digits' for every such setting of config.yaml, whichever families it configures)
    own = merge(digits_values_for(NAME, defaults), {
        "datasets": [NAME], "extensions": ["toy_dataset"],
        "data": {NAME: {"mirrors": [str(directory)], "timeout": 5, "retries": 0}},
        "training": {"epochs": 5}, "classifiers": {"epochs": 5},
        "families": {"mlp": {"hidden": {NAME: [8]}}}, "grid": {"latent_dim": [2]},
        "analysis": {"tsne": {"perplexity": 3, "n_neighbors": 1, "knn_k": 3}, "manifold": {"n_neighbors": 3, "n_components": 2}}})
    config = validate_config(own, schema, defaults=defaults)
    assert config["families"]["mlp"]["hidden"][NAME] == [8] and config["training"]["epochs"] == 5
    assert config["training"]["lr"][NAME] == config["training"]["lr"]["digits"]
    section = config["data"][NAME]
    raw = tmp_path / "data" / NAME / "raw"
    paths = fetch_files(raw, section["mirrors"], registered.files, timeout=section["timeout"],
                        retries=section["retries"])
    assert set(paths) == set(FILES) and sorted(p.name for p in raw.iterdir()) == sorted(FILES)
    for file, path in paths.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == expected[file][0]  # stored decompressed

    data = registered.build(raw, build_settings(section), {"seed": 0, "validation_fraction": 0.25})
    check_dataset(data)
    np.testing.assert_array_equal(data["image_shape"], [4, 3])
    # The official test split is kept as it is, the pixels divided by 255.
    np.testing.assert_array_equal(data["y_test"], arrays[FILES[3]])
    np.testing.assert_allclose(data["X_test"] * 255, arrays[FILES[2]].reshape(12, 12), atol=1e-4)
    # The validation split is a stratified quarter of the training images.
    assert len(data["y_train"]) == 30 and len(data["y_val"]) == 10
    assert sorted(np.bincount(data["y_val"])) == [2, 2, 3, 3]
    train = np.concatenate([data["X_train"], data["X_val"]]) * 255
    order = np.lexsort(train.T)
    np.testing.assert_allclose(train[order], arrays[FILES[0]].reshape(40, 12)[np.lexsort(arrays[FILES[0]].reshape(40, 12).T)],
                               atol=1e-4)
    again = registered.build(raw, build_settings(section), {"seed": 0, "validation_fraction": 0.25})
    np.testing.assert_array_equal(again["y_val"], data["y_val"])


def test_an_extension_may_not_take_a_registered_dataset_s_name(tmp_path, monkeypatch, mirror):
    directory, expected = mirror
    _extension_module(tmp_path, monkeypatch, "clash_dataset",
                      _declaration(expected, directory).replace(repr(NAME), repr("digits")))
    digits = DATASETS["digits"]
    try:
        with pytest.raises(ValueError, match="'digits' is already registered"):
            load_extensions(["clash_dataset"])
    finally:
        sys.modules.pop("clash_dataset", None)
    assert DATASETS["digits"] is digits


def test_a_file_of_another_checksum_is_not_written(tmp_path, mirror):
    directory, expected = mirror
    wrong = {FILES[1]: ("0" * 64, expected[FILES[1]][1])}
    with pytest.raises(DownloadError, match=f"could not fetch {FILES[1]} from any mirror"):
        fetch_files(tmp_path / "raw", [str(directory)], wrong, timeout=5, retries=0)
    assert not (tmp_path / "raw" / FILES[1]).exists()


def _build(directory, expected):
    dataset = idx_dataset(NAME, train=((FILES[0], *expected[FILES[0]]), (FILES[1], *expected[FILES[1]])),
                          test=((FILES[2], *expected[FILES[2]]), (FILES[3], *expected[FILES[3]])),
                          image_shape=(4, 3), n_classes=4)
    return dataset.build(directory, {}, {"seed": 0, "validation_fraction": 0.25})


def test_a_label_count_mismatch_names_the_files(tmp_path, mirror):
    directory, expected = mirror
    (directory / FILES[1]).write_bytes(idx_bytes(np.zeros(39)))
    (directory / FILES[0]).write_bytes(gzip.decompress((directory / f"{FILES[0]}.gz").read_bytes()))
    (directory / FILES[2]).write_bytes(gzip.decompress((directory / f"{FILES[2]}.gz").read_bytes()))
    with pytest.raises(IDXError, match=f"{FILES[1]}: 39 labels for 40 images in .*{FILES[0]}"):
        _build(directory, expected)


def test_images_of_another_shape_or_labels_out_of_range_are_refused(tmp_path, mirror, arrays):
    directory, expected = mirror
    for file in (FILES[0], FILES[2]):
        (directory / file).write_bytes(idx_bytes(arrays[file]))
    (directory / FILES[2]).write_bytes(idx_bytes(np.zeros((12, 3, 4))))
    with pytest.raises(IDXError, match=r"expected uint8 images of \(4, 3\)"):
        _build(directory, expected)
    (directory / FILES[2]).write_bytes(idx_bytes(arrays[FILES[2]]))
    (directory / FILES[3]).write_bytes(idx_bytes(np.full(12, 4)))
    with pytest.raises(IDXError, match=rf"{FILES[3]}: labels must be classes 0-3, found 4"):
        _build(directory, expected)
