"""The repository's root and the files tests read from it, for the modules that cannot take a
fixture (tests/conftest.py gives the same as fixtures)."""
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
CONFIG = REPO / "config.yaml"
