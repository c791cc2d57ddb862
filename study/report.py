"""What the report's front page (workflow/report/workflow.rst) tells a reader to type: the
command that rebuilds one file of the study the report is of, with that study's own config."""
import os
import shlex


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
