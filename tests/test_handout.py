"""handout.pdf: one or two pages with key messages, evidence table and references."""

from __future__ import annotations

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


def test_holds_key_messages_table_and_references(handout):
    document, _, _, text = handout
    for point in document.key_points:
        assert flat(plain_text(point.runs)) in flat(text)
    assert "condition study design participants duration main finding" in text.lower()  # small caps: any case
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
        assert "A finding 159" in pdf.pages[-1].extract_text()
