"""The study's answers: ``results/tables/summary.md`` and ``.html``, from the analyses' tables.

Every choice is made on the validation split and reported on the test split: the best
autoencoder configuration for a metric is the one with the best validation mean over its
training seeds, and its test mean is shown with its t interval over those seeds. The claims
are the primary questions' verdicts, read on fresh seeds (study.confirmation); every other
comparison is a paired one across the exploration's seeds (same seed, same test set;
:func:`study.statistics.paired_comparison`) with its raw p. The metrics come from the analyses registry, so a new
analysis' metrics join, and one that declares ``versus_kmeans`` joins the comparison with k-means.

- :mod:`study.summary.choice`: choosing on validation, and the per-seed values to pair.
- :mod:`study.summary.comparisons`: against PCA, between families and objectives, against k-means.
- :mod:`study.summary.answers`: the primary questions' verdicts (study.confirmation), first.
- :mod:`study.summary.exploratory`: every exploratory paired test, with its raw p.
- :mod:`study.summary.sections`: the sections' headings, texts and tables.
- :mod:`study.summary.render`: the Markdown and HTML files.
"""
from study.summary.render import summary_html, summary_markdown

__all__ = ["summary_html", "summary_markdown"]
