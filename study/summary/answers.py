"""The summary's first section: the verdict of every primary question (study.confirmation),
as the reader needs it: the question, its verdict, the effect with its interval, the seeds it
used, and what an undecided one would take."""
import pandas as pd

from study.analyses import metric_named
from study.statistics import format_interval, format_number

ANSWERS_HEADING = "Answers to the primary questions"


def answers_text(verdicts):
    """How to read the verdicts, with the level and the stage they were read at."""
    stages = set(verdicts["stage"]) if len(verdicts) else set()
    where = ("the confirmation stage's fresh training seeds, never those that chose the configurations"
             if stages <= {"confirmation"} else
             "the exploration's seeds, which also chose the configurations (the confirmation is off): "
             "an optimistic reading")
    return ("The questions the study was run to answer (config key `questions`), each read off "
            f"{where}. At each latent size, the configuration chosen on validation (`A`) against `B`; "
            "`A - B`: the mean paired difference over seeds with its interval, which holds all the "
            "dataset's verdicts at once with 95% probability (Bonferroni over its questions; an "
            "interval is cut at the metric's range). A verdict is `better` when the interval excludes 0, "
            "`equivalent` when it lies within the margin (two one-sided tests against the margin, the "
            "smallest difference that matters), else `undecided`, with the seeds the observed mean and "
            "spread say would decide it. Squared error: lower is better, its margin 5% of B's value.")


def answers_table(verdicts):
    """The verdicts table (``results/tables/verdicts.csv``) as the summary shows it."""
    records = []
    for _, row in verdicts.iterrows():
        _, metric = metric_named(row["metric"])
        kind = metric.number_kind
        undecided = row["verdict"] == "undecided"
        needed = row["seeds to decide"]
        records.append({
            "dataset": row["dataset"], "latent": int(row["latent"]), "metric": metric.label,
            "A (chosen on val)": row["A"], "B": row["B"], "verdict": row["verdict"],
            "A - B": format_interval(row["A - B"], row["low"], row["high"], kind),
            "margin": format_number(row["margin"], kind), "seeds": int(row["seeds"]),
            "seeds to decide": ("" if not undecided else
                                "more than 1000" if pd.isna(needed) else str(int(needed))),
        })
    return pd.DataFrame.from_records(records, columns=[
        "dataset", "latent", "metric", "A (chosen on val)", "B", "verdict", "A - B", "margin", "seeds",
        "seeds to decide"])


def decided_share(verdicts):
    """``{dataset: (decided, questions)}``."""
    return {dataset: (int((group["verdict"] != "undecided").sum()), len(group))
            for dataset, group in verdicts.groupby("dataset", sort=False)}
