"""The passes of pipeline/transforms.py, one by one, and the outputs agreeing on what they decided."""

from __future__ import annotations

import datetime
import io
import re
import shutil

import pdfplumber
import pytest
from pptx import Presentation

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.diagnostics import InputError
from pipeline.model import Author, plain_text
from pipeline.render import OUTPUTS, Settings
from pipeline.themes import load_theme
from pipeline.transforms import PASSES, curly, date_text, join_names, name_line, sentence, title_line

# --- the order ------------------------------------------------------------------------------


def test_passes_have_names_and_one_order():
    assert [p.name for p in PASSES] == ["evidence-placement", "evidence-columns", "citation-numbering", "quotes",
                                        "evidence-chart", "title", "names", "dates"]


# --- title ----------------------------------------------------------------------------------


@pytest.mark.parametrize("title, subtitle, line", [
    ("Sixty and Over", "What trials show", "Sixty and Over: What trials show"),
    ("Sixty and Over:", "What trials show", "Sixty and Over: What trials show"),  # never a doubled colon
    ("Does It Work?", "A review", "Does It Work? A review"),
    ("It works!", "A review", "It works! A review"),
    ("Mr. Smith goes on.", "A review", "Mr. Smith goes on. A review"),
    ("Alone", "", "Alone"),
])
def test_title_and_subtitle_are_joined_once(title, subtitle, line):
    assert title_line(title, subtitle) == line


def test_a_sentence_ends_in_one_full_stop():
    assert sentence("Title: Sub") == "Title: Sub."
    assert sentence("Does it work?") == "Does it work?"
    assert sentence("Jane Doe, Ph.D.") == "Jane Doe, Ph.D."


# --- names ----------------------------------------------------------------------------------


def test_bylines_for_one_two_and_more_authors():
    assert join_names(["Ann Lee"]) == "Ann Lee"
    assert join_names(["Ann Lee", "Bo Chan"]) == "Ann Lee and Bo Chan"
    assert join_names(["Ann Lee", "Bo Chan", "Cy Dee"]) == "Ann Lee, Bo Chan and Cy Dee"
    # a name that holds a comma (credentials) would blur the list: names are then kept apart by "; "
    assert join_names(["Dr Ann Lee, MD", "Bo Chan", "Cy Dee"]) == "Dr Ann Lee, MD; Bo Chan and Cy Dee"


def test_name_line_puts_honorific_before_and_credentials_after():
    assert name_line("Robert Becker", "Dr", "MCMA") == "Dr Robert Becker, MCMA"
    assert name_line("Robert Becker") == "Robert Becker"


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, text", [("en-US", "March 14, 2025"), ("en-GB", "14 March 2025"),
                                        ("en", "14 March 2025"), ("EN-us", "March 14, 2025"),
                                        ("de-DE", "14. März 2025"), ("xx", "14 March 2025")])
def test_dates_are_written_for_the_language(lang, text):
    assert date_text(datetime.date(2025, 3, 14), lang) == text


# --- quotes ---------------------------------------------------------------------------------


def test_straight_quotes_become_curly_but_not_in_markup_or_addresses():
    en = ("“", "”", "‘", "’")
    assert curly('She said "yes" and \'no\'', en) == "She said “yes” and ‘no’"
    assert curly("the authors' view, don't, the '90s", en) == "the authors’ view, don’t, the ’90s"
    assert curly('<img src="x.png"> at https://x.org/?q="a"', en) == '<img src="x.png"> at https://x.org/?q="a"'


# --- a small review: columns, placement, reading order ------------------------------------

BIB = """\
@article{alpha2020, author = {Alpha, Ann}, title = {Alpha}, journal = {J}, year = {2020}}
@article{beta2021, author = {Beta, Bo}, title = {Beta}, journal = {J}, year = {2021}}
@article{gamma2022, author = {Gamma, Cy}, title = {Gamma}, journal = {J}, year = {2022}}
"""

SMALL = """\
title: "Sixty and Over:"
subtitle: What "randomized" trials show
authors:
  - {name: Ann Lee, honorific: Dr, credentials: MD}
  - {name: Bo Chan}
  - {name: Cy Dee}
date: 2025-03-14
lang: {lang}
citation_style: vancouver
abstract: An abstract.
key_points:
  - The box is read first [@gamma2022].
sections:
  - title: One
    id: one
    body:
      - "Text citing [@alpha2020]."
  - title: Two
    id: two
    body:
      - "Text citing [@beta2021]."
  - title: Conclusion
    id: conclusion
    body:
      - "Text citing [@gamma2022]."
evidence:
{after}  studies:
    - {{condition: C, study: "[@beta2021]", design: D, finding: F}}
"""


def small(make_review, lang="en-GB", after=""):
    text = SMALL.replace("{lang}", lang).replace("{after}", f"  after: {after}\n" if after else "")
    return load_review(make_review(text.replace("{{", "{").replace("}}", "}"), bib=BIB))[0]


def test_evidence_follows_the_last_section_citing_its_studies(make_review):
    document = small(make_review)
    assert document.decided.evidence_after == "two"
    assert document.decided.evidence_after_title == "Two"


def test_evidence_after_chooses_the_section(make_review):
    assert small(make_review, after="conclusion").decided.evidence_after == "conclusion"


def test_evidence_after_an_unknown_section_is_located(make_review):
    with pytest.raises(InputError) as caught:
        small(make_review, after="tow")
    assert [str(d) for d in caught.value.diagnostics] == [
        "r/review.yaml:27:10: error: evidence.after: no section has the id 'tow' (did you mean 'two'?)"]


def test_columns_empty_in_every_row_are_dropped_and_labelled_once(make_review):
    document = small(make_review)
    assert [(c.field, c.label) for c in document.decided.evidence_columns] == [
        ("condition", "Condition"), ("study", "Study"), ("design", "Design"), ("finding", "Main finding")]


def test_first_vancouver_number_a_reader_meets_is_1(make_review):
    """The key points box comes right after the abstract: its citation is [1], the body's follow."""
    document = small(make_review)
    assert plain_text(document.key_points[0].runs).endswith("[1].")
    assert [plain_text(s.paragraphs[0].runs)[-4:] for s in document.sections] == ["[2].", "[3].", "[1]."]


def test_title_byline_and_date_are_decided(make_review):
    document = small(make_review, lang="en-US")
    decided = document.decided
    assert decided.title_line == "Sixty and Over: What “randomized” trials show"
    assert decided.byline == "Dr Ann Lee, MD; Bo Chan and Cy Dee"
    assert decided.metadata_author == "Ann Lee; Bo Chan; Cy Dee"
    assert (decided.date_text, decided.date_iso) == ("March 14, 2025", "2025-03-14")


# --- end to end: the bundled review and an en-US variant -----------------------------------


def _variant(tmp_path, lang: str | None):
    """The bundled review with a date (it has none) and, if given, another language."""
    folder = tmp_path / (lang or "bundled")
    shutil.copytree(BUNDLED, folder)
    text = (folder / "review.yaml").read_text(encoding="utf-8")
    text = text.replace("lang: en-GB\n", f"lang: {lang or 'en-GB'}\ndate: 2025-03-14\n")
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    return folder


def _outputs(folder):
    document, _ = load_review(folder)
    theme = load_theme(document.theme)
    files = {}
    for name in ("html", "slides", "handout", "summary"):
        made = OUTPUTS[name].render(document, theme, Settings())
        files.update(made if isinstance(made, dict) else made.files)
    return document, files


@pytest.fixture(scope="module", params=["en-GB", "en-US"])
def built(request, tmp_path_factory):
    lang = request.param
    return lang, *_outputs(_variant(tmp_path_factory.mktemp("variant"), lang))


def _slides(data: bytes) -> list[tuple[str, list[str]]]:
    deck = Presentation(io.BytesIO(data))
    found = []
    for slide in deck.slides:
        title = slide.shapes.title.text if slide.shapes.title is not None else ""
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        header = [[c.text for c in s.table.rows[0].cells] for s in slide.shapes if s.has_table]
        found.append((title, texts, header[0] if header else []))
    return found


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_evidence_table_stands_after_the_same_section_everywhere(built):
    _, document, files = built
    after = document.decided.evidence_after_title
    assert after == "LDN Therapy and PTSD"
    html = files["article.html"].decode()
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", html)
    assert headings[headings.index("Studies at a glance") - 1] == after
    titles = [t for t, _, _ in _slides(files["slides.pptx"])]
    before = titles[titles.index("Studies at a glance") - 1]
    assert before.removesuffix(" (cont.)") == after
    # the handout shows the chart in the table's place and says where the table stands
    assert f"Table 1 in the article, after “{after}”" in " ".join(_pdf_text(files["handout.pdf"]).split())


def test_evidence_labels_are_the_same_everywhere(built):
    _, document, files = built
    labels = [c.label for c in document.decided.evidence_columns]
    assert labels == ["Condition", "Study", "Design", "Participants", "Duration", "Main finding"]
    html = files["article.html"].decode()
    table = html[html.index('<table class="evidence-table"'):html.index("</thead>")]
    assert re.findall(r'<th scope="col" role="columnheader">([^<]*)</th>', table) == labels
    headers = [h for _, _, h in _slides(files["slides.pptx"]) if h]
    shown = [label for label in labels if label != "Condition"]  # the deck names each condition in a row over its studies
    assert headers and all(h == shown for h in headers)
    assert " ".join(labels) not in _pdf_text(files["handout.pdf"])  # the handout has the chart instead


def test_evidence_chart_has_one_number_and_one_text_everywhere(built):
    _, document, files = built
    chart, number = document.decided.evidence_chart, document.decided.evidence_chart_number
    assert number == len(document.figures) + 1 == 1
    html = files["article.html"].decode()
    assert f'<span class="figure-label">Figure {number}.</span> {chart.caption}' in html
    assert html.index("evidence-table") < html.index('id="evidence-chart"') < html.index('id="references"')
    handout = " ".join(_pdf_text(files["handout.pdf"]).split())
    assert f"Figure {number}. {chart.plain_summary}" in handout
    slides = _slides(files["slides.pptx"])
    titles = [t for t, _, _ in slides]
    at = titles.index(chart.plain_heading)
    assert titles[at - 1].removesuffix(" (cont.)") == "Studies at a glance"
    for name in ("summary.md", "summary.html"):
        assert chart.plain_heading in files[name].decode() and chart.plain_summary in files[name].decode()


def test_dates_and_titles_read_the_same_everywhere(built):
    lang, document, files = built
    date = {"en-GB": "14 March 2025", "en-US": "March 14, 2025"}[lang]
    assert document.decided.date_text == date
    html = files["article.html"].decode()
    assert f'<p class="venue">{date}</p>' in html and "2025-03-14</p>" not in html
    cover = " ".join(_slides(files["slides.pptx"])[0][1])
    assert date in cover
    handout = _pdf_text(files["handout.pdf"])
    assert date in handout
    assert f"Up to date as of {date}." in files["summary.md"].decode()
    assert f">{date}</time>" in files["summary.html"].decode()
    line = document.decided.title_line
    assert f"<title>{line}</title>" in html
    assert line in " ".join(_slides(files["slides.pptx"])[-1][1])  # the closing slide
    assert f"“{line}”" in files["summary.html"].decode()
    assert "Full article: " + line + "." in " ".join(handout.split())
