"""The figures: each drawn from small fake inputs and written as a non-empty PNG."""
import numpy as np
import pandas as pd
import pytest
from matplotlib.image import imread

from study.figures import (
    HEATMAP_METRICS,
    LINE_METRICS,
    classifier_curves,
    denoising_figure,
    image_rows,
    learning_curves,
    metric_figure,
    reconstructions_figure,
    save_figure,
    tsne_figure,
    tsne_maps,
)
from study.tables import METRICS
from study.variants import AEVariant, ae_variants

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def check_png(path, min_bytes=5_000):
    """A real, non-trivial PNG: the magic bytes, a size, and more than one colour."""
    data = path.read_bytes()
    assert data[:8] == PNG_MAGIC and len(data) > min_bytes
    image = imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100
    assert image.std() > 0.01


def save(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    save_figure(fig, path, dpi=50)
    return path


def test_every_figure_metric_is_a_metric():
    assert set(LINE_METRICS) <= set(METRICS) and set(HEATMAP_METRICS) <= set(LINE_METRICS)


# One metric of each kind: an error (lower is better), one with the noisy input as its
# reference, one selected by classifier, one from the t-SNE table.
@pytest.mark.parametrize("name", ["reconstruction_error", "denoising_psnr", "knn_accuracy",
                                  "tsne_trustworthiness"])
def test_metric_against_latent_size(tmp_path, fake_tables, name):
    fig = metric_figure(fake_tables, "digits", name, kind="lines")
    assert fig._suptitle.get_text().startswith(f"digits: {METRICS[name].label}")
    axes = fig.get_axes()
    assert len(axes) == 2  # one panel per training noise
    assert all(ax.get_xlabel() == "latent size" for ax in axes)
    assert axes[0].get_ylabel() == METRICS[name].label
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert labels[:3] == ["AE, tanh", "AE, relu", "PCA, same size"]
    check_png(save(fig, tmp_path, name), min_bytes=3_000)


@pytest.mark.parametrize("name", ["reconstruction_error", "kmeans_accuracy"])
def test_heatmap(tmp_path, fake_tables, name):
    fig = metric_figure(fake_tables, "mnist", name, kind="heatmap")
    panels = [ax for ax in fig.get_axes() if ax.get_title()]
    assert [ax.get_title() for ax in panels] == ["tanh", "relu"]
    assert all(ax.get_xlabel() == "training noise" and ax.get_ylabel() == "latent size" for ax in panels)
    # 2 latent sizes x 2 noises, each annotated
    assert len(panels[0].texts) == 4
    check_png(save(fig, tmp_path, name), min_bytes=3_000)


def test_learning_curves(tmp_path, fake_grid):
    histories = {v: pd.DataFrame({"epoch": np.arange(1, 6), "train_loss": 50 / np.arange(1, 6) + v.noise,
                                  "val_loss": 48 / np.arange(1, 6), "seconds": 0.1})
                 for v in ae_variants(fake_grid)}
    fig = learning_curves(histories, "digits: learning curves")
    assert len(fig.get_axes()) == 4 and fig.get_axes()[0].get_ylabel() == "loss"
    check_png(save(fig, tmp_path, "curves"))


def test_classifier_curves(tmp_path):
    epochs = np.arange(1, 8)
    history = pd.DataFrame({"epoch": epochs, "train_loss": 1 / epochs, "val_loss": 1.1 / epochs,
                            "val_accuracy": 1 - 0.1 / epochs, "seconds": 1.0})
    fig = classifier_curves({"hidden64_relu_dropout0_seed0": history,
                             "hidden32_relu_dropout0_seed0": history * 1.01}, "digits: classifiers")
    assert [ax.get_ylabel() for ax in fig.get_axes()][1] == "validation accuracy"
    check_png(save(fig, tmp_path, "classifiers"))


def fake_loader(kind):
    """A load(name) returning arrays like the analyses' .npz files, for 8x8 images."""
    rng = np.random.default_rng(0)
    clean = rng.random((6, 64), dtype=np.float32)

    def load(name):
        if kind == "reconstruction":
            return {"indices": np.arange(6), "image_shape": np.array([8, 8]), "clean": clean,
                    "reconstruction": np.clip(clean + rng.normal(0, 0.1, clean.shape), 0, 1)}
        if kind == "tsne":
            y = np.repeat(np.arange(10), 10)
            return {"indices": np.arange(100), "y": y, "map": rng.normal(size=(100, 2)) + y[:, None]}
        kinds, levels = np.array(["gaussian", "masking"]), np.array([0.1, 0.5])
        stack = np.broadcast_to(clean, (2, 2, 6, 64))
        method = "pca" if name.startswith("pca") else ("noisy" if name == "noisy" else "autoencoder")
        return {"indices": np.arange(6), "kinds": kinds, "levels": levels, "clean": clean,
                "image_shape": np.array([8, 8]), "noisy": stack * 0.5, method: stack * 0.9}

    return load


def test_reconstructions_figure(tmp_path, fake_tables):
    fig = reconstructions_figure(fake_tables, "digits", fake_loader("reconstruction"))
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::6]]
    assert labels == ["original", "AE latent2_tanh_noise0_seed0\nerror 5", "PCA 2\nerror 8",
                      "AE latent8_tanh_noise0_seed0\nerror 1.25", "PCA 8\nerror 2"]
    check_png(save(fig, tmp_path, "reconstructions"))


def test_tsne_figure(tmp_path, fake_tables):
    fig = tsne_figure(fake_tables, "digits", fake_loader("tsne"))
    titles = [ax.get_title() for ax in fig.get_axes() if ax.get_title()]
    assert titles == ["latent2_tanh_noise0.5_seed0\nk-means acc. 0.625", "latent8_tanh_noise0.5_seed0\nk-means acc. 0.85",
                      "raw pixels\nk-means acc. 0.65", "PCA 2\nk-means acc. 0.57", "PCA 8\nk-means acc. 0.63"]
    check_png(save(fig, tmp_path, "tsne"))


def test_denoising_figure(tmp_path, fake_tables):
    fig = denoising_figure(fake_tables, "mnist", fake_loader("denoising"))
    labels = [ax.get_ylabel() for ax in fig.get_axes()[::6]]
    # The middle test level (0.5 of [0.1, 0.5]) of each kind: noisy, best AE, best plain AE, PCA.
    assert labels == ["clean", "noisy: gaussian 0.5", "AE latent8_tanh_noise0.5_seed0",
                      "AE latent8_tanh_noise0_seed0", "PCA 8", "noisy: masking 0.5",
                      "AE latent8_tanh_noise0.5_seed0", "AE latent8_tanh_noise0_seed0", "PCA 8"]
    check_png(save(fig, tmp_path, "denoising"))


def test_image_rows_and_maps_handle_ragged_input(tmp_path):
    rng = np.random.default_rng(1)
    fig = image_rows([("a", rng.random((3, 4))), ("b", rng.random((1, 4)))], (2, 2), "ragged")
    check_png(save(fig, tmp_path, "ragged"), min_bytes=1_000)
    fig = tsne_maps([("one", rng.normal(size=(20, 2)), np.arange(20) % 3)], "one map")
    check_png(save(fig, tmp_path, "map"), min_bytes=1_000)


def test_save_figure_is_atomic(tmp_path):
    save_figure(image_rows([("a", np.zeros((1, 4)))], (2, 2), "t"), tmp_path / "f.png", dpi=30)
    assert [p.name for p in tmp_path.iterdir()] == ["f.png"]


def test_variant_order_does_not_matter_for_learning_curves(fake_grid):
    variants = list(reversed(ae_variants(fake_grid)))
    history = pd.DataFrame({"epoch": [1, 2], "train_loss": [2.0, 1.0], "val_loss": [2.0, 1.0]})
    fig = learning_curves({v: history for v in variants}, "t")
    assert fig.get_axes()[0].get_title() == "latent 2, noise 0"
    assert isinstance(variants[0], AEVariant)
