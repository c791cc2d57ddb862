"""Rule prepare_digits: scikit-learn's 8x8 digits -> data/digits.npz (study.data.digits)."""
from study.data.dataset import save_dataset
from study.data.digits import build_digits
from study.logs import log_to

with log_to(snakemake.log[0]):
    data = build_digits(
        test_fraction=snakemake.params.test_fraction,
        validation_fraction=snakemake.params.validation_fraction,
        seed=snakemake.params.seed,
    )
    save_dataset(snakemake.output[0], data)
