"""Two runs of one study side by side: do the primary questions get the same verdicts?

    python tools/compare_runs.py RESULTS_A RESULTS_B [--labels A B]

RESULTS_A and RESULTS_B are two results roots (each with tables/verdicts.csv), e.g. the same
config run under two OpenBLAS kernels (OPENBLAS_CORETYPE=Haswell, SkylakeX). It prints each
question's verdict and effect in both runs, then the share of questions whose verdict is the
same, and the flips between "A better" and "B better" (which a design that survives another
machine must never show).
"""
import argparse

from study.analyses import metric_named
from study.statistics import format_interval
from study.tables import read_table

#: What names a question in both runs (its configurations may be chosen differently in each).
KEY = ["dataset", "latent", "metric", "question"]


def compare(a, b, labels):
    """(Markdown lines, questions in both, same verdicts, flips) of two verdicts tables."""
    merged = a.merge(b, on=KEY, suffixes=("_a", "_b"))
    lines = [f"| question | {labels[0]} | {labels[1]} | same |", "|---|---|---|---|"]
    same = flips = 0
    for _, row in merged.iterrows():
        kind = metric_named(row["metric"])[1].number_kind
        cells = [f"{row[f'verdict_{s}']} ({row[f'A_{s}']}): "
                 f"{format_interval(row[f'A - B_{s}'], row[f'low_{s}'], row[f'high_{s}'], kind)}, "
                 f"{int(row[f'seeds_{s}'])} seeds" for s in "ab"]
        agree = row["verdict_a"] == row["verdict_b"]
        # A flip: a difference both ways round (an equivalence or undecided has no direction).
        flipped = not agree and row["verdict_a"].endswith(" better") and row["verdict_b"].endswith(" better")
        same, flips = same + agree, flips + bool(flipped)
        lines.append(f"| {row['dataset']} latent {row['latent']} {row['metric']}: {row['question']} | {cells[0]} | "
                     f"{cells[1]} | {'yes' if agree else 'FLIP' if flipped else 'no'} |")
    return lines, len(merged), same, flips


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs=2, help="two results roots")
    parser.add_argument("--labels", nargs=2, default=["A", "B"])
    args = parser.parse_args(argv)
    lines, total, same, flips = compare(*(read_table(f"{root}/tables/verdicts.csv") for root in args.results),
                                        args.labels)
    print("\n".join(lines))
    print(f"\nsame verdict: {same} of {total} ({same / max(total, 1):.0%}); "
          f"flips between the two directions: {flips}")


if __name__ == "__main__":
    main()
