"""The summary's warnings: one seed, and training cut short while the validation loss still fell."""
import numpy as np
import pandas as pd
import pytest

from study.limits import STILL_FALLING, limits, still_falling

CONVERGED = 100 + 50 * np.exp(-np.arange(100) / 5.0)  # flat for the last 80 of 100 epochs
CUT_SHORT = 100 + 50 * np.exp(-np.arange(10) / 20.0)  # still losing ~2% an epoch at epoch 10


def test_a_run_cut_short_is_still_falling_and_a_converged_one_is_not():
    assert still_falling(CUT_SHORT, epochs=10)
    assert not still_falling(CONVERGED, epochs=100)


def test_a_run_that_stopped_early_has_converged_by_its_own_criterion():
    assert not still_falling(CUT_SHORT[:7], epochs=10)


def test_the_threshold_is_relative_to_the_loss_before_the_last_tenth():
    # 100 epochs, the last 10 judged: a fall of just under and just over 1% of the loss before them.
    flat = np.full(100, 200.0)
    below, above = flat.copy(), flat.copy()
    below[-10:] = 200.0 * (1 - STILL_FALLING / 2)
    above[-10:] = 200.0 * (1 - 2 * STILL_FALLING)
    assert not still_falling(below, 100) and still_falling(above, 100)


def _table(seeds):
    return pd.DataFrame({"dataset": "digits", "method": ["autoencoder"] * len(seeds) + ["pca"],
                         "seed": list(seeds) + [np.nan]})


@pytest.mark.parametrize("seeds, warned", [([0, 0], True), ([0, 1, 2], False)])
def test_one_seed_is_named(seeds, warned):
    sentences = limits({"kmeans": _table(seeds)}, ["digits"], {}, {"digits": 10})
    assert any("one training seed" in s for s in sentences) == warned


def test_the_under_trained_autoencoders_are_counted_and_one_is_named():
    histories = {"digits": {"a_seed0": CUT_SHORT, "b_seed0": CUT_SHORT[:5], "c_seed0": CUT_SHORT}}
    sentences = limits({"kmeans": _table([0, 1, 2])}, ["digits"], histories, {"digits": 10})
    assert sentences == [sentences[0]] and sentences[0].startswith(
        "digits: 2 of 3 autoencoders were still improving when training stopped at epoch 10")
    assert "e.g. a_seed0" in sentences[0] and "`training.epochs`" in sentences[0]
    assert limits({"kmeans": _table([0, 1, 2])}, ["digits"], {"digits": {"a": CONVERGED}}, {"digits": 100}) == []
