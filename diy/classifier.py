"""A multi-layer perceptron classifier with a scikit-learn-like interface."""
import numpy as np

from .checks import float_dtype, number, positive, positive_int
from .activations import check_activation, dense_layers
from .cross_entropy_loss import CrossEntropyLoss
from .optim.adam import Adam
from .random import as_generator
from .sequential import Sequential
from .softmax import Softmax
from .train import fit, predict


class MLPClassifier:
    """Fully connected network trained with Adam on the cross-entropy of its logits.

    The network is ``Linear, act, [Dropout,] ... Linear`` ending in one logit per
    class; ``predict_proba`` is the softmax of the logits. Labels may be any
    sortable values (ints, strings): they are mapped to indices ``0..K-1`` through
    ``classes_`` (sorted), and mapped back by ``predict``. A 2-D ``y`` is read as
    one-hot rows.

    Parameters
    ----------
    hidden : sequence of int
        Sizes of the hidden layers.
    activation : {"relu", "tanh", "sigmoid", "linear"}
        After each hidden layer. ReLU layers use He initialisation, others Xavier.
    dropout : float in [0, 1)
        Dropout probability after each hidden activation (0: no Dropout layer).
    lr : float
        Adam's learning rate.
    epochs : int
        Maximum number of epochs.
    batch_size : int
        Capped at the number of training samples.
    patience : int or None
        Early stopping on the validation loss (restoring the best epoch's
        weights); None trains for all ``epochs``.
    validation_fraction : float in (0, 1)
        With ``patience`` and no explicit validation data, this fraction of the
        training set, drawn at random, is held out for it.
    random_state : int, np.random.Generator or None
        Source of the initial weights, the split, dropout and the shuffling.
    dtype : numpy dtype
        Of the network and of the inputs it is fed (converted).

    Attributes
    ----------
    classes_ : ndarray of shape (K,)
    net_ : Sequential
    history_ : diy.train.History
    n_features_in_ : int
    """

    def __init__(self, hidden=(100,), activation="relu", *, dropout=0.0, lr=1e-3, epochs=200,
                 batch_size=200, patience=10, validation_fraction=0.1, random_state=None,
                 dtype=np.float32):
        check_activation(activation, "MLPClassifier")
        if not 0.0 <= number("MLPClassifier", "dropout", dropout) < 1.0:
            raise ValueError(f"MLPClassifier: dropout must be in [0, 1), got {dropout!r}")
        if not 0.0 < number("MLPClassifier", "validation_fraction", validation_fraction) < 1.0:
            raise ValueError(f"MLPClassifier: validation_fraction must be in (0, 1), got {validation_fraction!r}")
        self.hidden = tuple(positive_int("MLPClassifier", "hidden", h) for h in hidden)
        self.activation, self.dropout = activation, float(dropout)
        self.lr = positive("MLPClassifier", "lr", lr)
        self.epochs = positive_int("MLPClassifier", "epochs", epochs)
        self.batch_size = positive_int("MLPClassifier", "batch_size", batch_size)
        self.patience = None if patience is None else positive_int("MLPClassifier", "patience", patience)
        self.validation_fraction = float(validation_fraction)
        self.random_state = random_state
        self.dtype = float_dtype("MLPClassifier", "dtype", dtype)

    def fit(self, X, y, X_val=None, y_val=None, *, callback=None, name=None):
        """Train on ``X`` of shape (n, d) and labels ``y`` of shape (n,) or one-hot (n, K).

        ``X_val, y_val`` (optional) are used for the validation loss and accuracy
        in ``history_`` and, with ``patience``, for early stopping. ``callback`` and
        ``name`` are passed to ``diy.fit``: a per-epoch hook, and the model's name in a
        ``TrainingDiverged`` message (default "MLPClassifier").
        """
        X = self._numbers("fit", "X", X)
        y = np.asarray(y)
        if y.dtype.kind == "f" and not (np.isfinite(y).all() and (y == np.round(y)).all()):
            raise ValueError(f"MLPClassifier.fit: y must be class labels (integers, strings) or one-hot rows, "
                             f"got floats such as {float(y[~(y == np.round(y))].flat[0])!r}")
        if X.ndim != 2 or len(X) != len(y):
            raise ValueError(f"MLPClassifier: X must be 2-D with one row per label, got {X.shape} "
                             f"for {len(y)} labels")
        self.n_features_in_ = X.shape[1]
        if np.ndim(y) == 2:
            self.classes_ = np.arange(np.shape(y)[1])
            y = np.argmax(y, axis=1)
        else:
            self.classes_ = np.unique(y)
        y = self._encode(y)
        rng = as_generator(self.random_state)

        if X_val is not None:
            X_val = self._check_X(X_val)
            y_val = self._encode(np.argmax(y_val, axis=1) if np.ndim(y_val) == 2 else y_val)
        elif self.patience is not None:
            order = rng.permutation(len(X))
            n_val = max(1, int(round(self.validation_fraction * len(X))))
            X, y, X_val, y_val = X[order[n_val:]], y[order[n_val:]], X[order[:n_val]], y[order[:n_val]]

        self.net_ = self._build(len(self.classes_), rng)
        self.history_ = fit(
            self.net_, CrossEntropyLoss(), Adam(self.net_, lr=self.lr), X, y,
            epochs=self.epochs, batch_size=min(self.batch_size, len(X)), rng=rng,
            X_val=X_val, y_val=y_val, metric=None if X_val is None else _accuracy_of_logits,
            patience=self.patience, callback=callback, name=name or "MLPClassifier",
        )
        return self

    def decision_function(self, X):
        """(n, d) -> (n, K): the logits, computed in eval mode and in batches."""
        if not hasattr(self, "net_"):
            raise ValueError("MLPClassifier: not fitted; call fit(X, y) first")
        self.net_.eval()
        return predict(self.net_, self._check_X(X))

    def predict_proba(self, X):
        """(n, d) -> (n, K): class probabilities, columns in the order of ``classes_``."""
        return Softmax().forward(self.decision_function(X))

    def predict(self, X):
        """(n, d) -> (n,): the most probable class label of each row."""
        scores = self.decision_function(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def score(self, X, y):
        """Accuracy: the fraction of rows of ``X`` whose predicted label equals ``y``."""
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def get_config(self):
        """The constructor's arguments, as JSON-able values (for diy.serialization).

        A Generator ``random_state`` is saved as None: it served its purpose at fit.
        """
        random_state = self.random_state if isinstance(self.random_state, (int, np.integer)) else None
        return {
            "hidden": list(self.hidden), "activation": self.activation, "dropout": self.dropout,
            "lr": self.lr, "epochs": self.epochs, "batch_size": self.batch_size,
            "patience": self.patience, "validation_fraction": self.validation_fraction,
            "random_state": None if random_state is None else int(random_state),
            "dtype": self.dtype.name,
        }

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"MLPClassifier({args})"

    # -- helpers ---------------------------------------------------------------
    def _build(self, n_classes, rng):
        sizes = [self.n_features_in_, *self.hidden, n_classes]
        layers, _ = dense_layers(sizes, [self.activation] * len(self.hidden) + ["linear"], rng=rng,
                                 dtype=self.dtype, dropout=self.dropout)
        return Sequential(*layers)

    def _numbers(self, where, name, X):
        """`X` as an array of ``dtype``, or a TypeError naming it if it holds no numbers."""
        kind = np.asarray(X).dtype.kind
        if kind not in "biuf":
            raise TypeError(f"MLPClassifier.{where}: {name} must be an array of numbers, got dtype {np.asarray(X).dtype}")
        return np.asarray(X, dtype=self.dtype)

    def _check_X(self, X):
        X = self._numbers("predict", "X", X)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(f"MLPClassifier: expected X of shape (n, {self.n_features_in_}) "
                             f"(n_features_in_), got {X.shape}")
        return X

    def _encode(self, y):
        """Labels -> indices into ``classes_``; unknown labels raise."""
        y = np.asarray(y)
        index = np.searchsorted(self.classes_, y)
        index[index == len(self.classes_)] = 0
        unknown = self.classes_[index] != y
        if np.any(unknown):
            raise ValueError(f"MLPClassifier: unknown labels {np.unique(y[unknown])[:10]}; "
                             f"classes are {self.classes_}")
        return index


def _accuracy_of_logits(y, logits):
    return np.mean(np.argmax(logits, axis=1) == y)
