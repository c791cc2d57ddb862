"""Denoising errors of the noisy input, the autoencoder and PCA."""
import json

import numpy as np
import pytest

from study.denoising import denoising

KINDS = ("gaussian", "masking", "salt_and_pepper")
LEVELS = (0.0, 0.1, 0.3, 0.5)


@pytest.fixture(scope="module")
def result(digits, autoencoder):
    model, _ = autoencoder
    return denoising(model, digits["X_test"], KINDS, LEVELS, digits["X_train"], n_components=8, seed=0,
                     example_indices=[0, 5, 7])


def test_one_row_per_kind_level_and_method(result, assert_jsonable):
    rows, _ = result
    assert len(rows) == len(KINDS) * len(LEVELS) * 3
    assert {(r["test_noise_kind"], r["test_noise_level"], r["method"]) for r in rows} == {
        (k, level, m) for k in KINDS for level in LEVELS for m in ("noisy", "autoencoder", "pca")}
    assert all(set(r) == {"test_noise_kind", "test_noise_level", "method", "squared_error_per_image", "psnr"}
               for r in rows)
    assert_jsonable(rows)
    json.dumps(rows)


def test_noisy_error_grows_with_level_and_is_zero_without_noise(result):
    rows, _ = result
    for kind in KINDS:
        errors = [r["squared_error_per_image"] for r in rows if r["test_noise_kind"] == kind and r["method"] == "noisy"]
        assert errors[0] == 0.0 and all(a < b for a, b in zip(errors, errors[1:]))


def test_projection_denoises_strong_noise(result):
    rows, _ = result
    error = {(r["test_noise_kind"], r["test_noise_level"], r["method"]): r["squared_error_per_image"] for r in rows}
    for kind in KINDS:
        assert error[kind, 0.5, "pca"] < error[kind, 0.5, "noisy"]


def test_examples_layout(result, digits):
    _, examples = result
    np.testing.assert_array_equal(examples["indices"], [0, 5, 7])
    np.testing.assert_array_equal(examples["clean"], digits["X_test"][[0, 5, 7]])
    assert list(examples["kinds"]) == list(KINDS) and list(examples["levels"]) == list(LEVELS)
    for method in ("noisy", "autoencoder", "pca"):
        assert examples[method].shape == (3, 4, 3, 64) and examples[method].dtype == np.float32
    np.testing.assert_array_equal(examples["noisy"][:, 0], np.broadcast_to(examples["clean"], (3, 3, 64)))


def test_the_noise_of_a_kind_and_level_does_not_depend_on_the_others(digits, autoencoder, result):
    model, _ = autoencoder
    rows, _ = denoising(model, digits["X_test"], ["salt_and_pepper"], [0.3], seed=0)
    alone = {r["method"]: r for r in rows}
    for r in result[0]:
        if r["test_noise_kind"] == "salt_and_pepper" and r["test_noise_level"] == 0.3 and r["method"] != "pca":
            assert alone[r["method"]] == r


def test_same_seed_same_numbers_other_seed_other_noise(digits, autoencoder):
    model, _ = autoencoder
    run = lambda seed: denoising(model, digits["X_test"], ["gaussian"], [0.2], digits["X_train"], 8, seed=seed)
    (rows1, examples1), (rows2, examples2) = run(1), run(1)
    assert rows1 == rows2
    np.testing.assert_array_equal(examples1["noisy"], examples2["noisy"])
    assert not np.array_equal(examples1["noisy"], run(2)[1]["noisy"])
