"""`Trainer`: one training step of a network and a loss (the seed project's ``Optim``, renamed
so that it is not read as one more optimizer beside ``diy.optim.Optimizer``)."""
from .module import Module
from .objective import objective_terms
from .optim.sgd import SGD


class Trainer:
    """Bundles a network, a loss and an update rule; ``step`` trains on one batch.

    ``Trainer(net, loss, eps)`` updates with the plain gradient step
    ``p -= eps * dL/dp`` (the seed's ``update_parameters(eps)``, here
    ``SGD(net, eps)``). ``Trainer(net, loss, optimizer=Adam(net))`` uses any optimizer
    instead; give one or the other.

    Parameters
    ----------
    net : Module
        The network.
    loss : Loss
        The criterion; the quantity minimised is ``loss(y, net(x)).mean()`` plus the mean of
        every penalty of ``net``'s modules (``diy.objective``).
    eps : float, optional
        Step size of the plain gradient step.
    optimizer : Optimizer, optional
        An optimizer over ``net`` (``diy.optim.SGD``, ``diy.optim.Adam``).
    """

    def __init__(self, net, loss, eps=None, *, optimizer=None):
        if not isinstance(net, Module):
            raise TypeError(f"Trainer: net must be a diy Module, got {net!r}")
        if (eps is None) == (optimizer is None):
            raise ValueError("Trainer: give exactly one of eps (plain gradient step) and optimizer")
        self.net = net
        self.loss = loss
        self.optimizer = SGD(net, eps) if optimizer is None else optimizer
        self.terms = {}

    def compute_gradient(self, batch_x, batch_y):
        """Zero the gradients, then forward, loss and backward on one batch.

        Leaves dL/dp in the network's gradient buffers and returns the batch's objective as
        a float (the mean loss, plus the penalties' means), without updating anything. Each
        term's batch mean is left in ``terms`` (name -> float, ``"output"`` the loss's).
        """
        self.net.zero_grad()
        output = self.net.forward(batch_x)
        terms = objective_terms(self.net, self.loss, batch_y, output)
        self.terms = {name: float(term.mean()) for name, term in terms.items()}
        value = sum(self.terms.values())
        delta = self.loss.backward(batch_y, output)
        self.net.backward_update_gradient(batch_x, delta)
        return value

    def step(self, batch_x, batch_y):
        """Train on one batch: ``compute_gradient`` then one update; return the batch mean loss."""
        value = self.compute_gradient(batch_x, batch_y)
        self.optimizer.step()
        return value
