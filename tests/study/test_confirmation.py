"""The confirmation stage: the primary questions read off the exploration (configurations chosen
on validation), the fresh seeds each is planned, and their verdicts, read off those seeds only."""
import math

import numpy as np
import pytest

from study.analyses import ANALYSES
from study.confirmation import (SEEDS_LIMIT, confirmation_variants, plan, planning_spread, pooled_sd, questions,
                                short_name,
                                verdict_rows, verdicts_table, worded)
from study.representations import describe
from study.results import document
from study.tables import analysis_table
from study.verdicts import BETTER, EQUIVALENT, UNDECIDED, WORSE, interval_level, seeds_to_decide

SETTINGS = {"versus": "pca", "metrics": ["kmeans_accuracy", "reconstruction_error"], "noise": ["denoising_psnr"],
            "alpha": 0.05, "margins": {}}
CONFIRM = {"enabled": True, "seeds": None, "max_seeds": 12, "power": 0.8, "first_seed": 100}
CHOSEN = "mlp_latent8_relu_noise0"  # best on validation in every table below, never on test


def _row(analysis, value):
    """One split's row of `analysis` whose primary metric's column is `value`."""
    if analysis == "kmeans":
        return [{"preprocessing": "none", "accuracy": value, "nmi": value - 0.1, "ari": value - 0.2}]
    if analysis == "reconstruction":
        return [{"bce": 5 * value, "mse": value / 64, "squared_error_per_image": value, "psnr": 20 - value}]
    # Denoising: two test noises, their PSNRs `value` -/+ 1 (the metric averages them).
    return [{"test_noise_kind": "gaussian", "test_noise_level": level, "squared_error_per_image": 1.0,
             "psnr": value + shift} for level, shift in ((0.1, 1.0), (0.5, -1.0))]


def _table(analysis, configurations, baselines=None, dataset="digits"):
    """An analysis table: `configurations` ``{configuration: {seed: (validation, test)}}``, each
    seed a document, and `baselines` ``{name: (validation, test)}``."""
    documents = []
    for configuration, seeds in configurations.items():
        for seed, values in seeds.items():
            name = f"{configuration}_seed{seed}"
            documents.append(document(analysis, dataset, name, describe(name), {}, _split_rows(analysis, *values)))
    for name, values in (baselines or {}).items():
        documents.append(document(analysis, dataset, name, describe(name), {}, _split_rows(analysis, *values)))
    return analysis_table(documents)


def _split_rows(analysis, validation, test):
    return ([{"split": "val", **row} for row in _row(analysis, validation)]
            + [{"split": "test", **row} for row in _row(analysis, test)])


def _seeds(validation, tests, first=0):
    """``{seed: (validation, test)}`` of seeds first, first + 1, ..."""
    return {first + i: (validation, test) for i, test in enumerate(tests)}


#: The exploration's test values on seeds 0, 1, 2. On validation, ReLU is best (k-means: 0.90
#: against 0.80; squared error: 1.0 against 1.5), on test tanh.
KMEANS = {CHOSEN: [0.70, 0.74, 0.69], "mlp_latent8_tanh_noise0": [0.80, 0.83, 0.81]}
ERRORS = {CHOSEN: [2.0, 2.1, 1.95], "mlp_latent8_tanh_noise0": [1.0, 1.05, 1.1]}
PCA_ACCURACY, PCA_ERROR = 0.6, 1.6


@pytest.fixture(scope="module")
def exploration():
    """The exploration's tables of digits at latent size 8: k-means, reconstruction against PCA 8,
    and denoising at training noises 0 and 0.25 (ReLU best on validation at each)."""
    kmeans = _table("kmeans", {CHOSEN: _seeds(0.90, KMEANS[CHOSEN]),
                               "mlp_latent8_tanh_noise0": _seeds(0.80, KMEANS["mlp_latent8_tanh_noise0"])},
                    {"pca8": (0.6, PCA_ACCURACY), "pixels": (0.5, 0.5)})
    tanh = "mlp_latent8_tanh_noise0"
    reconstruction = _table("reconstruction", {CHOSEN: _seeds(1.0, ERRORS[CHOSEN]), tanh: _seeds(1.5, ERRORS[tanh])},
                            {"pca8": (1.6, PCA_ERROR)})
    denoising = _table("denoising", {CHOSEN: _seeds(20.0, [18.0, 18.4, 18.2]),
                                     "mlp_latent8_relu_noise0.25": _seeds(21.0, [19.0, 18.4, 19.6]),
                                     "mlp_latent8_tanh_noise0": _seeds(19.0, [22.0, 22.0, 22.0]),
                                     "mlp_latent8_tanh_noise0.25": _seeds(20.0, [23.0, 23.0, 23.0])})
    return {"kmeans": kmeans, "reconstruction": reconstruction, "denoising": denoising}


def _by_metric(found):
    return {q.metric: q for q in found}


# -- the questions, chosen on validation ---------------------------------------------------------
def test_questions_choose_on_validation_and_pair_with_pca_s_test_value(exploration):
    found = _by_metric(questions(exploration, "digits", SETTINGS))
    assert set(found) == {"kmeans_accuracy", "reconstruction_error", "denoising_psnr"}
    kmeans = found["kmeans_accuracy"]
    # The validation-best (ReLU), though tanh is better on test.
    assert (kmeans.kind, kmeans.latent_dim, kmeans.a, kmeans.b, kmeans.b_is_baseline) == (
        "pca", 8, CHOSEN, "pca8", True)
    assert kmeans.reference == pytest.approx(PCA_ACCURACY)
    assert kmeans.exploration == pytest.approx(np.subtract(KMEANS[CHOSEN], PCA_ACCURACY))
    assert kmeans.margin == 0.02
    # A difference of accuracies against PCA's fixed 0.6 lies in [0 - 0.6, 1 - 0.6].
    assert (kmeans.low, kmeans.high) == pytest.approx((-PCA_ACCURACY, 1 - PCA_ACCURACY))
    error = found["reconstruction_error"]
    assert (error.a, error.b) == (CHOSEN, "pca8")  # lowest validation error, not lowest test error
    assert error.exploration == pytest.approx(np.subtract(ERRORS[CHOSEN], PCA_ERROR))
    # A relative margin: 5% of PCA's value; an error is >= 0, so A - B >= -PCA's, unbounded above.
    assert error.margin == pytest.approx(0.05 * PCA_ERROR)
    assert error.low == pytest.approx(-PCA_ERROR) and error.high == math.inf


def test_noise_questions_pit_each_training_noise_against_none(exploration):
    noise = _by_metric(questions(exploration, "digits", SETTINGS))["denoising_psnr"]
    # Each noise level's configuration chosen on its own validation PSNR: ReLU at both.
    assert (noise.kind, noise.a, noise.b, noise.b_is_baseline) == ("noise", "mlp_latent8_relu_noise0.25", CHOSEN, False)
    assert noise.exploration == pytest.approx([1.0, 0.0, 1.4])
    assert noise.reference == pytest.approx(np.mean([18.0, 18.4, 18.2]))
    assert noise.margin == 0.5  # PSNR: absolute, in dB
    assert (noise.low, noise.high) == (-math.inf, math.inf)
    assert short_name(noise._asdict(), "a") == "noise 0.25" and short_name(noise._asdict(), "b") == "noise 0"


def test_a_configured_margin_overrides_the_declared_one(exploration):
    settings = {**SETTINGS, "margins": {"kmeans_accuracy": 0.05, "reconstruction_error": 0.1}}
    found = _by_metric(questions(exploration, "digits", settings))
    assert found["kmeans_accuracy"].margin == 0.05
    assert found["reconstruction_error"].margin == pytest.approx(0.1 * PCA_ERROR)  # still relative


def test_the_planned_spread_is_pooled_over_every_configuration_of_the_size(exploration):
    metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    squares = sum(((np.array(v) - np.mean(v)) ** 2).sum() for v in KMEANS.values())
    sd, df = pooled_sd(exploration["kmeans"], metric, "digits", 8)
    assert (sd, df) == (pytest.approx(math.sqrt(squares / 4)), 4)
    assert math.isnan(pooled_sd(exploration["kmeans"], metric, "digits", 2)[0])  # no configuration


def test_a_plan_assumes_the_upper_bound_of_the_spread():
    """The upper 90% bound: the chi-square's 10% quantile with df = 4 is 1.0636, so the bound is
    sqrt(4 / 1.0636) = 1.939 times the estimate; with many degrees of freedom it nears it."""
    assert planning_spread(0.01, 4) == pytest.approx(0.01 * math.sqrt(4 / 1.063623), rel=1e-5)
    assert 0.01 < planning_spread(0.01, 10_000) < 0.0102
    assert math.isnan(planning_spread(math.nan, 0))


# -- the plan -------------------------------------------------------------------------------------
def _expected_seeds(made, metric, confirm=CONFIRM):
    """seeds_to_decide of a planned question, computed here."""
    q = next(q for q in made["questions"] if q["metric"] == metric)
    return seeds_to_decide(np.mean(q["exploration"]), q["planned_sd"], q["margin"], made["level"], SEEDS_LIMIT,
                           confirm["power"])


def test_each_question_is_planned_the_seeds_that_decide_it(exploration):
    made = plan(exploration, "digits", SETTINGS, CONFIRM)
    assert made["level"] == interval_level(0.05, 3) and len(made["questions"]) == 3
    by_metric = {q["metric"]: q for q in made["questions"]}
    metric = ANALYSES["kmeans"].metrics["kmeans_accuracy"]
    # Against PCA (no seed of its own): the configurations' spread; between two configurations,
    # the spread of a difference of two: sqrt(2) times.
    assert by_metric["kmeans_accuracy"]["planned_sd"] == planning_spread(
        *pooled_sd(exploration["kmeans"], metric, "digits", 8))
    psnr = ANALYSES["denoising"].metrics["denoising_psnr"]
    assert by_metric["denoising_psnr"]["planned_sd"] == pytest.approx(
        math.sqrt(2) * planning_spread(*pooled_sd(exploration["denoising"], psnr, "digits", 8)))
    for name, q in by_metric.items():
        needed = _expected_seeds(made, name)
        assert needed is not None and 3 <= needed <= CONFIRM["max_seeds"], name
        assert q["seeds_needed"] == q["seeds"] == needed, name
    # Every seed of the plan names a configuration to train; PCA is trained on none.
    assert set(made["train"]) == {CHOSEN, "mlp_latent8_relu_noise0.25"}


def test_a_configuration_is_trained_on_the_most_seeds_its_questions_need(exploration):
    made = plan(exploration, "digits", SETTINGS, CONFIRM)
    seeds = {q["metric"]: q["seeds"] for q in made["questions"]}
    assert len(set(seeds.values())) > 1  # the questions differ, so a maximum means something
    # CHOSEN answers all three questions (A against PCA twice, B of the noise question).
    assert made["train"][CHOSEN] == {"seeds": max(seeds.values()),
                                     "analyses": ["kmeans", "reconstruction", "denoising"]}
    assert made["train"]["mlp_latent8_relu_noise0.25"] == {"seeds": seeds["denoising_psnr"], "analyses": ["denoising"]}


def test_fresh_seeds_start_at_first_seed(exploration):
    made = plan(exploration, "digits", SETTINGS, {**CONFIRM, "first_seed": 500})
    runs = confirmation_variants(made)
    n = made["train"][CHOSEN]["seeds"]
    chosen = [(variant, analysis) for variant, analysis in runs if variant.startswith(CHOSEN + "_seed")]
    assert chosen == [(f"{CHOSEN}_seed{seed}", analysis) for seed in range(500, 500 + n)
                      for analysis in ("kmeans", "reconstruction", "denoising")]
    assert len(runs) == sum(entry["seeds"] * len(entry["analyses"]) for entry in made["train"].values())
    # No exploration seed (0, 1, 2) is trained again.
    assert min(int(variant.rsplit("_seed", 1)[1]) for variant, _ in runs) == 500


def test_a_question_beyond_max_seeds_is_planned_none(exploration):
    needed = {q["metric"]: q["seeds_needed"] for q in plan(exploration, "digits", SETTINGS, CONFIRM)["questions"]}
    cap = needed["denoising_psnr"] - 1
    assert cap >= 2 and needed["kmeans_accuracy"] <= cap  # the settings make it so
    made = plan(exploration, "digits", SETTINGS, {**CONFIRM, "max_seeds": cap})
    by_metric = {q["metric"]: q for q in made["questions"]}
    # Planned no seed of its own, but still saying how many it would take.
    assert by_metric["denoising_psnr"]["seeds"] == 0 and by_metric["denoising_psnr"]["seeds_needed"] == cap + 1
    assert by_metric["kmeans_accuracy"]["seeds"] == needed["kmeans_accuracy"]
    assert "mlp_latent8_relu_noise0.25" not in made["train"]  # only that question trained it
    # CHOSEN is still trained, for k-means, on as many seeds as that question needs.
    assert made["train"][CHOSEN]["seeds"] == max(needed["kmeans_accuracy"], needed["reconstruction_error"])


def test_a_fixed_count_of_seeds_for_every_question(exploration):
    made = plan(exploration, "digits", SETTINGS, {**CONFIRM, "seeds": 17})
    assert [q["seeds"] for q in made["questions"]] == [17, 17, 17]
    assert {name: entry["seeds"] for name, entry in made["train"].items()} == {
        CHOSEN: 17, "mlp_latent8_relu_noise0.25": 17}
    # The plan's own count is still recorded (the fixed one may be more, or fewer, than it needs).
    assert [q["seeds_needed"] for q in made["questions"]] == [
        _expected_seeds(made, q["metric"]) for q in made["questions"]]


def test_nothing_is_trained_when_the_confirmation_is_off(exploration):
    for confirm in ({**CONFIRM, "enabled": False}, {**CONFIRM, "enabled": False, "seeds": 5}):
        made = plan(exploration, "digits", SETTINGS, confirm)
        assert made["enabled"] is False and len(made["questions"]) == 3
        assert [q["seeds"] for q in made["questions"]] == [0, 0, 0]
        assert made["train"] == {} and confirmation_variants(made) == []


# -- the verdicts, read off the fresh seeds ---------------------------------------------------------
def _confirmation(kmeans_tests, extra=None):
    """A confirmation table of k-means: CHOSEN on fresh seeds 100, 101, ... (and `extra`
    configurations' seeds, ``{configuration: {seed: (validation, test)}}``)."""
    return _table("kmeans", {CHOSEN: {**_seeds(0.9, kmeans_tests, first=100), **(extra or {}).get(CHOSEN, {})},
                             **{c: s for c, s in (extra or {}).items() if c != CHOSEN}})


def _row_of(rows, metric):
    return next(row for row in rows if row["metric"] == metric)


def test_the_verdict_is_read_off_the_fresh_seeds_only(exploration):
    made = plan(exploration, "digits", {**SETTINGS, "noise": []}, CONFIRM)
    fresh = [0.70, 0.71, 0.69, 0.705, 0.695]  # 0.1 above PCA's 0.6 on every fresh seed
    # The exploration's seeds 0-2 in the same table, 0.3 below PCA: with them, the interval
    # would straddle 0.
    choosing = {CHOSEN: _seeds(0.9, [0.30, 0.31, 0.29])}
    row = _row_of(verdict_rows(made, {"kmeans": _confirmation(fresh, choosing)}), "kmeans_accuracy")
    assert row["verdict"] == "autoencoder better" and row["seeds"] == 5
    assert row["A - B"] == pytest.approx(np.mean(fresh) - PCA_ACCURACY)
    assert row["stage"] == "confirmation" and row["seeds to decide"] is None
    assert row["low"] > 0 and row["high"] <= 1 - PCA_ACCURACY


def test_with_the_confirmation_off_the_verdicts_are_the_choosing_seeds(exploration):
    made = plan(exploration, "digits", SETTINGS, {**CONFIRM, "enabled": False})
    # Whatever a confirmation table holds, it is not read.
    rows = verdict_rows(made, {"kmeans": _confirmation([0.2, 0.2, 0.21])})
    assert {row["stage"] for row in rows} == {"exploration (the choosing seeds)"}
    row = _row_of(rows, "kmeans_accuracy")
    differences = np.subtract(KMEANS[CHOSEN], PCA_ACCURACY)  # 0.10, 0.14, 0.09
    assert row["seeds"] == 3 and row["A - B"] == pytest.approx(differences.mean())
    # Three seeds at level 1 - 0.05 / 3 do not decide it: seeds_to_decide says what would.
    assert row["verdict"] == "undecided" and row["planned"] == 0
    assert row["seeds to decide"] == seeds_to_decide(differences.mean(), differences.std(ddof=1), 0.02,
                                                     made["level"], SEEDS_LIMIT, 0.8) == 4


@pytest.mark.parametrize("fresh, verdict", [
    ([0.70, 0.71, 0.69, 0.705, 0.695], "autoencoder better"),
    ([0.50, 0.51, 0.49, 0.505, 0.495], "PCA better"),
    ([0.600, 0.601, 0.599, 0.6005, 0.5995], "equivalent (within 0.02)"),
])
def test_the_verdicts_are_worded_by_the_question(exploration, fresh, verdict):
    made = plan(exploration, "digits", {**SETTINGS, "noise": []}, CONFIRM)
    row = _row_of(verdict_rows(made, {"kmeans": _confirmation(fresh)}), "kmeans_accuracy")
    assert row["verdict"] == verdict
    assert (row["A"], row["B"], row["latent"], row["dataset"]) == (CHOSEN, "pca8", 8, "digits")
    assert row["question"] == "autoencoder vs PCA"


def test_a_noise_question_is_worded_by_its_noise(exploration):
    made = plan(exploration, "digits", SETTINGS, CONFIRM)
    seeds = range(100, 106)
    table = _table("denoising", {CHOSEN: {s: (20.0, 18.0 + 0.1 * (s % 3)) for s in seeds},
                                 "mlp_latent8_relu_noise0.25": {s: (21.0, 19.0 + 0.1 * (s % 2)) for s in seeds}})
    row = _row_of(verdict_rows(made, {"denoising": table}), "denoising_psnr")
    assert row["verdict"] == "noise 0.25 better" and row["seeds"] == 6
    assert row["question"] == "noise 0.25 vs noise 0"
    assert row["A - B"] == pytest.approx(np.mean([1.0 + 0.1 * (s % 2) - 0.1 * (s % 3) for s in seeds]))


def test_an_undecided_question_says_the_seeds_that_would_decide_it(exploration):
    made = plan(exploration, "digits", {**SETTINGS, "noise": []}, CONFIRM)
    fresh = [0.65, 0.56, 0.63]  # 0.05, -0.04, 0.03 against PCA
    rows = verdict_rows(made, {"kmeans": _confirmation(fresh)})
    row = _row_of(rows, "kmeans_accuracy")
    differences = np.subtract(fresh, PCA_ACCURACY)
    assert row["verdict"] == "undecided" and row["seeds"] == 3
    expected = seeds_to_decide(differences.mean(), differences.std(ddof=1), 0.02, made["level"], SEEDS_LIMIT, 0.8)
    assert expected is not None and expected > 3 and row["seeds to decide"] == expected
    # A question without fresh seeds (reconstruction was not run): undecided, on the plan's count.
    error = _row_of(rows, "reconstruction_error")
    planned = next(q for q in made["questions"] if q["metric"] == "reconstruction_error")
    assert error["verdict"] == "undecided" and error["seeds"] == 0
    assert error["seeds to decide"] == planned["seeds_needed"]
    table = verdicts_table(rows)
    assert list(table["verdict"]) == ["undecided", "undecided"] and table["seeds"].tolist() == [3, 0]


def test_worded():
    pca = {"kind": "pca", "a": CHOSEN, "b": "pca8", "margin": 0.02}
    objective = {"kind": "objective", "a": "vae_latent8_relu_beta4", "b": CHOSEN, "margin": 0.015}
    assert [worded(v, pca) for v in (BETTER, WORSE, EQUIVALENT, UNDECIDED)] == [
        "autoencoder better", "PCA better", "equivalent (within 0.02)", "undecided"]
    assert [worded(v, objective) for v in (BETTER, WORSE, EQUIVALENT)] == [
        "vae beta4 better", "mlp noise0 better", "equivalent (within 0.015)"]


def test_a_metric_of_an_analysis_the_study_does_not_run_is_not_asked(exploration):
    asked = questions({"kmeans": exploration["kmeans"]}, "digits", SETTINGS)
    assert {q.metric for q in asked} == {"kmeans_accuracy"}


# -- the plan as the verdicts read it: as written, of this config and these documents -------------
@pytest.fixture
def plan_file(tmp_path, exploration, schema, defaults):
    """``(path, config)``: a plan of digits written as the checkpoint writes it, made from
    `config` (config.yaml's, confirmation on) and one exploration document beside it."""
    from study.config import validate_config
    from study.confirmation import sealed_plan
    from study.results import write_json

    config = validate_config({"confirm": CONFIRM}, schema, defaults=defaults)
    doc = document("kmeans", "digits", "pca8", describe("pca8"), {}, [])
    write_json(tmp_path / "digits" / "kmeans" / "pca8.json", doc)
    path = tmp_path / "digits" / "confirmation_plan.json"
    write_json(path, sealed_plan(plan(exploration, "digits", SETTINGS, CONFIRM), config, {"kmeans/pca8": doc["digest"]}))
    return path, config


def test_a_plan_as_written_is_read(plan_file, exploration):
    from study.confirmation import read_plan

    path, config = plan_file
    made = plan(exploration, "digits", SETTINGS, CONFIRM)
    read = read_plan(path, config)
    assert read["train"] == made["train"] and len(read["questions"]) == len(made["questions"]) > 0
    assert read["made_from"]["confirm"]["first_seed"] == 100 and list(read["made_from"]["documents"]) == ["kmeans/pca8"]


@pytest.mark.parametrize("edit", [
    lambda made: made["train"][CHOSEN].update(seeds=2),  # seeds changed
    lambda made: made["questions"].pop(),  # a question removed
    lambda made: made.update(first_seed=0),  # the choosing seeds as fresh ones
])
def test_a_plan_edited_by_hand_is_refused(plan_file, edit):
    from study.confirmation import read_plan
    from study.results import read_json, write_json

    path, config = plan_file
    made = read_json(path)
    edit(made)
    write_json(path, made)
    with pytest.raises(ValueError, match="confirmation_plan.json: not the confirmation plan written"):
        read_plan(path, config, documents=False)


def test_a_plan_cut_short_is_refused_naming_it(plan_file):
    from study.confirmation import read_plan

    path, config = plan_file
    path.write_text(path.read_text()[:500])
    with pytest.raises(ValueError, match="confirmation_plan.json: not a readable confirmation plan"):
        read_plan(path, documents=False)


@pytest.mark.parametrize("section, key, value", [
    ("questions", "alpha", 0.1), ("confirm", "power", 0.9), ("confirm", "max_seeds", 30),
    ("confirm", "first_seed", 200), ("grid", "latent_dim", [2, 16]), ("grid", "seed", [0, 1, 2, 3]),
])
def test_a_plan_of_another_config_is_refused_naming_what_differs(plan_file, section, key, value):
    from study.confirmation import read_plan

    path, config = plan_file
    other = {**config, section: {**config[section], key: value}}
    with pytest.raises(ValueError, match=rf"made from another config than this study's: {section}\.{key}"):
        read_plan(path, other)
    read_plan(path, config)  # this one's config: read


def test_a_plan_of_other_exploration_documents_is_refused(plan_file):
    from study.confirmation import read_plan
    from study.results import write_json

    path, config = plan_file
    document_path = path.parent / "kmeans" / "pca8.json"
    write_json(document_path, document("kmeans", "digits", "pca8", describe("pca8"), {}, [{"accuracy": 0.1}]))
    with pytest.raises(ValueError, match="made from the exploration document .*pca8.json, which has changed since"):
        read_plan(path, config)
    document_path.unlink()
    with pytest.raises(ValueError, match="pca8.json, which is not there now"):
        read_plan(path, config)


def test_another_dataset_s_plan_is_refused(plan_file):
    from study.confirmation import read_plan

    path, config = plan_file
    (path.parent.parent / "mnist").mkdir()
    other = path.parent.parent / "mnist" / "confirmation_plan.json"
    other.write_bytes(path.read_bytes())
    with pytest.raises(ValueError, match="mnist/confirmation_plan.json: this plan was made for dataset 'digits'"):
        read_plan(other, documents=False)
