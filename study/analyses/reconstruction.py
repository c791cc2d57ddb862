"""Reconstruction: how well a representation's model gives the images back.

Rows (one per split)::

    {"split": "val" | "test", "bce": float, "mse": float, "squared_error_per_image": float, "psnr": float}

- ``bce``: binary cross-entropy summed over pixels, averaged over images, the reconstruction
  clipped to [1e-7, 1 - 1e-7] (:func:`study.metrics.binary_cross_entropy`);
- ``mse``: squared error averaged over pixels and images;
- ``squared_error_per_image``: squared error summed over pixels, averaged over images;
- ``psnr``: 10 log10(1 / mse), in dB;
- a VAE's rows add ``elbo`` and ``log_likelihood``, nats per test image (means), the second
  the importance-sampled estimate of Burda et al. (``diy.vae_log_likelihood``) with
  ``likelihood_samples`` (:data:`LIKELIHOOD_SAMPLES`) samples per image, seeded. They are
  log-likelihoods of binary images: on grey pixels (a dataset not binarized) they are the
  Bernoulli cross-entropy's numbers, comparable between models but not published values.

The validation split's ``bce`` is the training objective measured where the figures pick a
representation without looking at the test split (:func:`figure_representatives`, through the
summary's choice on validation: :func:`chosen_representative`).

Arrays: ``indices`` (m,) of the example test images, ``image_shape``, ``clean`` (m, d) and
``reconstruction`` (m, d); ``worst_indices`` (m,), ``worst_error`` (m,), ``worst_clean`` and
``worst_reconstruction`` (m, d): the m test images of largest squared error, largest first.
Baseline: PCA of each latent size (its projection, clipped to
[0, 1], which only helps PCA).
"""
from diy.gaussian_sample import GaussianSample
from diy.likelihood import vae_log_likelihood
from study.analyses import Analysis, Figure, Metric
from study.metrics import binary_cross_entropy, mean_squared_error, psnr, squared_error_per_image
from study.representations import reconstruct


def examples(data, n_examples):
    """Indices of the example test images: the first `n_examples`, the same for every
    representation so that figures put them side by side."""
    import numpy as np

    return np.arange(min(int(n_examples), len(data["y_test"])))


def worst(X, X_hat, n_examples):
    """Indices of the `n_examples` images of largest squared error, largest first (the first
    index of equals first), and those errors."""
    import numpy as np

    errors = ((np.asarray(X, np.float64) - X_hat) ** 2).sum(axis=1)
    index = np.argsort(-errors, kind="stable")[:int(n_examples)]
    return index, errors[index]


def reconstruction_metrics(X, X_hat):
    """(n, d) clean images, (n, d) reconstructions -> dict of the four metrics (floats)."""
    return {
        "bce": binary_cross_entropy(X, X_hat),
        "mse": mean_squared_error(X, X_hat),
        "squared_error_per_image": squared_error_per_image(X, X_hat),
        "psnr": psnr(X, X_hat),
    }


#: Importance samples per test image of a VAE's log-likelihood (pythae and Burda et al.: 200
#: and 5000; 200 already puts the estimate within a few tenths of a nat of 5000's).
LIKELIHOOD_SAMPLES = 200


def is_vae(model):
    """Whether `model` is an autoencoder whose encoder ends in a ``GaussianSample``."""
    encoder = getattr(model, "encoder", None)
    return encoder is not None and len(encoder.modules) > 0 and isinstance(encoder[-1], GaussianSample)


def run(data, source, settings):
    X_hat = reconstruct(source.model, data["X_test"])
    index = examples(data, settings["n_examples"])
    worst_index, worst_error = worst(data["X_test"], X_hat, settings["n_worst"])
    arrays = {"indices": index, "image_shape": data["image_shape"], "clean": data["X_test"][index],
              "reconstruction": X_hat[index], "worst_indices": worst_index, "worst_error": worst_error,
              "worst_clean": data["X_test"][worst_index], "worst_reconstruction": X_hat[worst_index]}
    row = reconstruction_metrics(data["X_test"], X_hat)
    if is_vae(source.model):
        _, weights, _ = next(source.model.parameters())
        X = data["X_test"].astype(weights.dtype, copy=False)
        estimates = vae_log_likelihood(source.model, X, samples=LIKELIHOOD_SAMPLES, rng=0)
        row.update(elbo=float(estimates["elbo"].mean()), log_likelihood=float(estimates["log_likelihood"].mean()),
                   likelihood_samples=LIKELIHOOD_SAMPLES)
    return [row], arrays


def chosen_representative(table, metric, dataset, **where):
    """The representation a figure shows for the configuration chosen on validation, as the
    summary chooses it (:func:`study.summary.choice.chosen_on_validation` of `metric` in
    `table`, restricted by ``where``: column=value): that configuration's lowest seed, so that
    no seed is picked on any number; None if there is none."""
    from study.aggregates import configuration_of
    from study.summary.choice import chosen_on_validation
    from study.tables import metric_values

    picked = chosen_on_validation(table, metric, dataset, **where)
    if picked is None:
        return None
    values = metric_values(table, metric, split="val")
    rows = values[(values["dataset"] == dataset) & (values["representation"].map(configuration_of) == picked[0].name)]
    return rows.loc[rows["seed"].idxmin(), "representation"]


def figure_representatives(tables, dataset, family=None):
    """``{latent_dim: representation}``: for each latent size, the autoencoder (of `family`, if
    given) of the configuration with the lowest validation BCE (the training objective) over
    its seeds (:func:`chosen_representative`), so that a figure shows a representative chosen
    without looking at the test numbers it prints."""
    table = tables["reconstruction"]
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder")]
    where = {} if family is None else {"family": family}
    chosen = {k: chosen_representative(table, METRICS["reconstruction_bce"], dataset, latent_dim=k, **where)
              for k in sorted({int(k) for k in ae["latent_dim"].dropna()})}
    return {k: name for k, name in chosen.items() if name is not None}


def reconstructions_figure(tables, dataset, load):
    """Test images and their reconstructions by the autoencoder of each latent size chosen on
    validation (:func:`figure_representatives`) and by PCA of the same size."""
    from study import figures
    from study.tables import format_value, metric_values, value_of

    values = metric_values(tables["reconstruction"], METRICS["reconstruction_error"])
    values = values[values["dataset"] == dataset]
    rows, image_shape = [], None
    for latent_dim, name in figure_representatives(tables, dataset).items():
        ae, pca = load(name), load(f"pca{latent_dim}")
        if not rows:
            rows.append(("original", ae["clean"]))
            image_shape = ae["image_shape"]
        error = float(values.loc[values["representation"] == name, "value"].iloc[0])
        rows.append((f"AE {name}\nerror {format_value(error, 3)}", ae["reconstruction"]))
        pca_error = value_of(values, "pca", latent_dim)
        rows.append((f"PCA {latent_dim}\nerror {format_value(pca_error, 3)}", pca["reconstruction"]))
    return figures.image_rows(rows, image_shape, f"{dataset}: test images (top) and their "
                              "reconstructions by the autoencoder of each latent size with the lowest "
                              "validation loss and by PCA of that size\n(error: squared error per image "
                              "over the test split)")


def worst_reconstructions_figure(tables, dataset, load):
    """For the autoencoder of each latent size chosen on validation, its test images of largest
    squared error and their reconstructions."""
    from study import figures
    from study.tables import format_value

    rows, image_shape = [], None
    for latent_dim, name in figure_representatives(tables, dataset).items():
        ae = load(name)
        image_shape = ae["image_shape"]
        rows.append((f"AE {name}\nworst test images", ae["worst_clean"]))
        rows.append((f"reconstructed\nerror {format_value(float(ae['worst_error'][0]), 3)} "
                     f"to {format_value(float(ae['worst_error'][-1]), 3)}", ae["worst_reconstruction"]))
    return figures.image_rows(rows, image_shape, f"{dataset}: the test images each latent size's autoencoder "
                              "(lowest validation loss) reconstructs worst, and its reconstructions\n(error: "
                              "squared error of the image, largest first)")


METRICS = {
    "reconstruction_error": Metric("squared_error_per_image", "reconstruction squared error per image",
                                   higher_is_better=False, heatmap=True, versus_pca="squared error/image",
                                   margin=0.05, relative=True),
    "reconstruction_bce": Metric("bce", "reconstruction BCE per image", higher_is_better=False,
                                 lines=False),
}

ANALYSIS = Analysis(
    "reconstruction", reads="model", run=run,
    # n_worst: a setting of its own, so that results written before the worst images were kept
    # are recomputed (a params change) rather than read without them.
    settings=lambda config: {"n_examples": config["analysis"]["examples"], "n_worst": config["analysis"]["examples"]},
    baselines=("pca",), metrics=METRICS, figures={"reconstructions": Figure(reconstructions_figure, """\
The first test images (top row) and their reconstructions: for each latent size, the autoencoder with
the lowest validation loss (of the configuration, the mean over its seeds; its first seed shown: chosen
without looking at the test split; its name and test squared error per image on the left), then PCA with as many components. Small codes keep the digit's class and rough shape; PCA's reconstructions at the same
size are blurrier, mixtures of the principal "eigendigits"."""),
        "worst_reconstructions": Figure(worst_reconstructions_figure, """\
For the autoencoder of each latent size with the lowest validation loss, the test images it reconstructs
worst (largest squared error first) and, below each row, its reconstructions. Read them for what a code
fails to keep: unusual strokes, thick or slanted digits, and images whose label a reader would doubt
are typical; a small code gives them back as the nearest common digit.""")},
    category="2. Reconstruction",
    caption="""\
The test images reconstructed by every autoencoder and by PCA of each latent size:
``bce``: binary cross-entropy per image (sum over pixels); ``mse``: mean squared error per pixel;
``squared_error_per_image``: sum over pixels of the squared error, averaged over images; ``psnr``:
10 log10(1 / mse) in dB. Lower errors and higher PSNR are better.""",
)
