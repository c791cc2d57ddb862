"""The quick study's supervised reference (workflow/configs/quick.yaml's raw-pixel classifier),
trained as the workflow trains it: to early stopping, so that the summary's reference is not beaten
by a linear classifier on a code (stopped at 10 epochs it reached 0.830, below 0.908)."""
from repository import REPO
from study.config import load_config
from study.settings import CLASSIFIER_TRAINING_KEYS, dataset_settings
from study.train_classifier import train_classifier
from study.variants import classifier_variants


def test_the_quick_reference_classifier_trains_until_it_stops_improving(schema, defaults, digits):
    config = load_config(REPO / "workflow" / "configs" / "quick.yaml", schema, defaults=defaults)
    training = dataset_settings(config["classifiers"], "digits", CLASSIFIER_TRAINING_KEYS)
    for variant in classifier_variants(config):
        _, history, metrics = train_classifier(digits, variant, training=training)
        # Stopped by its patience (its validation accuracy no longer improving), not by the cap.
        assert metrics["epochs_trained"] < training["epochs"], variant.name
        assert history.best_epoch <= metrics["epochs_trained"] - training["patience"]
        assert metrics["test_accuracy"] > 0.9, variant.name
