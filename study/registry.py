"""Registries filled by discovery: every module of a package declares one entry.

``study.datasets``, ``study.families`` and ``study.analyses`` are packages whose modules each
declare one dataset, model family or analysis under a module-level name (``DATASET``,
``FAMILY``, ``ANALYSIS``). :func:`discover` imports every module of the package and collects
them, so adding one is adding a module: there is no list to edit. Modules outside the package
(a user's own analysis) join through the config's ``extensions`` (module names importable
on ``sys.path``), see :func:`load_extensions`.
"""
import importlib
import pkgutil

# The environment variable through which the workflow gives a job's command (study.analysis_job)
# the config's extensions, as JSON. Not a param of the rule: a param's change reruns every job
# of the rule, where adding an extension must rerun only the jobs of what it registers.
EXTENSIONS_VARIABLE = "DIY_EXTENSIONS"


def discover(package, attribute, registry):
    """Import every public module of `package` and add its `attribute` to `registry`.

    package : an imported package (its ``__path__`` and ``__name__`` are used).
    attribute : the module-level name each module declares, e.g. ``"ANALYSIS"``.
    registry : dict, name -> entry, filled in place (entries have a ``name``).
    """
    for module in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            register(importlib.import_module(f"{package.__name__}.{module.name}"), attribute, registry)
    return registry


def register(module, attribute, registry):
    """Add ``module.<attribute>`` (if the module declares it) to `registry` under its name."""
    entry = getattr(module, attribute, None)
    if entry is None:
        return
    known = registry.get(entry.name)
    if known is not None and known is not entry:
        raise ValueError(f"{module.__name__}: {attribute.lower()} {entry.name!r} is already "
                         f"registered by another module")
    registry[entry.name] = entry


def load_extensions(names):
    """Import the modules named in the config's ``extensions`` and register what they declare.

    A module may declare any of ``DATASET``, ``FAMILY``, ``ANALYSIS``. Returns the modules.
    """
    from study.analyses import ANALYSES
    from study.datasets import DATASETS
    from study.families import FAMILIES

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
