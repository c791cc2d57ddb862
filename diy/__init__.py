"""diy: a small, fast, pure-NumPy neural-network library in the style of Torch ``nn``.

The file list is the catalogue: ``Linear`` lives in ``linear.py``, ``BCELoss`` in
``bce_loss.py``, and so on. Everything below is importable from the top level.
"""
from .module import Module
from .loss import Loss
from .linear import Linear
from .sequential import Sequential

# -- activations, dropout, losses, gradient checking (modules and losses section) --
from .tanh import TanH
from .sigmoid import Sigmoid
from .relu import ReLU
from .softmax import Softmax
from .log_softmax import LogSoftmax
from .dropout import Dropout
from .mse_loss import MSELoss
from .bce_loss import BCELoss
from .cross_entropy_loss import CrossEntropyLoss
from .nll_loss import NLLLoss
from .gradcheck import check_gradient, check_loss_gradient

# -- optimizers, training, autoencoders, classifiers, save/load (models section) --
from . import optim
from .optim import SGD, Adam, Optim
from .train import TrainingDiverged, fit
from .tied_linear import TiedLinear
from .autoencoder import AutoEncoder
from .classifier import MLPClassifier
from .serialization import load, save
