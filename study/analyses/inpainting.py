"""Inpainting: a block of each test image hidden, filled in by a representation's model.

Each mask hides part of every test image (its pixels set to 0, the background):

- ``lower_half``: the lower half of the image;
- ``square``: a square covering a quarter of the image (half its height and width) at a
  position drawn per image from the analysis seed, the same for every representation.

The model reconstructs the masked image; only its hidden pixels are scored (the visible ones
are known), and the filled image is the visible pixels plus the model's hidden ones. The
analysis' own baseline ``mean`` fills the hidden pixels with the mean training image: what a
model must beat to have learned anything about digits. PCA fills them with its projection.

Rows (one per mask)::

    {"mask": str, "hidden_pixels": float, "squared_error_per_image": float, "psnr": float}

- ``hidden_pixels``: the mean number of hidden pixels per image;
- ``squared_error_per_image``: over the hidden pixels, summed per image, averaged over images;
- ``psnr``: 10 log10(1 / mse) in dB with the mse over the hidden pixels only.

Arrays: ``indices`` (m,), ``masks`` (M,) str, ``image_shape``, ``clean`` (m, d), and ``masked``
and ``output`` (the filled image) of shape (M, m, d), float32.
"""
import zlib

import numpy as np

from study.analyses import Analysis, Figure, Metric, analysis_settings
from study.analyses.reconstruction import examples
from study.representations import reconstruct
from study.analyses.reconstruction import figure_representatives

MASKS = ("lower_half", "square")


def hidden_pixels(kind, n, image_shape, seed):
    """(n, d) bool: the pixels mask `kind` hides in each of n images of `image_shape`."""
    height, width = (int(s) for s in image_shape)
    hidden = np.zeros((n, height, width), dtype=bool)
    if kind == "lower_half":
        hidden[:, height // 2:, :] = True
    elif kind == "square":
        side_h, side_w = height // 2, width // 2
        rng = np.random.default_rng([int(seed), zlib.crc32(kind.encode())])
        top = rng.integers(0, height - side_h + 1, size=n)
        left = rng.integers(0, width - side_w + 1, size=n)
        rows = (np.arange(height) >= top[:, None]) & (np.arange(height) < (top + side_h)[:, None])
        cols = (np.arange(width) >= left[:, None]) & (np.arange(width) < (left + side_w)[:, None])
        hidden = rows[:, :, None] & cols[:, None, :]
    else:
        raise ValueError(f"unknown mask {kind!r}: expected one of {', '.join(MASKS)}")
    return hidden.reshape(n, -1)


def hidden_scores(X, filled, hidden):
    """Errors of `filled` against the clean X (both (n, d)) on the `hidden` (n, d) pixels only."""
    squared = np.where(hidden, (X.astype(np.float64) - filled) ** 2, 0.0)
    mse = squared.sum() / hidden.sum()
    return {"hidden_pixels": float(hidden.sum(axis=1).mean()),
            "squared_error_per_image": float(squared.sum(axis=1).mean()),
            "psnr": float("inf") if mse == 0 else float(10 * np.log10(1.0 / mse))}


def run(data, source, settings):
    X = np.asarray(data["X_test"], dtype=np.float32)
    index = examples(data, settings["n_examples"])
    masks = list(settings["masks"])
    arrays = {"indices": index, "masks": np.array(masks, dtype=str), "image_shape": data["image_shape"],
              "clean": X[index], "masked": np.empty((len(masks), len(index), X.shape[1]), np.float32),
              "output": np.empty((len(masks), len(index), X.shape[1]), np.float32)}
    rows = []
    for i, kind in enumerate(masks):
        hidden = hidden_pixels(kind, len(X), data["image_shape"], settings["seed"])
        masked = np.where(hidden, np.float32(0), X)
        if source.kind == "mean":
            guess = np.broadcast_to(data["X_train"].mean(axis=0, dtype=np.float64).astype(np.float32), X.shape)
        else:
            guess = reconstruct(source.model, masked)
        filled = np.where(hidden, guess, X)
        arrays["masked"][i], arrays["output"][i] = masked[index], filled[index]
        rows.append({"mask": kind, **hidden_scores(X, filled, hidden)})
    return rows, arrays


def inpainting_figure(tables, dataset, load):
    """For each mask: the masked test images, then their filling by the autoencoder of each
    latent size chosen on validation (the configuration of lowest validation reconstruction
    loss, :func:`study.analyses.reconstruction.figure_representatives`: chosen without looking
    at the PSNR it prints), by PCA of that size and by the mean training image, each with its
    PSNR on that mask's hidden pixels over the whole test split."""
    from study import figures
    from study.statistics import format_number

    table = tables["inpainting"]
    table = table[(table["dataset"] == dataset) & (table["split"] == "test")]

    def psnr(name, mask):
        """The PSNR of representation `name` on the hidden pixels of `mask`, whole test split."""
        rows = table[(table["representation"] == name) & (table["mask"] == mask)]
        return f"PSNR {format_number(float(rows['psnr'].iloc[0]), 'psnr')} dB" if len(rows) else ""

    mean = load("mean")
    chosen = figure_representatives(tables, dataset)
    rows = [("clean", mean["clean"])]
    for i, mask in enumerate(str(m) for m in mean["masks"]):
        rows.append((f"masked: {mask}", mean["masked"][i]))
        for latent_dim, name in chosen.items():
            rows.append((f"AE {name}\n{psnr(name, mask)}", load(name)["output"][i]))
            rows.append((f"PCA {latent_dim}\n{psnr(f'pca{latent_dim}', mask)}", load(f"pca{latent_dim}")["output"][i]))
        rows.append((f"mean image\n{psnr('mean', mask)}", mean["output"][i]))
    return figures.image_rows(rows, mean["image_shape"], f"{dataset}: inpainting of hidden test pixels; under each "
                              "mask: the autoencoder of each latent size chosen on validation (lowest validation "
                              "reconstruction loss), PCA of that size, the mean training image\n(PSNR: on that "
                              "mask's hidden pixels, over the whole test split)")


METRICS = {
    "inpainting_psnr": Metric("psnr", "inpainting PSNR (dB) on the hidden pixels, mean over masks", kind="psnr",
                              heatmap=True),
    "inpainting_error": Metric("squared_error_per_image",
                               "inpainting squared error per image on the hidden pixels",
                               higher_is_better=False, lines=False),
}

ANALYSIS = Analysis(
    "inpainting", reads="model", run=run,
    settings=lambda config: analysis_settings(config, "inpainting",
                                              n_examples=config["analysis"]["examples"]),
    baselines=("pca", "mean"), baseline_labels={"mean": "mean image"}, keys=("mask",), metrics=METRICS,
    figures={"inpainting": Figure(inpainting_figure, tables=("reconstruction",), caption="""\
Inpainting: for each mask (the lower half of the image, a square covering a quarter of it), the test
images with the hidden pixels set to 0, then the hidden pixels filled by the autoencoder of each
latent size chosen on validation (the configuration of lowest validation reconstruction loss, its
first seed: chosen without looking at the PSNR printed beside it), by PCA of that size and by the
mean training image. Each row's PSNR is that model's on that mask's hidden pixels over the whole test
split. The visible pixels are the input's; only the hidden ones are the model's guess.""")},
    schema={"masks": {"type": "array", "minItems": 1, "uniqueItems": True,
                       "items": {"type": "string", "enum": list(MASKS)},
                       "description": "Parts hidden: lower_half, square (a quarter of the image)."}},
    category="7. Inpainting",
    caption="""\
Reconstruction of hidden parts: each test image with a block hidden (``mask``: ``lower_half``, or a
``square`` covering a quarter of the image at a seeded random place), reconstructed by the model.
Only the hidden pixels are scored: ``squared_error_per_image`` (summed over the hidden pixels,
averaged over images; lower is better) and ``psnr`` in dB (higher is better); ``hidden_pixels`` is
the mean number of hidden pixels per image. ``mean`` fills them with the mean training image.""",
)
