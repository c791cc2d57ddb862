"""What the decoder does between codes: interpolations, the code plane, a VAE's prior samples.

For ``pairs`` seeded pairs of test images of different labels (the same pairs for every
representation), the codes of the two are joined by a straight line and ``steps`` points along it
(both ends included) are decoded; the pixel-space blend of the two images is the baseline
``blend``. Each pair's decoded midpoint is scored by its squared distance to the nearest train
image (summed over pixels): a midpoint that looks like some real image scores low, a blur of the
two digits high. Rows (one per split)::

    {"split": "val" | "test", "pairs": int, "midpoint_to_train": float, "endpoint_to_train": float}

``endpoint_to_train``: the same distance of the decoded ends (the reconstructions of the pair's
images themselves), the floor a midpoint can be read against.

Arrays (the figures', from the test split): ``image_shape``; ``paths`` (shown, steps, d), the
decoded lines of the first ``shown`` pairs (the blend's own for ``blend``); for a code of 2
dimensions ``plane`` (grid * grid, d), the decoder over a grid of the code plane between the 1st
and the 99th percentile of the test codes, and ``plane_extent`` (z1 low, z1 high, z2 low, z2
high); for a VAE ``samples`` (shown * 2, d), the decoder's means at draws from its N(0, I) prior;
empty (0 rows, NaN extent) where they do not apply.
"""
import math

import numpy as np

from diy.train import predict
from study.analyses import Analysis, Figure, Metric, analysis_settings
from study.analyses.reconstruction import figure_representatives, is_vae
from study.analyses.retrieval import distances

#: Grid points per axis of the code plane (a 2-dimensional code).
PLANE_GRID = 15
#: Pairs and prior samples drawn in the figures.
SHOWN = 4
#: Queries (midpoints) compared with the train split at once: a (chunk, n_train) block.
CHUNK = 256


def pairs_of_different_labels(y, n_pairs, seed):
    """(n_pairs, 2) indices of pairs of images of different labels among labels `y`, drawn from
    `seed` (the same for every representation)."""
    rng = np.random.default_rng(seed)
    first = rng.choice(len(y), size=int(n_pairs), replace=len(y) < n_pairs)
    second = np.array([rng.choice(np.flatnonzero(y != y[i])) for i in first])
    return np.stack([first, second], axis=1)


def distance_to_nearest(images, train):
    """(m, d), (n, d) -> (m,) squared distance of each image to its nearest train image (in
    float32 for float32 images: retrieval's distances)."""
    out = []
    for start in range(0, len(images), CHUNK):
        block = images[start:start + CHUNK]
        # retrieval's Euclidean ranking leaves out ||image||^2, which changes no ranking
        nearest = distances(block, train, "euclidean").min(axis=1) + (block * block).sum(axis=1)
        out.append(np.maximum(nearest, 0.0))
    return np.concatenate(out)


def _decode(model, Z):
    """Codes (m, k) -> the decoder's images (m, d) in [0, 1], in the model's precision."""
    _, weights, _ = next(model.parameters())
    return np.clip(predict(model.decoder, np.asarray(Z, dtype=weights.dtype)), 0.0, 1.0).astype(np.float32)


def _encode(model, X):
    _, weights, _ = next(model.parameters())
    return predict(model.encoder, np.asarray(X, dtype=weights.dtype))


def lines(model, X_a, X_b, steps):
    """Decoded straight lines between the codes of images `X_a` and `X_b` (m, d) -> (m, steps, d);
    with no model, the pixel-space blends."""
    t = np.linspace(0.0, 1.0, int(steps))[None, :, None]
    if model is None:
        return ((1 - t) * X_a[:, None] + t * X_b[:, None]).astype(np.float32)
    Z_a, Z_b = _encode(model, X_a), _encode(model, X_b)
    Z = (1 - t) * Z_a[:, None] + t * Z_b[:, None]
    return _decode(model, Z.reshape(-1, Z.shape[-1])).reshape(len(X_a), int(steps), -1)


def settings_problems(section, dataset, sizes, n_classes):
    """Why the settings `section` (``analysis.interpolation``) cannot run on `dataset`: the lines
    (pairs, steps, pixels), decoded in float64 then kept in float32 (12 bytes a value), must fit
    in the machine's memory."""
    from study.config_checks import memory_problem
    from study.datasets import DATASETS

    needed = section["pairs"] * section["steps"] * math.prod(DATASETS[dataset].image_shape) * 12
    # The key of the larger factor, the other named beside it.
    key, other = ("steps", "pairs") if section["steps"] >= section["pairs"] else ("pairs", "steps")
    problem = memory_problem(f"analysis.interpolation.{key}", section[key], needed)
    return [f"{problem} (with {other} {section[other]} on {dataset})"] if problem else []


def run(data, source, settings):
    model = None if source.kind == "blend" else source.model
    pairs = pairs_of_different_labels(data["y_test"], settings["pairs"], settings["seed"])
    paths = lines(model, data["X_test"][pairs[:, 0]], data["X_test"][pairs[:, 1]], settings["steps"])
    middle, ends = paths[:, (paths.shape[1] - 1) // 2], paths[:, [0, -1]].reshape(-1, paths.shape[-1])
    row = {"pairs": len(pairs), "midpoint_to_train": float(distance_to_nearest(middle, data["X_train"]).mean()),
           "endpoint_to_train": float(distance_to_nearest(ends, data["X_train"]).mean())}
    # Every representation writes the same arrays, empty where they do not apply.
    d = data["X_test"].shape[1]
    arrays = {"image_shape": data["image_shape"], "paths": paths[:SHOWN], "plane": np.zeros((0, d), np.float32),
              "plane_extent": np.full(4, np.nan), "samples": np.zeros((0, d), np.float32)}
    if model is not None and source.latent_dim == 2:
        low, high = np.percentile(_encode(model, data["X_test"]), [1, 99], axis=0)
        z1, z2 = np.linspace(low[0], high[0], PLANE_GRID), np.linspace(high[1], low[1], PLANE_GRID)
        arrays["plane"] = _decode(model, np.stack(np.meshgrid(z1, z2), axis=-1).reshape(-1, 2))
        arrays["plane_extent"] = np.array([low[0], high[0], low[1], high[1]])
    if model is not None and is_vae(model):
        prior = np.random.default_rng(settings["seed"]).standard_normal((2 * SHOWN, source.latent_dim))
        arrays["samples"] = _decode(model, prior)
    return [row], arrays


def interpolations_figure(tables, dataset, load):
    """For the first pairs: the pixel blend, then each latent size's chosen autoencoder's line."""
    from study import figures

    blend, rows = load("blend"), []
    chosen = figure_representatives(tables, dataset)
    for p in range(len(blend["paths"])):
        rows.append((f"pair {p + 1}: pixel blend", blend["paths"][p]))
        rows += [(f"AE {name}", load(name)["paths"][p]) for name in chosen.values()]
    return figures.image_rows(rows, blend["image_shape"], f"{dataset}: straight lines between the codes of two test "
                              "images of different digits, decoded, beside the blend of their pixels (each latent "
                              "size's autoencoder with the lowest validation loss)")


def code_plane_figure(tables, dataset, load):
    """The decoded grid of the code plane of the chosen autoencoder of latent size 2, each
    decoded image a tile centred on its code, tiles apart by a gap of the background."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure as MatplotlibFigure

    name = figure_representatives(tables, dataset)[2]
    arrays = load(name)
    shape = tuple(int(s) for s in arrays["image_shape"])
    # A margin of NaN (drawn white) round each tile: two tiles are told apart where a digit's
    # black background would run into the next one's.
    margin = max(1, shape[0] // 16)
    tiles = np.pad(arrays["plane"].reshape(PLANE_GRID, PLANE_GRID, *shape).astype(float),
                   ((0, 0), (0, 0), (margin, margin), (margin, margin)), constant_values=np.nan)
    height, width = tiles.shape[2:]
    mosaic = tiles.transpose(0, 2, 1, 3).reshape(PLANE_GRID * height, PLANE_GRID * width)
    fig = MatplotlibFigure(figsize=(7, 7.4), layout="constrained")
    ax = fig.subplots()
    z1_low, z1_high, z2_low, z2_high = (float(v) for v in arrays["plane_extent"])
    # Each tile's centre at its code: the grid's codes run from low to high, a tile is a step wide.
    half1, half2 = (z1_high - z1_low) / (PLANE_GRID - 1) / 2, (z2_high - z2_low) / (PLANE_GRID - 1) / 2
    cmap = colormaps["gray"].with_extremes(bad="white")
    # Square tiles: one code unit is as long on both axes as the grid's steps make it.
    ax.imshow(mosaic, cmap=cmap, vmin=0, vmax=1, extent=(z1_low - half1, z1_high + half1, z2_low - half2, z2_high + half2),
              aspect=(z1_high - z1_low) / (z2_high - z2_low), interpolation="nearest")
    ax.set_xlabel("code 1")
    ax.set_ylabel("code 2")
    fig.suptitle(f"{dataset}: the decoder of {name} over its code plane (1st to 99th percentile of the test codes)",
                 wrap=True)
    return fig


def prior_samples_figure(tables, dataset, load):
    """Decoded draws from the prior of each latent size's chosen VAE."""
    from study import figures

    chosen = figure_representatives(tables, dataset, family="vae")
    rows = [(f"VAE {name}", load(name)["samples"]) for name in chosen.values()]
    return figures.image_rows(rows, load(next(iter(chosen.values())))["image_shape"],
                              f"{dataset}: decoder means at draws from N(0, I), the prior of each latent size's VAE "
                              "with the lowest validation loss")


def _with_latent_2(config):
    return 2 in config["grid"]["latent_dim"]


def _with_vae(config):
    return "vae" in config["grid"].get("family", ["mlp"])


METRICS = {
    "interpolation_midpoint": Metric("midpoint_to_train", "decoded midpoint's distance to the nearest train image",
                                     higher_is_better=False),
}

ANALYSIS = Analysis(
    "interpolation", reads="model", run=run,
    settings=lambda config: analysis_settings(config, "interpolation"),
    baselines=("pca", "blend"), baseline_labels={"blend": "pixel blend"}, metrics=METRICS,
    figures={
        "interpolations": Figure(interpolations_figure, """\
Straight lines between the codes of two test images of different digits, decoded (each latent size's
autoencoder with the lowest validation loss), under the blend of the two images' pixels. A decoder that
has learnt the digits passes through digit-like images; the blend superimposes the two.""",
                                 tables=("reconstruction",)),
        "code_plane": Figure(code_plane_figure, """\
The decoder of the 2-dimensional autoencoder with the lowest validation loss, over a grid of its code
plane between the 1st and 99th percentiles of the test codes: the classic picture of what a 2-dimensional
code has organised, each region a digit and the borders between them blends.""",
                             applies=_with_latent_2, tables=("reconstruction",)),
        "prior_samples": Figure(prior_samples_figure, """\
Decoder means at draws from N(0, I), each latent size's VAE's prior (the VAE with the lowest validation
loss): what the VAE generates. Blurry means are usual for a Bernoulli decoder's mean.""",
                                applies=_with_vae, tables=("reconstruction",)),
    },
    check=settings_problems,
    schema={
        "pairs": {"type": "integer", "minimum": 1, "description": "Seeded test pairs of different labels."},
        "steps": {"type": "integer", "minimum": 3, "description": "Decoded points per line, both ends included."},
    },
    category="10. Interpolation",
    caption="""\
Straight lines between the codes of seeded pairs of test images of different digits, decoded
(``blend``: the pixels' blend). ``midpoint_to_train``: the decoded midpoint's squared distance to
the nearest train image, summed over pixels, averaged over the ``pairs``; ``endpoint_to_train``: the
same for the line's ends (the reconstructions of the two images). Lower: the decoder passes through
images like the data's.""",
)
