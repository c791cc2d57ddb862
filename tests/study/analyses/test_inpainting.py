"""Inpainting: the masks hide what they say, only the hidden pixels are scored, and the
baselines' errors are what a hand computation gives."""
import numpy as np
import pytest

from study.analyses import ANALYSES, Source
from study.analyses.inpainting import MASKS, hidden_pixels, inpainting_figure, run

SETTINGS = {"masks": list(MASKS), "seed": 0, "n_examples": 5}


class Oracle:
    """A perfect model: checks that it is given the masked images, and gives the clean ones."""

    def __init__(self, clean, masks, seed):
        self.clean, self.expected = clean, [np.where(hidden_pixels(m, len(clean), (8, 8), seed), 0, clean)
                                            for m in masks]

    def forward(self, X):
        np.testing.assert_array_equal(X, self.expected.pop(0))
        return self.clean.copy()


class Identity:
    def forward(self, X):
        return X.copy()


def test_lower_half_hides_the_lower_rows_of_every_image():
    hidden = hidden_pixels("lower_half", 3, (8, 8), seed=0).reshape(3, 8, 8)
    assert hidden[:, 4:].all() and not hidden[:, :4].any()
    odd = hidden_pixels("lower_half", 2, (5, 3), seed=0).reshape(2, 5, 3)
    assert odd[:, 2:].all() and not odd[:, :2].any()
    assert hidden_pixels("lower_half", 1, (28, 28), seed=0).sum() == 14 * 28


@pytest.mark.parametrize("shape", [(8, 8), (28, 28), (6, 10)])
def test_square_hides_a_quarter_of_the_image_at_a_seeded_place_per_image(shape):
    height, width = shape
    hidden = hidden_pixels("square", 200, shape, seed=3)
    assert hidden.shape == (200, height * width) and hidden.dtype == bool
    tops, lefts = set(), set()
    for image in hidden.reshape(200, height, width):
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        # one filled rectangle of half the height and half the width, inside the image
        assert len(rows) == height // 2 and len(cols) == width // 2
        assert np.all(np.diff(rows) == 1) and np.all(np.diff(cols) == 1)
        assert image.sum() == (height // 2) * (width // 2) and image[np.ix_(rows, cols)].all()
        tops.add(rows[0])
        lefts.add(cols[0])
    # Every position is possible and drawn.
    assert tops == set(range(height - height // 2 + 1)) and lefts == set(range(width - width // 2 + 1))
    np.testing.assert_array_equal(hidden, hidden_pixels("square", 200, shape, seed=3))
    assert not np.array_equal(hidden, hidden_pixels("square", 200, shape, seed=4))


def test_unknown_mask_is_refused():
    with pytest.raises(ValueError, match="unknown mask 'circle'"):
        hidden_pixels("circle", 1, (8, 8), seed=0)


@pytest.fixture(scope="module")
def results(digits, make_source, ae_name):
    analysis = ANALYSES["inpainting"]
    return {name: run(digits, make_source(analysis, name), SETTINGS) for name in (ae_name, "pca8", "mean")}


def test_every_representation_sees_the_same_masked_images(results, digits):
    X = digits["X_test"][:5]
    masked = results["mean"][1]["masked"]
    assert masked.shape == (len(MASKS), 5, 64) and masked.dtype == np.float32
    for i, mask in enumerate(MASKS):
        np.testing.assert_array_equal(masked[i], np.where(hidden_pixels(mask, 300, (8, 8), 0)[:5], 0, X))
    for _, arrays in results.values():
        np.testing.assert_array_equal(arrays["masked"], masked)
        np.testing.assert_array_equal(arrays["clean"], X)
        assert list(arrays["masks"]) == list(MASKS)


def test_the_filled_images_keep_the_visible_pixels(results, digits):
    X = digits["X_test"][:5]
    for _, arrays in results.values():
        for i, mask in enumerate(MASKS):
            visible = ~hidden_pixels(mask, 300, (8, 8), 0)[:5]
            np.testing.assert_array_equal(arrays["output"][i][visible], X[visible])


def test_mean_baseline_equals_a_hand_computation(results, digits):
    X = digits["X_test"].astype(np.float64)
    mean = digits["X_train"].astype(np.float64).mean(axis=0)
    for row in results["mean"][0]:
        hidden = hidden_pixels(row["mask"], len(X), (8, 8), seed=0)
        squared = ((X - mean) ** 2) * hidden
        assert row["hidden_pixels"] == hidden.sum() / len(X) == (32 if row["mask"] == "lower_half" else 16)
        assert row["squared_error_per_image"] == pytest.approx(squared.sum() / len(X), rel=1e-6)
        assert row["psnr"] == pytest.approx(10 * np.log10(hidden.sum() / squared.sum()), rel=1e-6)


def test_pca_fills_the_hidden_pixels_with_its_projection_of_the_masked_image(results, digits):
    from study.pca import fit_pca

    pca = fit_pca(digits["X_train"], 8, seed=0)
    X = digits["X_test"].astype(np.float64)
    for row in results["pca8"][0]:
        hidden = hidden_pixels(row["mask"], len(X), (8, 8), seed=0)
        guess = np.clip(pca.inverse_transform(pca.transform(np.where(hidden, 0, X))), 0, 1)
        assert row["squared_error_per_image"] == pytest.approx((((X - guess) ** 2) * hidden).sum() / len(X),
                                                               rel=1e-5)


def test_a_perfect_model_scores_no_error_and_infinite_psnr(digits):
    model = Oracle(digits["X_test"], MASKS, seed=0)
    rows, arrays = run(digits, Source("oracle", "autoencoder", 8, model=model), SETTINGS)
    assert [row["mask"] for row in rows] == list(MASKS)
    assert all(row["squared_error_per_image"] == 0.0 and row["psnr"] == float("inf") for row in rows)
    np.testing.assert_array_equal(arrays["output"], np.broadcast_to(digits["X_test"][:5], (2, 5, 64)))


def test_the_identity_fills_the_hidden_pixels_with_zeros(digits):
    rows, _ = run(digits, Source("identity", "autoencoder", 64, model=Identity()), SETTINGS)
    X = digits["X_test"].astype(np.float64)
    for row in rows:
        hidden = hidden_pixels(row["mask"], len(X), (8, 8), seed=0)
        assert row["squared_error_per_image"] == pytest.approx((X ** 2 * hidden).sum() / len(X))
    # ... which is perfect for images whose lower half is blank.
    blank = {**digits, "X_test": np.where(hidden_pixels("lower_half", 300, (8, 8), 0), 0, X).astype(np.float32)}
    rows, _ = run(blank, Source("identity", "autoencoder", 64, model=Identity()),
                  {**SETTINGS, "masks": ["lower_half"]})
    assert rows[0]["squared_error_per_image"] == 0.0 and rows[0]["psnr"] == float("inf")


def test_figure_shows_each_mask_filled_by_the_autoencoder_chosen_on_validation_pca_and_the_mean(fake_tables):
    clean = np.random.default_rng(0).random((4, 64))
    arrays = {"indices": np.arange(4), "masks": np.array(["lower_half", "square"]), "image_shape": np.array([8, 8]),
              "clean": clean, "masked": np.stack([clean * 0.5] * 2), "output": np.stack([clean] * 2)}
    fig = inpainting_figure(fake_tables, "digits", lambda name: arrays)
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::4]]
    # The fake tables' validation loss favours ReLU (their inpainting PSNR, tanh at noise 0.5):
    # the ReLU variants are shown, each with its own test PSNR on that mask.
    values = fake_tables["inpainting"]
    values = values[(values["dataset"] == "digits") & (values["split"] == "test")].set_index(["representation", "mask"])
    psnr = lambda name, mask: f"PSNR {values.loc[(name, mask), 'psnr']:.2f} dB"
    shown = ["mlp_latent2_relu_noise0_seed0", "mlp_latent8_relu_noise0_seed0"]
    for start, mask in ((1, "lower_half"), (7, "square")):
        assert labels[start:start + 6] == [
            f"masked: {mask}", f"AE {shown[0]}\n{psnr(shown[0], mask)}", f"PCA 2\n{psnr('pca2', mask)}",
            f"AE {shown[1]}\n{psnr(shown[1], mask)}", f"PCA 8\n{psnr('pca8', mask)}", f"mean image\n{psnr('mean', mask)}"]
    assert labels[0] == "clean"
    assert len(labels) == 1 + 2 * 6
