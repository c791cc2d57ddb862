"""Denoising: the errors of the noisy input, an autoencoder's output and PCA's projection."""
import numpy as np
import pytest

from diy.noise import corrupt
from study.analyses import ANALYSES, Source
from study.analyses.denoising import denoising_figure, noise_generator, run
from study.metrics import psnr, squared_error_per_image
from study.representations import reconstruct

KINDS = ("gaussian", "masking", "salt_and_pepper")
LEVELS = (0.0, 0.1, 0.3, 0.5)
SETTINGS = {"kinds": KINDS, "levels": LEVELS, "seed": 0, "n_examples": 3}


@pytest.fixture(scope="module")
def results(digits, make_source, ae_name):
    """``{name: (rows, arrays)}`` of the noisy input, the autoencoder and PCA, every kind and level."""
    analysis = ANALYSES["denoising"]
    return {name: run(digits, make_source(analysis, name), SETTINGS) for name in ("noisy", ae_name, "pca8")}


def test_one_row_per_kind_and_level(results, assert_jsonable):
    for rows, _ in results.values():
        assert [(r["test_noise_kind"], r["test_noise_level"]) for r in rows] == [
            (k, level) for k in KINDS for level in LEVELS]
        assert all(set(r) == {"test_noise_kind", "test_noise_level", "squared_error_per_image", "psnr"}
                   for r in rows)
        assert_jsonable(rows)


def test_rows_are_the_errors_of_the_output_against_the_clean_images(results, digits, make_source, ae_name):
    model = make_source(ANALYSES["denoising"], ae_name).model
    X = digits["X_test"]
    for kind in KINDS:
        noisy = corrupt(X, kind, 0.3, noise_generator(0, kind, 0.3))
        expected = {"noisy": noisy, ae_name: reconstruct(model, noisy)}
        for name, output in expected.items():
            row = next(r for r in results[name][0] if (r["test_noise_kind"], r["test_noise_level"]) == (kind, 0.3))
            assert row["squared_error_per_image"] == pytest.approx(squared_error_per_image(X, output))
            assert row["psnr"] == pytest.approx(psnr(X, output))


def test_noisy_error_grows_with_level_and_is_zero_without_noise(results):
    rows, _ = results["noisy"]
    for kind in KINDS:
        errors = [r["squared_error_per_image"] for r in rows if r["test_noise_kind"] == kind]
        assert errors[0] == 0.0 and all(a < b for a, b in zip(errors, errors[1:]))


def test_projection_denoises_strong_noise(results):
    def error(name):
        return {(r["test_noise_kind"], r["test_noise_level"]): r["squared_error_per_image"]
                for r in results[name][0]}

    for kind in KINDS:
        assert error("pca8")[kind, 0.5] < error("noisy")[kind, 0.5]


def test_arrays_layout(results, digits, ae_name):
    for name, (_, arrays) in results.items():
        np.testing.assert_array_equal(arrays["indices"], [0, 1, 2])
        np.testing.assert_array_equal(arrays["clean"], digits["X_test"][:3])
        np.testing.assert_array_equal(arrays["image_shape"], [8, 8])
        assert list(arrays["kinds"]) == list(KINDS) and list(arrays["levels"]) == list(LEVELS)
        for key in ("noisy", "output"):
            assert arrays[key].shape == (3, 4, 3, 64) and arrays[key].dtype == np.float32
        # Every representation sees the very same noisy images.
        np.testing.assert_array_equal(arrays["noisy"], results["noisy"][1]["noisy"])
    _, noisy = results["noisy"]
    np.testing.assert_array_equal(noisy["noisy"][:, 0], np.broadcast_to(noisy["clean"], (3, 3, 64)))
    np.testing.assert_array_equal(noisy["output"], noisy["noisy"])  # the baseline outputs its input
    assert not np.array_equal(results[ae_name][1]["output"], noisy["noisy"])


def test_the_noise_of_a_kind_and_level_does_not_depend_on_the_others(results, digits, make_source, ae_name):
    source = make_source(ANALYSES["denoising"], ae_name)
    rows, _ = run(digits, source, {**SETTINGS, "kinds": ["salt_and_pepper"], "levels": [0.3]})
    assert rows == [r for r in results[ae_name][0]
                    if (r["test_noise_kind"], r["test_noise_level"]) == ("salt_and_pepper", 0.3)]


def test_same_seed_same_numbers_other_seed_other_noise(digits):
    source = Source("noisy", "noisy")
    settings = {**SETTINGS, "kinds": ["gaussian"], "levels": [0.2]}
    (rows1, arrays1), (rows2, arrays2) = run(digits, source, settings), run(digits, source, settings)
    assert rows1 == rows2
    np.testing.assert_array_equal(arrays1["noisy"], arrays2["noisy"])
    assert not np.array_equal(arrays1["noisy"], run(digits, source, {**settings, "seed": 2})[1]["noisy"])
    assert noise_generator(0, "gaussian", 0.2).random() == noise_generator(0, "gaussian", 0.2).random()
    assert noise_generator(0, "gaussian", 0.2).random() != noise_generator(0, "masking", 0.2).random()


def test_figure_shows_noisy_input_best_autoencoder_best_plain_autoencoder_and_pca(fake_tables):
    clean = np.random.default_rng(0).random((6, 64))
    stack = np.broadcast_to(clean, (2, 2, 6, 64))
    arrays = {"indices": np.arange(6), "kinds": np.array(["gaussian", "masking"]), "levels": np.array([0.1, 0.5]),
              "clean": clean, "image_shape": np.array([8, 8]), "noisy": stack * 0.5, "output": stack * 0.9}
    fig = denoising_figure(fake_tables, "mnist", lambda name: arrays)
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::6]]
    # The middle test level (0.5 of [0.1, 0.5]) of each kind: noisy, best AE, best plain AE, PCA,
    # the autoencoders chosen on the validation PSNR (the fake tables favour ReLU there, tanh on
    # test), each with its PSNR over the test split at that noise, from the table.
    assert [label.split("\n")[0] for label in labels] == [
        "clean", "noisy: gaussian 0.5", "AE mlp_latent8_relu_noise0.5_seed0",
        "AE mlp_latent8_relu_noise0_seed0", "PCA 8", "noisy: masking 0.5",
        "AE mlp_latent8_relu_noise0.5_seed0", "AE mlp_latent8_relu_noise0_seed0", "PCA 8"]
    table = fake_tables["denoising"]
    for i, label in enumerate(labels[1:], start=1):
        name = {"noisy": "noisy", "AE": label.split()[1], "PCA": "pca8"}[label.split()[0].rstrip(":")]
        kind = "gaussian" if i < 5 else "masking"
        row = table[(table["dataset"] == "mnist") & (table["representation"] == name) & (table["split"] == "test")
                    & (table["test_noise_kind"] == kind) & (table["test_noise_level"] == 0.5)]
        assert label.split("\n")[1] == f"PSNR {float(row['psnr'].item()):.2f} dB"  # the PSNR's 2 decimals
