"""Per-dataset training settings (study.settings)."""
import pytest

from study.settings import AE_TRAINING_KEYS, LEGACY_DEFAULTS, dataset_settings, family_params, training_params


def test_a_value_per_dataset_or_one_for_all():
    section = {"epochs": {"digits": 500, "mnist": 50}, "lr": {"digits": 0.001, "mnist": 0.006}, "batch_size": 128,
               "schedule": "cosine", "warmup_epochs": 1, "patience": 10, "dtype": "float32",
               "max_train_samples": None, "loss": "bce", "optimizer": "adam", "momentum": 0.9, "other": 1}
    assert dataset_settings(section, "mnist", AE_TRAINING_KEYS) == {
        "batch_size": 128, "dtype": "float32", "epochs": 50, "loss": "bce", "lr": 0.006,
        "max_train_samples": None, "momentum": 0.9, "optimizer": "adam", "patience": 10,
        "schedule": "cosine", "warmup_epochs": 1,
    }
    assert dataset_settings(section, "digits", AE_TRAINING_KEYS)["lr"] == 0.001
    assert dataset_settings(section, "digits", ["epochs"]) == {"epochs": 500}
    assert dataset_settings({**section, "epochs": 7}, "digits", ["epochs"]) == {"epochs": 7}


def test_a_training_job_s_params_leave_out_the_legacy_defaults_only():
    # Models trained before `loss`, `optimizer` and `momentum` existed were trained on bce by
    # Adam with beta1 0.9: their params stay the same.
    section = {"epochs": 5, "lr": 0.001, "batch_size": 128, "schedule": "cosine", "warmup_epochs": 1,
               "patience": 10, "dtype": "float32", "max_train_samples": None, "loss": "bce",
               "optimizer": "adam", "momentum": 0.9}
    legacy = training_params(section, "digits")
    assert legacy == dataset_settings(section, "digits", sorted(set(AE_TRAINING_KEYS) - set(LEGACY_DEFAULTS)))
    changed = {"loss": "mse", "optimizer": "sgd", "momentum": 0.5}
    for key, value in changed.items():
        assert training_params({**section, key: value}, "digits") == {**legacy, key: value}
    assert training_params({**section, **changed}, "digits") == {**legacy, **changed}


def test_a_family_s_params_leave_out_the_default_init_only():
    section = {"hidden": {"digits": [48], "mnist": [256, 64]}, "latent_activation": "linear", "init": "default"}
    assert family_params(section, "mnist") == {"hidden": [256, 64], "latent_activation": "linear"}
    assert family_params({**section, "init": "fan_in_uniform"}, "mnist")["init"] == "fan_in_uniform"
    assert family_params({"channels": [8], "kernel": 3}, "digits") == {"channels": [8], "kernel": 3}


def test_keys_are_sorted_whatever_the_order_given():
    a = dataset_settings({"lr": 1, "epochs": 2}, "digits", ["lr", "epochs"])
    b = dataset_settings({"epochs": 2, "lr": 1}, "digits", ["epochs", "lr"])
    assert repr(a) == repr(b) == "{'epochs': 2, 'lr': 1}"


def test_every_key_of_the_section_by_default():
    section = {"hidden": {"digits": [48], "mnist": [256, 64]}, "latent_activation": "linear"}
    assert dataset_settings(section, "mnist") == {"hidden": [256, 64], "latent_activation": "linear"}
    assert list(dataset_settings({"b": 1, "a": 2}, "digits")) == ["a", "b"]


def test_missing_dataset_is_a_key_error():
    # (study.config rejects such a config before any job: test_config.py)
    with pytest.raises(KeyError, match="mnist"):
        dataset_settings({"epochs": {"digits": 3}}, "mnist", ["epochs"])


def test_resources_grow_with_the_dataset_and_the_epochs():
    from study.settings import memory_mb, runtime_minutes

    assert runtime_minutes(50, 220) == 5 + int(50 * 220 * 0.1 / 60)  # MNIST: 23 minutes
    assert runtime_minutes(500, 0.5) == 5
    # Above the measured peak of the default study's largest job (885 MB, MNIST's raw-pixel
    # classifiers), with a little headroom.
    assert memory_mb(220) == 1160 and memory_mb(0.5) == 501
    assert memory_mb(220) > 885


def test_the_trainers_do_not_import_the_config_validator():
    """study.settings holds per_dataset, its one user, and imports no other module of the study,
    so the trainer, which reads LEGACY_DEFAULTS from it, does not reach study.config (jsonschema,
    the registries' schemas) through it."""
    from test_import_cycles import imports, module_names

    known = module_names()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    assert graph["study.settings"] == set()
    for trainer in ("study.train_autoencoder", "study.train_classifier"):
        reached, todo = set(), [trainer]
        while todo:
            for module in graph[todo.pop()] - reached:
                reached.add(module)
                todo.append(module)
        assert "study.config" not in reached, trainer
