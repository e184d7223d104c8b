#!/usr/bin/env bash
# Proves the floors in pyproject.toml: resolves every direct dependency (and the `test` extra) at
# the LOWEST version pyproject.toml allows (uv's --resolution lowest-direct), installs exactly that
# set into .venv-lowest, checks that each direct dependency really sits at its declared floor
# (a floor that the resolver had to lift is a floor nobody tested), then runs the test suite.
#
#   scripts/test-lowest.sh                 # whole suite, stops at the first failure
#   PYTEST_ARGS="-k pdf" scripts/test-lowest.sh    # PYTEST_ARGS= (empty) runs on past failures
#
# Safe to re-run: the venv is synced to the resolved set each time (stale versions removed).
# Needs PyPI (uv comes from PyPI too); PYTHON picks the interpreter (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${LOWEST_VENV:-.venv-lowest}
PYTEST_ARGS=${PYTEST_ARGS--x}
UV="$VENV/uv/bin/uv"
LOCK="$VENV/requirements-lowest.txt"

say() { printf '\n== %s\n' "$*" >&2; }
run() { printf '+ %s\n' "$*" >&2; "$@"; }
start=$SECONDS

say "virtual environment $VENV"
[ -x "$VENV/bin/python" ] || run "$PYTHON" -m venv "$VENV"
# uv lives in its own folder inside the venv, so syncing the venv never uninstalls it.
[ -x "$UV" ] || run "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --target "$VENV/uv" uv
export UV_PYTHON="$VENV/bin/python"
unset VIRTUAL_ENV  # uv must target $VENV, not whatever venv the caller activated

say "resolve the lowest allowed version of every direct dependency"
rm -f "$LOCK"  # uv would prefer the versions an old output file pins
run "$UV" pip compile --quiet --resolution lowest-direct --extra test --no-header --no-annotate \
    pyproject.toml -o "$LOCK"

say "install exactly that set (and the project, editable)"
run "$UV" pip sync --quiet "$LOCK"
run "$UV" pip install --quiet --no-deps -e .

say "each direct dependency must sit at its declared floor"
"$VENV/bin/python" - <<'EOF'
import sys
from importlib.metadata import requires, version
from packaging.requirements import Requirement
from packaging.version import Version

lifted = []
for line in requires("review-pipeline"):  # as declared in pyproject.toml, the test extra included
    req = Requirement(line)
    if req.marker and not req.marker.evaluate({"extra": "test"}):
        continue
    floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
    got = Version(version(req.name))
    floor = floors[0] if floors else None
    mark = "ok" if floor == got else "LIFTED"
    if floor != got:
        lifted.append(req.name)
    print(f"  {req.name:16} declared {str(req.specifier):18} installed {got}  {mark}")
if lifted:
    sys.exit(f"floors not exercised (the resolver needed newer): {', '.join(lifted)}; raise them in pyproject.toml")
EOF

say "test suite on the lowest versions"
# shellcheck disable=SC2086  # PYTEST_ARGS is a list of words on purpose
run "$VENV/bin/python" -m pytest -q -p no:cacheprovider $PYTEST_ARGS
say "lowest versions pass ($((SECONDS - start)) s)"
