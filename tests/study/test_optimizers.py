"""The optimizer a config section names (study.optimizers)."""
import pytest

from diy.linear import Linear
from diy.optim import SGD, Adam
from study.optimizers import optimizer_factory


def test_the_optimizer_is_sgd_with_momentum_or_adam_with_it_as_beta1():
    module = Linear(3, 2)
    sgd = optimizer_factory("sgd", 0.01, 0.9, "training")(module)
    adam = optimizer_factory("adam", 0.001, 0.8, "training")(module)
    assert type(sgd) is SGD and (sgd.lr, sgd.momentum) == (0.01, 0.9)
    assert type(adam) is Adam and adam.lr == 0.001 and adam.betas == (0.8, 0.999)
    with pytest.raises(ValueError, match=r"analysis.dec/idec: optimizer must be sgd or adam, got 'lbfgs'"):
        optimizer_factory("lbfgs", 0.1, 0.9, "analysis.dec/idec")
