"""Interpolation: decoded straight lines between the codes of test pairs of different labels, the
pixel blend beside them, the code plane of a 2-dimensional code and a VAE's prior samples."""
import numpy as np
import pandas as pd
import pytest

import diy
from study.analyses import ANALYSES, Source
from study.analyses.interpolation import (PLANE_GRID, SHOWN, distance_to_nearest, lines, pairs_of_different_labels,
                                          prior_samples_figure, run)
from study.pca import pca_representation
from study.representations import reconstruct
from study.tables import COLUMNS

SETTINGS = {"pairs": 12, "steps": 5, "seed": 0}


def test_pairs_are_seeded_and_of_different_labels():
    y = np.repeat(np.arange(3), 20)
    pairs = pairs_of_different_labels(y, 50, seed=0)
    assert pairs.shape == (50, 2) and np.all(y[pairs[:, 0]] != y[pairs[:, 1]])
    assert np.array_equal(pairs, pairs_of_different_labels(y, 50, seed=0))
    assert not np.array_equal(pairs, pairs_of_different_labels(y, 50, seed=1))


def test_the_nearest_train_image_s_distance_equals_a_direct_search():
    rng = np.random.default_rng(0)
    images, train = rng.random((7, 16)), rng.random((300, 16))
    expected = [min(((train - image) ** 2).sum(axis=1)) for image in images]
    assert distance_to_nearest(images, train) == pytest.approx(expected)
    assert distance_to_nearest(train[:5], train) == pytest.approx(np.zeros(5), abs=1e-9)


def test_the_blend_and_a_linear_decoder_s_line(digits):
    X_a, X_b = digits["X_test"][:3], digits["X_test"][3:6]
    blend = lines(None, X_a, X_b, steps=5)
    assert blend.shape == (3, 5, X_a.shape[1])
    np.testing.assert_allclose(blend[:, 0], X_a) and np.testing.assert_allclose(blend[:, -1], X_b)
    np.testing.assert_allclose(blend[:, 2], (X_a + X_b) / 2, atol=1e-6)
    # PCA's code is linear in the image: its line's points are the projections of the blend's.
    pca, _ = pca_representation(digits, 8, seed=0)
    np.testing.assert_allclose(lines(pca, X_a, X_b, steps=5).reshape(15, -1),
                               reconstruct(pca, blend.reshape(15, -1)), atol=1e-5)


def test_a_2_dimensional_code_gives_its_plane_and_the_blend_scores_the_pixels(digits):
    pca, _ = pca_representation(digits, 2, seed=0)
    rows, arrays = run(digits, Source("pca2", "pca", 2, model=pca), SETTINGS)
    assert arrays["paths"].shape == (SHOWN, 5, 64) and arrays["plane"].shape == (PLANE_GRID ** 2, 64)
    low, high = np.percentile(diy.train.predict(pca.encoder, digits["X_test"]), [1, 99], axis=0)
    assert arrays["plane_extent"] == pytest.approx([low[0], high[0], low[1], high[1]])
    assert arrays["samples"].shape == (0, 64) and rows[0]["pairs"] == 12
    blend, blend_arrays = run(digits, Source("blend", "blend"), SETTINGS)
    assert blend_arrays["plane"].shape == (0, 64)
    # The blend's ends are the test images themselves; PCA 2's reconstructions are far from any image.
    pairs = pairs_of_different_labels(digits["y_test"], 12, seed=0)
    ends = digits["X_test"][pairs].reshape(-1, 64)
    assert blend[0]["endpoint_to_train"] == pytest.approx(distance_to_nearest(ends, digits["X_train"]).mean(), rel=1e-6)
    assert rows[0]["endpoint_to_train"] > blend[0]["endpoint_to_train"]


def test_a_vae_s_prior_samples_and_their_figure(digits):
    from matplotlib.figure import Figure

    model = diy.build_vae([64, 32, 4], rng=0)
    model.eval()
    name = "vae_latent4_relu_beta1_seed0"
    rows, arrays = run(digits, Source(name, "autoencoder", 4, model=model), SETTINGS)
    assert arrays["samples"].shape == (2 * SHOWN, 64) and arrays["plane"].shape == (0, 64)
    assert np.all((arrays["samples"] >= 0) & (arrays["samples"] <= 1))
    table = pd.DataFrame([dict(zip(COLUMNS, ["digits", name, "autoencoder", "vae", 4, "relu", None, "beta1", 0]),
                               split="val", bce=1.0)])
    fig = prior_samples_figure({"reconstruction": table}, "digits", lambda representation: arrays)
    assert isinstance(fig, Figure) and len(fig.get_axes()) == 2 * SHOWN


def test_the_prior_samples_figure_applies_to_a_grid_with_vaes():
    figure = ANALYSES["interpolation"].figures["prior_samples"]
    assert figure.applies({"grid": {"family": ["mlp", "vae"], "latent_dim": [8]}})
    assert not figure.applies({"grid": {"family": ["mlp"], "latent_dim": [8]}})
