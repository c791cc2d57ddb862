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

#: Regex matching an autoencoder variant name (for Snakemake's ``wildcard_constraints``): the
#: family, latent size and activation, then one ``_{axis}{value}`` per axis of the family.
AE_VARIANT_REGEX = rf"[a-z][a-z0-9]*_latent[1-9][0-9]*_[a-z][a-z0-9_]*?(?:_[a-z]+{_NUMBER})+_seed[0-9]+"
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


#: The most characters a number may take in a variant's name, a directory's (whose limit is
#: 255 bytes for the whole name): ``beta: [1.0e+300]`` would be written with 301 digits.
NUMBER_CHARACTERS = 24


def long_number_problem(value):
    """Why `value` cannot be part of a variant's name, or None."""
    text = format_number(value)
    if len(text) > NUMBER_CHARACTERS:
        return (f"would be written in a variant's directory name with {len(text)} characters "
                f"({text[:8]}...), more than {NUMBER_CHARACTERS}")
    return None


def _integer(name, value, minimum):
    if isinstance(value, bool) or int(value) != value or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def family_axes(family):
    """The names of the axes `family` declares (``study.families``), in name order; a family
    not registered (yet) has the training noise only."""
    from study.families import FAMILIES

    entry = FAMILIES.get(family)
    return tuple(axis.name for axis in entry.axes) if entry is not None else ("noise",)


@dataclass(frozen=True)
class AEVariant:
    """One autoencoder of the grid: model family, latent size, activation, the values of the
    family's axes and seed.

    ``noise`` is the input-noise level of a denoising autoencoder (0 for a family without the
    noise axis); ``settings`` holds the values of the family's other axes as ``(name, value)``
    pairs, e.g. ``(("beta", 4.0),)`` for a beta-VAE (:meth:`setting` reads one).
    """

    family: str
    latent_dim: int
    activation: str
    noise: float = 0.0
    seed: int = 0
    settings: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "latent_dim", _integer("latent_dim", self.latent_dim, 1))
        # Rounded as in the name, so that parsing a name gives back an equal variant.
        object.__setattr__(self, "noise", float(format_number(self.noise)))
        object.__setattr__(self, "seed", _integer("seed", self.seed, 0))
        settings = dict(self.settings)
        axes = [axis for axis in family_axes(self.family) if axis != "noise"]
        if sorted(settings) != sorted(axes):
            raise ValueError(f"a {self.family} variant has the settings {axes}, got {sorted(settings)}")
        if self.noise and "noise" not in family_axes(self.family):
            raise ValueError(f"the {self.family} family has no noise axis, got noise {self.noise}")
        object.__setattr__(self, "settings", tuple((axis, float(format_number(settings[axis]))) for axis in axes))

    def setting(self, axis):
        """The value of the family's axis `axis` (``"noise"`` included)."""
        return self.noise if axis == "noise" else dict(self.settings)[axis]

    @property
    def name(self):
        """E.g. ``mlp_latent16_tanh_noise0.25_seed0``, ``vae_latent16_relu_beta4_seed0``."""
        axes = "".join(f"_{axis}{format_number(self.setting(axis))}" for axis in family_axes(self.family))
        return f"{self.family}_latent{self.latent_dim}_{self.activation}{axes}_seed{self.seed}"

    @property
    def configuration(self):
        """The name without the seed: what several training seeds of one variant share."""
        return self.name.rsplit("_seed", 1)[0]

    @property
    def objective(self):
        """The family and its axes' values, without latent size and activation, e.g.
        ``mlp noise0.25``, ``vae beta4``: what the objectives study compares."""
        return " ".join([self.family] + [f"{axis}{format_number(self.setting(axis))}"
                                         for axis in family_axes(self.family)])

    @classmethod
    def parse(cls, name):
        """The variant named `name`; ValueError unless `name` is exactly a variant's name."""
        family = re.match(r"([a-z][a-z0-9]*)_latent", name)
        axes = family_axes(family.group(1)) if family else ("noise",)
        parts = "".join(rf"_{axis}({_NUMBER})" for axis in axes)
        match = re.fullmatch(rf"([a-z][a-z0-9]*)_latent([0-9]+)_([a-z][a-z0-9_]*?){parts}_seed([0-9]+)", name)
        # A latent size of 0 has a name's shape, not a variant's.
        problem = None if match and int(match.group(2)) else _bad_part(name, family and family.group(1), axes)
        if problem or not match:
            shape = "".join(f"_{axis}VALUE" for axis in axes)
            raise ValueError(problem or (
                f"{name!r} is not an autoencoder variant name like "
                f"mlp_latent16_tanh_noise0.25_seed0 (family_latentN_activation{shape}_seedN)"))
        family, latent_dim, activation, *values, seed = match.groups()
        for key, value in [("latent_dim", latent_dim), *zip(axes, values), ("seed", seed)]:
            if len(value) > NUMBER_CHARACTERS:
                raise ValueError(f"{key} {value[:8]}... in {name[:40]!r}...: {len(value)} characters, more than "
                                 f"{NUMBER_CHARACTERS} for a number in a variant's name (config key grid.{key})")
        for key, value in zip(axes, values):
            problem = long_number_problem(float(value))  # 1e+300, short as written, long as a name
            if problem:
                raise ValueError(f"{key} {value!r} in {name!r}: {problem} (config key grid.{key})")
        values = dict(zip(axes, map(float, values)))
        noise = values.pop("noise", 0.0)
        return _canonical(cls(family, int(latent_dim), activation, noise, int(seed), tuple(values.items())), name)


def _bad_part(name, family, axes):
    """What is wrong with the one part of the autoencoder variant name `name` that is not as a
    name writes it (``beta-1``, ``betanan``, an unregistered family's ``vqvae_``), naming the part
    and its config key; or None."""
    from study.families import FAMILIES

    if family is not None and family not in FAMILIES:
        return (f"family {family!r} in {name!r}: must be one of {', '.join(FAMILIES)} "
                f"(config key grid.family)")
    parts = "".join(rf"_{axis}([^_]*)" for axis in axes)
    loose = re.fullmatch(rf"[a-z][a-z0-9]*_latent([^_]*)_(.*?){parts}_seed([^_]*)", name)
    if not loose:
        return None
    whole, number = "a whole number", "a number >= 0 written like 0.25, 4 or 1e-05"
    shapes = [("latent_dim", "[1-9][0-9]*", "a whole number >= 1"),
              ("activation", "[a-z][a-z0-9_]*", "a name in lower case, like tanh"),
              *((axis, _NUMBER, number) for axis in axes), ("seed", "[0-9]+", whole)]
    for (key, shape, what), value in zip(shapes, loose.groups()):
        if not re.fullmatch(shape, value):
            return f"{key} {value!r} in {name!r}: must be {what} (config key grid.{key})"
    return None


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
        problem = _bad_classifier_part(name)
        if problem or not match:
            raise ValueError(problem or (
                f"{name!r} is not a classifier variant name like hidden512-256_relu_dropout0.2_seed0 "
                f"(hiddenN-N_activation_dropoutVALUE_seedN)"))
        hidden, activation, dropout, seed = match.groups()
        problem = long_number_problem(float(dropout))
        if problem:
            raise ValueError(f"dropout {dropout!r} in {name!r}: {problem} (config key classifiers.dropout)")
        hidden = tuple(int(h) for h in hidden.split("-"))
        return _canonical(cls(hidden, activation, float(dropout), int(seed)), name)


def _bad_classifier_part(name):
    """What is wrong with the one part of the classifier variant name `name` that is not as a name
    writes it (``hidden-5``, ``hidden0``, ``dropoutX``, ``seedfoo``, a number too long for a
    name), naming the part and its config key; or None."""
    loose = re.fullmatch(r"hidden(.*?)_(.*?)_dropout([^_]*)_seed([^_]*)", name)
    if not loose:
        return None
    shapes = [("hidden", "[1-9][0-9]*(-[1-9][0-9]*)*", "sizes >= 1 joined by '-', like 512-256"),
              ("activation", "[a-z][a-z0-9_]*", "a name in lower case, like relu"),
              ("dropout", _NUMBER, "a number in [0, 1) written like 0.2"),
              ("seed", "[0-9]+", "a whole number")]
    for (key, shape, what), value in zip(shapes, loose.groups()):
        if not re.fullmatch(shape, value):
            return f"{key} {value!r} in {name!r}: must be {what} (config key classifiers.{key})"
        for number in value.split("-") if key != "activation" else ():
            if len(number) > NUMBER_CHARACTERS:
                return (f"{key} {number[:8]}... in {name[:40]!r}...: {len(number)} characters, more than "
                        f"{NUMBER_CHARACTERS} for a number in a variant's name (config key classifiers.{key})")
    return None


def _canonical(variant, name):
    """`variant`, if `name` is its one name (so ``noise0.0`` or ``latent016`` are refused)."""
    if variant.name != name:
        canonical = variant.name if len(variant.name) <= 80 else f"{variant.name[:60]}... (a number too long for a name)"
        raise ValueError(f"{name!r} is not in canonical form; the variant is named {canonical!r}")
    return variant


def ae_variants(config):
    """All autoencoder variants of a validated config's ``grid``, in grid order.

    Returns
    -------
    list of AEVariant: for each family, one per element of latent_dim x activation x (each
    of the family's axes, ``grid.{axis}``) x seed.
    """
    grid = config["grid"]
    variants = []
    for family in grid["family"]:
        axes = family_axes(family)
        for axis in axes:
            _check_names_differ(f"grid.{axis}", grid[axis])
        for latent_dim, activation, *values, seed in itertools.product(
                grid["latent_dim"], grid["activation"], *(grid[axis] for axis in axes), grid["seed"]):
            values = dict(zip(axes, values))
            noise = values.pop("noise", 0.0)
            variants.append(AEVariant(family, latent_dim, activation, noise, seed, tuple(values.items())))
    return variants


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
