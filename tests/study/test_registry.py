"""Registries filled by discovery, and extensions: a module of one's own declaring an analysis."""
import sys
import types

import numpy as np
import pytest

from study.analyses import ANALYSES, Source
from study.config import ConfigError, load_schema, validate_config
from study.extensions import load_extensions
from study.registry import discover, register

EXTENSION = '''"""An analysis of one's own: the mean norm of the test codes."""
import numpy as np

from study.analyses import Analysis, Metric, analysis_settings


def run(data, source, settings):
    norms = np.linalg.norm(source.codes["Z_test"], axis=1) * settings["scale"]
    return [{"norm": float(norms.mean())}], {"norms": norms}


ANALYSIS = Analysis(
    "{name}", reads="codes", run=run, settings=lambda config: analysis_settings(config, "{name}"),
    baselines=("pixels", "pca"), metrics={"code_norm": Metric("norm", "mean code norm")},
    schema={"scale": {"type": "number", "exclusiveMinimum": 0}}, category="8. Code norm",
)
'''


@pytest.fixture
def extension(tmp_path, monkeypatch):
    """``extension(module, name)``: writes a module declaring analysis `name` on sys.path; the
    modules and the analyses they registered are removed afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before, modules = dict(ANALYSES), []

    def write(module, name):
        (tmp_path / f"{module}.py").write_text(EXTENSION.replace("{name}", name))
        modules.append(module)
        return module

    yield write
    for name in set(ANALYSES) - set(before):
        del ANALYSES[name]
    for module in modules:
        sys.modules.pop(module, None)
    assert ANALYSES == before


def test_an_extension_adds_its_analysis_and_its_config_section(extension, repo_root, defaults, digits):
    module = extension("code_norm_analysis", "code_norm")
    [loaded] = load_extensions([module])
    assert loaded.__name__ == module
    analysis = ANALYSES["code_norm"]
    assert analysis is loaded.ANALYSIS and list(ANALYSES)[-1] == "code_norm"
    schema = load_schema(repo_root / "workflow" / "schemas" / "config.schema.yaml")
    assert schema["properties"]["analysis"]["properties"]["code_norm"] == {
        "type": "object", "additionalProperties": False, "properties": {"scale": {"type": "number",
                                                                                  "exclusiveMinimum": 0}},
        "required": ["scale"]}
    config = validate_config({"extensions": [module], "analysis": {"code_norm": {"scale": "2"}}}, schema,
                             defaults=defaults)
    settings = analysis.settings(config)
    assert settings == {"scale": 2, "seed": 0}
    with pytest.raises(ConfigError, match=r"analysis.code_norm.scale = 0: must be > 0"):
        validate_config({"analysis": {"code_norm": {"scale": 0}}}, schema, defaults=defaults)
    # It runs like any analysis.
    codes = {"Z_test": np.array([[3.0, 4.0], [0.0, 1.0]])}
    rows, arrays = analysis.run(digits, Source("pca2", "pca", 2, codes=codes), settings)
    assert rows == [{"norm": 6.0}] and np.allclose(arrays["norms"], [10.0, 2.0])


def test_loading_an_extension_twice_registers_it_once(extension):
    module = extension("code_norm_twice", "code_norm_twice")
    load_extensions([module])
    load_extensions([module])
    assert list(ANALYSES).count("code_norm_twice") == 1


def test_an_analysis_named_like_a_registered_one_is_refused(extension):
    kmeans = ANALYSES["kmeans"]
    module = extension("my_kmeans", "kmeans")
    with pytest.raises(ValueError, match="my_kmeans: analysis 'kmeans' is already registered by another module"):
        load_extensions([module])
    assert ANALYSES["kmeans"] is kmeans


def test_a_module_that_cannot_be_imported_is_named():
    with pytest.raises(ValueError, match=r"config: extensions: cannot import 'no_such_module_here' .*PYTHONPATH"):
        load_extensions(["no_such_module_here"])


def test_discover_imports_every_public_module_of_a_package(tmp_path, monkeypatch):
    package = tmp_path / "toy_registry"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("b_two", "a_one", "_private"):
        (package / f"{name}.py").write_text(
            f"from types import SimpleNamespace\nENTRY = SimpleNamespace(name={name!r})\n")
    (package / "helper.py").write_text("X = 1\n")  # declares nothing: not an entry
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        import toy_registry

        registry = discover(toy_registry, "ENTRY", {})
        assert list(registry) == ["a_one", "b_two"]
    finally:
        for name in [m for m in sys.modules if m.startswith("toy_registry")]:
            sys.modules.pop(name)


def test_register_refuses_a_second_entry_of_a_name_but_not_the_same_entry():
    entry = types.SimpleNamespace(name="x")
    registry = {}
    register(types.SimpleNamespace(__name__="m", ENTRY=entry), "ENTRY", registry)
    register(types.SimpleNamespace(__name__="m", ENTRY=entry), "ENTRY", registry)
    assert registry == {"x": entry}
    with pytest.raises(ValueError, match="other: entry 'x' is already registered"):
        register(types.SimpleNamespace(__name__="other", ENTRY=types.SimpleNamespace(name="x")), "ENTRY", registry)


@pytest.mark.parametrize("source, message", [
    ("X = 1\n", "'{module}' declares none of DATASET, FAMILY, ANALYSIS"),
    ("ANALYSIS = {'name': 'mine'}\n", "'{module}' does not define what it declares: ANALYSIS is a dict, "
                                      "not a study.analyses.Analysis"),
    ("from study.analyses import Analysis\nANALYSIS = Analysis('mine', reads='codes', run=None, settings=dict)\n",
     "ANALYSIS.run = None: not a function"),
    ("from study.analyses import Analysis, Metric\n"
     "ANALYSIS = Analysis('mine', reads='pixels', run=print, settings=dict, metrics={'m': 'norm'})\n",
     "ANALYSIS.metrics['m'] is a str, not a study.analyses.Metric; ANALYSIS.reads = 'pixels'"),
    ("from study.analyses import Analysis, Figure\n"
     "ANALYSIS = Analysis('mine', reads='codes', run=print, settings=dict, figures={'f': Figure(None, '')})\n",
     "ANALYSIS.figures['f'].draw = None: not a function"),
    ("from study.families import Family\nFAMILY = Family('mine', build='build')\n", "FAMILY.build = 'build': not a function"),
])
def test_an_extension_that_does_not_define_what_it_declares_is_refused_at_load(tmp_path, monkeypatch, source, message):
    monkeypatch.syspath_prepend(str(tmp_path))
    module = f"undefined_{abs(hash(source))}"
    (tmp_path / f"{module}.py").write_text(source)
    before = (dict(ANALYSES), )
    try:
        with pytest.raises(ValueError) as error:
            load_extensions([module])
    finally:
        sys.modules.pop(module, None)
    assert message.replace("{module}", module) in str(error.value)
    assert str(error.value).startswith(f"config: extensions: '{module}' ")
    assert (dict(ANALYSES), ) == before
