"""Learning-rate schedulers: rates against values worked out by hand, and the updates they drive."""
import math

import numpy as np
import pytest

from diy import SGD, Adam, Linear
from diy.optim import Scheduler, WarmupCosine

ROOT_HALF = math.sqrt(0.5)  # cos(pi / 4)


def scalar_model(p0=1.0):
    """A Linear(1, 1) without bias: one scalar parameter W = p0, float64."""
    layer = Linear(1, 1, bias=False, dtype=np.float64)
    layer._parameters["W"][...] = p0
    return layer


def test_warmup_from_zero_then_cosine_to_a_fraction():
    scheduler = WarmupCosine(SGD(scalar_model(), lr=1e-3), total=110, warmup=10, final=0.1)
    expected = {
        1: 1e-4,  # 1e-3 * 1 / 10
        5: 5e-4,  # 1e-3 * 5 / 10
        10: 1e-3,  # the end of the ramp: the base rate
        # p = (35 - 10) / 100 = 1/4: 1e-3 * (0.1 + 0.9 * (1 + cos(pi/4)) / 2)
        35: 1e-3 * (0.1 + 0.9 * (1 + ROOT_HALF) / 2),  # = 8.6820e-4
        60: 5.5e-4,  # p = 1/2, cos = 0: 1e-3 * (0.1 + 0.9 / 2)
        110: 1e-4,  # p = 1, cos = -1: 1e-3 * 0.1
        500: 1e-4,  # kept after the end
    }
    for t, lr in expected.items():
        assert scheduler.lr_at(t) == pytest.approx(lr, rel=1e-12), t
    assert scheduler.lr_at(35) == pytest.approx(8.6819805e-4, rel=1e-8)


def test_warmup_from_a_fraction_and_no_warmup():
    ramp = WarmupCosine(SGD(scalar_model(), lr=0.2), total=8, warmup=4, start=0.1)
    # 0.2 * (0.1 + 0.9 * t / 4)
    assert [ramp.lr_at(t) for t in (1, 2, 4)] == pytest.approx([0.065, 0.11, 0.2], rel=1e-12)
    assert ramp.lr_at(8) == 0.0  # final defaults to 0
    cosine = WarmupCosine(SGD(scalar_model(), lr=0.2), total=4)
    # p = t / 4: 0.2 * (1 + cos(pi p)) / 2
    expected = [0.1 * (1 + ROOT_HALF), 0.1, 0.1 * (1 - ROOT_HALF), 0.0]
    assert [cosine.lr_at(t) for t in (1, 2, 3, 4)] == pytest.approx(expected, rel=1e-12, abs=1e-18)


def test_step_sets_the_rate_of_the_next_update():
    optimizer = SGD(scalar_model(), lr=0.1)
    scheduler = WarmupCosine(optimizer, total=6, warmup=2)
    assert scheduler.base_lr == 0.1 and scheduler.t == 0
    assert optimizer.lr == scheduler.lr_at(1) == pytest.approx(0.05)  # set for update 1
    for t in range(1, 9):
        scheduler.step()
        assert scheduler.t == t and optimizer.lr == scheduler.lr_at(t + 1)


def test_the_base_scheduler_is_the_constant_rate():
    optimizer = Adam(scalar_model(), lr=3e-4)
    scheduler = Scheduler(optimizer)
    for _ in range(5):
        scheduler.step()
        assert optimizer.lr == 3e-4
    assert [scheduler.lr_at(t) for t in (1, 10, 10**6)] == [3e-4] * 3


def test_the_updates_use_the_scheduled_rates():
    layer = scalar_model(1.0)
    optimizer = SGD(layer, lr=0.1)
    scheduler = WarmupCosine(optimizer, total=4, warmup=2)
    for _ in range(4):
        layer._gradient["W"][...] = 1.0
        optimizer.step()
        scheduler.step()
    # rates 0.05, 0.1 (ramp), 0.05 (p = 1/2), 0 (p = 1): p = 1 - 0.2 * 1
    assert layer._parameters["W"][0, 0] == pytest.approx(0.8, abs=1e-15)


def test_invalid_schedules_are_rejected():
    optimizer = SGD(scalar_model(), lr=0.1)
    with pytest.raises(ValueError, match="warmup < total"):
        WarmupCosine(optimizer, total=10, warmup=10)
    with pytest.raises(ValueError, match="warmup < total"):
        WarmupCosine(optimizer, total=10, warmup=-1)
    with pytest.raises(ValueError, match="start must be in"):
        WarmupCosine(optimizer, total=10, start=1.5)
    with pytest.raises(ValueError, match="final must be in"):
        WarmupCosine(optimizer, total=10, final=-0.1)
    assert optimizer.lr == 0.1  # a rejected schedule leaves the optimizer alone
