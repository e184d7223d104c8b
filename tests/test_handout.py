"""handout.pdf: one or two pages with key messages, the evidence chart (or table) and references."""

from __future__ import annotations

import dataclasses
import io
import re

import pdfplumber
import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.model import plain_text
from pipeline.render import Settings
from pipeline.render.handout import render
from pipeline.themes import load_theme


@pytest.fixture(scope="module", params=["default", "classic"])
def handout(request):
    document, _ = load_review(BUNDLED)
    made = render(document, load_theme(request.param), Settings())
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        return document, made, len(pdf.pages), "\n".join(_columns(p) for p in pdf.pages)


def _columns(page) -> str:
    """The page's text, whole, then its left and right halves (the references are in two columns)."""
    halves = [page.crop((0, 0, page.width / 2, page.height)), page.crop((page.width / 2, 0, page.width, page.height))]
    return "\n".join([page.extract_text()] + [h.extract_text() for h in halves])


def flat(text: str) -> str:
    return re.sub(r"[\W_]+", "", text).lower()


def test_one_or_two_pages_and_no_warning(handout):
    _, made, pages, _ = handout
    assert 1 <= pages <= 2 and made.warnings == ()


def test_holds_key_messages_chart_and_references(handout):
    document, _, _, text = handout
    for point in document.key_points:
        assert flat(plain_text(point.runs)) in flat(text)
    chart = document.decided.evidence_chart
    # the chart in place of the table, as text (WeasyPrint draws the SVG's labels as text), its plain words beside it
    assert flat("Study Design Number of participants") in flat(text)  # small text: pdfplumber loses its spaces
    assert flat(f"Figure 1. {chart.plain_summary}") in flat(text)
    for label in ("Mischoulon et al. (2021)", "Retrospective chart review", "Depression with chronic pain",
                  "not stated", "Key (strongest design first):"):
        assert flat(label) in flat(text)
    assert "condition study design participants duration main finding" not in text.lower()
    for reference in document.bibliography.references:  # an entry may break across the two columns
        entry = flat(plain_text(reference.runs))
        assert entry[:40] in flat(text) and entry[-25:] in flat(text), reference.key
    assert "dr robert becker, mcma" in text.lower() and "Full article:" in text


def test_too_long_a_handout_warns_and_cuts_nothing(make_review):
    rows = "".join(f"    - {{condition: C{i}, study: S{i}, design: D, finding: A finding {i}}}\n" for i in range(160))
    folder = make_review("title: T\nauthors: [{name: A}]\nabstract: A.\nkey_points: [One.]\nsections:\n"
                         "  - title: S\n    body: [Text.]\nevidence:\n  studies:\n" + rows, bib="")
    document, _ = load_review(folder)
    made = render(document, load_theme("default"), Settings())
    [warning] = made.warnings
    assert str(warning).startswith("r/review.yaml:4:14: warning: the handout runs to ")
    assert "shorten it (1 key points, 160 evidence rows" in warning.message
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "S159" in text and "C159" in text  # the chart's last study, under its condition


def test_chart_turned_off_gives_the_table_back():
    document, _ = load_review(BUNDLED)
    off = dataclasses.replace(document, decided=dataclasses.replace(document.decided, evidence_chart=None))
    made = render(off, load_theme("default"), Settings())
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Condition Study Design Participants Duration Main finding" in text
    assert "Number of participants" not in text and "Figure 1." not in text
