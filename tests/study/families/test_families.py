"""The families registry: every module of study/families declares one Family."""
from pathlib import Path

import study.families
from study.families import FAMILIES, Family


def test_every_module_of_the_package_is_registered_under_its_name():
    modules = sorted(path.stem for path in Path(study.families.__file__).parent.glob("*.py")
                     if not path.stem.startswith("_"))
    assert "mlp" in FAMILIES and sorted(FAMILIES) == modules
    for name, family in FAMILIES.items():
        assert isinstance(family, Family) and family.name == name and callable(family.build)
        assert family.build.__module__ == f"study.families.{name}"
