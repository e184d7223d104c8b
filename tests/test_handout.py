"""handout.pdf: one or two pages with key messages, the evidence chart (or table) and references."""

from __future__ import annotations

import dataclasses
import io
import re

import pdfplumber
import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.model import citations, plain_text
from pipeline.render import Settings
from pipeline.render.handout import qr_svg, render
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
    assert "dr robert becker, mcma" in text.lower() and "Full article:" in text
    assert "article.pdf" not in text and "What this means" not in text  # no file names on paper, no second list


def test_references_are_exactly_the_works_it_cites(handout):
    document, _, _, text = handout
    # the key messages cite nothing; the evidence chart names four studies
    cited = {item.key for study in document.evidence.studies for cite in citations(study.study) for item in cite.items}
    assert len(cited) == 4 and len(document.bibliography.references) == 10
    for reference in document.bibliography.references:
        entry = flat(plain_text(reference.runs))
        assert (entry[:40] in flat(text) and entry[-25:] in flat(text)) == (reference.key in cited), reference.key
    assert flat(f"Full reference list ({len(document.bibliography.references)} works) in the article") in flat(text)


def test_url_qr_code_date_venue_and_contact(tmp_path):
    import shutil
    shutil.copytree(BUNDLED, tmp_path / "r")
    yaml = (tmp_path / "r" / "review.yaml").read_text(encoding="utf-8")
    yaml = yaml.replace("lang: en-GB\n", "lang: en-GB\ndate: 2025-03-14\nvenue: Forum, Leeds\n"
                        "url: https://example.org/ldn?a=1&b=<2>\n".replace("<2>", "2"))
    yaml = yaml.replace("  - name: Robert Becker\n", "  - name: Robert Becker\n    email: rb@example.org\n")
    (tmp_path / "r" / "review.yaml").write_text(yaml, encoding="utf-8")
    document, _ = load_review(tmp_path / "r")
    made = render(document, load_theme("default"), Settings())
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
        links = [a.get("uri") for page in pdf.pages for a in page.annots]
    assert "https://example.org/ldn?a=1&b=2" in text and "https://example.org/ldn?a=1&b=2" in links
    assert "Forum, Leeds" in text and "14 March 2025" in text and "rb@example.org" in text
    assert "mailto:rb@example.org" in links and made.warnings == ()


def test_qr_code_is_segno_svg_of_the_url():
    import segno
    svg = qr_svg("https://example.org/x")
    assert svg.startswith("<svg") and 'class="qr-code"' in svg
    assert svg == qr_svg("https://example.org/x")  # the same bytes every build
    assert segno.make("https://example.org/x", error="m", micro=False).version >= 1


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


def test_references_split_into_two_columns_of_about_equal_length():
    from pipeline.model import Reference, Text
    from pipeline.render.handout import reference_columns

    def ref(key: str, chars: int) -> Reference:
        return Reference(key, "", (Text("x" * chars),), None)

    refs = tuple(ref(k, n) for k, n in [("a", 300), ("b", 100), ("c", 100), ("d", 100)])
    assert [[r.key for r in column] for column in reference_columns(refs)] == [["a"], ["b", "c", "d"]]
    left, right = reference_columns(refs[1:])
    assert [r.key for r in left + right] == ["b", "c", "d"] and len(left) == 2  # in order, the longer column first
    assert reference_columns((refs[0],)) == ((refs[0],), ()) and reference_columns(()) == ((), ())
    assert reference_columns(tuple(ref(str(i), 500) for i in range(20))) is None  # more than a page: balanced


def _reading_order(pdf, references) -> list[tuple[int, str, int, str]]:
    """(page, column, position, key) of each reference whose opening words a column shows, in reading order."""
    found = []
    for number, page in enumerate(pdf.pages):
        for side, box in (("left", (0, 0, page.width / 2, page.height)),
                          ("right", (page.width / 2, 0, page.width, page.height))):
            text = flat(page.crop(box).extract_text())
            found += [(number, side, text.index(flat(plain_text(r.runs))[:30]), r.key)
                      for r in references if flat(plain_text(r.runs))[:30] in text]
    first: dict[str, tuple[int, str, int, str]] = {}
    for place in sorted(found):
        first.setdefault(place[3], place)
    return sorted(first.values())


@pytest.mark.parametrize("theme", ["default", "classic"])
def test_a_reference_list_over_two_pages_reads_left_then_right_on_each_page(theme):
    # slides-long's handout cites 14 works: the list runs from page 1 to page 2. Two fixed columns would
    # each go on over the page (1-3 | 8-10, then 4-7 | 11-14); the page's own columns keep the order.
    from conftest import FIXTURES
    from pipeline.render.handout import cited_references
    from pipeline.render.slides.outline import outline

    document, _ = load_review(FIXTURES / "slides-long", theme)
    made = render(document, load_theme(theme), Settings())
    cited = cited_references(document, outline(document).take_home)
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        order = _reading_order(pdf, cited)
    assert len({page for page, *_ in order}) == 2 and len(cited) >= 10
    assert [key for *_, key in order] == [r.key for r in cited], order
