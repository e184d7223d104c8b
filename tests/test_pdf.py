"""article.pdf, opened as a reader's tools open it: text, bookmarks, links, fonts, metadata."""

from __future__ import annotations

import re

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.pdf import render
from pipeline.themes import load_theme
from test_bundled_review import seed_paragraphs

MARGIN = 50  # points: running head and footer live in the top and bottom page margins


def build(folder, theme="default", paper=None) -> bytes:
    document, _ = load_review(folder)
    return render(document, load_theme(theme), Settings(paper=paper))["article.pdf"]


@pytest.fixture(scope="module", params=["default", "classic"])
def pdf_path(request, tmp_path_factory):
    path = tmp_path_factory.mktemp(request.param) / "article.pdf"
    path.write_bytes(build(BUNDLED, request.param))
    return path


def letters(text: str) -> str:
    """Text reduced to letters and digits: line breaks and hyphenation do not matter."""
    return re.sub(r"[\W_]+", "", text).lower()


def body_text(path) -> str:
    """The text inside the margins in reading order, column by column where the page has two."""
    with pdfplumber.open(path) as pdf:
        return "\n".join(_reading_order(p.crop((0, MARGIN, p.width, p.height - MARGIN)), p.width / 2)
                         for p in pdf.pages)


def _reading_order(page, middle: float) -> str:
    """Lines cut at wide gaps, then bands cut where a blank strip crosses the whole page (between
    sections, around a table); within a band the left column is read before the right."""
    rows = {}
    for word in page.extract_words():
        rows.setdefault(round(word["bottom"]), []).append(word)
    pieces = []
    for bottom in sorted(rows):
        row = sorted(rows[bottom], key=lambda w: w["x0"])
        pieces.append([row[0]])
        for previous, word in zip(row, row[1:]):
            if word["x0"] - previous["x1"] > 14:
                pieces.append([])
            pieces[-1].append(word)
    bands, band, lowest = [], [], float("-inf")
    for piece in sorted(pieces, key=lambda p: p[0]["top"]):
        if piece[0]["top"] > lowest + 8 or piece[0]["x0"] < middle < piece[-1]["x1"]:
            bands += sorted(band, key=lambda p: p[0]["x0"] > middle)
            band = []
        band.append(piece)
        lowest = max(lowest, max(w["bottom"] for w in piece))
    bands += sorted(band, key=lambda p: p[0]["x0"] > middle)
    return "\n".join(" ".join(w["text"] for w in piece) for piece in bands)


def test_every_seed_paragraph_is_in_the_pdf(pdf_path):
    text = letters(body_text(pdf_path))
    for paragraph in seed_paragraphs():
        assert letters(paragraph) in text, paragraph[:60]


def test_one_bookmark_per_section(pdf_path):
    titles = [item.title for item in PdfReader(pdf_path).outline]
    document, _ = load_review(BUNDLED)
    assert titles == ["Abstract"] + [s.title for s in document.sections[:5]] + ["Studies at a glance"] + \
        [s.title for s in document.sections[5:]] + ["References"]


def test_page_numbers_and_running_head(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        count = len(pdf.pages)
        assert count >= 3
        for number, page in enumerate(pdf.pages, 1):
            footer = page.crop((0, page.height - MARGIN, page.width, page.height)).extract_text()
            head = page.crop((0, 0, page.width, MARGIN)).extract_text()
            assert footer.strip() == f"{number} / {count}"
            assert ("Low-dose naltrexone in mental health" in head) == (number > 1)


def test_metadata_and_tagging(pdf_path):
    reader = PdfReader(pdf_path)
    info = reader.metadata
    assert info.title.startswith("Exploring the Potential of Low-Dose Naltrexone")
    assert info.author == "Robert Becker"
    assert info.subject == "A Review of Recent Research"
    assert "PTSD" in info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]


def test_citations_link_to_their_reference(pdf_path):
    reader = PdfReader(pdf_path)
    targets = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or ():
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                targets.add(str(annotation["/Dest"]))
            elif annotation.get("/Subtype") == "/Link" and "/A" in annotation and "/D" in annotation["/A"]:
                targets.add(str(annotation["/A"]["/D"]))
    cited = {"volpicelli1995", "toljan2018", "younger2009", "rahn2016", "mischoulon2021", "eshghi2020",
             "chopra2019", "younger2014inflammation", "brown2009"}
    assert {f"ref-{key}" for key in cited} <= {t.strip("/") for t in targets}


def test_all_fonts_embedded_and_bundled(pdf_path):
    fonts = set()
    for page in PdfReader(pdf_path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"] \
                if "/DescendantFonts" in font else font["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]).split("+")[-1].split("-")[0])
    assert fonts <= {"Carlito", "Caladea"}


def test_same_input_same_bytes():
    assert build(BUNDLED) == build(BUNDLED)


def test_letter_paper_on_request():
    reader = PdfReader(__import__("io").BytesIO(build(BUNDLED, paper="letter")))
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [612, 792]


LONG_TABLE = """
title: Long table
authors: [{name: A}]
abstract: An abstract.
sections:
  - title: Only
    body: [Text.]
evidence:
  studies:
"""


def test_long_evidence_table_repeats_its_header(make_review, tmp_path):
    rows = "".join(f"    - {{condition: Condition {i}, study: Study {i}, design: Trial, "
                   f"participants: {i} people in a long description of who took part, "
                   f"finding: A finding that is long enough to wrap over two lines or more {i}}}\n"
                   for i in range(80))
    folder = make_review(LONG_TABLE + rows, bib="")
    path = tmp_path / "long.pdf"
    path.write_bytes(build(folder))
    with pdfplumber.open(path) as pdf:
        table_pages = [p.extract_text() for p in pdf.pages if "A finding that" in (p.extract_text() or "")]
        assert len(table_pages) >= 3
        for text in table_pages:  # no row states a duration: the column is dropped, as on the slides
            assert "Condition Study Design Participants Main finding" in text
        rows_seen = [int(n) for text in table_pages for n in re.findall(r"\bmore (\d+)", text)]
        assert sorted(rows_seen) == list(range(80))  # every row once: none split, none lost


FIGURE_REVIEW = """\
title: T
authors:
  - name: Ada Lovelace
abstract: An abstract.
sections:
  - title: Introduction
    body:
      - A paragraph.
      - image: assets/fig.png
        alt: A red square
"""


def test_same_bytes_wherever_the_review_lies(tmp_path):
    from PIL import Image

    built = []
    for where in ("a", "b/deeper/still"):
        folder = tmp_path / where / "review"
        (folder / "assets").mkdir(parents=True)
        (folder / "review.yaml").write_text(FIGURE_REVIEW, encoding="utf-8")
        (folder / "references.bib").write_text("", encoding="utf-8")
        Image.new("RGB", (40, 30), "red").save(folder / "assets" / "fig.png")
        built.append(build(folder))
    assert built[0] == built[1]
    assert b"/Subtype /Image" in built[0]
