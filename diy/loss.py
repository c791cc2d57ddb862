"""The `Loss` base class."""


class Loss:
    """A criterion comparing targets ``y`` with predictions ``yhat``.

    ``forward(y, yhat)`` returns the per-sample loss, shape ``(batch,)``;
    ``backward(y, yhat)`` returns d/dyhat of ``forward(y, yhat).mean()``, shape of ``yhat``.
    """

    def forward(self, y, yhat):
        """(batch, ...), (batch, ...) -> (batch,)"""
        raise NotImplementedError

    def backward(self, y, yhat):
        """(batch, ...), (batch, ...) -> (batch, ...): gradient of the batch mean."""
        raise NotImplementedError

    def __call__(self, y, yhat):
        return self.forward(y, yhat)

    def __repr__(self):
        return f"{type(self).__name__}()"
