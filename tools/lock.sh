#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions pip picks today for pyproject.toml's
# dependencies (and the test extra), installed into a fresh virtual environment.
#   bash tools/lock.sh
# Then re-run the study and the tests: a version that moves a README number fails
# tests/test_readme_numbers.py.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="$(mktemp -d)/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -e '.[test]'
{
  echo "# Exact versions of every package the study and its tests use ($("$venv/bin/python" -V), $(uname -m))."
  echo "# Install: pip install -r requirements.lock && pip install --no-deps -e ."
  echo "# Made by tools/lock.sh from pyproject.toml; tests/test_lock.py checks the two agree."
  "$venv/bin/pip" freeze --exclude-editable
} > requirements.lock
rm -rf "$(dirname "$venv")"
echo "wrote requirements.lock ($(grep -c '==' requirements.lock) packages)"
