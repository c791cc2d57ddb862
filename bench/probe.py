"""Seconds per probe job, its label draws on one thread against several (joblib).

Runs the probe analysis' draws (``study.analyses.probe.probe_accuracies``: config.yaml's
``analysis.probe``, a linear and a k-NN probe per draw of 1, 10, 100 and all labels per class)
on PCA codes of ``--latent`` components fitted on the train split (``--latent 0``: the raw
pixels), with ``n_jobs`` 1 and then each of ``--jobs`` (one BLAS thread per draw), alternating
over ``--repeats`` rounds, and prints each one's median seconds, its speed-up over one thread,
and whether the accuracies are the same (they must be: each draw has its own generator).

    python bench/probe.py data/mnist.npz                 # PCA codes of 16
    python bench/probe.py data/mnist.npz --latent 0      # the raw pixels (784 dimensions)
"""
import argparse
import statistics
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from study.analyses.probe import probe_accuracies
from study.config import read_yaml
from study.data.dataset import load_dataset
from study.pca import pca_representation

CONFIG = Path(__file__).resolve().parents[1] / "config.yaml"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="a dataset file, data/{dataset}.npz")
    parser.add_argument("--latent", type=int, default=16, help="PCA components; 0: the raw pixels")
    parser.add_argument("--jobs", type=int, nargs="+", default=[2], help="thread counts to compare with 1")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    data = load_dataset(args.data)
    if args.latent:
        codes = pca_representation(data, args.latent, seed=0)[1]
    else:
        codes = {f"Z_{split}": data[f"X_{split}"] for split in ("train", "val", "test")}
    config = read_yaml(CONFIG)
    section = config["analysis"]["probe"]
    settings = dict(labels_per_class=section["labels_per_class"], draws=section["draws"], Cs=section["C"],
                    knn_k=config["analysis"]["classification"]["knn_k"], seed=0,
                    max_iter=section["logistic_max_iter"])
    print(f"{args.data}, {'pixels' if not args.latent else f'PCA codes of {args.latent}'}: probe draws "
          f"{section['labels_per_class']} labels per class x {section['draws']}, {args.repeats} rounds")
    seconds, results = {n: [] for n in [1, *args.jobs]}, {}
    with threadpool_limits(1):
        for _ in range(args.repeats):
            for n_jobs in seconds:
                start = time.perf_counter()
                results[n_jobs] = probe_accuracies(codes, data, **settings, n_jobs=n_jobs)
                seconds[n_jobs].append(time.perf_counter() - start)
    one = statistics.median(seconds[1])
    for n_jobs, runs in seconds.items():
        same = all(np.array_equal(results[1][split], results[n_jobs][split], equal_nan=True) for split in results[1])
        print(f"n_jobs {n_jobs}: {statistics.median(runs):6.2f} s (runs: {', '.join(f'{s:.2f}' for s in runs)}), "
              f"speed-up {one / statistics.median(runs):.2f}, accuracies {'the same' if same else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
