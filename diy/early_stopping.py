"""Early stopping on the validation loss, keeping the best epoch's parameters."""
import math

from .checks import positive_int
from .module import Module


class EarlyStopping:
    """Watches each epoch's validation loss; says when it has not decreased for ``patience``
    epochs, and puts the parameters of the epoch of lowest validation loss back at the end.

    Parameters
    ----------
    net : Module
        The network trained; its parameters are copied at each improvement.
    patience : int or None
        Epochs without improvement before stopping. None never stops and keeps nothing.
    """

    def __init__(self, net, patience):
        if not isinstance(net, Module):
            raise TypeError(f"EarlyStopping: net must be a diy Module, got {type(net).__name__}")
        self.net = net
        self.patience = None if patience is None else positive_int("EarlyStopping", "patience", patience)
        self.best_loss, self.best_epoch, self.best_parameters, self.waited = math.inf, None, None, 0

    def stop(self, record):
        """Note an epoch's ``record`` (``epoch``, ``val_loss``); True once ``patience`` epochs in a
        row have not lowered the best validation loss."""
        if self.patience is None:
            return False
        if record["val_loss"] < self.best_loss:
            self.best_loss, self.best_epoch, self.waited = record["val_loss"], record["epoch"], 0
            self.best_parameters = {key: p.copy() for key, p, _ in self.net.parameters()}
            return False
        self.waited += 1
        return self.waited >= self.patience

    def restore(self):
        """Copy the best epoch's parameters back into the network; return that epoch (None
        without patience)."""
        if self.best_parameters is not None:
            for key, parameter, _ in self.net.parameters():
                parameter[...] = self.best_parameters[key]
        return self.best_epoch
