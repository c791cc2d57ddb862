"""How much of a k-means accuracy's spread between training seeds is k-means' own.

A primary question pays seeds for the spread of its metric between training seeds. Part of
k-means accuracy's spread is the analysis' own: the same codes, clustered from other k-means++
starts, land in other optima. For every autoencoder configuration of one latent size in a
finished run, this refits k-means on the first seed's test codes with ``--refits`` analysis seeds
at each ``--n-init``, and prints the median over configurations of two standard deviations: the
refits' (the analysis' own, on fixed codes) and the training seeds' (the run's table, at the
run's own ``n_init``). What the study's ``analysis.kmeans.n_init`` was chosen from.

    python bench/analysis_spread.py results --dataset digits --latent 8 [--n-init 10 100] [--refits 10]
"""
import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from study.aggregates import configuration_of
from study.analyses.kmeans import cluster
from study.data.dataset import load_dataset
from study.results import read_npz


def refit_spread(codes, y, n_init, refits):
    """The standard deviation of k-means accuracy over `refits` analysis seeds on fixed codes."""
    settings = {"n_init": n_init, "resamples": 100, "confidence": 0.95}
    return float(np.std([cluster(codes, y, {**settings, "seed": seed})["accuracy"] for seed in range(refits)],
                        ddof=1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a finished run's results directory")
    parser.add_argument("--dataset", default="digits")
    parser.add_argument("--latent", type=int, default=8)
    parser.add_argument("--n-init", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--refits", type=int, default=10)
    args = parser.parse_args()
    y = load_dataset(f"data/{args.dataset}.npz")["y_test"]
    table = pd.read_csv(Path(args.results, "tables", "kmeans.csv"))
    rows = table[(table["dataset"] == args.dataset) & (table["method"] == "autoencoder")
                 & (table["latent_dim"] == args.latent) & (table["split"] == "test")
                 & (table["preprocessing"] == "none")]
    seeds_sd = rows.groupby(rows["representation"].map(configuration_of))["accuracy"].std(ddof=1)
    records = []
    for configuration in sorted(seeds_sd.index):
        first = sorted(rows.loc[rows["representation"].map(configuration_of) == configuration, "representation"])[0]
        codes = read_npz(Path(args.results, args.dataset, "repr", first, "codes.npz"))["Z_test"]
        records.append({"configuration": configuration, "training seeds' sd": seeds_sd[configuration],
                        **{f"refits' sd, n_init {n}": refit_spread(codes, y, n, args.refits) for n in args.n_init}})
    spread = pd.DataFrame.from_records(records)
    print(spread.to_markdown(index=False, floatfmt=".4f"))
    print("\nmedians: " + ", ".join(f"{column} {spread[column].median():.4f}" for column in spread.columns[1:]))


if __name__ == "__main__":
    main()
