"""The confirmation stage: a dataset's primary questions, read off the exploration; the fresh
training seeds each is planned; and their verdicts, read off those seeds only.

A study runs in two stages (docs/statistics.md):

1. **Exploration.** The grid, on ``grid.seed`` (three seeds by default). Each primary question
   chooses its configurations on the validation split (:func:`questions`), and the seeds' spread
   sizes the second stage (:func:`plan`): for each question, the fewest seeds whose interval
   decides it (a difference or an equivalence) with chance ``confirm.power``, up to
   ``confirm.max_seeds`` (study.verdicts.seeds_to_decide). The plan is fixed before any fresh
   seed is trained: ``results/{dataset}/confirmation_plan.json``.
2. **Confirmation.** The chosen configurations are trained again on fresh seeds
   (``confirm.first_seed`` on, never a seed that chose them), and only the analyses their
   questions read are run. Each verdict is read off those seeds (:func:`verdict_rows`), at the
   level 1 - alpha / m that holds every verdict of the dataset's m questions at once.

Planning uses the exploration's mean difference (optimistic: the winner's curse) and a spread
pooled over every configuration of the latent size (more degrees of freedom than one
configuration's three seeds); neither enters a verdict, so their errors cost seeds, never
error rate. A question no count up to ``max_seeds`` would likely decide is planned no seeds of
its own (it is answered on its configurations' seeds if another question trains them), and its
row says how many it would take.

The plan records what it was made from (:func:`made_from`: the config's grid, questions and
confirm sections, and the digest of every exploration document it read) and a digest of itself;
:func:`read_plan` refuses a plan edited by hand, cut short, of another dataset or made from
another config or other documents, naming the file and what differs.
"""
import json
import math
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from diy import checks
from study.aggregates import configuration_of
from study.analyses import metric_named
from study.results import DIGEST, RERUN, read_json, read_sealed, sealed
from study.summary.choice import chosen_on_validation, seed_values, single_value
from study.tables import format_value, metric_values
from study.variants import AEVariant
from study.verdicts import BETTER, EQUIVALENT, WORSE, decide, decision_chance, interval_level, seeds_to_decide

#: How far a verdict's "seeds to decide" looks, past ``max_seeds``.
SEEDS_LIMIT = 1000
#: The fewest fresh seeds a question is planned: a t interval over fewer is too wide to decide.
MIN_SEEDS = 3
#: The confidence of the upper bound of the exploration's spread a plan assumes (planning_spread).
SPREAD_CONFIDENCE = 0.9


class Question(NamedTuple):
    """One primary question of a dataset: configuration `a` against `b` (a configuration, or a
    baseline such as ``pca8`` whose value `reference` needs no seed) on `metric` at `latent_dim`.
    `margin` is absolute (a relative one already multiplied by its reference), `low` and `high`
    the range of a difference A - B, `exploration` the exploration's per-seed differences."""

    kind: str
    latent_dim: int
    metric: str
    a: str
    b: str
    b_is_baseline: bool
    reference: float
    margin: float
    low: float
    high: float
    exploration: tuple


def _range(metric, reference=None):
    """The range of a difference A - B of `metric`: of two accuracies [-1, 1]; against a
    baseline's fixed value r, [-r, 1 - r] (an error: [-r, inf))."""
    bottom, top = metric.value_range
    if reference is None:
        return bottom - top, top - bottom
    return bottom - reference, top - reference


def _margin(name, metric, settings, reference):
    margin, relative = metric.equivalence_margin
    margin = settings["margins"].get(name, margin)
    return margin * abs(reference) if relative else margin


def _latent_sizes(table, dataset):
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder")]
    return sorted({int(d) for d in ae["latent_dim"].dropna()})


def _differences(table, metric, dataset, a, b=None, reference=None):
    """Per-seed A - B on the seeds both have (B a configuration), or A - reference."""
    first = seed_values(table, metric, dataset, a)
    second = seed_values(table, metric, dataset, b) if b is not None else pd.Series(reference, index=first.index)
    both = pd.concat([first, second], axis=1, ignore_index=True).dropna()
    return tuple(float(x) for x in both[0] - both[1])


def questions(tables, dataset, settings):
    """The primary questions of `dataset` (``settings``: the config's ``questions``), each with its
    configurations chosen on the exploration's validation split. `tables`: analysis -> its table;
    a metric of an analysis without one (the study does not run it) is not asked."""
    found = []
    for name in settings["metrics"]:
        analysis, metric = metric_named(name)
        if analysis.name not in tables:
            continue
        table = tables[analysis.name]
        for latent_dim in _latent_sizes(table, dataset):
            if settings["versus"] == "pca":
                chosen = chosen_on_validation(table, metric, dataset, latent_dim=latent_dim)
                if chosen is None:
                    continue
                a, reference = chosen[0].name, single_value(table, metric, dataset, "pca", latent_dim)
                found.append(Question("pca", latent_dim, name, a, f"pca{latent_dim}", True, reference,
                                      _margin(name, metric, settings, reference), *_range(metric, reference),
                                      _differences(table, metric, dataset, a, reference=reference)))
            else:
                found += _pairs(table, name, metric, dataset, settings, latent_dim, "objective", "objective")
    for name in settings["noise"]:
        analysis, metric = metric_named(name)
        if analysis.name not in tables:
            continue
        for latent_dim in _latent_sizes(tables[analysis.name], dataset):
            found += _pairs(tables[analysis.name], name, metric, dataset, settings, latent_dim, "noise", "noise",
                            against=0.0)
    return found


def _pairs(table, name, metric, dataset, settings, latent_dim, kind, factor, against=None):
    """Questions of each level of `factor` against the first level (or `against`), each level's
    configuration chosen on validation at `latent_dim`."""
    ae = table[(table["dataset"] == dataset) & (table["method"] == "autoencoder") & (table["latent_dim"] == latent_dim)]
    levels = list(dict.fromkeys(ae[factor].dropna()))
    if against is not None:
        levels = [against] + [level for level in levels if level != against] if against in levels else []
    picks = [chosen_on_validation(table, metric, dataset, latent_dim=latent_dim, **{factor: level}) for level in levels]
    picks = [(level, picked) for level, picked in zip(levels, picks) if picked is not None]
    if len(picks) < 2 or (against is not None and picks[0][0] != against):
        return []
    b, (_, b_test) = picks[0][1][0].name, picks[0][1]
    reference = float(b_test["mean"]) if b_test is not None else math.nan
    return [Question(kind, latent_dim, name, validation.name, b, False, reference,
                     _margin(name, metric, settings, reference), *_range(metric),
                     _differences(table, metric, dataset, validation.name, b))
            for _, (validation, _) in picks[1:]]


def pooled_sd(table, metric, dataset, latent_dim):
    """The within-configuration standard deviation of `metric` over training seeds, pooled over
    every autoencoder configuration of `latent_dim` (test split), and its degrees of freedom."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"pooled_sd: table must be an analysis table (a DataFrame), got {type(table).__name__}")
    if not hasattr(metric, "column"):
        raise TypeError(f"pooled_sd: metric must be an analysis' Metric, got {metric!r}")
    latent_dim = checks.positive_int("pooled_sd", "latent_dim", latent_dim)
    values = metric_values(table, metric)
    values = values[(values["dataset"] == dataset) & (values["method"] == "autoencoder")
                    & (values["latent_dim"] == latent_dim)]
    groups = values.assign(configuration=values["representation"].map(configuration_of)).groupby("configuration")
    squares = groups["value"].apply(lambda v: float(((v - v.mean()) ** 2).sum()))
    df = int((groups.size() - 1).clip(lower=0).sum())
    return (math.sqrt(squares.sum() / df) if df else math.nan), df


def planning_spread(sd, df):
    """The spread a plan assumes: the upper :data:`SPREAD_CONFIDENCE` confidence bound of a
    standard deviation `sd` estimated with `df` degrees of freedom, sd sqrt(df / chi2_{1-c, df}).
    A plan at the estimate itself falls short of its power about half the time, when the
    exploration's few seeds happen to spread less than the truth (Browne 1995). NaN (unknown)
    with no degree of freedom, or a NaN `sd`; an array of `sd` gives an array."""
    df = checks.integer("planning_spread", "df", df, minimum=0)
    sd = checks.number_array("planning_spread", "sd", sd, 0.0, nan=True)
    bound = sd * math.sqrt(df / stats.chi2.ppf(1 - SPREAD_CONFIDENCE, df)) if df else np.full(sd.shape, math.nan)
    return float(bound) if bound.ndim == 0 else bound


def planned_seeds(mean, spread, margin, level, confirm):
    """The fresh seeds a question is planned (arrays broadcast): with confirmation off, none;
    ``confirm.seeds`` if set; else the fewest n <= ``confirm.max_seeds`` whose interval decides a
    question of true mean difference `mean` and spread `spread` with chance ``confirm.power``
    (:func:`study.verdicts.decision_chance`), or 0 when none does (or the mean or spread is
    unknown: NaN)."""
    mean = checks.number_array("planned_seeds", "mean", mean, nan=True)
    spread = checks.number_array("planned_seeds", "spread", spread, 0.0, nan=True)
    margin = checks.positive("planned_seeds", "margin", margin)
    level = checks.open_fraction("planned_seeds", "level", level)
    confirm = _confirm_settings(confirm)
    mean, spread = np.broadcast_arrays(mean, spread)
    if not confirm["enabled"]:
        return np.zeros(mean.shape, int)
    if confirm["seeds"] is not None:
        return np.full(mean.shape, confirm["seeds"])
    n = np.arange(MIN_SEEDS, confirm["max_seeds"] + 1)
    known = ~np.isnan(mean + spread)
    # An unknown question is given a stand-in mean and spread, then decided by none.
    chance = decision_chance(np.where(known, mean, 0.0)[..., None],
                             np.where(known, np.maximum(spread, 1e-300), 1.0)[..., None], n, margin, level) \
        if len(n) else np.zeros((*mean.shape, 0))
    enough = (chance >= confirm["power"]) & known[..., None]
    return np.where(enough.any(axis=-1), n[np.argmax(enough, axis=-1)], 0)


def _confirm_settings(confirm):
    """The config's ``confirm`` section as :func:`planned_seeds` reads it, each key checked."""
    where = "planned_seeds"
    if not isinstance(confirm, dict):
        raise TypeError(f"{where}: confirm must be the config's confirm section (a dict), got {confirm!r}")
    missing = [key for key in ("enabled", "seeds", "max_seeds", "power") if key not in confirm]
    if missing:
        raise ValueError(f"{where}: confirm has no {', '.join(missing)}: {confirm!r}")
    if not isinstance(confirm["enabled"], bool):
        raise TypeError(f"{where}: confirm['enabled'] must be true or false, got {confirm['enabled']!r}")
    return {**confirm, "max_seeds": checks.positive_int(where, "confirm['max_seeds']", confirm["max_seeds"]),
            "power": checks.open_fraction(where, "confirm['power']", confirm["power"]),
            "seeds": None if confirm["seeds"] is None else checks.positive_int(where, "confirm['seeds']", confirm["seeds"])}


def plan(tables, dataset, settings, confirm):
    """The confirmation plan of `dataset` (``settings``: the config's ``questions``, ``confirm``
    its ``confirm``): every primary question with its planned fresh seeds, and the configurations
    to train with their seeds and analyses. JSON-ready."""
    found = questions(tables, dataset, settings)
    level = interval_level(settings["alpha"], max(len(found), 1))
    planned, seeds_of = [], {}
    for q in found:
        analysis, metric = metric_named(q.metric)
        # A difference of two configurations' seeds spreads sqrt(2) times as much as one's.
        spread = planning_spread(*pooled_sd(tables[analysis.name], metric, dataset, q.latent_dim)) * (
            1 if q.b_is_baseline else math.sqrt(2))
        mean = float(np.mean(q.exploration)) if q.exploration else math.nan
        needed = seeds_to_decide(mean, spread, q.margin, level, SEEDS_LIMIT, confirm["power"])
        seeds = int(planned_seeds(mean, spread, q.margin, level, confirm))
        planned.append({**q._asdict(), "exploration": list(q.exploration), "planned_sd": spread,
                        "exploration_mean": mean, "seeds_needed": needed, "seeds": seeds})
        for configuration in _configurations(q):
            seeds_of[configuration] = max(seeds_of.get(configuration, 0), seeds)
    # Each configuration trained runs the analyses of every question all of whose configurations
    # are trained: one planned no seeds of its own is answered for an analysis' cost.
    train = {name: {"seeds": seeds, "analyses": []} for name, seeds in seeds_of.items() if seeds > 0}
    for q in found:
        analysis = metric_named(q.metric)[0].name
        if all(name in train for name in _configurations(q)):
            for name in _configurations(q):
                if analysis not in train[name]["analyses"]:
                    train[name]["analyses"].append(analysis)
    return {"dataset": dataset, "alpha": settings["alpha"], "level": level, "power": confirm["power"],
            "enabled": confirm["enabled"], "first_seed": confirm["first_seed"],
            "max_seeds": confirm["max_seeds"], "questions": planned, "train": train}


#: The config's sections a plan is made from, which it records (:func:`made_from`).
PLANNED_FROM = ("grid", "questions", "confirm")


def made_from(config, documents):
    """What a plan is made from: `config`'s :data:`PLANNED_FROM` sections, and ``documents``,
    ``{"{analysis}/{representation}": digest}`` of each exploration document read."""
    return {**{section: config[section] for section in PLANNED_FROM}, "documents": dict(sorted(documents.items()))}


def sealed_plan(made, config, documents):
    """The plan `made` (:func:`plan`) as written: with :func:`made_from` and its digest."""
    return sealed({**made, "made_from": made_from(config, documents)})


def read_plan(path, config=None, documents=True):
    """The confirmation plan at `path` (``{results}/{dataset}/confirmation_plan.json``), once it
    is whole and as written (its digest), of that dataset, and, with `config` (the validated
    config), made from that config's :data:`PLANNED_FROM` sections and, with `documents`, from
    the exploration documents beside it now. Else a ValueError naming the file and what differs."""
    path = Path(path)
    plan = read_sealed(path, "confirmation plan")
    missing = [key for key in ("dataset", "questions", "train", "first_seed", "level", "power", "enabled",
                               "made_from") if key not in plan]
    if missing:
        raise ValueError(f"{path}: not a confirmation plan (no {', '.join(missing)}); {RERUN}")
    if plan["dataset"] != path.parent.name:
        raise ValueError(f"{path}: this plan was made for dataset {plan['dataset']!r}, not "
                         f"{path.parent.name!r}: a file of another dataset copied over it; {RERUN}")
    if config is not None:
        recorded = plan["made_from"]
        differences = [difference for section in PLANNED_FROM
                       for difference in _config_differences(section, recorded.get(section), _as_json(config[section]))]
        if differences:
            raise ValueError(f"{path}: made from another config than this study's: {'; '.join(differences[:5])}"
                             f"{'; ...' if len(differences) > 5 else ''}; {RERUN}")
    if documents:
        for name, digest in plan["made_from"]["documents"].items():
            document = path.parent / f"{name}.json"
            try:
                now = read_json(document).get(DIGEST)
            except (OSError, ValueError, AttributeError):
                now = None
            if now != digest:
                state = "which is not there now" if not document.exists() else "which has changed since"
                raise ValueError(f"{path}: made from the exploration document {document}, {state}: a plan "
                                 f"of other results; {RERUN}")
    return plan


def _as_json(value):
    return json.loads(json.dumps(value))


def _config_differences(where, recorded, expected):
    """``where.key = recorded in the plan, expected in the config`` for each leaf that differs."""
    if isinstance(recorded, dict) and isinstance(expected, dict):
        return [difference for key in dict.fromkeys([*recorded, *expected])
                for difference in _config_differences(f"{where}.{key}", recorded.get(key), expected.get(key))]
    if recorded == expected or (recorded != recorded and expected != expected):  # NaN
        return []
    return [f"{where} = {recorded!r} in the plan, {expected!r} in the config"]


def _configurations(question):
    """The configurations a question trains: A, and B unless it is a baseline."""
    return [question.a] + ([] if question.b_is_baseline else [question.b])


def confirmation_variants(plan):
    """``(variant, analysis)`` of every confirmation run the plan asks for, in its order."""
    return [(f"{name}_seed{seed}", analysis) for name, entry in plan["train"].items()
            for seed in range(plan["first_seed"], plan["first_seed"] + entry["seeds"])
            for analysis in entry["analyses"]]


#: The columns of the verdicts table, results/tables/verdicts.csv.
VERDICT_COLUMNS = ["dataset", "latent", "metric", "question", "A", "B", "verdict", "A - B", "low", "high", "margin",
                   "seeds", "stage", "seeds to decide", "planned"]


def verdict_rows(plan, tables):
    """The verdict of each question of `plan`, as rows of :data:`VERDICT_COLUMNS`: read off the
    confirmation's fresh seeds (`tables`: analysis -> the confirmation runs' table), or, with the
    confirmation off, off the exploration's seeds (which chose the configurations)."""
    rows = []
    for q in plan["questions"]:
        analysis, metric = metric_named(q["metric"])
        if plan["enabled"]:
            table = tables.get(analysis.name)
            if table is not None:  # fresh seeds only, should an exploration seed's document be given too
                table = table[table["seed"].fillna(-1) >= plan["first_seed"]]
            differences = (() if table is None else
                           _differences(table, metric, plan["dataset"], q["a"],
                                        None if q["b_is_baseline"] else q["b"], q["reference"]))
            stage = "confirmation"
        else:
            differences, stage = q["exploration"], "exploration (the choosing seeds)"
        verdict = decide(differences, q["margin"], plan["level"], metric.higher_is_better,
                         (q["low"], q["high"]), SEEDS_LIMIT, plan["power"])
        rows.append({"dataset": plan["dataset"], "latent": q["latent_dim"], "metric": q["metric"],
                     "question": f"{short_name(q, 'a')} vs {short_name(q, 'b')}", "A": q["a"], "B": q["b"],
                     "verdict": worded(verdict.verdict, q),
                     "A - B": verdict.difference, "low": verdict.low, "high": verdict.high, "margin": q["margin"],
                     "seeds": verdict.n, "stage": stage,
                     # Too few fresh seeds to say: the plan's count, from the exploration.
                     "seeds to decide": verdict.seeds_to_decide if verdict.n >= 2 else q["seeds_needed"],
                     "planned": q["seeds"]})
    return rows


def short_name(question, side):
    """``autoencoder``/``PCA`` of a question against PCA; else what differs between the two
    configurations: ``noise 0.25``, or the objective (``vae beta4``)."""
    if question["kind"] == "pca":
        return "autoencoder" if side == "a" else "PCA"
    variant = AEVariant.parse(f"{question[side]}_seed0")
    return f"noise {format_value(variant.noise)}" if question["kind"] == "noise" else variant.objective


def worded(verdict, question):
    """A verdict as the table words it: ``autoencoder better``, ``equivalent (within 0.02)``."""
    if verdict == BETTER:
        return f"{short_name(question, 'a')} better"
    if verdict == WORSE:
        return f"{short_name(question, 'b')} better"
    if verdict == EQUIVALENT:
        return f"equivalent (within {format_value(question['margin'], 3)})"
    return "undecided"


def verdicts_table(rows):
    return pd.DataFrame.from_records(rows, columns=VERDICT_COLUMNS)
