"""What a run's numbers cannot support: the summary's warnings, read off the results.

A short study (the quick look, a config of one's own) can give numbers that point the other way
from a full one, and its tables look just as final. Two things decide it, and both can be read
from what the run wrote: how many training seeds each configuration has (one seed: no interval,
no test) and whether training ended while the validation loss was still falling (the numbers
are then those of under-trained models, not of the recipe).
"""
import numpy as np

#: Training counts as unfinished when the validation loss fell by more than this fraction over
#: the last tenth of the epochs. A cosine schedule ends with a learning rate near 0, so a run
#: that converged moves by well under 1% there; one cut short still falls by several percent.
STILL_FALLING = 0.01


def still_falling(val_loss, epochs):
    """Whether a history ran all `epochs` with its validation loss still falling at the end.

    val_loss : ndarray of shape (n_epochs,), the validation loss per epoch. A run stopped early
        (fewer epochs than `epochs`) has converged by its own criterion. Otherwise the fall over
        the last max(1, epochs // 10) epochs, relative to the loss before them, is compared with
        :data:`STILL_FALLING`.
    """
    val_loss = np.asarray(val_loss, dtype=np.float64)
    if len(val_loss) < max(epochs, 2):
        return False
    last = max(1, epochs // 10)
    before, after = val_loss[-last - 1], val_loss[-last:].min()
    return bool(before - after > STILL_FALLING * abs(before))


def limits(tables, datasets, histories, epochs):
    """The sentences of the summary's warnings, per dataset.

    tables : {analysis: per-seed table}, to count each configuration's seeds.
    histories : {dataset: {variant: validation losses (n_epochs,)}} of its trained autoencoders.
    epochs : {dataset: the configured cap on training epochs}.
    """
    sentences = []
    for dataset in datasets:
        seeds = [table.loc[(table["dataset"] == dataset) & (table["method"] == "autoencoder"), "seed"].nunique()
                 for table in tables.values()]
        if seeds and max(seeds) == 1:
            sentences.append(
                f"{dataset}: one training seed, so no number has an interval over seeds and no comparison "
                "can be tested (every primary question stays undecided); differences between configurations may be the seed's. "
                "Give `grid.seed` three seeds or more.")
        runs = histories.get(dataset, {})
        cut = sorted(variant for variant, loss in runs.items() if still_falling(loss, epochs[dataset]))
        if cut:
            sentences.append(
                f"{dataset}: {len(cut)} of {len(runs)} autoencoders were still improving when training stopped "
                f"at epoch {epochs[dataset]} (validation loss down more than {STILL_FALLING:.0%} over the last "
                f"tenth of the epochs), e.g. {cut[0]}: their numbers are those of under-trained models, not of "
                "what the recipe reaches. Raise `training.epochs`.")
    return sentences
