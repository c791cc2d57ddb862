"""Denoising on the test split: noisy input, autoencoder, and PCA projection vs the clean image.

For each test noise (kind, level) the test images are corrupted once, with a
generator derived from (seed, kind, level) alone, so a given (kind, level) gets the
same noise whatever else is configured; the three methods see that same noisy set:

- ``"noisy"``: the corrupted input itself (the error to beat);
- ``"autoencoder"``: the model's reconstruction of the noisy input (without a model:
  no such rows, so a caller can compute the baselines once, apart from any variant);
- ``"pca"``: projection of the noisy input on the top ``n_components`` principal
  axes of the clean train split, back-projected and clipped to [0, 1].

Rows (one per kind, level, method, in that nesting order)::

    {"test_noise_kind": str, "test_noise_level": float, "method": str,
     "squared_error_per_image": float, "psnr": float}

``psnr`` is ``inf`` at level 0 for ``"noisy"`` (``json.dump`` writes ``Infinity``).

Examples, for ``np.savez`` by the caller: ``indices`` (m,), ``kinds`` (K,) str,
``levels`` (L,) float, ``clean`` (m, d), and ``noisy``, ``autoencoder``, ``pca``
(each only with its method) of shape (K, L, m, d), all float32.
"""
import zlib

import numpy as np

from study.metrics import psnr, squared_error_per_image
from diy.noise import corrupt
from study.pca import fit_pca, pca_reconstruct
from study.reconstruction import reconstruct


def noise_generator(seed, kind, level):
    """The generator of the test noise (kind, level): a function of its arguments only."""
    return np.random.default_rng([int(seed), zlib.crc32(kind.encode()), int(round(level * 1_000_000))])


def denoising(model, X_test, kinds, levels, X_train=None, n_components=None, seed=0,
              example_indices=range(8)):
    """Rows of denoising errors, and example images for a figure.

    model : the autoencoder (anything :func:`~study.reconstruction.reconstruct` takes),
        or None for the ``"noisy"`` (and ``"pca"``) rows only.
    X_test : ndarray of shape (n_test, d), clean test images in [0, 1].
    kinds : sequence of noise kinds of ``diy.noise.corrupt`` (gaussian, masking, salt_and_pepper).
    levels : sequence of floats, each applied with each kind.
    X_train : ndarray of shape (n_train, d), clean; fits the PCA denoiser (None: no PCA rows).
    n_components : int, PCA's size, the autoencoder's latent size.
    seed : int; derives the noise (:func:`noise_generator`) and seeds PCA.
    example_indices : indices into the test split of the example images.
    Returns ``(rows, examples)``, laid out in the module docstring.
    """
    X_test = np.asarray(X_test, dtype=np.float32)
    kinds, levels = [str(kind) for kind in kinds], [float(level) for level in levels]
    pca = None
    if X_train is not None:
        if n_components is None:
            raise ValueError("n_components (the latent size) is needed for the PCA baseline")
        pca = fit_pca(X_train, n_components, seed)
    index = np.asarray(list(example_indices), dtype=np.intp)
    methods = (["noisy"] + (["autoencoder"] if model is not None else [])
               + (["pca"] if pca is not None else []))
    examples = {"indices": index, "kinds": np.array(kinds, dtype=str),
                "levels": np.array(levels, dtype=np.float64), "clean": X_test[index]}
    for method in methods:
        examples[method] = np.empty((len(kinds), len(levels), len(index), X_test.shape[1]), np.float32)
    rows = []
    for i, kind in enumerate(kinds):
        for j, level in enumerate(levels):
            noisy = corrupt(X_test, kind, level, noise_generator(seed, kind, level))
            outputs = {"noisy": noisy}
            if model is not None:
                outputs["autoencoder"] = reconstruct(model, noisy)
            if pca is not None:
                outputs["pca"] = pca_reconstruct(pca, noisy)
            for method in methods:
                examples[method][i, j] = outputs[method][index]
                rows.append({"test_noise_kind": kind, "test_noise_level": level, "method": method,
                             "squared_error_per_image": squared_error_per_image(X_test, outputs[method]),
                             "psnr": psnr(X_test, outputs[method])})
    return rows, examples
