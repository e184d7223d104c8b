#!/usr/bin/env bash
# Proves the pipeline works as an installed tool, away from this repository:
#   1. `pip install` the project (NOT editable) into a fresh venv;
#   2. in an empty temporary folder holding only a copy of a review, `python -m pipeline build`
#      with the shipped default theme: every output must appear;
#   3. a theme of the project's own (./themes/mine, a copy of the default theme with a marker
#      rule) chosen by `theme: mine` is the one used; without the folder the name is refused.
#
#   scripts/test-wheel.sh                  # pinned by constraints.txt, like .venv
#   CONSTRAINTS= scripts/test-wheel.sh     # whatever PyPI resolves today, as a user gets it
#   KEEP=1 scripts/test-wheel.sh           # keep the temporary folder to look at
#
# Needs PyPI (the dependencies). Everything happens in a temporary folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

PYTHON=${PYTHON:-python3}
CONSTRAINTS=${CONSTRAINTS-constraints.txt}
REVIEW=${REVIEW:-source/ldn-review}
OUTPUTS=(article.pdf article.html slides.pptx summary.md summary.html handout.pdf report.json)

say() { printf '\n== %s\n' "$*" >&2; }
run() { printf '+ %s\n' "$*" >&2; "$@"; }
fail() { printf 'test-wheel: FAIL: %s\n' "$*" >&2; exit 1; }
start=$SECONDS

TMP=$(mktemp -d "${TMPDIR:-/tmp}/test-wheel.XXXXXX")
if [ -n "${KEEP:-}" ]; then echo "keeping $TMP" >&2; else trap 'rm -rf "$TMP"' EXIT; fi

say "a copy of the project's files (tracked and new, not ignored: no stale build/ or out/)"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mkdir "$TMP/src"
    git ls-files -z --cached --others --exclude-standard \
        | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
        | tar --null -T - -cf - | tar -xf - -C "$TMP/src"
else
    cp -r . "$TMP/src"
fi

say "fresh venv; pip install the project, not editable"
run "$PYTHON" -m venv "$TMP/venv"
PY="$TMP/venv/bin/python"
pip_args=(--quiet --disable-pip-version-check)
[ -n "$CONSTRAINTS" ] && pip_args+=(-c "$REPO/$CONSTRAINTS")
run "$PY" -m pip install "${pip_args[@]}" "$TMP/src"

say "an empty folder outside the repository, holding only a copy of the review"
WORK="$TMP/work"
mkdir "$WORK"
cp -r "$REVIEW" "$WORK/myreview"
cd "$WORK"
where=$(run "$PY" -c 'import pipeline; print(pipeline.__file__)')
echo "pipeline imported from $where" >&2
case "$where" in
    "$TMP/venv/"*) ;;
    *) fail "pipeline was imported from $where, not from the installed venv" ;;
esac

say "build with the shipped default theme"
run "$PY" -m pipeline build --quiet myreview
for f in "${OUTPUTS[@]}"; do
    [ -s "out/myreview/$f" ] || fail "out/myreview/$f is missing or empty"
done
echo "all ${#OUTPUTS[@]} outputs: ${OUTPUTS[*]}" >&2

say "a project theme: theme: mine without ./themes/mine is refused (exit 1)"
sed -i 's/^theme:.*/theme: mine/' myreview/review.yaml
grep -q '^theme: mine$' myreview/review.yaml || printf '\ntheme: mine\n' >> myreview/review.yaml
set +e; "$PY" -m pipeline build --quiet --out out-none myreview 2>"$TMP/err"; status=$?; set -e
[ "$status" -eq 1 ] || { cat "$TMP/err" >&2; fail "unknown theme 'mine': exit $status, expected 1"; }
sed 's/^/  /' "$TMP/err" >&2

say "./themes/mine, a copy of the shipped default theme with a marker rule, is the one used"
mkdir themes
cp -r "$("$PY" -c 'from pipeline.themes import SHIPPED_THEMES; print(SHIPPED_THEMES)')/default" themes/mine
printf '\n.theme-mine-marker { color: #0a1b2c; }\n' >> themes/mine/article.css
rm -rf out
run "$PY" -m pipeline build --quiet myreview
for f in "${OUTPUTS[@]}"; do
    [ -s "out/myreview/$f" ] || fail "with theme mine: out/myreview/$f is missing or empty"
done
grep -q '0a1b2c' out/myreview/article.html || fail "article.html does not carry themes/mine/article.css"
echo "article.html carries themes/mine/article.css" >&2

say "installed tool works from a foreign folder ($((SECONDS - start)) s)"
