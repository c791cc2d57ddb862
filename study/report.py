"""The report's categories, and what its front page (workflow/report/workflow.rst) lists of them
and tells a reader to type: the command that rebuilds one file of the study the report is of,
with that study's own config."""
import os
import shlex

#: The report's categories that are no analysis' (each analysis declares its own,
#: ``Analysis.category``): the learning curves, and the study's answers.
TRAINING = "0. Training"
SUMMARY = "1. Summary"
#: Digits of a category's number in the report: the menu sorts the names as text, which puts
#: "10. Interpolation" before "2. Reconstruction" unless the numbers are zero-padded.
CATEGORY_DIGITS = 2


def category_number(category):
    """The number a category is named with (``"6. Classification"`` -> 6), the order of the
    report's sections (and of the summary's metrics)."""
    number, dot, name = category.partition(". ")
    if not (dot and number.isdigit() and name):
        raise ValueError(f"report category {category!r}: name it '<number>. <name>', e.g. '8. Code norm'")
    return int(number)


def report_category(category):
    """`category` as the report's menu shows it, its number zero-padded so that the menu's text
    order is the numbers' order: ``"6. Classification"`` -> ``"06. Classification"``."""
    number = category_number(category)
    if number >= 10 ** CATEGORY_DIGITS:
        raise ValueError(f"report category {category!r}: numbered below {10 ** CATEGORY_DIGITS}")
    return f"{number:0{CATEGORY_DIGITS}d}. {category.partition('. ')[2]}"


def report_categories(analyses):
    """The report's categories in the menu's order, as the front page lists them: ``[[name, [what
    it holds]], ...]`` (lists: a config value), the training curves and the summary first, then
    each category that the `analyses` (name -> Analysis) declare, holding their names (related
    analyses share one)."""
    held = {report_category(TRAINING): ["the learning curves of the autoencoders and of the raw-pixel classifiers"],
            report_category(SUMMARY): ["the study's answers, to start with"]}
    for analysis in sorted(analyses.values(), key=lambda analysis: category_number(analysis.category)):
        held.setdefault(report_category(analysis.category), []).append(analysis.name)
    return [[name, names] for name, names in sorted(held.items())]


def rebuild_command(target, configfiles=(), config_args=(), cwd="."):
    """``snakemake --cores 2 -f TARGET [--configfile FILE ...] [--config KEY=VALUE ...]``.

    `configfiles` are the run's ``--configfile`` paths (absolute, as Snakemake keeps them),
    written relative to `cwd` when inside it; `config_args` its ``--config`` entries as
    ``KEY=VALUE`` words. Both come last: each option takes every word that follows it.
    """
    words = ["snakemake", "--cores", "2", "-f", target]
    if configfiles:
        words += ["--configfile", *(_typed(str(path), cwd) for path in configfiles)]
    if config_args:
        words += ["--config", *config_args]
    return shlex.join(words)


def _typed(path, cwd):
    """`path` as typed in `cwd`: relative inside it, as it is outside it."""
    relative = os.path.relpath(path, cwd)
    return path if relative == ".." or relative.startswith(".." + os.sep) else relative
