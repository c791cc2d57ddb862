"""The analyses registry: one module per analysis, each declaring ``ANALYSIS = Analysis(...)``.

An analysis reads one representation of a dataset (its codes, or its model where it needs
images: :mod:`study.representations`), or none for a baseline of its own (denoising's noisy
input), and returns rows and arrays. Its declaration says everything the workflow, the tables,
the figures and the report need, so the workflow has one rule per stage over an
``{analysis}`` wildcard and derives its lists from :data:`ANALYSES`.

An analysis module imports at its top only what computing it needs: its figures import
matplotlib and pandas (:mod:`study.figures`, :mod:`study.tables`) inside the drawing
functions, and scikit-learn is imported where it is used, so that one analysis job does not
pay ~1.5 s to import what only the figure jobs use.
"""
import math
import sys
from dataclasses import dataclass, field, replace
from typing import Callable

from study.registry import discover

#: The representations that are not autoencoders and that an analysis may apply to.
REPRESENTATION_BASELINES = ("pixels", "pca")
#: The splits every analysis is evaluated on: validation to choose (a best variant, latent
#: size or setting), test to report what was chosen. Rows carry their split in ``split``.
SPLITS = ("val", "test")


@dataclass(frozen=True)
class Metric:
    """One number per representation, read from an analysis' table.

    column : the table's column; ``where`` : (column, value) pairs selecting rows (one
    classifier, one preprocessing); rows that still differ beyond the representation
    (denoising's test noises) are averaged.
    lines, heatmap : whether the study draws it against the latent size, and as a heatmap
    over latent size x training noise.
    versus_pca : a short label to show it in the summary's autoencoder-vs-PCA table, or None.
    unit_interval : whether it lies in [0, 1] (accuracies, NMI, trustworthiness): its figures
        then draw at least :data:`study.metric_figures.UNIT_SPAN` of that range, so that neither a small
        difference looks like a gulf nor a large one like nothing.
    kind : how its numbers are written, a key of :data:`study.statistics.NUMBER_FORMATS`
        (``accuracy``: 3 decimals, ``psnr``: 2, ``error``: 3 significant digits); by default
        ``accuracy`` for a unit-interval metric, else ``error``.
    margin : the smallest difference that matters, within which two representations are
        equivalent on it (a primary question's verdict, study.verdicts); ``relative``: as a
        share of the reference's value (PCA's, or the plain autoencoder's). By default, from the
        kind: 0.02 of an accuracy, 0.5 dB of a PSNR, 5% of an error (docs/statistics.md says why);
        the config's ``margins`` overrides it.
    """

    column: str
    label: str
    higher_is_better: bool = True
    where: tuple = ()
    lines: bool = True
    heatmap: bool = False
    versus_pca: str = None
    unit_interval: bool = False
    kind: str = None
    margin: float = None
    relative: bool = None

    @property
    def number_kind(self):
        return self.kind or ("accuracy" if self.unit_interval else "error")

    @property
    def value_range(self):
        """The values it can take: [0, 1] in the unit interval; an error or a PSNR of images in
        [0, 1] is never negative."""
        if self.unit_interval:
            return 0.0, 1.0
        return (0.0, math.inf) if self.number_kind in ("error", "psnr") else (-math.inf, math.inf)

    @property
    def equivalence_margin(self):
        """``(margin, relative)``: the declared margin, else the default of the metric's kind."""
        margin, relative = DEFAULT_MARGINS[self.number_kind]
        return (margin if self.margin is None else self.margin,
                relative if self.relative is None else self.relative)


#: A metric kind's default equivalence margin, ``(margin, relative to the reference)``: two
#: points of accuracy (or of mAP), half a decibel, 5% of a squared error (docs/statistics.md).
DEFAULT_MARGINS = {"accuracy": (0.02, False), "psnr": (0.5, False), "error": (0.05, True)}


@dataclass(frozen=True)
class Figure:
    """A figure of an analysis, ``results/figures/{dataset}_{name}.png``.

    draw : ``(tables, dataset, load) -> matplotlib Figure``; ``tables`` maps an analysis' name to
        its table, ``load(name)`` gives the arrays the analysis saved for representation `name`.
    caption : the report's caption (reStructuredText).
    applies : ``config -> bool``, whether the study draws it (e.g. only with a latent size 2).
    tables : the other analyses whose tables it reads besides its own's (``tables`` has them).
    """

    draw: Callable
    caption: str
    applies: Callable = lambda config: True
    tables: tuple = ()


@dataclass
class Source:
    """What an analysis is given: one representation, or one of its own baselines.

    name : ``mlp_latent16_tanh_noise0.25_seed0``, ``pca16``, ``pixels``, or a baseline of the
        analysis (``noisy``).
    kind : ``autoencoder``, ``pca``, ``pixels`` or the baseline's name.
    latent_dim : the code size (None for pixels and own baselines).
    codes : ``{"Z_train", "Z_val", "Z_test"}`` if the analysis reads codes.
    model : a ``diy`` module mapping images to images, if it reads the model (use
        :func:`study.representations.reconstruct`).
    """

    name: str
    kind: str
    latent_dim: int = None
    codes: dict = None
    model: object = None


@dataclass(frozen=True)
class Analysis:
    """One analysis of the study.

    name : as in paths, ``results/{dataset}/{name}/{representation}.json``.
    reads : ``"codes"`` or ``"model"`` (then it applies only to representations with a model).
    run : ``(data, source, settings) -> (rows, arrays)``, scoring the test split (``X_test``,
        ``y_test``, codes ``Z_test``): rows a list of JSON-able dicts with the ``keys``
        columns and the metrics; arrays a dict of ndarrays (may be empty). :meth:`evaluate`
        calls it for each of :data:`SPLITS`.
    settings : ``config -> dict``, the config values the rows depend on (its ``params``).
    baselines : the representations besides the autoencoders it applies to (``pixels``,
        ``pca``: PCA of every latent size of the grid) and its own baselines, names it
        computes itself from the data alone (``noisy``).
    keys : the columns telling its rows apart within one representation.
    metrics : name -> Metric, the numbers the summary and figures show.
    figures : figure name -> Figure.
    caption, category : the report's caption (reStructuredText) of its table and its section.
    schema : the JSON Schema ``properties`` of its config section ``analysis.{name}`` (whose
        defaults config.yaml holds).
    baseline_labels : own baseline -> how figures and tables name it (``noisy``: ``"noisy input"``).
    versus_kmeans : a metric of its own (a clustering accuracy) that the summary compares with
        k-means' accuracy on the same codes, or None.
    check : ``(section, dataset, sizes, n_classes) -> problems``, or None: why its config section
        ``analysis.{name}`` cannot apply to `dataset` of split sizes `sizes` (``{"train", "val",
        "test"}``: image counts) and `n_classes`, each problem a message naming its config key;
        :func:`study.config.load_config` calls it for every studied dataset before any job starts.
    threads : a job's threads, a function of the representation's name.
    splits_itself : whether ``run`` scores both :data:`SPLITS` itself, each row naming its
        ``split``; otherwise :meth:`evaluate` runs it once per split.
    """

    name: str
    reads: str
    run: Callable
    settings: Callable
    baselines: tuple = ()
    keys: tuple = ()
    metrics: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    caption: str = ""
    category: str = ""
    schema: dict = field(default_factory=dict)
    baseline_labels: dict = field(default_factory=dict)
    versus_kmeans: str = None
    check: Callable = None
    threads: Callable = lambda representation: 1
    splits_itself: bool = False

    @property
    def own_baselines(self):
        return tuple(b for b in self.baselines if b not in REPRESENTATION_BASELINES)

    def input_kinds(self, representation):
        """What its job on `representation` reads: ``"data"``, then the representation's
        ``"codes"`` and/or ``"model"`` (neither for an own baseline)."""
        if representation in self.own_baselines:
            return ("data",)
        kinds = ("data", "codes") if self.reads == "codes" else ("data",)
        if self.reads == "model" or representation != "pixels":
            # An analysis of codes reads the model too, to check that the codes are its own.
            kinds += ("model",)
        return kinds

    def inputs(self, results, dataset, representation):
        """The files its job on `representation` of `dataset` reads, kind -> path: the dataset
        file, and the representation's ``codes.npz`` and/or ``model.npz`` under `results`."""
        directory = f"{results}/{dataset}/repr/{representation}"
        return {kind: f"data/{dataset}.npz" if kind == "data" else f"{directory}/{kind}.npz"
                for kind in self.input_kinds(representation)}

    def evaluate(self, data, source, settings, threads=1):
        """``run`` on each of :data:`SPLITS` -> (rows, the test split's arrays).

        ``run``'s settings are `settings` and ``threads``, the job's (which no result depends
        on, so it is not one of the rule's params).

        ``run`` is written for the test split; for the validation split it is given the data
        and codes with the validation split in the test split's place (:func:`split_view`),
        so an analysis has one code path and the two splits are computed alike. A row starts
        with its ``split``; an analysis whose rows already name their split
        (``splits_itself``, e.g. classifiers trained once and scored on both) runs once.
        """
        settings = {**settings, "threads": int(threads)}
        if self.splits_itself:
            return self.run(data, source, settings)
        rows = []
        for split in SPLITS:
            split_rows, arrays = self.run(*split_view(data, source, split), settings)
            rows += [{"split": split, **row} for row in split_rows]
        return rows, arrays


def split_view(data, source, split):
    """(data, source) with `split` (``"val"`` or ``"test"``) as the test split: ``X_test``,
    ``y_test`` and the codes' ``Z_test`` are that split's (the train split is unchanged)."""
    if split == "test":
        return data, source
    data = {**data, "X_test": data[f"X_{split}"], "y_test": data[f"y_{split}"]}
    codes = None if source.codes is None else {**source.codes, "Z_test": source.codes[f"Z_{split}"]}
    return data, replace(source, codes=codes)


def analysis_settings(config, name, bootstrap=False, **extra):
    """The usual settings of analysis `name`: its config section and the analysis seed; with
    `bootstrap`, the bootstrap's ``resamples`` and ``confidence`` too (``analysis.bootstrap``)."""
    section = config["analysis"].get(name, {})
    interval = config["analysis"]["bootstrap"] if bootstrap else {}
    return {**section, "seed": config["analysis"]["seed"], **interval, **extra}


#: name -> Analysis, every module of this package.
ANALYSES = discover(sys.modules[__name__], "ANALYSIS", {})


def metric_named(name):
    """``(Analysis, Metric)`` of a registered metric's name (e.g. ``kmeans_accuracy``)."""
    for analysis in ANALYSES.values():
        if name in analysis.metrics:
            return analysis, analysis.metrics[name]
    raise KeyError(f"no analysis declares the metric {name!r}")
