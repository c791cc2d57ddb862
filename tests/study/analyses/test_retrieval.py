"""Retrieval: each query ranks the train codes; mean average precision and precision at k of
same-label neighbours, by Euclidean and cosine distance."""
import numpy as np
import pytest
from sklearn.metrics import average_precision_score

from study.analyses import ANALYSES
from study.analyses.retrieval import distances, ranking_scores, query_indices, retrieve


def _codes(n_train=500, n_queries=60, k=6, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n_queries, k)), rng.integers(0, 4, n_queries),
            rng.standard_normal((n_train, k)), rng.integers(0, 4, n_train))


@pytest.mark.parametrize("distance", ["euclidean", "cosine"])
def test_average_precision_and_precision_at_k_equal_an_independent_ranking(distance):
    Q, y_q, Z, y = _codes()
    ap, precision, nearest = retrieve(Q, y_q, Z, y, distance, ks=[1, 7, 50])
    for q in range(len(Q)):
        if distance == "euclidean":
            d = ((Z - Q[q]) ** 2).sum(axis=1)
        else:
            d = 1 - Z @ Q[q] / np.linalg.norm(Z, axis=1) / np.linalg.norm(Q[q])
        relevant = y == y_q[q]
        assert ap[q] == pytest.approx(average_precision_score(relevant, -d))
        order = np.argsort(d)
        assert nearest[q] == order[0]
        for k in (1, 7, 50):
            assert precision[k][q] == pytest.approx(relevant[order[:k]].mean())


def test_a_tie_counts_against_the_representation():
    # Two train images at the query's distance, the relevant one second in the split's order.
    D = np.array([[1.0, 1.0, 3.0]])
    ap, precision = ranking_scores(D, np.array([0]), np.array([1, 0, 0]), ks=[1, 2])
    assert ap == pytest.approx([(1 / 2 + 2 / 3) / 2])
    assert precision[1] == pytest.approx([0.0]) and precision[2] == pytest.approx([0.5])


def test_separated_classes_retrieve_perfectly_and_cosine_ignores_the_scale():
    rng = np.random.default_rng(0)
    centres = 20 * np.eye(3)
    y, y_q = rng.integers(0, 3, 300), rng.integers(0, 3, 40)
    Z, Q = centres[y] + rng.standard_normal((300, 3)), centres[y_q] + rng.standard_normal((40, 3))
    ap, precision, _ = retrieve(Q, y_q, Z, y, "euclidean", ks=[1, 10])
    assert np.all(ap == 1.0) and np.all(precision[10] == 1.0)
    cosine = retrieve(Q, y_q, Z, y, "cosine", ks=[1, 10])[0]
    assert retrieve(5 * Q, y_q, 0.1 * Z, y, "cosine", ks=[1, 10])[0] == pytest.approx(cosine)


def test_queries_are_a_seeded_subset_capped_at_the_split():
    assert query_indices(50, 100, seed=0).tolist() == list(range(50))
    index = query_indices(1000, 100, seed=0)
    assert len(set(index)) == 100 and list(index) == sorted(index)
    assert query_indices(1000, 100, seed=0).tolist() == index.tolist() != query_indices(1000, 100, seed=1).tolist()


def test_unknown_distance_is_refused():
    with pytest.raises(ValueError, match="unknown distance 'manhattan'"):
        distances(np.zeros((1, 2)), np.zeros((3, 2)), "manhattan")


def test_rows_and_the_figure_s_arrays(run_analysis, make_source, small_config, ae_name, digits):
    rows, arrays = run_analysis("retrieval", ae_name)
    settings = ANALYSES["retrieval"].settings(small_config)
    assert [(row["split"], row["distance"]) for row in rows] == [
        (split, distance) for split in ("val", "test") for distance in settings["distances"]]
    assert all(set(row) == {"split", "distance", "map", "map_low", "map_high", "precision_at_1", "precision_at_5"}
               for row in rows)
    # Digits' 8-dimensional code retrieves its digit far above chance (0.1), each mAP inside its interval.
    assert all(row["map_low"] < row["map"] < row["map_high"] and row["map"] > 0.4 for row in rows)
    assert all(row["precision_at_1"] >= row["precision_at_5"] - 0.1 for row in rows)
    # The test split's Euclidean mAP is the mean of its seeded queries' average precisions.
    index = query_indices(len(digits["y_test"]), settings["queries"], settings["seed"])
    codes = make_source(ANALYSES["retrieval"], ae_name).codes
    ap, _, _ = retrieve(codes["Z_test"][index], digits["y_test"][index], codes["Z_train"], digits["y_train"],
                        "euclidean", ks=[1])
    test = next(row for row in rows if row["split"] == "test" and row["distance"] == "euclidean")
    assert test["map"] == pytest.approx(ap.mean())
    assert arrays["queries"].shape == (settings["n_examples"], digits["X_test"].shape[1])
    assert np.array_equal(arrays["queries"], digits["X_test"][index[:settings["n_examples"]]])
    # Each shown query's nearest train image is one of the train split's images.
    train = {row.tobytes() for row in digits["X_train"]}
    assert all(image.tobytes() in train for image in arrays["nearest"])
