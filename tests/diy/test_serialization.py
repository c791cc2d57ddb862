"""save/load: identical predictions after a round trip, and tampered files rejected clearly."""
import json
import zipfile

import numpy as np
import pytest

from diy import (
    AutoEncoder, Dropout, Linear, LogSoftmax, MLPClassifier, ReLU, Sequential, Sigmoid, Softmax,
    TanH, TiedLinear, load, save,
)
from diy.serialization import ARCHITECTURE, ModelFileError


def perturb_biases(model, seed=0):
    """Trained-looking parameters: biases are zero at initialisation, which would hide mix-ups."""
    rng = np.random.default_rng(seed)
    for name, parameter, _ in model.parameters():
        if name.endswith("b"):
            parameter[...] = rng.standard_normal(parameter.shape)
    return model


def rewrite(path, target, change):
    """Copy the .npz at ``path`` to ``target`` with ``change(dict of arrays)`` applied."""
    with np.load(path) as npz:
        arrays = dict(npz)
    change(arrays)
    np.savez(target, **arrays)
    return target


def architecture(arrays):
    return json.loads(str(arrays[ARCHITECTURE]))


def set_architecture(arrays, value):
    arrays[ARCHITECTURE] = np.array(json.dumps(value))


def test_sequential_of_every_module_round_trips(tmp_path):
    net = perturb_biases(Sequential(
        Linear(5, 8, rng=0), ReLU(), Dropout(0.3, rng=0), Linear(8, 6, rng=1, init="he"), TanH(),
        Linear(6, 4, rng=2, bias=False), Sigmoid(), Linear(4, 3, rng=3), Softmax(), LogSoftmax(),
    )).eval()
    save(net, tmp_path / "net.npz")
    loaded = load(tmp_path / "net.npz")
    assert repr(loaded) == repr(net) and not loaded.training
    assert loaded[2].p == 0.3 and loaded[3].init == "he" and not loaded[5].bias
    X = np.random.default_rng(0).standard_normal((7, 5)).astype(np.float32)
    np.testing.assert_array_equal(loaded.forward(X), net.forward(X))
    assert [(n, p.dtype) for n, p, _ in loaded.parameters()] == [(n, p.dtype) for n, p, _ in net.parameters()]


@pytest.mark.parametrize("tied", [False, True])
def test_autoencoder_round_trips(tmp_path, tied):
    ae = perturb_biases(AutoEncoder.build([12, 6, 3], "tanh", "sigmoid", tied=tied, rng=0, dtype=np.float64))
    save(ae, tmp_path / "ae.npz")
    loaded = load(tmp_path / "ae.npz")
    X = np.random.default_rng(1).uniform(size=(4, 12))
    np.testing.assert_array_equal(loaded.forward(X), ae.forward(X))
    np.testing.assert_array_equal(loaded.encode(X), ae.encode(X))
    names = [n for n, _, _ in loaded.parameters()]
    assert names == [n for n, _, _ in ae.parameters()] and names[0] == "encoder.0.W"
    if tied:  # still tied: the decoder reads the loaded encoder's array
        assert loaded.decoder[0].source is loaded.encoder[2]
        assert loaded.decoder[2].source is loaded.encoder[0]
        assert "decoder.0.W" not in names


#: The architecture of an autoencoder saved by ``AutoEncoder.build([3, 2], "tanh")`` when the
#: code's activation defaulted to the hidden one (a tanh code), as the file holds it.
OLD_DEFAULT_AUTOENCODER = (
    '{"format": "diy", "version": 1, "dtype": "float64", "training": true, "model": {"type": "AutoEncoder", '
    '"config": {}, "children": [["encoder", {"type": "Sequential", "config": {}, "children": [["0", {"type": '
    '"Linear", "config": {"d_in": 3, "d_out": 2, "init": "xavier", "bias": true}}], ["1", {"type": "TanH", '
    '"config": {}}]]}], ["decoder", {"type": "Sequential", "config": {}, "children": [["0", {"type": "Linear", '
    '"config": {"d_in": 2, "d_out": 3, "init": "xavier", "bias": true}}], ["1", {"type": "Sigmoid", "config": '
    '{}}]]}]]}}')


def test_a_file_saved_before_the_linear_code_default_loads_with_its_tanh_code(tmp_path):
    """A file lists every module, the code's activation included, so changing the default of
    ``AutoEncoder.build`` changes no saved model."""
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(2, 3)), rng.normal(size=3)
    np.savez(tmp_path / "old.npz", **{ARCHITECTURE: np.array(OLD_DEFAULT_AUTOENCODER), "encoder.0.W": W1,
                                      "encoder.0.b": b1, "decoder.0.W": W2, "decoder.0.b": b2})
    model = load(tmp_path / "old.npz")
    assert [type(m) for m in model.encoder] == [Linear, TanH]
    X = rng.uniform(size=(4, 3))
    np.testing.assert_allclose(model.encode(X), np.tanh(X @ W1 + b1), rtol=1e-12)
    np.testing.assert_allclose(model.forward(X), 1 / (1 + np.exp(-(np.tanh(X @ W1 + b1) @ W2 + b2))), rtol=1e-12)


def test_classifier_round_trips_with_its_classes(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((60, 4))
    y = np.array(["low", "mid", "high"])[(X[:, 0] > -0.4).astype(int) + (X[:, 0] > 0.4)]
    clf = MLPClassifier(hidden=(8,), dropout=0.1, epochs=5, random_state=0).fit(X, y)
    save(clf, tmp_path / "clf.npz")
    loaded = load(tmp_path / "clf.npz")
    assert isinstance(loaded, MLPClassifier) and loaded.get_config() == clf.get_config()
    np.testing.assert_array_equal(loaded.classes_, clf.classes_)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))


def test_save_is_one_npz_without_pickle_and_atomic(tmp_path):
    save(Sequential(Linear(2, 2, rng=0)), tmp_path / "model")  # any name, no suffix added
    assert [p.name for p in tmp_path.iterdir()] == ["model"]
    with zipfile.ZipFile(tmp_path / "model") as archive:
        assert sorted(archive.namelist()) == sorted([f"{ARCHITECTURE}.npy", "0.W.npy", "0.b.npy"])
    with np.load(tmp_path / "model", allow_pickle=False) as npz:
        assert architecture(npz)["model"]["children"][0][1] == {
            "type": "Linear", "config": {"d_in": 2, "d_out": 2, "init": "xavier", "bias": True}}


def test_layers_register_themselves_and_ambiguous_names_are_refused(tmp_path):
    class Scaled(Linear):
        pass

    # A new layer needs no registry edit: it is saved and rebuilt by its class name.
    save(Sequential(Scaled(2, 2, rng=0)), tmp_path / "scaled.npz")
    assert type(load(tmp_path / "scaled.npz")[0]) is Scaled

    def another():
        class Scaled(Linear):  # a different class of the same name
            pass
        return Scaled

    for cls in (Scaled, another()):
        with pytest.raises(ValueError, match="also named 'Scaled'"):
            save(Sequential(cls(2, 2)), tmp_path / "x.npz")
    with pytest.raises(ModelFileError, match="unknown module type 'Scaled'"):
        load(tmp_path / "scaled.npz")


def test_a_layer_of_diy_loads_whatever_the_program_imported(tmp_path, monkeypatch):
    import sys

    import diy
    from diy.module import Module

    # A layer in a file of the diy package that nothing imports: diy/__init__.py does not
    # name it, and the loading process (an analysis job) has never imported it.
    package = tmp_path / "package"
    package.mkdir()
    (package / "doubled.py").write_text(
        "from diy.linear import Linear\n\n\nclass Doubled(Linear):\n    pass\n")
    monkeypatch.setattr(diy, "__path__", [*diy.__path__, str(package)])
    forget = lambda: (Module.registry.pop("Doubled", None), sys.modules.pop("diy.doubled", None))  # noqa: E731
    try:
        from diy.doubled import Doubled

        save(Sequential(Doubled(2, 2, rng=0)), tmp_path / "doubled.npz")
        forget()
        model = load(tmp_path / "doubled.npz")
        assert type(model[0]).__name__ == "Doubled" and type(model[0]).__module__ == "diy.doubled"
        np.testing.assert_array_equal(model[0]._parameters["W"], Doubled(2, 2, rng=0)._parameters["W"])
    finally:
        forget()
        monkeypatch.delattr(diy, "doubled", raising=False)


def test_save_refuses_what_it_cannot_rebuild(tmp_path):
    with pytest.raises(ValueError, match="not part of the saved model"):
        save(Sequential(TiedLinear(Linear(2, 3))), tmp_path / "x.npz")
    with pytest.raises(ValueError, match="not fitted"):
        save(MLPClassifier(), tmp_path / "x.npz")
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def tamper_missing_parameter(arrays):
    del arrays["decoder.0.b"]


def tamper_extra_key(arrays):
    arrays["decoder.9.W"] = np.zeros((2, 2))


def tamper_shape(arrays):
    arrays["encoder.0.W"] = arrays["encoder.0.W"][:, :2]


def tamper_dtype(arrays):
    arrays["encoder.0.b"] = arrays["encoder.0.b"].astype(np.float64)


def tamper_bad_json(arrays):
    arrays[ARCHITECTURE] = np.array("{not json")


def tamper_no_architecture(arrays):
    del arrays[ARCHITECTURE]


def tamper_unknown_type(arrays):
    value = architecture(arrays)
    value["model"]["children"][0][1]["children"][1][1]["type"] = "os.system"
    set_architecture(arrays, value)


def tamper_config(arrays):
    value = architecture(arrays)
    value["model"]["children"][0][1]["children"][0][1]["config"]["d_out"] = 5
    set_architecture(arrays, value)


def tamper_bad_constructor_argument(arrays):
    value = architecture(arrays)
    value["model"]["children"][0][1]["children"][0][1]["config"]["evil"] = 1
    set_architecture(arrays, value)


def tamper_dangling_reference(arrays):
    value = architecture(arrays)
    value["model"]["children"][1][1]["children"][0][1]["config"]["source"] = {"$module": "decoder.4"}
    set_architecture(arrays, value)


def tamper_object_array(arrays):
    arrays["decoder.0.b"] = np.array([{"x": 1}], dtype=object)


def tamper_version(arrays):
    value = architecture(arrays)
    value["version"] = 99
    set_architecture(arrays, value)


@pytest.mark.parametrize("tamper, message", [
    (tamper_missing_parameter, r"missing parameter 'decoder\.0\.b'"),
    (tamper_extra_key, r"unexpected keys \['decoder\.9\.W'\]"),
    (tamper_shape, r"parameter 'encoder\.0\.W' has shape \(6, 2\), the architecture needs \(6, 4\)"),
    (tamper_dtype, r"parameter 'encoder\.0\.b' is float64, the file declares float32"),
    (tamper_bad_json, r"is not valid JSON"),
    (tamper_no_architecture, r"no '__architecture__' key"),
    (tamper_unknown_type, r"unknown module type 'os\.system' at encoder\.1"),
    (tamper_config, r"parameter 'encoder\.0\.W' has shape \(6, 4\), the architecture needs \(6, 5\)"),
    (tamper_bad_constructor_argument, r"cannot rebuild Linear at encoder\.0 .*evil"),
    (tamper_dangling_reference, r"decoder\.0: 'source' refers to 'decoder\.4'"),
    (tamper_object_array, r"'decoder\.0\.b' cannot be read without pickle"),
    (tamper_version, r"format version 99"),
])
def test_tampered_files_are_rejected_naming_file_and_key(tmp_path, tamper, message):
    good = tmp_path / "good.npz"
    save(AutoEncoder.build([6, 4, 2], tied=True, rng=0), good)
    bad = rewrite(good, tmp_path / "bad.npz", tamper)
    with pytest.raises(ModelFileError, match=message) as caught:
        load(bad)
    assert str(caught.value).startswith(str(bad))
    assert isinstance(caught.value, ValueError)


def test_unreadable_files_are_rejected(tmp_path):
    (tmp_path / "text.npz").write_text("not a zip")
    with pytest.raises(ModelFileError, match="not a readable .npz"):
        load(tmp_path / "text.npz")
    good = tmp_path / "good.npz"
    save(Sequential(Linear(30, 30, rng=0)), good)
    (tmp_path / "cut.npz").write_bytes(good.read_bytes()[:2000])
    with pytest.raises(ModelFileError, match="cut.npz"):
        load(tmp_path / "cut.npz")
    with pytest.raises(ModelFileError, match="not a readable"):
        load(tmp_path / "absent.npz")


def test_classifier_file_without_classes_is_rejected(tmp_path):
    X, y = np.random.default_rng(0).standard_normal((20, 3)), np.arange(20) % 2
    save(MLPClassifier(hidden=(4,), epochs=1, random_state=0).fit(X, y), tmp_path / "clf.npz")
    bad = rewrite(tmp_path / "clf.npz", tmp_path / "bad.npz", lambda a: a.pop("__classes__"))
    with pytest.raises(ModelFileError, match="missing '__classes__'"):
        load(bad)


def test_classifier_file_with_bad_classes_or_dtype_is_rejected(tmp_path):
    X, y = np.random.default_rng(0).standard_normal((20, 3)), np.arange(20) % 2
    save(MLPClassifier(hidden=(4,), epochs=1, random_state=0).fit(X, y), tmp_path / "clf.npz")

    def scalar_classes(arrays):
        arrays["__classes__"] = np.array(2)

    def string_dtype(arrays):  # predict would convert its input to 100 MB strings
        value = architecture(arrays)
        value["model"]["config"]["dtype"] = "U25000000"
        set_architecture(arrays, value)

    for tamper, message in [(scalar_classes, r"'__classes__' must hold one label per class, got shape \(\)"),
                            (string_dtype, r"MLPClassifier: dtype must be a floating-point dtype, got .U25000000.")]:
        with pytest.raises(ModelFileError, match=message):
            load(rewrite(tmp_path / "clf.npz", tmp_path / "bad.npz", tamper))


def test_metadata_is_kept_and_altered_parameters_are_refused_by_their_digest(tmp_path):
    from diy.serialization import digest, read_metadata

    path = tmp_path / "ae.npz"
    ae = AutoEncoder.build([6, 4, 2], rng=0)
    save(ae, path, {"representation": "mlp_seed0", "seed": 0})
    assert read_metadata(path) == ({"representation": "mlp_seed0", "seed": 0}, digest(ae))
    assert digest(load(path)) == digest(ae) != digest(AutoEncoder.build([6, 4, 2], rng=1))
    # A weight changed in the file, its architecture kept: a valid .npz that is not what was saved.
    with np.load(path, allow_pickle=False) as npz:
        arrays = {key: npz[key] for key in npz.files}
    arrays["encoder.0.W"] = arrays["encoder.0.W"] * np.float32(1.001)
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="the parameters are not the ones saved with its architecture"):
        load(path)
    with pytest.raises(TypeError, match="metadata must be a dict"):
        save(ae, path, "mlp_seed0")
