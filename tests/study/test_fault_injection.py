"""Fault injection: bad inputs built in tmp_path, each refused with its own error, file or key named.

One section per input handler: downloads (study.data.download), model files (diy.load), IDX
files (study.data.idx_format), dataset files (study.data.dataset), configs that pass the schema but not
the data (study.config), training that ends in garbage (study.degenerate) and codes that are not
what they claim to be (study.representations). Every test asserts the exception
class and a message fragment naming the file or key, and that nothing was left behind; the
bombs also assert that memory stayed far below what they would expand to.
"""
import gzip
import hashlib
import io
import json
import re
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

from diy import Linear, ReLU, Sequential, load, save
from diy.serialization import ARCHITECTURE, MAX_DEPTH, ModelFileError
from study.data.dataset import check_dataset, load_dataset, make_dataset, save_dataset
from study.data.download import DownloadError, fetch_file, max_compressed_size
from study.data.idx_format import IDXError, read_idx

MB = 1 << 20


def listing(directory):
    return sorted(p.name for p in directory.rglob("*") if p.is_file())


def gzip_of_zeros(n_bytes):
    """A gzip of `n_bytes` zeros, built a MB at a time: about n_bytes / 1000 bytes."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(MB)
    parts = [deflate.compress(chunk) for _ in range(n_bytes // MB)]
    return b"".join(parts) + deflate.flush()


def peak_bytes(call):
    """Run ``call()`` and return the peak of traced memory (NumPy's arrays included) it used."""
    tracemalloc.start()
    try:
        call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# -- downloads ---------------------------------------------------------------------------
NAME = "tiny-idx1-ubyte"
RAW = bytes([0, 0, 8, 1, 0, 0, 0, 40]) + bytes(range(40))
EXPECTED = (hashlib.sha256(RAW).hexdigest(), len(RAW))


def fetch_from(tmp_path, served):
    """Fetch NAME from a mirror directory holding `served` (file name -> bytes) into tmp_path/out."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for file, data in served.items():
        (mirror / file).write_bytes(data)
    return fetch_file(NAME, tmp_path / "out" / NAME, [str(mirror)], EXPECTED, retries=0, backoff=0)


@pytest.mark.parametrize("served, message", [
    ({f"{NAME}.gz": gzip.compress(RAW) + gzip.compress(bytes(MB))},  # a second member adds 1 MB
     "gives more than the expected 48 bytes (decompressed if gzip): a gzip bomb"),
    ({f"{NAME}.gz": gzip.compress(RAW)[:-10]}, "corrupt gzip data"),
    ({f"{NAME}.gz": gzip.compress(RAW) + b"garbage"}, "corrupt gzip data"),
    ({f"{NAME}.gz": gzip.compress(RAW[:-1] + b"\x01")}, "SHA-256 of the decompressed data from"),
    ({NAME: RAW + b"\0"}, "gives more than the expected 48 bytes"),
    ({NAME: RAW[:-1]}, "gives 47 bytes (decompressed if gzip), expected 48"),
    ({NAME: RAW * 2000}, f"holds more than {max_compressed_size(48)} bytes"),
], ids=["gzip-member-bomb", "truncated-gzip", "gzip-then-garbage", "wrong-checksum",
        "plain-oversize", "plain-undersize", "plain-beyond-any-gzip"])
def test_bad_downloads_are_refused_and_leave_no_file(tmp_path, served, message):
    with pytest.raises(DownloadError, match=re.escape(message)) as error:
        fetch_from(tmp_path, served)
    assert f"could not fetch {NAME} from any mirror" in str(error.value)
    assert str(tmp_path / "mirror") in str(error.value)
    assert listing(tmp_path) == sorted(served)  # the mirror's files, nothing in out/


def test_gzip_bomb_is_refused_after_the_expected_size_without_expanding(tmp_path):
    bomb = gzip_of_zeros(48 * MB)  # 47 KB, within what a gzip of 48 bytes may take
    assert len(bomb) < max_compressed_size(48)
    error = []

    def fetch():
        with pytest.raises(DownloadError, match="a gzip bomb") as caught:
            fetch_from(tmp_path, {f"{NAME}.gz": bomb})
        error.append(caught.value)

    assert peak_bytes(fetch) < 4 * MB
    assert f"{NAME}.gz gives more than the expected 48 bytes" in str(error[0])
    assert listing(tmp_path) == [f"{NAME}.gz"]


# -- model files -------------------------------------------------------------------------
@pytest.fixture
def model_file(tmp_path):
    """A saved Sequential(Linear(8, 6), ReLU(), Linear(6, 3)); returns a tampering function.

    ``tamper(change)`` writes a copy with ``change(arrays, architecture)`` applied (both dicts,
    changed in place) and returns its path.
    """
    good = tmp_path / "good.npz"
    save(Sequential(Linear(8, 6, rng=0), ReLU(), Linear(6, 3, rng=1)), good)

    def tamper(change):
        with np.load(good) as npz:
            arrays = dict(npz)
        text = arrays[ARCHITECTURE]
        architecture = json.loads(str(text))
        change(arrays, architecture)
        if arrays[ARCHITECTURE] is text:  # else the change wrote its own text
            arrays[ARCHITECTURE] = np.array(json.dumps(architecture))
        np.savez(tmp_path / "bad.npz", **arrays)
        return tmp_path / "bad.npz"

    return tamper


def first_linear(architecture):
    return architecture["model"]["children"][0][1]["config"]


def nested(depth):
    """The JSON text of an architecture nesting `depth` Sequentials around a ReLU."""
    model = '{"type": "ReLU", "config": {}}'
    for _ in range(depth):
        model = '{"type": "Sequential", "config": {}, "children": [["0", ' + model + ']]}'
    return '{"format": "diy", "version": 1, "dtype": null, "training": false, "model": ' + model + '}'


def set_d_in(value):
    return set_config(d_in=value)


def set_config(**values):
    return lambda arrays, architecture: first_linear(architecture).update(values)


def set_children(value):
    return lambda arrays, architecture: architecture["model"].update(children=value)


def remove(key):
    return lambda arrays, architecture: arrays.pop(key)


def set_value(key, index, value):
    return lambda arrays, architecture: arrays[key].__setitem__(index, value)


def replace(key, value):
    return lambda arrays, architecture: arrays.__setitem__(key, value)


@pytest.mark.parametrize("change, message", [
    (set_d_in(5_000_000), r"Linear at 0 declares sizes .*'d_in': 5000000.* whose product exceeds "
                          r"the 75 parameter values the file stores"),
    (set_d_in(10 ** 30), r"Linear at 0 declares sizes .* whose product exceeds"),
    (set_d_in(float("inf")), r"Linear at 0 declares sizes .*inf.* whose product exceeds"),
    (set_d_in(-5), r"cannot rebuild Linear at 0 .*Linear: d_in must be >= 1, got -5"),
    (set_config(dtype="U25000000"), r"0: a config may not set 'dtype'"),  # 100 MB per element
    (set_children({"0": "Linear"}), r"the model: 'children' must be a list, got \{'0': 'Linear'\}"),
    (remove("2.b"), r"missing parameter '2\.b' \(expected shape \(3,\)\)"),
    (set_d_in(9), r"parameter '0\.W' has shape \(8, 6\), the architecture needs \(9, 6\)"),
    (replace("2.W", np.zeros((3, 6), np.float32)), r"parameter '2\.W' has shape \(3, 6\), "
                                                   r"the architecture needs \(6, 3\)"),
    (set_value("0.W", (3, 4), np.nan), r"parameter '0\.W' holds non-finite values \(1 NaN or inf\)"),
    (set_value("2.b", 0, -np.inf), r"parameter '2\.b' holds non-finite values"),
    (replace(ARCHITECTURE, np.array(nested(1000))), r"'__architecture__' is nested too deeply to parse"),
    (replace(ARCHITECTURE, np.array(nested(MAX_DEPTH + 1))),
     rf"modules nested more than {MAX_DEPTH} deep"),
    (replace(ARCHITECTURE, np.array("{'format': 'diy'")), r"'__architecture__' is not valid JSON"),
    (replace(ARCHITECTURE, np.arange(3)), r"'__architecture__' is not a JSON text"),
    (replace("0.b", np.array([None, {}], dtype=object)), r"key '0\.b' cannot be read without pickle"),
], ids=["d_in-5e6", "d_in-1e30", "d_in-inf", "d_in-negative", "config-dtype", "children-not-list",
        "missing-parameter", "config-vs-shape",
        "transposed-weight", "nan-weight", "inf-bias", "nested-1000", "nested-65", "non-json",
        "architecture-not-text", "pickled-object"])
def test_bad_model_files_are_refused_before_allocating(tmp_path, model_file, change, message):
    bad = model_file(change)
    before = listing(tmp_path)
    caught = []

    def load_bad():
        with pytest.raises(ModelFileError, match=message) as error:
            load(bad)
        caught.append(error.value)

    assert peak_bytes(load_bad) < 4 * MB  # d_in = 5e6 used to allocate 2.8 GB
    assert str(caught[0]).startswith(f"{bad}: ")
    assert listing(tmp_path) == before


def npz_bytes(members, compression=zipfile.ZIP_STORED):
    """A zip archive of ``name -> bytes`` members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def npy_bytes(array, shape=None):
    """The .npy bytes of `array`, its header declaring `shape` (by default the array's own)."""
    buffer = io.BytesIO()
    header = np.lib.format.header_data_from_array_1_0(array)
    header["shape"] = array.shape if shape is None else shape
    np.lib.format.write_array_header_1_0(buffer, header)
    buffer.write(array.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize("data, message", [
    (npz_bytes({"0.W.npy": npy_bytes(np.zeros(4, np.float32), shape=(10 ** 12,))}),
     r"key '0\.W' declares shape \(1000000000000,\) of float32"),
    (npz_bytes({"0.W.npy": npy_bytes(np.zeros(4 * MB, np.float32))}, zipfile.ZIP_DEFLATED),
     r"its arrays declare 16777344 bytes, \d+ times the file's"),
    (npz_bytes({"notes.txt": b"hello"}), r"member 'notes\.txt' is not a \.npy array"),
    (b"PK\x03\x04" + bytes(100), r"not a readable \.npz model file"),
], ids=["header-larger-than-data", "zip-bomb", "not-npy-member", "truncated-zip"])
def test_lying_npz_containers_are_refused(tmp_path, data, message):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(data)
    caught = []

    def load_bad():
        with pytest.raises(ModelFileError, match=message) as error:
            load(bad)
        caught.append(error.value)

    assert peak_bytes(load_bad) < 4 * MB
    assert str(caught[0]).startswith(f"{bad}: ")
    assert listing(tmp_path) == ["bad.npz"]


# -- IDX files -----------------------------------------------------------------------------
def idx(code, shape, payload=b""):
    return bytes([0, 0, code, len(shape)]) + np.asarray(shape, ">u4").tobytes() + payload


@pytest.mark.parametrize("data, message", [
    (idx(8, (65536,) * 4), r"header dims \(65536, 65536, 65536, 65536\) of uint8 need "
                           r"18446744073709551636 \(truncated\)"),  # 2**64 wraps to 0 in int64
    (idx(0x0E, (2 ** 32 - 1,) * 3, bytes(8)), r"need \d{30,} \(truncated\)"),
    (idx(8, ()), r"0 dimensions; an IDX file holds a vector"),
    (idx(8, (0, 28, 28), bytes(5)), r"21 bytes, but header dims \(0, 28, 28\) of uint8 need 16 "
                                   r"\(trailing bytes\)"),
    (idx(8, (4, 2, 2), bytes(15)), r"header dims \(4, 2, 2\) of uint8 need 32 \(truncated\)"),
    (idx(8, (4, 2, 2))[:9], r"truncated header \(9 bytes, need 16\)"),
    (gzip.compress(idx(8, (4,), bytes(4)))[:-12], r"corrupt gzip data"),
    (gzip.compress(idx(8, (65536,) * 4)), r"need 18446744073709551636 \(truncated\)"),
], ids=["int64-overflow", "huge-dims", "zero-dims", "zero-size-with-data", "truncated-data",
        "truncated-header", "corrupt-gzip", "gzipped-overflow"])
def test_bad_idx_files_name_the_file(tmp_path, data, message):
    path = tmp_path / "bad-idx-ubyte"
    path.write_bytes(data)
    with pytest.raises(IDXError, match=rf"^{re.escape(str(path))}: .*{message}"):
        read_idx(path)
    assert listing(tmp_path) == ["bad-idx-ubyte"]


def test_gzipped_idx_is_decompressed_no_further_than_its_header_declares(tmp_path):
    path = tmp_path / "bomb-idx1-ubyte.gz"
    header = idx(8, (10,))
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    path.write_bytes(deflate.compress(header) + b"".join(deflate.compress(bytes(MB)) for _ in range(256))
                     + deflate.flush())

    def read():
        with pytest.raises(IDXError, match=rf"{re.escape(str(path))}: 19 bytes, but header dims \(10,\) "
                                           rf"of uint8 need 18 \(trailing bytes\)"):
            read_idx(path)

    assert peak_bytes(read) < 4 * MB  # 256 MB if decompressed whole
    assert listing(tmp_path) == [path.name]


# -- dataset files -------------------------------------------------------------------------
def tiny_dataset():
    X = np.random.default_rng(0).random((6, 4), dtype=np.float32)
    return make_dataset((2, 2), (X, np.arange(6) % 3), (X[:2], [0, 1]), (X[:3], [2, 1, 0]))


def poke(key, index, value):
    def change(data):
        data[key] = data[key].copy()
        data[key][index] = value
    return change


@pytest.mark.parametrize("change, n_classes, message", [
    (poke("X_train", (1, 2), np.nan), None, "X_train has non-finite values (NaN or inf)"),
    (poke("X_test", (0, 0), np.inf), None, "X_test has non-finite values (NaN or inf)"),
    (poke("X_val", (1, 3), -np.inf), None, "X_val has non-finite values (NaN or inf)"),
    (poke("y_test", 1, 99), None,
     "y_test has label 99, outside 0 .. 2 (3 classes, the distinct training labels)"),
    (poke("y_train", 0, 99), None, "y_train has label 99, outside 0 .. 3 (4 classes"),
    (poke("y_train", 4, -1), None, "y_train has label -1, outside 0 .. 3"),
    (poke("y_val", 0, 7), 10, "y_val has labels [7] absent from y_train"),
    (poke("y_test", 2, 10), 10, "y_test has label 10, outside 0 .. 9 (10 classes, given)"),
    (lambda data: data.update(y_train=data["y_train"] + 0.5), None, "y_train must be int64"),
], ids=["nan-pixel", "inf-pixel", "minus-inf-pixel", "label-99-test", "label-99-train", "label-minus-1",
        "label-absent-from-train", "label-beyond-n_classes", "float-labels"])
def test_bad_datasets_are_refused_and_not_written(tmp_path, change, n_classes, message):
    data = tiny_dataset()
    change(data)
    path = tmp_path / "data" / "bad.npz"
    with pytest.raises(ValueError, match=f"^{re.escape(str(path))}: {re.escape(message)}"):
        save_dataset(path, data, n_classes=n_classes)
    assert listing(tmp_path) == []
    with pytest.raises(ValueError, match=re.escape(message)):
        check_dataset(data, n_classes=n_classes)


def stored_dataset(tmp_path):
    path = tmp_path / "data" / "tiny.npz"
    save_dataset(path, tiny_dataset())
    return path


@pytest.mark.parametrize("spoil, message", [
    (lambda data: data[: len(data) // 2], "File is not a zip file"),
    (lambda data: data[:-30], "File is not a zip file"),
    (lambda data: data.replace(b"X_val.npy", b"X_val.txt"), "member 'X_val.txt' is not a .npy array"),
    (lambda data: npz_bytes({"X_train.npy": npy_bytes(np.zeros(4, np.float32), shape=(10 ** 12, 784))}),
     "key 'X_train' declares shape (1000000000000, 784)"),
    (lambda data: npz_bytes({"X_train.npy": npy_bytes(np.zeros(4 * MB, np.float32))},
                            zipfile.ZIP_DEFLATED), "times the file's"),
    (lambda data: npz_bytes({"y_train.npy": npy_bytes(np.array([0, None], dtype=object))}),
     "key 'y_train' cannot be read without pickle"),
], ids=["truncated-half", "truncated-end", "renamed-member", "header-larger-than-data", "zip-bomb",
        "pickled-object"])
def test_unreadable_dataset_files_name_the_path_and_say_how_to_rebuild(tmp_path, spoil, message):
    path = stored_dataset(tmp_path)
    path.write_bytes(spoil(path.read_bytes()))
    caught = []

    def load_bad():
        with pytest.raises(ValueError) as error:
            load_dataset(path)
        caught.append(str(error.value))

    assert peak_bytes(load_bad) < 4 * MB
    assert caught[0].startswith(f"{path}: not a readable dataset file (")
    assert message in caught[0]
    assert caught[0].endswith("; delete it and rebuild it with: snakemake data/tiny.npz")
    assert listing(tmp_path) == ["tiny.npz"]


# -- configs that pass the schema but not the data (study.config) -------------------------------
@pytest.fixture(scope="module")
def study_schema():
    from repository import CONFIG, SCHEMA
    from study.config import load_schema, read_yaml

    return load_schema(SCHEMA), read_yaml(CONFIG)


@pytest.mark.parametrize("config, message", [
    ({"training": {"lr": float("nan")}}, "training.lr = nan: must be a finite number"),
    ({"grid": {"noise": [float("nan")]}}, "grid.noise[0] = nan: must be a finite number"),
    ({"analysis": {"denoising": {"levels": [float("nan")]}}},
     "analysis.denoising.levels[0] = nan: must be a finite number"),
    ({"data": {"mnist": {"timeout": float("inf")}}}, "data.mnist.timeout = inf: must be a finite number"),
    ({"grid": {"latent_dim": [2, 65]}, "datasets": ["digits"]},
     "grid.latent_dim[1] = 65: above the 64 features of digits"),
    ({"analysis": {"tsne": {"perplexity": 359}}, "datasets": ["digits"]},
     "analysis.tsne.perplexity = 359: must be below the t-SNE subset of digits (144 val images)"),
    ({"analysis": {"tsne": {"n_neighbors": 200}}, "datasets": ["digits"]},
     "analysis.tsne.n_neighbors = 200: must be below half the t-SNE subset of digits"),
    ({"data": {"digits": {"test_fraction": 0.98}}, "datasets": ["digits"]},
     "splits.validation_fraction = 0.1: leaves digits with 32 training and 4 validation images"),
    ({"grid": {"seed": [10**7]}}, "grid.seed[0] = 10000000: must be in [0, 999999]"),
    ({"training": {"epochs": {"digits": 5, "cifar": 3}}}, "training.epochs = 'cifar': must be one of"),
])
def test_configs_that_pass_the_schema_but_not_the_data_are_refused(study_schema, config, message):
    from study.config import ConfigError, validate_config

    schema, defaults = study_schema
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate_config(config, schema, defaults=defaults)


def test_a_per_dataset_value_missing_for_a_studied_dataset_is_refused(study_schema):
    # As when a dataset is registered and studied but config.yaml has no value of its own.
    from study.config import ConfigError, validate_config

    schema, defaults = study_schema
    defaults = {**defaults, "training": {**defaults["training"], "epochs": {"digits": 1000}}}
    with pytest.raises(ConfigError, match=re.escape("training.epochs: no value for dataset mnist")):
        validate_config({}, schema, defaults=defaults)


def test_a_yaml_syntax_error_names_the_file_and_the_line(tmp_path):
    from study.config import ConfigError, read_yaml

    path = tmp_path / "study.yaml"
    path.write_text("grid:\n  latent_dim: [2, 8\n  seed: [0]\n")
    with pytest.raises(ConfigError, match=rf"{re.escape(str(path))}, line \d+, column \d+: not valid YAML"):
        read_yaml(path)


# -- training that "succeeds" into garbage (study.degenerate) ----------------------------------
def test_exploding_weights_collapsed_codes_and_chance_classifiers_are_refused():
    from study.degenerate import DegenerateTraining, check_accuracy, check_codes, check_weights

    model = Sequential(Linear(3, 2, rng=0))
    check_weights("digits/x", model, 5)
    model[0]._parameters["W"][0, 0] = 4e15
    with pytest.raises(DegenerateTraining, match=r"digits/x ended at epoch 5 with parameter 0.W of "
                                                 r"magnitude 4e\+15 \(exploding weights"):
        check_weights("digits/x", model, 5)
    model[0]._parameters["W"][0, 0] = np.nan
    with pytest.raises(DegenerateTraining, match="magnitude nan"):
        check_weights("digits/x", model, 5)
    check_codes("digits/x", np.random.default_rng(0).normal(size=(20, 2)), 3)
    for constant in (np.zeros((20, 2)), np.full((20, 2), 7.5)):
        with pytest.raises(DegenerateTraining, match="constant on the validation split"):
            check_codes("digits/x", constant, 3)
    check_accuracy("digits/clf", 0.5, 10, 2)
    with pytest.raises(DegenerateTraining, match=r"validation accuracy 0.100, chance level \(0.100\)"):
        check_accuracy("digits/clf", 0.1, 10, 2)


# -- codes that are not what they claim to be (study.representations) ---------------------------
@pytest.fixture
def codes_file(tmp_path):
    from study.artifacts import write_codes

    rng = np.random.default_rng(0)
    data = {f"X_{s}": rng.random((n, 4), dtype=np.float32) for s, n in (("train", 8), ("val", 3), ("test", 5))}
    data.update({f"y_{s}": np.arange(len(data[f"X_{s}"])) % 2 for s in ("train", "val", "test")})
    model = __import__("diy").AutoEncoder.build([4, 2], "tanh", rng=0)
    codes = {f"Z_{s}": model.encode(data[f"X_{s}"]) for s in ("train", "val", "test")}

    def write(change=lambda codes: codes):
        path = tmp_path / "codes.npz"
        write_codes(path, change({key: value.copy() for key, value in codes.items()}))
        return path

    return write, data, model


@pytest.mark.parametrize("change, message", [
    (lambda c: {**c, "Z_test": c["Z_test"][:, :1]}, "Z_test has 1 columns, the representation's size is 2"),
    (lambda c: {**c, "Z_train": c["Z_train"][:-1]}, "Z_train must have 8 rows"),
    (lambda c: {**c, "Z_val": np.where(np.eye(3, 2, dtype=bool), np.nan, c["Z_val"])}, "Z_val has non-finite"),
    (lambda c: {**c, "Z_test": np.ones_like(c["Z_test"])}, "the test codes are constant"),
])
def test_codes_of_the_wrong_shape_or_values_are_refused(codes_file, change, message):
    from study.representations import read_codes

    write, data, _ = codes_file
    path = write(change)
    with pytest.raises(ValueError, match=re.escape(f"{path}: {message}")):
        read_codes(path, data, latent_dim=2)


@pytest.mark.parametrize("change", [
    lambda c: {**c, "Z_train": c["Z_train"][::-1].copy()},  # rows permuted
    lambda c: {**c, "Z_test": c["Z_test"] * 2},  # another representation's codes
])
def test_codes_that_are_not_the_model_s_are_refused(codes_file, change):
    from study.representations import check_codes_match, read_codes

    write, data, model = codes_file
    check_codes_match("ok", read_codes(write(), data, 2), data, model)
    path = write(change)
    with pytest.raises(ValueError, match=re.escape(f"{path}: Z_")):
        check_codes_match(path, read_codes(path, data, 2), data, model)


def test_a_truncated_codes_file_names_its_path(codes_file):
    from study.representations import read_codes

    write, data, _ = codes_file
    path = write()
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match=re.escape(f"{path}: not a readable codes file")):
        read_codes(path, data)


def test_the_config_checker_names_the_file_and_line_of_a_bad_study_config(tmp_path, capsys):
    from study.config import main

    bad = tmp_path / "study.yaml"
    bad.write_text("grid:\n  latent_dim: [2, 8\n  seed: [0]\n")
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("training: {lr: .nan}\n")
    assert main([str(bad), str(wrong)]) == 2
    errors = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(bad))}, line 3, column \d+: not valid YAML", errors)
    assert f"{wrong}: training.lr = nan: must be a finite number" in errors


def test_codes_collapsed_under_a_heavy_penalty_name_its_weight_first():
    """A sparsity weight of 1e6 kills the code whatever the learning rate: the hint names it."""
    from study.degenerate import DegenerateTraining, check_codes

    constant = np.ones((20, 2))
    with pytest.raises(DegenerateTraining, match=r"likely cause: the penalty's weight \(grid.sparsity = 1e\+06\), "
                                                 r"else training.lr"):
        check_codes("digits/sparse_latent2_tanh_sparsity1000000_seed0", constant, 3, {"grid.sparsity": 1e6})
    with pytest.raises(DegenerateTraining, match=r"dead units; try a smaller training.lr"):
        check_codes("digits/sparse_latent2_tanh_sparsity0.1_seed0", constant, 3, {"grid.sparsity": 0.1})
