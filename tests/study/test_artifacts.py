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
