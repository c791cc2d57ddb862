"""Label efficiency: linear and k-NN probes on the codes of a few labelled train images per
class, several seeded draws, scored on validation and test."""
import math

import numpy as np
import pytest
from sklearn.datasets import make_blobs

from study.analyses import ANALYSES
from study.analyses.probe import PROBES, labelled_subset, linear_probe, probe_accuracies


def _blobs(spread, seed=0):
    """Three classes in 4 dimensions, as train (300), val (150) and test (150) codes and labels."""
    Z, y = make_blobs(n_samples=600, centers=3, n_features=4, cluster_std=spread, center_box=(-10, 10),
                      random_state=seed)
    codes = {"Z_train": Z[:300], "Z_val": Z[300:450], "Z_test": Z[450:]}
    data = {"y_train": y[:300], "y_val": y[300:450], "y_test": y[450:]}
    return codes, data


def test_a_draw_is_n_images_of_each_class_without_replacement():
    y = np.repeat([0, 1, 2], [50, 30, 2])
    index = labelled_subset(y, 5, np.random.default_rng(0))
    assert len(set(index)) == len(index) and list(index) == sorted(index)
    # Five of each class, all of a class that has fewer.
    assert np.bincount(y[index]).tolist() == [5, 5, 2]
    assert labelled_subset(y, 5, np.random.default_rng(0)).tolist() == index.tolist()
    assert labelled_subset(y, 5, np.random.default_rng(1)).tolist() != index.tolist()
    assert labelled_subset(y, "all", np.random.default_rng(0)).tolist() == list(range(len(y)))


def test_separated_classes_need_one_label():
    codes, data = _blobs(spread=0.3)
    accuracies = probe_accuracies(codes, data, [1, "all"], draws=4, Cs=[0.1, 1.0], knn_k=5, seed=0, max_iter=300)
    assert accuracies["test"].shape == (2, len(PROBES), 4)
    # One draw of all the labels, NaN past it; every draw of one label per class right everywhere.
    assert not np.isnan(accuracies["test"][1, :, 0]).any() and np.isnan(accuracies["test"][1, :, 1:]).all()
    assert np.all(accuracies["test"][0] == 1.0) and np.all(accuracies["val"][0] == 1.0)


def test_more_labels_serve_overlapping_classes_better():
    codes, data = _blobs(spread=4.0)
    accuracies = probe_accuracies(codes, data, [1, 30], draws=6, Cs=[0.01, 1.0], knn_k=5, seed=0, max_iter=300)
    mean = accuracies["test"].mean(axis=2)
    assert np.all(mean[1] > mean[0])


def test_the_draws_give_the_same_accuracies_on_any_number_of_threads():
    codes, data = _blobs(spread=4.0)
    settings = dict(labels_per_class=[1, 10, "all"], draws=3, Cs=[0.01, 1.0], knn_k=5, seed=0, max_iter=300)
    one, two = probe_accuracies(codes, data, **settings), probe_accuracies(codes, data, **settings, n_jobs=2)
    # Different draws score differently here, so a draw put in another's place would show.
    assert len(np.unique(one["test"][0, 0])) > 1
    for split in one:
        np.testing.assert_array_equal(one[split], two[split])


def test_the_linear_probe_keeps_the_regularisation_best_on_validation():
    # Seven in ten images of class 0, the classes apart on the first feature. Under C = 1e-4 the
    # weights vanish and the (unpenalised) intercept predicts class 0 everywhere; C = 1 separates
    # the classes. With the validation labels flipped, the useless model is the better one there.
    rng = np.random.default_rng(0)
    Z, Z_val = rng.standard_normal((100, 3)), rng.standard_normal((300, 3))
    label = lambda Z: (Z[:, 0] > 0.52).astype(int)
    Cs = [1e-4, 1.0]
    predict, chosen = linear_probe(Z, label(Z), Z_val, label(Z_val), Cs, seed=0, max_iter=1000)
    assert chosen == 1.0 and (predict(Z_val) == label(Z_val)).mean() > 0.95
    predict, chosen = linear_probe(Z, label(Z), Z_val, 1 - label(Z_val), Cs, seed=0, max_iter=1000)
    assert chosen == 1e-4 and np.all(predict(Z_val) == 0)


def test_the_knn_probe_at_all_labels_is_classification_s_knn(run_analysis, ae_name):
    probe, _ = run_analysis("probe", ae_name)
    classification, _ = run_analysis("classification", ae_name)
    for split in ("val", "test"):
        knn = next(row for row in classification if row["split"] == split and row["classifier"] == "knn")
        at_all = next(row for row in probe if row["split"] == split and row["probe"] == "knn"
                      and row["labels_per_class"] == "all")
        assert at_all["accuracy"] == knn["accuracy"] and at_all["draws"] == 1


def test_rows_give_the_mean_over_draws_and_its_t_interval(run_analysis, small_config, ae_name):
    from study.statistics import t_interval

    rows, arrays = run_analysis("probe", ae_name)
    settings = ANALYSES["probe"].settings(small_config)
    counts = [str(count) for count in settings["labels_per_class"]]
    assert [(row["split"], row["labels_per_class"], row["probe"]) for row in rows] == [
        (split, count, probe) for split in ("val", "test") for count in counts for probe in PROBES]
    for row in rows:
        draws = arrays[f"accuracies_{row['split']}"][counts.index(row["labels_per_class"]), PROBES.index(row["probe"])]
        interval = t_interval(draws[~np.isnan(draws)], confidence=settings["confidence"])
        assert row["accuracy"] == pytest.approx(interval.mean) and row["draws"] == interval.n
        if row["labels_per_class"] == "all":
            assert row["draws"] == 1 and math.isnan(row["accuracy_low"])
        else:
            assert row["draws"] == settings["draws"]
            assert (row["accuracy_low"], row["accuracy_high"]) == pytest.approx((interval.low, interval.high))
    # Digits' 8-dimensional code: one label per class is far from all of them.
    test = {(row["labels_per_class"], row["probe"]): row["accuracy"] for row in rows if row["split"] == "test"}
    assert test["1", "linear"] + 0.1 < test["all", "linear"] and test["all", "knn"] > 0.8


def test_labels_per_class_all_or_a_positive_count_in_the_config(schema, defaults):
    from study.config import ConfigError, validate_config

    for bad in ([0], ["every"], [10, 10]):
        with pytest.raises(ConfigError, match="analysis.probe.labels_per_class"):
            validate_config({"analysis": {"probe": {"labels_per_class": bad}}}, schema, defaults=defaults)


def test_the_config_gives_only_counts_a_metric_reads(schema, defaults):
    """A count no metric reads would give rows no table column, figure or summary line shows:
    refused, by its key, before any job (issue 40)."""
    from study.analyses.probe import ANALYSIS
    from study.config import ConfigError, validate_config

    allowed = ANALYSIS.schema["labels_per_class"]["items"]["enum"]
    read = {value for metric in ANALYSIS.metrics.values() for column, value in metric.where
            if column == "labels_per_class" and metric.where == (("probe", "linear"), (column, value))}
    assert {str(count) for count in allowed} == read
    with pytest.raises(ConfigError) as error:
        validate_config({"analysis": {"probe": {"labels_per_class": [5, 10, 50]}}}, schema, defaults=defaults)
    assert str(error.value).splitlines() == [
        f"config: analysis.probe.labels_per_class[{i}] = {count}: must be one of 1, 10, 100, all"
        for i, count in ((0, 5), (2, 50))]
    # A count written as a string is the count.
    config = validate_config({"analysis": {"probe": {"labels_per_class": ["10", "all"]}}}, schema, defaults=defaults)
    assert config["analysis"]["probe"]["labels_per_class"] == [10, "all"]
