"""Autoencoder: an encoder and a decoder, trained to reproduce the input."""
import numpy as np

from .activations import check_activation, dense_layers, with_activation
from .checks import positive_int
from .module import Module
from .random import as_generator
from .sequential import Sequential
from .tied_linear import TiedLinear


class AutoEncoder(Sequential):
    """``decoder(encoder(X))``: (batch, d) -> (batch, k) -> (batch, d).

    A two-module ``Sequential`` whose children are named ``encoder`` and
    ``decoder``, so parameters read ``"encoder.0.W"``, ``"decoder.2.b"``. Forward
    and backward are Sequential's; ``encode`` and ``decode`` run one half.

    Parameters
    ----------
    encoder, decoder : Module
        Maps (batch, d) -> (batch, k) and (batch, k) -> (batch, d).
    """

    def __init__(self, encoder, decoder):
        for name, module in (("encoder", encoder), ("decoder", decoder)):
            if not isinstance(module, Module):
                raise TypeError(f"AutoEncoder: {name} must be a diy Module, got {module!r}")
        super().__init__(encoder, decoder)

    @property
    def encoder(self):
        return self.modules[0]

    @property
    def decoder(self):
        return self.modules[1]

    def _named_children(self):
        return [("encoder", self.encoder), ("decoder", self.decoder)]

    def append(self, module):
        raise TypeError("AutoEncoder has exactly an encoder and a decoder; append to one of them")

    def encode(self, X):
        """(batch, d) -> (batch, k): the code (latent representation) of ``X``."""
        return self.encoder.forward(X)

    def decode(self, Z):
        """(batch, k) -> (batch, d): the reconstruction from a code ``Z``."""
        return self.decoder.forward(Z)

    @classmethod
    def build(cls, sizes, activation="tanh", output_activation="sigmoid", *,
              latent_activation="linear", tied=False, init=None, rng=None, dtype=np.float32):
        """A fully connected autoencoder, mirror-symmetric in its layer sizes.

        ``sizes=[784, 256, 64, 16]`` gives the encoder 784-256-64-16 and the
        decoder 16-64-256-784::

            encoder: Linear, act, Linear, act, Linear[, latent_act]
            decoder: Linear, act, Linear, act, Linear, output_act

        Parameters
        ----------
        sizes : sequence of int, length >= 2
            Input size, hidden sizes, latent size.
        activation : {"tanh", "sigmoid", "relu", "linear"}
            After every hidden layer, encoder and decoder.
        output_activation : {"sigmoid", "tanh", "relu", "linear"}
            After the last decoder layer: "sigmoid" for data in [0, 1] (with
            BCELoss), "linear" for unbounded data (with MSELoss).
        latent_activation : {"linear", "tanh", "sigmoid", "relu"}
            After the last encoder layer. "linear" (the default) gives an unconstrained
            code, as PCA's: a tanh or sigmoid code saturates and a ReLU code has dead
            units, which in a small code waste the very dimensions one reads (the
            study's finding). "tanh" gives the classic course autoencoder's bounded code.
        tied : bool
            If True the decoder's layers are ``TiedLinear`` on the encoder's
            (each decoder weight is the transpose of its mirror encoder weight,
            with its own bias), halving the weights.
        init : str or None
            The initialisation of every layer (a key of ``diy.init.INITIALISERS``). None (the
            default): He for layers followed by ReLU, Xavier for the others (see ``Linear``).
            A tied decoder layer inherits its encoder layer's init.
        rng : np.random.Generator, int or None
            Source of the initial weights.
        dtype : numpy dtype
            Of every parameter.
        """
        sizes = [positive_int("AutoEncoder.build", "sizes", s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"AutoEncoder.build: need >= 2 positive sizes, got {sizes}")
        for name in (activation, output_activation, latent_activation):
            check_activation(name, "AutoEncoder.build")
        rng = as_generator(rng)
        n = len(sizes) - 1
        encoder_acts = [activation] * (n - 1) + [latent_activation]
        decoder_acts = [activation] * (n - 1) + [output_activation]

        encoder, linears = dense_layers(sizes, encoder_acts, rng=rng, dtype=dtype, init=init)
        if tied:
            decoder = [module for source, act in zip(reversed(linears), decoder_acts)
                       for module in with_activation(TiedLinear(source), act)]
        else:
            decoder, _ = dense_layers(sizes[::-1], decoder_acts, rng=rng, dtype=dtype, init=init)
        return cls(Sequential(*encoder), Sequential(*decoder))
