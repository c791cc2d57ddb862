"""Two runs of one study side by side: which of the summary's tests agree, and which claims hold in both.

    python tools/compare_runs.py RESULTS_A RESULTS_B [--datasets digits] [--labels A B]

RESULTS_A and RESULTS_B are two results roots (each with the tidy table tables/metrics.csv, read
by study.results.load), e.g. the same config run under two OpenBLAS kernels
(OPENBLAS_CORETYPE=Haswell, Sandybridge). For every paired test of the summary
(study.summary.claims.paired_tests: Holm-adjusted per dataset) it prints both runs'
difference [interval] and adjusted p, and whether the claim holds in both, one or neither; then
how many of the autoencoder-vs-PCA rows print the same, and the claims that hold in both.
"""
import argparse

from study.analyses import ANALYSES
from study.results import load
from study.statistics import format_interval
from study.summary.claims import paired_tests
from study.summary.sections import versus_pca_table
from study.tables import analysis_tables, markdown_table


def describe(tested):
    """A test's name: its dataset, section, row keys or its two sides, and metric."""
    where = ", ".join(f"{value}" for key, value in tested.row.items()
                      if key in ("latent", "metric", "method")) or tested.metric_label
    return f"{tested.dataset}: {tested.section}: {where}: {tested.a} vs {tested.b}"


def compare(tests_a, tests_b, labels):
    """Markdown: one line per test present in both runs, by the position of its key."""
    def key(t):
        return t.dataset, t.section, t.row.get("latent"), t.row.get("metric", t.row.get("method")), \
            (t.a, t.b) if t.section in ("activation", "noise") else None

    b_by_key = {key(t): t for t in tests_b}
    lines = [f"| test | {labels[0]} | {labels[1]} | claim holds |", "|---|---|---|---|"]
    both = []
    for a in tests_a:
        b = b_by_key.get(key(a))
        if b is None:
            continue
        cells = []
        for t in (a, b):
            c = t.comparison
            cells.append(f"{t.a}: {format_interval(c.difference, c.low, c.high, t.metric.number_kind)}, "
                         f"p (Holm) {c.adjusted_p:.3f}")
        verdict = {(True, True): "in both", (False, False): "in neither"}.get((a.comparison.holds, b.comparison.holds), "in one")
        if verdict == "in both":
            both.append(describe(a))
        lines.append(f"| {describe(a)} | {cells[0]} | {cells[1]} | {verdict} |")
    return "\n".join(lines), both


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs=2, help="two results roots")
    parser.add_argument("--datasets", nargs="+", default=["digits"])
    parser.add_argument("--labels", nargs=2, default=["A", "B"])
    args = parser.parse_args(argv)
    tables = [analysis_tables(load(root), ANALYSES) for root in args.results]
    tests = [paired_tests(t, args.datasets) for t in tables]
    text, both = compare(*tests, args.labels)
    rows = [markdown_table(versus_pca_table(t)).splitlines() for t in tests]
    same = sum(x == y for x, y in zip(*rows)) - 2  # less the header and its rule
    print(text)
    print(f"\nautoencoder-vs-PCA rows printed the same: {same} of {len(rows[0]) - 2}")
    print(f"claims that hold in both ({len(both)}):")
    print("".join(f"- {line}\n" for line in both) or "(none)")


if __name__ == "__main__":
    main()
