"""Sparse autoencoders: the mlp family's network with a sparsity constraint on the code.

``penalty`` chooses the constraint, and the family's axis ``sparsity`` (``grid.sparsity``)
its strength:

- ``kl`` (Ng, CS294A notes): a sigmoid code and ``diy.KLSparsity``, ``sparsity`` times the
  KL divergence of each unit's mean activation from ``rho``;
- ``l1``: a linear code and ``diy.L1Penalty``, ``sparsity`` times the codes' L1 norm (which a
  decoder can dodge by shrinking the code and growing its weights: kl or k_sparse are safer);
- ``k_sparse`` (Makhzani & Frey 2014): a linear code and ``diy.KSparse``, keeping the
  ``sparsity`` largest units of each code (an integer below the latent size).

E.g. ``sparse_latent32_relu_sparsity0.1_seed0``.
"""
import math

from diy.autoencoder import AutoEncoder
from diy.k_sparse import KSparse
from diy.kl_sparsity import KLSparsity
from diy.l1_penalty import L1Penalty
from study.families import Axis, Family
from study.families.mlp import hidden_schema
from study.variants import format_number

SPARSITY = Axis("sparsity", "Strength of a sparse AE's constraint (family sparse): the penalty's "
                "weight (penalty kl or l1), or the units kept per code (k_sparse).",
                {"type": "number", "exclusiveMinimum": 0})
PENALTIES = ["kl", "l1", "k_sparse"]


def check(variant, settings):
    """Why `variant` cannot be built with `settings`: k_sparse keeps a whole number of units, fewer
    than the code has; or None."""
    strength = variant.setting("sparsity")
    if settings["penalty"] == "k_sparse" and (strength != int(strength) or not 1 <= strength < variant.latent_dim):
        return (f"grid.sparsity = {format_number(strength)}: must be a whole number of units below the latent "
                f"size {variant.latent_dim} (grid.latent_dim) when families.sparse.penalty is k_sparse")
    return None


def build(image_shape, variant, settings, rng, dtype):
    """The untrained sparse autoencoder of `variant` for images of `image_shape`."""
    penalty, strength = settings["penalty"], variant.setting("sparsity")
    problem = check(variant, settings)
    if problem:
        raise ValueError(f"{variant.name}: {problem}")
    model = AutoEncoder.build([math.prod(image_shape), *settings["hidden"], variant.latent_dim],
                              variant.activation, "linear",
                              latent_activation="sigmoid" if penalty == "kl" else "linear",
                              rng=rng, dtype=dtype)
    model.encoder.append({"kl": lambda: KLSparsity(settings["rho"], strength),
                          "l1": lambda: L1Penalty(strength),
                          "k_sparse": lambda: KSparse(int(strength))}[penalty]())
    return model


FAMILY = Family("sparse", build, axes=(SPARSITY,), check=check, schema={
    "hidden": hidden_schema(),
    "penalty": {"type": "string", "enum": PENALTIES,
                "description": "kl: KL sparsity of a sigmoid code | l1: L1 norm of a linear code | "
                               "k_sparse: the k largest units of a linear code."},
    "rho": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1,
            "description": "Target mean activation of the kl penalty's sigmoid units."},
})
