"""Denoising: a representation's model given corrupted test images, compared with the clean ones.

For each test noise (kind, level) the test images are corrupted once, with a generator
derived from (seed, kind, level) alone, so a given (kind, level) gets the same noise whatever
else is configured, and every representation sees the same noisy set. The analysis' own
baseline ``noisy`` is the corrupted input itself: the error to beat. PCA's denoiser projects
the noisy input on the principal axes of the clean train split and back.

Rows (one per kind and level)::

    {"test_noise_kind": str, "test_noise_level": float, "squared_error_per_image": float,
     "psnr": float}

Arrays: ``indices`` (m,), ``kinds`` (K,) str, ``levels`` (L,), ``image_shape``, ``clean``
(m, d), and ``noisy`` and ``output`` of shape (K, L, m, d), all float32.
"""
import zlib

import numpy as np

from diy.noise import corrupt
from study.analyses import Analysis, Figure, Metric, analysis_settings
from study.analyses.reconstruction import examples
from study.metrics import psnr, squared_error_per_image
from study.representations import reconstruct


def noise_generator(seed, kind, level):
    """The generator of the test noise (kind, level): a function of its arguments only."""
    return np.random.default_rng([int(seed), zlib.crc32(kind.encode()), int(round(level * 1_000_000))])


def run(data, source, settings):
    X = np.asarray(data["X_test"], dtype=np.float32)
    kinds = [str(kind) for kind in settings["kinds"]]
    levels = [float(level) for level in settings["levels"]]
    index = examples(data, settings["n_examples"])
    arrays = {"indices": index, "kinds": np.array(kinds, dtype=str), "levels": np.array(levels),
              "image_shape": data["image_shape"], "clean": X[index]}
    for key in ("noisy", "output"):
        arrays[key] = np.empty((len(kinds), len(levels), len(index), X.shape[1]), np.float32)
    rows = []
    for i, kind in enumerate(kinds):
        for j, level in enumerate(levels):
            noisy = corrupt(X, kind, level, noise_generator(settings["seed"], kind, level))
            output = noisy if source.kind == "noisy" else reconstruct(source.model, noisy)
            arrays["noisy"][i, j], arrays["output"][i, j] = noisy[index], output[index]
            rows.append({"test_noise_kind": kind, "test_noise_level": level,
                         "squared_error_per_image": squared_error_per_image(X, output),
                         "psnr": psnr(X, output)})
    return rows, arrays


def denoising_figure(tables, dataset, load):
    """Clean test images; for each test noise kind at its middle level, the noisy input and its
    denoising by the best autoencoder (the configuration of highest mean PSNR over the noises
    of the validation split, as the summary chooses it, so chosen without looking at the test
    PSNR it prints), by the best plain autoencoder (trained without noise) when that is
    another one, and by PCA of the best one's size. The title lists the rows in the order
    drawn."""
    from study import figures
    from study.analyses.reconstruction import chosen_representative
    from study.statistics import format_number
    from study.tables import format_value
    from study.variants import AEVariant

    top = AEVariant.parse(chosen_representative(tables["denoising"], METRICS["denoising_psnr"], dataset))
    plain = chosen_representative(tables["denoising"], METRICS["denoising_psnr"], dataset, noise=0.0)
    k = top.latent_dim
    # Under each noisy input, in the order drawn: (what the title calls it, label, name).
    outputs = [(f"the best denoising autoencoder (training noise {format_value(top.noise)})"
                if top.noise > 0 else "the best autoencoder (trained without noise)", f"AE {top.name}", top.name)]
    if plain is not None and plain != top.name:
        outputs.append(("the best plain autoencoder (trained without noise)", f"AE {plain}", plain))
    outputs.append((f"PCA {k}", f"PCA {k}", f"pca{k}"))
    arrays = {name: load(name) for _, _, name in outputs}
    ae = arrays[top.name]
    level = len(ae["levels"]) // 2
    table = tables["denoising"]
    table = table[(table["dataset"] == dataset) & (table["split"] == "test")]

    def psnr(name, kind):
        """The PSNR of representation `name` on the whole test split at (kind, middle level)."""
        row = table[(table["representation"] == name) & (table["test_noise_kind"] == kind)
                    & (table["test_noise_level"] == float(ae["levels"][level]))]
        return f"PSNR {format_number(float(row['psnr'].iloc[0]), 'psnr')} dB" if len(row) else ""

    rows = [("clean", ae["clean"])]
    for i, kind in enumerate(ae["kinds"]):
        rows.append((f"noisy: {kind} {format_value(float(ae['levels'][level]))}\n{psnr('noisy', kind)}",
                     ae["noisy"][i, level]))
        for _, label, name in outputs:
            rows.append((f"{label}\n{psnr(name, kind)}", arrays[name]["output"][i, level]))
    shown = ", ".join(["the noisy input", *(what for what, _, _ in outputs)])
    return figures.image_rows(rows, ae["image_shape"], f"{dataset}: denoising of test images; rows: the clean "
                              f"images, then for each test noise: {shown}\n(autoencoders chosen on validation; "
                              "PSNR of each row: over the whole test split at that noise)")


METRICS = {
    "denoising_psnr": Metric("psnr", "denoising PSNR (dB), mean over test noises", heatmap=True, kind="psnr",
                             margin=0.5),
}

ANALYSIS = Analysis(
    "denoising", reads="model", run=run,
    settings=lambda config: analysis_settings(config, "denoising",
                                              n_examples=config["analysis"]["examples"]),
    baselines=("pca", "noisy"), baseline_labels={"noisy": "noisy input"},
    keys=("test_noise_kind", "test_noise_level"), metrics=METRICS,
    figures={"denoising": Figure(denoising_figure, """\
Denoising: the clean test images (top), then for each test noise kind at its middle level the noisy
input and the outputs of the best denoising autoencoder (highest PSNR averaged over all test noises),
of the best autoencoder trained without noise (when it differs) and of PCA's projection with as many
components as the best one's latent size. The denoised digit should look like the clean one above,
not like the noisy input.""")},
    schema={
        "kinds": {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"$ref": "#/$defs/noise_kind"},
                  "description": "Test noise kinds (diy.noise.NOISE), each applied at each level."},
        "levels": {"type": "array", "minItems": 1, "uniqueItems": True,
                   "items": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                   "description": "Sigma (gaussian) or fraction of pixels (masking, salt_and_pepper)."},
    },
    category="5. Denoising",
    caption="""\
The test images corrupted by ``test_noise_kind`` at ``test_noise_level``, compared to the clean
images: ``squared_error_per_image`` (lower is better) and ``psnr`` in dB (higher is better) of the
noisy input itself (``noisy``), of each autoencoder's output and of PCA's projection.""",
)
