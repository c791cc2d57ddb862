"""tools/plan_cost.py: what a confirmation plan would train under another max_seeds."""
import sys

from repository import REPO

sys.path.insert(0, str(REPO / "tools"))
import plan_cost  # noqa: E402  (tools/ is no package)


def question(a, b, needed, baseline=True):
    return {"a": a, "b": b, "b_is_baseline": baseline, "seeds_needed": needed}


PLAN = {"questions": [
    question("ae8", "pca8", 4),
    question("ae8", "pca8", 12),  # the same configuration, a more demanding metric
    question("ae32", "pca32", None),  # no count up to the limit decides it
    question("noisy8", "ae8", 7, baseline=False),  # trains both of its configurations
]}


def test_a_configuration_trains_its_most_demanding_planned_question_s_seeds():
    assert plan_cost.at_cap(PLAN, 3) == (0, 0)
    assert plan_cost.at_cap(PLAN, 4) == (1, 4)
    assert plan_cost.at_cap(PLAN, 7) == (2, 7 + 7)
    assert plan_cost.at_cap(PLAN, 20) == (3, 12 + 7)


def test_it_agrees_with_the_plan_s_own_counts():
    # A plan made at max_seeds 7 trains what at_cap(plan, 7) says: the planned seeds of
    # study.confirmation.plan are seeds_needed when it is at most the cap, else 0.
    from study.confirmation import planned_seeds
    from study.verdicts import seeds_to_decide

    confirm = {"enabled": True, "seeds": None, "max_seeds": 7, "power": 0.8}
    for mean in (0.05, 0.1, 0.3):
        needed = seeds_to_decide(mean, 0.1, 0.02, 0.999, 1000, 0.8)
        assert int(planned_seeds(mean, 0.1, 0.02, 0.999, confirm)) == (needed if needed <= 7 else 0)
