"""The study's numeric helpers that a user calls by hand (study.statistics, study.verdicts, the
planning of study.confirmation) refuse a bad argument with a ValueError or TypeError naming the
function, the argument and the value, instead of a number that means nothing (a power of 1.5
planned 0 seeds, a negative spread a negative one) or a raw NumPy or SciPy error."""
import inspect
import math

import numpy as np
import pandas as pd
import pytest

from arguments import call_with
from study import confirmation, statistics, verdicts
from study.analyses import metric_named

CONFIRM = {"enabled": True, "seeds": None, "max_seeds": 10, "power": 0.8, "first_seed": 100}
TABLE = pd.DataFrame({"a": [1, 1], "seed": [0, 1], "m": [1.0, 2.0]})

#: (function, its arguments (args, kwargs) but the bad one, the bad argument's name, its value,
#: the value as the message shows it).
CASES = [
    (verdicts.interval_level, ((), {"questions": 3}), "alpha", 1.5, "1.5"),
    (verdicts.interval_level, ((), {"questions": 3}), "alpha", "0.05", "'0.05'"),
    (verdicts.interval_level, ((), {"questions": 3}), "alpha", math.nan, "nan"),
    (verdicts.interval_level, ((0.05,), {}), "questions", 2.5, "2.5"),
    (verdicts.verdicts, ((0.1, 0.2), {}), "margin", -1.0, "-1.0"),
    (verdicts.verdicts, ((), {"high": 0.2, "margin": 0.1}), "low", "x", "'x'"),
    (verdicts.t_intervals, (([1.0, 2.0, 4.0],), {}), "level", 2.0, "2.0"),
    (verdicts.t_intervals, ((), {"level": 0.95}), "differences", [1.0], "(1,)"),
    (verdicts.t_intervals, ((), {"level": 0.95}), "differences", [1.0, math.nan, 2.0], "nan"),
    (verdicts.t_intervals, (([1.0, 2.0, 4.0], 0.95), {}), "value_range", (1, 0), "(1, 0)"),
    (verdicts.decide, (([1.0, 2.0, 3.0], 0.1), {}), "level", 1.5, "1.5"),
    (verdicts.decide, (([1.0, 2.0, 3.0], 0.1), {}), "level", math.nan, "nan"),
    (verdicts.decide, (([1.0, 2.0, 3.0],), {"level": 0.95}), "margin", "0.1", "'0.1'"),
    (verdicts.decide, (([1.0, 2.0, 3.5], 0.1, 0.95), {}), "power", 1.5, "1.5"),
    (verdicts.decide, (([1.0, 2.0, 3.5], 0.1, 0.95), {}), "limit", -1, "-1"),
    (verdicts.decide, ((), {"margin": 0.1, "level": 0.95}), "differences", "abc", "'abc'"),
    (verdicts.decide, ((), {"margin": 0.1, "level": 0.95}), "differences", [[1.0, 2.0], [3.0, 4.0]], "(2, 2)"),
    (verdicts.decide, (([1.0, 2.0, 3.0], 0.1, 0.95), {}), "value_range", (1, 0), "(1, 0)"),
    (verdicts.decision_chance, ((0.1,), {"n": 5, "margin": 0.1, "level": 0.95}), "sigma", -1.0, "-1.0"),
    (verdicts.decision_chance, ((0.1, 1.0), {"margin": 0.1, "level": 0.95}), "n", 1, "1"),
    (verdicts.decision_chance, ((0.1, 1.0), {"margin": 0.1, "level": 0.95}), "n", 2.5, "2.5"),
    (verdicts.decision_chance, ((0.1, 1.0, 5, 0.1), {}), "level", 2.0, "2.0"),
    (verdicts.decision_chance, ((0.1, 1.0, 5), {"level": 0.95}), "margin", -1.0, "-1.0"),
    (verdicts.decision_chance, ((), {"sigma": 1.0, "n": 5, "margin": 0.1, "level": 0.95}), "mu", math.nan, "nan"),
    (verdicts.seeds_to_decide, ((0.1, 1.0, 0.1, 0.95), {}), "power", 1.5, "1.5"),
    (verdicts.seeds_to_decide, ((0.1, 1.0, 0.1, 0.95), {}), "power", 0.0, "0.0"),
    (verdicts.seeds_to_decide, ((0.1,), {"margin": 0.1, "level": 0.95}), "sigma", -1.0, "-1.0"),
    (verdicts.seeds_to_decide, ((0.1, 1.0, 0.1), {}), "level", 1.5, "1.5"),
    (verdicts.seeds_to_decide, ((0.1, 1.0, 0.1, 0.95), {}), "limit", 2.5, "2.5"),
    (verdicts.seeds_to_decide, ((0.1, 1.0, 0.1, 0.95), {}), "least", 1, "1"),
    (verdicts.seeds_to_decide, ((0.1, 1.0), {"level": 0.95}), "margin", 0.0, "0.0"),
    (verdicts.seeds_to_decide, ((), {"sigma": 1.0, "margin": 0.1, "level": 0.95}), "mu", "a", "'a'"),
    (confirmation.planned_seeds, ((0.1, 1.0, 0.1, 0.95), {}), "confirm", {**CONFIRM, "power": 1.5}, "1.5"),
    (confirmation.planned_seeds, ((0.1, 1.0, 0.1, 0.95), {}), "confirm", {**CONFIRM, "max_seeds": 2.5}, "2.5"),
    (confirmation.planned_seeds, ((0.1, 1.0, 0.1, 0.95), {}), "confirm", {**CONFIRM, "seeds": -3}, "-3"),
    (confirmation.planned_seeds, ((0.1, 1.0, 0.1, 0.95), {}), "confirm", {}, "{}"),
    (confirmation.planned_seeds, ((0.1,), {"margin": 0.1, "level": 0.95, "confirm": CONFIRM}), "spread", -1.0, "-1.0"),
    (confirmation.planned_seeds, ((0.1, 1.0, 0.1), {"confirm": CONFIRM}), "level", 1.5, "1.5"),
    (confirmation.planned_seeds, ((0.1, 1.0), {"level": 0.95, "confirm": CONFIRM}), "margin", math.nan, "nan"),
    (confirmation.planned_seeds, ((), {"spread": 1.0, "margin": 0.1, "level": 0.95, "confirm": CONFIRM}),
     "mean", "x", "'x'"),
    (confirmation.planning_spread, ((), {"df": 5}), "sd", -1.0, "-1.0"),
    (confirmation.planning_spread, ((), {"df": 5}), "sd", "a", "'a'"),
    (confirmation.planning_spread, ((1.0,), {}), "df", 2.5, "2.5"),
    (confirmation.planning_spread, ((1.0,), {}), "df", -1, "-1"),
    (confirmation.pooled_sd, ((), {"metric": metric_named("kmeans_accuracy")[1], "dataset": "digits",
                                   "latent_dim": 8}), "table", None, "NoneType"),
    (confirmation.pooled_sd, ((pd.DataFrame(), metric_named("kmeans_accuracy")[1], "digits"), {}),
     "latent_dim", 0, "0"),
    (statistics.t_interval, (([1.0, 2.0, 3.0],), {}), "confidence", 1.5, "1.5"),
    (statistics.t_interval, (([1.0, 2.0, 3.0],), {}), "confidence", 0, "0"),
    (statistics.t_interval, ((), {}), "values", "abc", "'abc'"),
    (statistics.t_interval, ((), {}), "values", None, "None"),
    (statistics.t_survival, ((1.0,), {}), "df", 0, "0"),
    (statistics.t_survival, ((), {"df": 3}), "t", "1", "'1'"),
    (statistics.paired_comparison, (([1, 2, 3], [2, 3, 5]), {}), "confidence", 2, "2"),
    (statistics.paired_comparison, (([1, 2, 3], [2, 3, 5]), {}), "test", "z", "'z'"),
    (statistics.paired_comparison, ((), {"b": [2, 3, 5]}), "a", ["x", 1, 2], "'x'"),
    (statistics.aggregate_over_seeds, ((TABLE, ["a"], ["m"]), {}), "confidence", 2, "2"),
    (statistics.factor_effects, ((TABLE, "a", "m", []), {}), "confidence", -0.5, "-0.5"),
    (statistics.format_number, ((1.0,), {}), "kind", "x", "'x'"),
    (statistics.format_number, ((), {"kind": "accuracy"}), "value", "a", "'a'"),
    (statistics.format_number, ((1.0, "accuracy"), {}), "decimals", -1, "-1"),
    (statistics.format_interval, ((1.0, 0.5, 1.5), {}), "kind", "x", "'x'"),
    (statistics.format_interval, ((), {"low": 0.5, "high": 1.5, "kind": "accuracy"}), "mean", "a", "'a'"),
    (statistics.format_interval, ((1.0,), {"high": 0.5, "kind": "accuracy"}), "low", 1.5, "1.5"),
    (statistics.format_interval, ((1.0,), {"high": 1.5, "kind": "accuracy"}), "low", None, "None"),
    (statistics.format_interval, ((1.0, 0.5, 1.5, "accuracy"), {}), "value_range", (1, 0), "(1, 0)"),
]


@pytest.mark.parametrize("function, arguments, name, value, shown", CASES,
                         ids=[f"{case[0].__name__}-{case[2]}-{i}" for i, case in enumerate(CASES)])
def test_a_bad_argument_is_refused_naming_it_and_its_value(function, arguments, name, value, shown):
    with np.errstate(all="ignore"), pytest.raises((ValueError, TypeError)) as caught:
        call_with(function, *arguments, name, value)
    message = str(caught.value)
    assert message.startswith(f"{function.__name__}: ") and name.split("[")[0] in message and shown in message, message


#: The numeric helpers a user calls by hand, by module.
PUBLIC = {verdicts: ["interval_level", "verdicts", "t_intervals", "decide", "decision_chance", "seeds_to_decide"],
          confirmation: ["planned_seeds", "planning_spread", "pooled_sd"],
          statistics: ["t_interval", "t_survival", "paired_comparison", "aggregate_over_seeds", "factor_effects",
                       "format_number", "format_interval"]}


def test_every_numeric_helper_has_a_case():
    covered = {case[0] for case in CASES}
    missing = [f"{module.__name__}.{name}" for module, names in PUBLIC.items() for name in names
               if getattr(module, name) not in covered]
    # And no public function of study.statistics or study.verdicts is left out of PUBLIC.
    unlisted = [f"{module.__name__}.{name}" for module in (verdicts, statistics)
                for name, value in vars(module).items()
                if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
                and name not in PUBLIC[module]]
    assert not missing and not unlisted, (missing, unlisted)


def test_unknowns_are_still_accepted_where_documented():
    """NaN is an unknown where a helper says so: a spread not yet estimated plans no seed, a
    single seed's interval is empty."""
    assert list(confirmation.planned_seeds([0.1, math.nan], [0.01, 0.01], 0.05, 0.95, CONFIRM)) == [3, 0]
    assert verdicts.seeds_to_decide(math.nan, 1.0, 0.1, 0.95) is None
    assert math.isnan(confirmation.planning_spread(math.nan, 0))
    assert statistics.format_interval(0.5, math.nan, math.nan, "accuracy") == "0.500 (n=1)"
    assert statistics.t_interval([1.0, math.nan]).n == 1
