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
from .bce_with_logits_loss import BCEWithLogitsLoss
from .cross_entropy_loss import CrossEntropyLoss
from .nll_loss import NLLLoss
from .gradcheck import check_gradient, check_loss_gradient

# -- convolutions, pooling, reshaping (convolutions section) --
from .conv1d import Conv1D
from .max_pool1d import MaxPool1D
from .avg_pool1d import AvgPool1D
from .conv2d import Conv2D
from .max_pool2d import MaxPool2D
from .conv_transpose2d import ConvTranspose2D
from .flatten import Flatten
from .reshape import Reshape

# -- optimizers, training, autoencoders, classifiers, save/load (models section) --
from . import optim
from .optim import SGD, Adam
from .trainer import Trainer
from .train import TrainingDiverged, fit
from .tied_linear import TiedLinear
from .autoencoder import AutoEncoder
from .classifier import MLPClassifier
from .serialization import load, save

# -- objectives beyond reconstruction: penalties, VAEs and their likelihood (objectives section) --
from .objective import objective_terms
from .gaussian_sample import GaussianSample
from .l1_penalty import L1Penalty
from .kl_sparsity import KLSparsity
from .k_sparse import KSparse
from .contractive import Contractive
from .vae import build_vae
from .likelihood import vae_log_likelihood

# -- deep embedded clustering: k-means, the clustering layer, KL, DEC/IDEC (clustering section) --
from .kmeans import kmeans
from .assignment import clustering_accuracy, linear_sum_assignment, matched_correctly
from .clustering_layer import ClusteringLayer
from .clustering_penalty import ClusteringPenalty
from .kl_div_loss import KLDivLoss
from .dec import DECResult, fit_dec, target_distribution
