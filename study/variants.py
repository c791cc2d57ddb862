"""Variant names: one readable path segment that names every parameter of a model.

Autoencoders are representations, ``results/{dataset}/repr/{variant}/``, with names like
``mlp_latent16_tanh_noise0.25_seed0`` (model family first); raw-pixel classifiers live in
``results/{dataset}/clf/{variant}/`` with names like ``hidden512-256_relu_dropout0.2_seed0``. Numbers are written by
:func:`format_number`, so each parameter set has exactly one name and parsing a name gives
the parameters back.
"""
import itertools
import re
from dataclasses import dataclass

_NUMBER = r"[0-9][0-9.e+-]*"

#: Regex matching an autoencoder variant name (for Snakemake's ``wildcard_constraints``).
AE_VARIANT_REGEX = rf"[a-z][a-z0-9]*_latent[1-9][0-9]*_[a-z][a-z0-9_]*?_noise{_NUMBER}_seed[0-9]+"
#: Regex matching a classifier variant name.
CLASSIFIER_VARIANT_REGEX = (
    rf"hidden[1-9][0-9]*(-[1-9][0-9]*)*_[a-z][a-z0-9_]*?_dropout{_NUMBER}_seed[0-9]+"
)


def format_number(x):
    """Shortest stable text for a number: ``0.25`` (never ``0.25000000000000006``), ``0``, ``2``.

    Values are first rounded to 7 significant digits (float32 precision), so a float32 ``0.1``
    or a sum that misses by one ulp still prints as the literal a user would write; integral
    values print without a decimal point.
    """
    value = float(f"{float(x):.7g}")
    return str(int(value)) if value.is_integer() else repr(value)


def _integer(name, value, minimum):
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class AEVariant:
    """One autoencoder of the grid: model family, latent size, activation, input-noise level
    and seed."""

    family: str
    latent_dim: int
    activation: str
    noise: float
    seed: int

    def __post_init__(self):
        object.__setattr__(self, "latent_dim", _integer("latent_dim", self.latent_dim, 1))
        # Rounded as in the name, so that parsing a name gives back an equal variant.
        object.__setattr__(self, "noise", float(format_number(self.noise)))
        object.__setattr__(self, "seed", _integer("seed", self.seed, 0))

    @property
    def name(self):
        """E.g. ``mlp_latent16_tanh_noise0.25_seed0``."""
        return (
            f"{self.family}_latent{self.latent_dim}_{self.activation}"
            f"_noise{format_number(self.noise)}_seed{self.seed}"
        )

    @property
    def configuration(self):
        """The name without the seed: what several training seeds of one variant share."""
        return self.name.rsplit("_seed", 1)[0]

    @classmethod
    def parse(cls, name):
        """The variant named `name`; ValueError unless `name` is exactly a variant's name."""
        match = re.fullmatch(
            rf"([a-z][a-z0-9]*)_latent([0-9]+)_([a-z][a-z0-9_]*?)_noise({_NUMBER})_seed([0-9]+)", name
        )
        if not match:
            raise ValueError(
                f"{name!r} is not an autoencoder variant name like mlp_latent16_tanh_noise0.25_seed0"
            )
        family, latent_dim, activation, noise, seed = match.groups()
        return _canonical(cls(family, int(latent_dim), activation, float(noise), int(seed)), name)


@dataclass(frozen=True)
class ClassifierVariant:
    """One raw-pixel classifier: hidden layer sizes, activation, dropout rate and seed."""

    hidden: tuple
    activation: str
    dropout: float
    seed: int

    def __post_init__(self):
        hidden = tuple(_integer("hidden size", h, 1) for h in self.hidden)
        if not hidden:
            raise ValueError("hidden must list at least one layer size")
        object.__setattr__(self, "hidden", hidden)
        object.__setattr__(self, "dropout", float(format_number(self.dropout)))
        object.__setattr__(self, "seed", _integer("seed", self.seed, 0))

    @property
    def name(self):
        """E.g. ``hidden512-256_relu_dropout0.2_seed0``."""
        sizes = "-".join(map(str, self.hidden))
        return f"hidden{sizes}_{self.activation}_dropout{format_number(self.dropout)}_seed{self.seed}"

    @classmethod
    def parse(cls, name):
        """The variant named `name`; ValueError unless `name` is exactly a variant's name."""
        match = re.fullmatch(
            rf"hidden([0-9]+(?:-[0-9]+)*)_([a-z][a-z0-9_]*?)_dropout({_NUMBER})_seed([0-9]+)", name
        )
        if not match:
            raise ValueError(
                f"{name!r} is not a classifier variant name like hidden512-256_relu_dropout0.2_seed0"
            )
        hidden, activation, dropout, seed = match.groups()
        hidden = tuple(int(h) for h in hidden.split("-"))
        return _canonical(cls(hidden, activation, float(dropout), int(seed)), name)


def _canonical(variant, name):
    """`variant`, if `name` is its one name (so ``noise0.0`` or ``latent016`` are refused)."""
    if variant.name != name:
        raise ValueError(f"{name!r} is not in canonical form; the variant is named {variant.name!r}")
    return variant


def ae_variants(config):
    """All autoencoder variants of a validated config's ``grid``, in grid order.

    Returns
    -------
    list of AEVariant, one per element of family x latent_dim x activation x noise x seed.
    """
    grid = config["grid"]
    _check_names_differ("grid.noise", grid["noise"])
    return [
        AEVariant(*values)
        for values in itertools.product(
            grid["family"], grid["latent_dim"], grid["activation"], grid["noise"], grid["seed"]
        )
    ]


def classifier_variants(config):
    """All classifier variants of a validated config's ``classifiers`` section, in order.

    Returns
    -------
    list of ClassifierVariant, one per element of hidden x activation x dropout x seed.
    """
    grid = config["classifiers"]
    _check_names_differ("classifiers.dropout", grid["dropout"])
    return [
        ClassifierVariant(*values)
        for values in itertools.product(
            grid["hidden"], grid["activation"], grid["dropout"], grid["seed"]
        )
    ]


def _check_names_differ(key, values):
    """Refuse distinct float values that :func:`format_number` writes alike (one path for two)."""
    texts = [format_number(v) for v in values]
    clashes = sorted({t for t in texts if texts.count(t) > 1})
    if clashes:
        raise ValueError(
            f"config: {key} = {values}: values differing beyond 7 significant digits share a "
            f"variant name ({', '.join(clashes)})"
        )
