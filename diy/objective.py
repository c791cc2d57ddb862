"""The objective a network trains on: the loss of its output plus the penalties of its modules."""
from .module import Module



def objective_terms(net, loss, y, output):
    """The objective's terms at ``net``'s last forward, per sample: dict name -> (batch,) array.

    ``"output"`` is ``loss.forward(y, output)``, the loss of the network's output; then each
    penalty of ``net.penalties()`` under its name (``"kl"``, ``"l1"``, ...). The objective of the
    batch is the sum of the terms' means, and each module's backward adds its penalty's
    gradient, so back-propagating ``loss.backward(y, output)`` gives the gradient of the whole.
    """
    if not isinstance(net, Module):
        raise TypeError(f"objective_terms: net must be a diy Module, got {net!r}")
    terms = {"output": loss.forward(y, output)}
    for name, term in net.penalties():
        if name in terms:
            raise ValueError(f"objective_terms: two terms named {name!r}")
        terms[name] = term
    return terms
