"""What a confirmation plan would train under other caps: for each ``confirm.max_seeds``, the
primary questions it plans fresh seeds for and the fresh trainings it takes (each configuration
trained as many seeds as its most demanding planned question).

A question's planned count is the fewest seeds that decide it with chance ``confirm.power``
(its ``seeds_needed``, which the exploration fixed), or none when that exceeds the cap
(study.confirmation.planned_seeds), so a plan's file says what every cap would buy, before any
fresh seed is trained.

    python tools/plan_cost.py results/digits/confirmation_plan.json --max-seeds 6 10 20 30
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from study.confirmation import MIN_SEEDS  # noqa: E402


def at_cap(plan, max_seeds):
    """``(questions planned, fresh trainings)`` of `plan` (a confirmation_plan.json's content)
    with ``confirm.max_seeds`` = `max_seeds`."""
    seeds_of, planned = {}, 0
    for question in plan["questions"]:
        needed = question["seeds_needed"]
        seeds = needed if needed is not None and MIN_SEEDS <= needed <= max_seeds else 0
        planned += seeds > 0
        for name in [question["a"]] + ([] if question["b_is_baseline"] else [question["b"]]):
            seeds_of[name] = max(seeds_of.get(name, 0), seeds)
    return planned, sum(seeds_of.values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path, help="a dataset's confirmation_plan.json")
    parser.add_argument("--max-seeds", type=int, nargs="+", help="the caps (default: the plan's own)")
    args = parser.parse_args()
    plan = json.loads(args.plan.read_text())
    print(f"{plan['dataset']}: {len(plan['questions'])} primary questions, power {plan['power']}\n")
    print("| max_seeds | questions planned | fresh trainings |\n|---:|---:|---:|")
    for cap in args.max_seeds or [plan["max_seeds"]]:
        planned, trainings = at_cap(plan, cap)
        print(f"| {cap} | {planned} | {trainings} |")


if __name__ == "__main__":
    main()
