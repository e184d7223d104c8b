#!/usr/bin/env bash
# Small pictures of each output of the bundled review, for the README (make pictures): the
# article's first two pages, the handout, two slides and the summary page, made from the real
# outputs as a reader sees them (pdftoppm for PDFs, LibreOffice for the deck, headless Chromium
# for the HTML). LibreOffice sees the themes' own fonts, as the slide-fit tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
DEST=docs/pictures
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" -m pipeline build --quiet --out "$work/out" source/ldn-review
out="$work/out/ldn-review"
mkdir -p "$DEST"

pdftoppm -r 45 -png -f 1 -l 2 "$out/article.pdf" "$work/article"
pdftoppm -r 45 -png -f 1 -l 1 "$out/handout.pdf" "$work/handout"

fonts=$(printf '<dir>%s</dir>' "$PWD"/pipeline/data/themes/*/fonts)
printf '<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include>%s<cachedir>%s</cachedir></fontconfig>' \
  "$fonts" "$work/fc" > "$work/fonts.conf"
FONTCONFIG_FILE="$work/fonts.conf" soffice "-env:UserInstallation=file://$work/lo" --headless \
  --convert-to pdf --outdir "$work" "$out/slides.pptx" >/dev/null 2>&1
chart=$("$PY" - "$out/slides.pptx" <<'PY'
import sys
from pptx import Presentation
titles = [s.shapes.title.text if s.shapes.title else "" for s in Presentation(sys.argv[1]).slides]
print(next(i for i, t in enumerate(titles, 1) if t.startswith("How much evidence")))
PY
)
pdftoppm -r 36 -png -f 1 -l 1 "$work/slides.pdf" "$work/slide-cover"
pdftoppm -r 36 -png -f "$chart" -l "$chart" "$work/slides.pdf" "$work/slide-chart"

chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$work/chromium" --hide-scrollbars \
  --window-size=760,1100 --screenshot="$work/summary.png" "file://$out/summary.html" >/dev/null 2>&1

rm -f "$DEST"/*.png
cp "$work"/article-*1.png "$DEST/article-1.png"
cp "$work"/article-*2.png "$DEST/article-2.png"
cp "$work"/handout-*.png "$DEST/handout.png"
cp "$work"/slide-cover-*.png "$DEST/slide-cover.png"
cp "$work"/slide-chart-*.png "$DEST/slide-chart.png"
cp "$work"/summary.png "$DEST/summary.png"
ls -l "$DEST"
