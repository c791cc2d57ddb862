"""The config's ``extensions``: modules outside this repository that declare datasets, model
families or analyses (see :mod:`study.registry`), imported and registered by every job."""
import importlib

from study.analyses import ANALYSES
from study.datasets import DATASETS
from study.families import FAMILIES
from study.registry import register

# The environment variable through which the workflow gives a job's command (study.analysis_job)
# the config's extensions, as JSON. Not a param of the rule: a param's change reruns every job
# of the rule, where adding an extension must rerun only the jobs of what it registers.
EXTENSIONS_VARIABLE = "DIY_EXTENSIONS"


def load_extensions(names):
    """Import the modules named in the config's ``extensions`` and register what they declare.

    A module may declare any of ``DATASET``, ``FAMILY``, ``ANALYSIS``. Returns the modules.
    """
    modules = []
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as error:
            raise ValueError(f"config: extensions: cannot import {name!r} ({error}); it must be "
                             f"importable on PYTHONPATH") from None
        for attribute, registry in (("DATASET", DATASETS), ("FAMILY", FAMILIES),
                                    ("ANALYSIS", ANALYSES)):
            register(module, attribute, registry)
        modules.append(module)
    return modules
