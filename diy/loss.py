"""The `Loss` base class."""
import numpy as np


class Loss:
    """A criterion comparing targets ``y`` with predictions ``yhat``.

    ``forward(y, yhat)`` returns the per-sample loss, shape ``(batch,)``;
    ``backward(y, yhat)`` returns d/dyhat of ``forward(y, yhat).mean()``, shape of ``yhat``.

    The target comes first. Torch's criteria take ``forward(input, target)``, the prediction
    first; diy keeps the order of the course this library began as (``loss(y, yhat)``, as one
    writes L(y, y-hat) on paper, and as scikit-learn's metrics take ``(y_true, y_pred)``), and
    every loss, penalty and caller here follows it. A port from Torch swaps the arguments.
    """

    def forward(self, y, yhat):
        """(batch, ...), (batch, ...) -> (batch,)"""
        raise NotImplementedError

    def backward(self, y, yhat):
        """(batch, ...), (batch, ...) -> (batch, ...): gradient of the batch mean."""
        raise NotImplementedError

    def same_shape(self, y, yhat):
        """``(y, yhat)`` as arrays; ValueError naming the loss unless their shapes agree."""
        y, yhat = np.asarray(y), np.asarray(yhat)
        if y.shape != yhat.shape:
            raise ValueError(f"{self!r}: y has shape {y.shape} but yhat has shape {yhat.shape}")
        return y, yhat

    def __call__(self, y, yhat):
        return self.forward(y, yhat)

    def __repr__(self):
        return f"{type(self).__name__}()"
