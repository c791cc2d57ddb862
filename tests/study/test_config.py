"""Config validation: defaults from config.yaml, the registries' sections, numbers written as
strings, and each bad value named by its key."""
import copy
import math
import re
import subprocess
import sys
from dataclasses import replace

import pytest
import yaml

from diy.noise import NOISE
from study.analyses import ANALYSES
from study.config import ConfigError, load_config, main, merge, read_yaml, validate_config
from study.datasets import DATASETS, READ_SCHEMA
from study.families import FAMILIES
from study.settings import AE_TRAINING_KEYS

#: The registered datasets as the messages list them.
REGISTERED = ", ".join(DATASETS)


def test_repository_config_is_valid_and_is_the_defaults(schema, defaults):
    config = validate_config(defaults, schema)
    assert config == validate_config({}, schema, defaults=defaults)
    assert config == validate_config(None, schema, defaults=defaults)
    assert config["datasets"] == ["digits", "mnist"]
    # YAML 1.1 reads 1e-3 as a string: a number again, in a per-dataset mapping too.
    assert isinstance(defaults["training"]["lr"], dict) and set(defaults["training"]["lr"]) == set(DATASETS)
    assert config["training"]["lr"] == {name: float(lr) for name, lr in defaults["training"]["lr"].items()}
    assert all(type(lr) is float for lr in config["training"]["lr"].values())
    # Every registered family has its section (its defaults in config.yaml).
    assert set(config["families"]) == set(FAMILIES)


def _keys(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*path, key)
            yield from _keys(item, (*path, key))


def test_every_config_yaml_key_is_in_the_schema(schema, defaults):
    per_dataset = {"epochs", "lr", "hidden", "channels"}  # mappings whose keys are dataset names
    for path in _keys(defaults):
        if len(path) > 1 and path[-2] in per_dataset:
            assert path[-1] in DATASETS
            continue
        node = schema
        for key in path:
            node = node["properties"][key] if "properties" in node else node
        assert node, path


def test_the_schema_file_names_no_dataset_and_holds_no_default(repo_root):
    text = (repo_root / "workflow" / "schemas" / "config.schema.yaml").read_text()
    assert "digits" not in text.lower() and "mnist" not in text.lower()
    assert not re.search(r"^\s*default\s*:", text, re.MULTILINE)
    assert "default" not in {path[-1] for path in _keys(yaml.safe_load(text))}


def test_load_schema_adds_the_registries(schema):
    assert schema["$defs"]["dataset"]["enum"] == list(DATASETS)
    assert schema["properties"]["grid"]["properties"]["family"]["items"]["enum"] == list(FAMILIES)
    for key, registry in (("data", DATASETS), ("families", FAMILIES), ("analysis", ANALYSES)):
        sections = schema["properties"][key]["properties"]
        for name, entry in registry.items():
            # Every dataset's section also has the keys of how its file is read (binarize).
            own = {**entry.schema, **(READ_SCHEMA if key == "data" else {})}
            assert sections[name]["properties"] == own
            assert sections[name]["required"] == list(entry.schema)
            assert sections[name]["additionalProperties"] is False
    assert set(schema["properties"]["analysis"]["properties"]) == set(ANALYSES) | {"seed", "examples", "bootstrap"}


def test_merge_is_recursive_for_mappings_and_leaves_its_inputs_alone():
    base = {"a": {"b": 1, "c": [1, 2]}, "d": {"x": 1, "y": 2}, "e": 5}
    override = {"a": {"c": [3]}, "d": 7, "f": {"g": 1}}
    before = copy.deepcopy((base, override))
    merged = merge(base, override)
    assert merged == {"a": {"b": 1, "c": [3]}, "d": 7, "e": 5, "f": {"g": 1}}
    assert (base, override) == before
    merged["a"]["b"] = 2
    assert base["a"]["b"] == 1


def test_defaults_fill_missing_keys_and_keep_given_ones(schema, defaults):
    full = validate_config({}, schema, defaults=defaults)
    config = validate_config({"grid": {"latent_dim": [3]}, "training": {"epochs": 2}}, schema, defaults=defaults)
    assert config["grid"]["latent_dim"] == [3]
    assert config["grid"]["activation"] == ["tanh", "relu", "sigmoid"]
    assert full["training"]["epochs"] != 2 and config["training"] == {**full["training"], "epochs": 2}
    # Every setting the training reads (study.settings), and no other.
    assert set(config["training"]) == set(AE_TRAINING_KEYS)
    assert (config["training"]["schedule"], config["training"]["warmup_epochs"]) == ("cosine", 1)
    mlp = config["families"]["mlp"]
    assert set(mlp) == {"hidden", "latent_activation", "init"} and (mlp["latent_activation"], mlp["init"]) == (
        "linear", "default")
    assert (mlp["hidden"]["digits"], mlp["hidden"]["mnist"]) == ([48], [256, 64])
    assert config["analysis"]["kmeans"] == {"n_init": 100}
    assert config["analysis"]["bootstrap"] == {"resamples": 1000, "confidence": 0.95}
    assert config["grid"]["seed"] == [0, 1, 2]  # the issue-12 default: intervals over training seeds
    # A nested section is merged key by key: the other key keeps its default.
    config = validate_config({"analysis": {"bootstrap": {"resamples": 200}}, "training": {"lr": 0.01}},
                             schema, defaults=defaults)
    assert config["analysis"]["bootstrap"] == {"resamples": 200, "confidence": 0.95}
    assert config["training"]["lr"] == 0.01 and config["training"]["schedule"] == "cosine"
    assert config["data"]["digits"] == {"test_fraction": 0.2, "binarize": "none"}


def test_epochs_once_or_per_dataset(schema, defaults):
    epochs = validate_config({}, schema, defaults=defaults)["training"]["epochs"]
    assert epochs == defaults["training"]["epochs"] and set(epochs) == set(DATASETS)
    assert validate_config({"training": {"epochs": "7"}}, schema, defaults=defaults)["training"]["epochs"] == 7
    config = validate_config({"classifiers": {"epochs": {"mnist": 3}}}, schema, defaults=defaults)
    assert config["classifiers"]["epochs"] == {**defaults["classifiers"]["epochs"], "mnist": 3}
    assert config["classifiers"]["epochs"]["digits"] == 200


def test_numbers_written_as_strings_become_numbers(schema, defaults):
    config = validate_config({
        "training": {"lr": "1e-3", "epochs": "1e2", "batch_size": 64.0},
        "grid": {"noise": ["0.25", 0], "latent_dim": ["16"]},
        "data": {"mnist": {"timeout": " 2.5 "}},
        "analysis": {"tsne": {"perplexity": "20"}},
    }, schema, defaults=defaults)
    assert config["training"]["lr"] == 0.001 and type(config["training"]["lr"]) is float
    assert config["training"]["epochs"] == 100 and type(config["training"]["epochs"]) is int
    assert type(config["training"]["batch_size"]) is int
    assert config["grid"]["noise"] == [0.25, 0] and config["grid"]["latent_dim"] == [16]
    assert config["data"]["mnist"]["timeout"] == 2.5
    assert config["analysis"]["tsne"]["perplexity"] == 20


def test_neither_the_config_nor_the_defaults_are_modified(schema, defaults):
    config = {"training": {"lr": "1e-3"}, "grid": {"latent_dim": [3]}}
    before = copy.deepcopy((config, defaults))
    validate_config(config, schema, defaults=defaults)
    assert (config, defaults) == before


def test_choices_are_the_noise_functions_and_registries(schema):
    assert schema["$defs"]["noise_kind"]["enum"] == list(NOISE)


@pytest.mark.parametrize("config, message", [
    ({"datasets": ["digits", "cifar"]}, f"config: datasets[1] = 'cifar': must be one of {REGISTERED}"),
    ({"datasets": []}, "config: datasets = []: must not be empty"),
    ({"datasets": ["digits", "digits"]}, "config: datasets = ['digits', 'digits']: has duplicate entries"),
    ({"grid": {"family": ["cnn"]}}, f"config: grid.family[0] = 'cnn': must be one of {', '.join(FAMILIES)}"),
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
    ({"training": {"epochs": {"cifar": 3}}}, f"config: training.epochs = 'cifar': must be one of {REGISTERED}"),
    ({"classifiers": {"epochs": {"mnist": 0}}}, "config: classifiers.epochs.mnist = 0: must be >= 1"),
    ({"training": {"max_train_samples": 0}}, "config: training.max_train_samples = 0: must be >= 1"),
    ({"families": {"mlp": {"latent_activation": "gelu"}}},
     "config: families.mlp.latent_activation = 'gelu': must be one of linear, tanh, relu, sigmoid"),
    ({"families": {"mlp": {"hidden": {"digits": [8], "cifar": [3]}}}},
     f"config: families.mlp.hidden = 'cifar': must be one of {REGISTERED}"),
    ({"families": {"cnn": {}}}, f"config: families.cnn: unknown key (allowed: {', '.join(FAMILIES)})"),
    ({"training": {"schedule": "linear"}}, "config: training.schedule = 'linear': must be one of constant, cosine"),
    ({"training": {"loss": "l1"}}, "config: training.loss = 'l1': must be one of bce, mse"),
    ({"training": {"warmup_epochs": -1}}, "config: training.warmup_epochs = -1: must be >= 0"),
    ({"training": {"lr": {"digits": 0.1, "mnist": 0}}}, "config: training.lr.mnist = 0: must be > 0"),
    ({"analysis": {"bootstrap": {"resamples": 10}}}, "config: analysis.bootstrap.resamples = 10: must be >= 100"),
    ({"analysis": {"bootstrap": {"confidence": 1}}}, "config: analysis.bootstrap.confidence = 1: must be in (0, 1)"),
    ({"training": {"dtype": "float16"}},
     "config: training.dtype = 'float16': must be one of float32, float64"),
    ({"noise_type": "poisson"},
     "config: noise_type = 'poisson': must be one of gaussian, masking, salt_and_pepper"),
    ({"splits": {"validation_fraction": 1}}, "config: splits.validation_fraction = 1: must be in (0, 0.5]"),
    ({"classifiers": {"hidden": [[256], []]}}, "config: classifiers.hidden[1] = []: must not be empty"),
    ({"classifiers": {"dropout": [1.0]}}, "config: classifiers.dropout[0] = 1.0: must be in [0, 1)"),
    ({"data": {"digits": {"test_fraction": 1}}}, "config: data.digits.test_fraction = 1: must be in (0, 1)"),
    ({"data": {"mnist": {"retries": -1}}}, "config: data.mnist.retries = -1: must be >= 0"),
    ({"data": {"mnist": {"mirrors": "/data/mnist"}}}, "config: data.mnist.mirrors = '/data/mnist': must be a list"),
    ({"analysis": {"kmeans": {"n_int": 3}}}, "config: analysis.kmeans.n_int: unknown key (allowed: n_init)"),
    ({"analysis": {"inpainting": {"masks": ["circle"]}}},
     "config: analysis.inpainting.masks[0] = 'circle': must be one of lower_half, square"),
    ({"analysis": {"denoising": {"kinds": ["poisson"]}}},
     "config: analysis.denoising.kinds[0] = 'poisson': must be one of gaussian, masking, salt_and_pepper"),
    ({"extensions": ["my-module"]}, "config: extensions[0] = 'my-module': "),
    ({"gird": {}}, "config: gird: unknown key (allowed: datasets, analyses, results, extensions, grid, "),
    ({"grid": {"latentdim": [2]}}, "config: grid.latentdim: unknown key (allowed: family, latent_dim, "),
    ({"data": {"cifar": {}}}, f"config: data.cifar: unknown key (allowed: {REGISTERED})"),
])
def test_bad_values_are_rejected_naming_the_key(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config(config, schema, defaults=defaults)
    assert message in str(error.value)


@pytest.mark.parametrize("config, message", [
    ({"training": {"lr": math.nan}}, "config: training.lr = nan: must be a finite number"),
    ({"training": {"lr": math.inf}}, "config: training.lr = inf: must be a finite number"),
    ({"grid": {"noise": [0.25, math.nan]}}, "config: grid.noise[1] = nan: must be a finite number"),
    ({"analysis": {"tsne": {"perplexity": math.inf}}},
     "config: analysis.tsne.perplexity = inf: must be a finite number"),
])
def test_non_finite_numbers_are_rejected_naming_the_key(schema, defaults, config, message):
    # NaN passes every range check (each comparison is false), infinity every lower bound.
    with pytest.raises(ConfigError) as error:
        validate_config(config, schema, defaults=defaults)
    assert str(error.value) == message


def test_yaml_nan_and_infinity_are_rejected(tmp_path, schema, defaults):
    path = tmp_path / "c.yaml"
    path.write_text("training:\n  lr: .nan\n  batch_size: 64\nanalysis:\n  tsne:\n    perplexity: .inf\n")
    with pytest.raises(ConfigError) as error:
        load_config(path, schema, defaults=defaults)
    assert str(error.value).splitlines() == [f"{path}: training.lr = nan: must be a finite number",
                                             f"{path}: analysis.tsne.perplexity = inf: must be a finite number"]


def test_a_per_dataset_mapping_must_give_every_studied_dataset(schema, defaults):
    scalar = merge(defaults, {"training": {"epochs": 10}, "families": {"mlp": {"hidden": [16]}}})
    with pytest.raises(ConfigError) as error:
        validate_config({"training": {"epochs": {"digits": 3}}, "families": {"mlp": {"hidden": {"mnist": [8]}}}},
                        schema, defaults=scalar)
    assert str(error.value).splitlines() == [
        "config: training.epochs: no value for dataset mnist (give one value for every dataset, or one per "
        "dataset studied)",
        "config: families.mlp.hidden: no value for dataset digits (give one value for every dataset, or one "
        "per dataset studied)"]
    # A dataset that is not studied needs no value.
    config = validate_config({"datasets": ["digits"], "training": {"epochs": {"digits": 3}}}, schema, defaults=scalar)
    assert config["training"]["epochs"] == {"digits": 3}


def test_every_problem_is_reported_one_per_line(schema, defaults):
    with pytest.raises(ConfigError) as error:
        validate_config({"grid": {"noise": [2], "latent_dim": [0]}, "datasets": ["x"]}, schema, defaults=defaults)
    assert str(error.value).splitlines() == [
        f"config: datasets[0] = 'x': must be one of {REGISTERED}",
        "config: grid.latent_dim[0] = 0: must be >= 1",
        "config: grid.noise[0] = 2: must be in [0, 1]",
    ]


def test_source_prefixes_messages(schema, defaults):
    with pytest.raises(ConfigError, match=r"^my.yaml: grid.seed\[0\] = -1"):
        validate_config({"grid": {"seed": [-1]}}, schema, source="my.yaml", defaults=defaults)


def test_an_analysis_checks_its_section_against_each_studied_dataset(schema, defaults, monkeypatch):
    # k-means declaring a check: it is given its section, the dataset's split sizes and classes.
    def check(section, dataset, sizes, n_classes):
        return [f"analysis.kmeans.n_init = {section['n_init']}: too many for {dataset} "
                f"({sizes['train']}, {sizes['val']}, {sizes['test']} images of {n_classes} classes)"]

    monkeypatch.setitem(ANALYSES, "kmeans", replace(ANALYSES["kmeans"], check=check))
    with pytest.raises(ConfigError) as error:
        validate_config({"datasets": ["digits"]}, schema, defaults=defaults)
    assert str(error.value) == ("config: analysis.kmeans.n_init = 100: too many for digits (1294, 144, 359 images "
                                "of 10 classes)")


@pytest.mark.parametrize("config, message", [
    ({"analysis": {"tsne": {"knn_k": 359}}}, "config: analysis.tsne.knn_k = 359: must be below the t-SNE subset of digits (144 val images)"),
    ({"analysis": {"classification": {"knn_k": 1295}}},
     "config: analysis.classification.knn_k = 1295: above the 1294 training images of digits"),
    # A section is checked whether or not its analysis runs: the probe's k-NN is classification's.
    ({"analyses": ["probe"], "analysis": {"classification": {"knn_k": 1295}}},
     "config: analysis.classification.knn_k = 1295: above the 1294 training images of digits"),
])
def test_the_analyses_checks_name_their_key(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config({**config, "datasets": ["digits"]}, schema, defaults=defaults)
    assert str(error.value) == message


@pytest.mark.parametrize("config, message", [
    ({"questions": {"metrics": ["kmeans_acc"]}},
     "config: questions.metrics[0] = 'kmeans_acc': no analysis declares this metric (known: "),
    ({"questions": {"noise": ["denoising_snr"]}},
     "config: questions.noise[0] = 'denoising_snr': no analysis declares this metric (known: "),
    ({"questions": {"margins": {"kmeans_accuracy": 0.01, "knn_acc": 0.01}}},
     "config: questions.margins.knn_acc: no analysis declares this metric (known: "),
    ({"confirm": {"first_seed": 2}},
     "config: confirm.first_seed = 2: the confirmation's seeds must be fresh, above every grid.seed (the "
     "largest: 2)"),
    ({"grid": {"seed": [0, 150]}},
     "config: confirm.first_seed = 100: the confirmation's seeds must be fresh, above every grid.seed (the "
     "largest: 150)"),
])
def test_the_primary_questions_are_checked_naming_their_key(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config({**config, "datasets": ["digits"]}, schema, defaults=defaults)
    assert str(error.value).splitlines()[0].startswith(message)
    assert len(str(error.value).splitlines()) == 1


def test_a_study_of_fewer_analyses_asks_the_questions_of_those_it_runs(schema, defaults):
    # The README's `--config 'analyses=[kmeans,manifold]'`: the default questions stay, and the
    # plan asks only those of k-means (study.confirmation.questions).
    config = validate_config({"analyses": ["kmeans", "manifold"]}, schema, defaults=defaults)
    assert "knn_accuracy" in config["questions"]["metrics"]


def test_the_default_questions_are_valid(schema, defaults):
    config = validate_config({"confirm": {"first_seed": 3}, "questions": {"margins": {"reconstruction_error": 0.1}}},
                             schema, defaults=defaults)
    assert config["confirm"]["first_seed"] == 3 and config["questions"]["margins"] == {"reconstruction_error": 0.1}
    assert config["questions"]["metrics"] == ["reconstruction_error", "kmeans_accuracy", "knn_accuracy",
                                              "probe_linear_10", "retrieval_map"]


def test_load_config_reads_yaml_1e_minus_3_as_the_number(tmp_path, schema, defaults):
    path = tmp_path / "c.yaml"
    path.write_text("training:\n  lr: 1e-3\n")  # YAML 1.1 reads this as the string '1e-3'
    assert load_config(path, schema, defaults=defaults)["training"]["lr"] == 0.001
    path.write_text("grid:\n  noise: [0.5, 3]\n")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}: grid.noise\[1\] = 3"):
        load_config(path, schema, defaults=defaults)


def test_a_yaml_syntax_error_names_the_file_and_line(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text("datasets: [digits]\ngrid:\n  latent_dim: [2, 8\n  seed: [0]\n")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(path))}, line [34], column \d+: not valid YAML"):
        read_yaml(path)
    with pytest.raises(ConfigError, match=re.escape(str(path))):
        load_config(path, {})


def test_a_defaults_file_missing_a_section_is_rejected(schema, defaults):
    incomplete = {key: value for key, value in defaults.items() if key != "noise_type"}
    with pytest.raises(ConfigError, match="noise_type"):
        validate_config({}, schema, defaults=incomplete)


def test_a_missing_or_unreadable_file_is_a_config_error_naming_it(tmp_path):
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(tmp_path / 'nope.yaml'))}: no such file$"):
        read_yaml(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=rf"^{re.escape(str(tmp_path))}: cannot be read \(Is a directory\)$"):
        read_yaml(tmp_path)


def test_the_command_line_has_a_usage_and_names_what_is_wrong(tmp_path, capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("usage: python -m study.config [-h] [STUDY.yaml ...]")
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("datasets: [digits]\n")
    bad.write_text("grid:\n  noise: [2]\n")
    assert main([str(good)]) == 0
    assert capsys.readouterr().out == f"{good}: valid\n"
    # Every file is checked, each problem named; one bad file fails the whole.
    assert main([str(good), str(tmp_path / "missing.yaml"), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == f"{good}: valid\n"
    assert captured.err == f"{tmp_path / 'missing.yaml'}: no such file\n{bad}: grid.noise[0] = 2: must be in [0, 1]\n"


def test_python_m_study_config_runs(repo_root):
    done = subprocess.run([sys.executable, "-m", "study.config", "--help"], cwd=repo_root, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0 and "usage: python -m study.config" in done.stdout, done.stderr
    done = subprocess.run([sys.executable, "-m", "study.config", "no-such-study.yaml"], cwd=repo_root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr == "no-such-study.yaml: no such file\n"


@pytest.fixture(scope="module")
def studies(repo_root):
    from study.config import study_results

    return study_results(repo_root)


@pytest.mark.parametrize("results, study, message", [
    ("../escaped_results", "config.yaml", "outside the working directory"),
    ("results/../../escaped", "config.yaml", "outside the working directory"),
    # The quick study writing into the default study's directory, however it is spelt.
    ("results/quick/..", "workflow/configs/quick.yaml", "write it as 'results'"),
    ("results", "workflow/configs/quick.yaml", "the results directory of the default study"),
    ("results/quick", "config.yaml", "the results directory of the study of workflow/configs/quick.yaml"),
    ("results/quick/x", "config.yaml", "inside results/quick/, the results of the study of workflow/configs/quick.yaml"),
    (".", "config.yaml", "holds other studies' results, results/clustering/"),
    ("results/objectives", "workflow/configs/quick.yaml", "the results directory of the study of workflow/configs/objectives.yaml"),
])
def test_a_results_directory_of_another_study_or_outside_is_refused(schema, defaults, studies, results, study, message):
    with pytest.raises(ConfigError) as error:
        validate_config({"results": results}, schema, defaults=defaults, studies=studies, study=study)
    assert f"config: results = {results!r}: {message}" in str(error.value)


def test_each_study_keeps_its_own_results_directory(schema, defaults, studies):
    for directory, study in studies.items():
        validate_config({"results": directory}, schema, defaults=defaults, studies=studies, study=study)
    # The default study's results/ holds the others by design; a directory of one's own in it passes.
    validate_config({"results": "results/mine"}, schema, defaults=defaults, studies=studies)
    validate_config({"results": "results/mine"}, schema, defaults=defaults, studies=studies,
                    study="workflow/configs/quick.yaml")


@pytest.mark.parametrize("sparsity, message", [
    ([0.1], "grid.sparsity = 0.1: must be a whole number of units below the latent size 2"),  # the default
    ([2.5], "grid.sparsity = 2.5: must be a whole number"),
    ([32], "grid.sparsity = 32: must be a whole number of units below the latent size 32"),
])
def test_a_k_sparse_k_the_family_cannot_keep_is_refused_naming_the_key(schema, defaults, sparsity, message):
    config = {"grid": {"family": ["sparse"], "sparsity": sparsity}, "families": {"sparse": {"penalty": "k_sparse"}}}
    with pytest.raises(ConfigError, match=re.escape(message)):
        validate_config(config, schema, defaults=defaults)
    config["grid"]["sparsity"] = [1]
    validate_config(config, schema, defaults=defaults)


def test_a_number_too_long_for_a_directory_name_is_refused_naming_the_key(schema, defaults):
    with pytest.raises(ConfigError, match=r"grid.beta\[1\] = 1e\+300: would be written in a variant's directory name "
                                          r"with 301 characters"):
        validate_config({"grid": {"family": ["vae"], "beta": [1.0, 1.0e+300]}}, schema, defaults=defaults)
    validate_config({"grid": {"family": ["vae"], "beta": [1.0e-6, 1.0e+6]}}, schema, defaults=defaults)


def test_an_analysis_that_would_not_fit_in_memory_is_refused_with_the_size(schema, defaults, monkeypatch):
    import study.config_checks

    # 200 pairs x 100,000,000 steps x 64 pixels of digits x 12 bytes: 14305.1 GiB.
    with pytest.raises(ConfigError, match=r"analysis.interpolation.steps = 100000000: would need 14305.1 GiB of "
                                          r"arrays, more than this machine's [0-9.]+ GiB of memory"):
        validate_config({"datasets": ["digits"], "analysis": {"interpolation": {"steps": 100000000}}},
                        schema, defaults=defaults)
    monkeypatch.setattr(study.config_checks, "machine_bytes", lambda: 2 ** 30)
    config = {"datasets": ["digits"], "analysis": {"interpolation": {"pairs": 100, "steps": 2 ** 20 // 12}}}
    with pytest.raises(ConfigError, match=r"would need 6\.[0-9] GiB of arrays, more than this machine's 1.0 GiB"):
        validate_config(config, schema, defaults=defaults)
    config["analysis"]["interpolation"]["steps"] = 1000
    validate_config(config, schema, defaults=defaults)


def test_a_manifold_embedding_wider_than_the_test_split_is_refused(schema, defaults):
    with pytest.raises(ConfigError, match=r"analysis.manifold.n_components = 400: 400 dimensions, must be below "
                                          r"the 144 val images of digits less one"):
        validate_config({"datasets": ["digits"], "analysis": {"manifold": {"n_components": 400}}},
                        schema, defaults=defaults)


@pytest.mark.parametrize("config, message", [
    # The float32 Student's t kernel: NaN below (1 / alpha overflows), flat above (every image one cluster).
    ({"dec": {"alpha": 1e-300}}, "analysis.dec.alpha = 1e-300: must be in [0.001, 1000]"),
    ({"dec": {"alpha": 1e10}}, "analysis.dec.alpha = 10000000000.0: must be in [0.001, 1000]"),
    ({"idec": {"gamma": 1e300}}, "analysis.idec.gamma = 1e+300: must be in [1e-06, 1000000.0]"),
    # The update interval's batches are listed at once, a record kept per refresh.
    ({"dec": {"update_interval": 10 ** 10, "max_iter": 10 ** 10}},
     "analysis.dec.update_interval = 10000000000: would need 20265.6 GiB of arrays"),
    ({"idec": {"update_interval": 1, "max_iter": 10 ** 12}}, "analysis.idec.max_iter = 1000000000000: would need "),
    # umap-learn refuses a min_dist above its spread; the validation split (144 images) is the smaller.
    ({"manifold": {"min_dist": 5}}, "analysis.manifold.min_dist = 5: must be in [0, 1]"),
    ({"manifold": {"n_components": 300}}, "analysis.manifold.n_components = 300: 300 dimensions, must be below the 144 "
                                          "val images of digits less one"),
    ({"manifold": {"n_neighbors": 1000}}, "analysis.manifold.n_neighbors = 1000: must be below the 144 val images"),
    ({"tsne": {"perplexity": 150}}, "analysis.tsne.perplexity = 150: must be below the t-SNE subset of digits (144 val "
                                    "images)"),
    ({"tsne": {"perplexity": 1e-5}}, "analysis.tsne.perplexity = 1e-05: must be at least 1/3"),
    ({"tsne": {"n_neighbors": 100}}, "analysis.tsne.n_neighbors = 100: must be below half the t-SNE subset"),
    ({"probe": {"draws": 10 ** 10}}, "analysis.probe.draws = 10000000000: would need "),
    ({"interpolation": {"pairs": 10 ** 9}}, "analysis.interpolation.pairs = 1000000000: would need "),
])
def test_an_analysis_setting_that_would_fail_only_in_its_job_is_refused_naming_it(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config({"datasets": ["digits"], "analysis": config}, schema, defaults=defaults)
    assert str(error.value).startswith(f"config: {message}")


@pytest.mark.parametrize("config, message", [
    ({"families": {"mlp": {"hidden": [10 ** 9]}}}, "families.mlp.hidden = [1000000000]: would need "),
    ({"classifiers": {"hidden": [[256], [10 ** 9]]}}, "classifiers.hidden[1] = [1000000000]: would need "),
    ({"analysis": {"classification": {"mlp": {"hidden": [10 ** 9]}}}},
     "analysis.classification.mlp.hidden = [1000000000]: would need "),
    ({"grid": {"family": ["conv"]}, "families": {"conv": {"channels": [10 ** 7]}}},
     "families.conv.channels = [10000000]: would need "),
    # An even kernel shrinks a side by more than the stride: 8 -> 4 -> 2 -> 1 -> 0.
    ({"grid": {"family": ["conv"]}, "families": {"conv": {"kernel": 10, "channels": [4, 4, 4, 4]}}},
     "families.conv.kernel = 10: 4 Conv2D of kernel 10 and stride 2 leave nothing of a 8x8 image of digits"),
])
def test_a_network_that_cannot_be_built_or_held_is_refused_naming_its_key(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config({"datasets": ["digits"], **config}, schema, defaults=defaults)
    assert str(error.value).startswith(f"config: {message}")


@pytest.mark.parametrize("config, message", [
    # A plan never gives fewer than 3 seeds: at most 2, every question would be planned none.
    ({"confirm": {"max_seeds": 2}}, "confirm.max_seeds = 2: must be in [3, 1000]"),
    ({"questions": {"margins": {"tsne_knn_accuracy": 0.01}}},
     "questions.margins.tsne_knn_accuracy: no primary question is asked on this metric"),
    ({"questions": {"margins": {"kmeans_accuracy": 2}}},
     "questions.margins.kmeans_accuracy = 2: as wide as the metric's whole range [0, 1]"),
    ({"questions": {"versus": "objectives"}, "grid": {"noise": [0.0]}},
     "questions.versus = 'objectives': the grid trains one objective (mlp noise0), nothing to compare it with"),
    ({"questions": {"versus": "objectives"}, "grid": {"noise": [0.25, 0.0]}},
     "questions.versus = 'objectives': each objective is compared with the grid's first, mlp noise0.25, which is "
     "no plain autoencoder"),
    ({"questions": {"versus": "objectives"}, "grid": {"family": ["vae", "mlp"]}},
     "questions.versus = 'objectives': each objective is compared with the grid's first, vae beta1"),
])
def test_a_question_the_grid_cannot_pose_or_a_setting_it_would_not_read_is_refused(schema, defaults, config, message):
    with pytest.raises(ConfigError) as error:
        validate_config(config, schema, defaults=defaults)
    assert str(error.value).startswith(f"config: {message}")


def test_questions_the_grid_can_pose_pass(schema, defaults):
    validate_config({"questions": {"versus": "objectives", "margins": {"kmeans_accuracy": 0.03}}}, schema,
                    defaults=defaults)
    # A grid of one noise level asks no noise question, as a study asks none of an analysis it does not run.
    validate_config({"grid": {"noise": [0.0]}, "questions": {"metrics": ["dec_accuracy"]}}, schema, defaults=defaults)
