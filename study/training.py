"""What the training of an autoencoder (:mod:`study.train_autoencoder`) and of a raw-pixel
classifier (:mod:`study.train_classifier`) share: the training subset and the epoch log."""


def training_subset(X, max_samples):
    """The first ``max_samples`` rows of ``X`` (all of them if None).

    The dataset's splits are already shuffled and stratified, so a prefix is a fair and
    seed-independent subset: every variant trained with the same limit sees the same samples.
    """
    if max_samples is None or max_samples >= len(X):
        return X
    if max_samples < 1:
        raise ValueError(f"max_train_samples must be >= 1 or None, got {max_samples}")
    return X[:max_samples]


def epoch_logger(name, epochs, logger, metric_name=None):
    """A ``fit`` callback logging each epoch as one INFO line to `logger`, so that
    ``tail -f`` on the job's log follows training."""
    width = len(str(epochs))

    def callback(record):
        metric = "" if metric_name is None else f" {metric_name} {record['val_metric']:.4f}"
        logger.info("%s: epoch %*d/%d train_loss %.5f val_loss %.5f%s %.2fs", name, width,
                    record["epoch"], epochs, record["train_loss"], record["val_loss"], metric,
                    record["seconds"])

    return callback
