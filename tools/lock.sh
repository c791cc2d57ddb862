#!/usr/bin/env bash
# Regenerate requirements.lock: the exact versions pip picks today for pyproject.toml's
# dependencies (and the test extra), installed into a fresh virtual environment; and
# requirements-slurm.lock: the packages the slurm extra adds to those, installed on top.
#   bash tools/lock.sh
# Then re-run the study and the tests: a version that moves a README number fails
# tests/test_readme_numbers.py.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp="$(mktemp -d)"
venv="$tmp/venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet -e '.[test]'
"$venv/bin/pip" freeze --exclude-editable > "$tmp/base.txt"
{
  echo "# Exact versions of every package the study and its tests use ($("$venv/bin/python" -V), $(uname -m))."
  echo "# Install: pip install -r requirements.lock && pip install --no-deps -e ."
  echo "# Made by tools/lock.sh from pyproject.toml; tests/test_lock.py checks the two agree."
  cat "$tmp/base.txt"
} > requirements.lock
"$venv/bin/pip" install --quiet -e '.[test,slurm]'
"$venv/bin/pip" freeze --exclude-editable > "$tmp/slurm.txt"
added="$(grep -vxFf "$tmp/base.txt" "$tmp/slurm.txt" || true)"
# The two files are installed together: the extra must leave every locked version as it is.
moved="$(cut -d= -f1 <<< "$added" | grep -ixFf - <(cut -d= -f1 "$tmp/base.txt") || true)"
if [ -n "$moved" ]; then
  echo "the slurm extra needs other versions of locked packages: $moved" >&2
  exit 1
fi
{
  echo "# Exact versions of the packages the slurm extra adds to requirements.lock ($("$venv/bin/python" -V), $(uname -m))."
  echo "# Install: pip install -r requirements.lock -r requirements-slurm.lock && pip install --no-deps -e ."
  echo "# Made by tools/lock.sh from pyproject.toml; tests/test_lock.py checks the two agree."
  echo "$added"
} > requirements-slurm.lock
rm -rf "$tmp"
echo "wrote requirements.lock ($(grep -c '==' requirements.lock) packages), requirements-slurm.lock ($(grep -c '==' requirements-slurm.lock))"
