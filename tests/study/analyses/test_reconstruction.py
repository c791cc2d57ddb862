"""Reconstruction: the metrics of a representation's model on the validation and test images,
and its figure."""
import numpy as np
import pytest

from study.analyses import ANALYSES, Source
from study.analyses.reconstruction import (figure_representatives, examples, reconstruction_metrics,
                                           reconstructions_figure, run)
from study.pca import pca_representation
from study.representations import reconstruct

KEYS = {"bce", "mse", "squared_error_per_image", "psnr"}


def _independent(X, X_hat):
    """The four metrics computed here, in float64."""
    X, X_hat = X.astype(np.float64), X_hat.astype(np.float64)
    clipped = np.clip(X_hat, 1e-7, 1 - 1e-7)
    mse = np.mean((X - X_hat) ** 2)
    return {"bce": -np.mean(np.sum(X * np.log(clipped) + (1 - X) * np.log(1 - clipped), axis=1)),
            "mse": mse, "squared_error_per_image": np.mean(np.sum((X - X_hat) ** 2, axis=1)),
            "psnr": 10 * np.log10(1 / mse) if mse else np.inf}


@pytest.mark.parametrize("representation", ["mlp_latent8_tanh_noise0_seed0", "pca8"])
def test_rows_equal_an_independent_computation(run_analysis, make_source, digits, representation):
    rows, _ = run_analysis("reconstruction", representation)
    assert [row["split"] for row in rows] == ["val", "test"]
    model = make_source(ANALYSES["reconstruction"], representation).model
    for row in rows:
        split = row["split"]
        X = digits[f"X_{split}"]
        metrics = {key: value for key, value in row.items() if key != "split"}
        assert set(metrics) == KEYS
        assert metrics == pytest.approx(_independent(X, reconstruct(model, X)), rel=1e-6)
        assert row["psnr"] == pytest.approx(10 * np.log10(1 / row["mse"]))
        assert row["squared_error_per_image"] == pytest.approx(64 * row["mse"])
        assert 0 < row["mse"] < 0.1 and row["bce"] > 0


def test_arrays_are_the_first_test_images_and_their_reconstructions(run_analysis, make_source, digits,
                                                                     small_config, ae_name):
    _, arrays = run_analysis("reconstruction", ae_name)
    n = small_config["analysis"]["examples"]
    assert set(arrays) == {"indices", "image_shape", "clean", "reconstruction", "worst_indices", "worst_error",
                           "worst_clean", "worst_reconstruction"}
    np.testing.assert_array_equal(arrays["indices"], np.arange(n))
    np.testing.assert_array_equal(arrays["image_shape"], [8, 8])
    np.testing.assert_array_equal(arrays["clean"], digits["X_test"][:n])
    model = make_source(ANALYSES["reconstruction"], ae_name).model
    # (a batch of n rounds differently from the whole test split in the last float32 bits)
    np.testing.assert_allclose(arrays["reconstruction"], reconstruct(model, digits["X_test"])[:n], atol=1e-6)
    assert arrays["reconstruction"].dtype == np.float32
    np.testing.assert_array_equal(examples(digits, 10**6), np.arange(len(digits["y_test"])))


def test_identical_images_have_no_error_and_infinite_psnr(digits):
    row = reconstruction_metrics(digits["X_test"], digits["X_test"])
    assert set(row) == KEYS and row["mse"] == 0.0 and row["psnr"] == float("inf")
    assert row["bce"] == pytest.approx(_independent(digits["X_test"], digits["X_test"])["bce"])


def test_pca_error_falls_with_its_size(digits):
    errors = []
    for k in (2, 8, 32, 64):
        model, _ = pca_representation(digits, k, seed=0)
        rows, _ = run(digits, Source(f"pca{k}", "pca", k, model=model), {"n_examples": 2, "n_worst": 2})
        errors.append(rows[0]["squared_error_per_image"])
    assert errors == sorted(errors, reverse=True)
    assert errors[-1] == pytest.approx(0.0, abs=1e-6)


def test_same_inputs_same_numbers(digits, make_source, ae_name):
    source = make_source(ANALYSES["reconstruction"], ae_name)
    assert run(digits, source, {"n_examples": 2, "n_worst": 2})[0] == run(digits, source, {"n_examples": 2, "n_worst": 2})[0]


def test_figure_shows_the_autoencoder_chosen_on_validation_beside_pca(fake_tables):
    arrays = {"indices": np.arange(6), "image_shape": np.array([8, 8]),
              "clean": np.random.default_rng(0).random((6, 64)), "reconstruction": np.full((6, 64), 0.5)}
    fig = reconstructions_figure(fake_tables, "digits", lambda name: arrays)
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::6]]
    # The fake tables' test error favours tanh (lowest: latent8_tanh, 1.25), their validation loss
    # ReLU: the figure shows the ReLU variants, with their own test errors.
    assert labels == ["original", "AE mlp_latent2_relu_noise0_seed0\nerror 5.1", "PCA 2\nerror 8",
                      "AE mlp_latent8_relu_noise0_seed0\nerror 1.35", "PCA 8\nerror 2"]


def test_the_representatives_are_chosen_on_the_validation_split_s_bce(fake_tables):
    # The fake tables' validation BCE favours ReLU, their test BCE tanh.
    assert figure_representatives(fake_tables, "digits") == {2: "mlp_latent2_relu_noise0_seed0",
                                                           8: "mlp_latent8_relu_noise0_seed0"}
    table = fake_tables["reconstruction"]
    swapped = table.assign(split=table["split"].map({"val": "test", "test": "val"}))
    assert figure_representatives({"reconstruction": swapped}, "digits") == {2: "mlp_latent2_tanh_noise0_seed0",
                                                                           8: "mlp_latent8_tanh_noise0_seed0"}


def test_a_vae_row_adds_its_elbo_and_importance_sampled_log_likelihood(digits):
    from diy.bce_with_logits_loss import BCEWithLogitsLoss
    from diy.likelihood import vae_log_likelihood
    from diy.optim import Adam
    from diy.sigmoid import Sigmoid
    from diy.train import fit
    from diy.vae import build_vae
    from study.analyses.reconstruction import LIKELIHOOD_SAMPLES

    model = build_vae([64, 16, 4], "tanh", rng=0)
    fit(model, BCEWithLogitsLoss(), Adam(model, lr=1e-2), digits["X_train"], epochs=5, rng=0)
    model.decoder.append(Sigmoid())  # as training leaves a study model
    source = Source("vae_latent4_tanh_beta1_seed0", "autoencoder", 4)
    source.model = model
    rows, _ = run(digits, source, {"n_examples": 2, "n_worst": 2})
    row = rows[0]
    assert row["likelihood_samples"] == LIKELIHOOD_SAMPLES >= 200
    expected = vae_log_likelihood(model, digits["X_test"], samples=LIKELIHOOD_SAMPLES, rng=0)
    assert row["elbo"] == pytest.approx(expected["elbo"].mean())
    assert row["log_likelihood"] == pytest.approx(expected["log_likelihood"].mean())
    # 200 importance samples tighten the bound by far more than their noise (nats per image).
    assert row["elbo"] < row["log_likelihood"] < 0
    # A model without a GaussianSample (PCA's projection) has none.
    rows, _ = run(digits, Source("pca4", "pca", 4, model=pca_representation(digits, 4, seed=0)[0]), {"n_examples": 2, "n_worst": 2})
    assert "log_likelihood" not in rows[0]


def test_the_worst_reconstructions_are_the_images_of_largest_error(run_analysis, make_source, digits, ae_name):
    from study.analyses import ANALYSES
    from study.representations import reconstruct

    _, arrays = run_analysis("reconstruction", ae_name)
    X_hat = reconstruct(make_source(ANALYSES["reconstruction"], ae_name).model, digits["X_test"])
    errors = ((digits["X_test"].astype(np.float64) - X_hat) ** 2).sum(axis=1)
    m = len(arrays["worst_indices"])
    assert m == len(arrays["indices"]) and np.all(np.diff(arrays["worst_error"]) <= 0)
    assert set(arrays["worst_indices"]) == set(np.argsort(-errors)[:m])
    assert arrays["worst_error"] == pytest.approx(errors[arrays["worst_indices"]])
    assert arrays["worst_error"][-1] >= np.sort(errors)[-m]
    assert np.array_equal(arrays["worst_clean"], digits["X_test"][arrays["worst_indices"]])
