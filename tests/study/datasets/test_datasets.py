"""The datasets registry: every module of study/datasets declares one Dataset, with its config
section's schema and defaults."""
import importlib
import pkgutil
import re

import pytest

import study.datasets
from study.datasets import DATASETS, DOWNLOAD_KEYS, READ_SCHEMA, Dataset, build_settings


def test_every_dataset_module_is_registered_under_its_name():
    # A module of the package declares a dataset under its own name, or none (a helper: idx_dataset).
    for module in pkgutil.iter_modules(study.datasets.__path__):
        declared = getattr(importlib.import_module(f"study.datasets.{module.name}"), "DATASET", None)
        assert DATASETS.get(module.name) is declared, module.name
    assert "digits" in DATASETS and list(DATASETS) == sorted(DATASETS)
    for name, dataset in DATASETS.items():
        assert isinstance(dataset, Dataset) and dataset.name == name and callable(dataset.build)


def test_each_section_has_its_defaults_in_config_yaml(defaults):
    # Its own keys, and the keys every dataset has (READ_SCHEMA: binarize).
    for name, dataset in DATASETS.items():
        assert set(dataset.schema) | set(READ_SCHEMA) == set(defaults["data"][name]), name


def test_a_downloaded_dataset_declares_its_files_and_where_they_come_from(defaults):
    for name, dataset in DATASETS.items():
        for file, (sha256, size) in dataset.files.items():
            assert re.fullmatch(r"[0-9a-f]{64}", sha256) and isinstance(size, int) and size > 0, file
        if dataset.files:
            assert set(DOWNLOAD_KEYS) <= set(dataset.schema)
            assert defaults["data"][name]["mirrors"], name
    assert DATASETS["digits"].files == {}  # bundled with scikit-learn


def test_build_settings_leave_out_where_the_files_come_from_and_sort_the_keys():
    section = {"timeout": 3, "test_fraction": 0.2, "mirrors": ["x"], "retries": 1, "a": 1}
    assert build_settings(section) == {"a": 1, "test_fraction": 0.2}
    assert list(build_settings(section)) == ["a", "test_fraction"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_each_dataset_can_be_studied_with_the_defaults(schema, defaults, name):
    """config.yaml gives it a value in every per-dataset mapping (training.epochs, ..., the
    families' hidden sizes: docs/analyses.md lists them), and its split sizes pass the checks of
    the grid and the analyses' sections (study.config_checks)."""
    from study.config import validate_config

    config = validate_config({"datasets": [name]}, schema, defaults=defaults)
    assert config["datasets"] == [name] and set(config["data"][name]) == set(defaults["data"][name])
