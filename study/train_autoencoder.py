"""Train one autoencoder variant of the grid on a dataset, and encode its splits.

The architecture is its family's (:mod:`study.families`), ending in a linear layer; every
family is trained the same way: on ``training.loss``, by ``training.optimizer`` (Adam by
default, or SGD with momentum) with a learning-rate schedule (``training.schedule``: a linear
warm-up over ``warmup_epochs``, then a cosine decay to 0 at ``epochs``), and early stopping on
the validation loss, keeping the best epoch's weights (``patience: null``: all ``epochs`` run
and the last weights stay, as DEC's and IDEC's pretraining).

- ``bce`` (the default): the binary cross-entropy of the pixels on the output's logits
  (``BCEWithLogitsLoss``: the output delta is sigmoid(z) - x, with no sigmoid layer to
  differentiate). The saved model ends in the Sigmoid the loss folded in, so its decoder gives
  pixels in [0, 1] like any other representation's.
- ``mse``: the squared error of the linear output, summed over the pixels (``MSELoss``), as
  Guo et al. (IDEC) and McConville et al. (N2D) pretrain; the decoder stays linear.

A variant with ``noise > 0`` is a denoising autoencoder: each training batch is corrupted
afresh (``diy.noise.corrupt``) and the target is the clean batch. Validation loss and the
codes are computed on clean inputs.

All randomness comes from the variant's seed, split into independent streams for the
initial weights and for training (shuffling, and noise, which ``fit`` separates again),
so a variant gives the same model bit for bit whatever else runs.
"""
import logging
import time

import numpy as np

from diy.bce_with_logits_loss import BCEWithLogitsLoss
from diy.mse_loss import MSELoss
from diy.noise import binarize, corrupt
from diy.optim import WarmupCosine
from diy.sigmoid import Sigmoid
from diy.train import fit
from study.data.dataset import binarized
from study.degenerate import check_codes, check_weights
from study.families import FAMILIES
from study.representations import encode_splits
from study.optimizers import optimizer_factory
from study.settings import LEGACY_DEFAULTS
from study.training import epoch_logger, training_subset

log = logging.getLogger(__name__)

#: ``training.loss`` -> the loss of the decoder's linear output.
LOSSES = {"bce": BCEWithLogitsLoss, "mse": MSELoss}


def seed_streams(seed):
    """``(init_rng, train_rng)``: independent generators spawned from ``default_rng(seed)``."""
    init_rng, train_rng = np.random.default_rng(seed).spawn(2)
    return init_rng, train_rng


def train_autoencoder(data, variant, *, family, training, noise_type="gaussian", name=None):
    """Train `variant` on ``data`` and encode every split.

    Parameters
    ----------
    data : dict
        A dataset as from ``study.data.dataset.load_dataset``: ``X_train, X_val, X_test``
        of shape (n, n_features), values in [0, 1].
    variant : study.variants.AEVariant
        Family, latent size, hidden activation, noise level and seed.
    family : mapping
        The family's settings for this dataset (``families.{family}`` of the config, its
        per-dataset values resolved).
    training : mapping
        ``epochs, batch_size, lr, schedule, warmup_epochs, patience, dtype`` and optionally
        ``max_train_samples``, ``loss``, ``optimizer`` and ``momentum`` (the workflow leaves
        them out of a job's params at their ``study.settings.LEGACY_DEFAULTS``: bce, adam, 0.9;
        the config's ``training`` section).
        ``binarize: dynamic`` (a dataset's config key, which the workflow adds here) trains on
        Bernoulli draws of the grey training images, each batch afresh, and validates and
        encodes the splits binarized once (``study.data.dataset.binarized``).
    noise_type : str
        A key of ``diy.noise.NOISE``; used only if ``variant.noise > 0``.
    name : str, optional
        Names the model in log lines and in a ``TrainingDiverged`` message
        (default: the variant's name).

    Returns
    -------
    model : AutoEncoder
        With the parameters of the epoch of lowest validation loss (of the last epoch if
        ``patience`` is None), in eval mode, its decoder
        ending in a Sigmoid (loss ``bce``) or a linear layer (``mse``).
    history : diy.train.History
    codes : dict
        ``Z_train, Z_val, Z_test``: float32 codes of shape (n, latent_dim) of the *whole*
        splits (also with ``max_train_samples``), row for row with ``data``'s labels.

    Raises
    ------
    diy.train.TrainingDiverged
        Naming `name`, the epoch and the batch.
    study.degenerate.DegenerateTraining
        If the trained weights exploded or the codes collapsed (naming `name` and the epoch).
    """
    name = variant.name if name is None else name
    dtype = np.dtype(training["dtype"])
    dynamic = training.get("binarize", "none") == "dynamic"
    grey_train, data = data["X_train"], binarized(data) if dynamic else data
    X_train = training_subset(grey_train, training.get("max_train_samples"))
    X_train = X_train.astype(dtype, copy=False)
    X_val = data["X_val"].astype(dtype, copy=False)
    init_rng, train_rng = seed_streams(variant.seed)
    model = FAMILIES[variant.family].build(tuple(data["image_shape"]), variant, family, init_rng, dtype)

    transform = None
    if variant.noise > 0:
        def transform(batch, rng):
            return corrupt(batch, noise_type, variant.noise, rng)

    log.info("%s: %s autoencoder (%s), %s, trained on %d samples (validation %d), %s", name,
             variant.family, ", ".join(f"{key}={value}" for key, value in family.items()),
             f"{noise_type} noise {variant.noise}" if transform else "no noise",
             len(X_train), len(X_val), ", ".join(f"{key}={value}" for key, value in training.items()))
    loss, name_of_optimizer, momentum = (training.get(key, LEGACY_DEFAULTS[key])
                                         for key in ("loss", "optimizer", "momentum"))
    optimizer = optimizer_factory(name_of_optimizer, training["lr"], momentum, "training")(model)
    start = time.perf_counter()
    history = fit(
        model, LOSSES[loss](), optimizer, X_train,
        epochs=training["epochs"], batch_size=training["batch_size"], rng=train_rng,
        X_val=X_val, patience=training["patience"], input_transform=transform,
        callback=epoch_logger(name, training["epochs"], log), name=name,
        scheduler=schedule(optimizer, training, len(X_train)), resample=binarize if dynamic else None,
    )
    kept = history.best_epoch or len(history)
    log.info("%s: %d epochs in %.1f s (%.0f samples/s); kept the weights of epoch %d, validation loss %.4f%s",
             name, len(history), time.perf_counter() - start,
             len(X_train) * len(history) / max(sum(history["seconds"]), 1e-9), kept,
             history["val_loss"][kept - 1], ", stopped early" if history.stopped_early else "")
    check_weights(name, model, kept)
    if loss == "bce":
        model.decoder.append(Sigmoid())
    codes = encode_splits(model.encoder, data, dtype)
    # A k-sparse code's sparsity is a count of units, not a weight.
    weights = {} if family.get("penalty") == "k_sparse" else {f"grid.{axis}": value for axis, value in variant.settings}
    check_codes(name, codes["Z_val"], kept, weights)
    return model, history, codes


def schedule(optimizer, training, n_samples):
    """The learning-rate schedule of ``training`` for an epoch of `n_samples`: a
    ``WarmupCosine`` over all ``epochs`` (``schedule: cosine``), or None (``constant``).
    A warm-up as long as the training (``warmup_epochs >= epochs``) ends one update early."""
    if training["schedule"] == "constant":
        return None
    per_epoch = -(-n_samples // training["batch_size"])
    total = training["epochs"] * per_epoch
    return WarmupCosine(optimizer, total, warmup=min(round(training["warmup_epochs"] * per_epoch), total - 1))
