"""The files of a training job: history CSV and codes, written together atomically."""
import numpy as np
import pytest

from study.artifacts import (
    AE_HISTORY_COLUMNS,
    CLASSIFIER_HISTORY_COLUMNS,
    atomic_outputs,
    read_history,
    write_codes,
    write_history,
)
from diy.train import History


def test_history_round_trips_exact_floats(tmp_path):
    history = History(records=[
        {"epoch": 1, "train_loss": 0.1 + 0.2, "val_loss": 1 / 3, "val_metric": None, "seconds": 1.5},
        {"epoch": 2, "train_loss": np.float64(2e-7), "val_loss": 0.25, "val_metric": None,
         "seconds": 0.75},
    ])
    write_history(tmp_path / "h.csv", history, AE_HISTORY_COLUMNS)
    assert (tmp_path / "h.csv").read_text().splitlines()[0] == "epoch,train_loss,val_loss,seconds"
    columns = read_history(tmp_path / "h.csv")
    assert columns["epoch"] == [1, 2]
    assert columns["train_loss"] == [0.1 + 0.2, 2e-7] and columns["val_loss"] == [1 / 3, 0.25]


def test_classifier_history_reads_accuracy_from_val_metric(tmp_path):
    records = [{"epoch": 1, "train_loss": 2.0, "val_loss": 1.0, "val_metric": 0.5, "seconds": 3.0}]
    write_history(tmp_path / "h.csv", records, CLASSIFIER_HISTORY_COLUMNS)
    lines = (tmp_path / "h.csv").read_text().splitlines()
    assert lines == ["epoch,train_loss,val_loss,val_accuracy,seconds", "1,2.0,1.0,0.5,3.0"]


def test_codes_are_float32(tmp_path):
    codes = {f"Z_{s}": np.ones((n, 3), dtype=np.float64) for s, n in (("train", 4), ("val", 2), ("test", 1))}
    write_codes(tmp_path / "codes.npz", codes)
    with np.load(tmp_path / "codes.npz") as npz:
        assert sorted(npz.files) == ["Z_test", "Z_train", "Z_val", "__provenance__"]
        assert npz["Z_train"].dtype == np.float32 and npz["Z_val"].shape == (2, 3)
    with pytest.raises(ValueError, match="missing"):
        write_codes(tmp_path / "bad.npz", {"Z_train": codes["Z_train"]})
    with pytest.raises(ValueError, match=r"Z_test must be 2-D"):
        write_codes(tmp_path / "bad.npz", {**codes, "Z_test": np.ones(3)})


def test_atomic_outputs_all_or_nothing(tmp_path):
    targets = [tmp_path / "d" / "model.npz", tmp_path / "d" / "history.csv"]
    with atomic_outputs(*targets) as tmps:
        assert [t.suffix for t in tmps] == [".npz", ".csv"]
        for tmp in tmps:
            tmp.write_text("x")
        assert not any(t.exists() for t in targets)
    assert all(t.read_text() == "x" for t in targets)

    others = [tmp_path / "e" / "model.npz", tmp_path / "e" / "history.csv"]
    with pytest.raises(RuntimeError):
        with atomic_outputs(*others) as tmps:
            tmps[0].write_text("complete-looking model")
            raise RuntimeError("diverged")
    assert list((tmp_path / "e").iterdir()) == []


# -- history.csv as its readers read it: the one written with the model beside it ----------------
def _trained(directory, seed):
    """A variant's directory as train_autoencoder.py writes it: the history, then the model
    recording the history's digest."""
    from diy import AutoEncoder, save
    from study.artifacts import file_digest
    from study.representations import model_metadata

    directory.mkdir(parents=True)
    write_history(directory / "history.csv", [{"epoch": e, "train_loss": 1.0 / e + seed, "val_loss": 2.0 / e + seed,
                                                "seconds": 0.1} for e in (1, 2, 3)], AE_HISTORY_COLUMNS)
    save(AutoEncoder.build([4, 2], rng=seed), directory / "model.npz",
         model_metadata(directory.name, "digits", file_digest(directory / "history.csv")))
    return directory / "history.csv"


@pytest.fixture
def histories(tmp_path):
    return [_trained(tmp_path / f"mlp_latent2_tanh_noise0_seed{seed}", seed) for seed in (0, 1)]


def test_a_history_as_written_is_read(histories):
    from study.artifacts import read_checked_history

    assert list(read_checked_history(histories[0])["val_loss"]) == [2.0, 1.0, 2.0 / 3]


@pytest.mark.parametrize("spoil", [
    lambda path, other: path.write_bytes(other.read_bytes()),  # another seed's
    lambda path, other: path.write_bytes(path.read_bytes()[:-20]),  # cut short
    lambda path, other: path.write_text(path.read_text().replace("2.0", "0.5")),  # edited
    lambda path, other: path.write_bytes(b"\x00\xff garbage"),
])
def test_a_history_not_the_model_s_is_refused_naming_it(histories, spoil):
    from study.artifacts import read_checked_history

    spoil(histories[0], histories[1])
    with pytest.raises(ValueError, match="seed0/history.csv: not the history written with the model beside it"):
        read_checked_history(histories[0])


def test_a_history_beside_an_older_or_missing_model_is_refused(histories):
    from diy import AutoEncoder, save
    from study.artifacts import read_checked_history

    save(AutoEncoder.build([4, 2], rng=0), histories[0].parent / "model.npz", {"representation": "x", "dataset": "digits"})
    with pytest.raises(ValueError, match="history.csv: the model beside it records no digest of its history"):
        read_checked_history(histories[0])
    (histories[0].parent / "model.npz").unlink()
    with pytest.raises(ValueError, match="history.csv: cannot be checked against the model beside it"):
        read_checked_history(histories[0])


def test_a_classifier_s_metrics_are_checked_against_its_model(tmp_path):
    from diy import AutoEncoder, save
    from study.artifacts import checked_beside_model, file_digest

    (tmp_path / "metrics.json").write_text('{"test_accuracy": 0.9}')
    save(AutoEncoder.build([4, 2], rng=0), tmp_path / "model.npz", {"metrics": file_digest(tmp_path / "metrics.json")})
    assert checked_beside_model(tmp_path / "metrics.json", "metrics", "metrics") == b'{"test_accuracy": 0.9}'
    (tmp_path / "metrics.json").write_text('{"test_accuracy": 0.99}')
    with pytest.raises(ValueError, match="metrics.json: not the metrics written with the model beside it"):
        checked_beside_model(tmp_path / "metrics.json", "metrics", "metrics")


def test_a_digest_leaves_out_the_wall_time_only(tmp_path):
    # So that a re-run, which trains the same numbers in another time, writes the same model.npz.
    from study.artifacts import timeless_digest

    history = b"epoch,train_loss,val_loss,seconds\n1,2.5,3.5,0.011\n2,1.5,2.5,0.012\n"
    assert timeless_digest(history.replace(b"0.011", b"9.9"), "history.csv") == timeless_digest(history, "history.csv")
    assert timeless_digest(history.replace(b"3.5", b"3.4"), "history.csv") != timeless_digest(history, "history.csv")
    metrics = b'{"test_accuracy": 0.9, "seconds": 1.25}'
    assert timeless_digest(metrics.replace(b"1.25", b"7"), "metrics.json") == timeless_digest(metrics, "metrics.json")
    assert timeless_digest(metrics.replace(b"0.9", b"0.8"), "metrics.json") != timeless_digest(metrics, "metrics.json")
