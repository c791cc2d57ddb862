"""Registries filled by discovery: every module of a package declares one entry.

``study.datasets``, ``study.families`` and ``study.analyses`` are packages whose modules each
declare one dataset, model family or analysis under a module-level name (``DATASET``,
``FAMILY``, ``ANALYSIS``). :func:`discover` imports every module of the package and collects
them, so adding one is adding a module: there is no list to edit. Modules outside the package
(a user's own analysis) join through the config's ``extensions`` (module names importable
on ``sys.path``), see :func:`study.extensions.load_extensions`. This module knows none of
the registries, so each registry's package may import it.
"""
import importlib
import pkgutil


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
