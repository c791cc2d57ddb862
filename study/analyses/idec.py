"""IDEC: DEC with the autoencoder's reconstruction loss kept (Guo et al. 2017), scored against
the labels.

The clustering of :mod:`study.analyses.dec` (its docstring gives the rows, the arrays and the
baselines), with a copy of the decoder trained too: each batch minimises
``L_r + gamma * KL(P || Q)`` (``analysis.idec.gamma``), so the reconstruction keeps the code
from distorting the images' local structure while the clusters sharpen. L_r is Guo et al.'s,
the squared error of the decoder's output averaged over the pixels
(:func:`study.analyses.dec.reconstruction_objective`). The history's ``reconstruction`` holds
it summed over the pixels (``MSELoss``), d times the L_r that gamma weighs.
"""
from study.analyses import Analysis, analysis_settings
from study.analyses.dec import CAPTION, SCHEMA, cluster_splits, metrics, settings_problems


def run(data, source, settings):
    return cluster_splits(data, source, settings, reconstruct=True)


ANALYSIS = Analysis(
    "idec", reads="model", run=run,
    settings=lambda config: analysis_settings(config, "idec", bootstrap=True),
    baselines=("pca",), metrics=metrics("idec", "IDEC"), versus_kmeans="idec_accuracy",
    check=lambda section, dataset, sizes, n_classes: settings_problems(section, dataset, sizes, n_classes, "idec"),
    # gamma weighs KL(P || Q) against L_r times the pixels (study.analyses.dec.reconstruction_objective):
    # at 1e-300 that is 0 in float32 (the autoencoder alone, which diy.fit_dec refuses), at 1e300
    # infinite; beyond 1e-6 and 1e6 either term is under a millionth of the other (the
    # autoencoder alone, or DEC: run that).
    schema={**SCHEMA, "gamma": {"type": "number", "minimum": 1e-6, "maximum": 1e6,
                                "description": "Weight of the clustering loss KL(P || Q) against the "
                                               "squared error averaged over the pixels."}},
    category="8. Clustering beyond k-means",
    # As DEC's, plus the decoder's products: BLAS-bound, so two threads.
    threads=lambda representation: 2,
    splits_itself=True,
    caption=CAPTION.format(label="IDEC (Guo et al. 2017: DEC's KL divergence, weighted by ``gamma``, "
                                 "plus the autoencoder's reconstruction loss)",
                           decoder=" and decoder"),
)
