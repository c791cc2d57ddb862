"""Draw the study's figures again from a results tree with the current code: those under docs/,
or every one the tree has the inputs of.

    python tools/docs_figures.py RESULTS [--out docs] [--all] [--loss bce] [--source TEXT]

A figure is named as the workflow names it, ``{dataset}_{figure}.png`` (``digits_tsne.png``,
``digits_kmeans_accuracy_vs_latent.png``); :func:`draw` draws it from what a run wrote under
RESULTS (the tidy table tables/metrics.csv, histories, the analyses' arrays) as the workflow's
figure scripts do. Each PNG
keeps its title and RESULTS in its text (``Title``, ``Source``), so that a test can tell a
figure under docs/ drawn by older code (tests/study/test_docs_figures.py). Without --all, the
figures drawn are those under --out (docs/ by default): run it on a finished study's results to
bring docs/ up to date.
"""
import argparse
from pathlib import Path

import pandas as pd
from PIL import Image

from study.analyses import ANALYSES
from study.figures import classifier_curves, learning_curves, save_figure
from study.metric_figures import metric_figure
from study.results import load, read_npz
from study.summary.choice import model_free
from study.tables import analysis_tables
from study.variants import AEVariant

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _histories(directory, parse=lambda name: name):
    return {parse(path.parent.name): pd.read_csv(path) for path in sorted(Path(directory).glob("*/history.csv"))}


def _is_autoencoder(name):
    try:
        AEVariant.parse(name)
    except ValueError:
        return False
    return True


def draw(results, dataset, figure, loss="bce", confidence=0.95):
    """The figure `figure` (``learning_curves``, ``tsne``, ``kmeans_accuracy_vs_latent``...) of
    `dataset` from the results tree `results`, as the workflow draws it."""
    results = Path(results)
    if figure == "learning_curves":
        histories = {AEVariant.parse(name): history for name, history in _histories(results / dataset / "repr").items()
                     if _is_autoencoder(name)}
        return learning_curves(histories, f"{dataset}: autoencoder learning curves on the validation split (the "
                               "whole objective; below it, for a family with a penalty, its reconstruction term)",
                               loss=loss)
    if figure == "classifier_curves":
        return classifier_curves(_histories(results / dataset / "clf"), f"{dataset}: raw-pixel DIY classifiers' "
                                 "learning curves")
    for analysis in ANALYSES.values():
        for name, metric in analysis.metrics.items():
            for kind in ("vs_latent", "heatmap"):
                if figure == f"{name}_{kind}":
                    reference = model_free(analysis)
                    return metric_figure(analysis_tables(load(results), ANALYSES)[analysis.name], dataset, metric,
                                         "heatmap" if kind == "heatmap" else "lines", reference,
                                         analysis.baseline_labels.get(reference), confidence)
        if figure in analysis.figures:
            declared = analysis.figures[figure]
            return declared.draw(analysis_tables(load(results), ANALYSES), dataset,
                                 lambda name: read_npz(results / dataset / analysis.name / f"{name}.npz"))
    raise ValueError(f"no figure named {figure!r}")


def figure_names(results, dataset):
    """The figures of `dataset` that the results tree has the inputs of (an analysis' figure
    if it applies to the grid of the autoencoders trained there)."""
    results = Path(results)
    variants = [AEVariant.parse(path.name) for path in (results / dataset / "repr").glob("*") if _is_autoencoder(path.name)]
    grid = {"grid": {"latent_dim": sorted({v.latent_dim for v in variants}), "family": sorted({v.family for v in variants})}}
    names = ["learning_curves"] if (results / dataset / "repr").is_dir() else []
    names += ["classifier_curves"] if (results / dataset / "clf").is_dir() else []
    for analysis in ANALYSES.values():
        if not (results / "tables" / f"{analysis.name}.csv").exists():
            continue
        names += [f"{name}_{kind}" for name, metric in analysis.metrics.items()
                  for kind, drawn in (("vs_latent", metric.lines), ("heatmap", metric.heatmap)) if drawn]
        if (results / dataset / analysis.name).is_dir():
            names += [name for name, declared in analysis.figures.items() if declared.applies(grid)
                      and all((results / "tables" / f"{table}.csv").exists() for table in declared.tables)]
    return names


def split_name(path, datasets):
    """``digits_tsne.png`` -> ``("digits", "tsne")``, or None if no dataset of `datasets` begins it."""
    for dataset in datasets:
        if path.stem.startswith(f"{dataset}_"):
            return dataset, path.stem.removeprefix(f"{dataset}_")
    return None


def png_text(path):
    """The text chunks of a PNG (``Title``, ``Source``...)."""
    with Image.open(path) as image:
        return dict(image.text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="a results tree, e.g. results/quick")
    parser.add_argument("--out", default=str(DOCS), help="where the figures are written (default: docs/)")
    parser.add_argument("--all", action="store_true", help="every figure the results tree has the inputs of")
    parser.add_argument("--loss", default="bce", help="training.loss of the study (names the learning curves' term)")
    parser.add_argument("--source", help="how the PNGs name the run (default: RESULTS as given)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    datasets = sorted(path.name for path in Path(args.results).iterdir() if (path / "repr").is_dir())
    if args.all:
        wanted = [(dataset, figure) for dataset in datasets for figure in figure_names(args.results, dataset)]
    else:
        wanted = []
        for path in sorted(out.glob("*.png")):
            named = split_name(path, datasets)
            if named is None:
                print(f"{path}: not drawn, {args.results} has none of its dataset")
            else:
                wanted.append(named)
    for dataset, figure in wanted:
        path = out / f"{dataset}_{figure}.png"
        fig = draw(args.results, dataset, figure, loss=args.loss)
        save_figure(fig, path, source=args.source or str(args.results))
        print(path)


if __name__ == "__main__":
    main()
