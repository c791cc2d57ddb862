"""Config validation: defaults, numbers written as strings, and each bad value named by key."""
import copy
import re

import pytest

from diy.noise import NOISE
from study.config import ConfigError, load_config, validate_config


def test_repository_config_is_valid_and_equals_the_schema_defaults(schema, repo_config):
    # The schema is the one source of defaults: a key left out of a --configfile, or a
    # whole section replaced, falls back to exactly what config.yaml says.
    assert validate_config(repo_config, schema) == validate_config({}, schema)
    assert validate_config(None, schema) == validate_config({}, schema)


def test_every_config_yaml_key_is_in_the_schema(schema, repo_config):
    for section, value in repo_config.items():
        assert section in schema["properties"]
        if isinstance(value, dict):
            assert set(value) <= set(schema["properties"][section]["properties"]), section


def test_defaults_fill_missing_keys_and_keep_given_ones(schema):
    config = validate_config({"grid": {"latent_dim": [3]}, "training": {"epochs": 2}}, schema)
    assert config["grid"]["latent_dim"] == [3]
    assert config["grid"]["activation"] == ["tanh", "relu", "sigmoid"]
    assert config["training"] == {"epochs": 2, "batch_size": 128, "lr": 0.001, "patience": 10,
                                  "dtype": "float32", "max_train_samples": None}
    assert config["architecture"]["mnist"] == {"hidden": [256, 64]}


def test_epochs_once_or_per_dataset(schema):
    assert validate_config({}, schema)["training"]["epochs"] == {"digits": 1000, "mnist": 50}
    assert validate_config({"training": {"epochs": "7"}}, schema)["training"]["epochs"] == 7
    config = validate_config({"classifiers": {"epochs": {"mnist": 3}}}, schema)
    assert config["classifiers"]["epochs"] == {"digits": 200, "mnist": 3}


def test_numbers_written_as_strings_become_numbers(schema):
    config = validate_config({
        "training": {"lr": "1e-3", "epochs": "1e2", "batch_size": 64.0},
        "grid": {"noise": ["0.25", 0], "latent_dim": ["16"]},
        "mnist": {"timeout": " 2.5 "},
    }, schema)
    assert config["training"]["lr"] == 0.001 and type(config["training"]["lr"]) is float
    assert config["training"]["epochs"] == 100 and type(config["training"]["epochs"]) is int
    assert type(config["training"]["batch_size"]) is int
    assert config["grid"]["noise"] == [0.25, 0] and config["grid"]["latent_dim"] == [16]
    assert config["mnist"]["timeout"] == 2.5


def test_input_is_not_modified(schema):
    config = {"training": {"lr": "1e-3"}}
    before = copy.deepcopy(config)
    validate_config(config, schema)
    assert config == before


def test_noise_type_choices_are_the_noise_functions(schema):
    assert schema["properties"]["noise_type"]["enum"] == list(NOISE)


@pytest.mark.parametrize("config, message", [
    ({"datasets": ["digits", "cifar"]}, "config: datasets[1] = 'cifar': must be one of digits, mnist"),
    ({"datasets": []}, "config: datasets = []: must not be empty"),
    ({"datasets": ["digits", "digits"]}, "config: datasets = ['digits', 'digits']: has duplicate entries"),
    ({"grid": {"activation": ["tanh", "gelu"]}},
     "config: grid.activation[1] = 'gelu': must be one of tanh, relu, sigmoid"),
    ({"grid": {"latent_dim": [8, 0]}}, "config: grid.latent_dim[1] = 0: must be >= 1"),
    ({"grid": {"latent_dim": [2.5]}}, "config: grid.latent_dim[0] = 2.5: must be an integer"),
    ({"grid": {"latent_dim": 16}}, "config: grid.latent_dim = 16: must be a list"),
    ({"grid": {"noise": [0.0, 0.25, 1.5]}}, "config: grid.noise[2] = 1.5: must be in [0, 1]"),
    ({"grid": {"noise": [-0.1]}}, "config: grid.noise[0] = -0.1: must be in [0, 1]"),
    ({"grid": {"noise": []}}, "config: grid.noise = []: must not be empty"),
    ({"grid": {"latent_dim": []}}, "config: grid.latent_dim = []: must not be empty"),
    ({"grid": {"activation": []}}, "config: grid.activation = []: must not be empty"),
    ({"grid": {"seed": []}}, "config: grid.seed = []: must not be empty"),
    ({"training": {"lr": "fast"}}, "config: training.lr = 'fast': must be a number"),
    ({"training": {"lr": "nan"}}, "config: training.lr = 'nan': must be a number"),
    ({"training": {"lr": True}}, "config: training.lr = True: must be a number"),
    ({"training": {"lr": 0}}, "config: training.lr = 0: must be > 0"),
    ({"training": {"epochs": "many"}}, "config: training.epochs = 'many': must be an integer"),
    ({"training": {"epochs": {"cifar": 3}}}, "config: training.epochs.cifar: unknown key"),
    ({"classifiers": {"epochs": {"mnist": 0}}}, "config: classifiers.epochs.mnist = 0: must be >= 1"),
    ({"training": {"max_train_samples": 0}}, "config: training.max_train_samples = 0: must be >= 1"),
    ({"architecture": {"latent_activation": "gelu"}},
     "config: architecture.latent_activation = 'gelu': must be one of linear, tanh, relu, sigmoid"),
    ({"training": {"dtype": "float16"}},
     "config: training.dtype = 'float16': must be one of float32, float64"),
    ({"noise_type": "poisson"},
     "config: noise_type = 'poisson': must be one of gaussian, masking, salt_and_pepper"),
    ({"splits": {"validation_fraction": 1}},
     "config: splits.validation_fraction = 1: must be in (0, 1)"),
    ({"classifiers": {"hidden": [[256], []]}}, "config: classifiers.hidden[1] = []: must not be empty"),
    ({"classifiers": {"hidden": [[256], [256]]}}, "config: classifiers.hidden = [[256], [256]]: has dup"),
    ({"classifiers": {"dropout": [1.0]}}, "config: classifiers.dropout[0] = 1.0: must be in [0, 1)"),
    ({"mnist": {"retries": -1}}, "config: mnist.retries = -1: must be >= 0"),
    ({"mnist": {"mirrors": "/data/mnist"}}, "config: mnist.mirrors = '/data/mnist': must be a list"),
    ({"gird": {}}, "config: gird: unknown key (allowed: datasets, grid, noise_type, training, "),
    ({"grid": {"latentdim": [2]}}, "config: grid.latentdim: unknown key (allowed: latent_dim, "),
    ({"architecture": {"cifar": {"hidden": [8]}}}, "config: architecture.cifar: unknown key"),
])
def test_bad_values_are_rejected_naming_the_key(schema, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config(config, schema)
    assert message in str(error.value)


def test_every_problem_is_reported_one_per_line(schema):
    with pytest.raises(ConfigError) as error:
        validate_config({"grid": {"noise": [2], "latent_dim": [0]}, "datasets": ["x"]}, schema)
    assert str(error.value).splitlines() == [
        "config: datasets[0] = 'x': must be one of digits, mnist",
        "config: grid.latent_dim[0] = 0: must be >= 1",
        "config: grid.noise[0] = 2: must be in [0, 1]",
    ]


def test_source_prefixes_messages(schema):
    with pytest.raises(ConfigError, match=r"^my.yaml: grid.seed\[0\] = -1"):
        validate_config({"grid": {"seed": [-1]}}, schema, source="my.yaml")


def test_load_config_reads_yaml_1e_minus_3_as_the_number(tmp_path, schema):
    path = tmp_path / "c.yaml"
    path.write_text("training:\n  lr: 1e-3\n")  # YAML 1.1 reads this as the string '1e-3'
    assert load_config(path, schema)["training"]["lr"] == 0.001
    path.write_text("grid:\n  noise: [0.5, 3]\n")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: grid.noise\[1\] = 3"):
        load_config(path, schema)
