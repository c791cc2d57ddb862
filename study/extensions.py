"""The config's ``extensions``: modules outside this repository that declare datasets, model
families or analyses (see :mod:`study.registry`), imported and registered by every job."""
import dataclasses
import importlib
import re
from typing import Callable

from study.analyses import ANALYSES, Analysis, Figure, Metric
from study.datasets import DATASETS, Dataset
from study.families import FAMILIES, Axis, Family
from study.registry import register

#: What a module may declare: its name, the kind of entry, the registry.
DECLARATIONS = (("DATASET", Dataset, DATASETS), ("FAMILY", Family, FAMILIES), ("ANALYSIS", Analysis, ANALYSES))
#: The kind of each value of an entry's mappings and tuples that hold parts of their own.
PARTS = {(Analysis, "metrics"): Metric, (Analysis, "figures"): Figure, (Family, "axes"): Axis}

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
        declared = [(attribute, kind, registry) for attribute, kind, registry in DECLARATIONS
                    if getattr(module, attribute, None) is not None]
        if not declared:
            raise ValueError(f"config: extensions: {name!r} declares none of "
                             f"{', '.join(attribute for attribute, _, _ in DECLARATIONS)}")
        problems = [problem for attribute, kind, _ in declared
                    for problem in undefined(getattr(module, attribute), kind, attribute)]
        if problems:
            raise ValueError(f"config: extensions: {name!r} does not define what it declares: "
                             + "; ".join(problems))
        for attribute, _, registry in declared:
            register(module, attribute, registry)
        modules.append(module)
    return modules


def undefined(entry, kind, where):
    """What `entry` (a module's `where`, e.g. ``ANALYSIS``) lacks of a `kind` (a dataclass): the
    entry itself, a function it names that is not one, a part of the wrong kind; each named."""
    if not isinstance(entry, kind):
        return [f"{where} is a {type(entry).__name__}, not a {kind.__module__}.{kind.__name__}"]
    problems = []
    if not (isinstance(entry.name, str) and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", entry.name)):
        problems.append(f"{where}.name = {entry.name!r}: must be a name usable as a path segment")
    for part in dataclasses.fields(entry):
        value = getattr(entry, part.name)
        if part.type is Callable and not callable(value) and not (value is None and part.default is None):
            problems.append(f"{where}.{part.name} = {value!r}: not a function")
        wanted = PARTS.get((kind, part.name))
        if wanted is not None:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                problems += _parts(item, wanted, f"{where}.{part.name}[{key!r}]")
    if kind is Analysis and entry.reads not in ("codes", "model"):
        problems.append(f"{where}.reads = {entry.reads!r}: must be 'codes' or 'model'")
    return problems


def _parts(item, kind, where):
    """What `item` lacks of a `kind` (a part of an entry: a Metric, a Figure, an Axis)."""
    if not isinstance(item, kind):
        return [f"{where} is a {type(item).__name__}, not a {kind.__module__}.{kind.__name__}"]
    return [f"{where}.{part.name} = {getattr(item, part.name)!r}: not a function"
            for part in dataclasses.fields(item)
            if part.type is Callable and not callable(getattr(item, part.name))]
