"""The optimizer a config section names: ``optimizer`` (sgd | adam), ``lr`` and ``momentum``.

The autoencoders' ``training`` and DEC's and IDEC's sections (``analysis.dec``,
``analysis.idec``) name theirs the same way, with the same schema (:data:`SCHEMA`).
"""
from diy.optim import SGD, Adam

#: Adam's second-moment decay (Kingma & Ba's, and Guo et al.'s for IDEC on MNIST).
ADAM_BETA2 = 0.999

#: The JSON Schema properties ``optimizer`` and ``momentum`` of a section that names an optimizer.
SCHEMA = {
    "optimizer": {"type": "string", "enum": ["sgd", "adam"]},
    "momentum": {"type": "number", "minimum": 0, "exclusiveMaximum": 1,
                 "description": "SGD's momentum, or Adam's first-moment decay beta1."},
}


def optimizer_factory(name, lr, momentum, section):
    """``(Module) -> Optimizer``: ``SGD(lr, momentum)`` or ``Adam(lr, betas=(momentum, 0.999))``
    (Adam's first-moment decay is its momentum). `section` names the config section in the
    error for an unknown `name`."""
    if name == "sgd":
        return lambda module: SGD(module, lr=float(lr), momentum=float(momentum))
    if name == "adam":
        return lambda module: Adam(module, lr=float(lr), betas=(float(momentum), ADAM_BETA2))
    raise ValueError(f"{section}: optimizer must be sgd or adam, got {name!r}")
