"""Optimal one-to-one assignment (the Hungarian method), and the clustering accuracy it gives,
per sample and overall."""
import numpy as np


def linear_sum_assignment(cost, *, maximize=False):
    """Rows and columns of a one-to-one assignment of minimal (or maximal) total cost.

    The shortest augmenting path form of the Hungarian method (Kuhn 1955, Munkres 1957;
    Jonker & Volgenant 1987): rows are added one at a time, each by the cheapest path
    of reduced costs ``cost[i, j] - u[i] - v[j]`` to a free column, with the dual
    potentials ``u``, ``v`` kept feasible. O(r^2 c) for r <= c, each step vectorised
    over the columns. Same contract as ``scipy.optimize.linear_sum_assignment``.

    Parameters
    ----------
    cost : ndarray of shape (r, c)
        Finite costs; a rectangular matrix assigns min(r, c) pairs.
    maximize : bool
        Maximise the total instead.

    Returns
    -------
    rows, cols : int ndarrays of shape (min(r, c),)
        ``cost[rows, cols].sum()`` is optimal; ``rows`` is sorted.
    """
    cost = np.asarray(cost, dtype=np.float64)
    if cost.ndim != 2:
        raise ValueError(f"linear_sum_assignment: expected a 2-d cost matrix, got shape {cost.shape}")
    if not np.isfinite(cost).all():
        raise ValueError("linear_sum_assignment: the cost matrix must be finite")
    if maximize:
        cost = -cost
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T
    n_rows, n_cols = cost.shape
    # Column 0 is a sentinel standing for "the row being added"; rows and columns
    # of the matrix are numbered from 1 (the layout of the classic formulation).
    u = np.zeros(n_rows + 1)
    v = np.zeros(n_cols + 1)
    row_of = np.zeros(n_cols + 1, dtype=np.intp)  # row matched to each column, 0 if free
    previous = np.zeros(n_cols + 1, dtype=np.intp)  # the column before each on the path
    for i in range(1, n_rows + 1):
        row_of[0] = i
        column = 0
        slack = np.full(n_cols + 1, np.inf)
        used = np.zeros(n_cols + 1, dtype=bool)
        while row_of[column] != 0:
            used[column] = True
            row = row_of[column]
            reduced = cost[row - 1] - u[row] - v[1:]
            free = ~used[1:]
            better = free & (reduced < slack[1:])
            slack[1:][better] = reduced[better]
            previous[1:][better] = column
            candidates = np.where(free, slack[1:], np.inf)
            nearest = int(np.argmin(candidates)) + 1
            step = candidates[nearest - 1]
            u[row_of[used]] += step
            v[used] -= step
            slack[1:][free] -= step
            column = nearest
        while column != 0:  # augment: shift the matching along the path
            row_of[column] = row_of[previous[column]]
            column = previous[column]
    cols = np.flatnonzero(row_of[1:])
    rows = row_of[1:][cols] - 1
    if transposed:
        rows, cols = cols, rows
    order = np.argsort(rows)
    return rows[order], cols[order]


def matched_correctly(y_true, y_cluster):
    """Whether each sample is right under the best one-to-one map from cluster ids to labels.

    y_true, y_cluster : ndarray of shape (n,), integer labels and cluster ids (any
    values, any counts). The map ``label_of`` maximises the matched count over the
    contingency table (``linear_sum_assignment``), fitted once on all n samples.

    Returns a bool ndarray of shape (n,): ``label_of[y_cluster] == y_true``; samples of
    unmatched clusters are False. Its mean is :func:`clustering_accuracy`.
    """
    y_true, y_cluster = np.asarray(y_true), np.asarray(y_cluster)
    if y_true.ndim != 1 or y_true.shape != y_cluster.shape:
        raise ValueError(f"matched_correctly: y_true and y_cluster must be labels and cluster ids of the "
                         f"same shape (n,), got shapes {y_true.shape} and {y_cluster.shape}")
    labels, y_true = np.unique(y_true, return_inverse=True)
    clusters, y_cluster = np.unique(y_cluster, return_inverse=True)
    contingency = np.zeros((len(clusters), len(labels)), dtype=np.int64)
    np.add.at(contingency, (y_cluster, y_true), 1)
    rows, cols = linear_sum_assignment(contingency, maximize=True)
    label_of = np.full(len(clusters), -1)  # -1: a cluster left unmatched, no label
    label_of[rows] = cols
    return label_of[y_cluster] == y_true


def clustering_accuracy(y_true, y_cluster):
    """Accuracy of the best one-to-one map from cluster ids to labels: the mean of
    :func:`matched_correctly`.

    y_true, y_cluster : ndarray of shape (n,), integer labels and cluster ids (any
    values, any counts). A clustering equal to the labelling up to a renaming of
    clusters scores 1.
    """
    return float(np.mean(matched_correctly(y_true, y_cluster)))
