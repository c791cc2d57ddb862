"""Optimizers: update rules applied to the gradients a module has accumulated."""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam
from .scheduler import Scheduler
from .warmup_cosine import WarmupCosine
