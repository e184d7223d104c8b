"""The talk deck, opened with python-pptx: order, notes, limits, table, references, fit, bytes."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from pipeline.diagnostics import InputError
from pipeline.loader import load_review
from pipeline.model import Text, plain_text
from pipeline.render import Settings
from pipeline.render.slides import render
from pipeline.render.slides.outline import outline
from pipeline.themes import Theme, load_theme

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TALK = FIXTURES / "slides-talk"
MAX_BULLETS = 6
SLIDE_COUNT = 19  # of the slides-talk deck (its table on three slides: each citation whole in its column)


def build(review: Path, theme: str | None = None) -> tuple[object, bytes]:
    document, _ = load_review(review, theme)
    return document, render(document, load_theme(document.theme), Settings()).files["slides.pptx"]


def deck(data: bytes):
    return Presentation(io.BytesIO(data))


def shape(slide, name: str):
    return next((s for s in slide.shapes if s.name == name), None)


def title(slide) -> str:
    found = shape(slide, "Title")
    return found.text_frame.text if found else ""


def most_bullets(slide) -> int:
    """The most bullets any one body column of the slide holds."""
    return max((len(s.text_frame.paragraphs) for s in slide.shapes if s.name == "Body"), default=0)


def bullets(slide) -> list[str]:
    """The bullets of every body column, in reading order."""
    return [p.text for s in slide.shapes if s.name == "Body" for p in s.text_frame.paragraphs]


@pytest.fixture(scope="module")
def talk():
    document, data = build(TALK)
    return document, data, deck(data)


def test_is_16_by_9(talk):
    _, _, pres = talk
    assert pres.slide_width * 9 == pres.slide_height * 16


def test_slide_order(talk):
    document, _, pres = talk
    slides = list(pres.slides)
    assert slides[0].shapes.title.text == document.title
    assert title(slides[1]) == "Outline" and title(slides[2]) != "Outline (cont.)"  # one slide, two columns
    # the conclusion is the take-home slide: the outline names the slide the talk shows
    assert bullets(slides[1]) == [s.title for s in document.sections[:-1]] + ["Take-home messages"]
    titles = [title(s) for s in slides]
    # the conclusion says what the take-home messages say: one slide for both, at the end
    assert document.sections[-1].title == "Conclusion" and "Conclusion" not in titles
    order = [titles.index(s.title) for s in document.sections[:-1]]
    assert order == sorted(order)
    # where the article has it: after the section decided once (pipeline/transforms.py)
    evidence = titles.index("Studies at a glance")
    after = [s.title for s in document.sections].index(document.decided.evidence_after_title)
    assert titles[evidence - 1].startswith(document.sections[after].title)
    # then the evidence chart (pipeline/chart.py), then the next section
    tables = [t for t in titles if t.startswith("Studies at a glance")]
    charts = [t for t in titles if t.startswith("How much evidence is there?")]
    last = evidence + len(tables) - 1
    assert titles[last + 1:last + 1 + len(charts)] == charts and charts
    assert titles[last + 1 + len(charts)] == document.sections[after + 1].title
    home = titles.index("Take-home messages")
    assert titles[home + 1] == "References" and all(t.startswith("References") for t in titles[home + 1:-1])
    assert slides[-1].shapes.title.text == "Thank you"
    assert all(s.shapes.title is not None and s.shapes.title.text for s in slides)
    assert len(slides) == SLIDE_COUNT


def test_cover_names_presenter_venue_and_date(talk):
    _, _, pres = talk
    text = " ".join(s.text_frame.text for s in pres.slides[0].shapes if s.has_text_frame)
    assert "Dr Robert Becker, MCMA" in text
    assert "A Review of Recent Research" in text
    assert "Grand Rounds, Department of Psychiatry, 12 March 2026" in text  # the article's dateline


def test_notes_on_every_slide(talk):
    document, _, pres = talk
    for number, slide in enumerate(pres.slides, 1):
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip(), number
    mechanisms = next(s for s in pres.slides if title(s) == "Mechanisms of Action of LDN Therapy")
    notes = mechanisms.notes_slide.notes_text_frame.text
    assert "(Toljan & Vrooman, 2018)" in notes  # citations rendered as text
    assert plain_text(document.sections[1].paragraphs[0].runs) in notes


def test_key_points_name_their_sources_at_the_foot(talk):
    _, _, pres = talk
    depression = next(s for s in pres.slides if title(s) == "LDN Therapy and Depression")
    assert not any("Mischoulon" in b or "2021" in b for b in bullets(depression))
    foot = shape(depression, "Sources").text_frame.text
    assert foot.startswith("Sources: ") and "Mischoulon et al.\u00a02021" not in foot
    assert "Mischoulon\u00a0et\u00a0al.,\u00a02021" in foot  # whole, never broken over lines
    assert "Sources: " in depression.notes_slide.notes_text_frame.text
    assert all(most_bullets(s) <= MAX_BULLETS for s in pres.slides)


def test_footer_short_title_and_number(talk):
    document, _, pres = talk
    for number, slide in enumerate(pres.slides, 1):
        if number in (1, len(pres.slides)):
            continue
        assert shape(slide, "Footer").text_frame.text == document.short_title
        assert shape(slide, "Slide Number").text_frame.text == str(number)
        assert 'type="slidenum"' in shape(slide, "Slide Number")._element.xml


def table_rows(pres) -> list[list[tuple[str, list[str]]]]:
    """Each table slide's body rows as ("group", [its text]) or ("study", [each cell's text])."""
    found = []
    for slide in pres.slides:
        for table in (s.table for s in slide.shapes if s.has_table):
            found.append([("group" if row.cells[0].is_merge_origin else "study",
                           [row.cells[0].text] if row.cells[0].is_merge_origin else [c.text for c in row.cells])
                          for row in list(table.rows)[1:]])
    return found


def test_evidence_table_is_native_with_every_cell(talk):
    document, _, pres = talk
    tables = [s.table for slide in pres.slides for s in slide.shapes if s.has_table]
    assert tables
    header = [c.text for c in tables[0].rows[0].cells]
    assert header == ["Study", "Design", "Participants", "Duration", "Main finding"]  # the condition heads a group
    rows = [cells for page in table_rows(pres) for kind, cells in page if kind == "study"]
    assert len(rows) == len(document.evidence.studies)
    first = document.evidence.studies[0]
    assert table_rows(pres)[0][0] == ("group", [plain_text(first.condition)])
    assert rows[0] == ["Mischoulon\u00a0et\u00a0al.\u00a0(2021)", "Pilot study",
                       plain_text(first.participants), "8 weeks", plain_text(first.finding)]
    assert rows[2][2] == "not stated"


def test_every_reference_on_a_slide(talk):
    document, _, pres = talk
    text = " ".join(shape(s, "References").text_frame.text for s in pres.slides if shape(s, "References"))
    for reference in document.bibliography.references:
        assert plain_text(reference.runs) in text


def test_figure_keeps_aspect_ratio_and_alt_text(talk):
    document, _, pres = talk
    figure = document.figures[0]
    picture = next(s for slide in pres.slides for s in slide.shapes if s.name == "Figure")
    assert abs(picture.width / picture.height - 800 / 450) < 0.01
    assert picture._element.nvPicPr.cNvPr.get("descr") == figure.alt


def test_same_input_same_bytes(talk):
    _, data, _ = talk
    assert build(TALK)[1] == data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 3, 12, 12, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-03-12T12:00:00Z" in core and "python-pptx" not in core


def test_source_date_epoch_fixes_dates_without_a_review_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = build(FIXTURES / "minimal")[1], build(FIXTURES / "minimal")[1]
    assert first == second
    assert deck(first).core_properties.created.year == 2023


def test_classic_theme_has_its_own_look():
    _, data = build(TALK, "classic")
    pres = deck(data)
    run = shape(pres.slides[2], "Title").text_frame.paragraphs[0].runs[0]
    assert run.font.name == "Cambria"
    assert len(pres.slides) == SLIDE_COUNT  # the talk deck of test_slide_order


LONG_POINT = ("This key point is deliberately long, so that a list of them cannot fit on one slide at a "
              "readable size and the deck has to continue it on further slides {n}")


def long_review(make_review, count: int = 14) -> Path:
    points = "".join(f"      - {LONG_POINT.format(n=n)} [@smith2020]\n" for n in range(1, count + 1))
    return make_review("title: Long points\n"
                       "authors: [{name: Ada Lovelace}]\n"
                       "abstract: Text [@smith2020].\n"
                       "sections:\n"
                       "  - title: A section with many long key points\n"
                       "    body:\n"
                       "      - Prose [@smith2020].\n"
                       "    key_points:\n" + points)


def test_long_key_points_continue_on_cont_slides(make_review):
    document, data = build(long_review(make_review))
    pres = deck(data)
    section = [s for s in pres.slides if title(s).startswith("A section with many long key points")]
    assert len(section) >= 3
    assert [title(s).endswith("(cont.)") for s in section] == [False] + [True] * (len(section) - 1)
    shown = [b for s in section for b in bullets(s)]
    assert shown == [plain_text(p.runs).replace(" (Smith & Doe, 2020)", "") for p in document.sections[0].key_points]
    assert all("Smith\u00a0&\u00a0Doe,\u00a02020" in shape(s, "Sources").text_frame.text for s in section)
    for slide in section:
        body = shape(slide, "Body")
        assert len(body.text_frame.paragraphs) <= MAX_BULLETS
        assert min(r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs) >= 20


def test_control_characters_in_bib_are_an_input_error_with_file_and_line(make_review):
    bib = "@article{smith2020,\n  author = {Smith, Jane},\n  title = {A study\x01 of things},\n" \
          "  journal = {J},\n  year = {2020},\n}\n"
    review = make_review("""
        title: T
        authors: [{name: A}]
        abstract: Text [@smith2020].
        sections:
          - title: S
            body: [Prose.]
        """, bib=bib)
    with pytest.raises(InputError) as error:
        build(review)
    assert [str(d) for d in error.value.diagnostics] == [
        "r/references.bib:3:19: error: control character U+0001 is not allowed in text; remove it"]


def test_control_characters_that_reach_the_renderer_are_dropped():
    """Defence in depth: whatever gets past the loader never reaches python-pptx's XML."""
    document, _ = load_review(TALK)
    bad = (Text("Bell\x07 and\x0b tab\x1f"),)
    reference = dataclasses.replace(document.bibliography.references[0], runs=bad)
    section = dataclasses.replace(document.sections[0], title="Intro\x01duction",
                                  key_points=(dataclasses.replace(document.sections[0].key_points[0], runs=bad),))
    document = dataclasses.replace(
        document, title="Title\x00", sections=(section, *document.sections[1:]),
        bibliography=dataclasses.replace(document.bibliography, references=(reference,)))
    pres = deck(render(document, load_theme("default"), Settings()).files["slides.pptx"])
    assert pres.slides[0].shapes.title.text == "Title"
    assert any(title(s) == "Introduction" and bullets(s)[0] == "Bell and tab" for s in pres.slides)
    assert any(shape(s, "References") and "Bell and tab" in shape(s, "References").text_frame.text
               for s in pres.slides)


def test_a_template_in_the_theme_is_used(tmp_path):
    base = Presentation()
    base.slide_width, base.slide_height = Emu(12192000), Emu(6858000)
    base.slide_layouts[6].name = "Blank"
    base.slide_masters[0].name = "Institution master"
    (tmp_path / "slides").mkdir()
    base.save(tmp_path / "slides" / "template.pptx")
    document, _ = load_review(TALK)
    pres = deck(render(document, Theme("institution", tmp_path), Settings()).files["slides.pptx"])
    assert pres.slide_masters[0].name == "Institution master"
    assert len(pres.slides) == SLIDE_COUNT  # the talk deck of test_slide_order


def test_a_huge_table_cell_is_cut_not_overflowing(make_review):
    huge = " ".join(["word"] * 900)
    review = make_review(f"""
        title: T
        authors: [{{name: A}}]
        abstract: Text [@smith2020].
        sections:
          - title: S
            body: [Prose.]
        evidence:
          studies:
            - {{condition: C, study: '@smith2020', design: D, finding: {huge}}}
        """)
    pres = deck(build(review)[1])
    cells = [c.text for s in pres.slides for sh in s.shapes if sh.has_table for c in sh.table.rows[2].cells]
    assert cells[-1].endswith("…") and len(cells[-1]) < len(huge)  # (row 1 names the condition)


def test_an_image_no_viewer_shows_becomes_its_alt_text(make_review, tmp_path):
    review = make_review("""
        title: T
        authors: [{name: A}]
        abstract: Text [@smith2020].
        sections:
          - title: S
            body:
              - image: fig.svg
                alt: A diagram of the receptor
        """)
    (tmp_path / review / "fig.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    pres = deck(build(review)[1])
    texts = [shape(s, "Figure alt text").text_frame.text for s in pres.slides if shape(s, "Figure alt text")]
    assert texts == ["[Figure: A diagram of the receptor]"]


@pytest.mark.parametrize("theme", ["default", "classic"])
@pytest.mark.parametrize("fixture", ["slides-talk", "slides-long", "minimal"])
def test_every_planned_text_block_fits_its_box(fixture, theme):
    from pipeline.render.slides.design import load_design
    from pipeline.render.slides.layout import Frame, TextBlock
    from pipeline.render.slides.fit import plan
    from pipeline.render.slides.metrics import text_height

    document, _ = load_review(FIXTURES / fixture, theme)
    design = load_design(load_theme(theme))
    frame = Frame(design, 960, 540)
    for slide in plan(document, frame):
        for block in (b for b in slide.blocks if isinstance(b, TextBlock)):
            style = frame.style(block.role, block.space_before)
            height = text_height(list(block.paras), style, block.size, block.box.inner_w, block.size)
            assert height <= block.box.inner_h, (slide.title, block.name)
            assert block.size >= min(design.size("body_min"), design.size("reference_min"),
                                     design.size("footer") - 2, design.size("caption"))


BUNDLED = Path(__file__).resolve().parent.parent / "source" / "ldn-review"


@pytest.mark.skipif(not (BUNDLED / "review.yaml").is_file(), reason="the bundled review is not there yet")
@pytest.mark.parametrize("theme", ["default", "classic"])
def test_bundled_review_deck(theme):
    document, data = build(BUNDLED, theme)
    pres = deck(data)
    slides = list(pres.slides)
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in slides)
    assert all(most_bullets(s) <= MAX_BULLETS for s in slides)
    titles = [title(s) for s in slides]
    assert all(any(t.startswith(section.title[:40]) for t in titles) for section in document.sections[:-1])
    assert "Conclusion" not in titles and "Take-home messages" in titles  # said once
    if document.evidence:
        studies = [row for page in table_rows(pres) for row in page if row[0] == "study"]
        assert len(studies) == len(document.evidence.studies)
    text = " ".join(shape(s, "References").text_frame.text for s in slides if shape(s, "References"))
    cited = {k for s in outline(document).slides if s.kind != "references" for k in s.sources}
    assert all((plain_text(r.runs) in text) == (r.key in cited) for r in document.bibliography.references)
    assert build(BUNDLED, theme)[1] == data


def test_a_key_point_longer_than_a_slide_is_cut_into_pieces(make_review):
    giant = " ".join(f"word{n}" for n in range(400))
    review = make_review(f"""
        title: T
        authors: [{{name: A}}]
        abstract: Text [@smith2020].
        sections:
          - title: S
            body: [Prose.]
            key_points: ['{giant}']
        """)
    pres = deck(build(review)[1])
    pieces = [b for s in pres.slides if title(s).startswith("S") for b in bullets(s)]
    assert len(pieces) > 1 and all(p.endswith("…") for p in pieces[:-1])
    assert " ".join(p.rstrip("…").strip() for p in pieces).split() == giant.split()


def test_a_section_of_only_a_figure_gets_the_figure_slide(make_review, tmp_path):
    review = make_review("""
        title: T
        authors: [{name: A}]
        abstract: Text [@smith2020].
        sections:
          - title: Pictures
            body:
              - image: fig.png
                alt: A wide chart
        """)
    from PIL import Image
    Image.new("RGB", (300, 100), "white").save(tmp_path / review / "fig.png")
    pres = deck(build(review)[1])
    slides = [s for s in pres.slides if title(s) == "Pictures"]
    assert len(slides) == 1 and shape(slides[0], "Figure") is not None
    assert slides[0].notes_slide.notes_text_frame.text.strip()


@pytest.mark.parametrize("field, value", [
    ("title", "A " + "very long title word " * 20),
    ("authors", "\n" + "".join(f"  - name: Author Number{i} Surname{i}\n" for i in range(16))),
    ("keywords", "[" + ", ".join(f"keyword number {i}" for i in range(18)) + "]"),
])
def test_long_core_properties_are_cut_at_a_word(make_review, field, value):
    """python-pptx refuses core properties over 255 characters; the deck cuts them, as check allows them."""
    fields = {"title": "T", "authors": "\n  - name: Ada Lovelace", "keywords": "[k]"} | {field: value}
    review = make_review(f"title: {fields['title']}\nauthors: {fields['authors']}\nkeywords: {fields['keywords']}\n"
                         "abstract: An abstract.\nsections:\n  - title: Introduction\n    body:\n      - A paragraph.\n")
    props = deck(build(review)[1]).core_properties
    cut = {"title": props.title, "authors": props.author, "keywords": props.keywords}[field]
    assert 200 < len(cut) <= 255 and cut.endswith("…") and not cut[:-1].endswith(" ")
    assert cut[-2].isalnum() and cut.split()[-1][:-1] in value  # a whole word before the '…'


def test_a_40_kb_key_point_and_reference_are_capped_with_warnings(make_review):
    """Far more text than slides could show is cut, with a warning at its line; it once took 101 s."""
    import time

    giant = " ".join(f"word{n}" for n in range(6000))[:40_000]
    review = make_review(f"""
        title: T
        authors: [{{name: A}}]
        abstract: Text [@smith2020].
        sections:
          - title: S
            body: [Prose.]
            key_points: ['{giant}']
        """, bib="@article{smith2020, author={Smith, Jane}, title={" + giant[:9_000] + "}, year={2020}}\n")
    document, _ = load_review(review)
    start = time.process_time()
    made = render(document, load_theme("default"), Settings())
    assert time.process_time() - start < 20  # CPU seconds: a hang guard
    assert [str(w).split(": warning")[0] for w in made.warnings] == ["r/review.yaml:7:18", "r/references.bib:1:1"]
    pieces = [b for s in deck(made.files["slides.pptx"]).slides if title(s).startswith("S") for b in bullets(s)]
    assert 1 < len(pieces) < 6 and pieces[-1].endswith("…") and sum(map(len, pieces)) < 5_100


def test_a_section_without_key_points_shows_each_first_sentence_whole(make_review):
    review = make_review("""
        title: T
        authors: [{name: A}]
        abstract: Text [@smith2020].
        sections:
          - title: Guidelines
            body:
              - The 2018 U.S. Physical Activity Guidelines recommend 150 min. Adults should move more.
              - Dr. Jones et al. (2019) agreed, e.g. in trials. Others did not.
        """)
    [slide] = [s for s in deck(build(review)[1]).slides if title(s) == "Guidelines"]
    assert bullets(slide) == ["The 2018 U.S. Physical Activity Guidelines recommend 150 min.",
                              "Dr. Jones et al. (2019) agreed, e.g. in trials."]


# --- a deck a speaker would show (issue 12 item 2) -------------------------------------------------

FOOT = {"Sources", "Caption", "Footer", "Slide Number"}  # the foot of a slide: smaller, never under 12 pt
DECKS = [(BUNDLED, "default"), (BUNDLED, "classic"), (FIXTURES / "slides-long", "default"),
         (FIXTURES / "slides-long", "classic")]
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def run_sizes(shape) -> list[tuple[str, float]]:
    """(shape name, size in points) of every run of `shape` (and of a group's shapes), read from the XML."""
    if shape.shape_type == 6:  # a group: the evidence chart
        return [found for inner in shape.shapes for found in run_sizes(inner)]
    return [(shape.name, int(rpr.get("sz")) / 100) for tag in ("rPr", "endParaRPr", "defRPr")
            for rpr in shape._element.iter(A + tag) if rpr.get("sz")]


@pytest.fixture(scope="module", params=DECKS, ids=lambda d: f"{d[0].name}-{d[1]}")
def shown(request):
    review, theme = request.param
    document, data = build(review, theme)
    return document, deck(data)


def test_no_slide_text_under_18_pt_and_no_foot_under_12(shown):
    _, pres = shown
    sizes = [found for slide in pres.slides for s in slide.shapes for found in run_sizes(s)]
    assert sizes and all(size >= 18 for name, size in sizes if name not in FOOT), \
        sorted({(n, s) for n, s in sizes if n not in FOOT and s < 18})
    assert all(size >= 12 for _, size in sizes)
    assert any(name == "Sources" for name, _ in sizes)


def test_citations_only_whole_in_the_foot_line_never_in_bullets(shown):
    document, pres = shown
    cited = [" ".join(plain_text(c.runs).split()).strip("()[]") for c in _cites(document)]
    pieces = {p.strip() for text in cited for p in text.split(";") if p.strip()}
    for slide in pres.slides:
        for bullet in bullets(slide):
            assert not any(p in bullet for p in pieces), (title(slide), bullet)
        foot = shape(slide, "Sources")
        if foot is not None:
            assert len(foot.text_frame.paragraphs) == 1
            line = foot.text_frame.text.removeprefix("Sources: ")
            for piece in line.split("; "):  # each a whole citation, its spaces no-break
                assert piece == "…" or (" " not in piece and piece.replace("\u00a0", " ") in pieces), piece


def test_the_reference_slides_list_only_the_works_the_deck_cites(shown):
    """A work listed only by `nocite` is in the article's list, not the talk's (nor the handout's)."""
    from pipeline.render.handout import cited_references

    document, pres = shown
    text = " ".join(shape(s, "References").text_frame.text for s in pres.slides if shape(s, "References"))
    cited = {k for s in outline(document).slides if s.kind != "references" for k in s.sources}
    listed = [r for r in document.bibliography.references if plain_text(r.runs)[:60] in text]
    assert [r.key for r in listed] == [r.key for r in document.bibliography.references if r.key in cited]
    assert len(listed) < len(document.bibliography.references)  # both reviews list works with nocite
    handout = cited_references(document, outline(document).take_home)
    assert {r.key for r in handout} <= {r.key for r in listed}  # the handout cites fewer, never others
    notes = [s.notes_slide.notes_text_frame.text for s in pres.slides if shape(s, "References")]
    assert notes[-1].endswith(f"of {len(listed)}, in the article's citation style.")


def _cites(document):
    from pipeline.model import citations
    runs = [p.runs for p in document.key_points]
    runs += [p.runs for s in document.sections for p in (*s.key_points, *s.paragraphs)]
    return [c for r in runs for c in citations(r)]


def _table_citations(document) -> set[str]:
    """Each citation of the evidence table's cells, as a slide must show it: whole, its spaces no-break."""
    from pipeline.model import citations
    from pipeline.render.slides.text import unbreakable
    cells = [getattr(s, c.field) for s in document.evidence.studies for c in document.decided.evidence_columns]
    return {unbreakable(" ".join(plain_text(c.runs).split())) for cell in cells for c in citations(cell)}


def test_every_table_citation_is_one_unbreakable_run_in_a_column_wide_enough(shown):
    """A viewer breaks a no-break word that its column cannot hold mid-word: the column makes room for it."""
    from pipeline.render.slides.design import load_design
    from pipeline.render.slides.layout import CELL_MARGIN_X
    from pipeline.render.slides.table import WORD_SLACK

    document, pres = shown
    family = load_design(load_theme(document.theme)).body.family
    cited, found = _table_citations(document), set()
    tables = [s.table for slide in pres.slides for s in slide.shapes if s.has_table]
    for table in tables:
        for row in list(table.rows)[1:]:
            for cell, column in zip(row.cells, table.columns):
                runs = [r for p in cell.text_frame.paragraphs for r in p.runs]
                for cite in (c for c in cited if c.replace("\u00a0", " ") in cell.text.replace("\u00a0", " ")):
                    run = next((r for r in runs if cite in r.text), None)
                    assert run is not None, (cite, [r.text for r in runs])  # one run, its spaces no-break
                    needs = family.width(cite, run.font.size.pt, bool(run.font.bold), bool(run.font.italic))
                    room = Emu(column.width).pt - 2 * CELL_MARGIN_X
                    assert room >= needs * WORD_SLACK, (cite, room, needs)
                    found.add(cite)
    assert tables and found == cited


def test_the_outline_is_one_slide_and_the_conclusion_is_said_once(shown):
    document, pres = shown
    titles = [title(s) for s in pres.slides]
    assert titles.count("Outline") == 1 and "Outline (cont.)" not in titles
    assert titles.count("Take-home messages") == 1
    assert not any(t.startswith("Conclusion") for t in titles)


def test_the_outline_lists_exactly_the_parts_the_talk_shows_as_their_slides_title_them(shown):
    document, pres = shown
    titles = [title(s).removesuffix(" (cont.)") for s in pres.slides]
    sections = {s.title for s in document.sections}
    shown_parts = [t for t in dict.fromkeys(titles) if t in sections] + ["Take-home messages"]
    listed = bullets(pres.slides[titles.index("Outline")])
    assert listed == shown_parts and "Conclusion" not in listed  # the bundled conclusion is the take-home slide


def test_short_content_is_balanced_in_the_frame(shown):
    _, pres = shown
    for slide in pres.slides:
        body = shape(slide, "Body")
        if body is None or title(slide).endswith("(cont.)"):
            continue
        middle = (body.top + body.height / 2) / pres.slide_height
        assert 0.4 < middle < 0.7, (title(slide), middle)  # not hanging from the top at 57% full


def test_the_cover_shows_affiliation_venue_and_date(tmp_path):
    import shutil
    review = tmp_path / "ldn-review"
    shutil.copytree(BUNDLED, review)
    text = (review / "review.yaml").read_text()
    text = text.replace("    roles: [", "    affiliation: Institute of Mind, Example University\n    roles: [", 1)
    text = text.replace("lang: en-GB\n", "lang: en-GB\ndate: 2026-03-12\nvenue: Grand Rounds, St Elsewhere\n", 1)
    (review / "review.yaml").write_text(text)
    _, data = build(review)
    cover = " ".join(s.text_frame.text for s in deck(data).slides[0].shapes if s.has_text_frame)
    assert "Institute of Mind, Example University" in cover
    assert "Grand Rounds, St Elsewhere, 12 March 2026" in cover
    assert "Mental Health Specialist" in cover


def test_section_dividers_when_the_design_asks(tmp_path):
    theme = tmp_path / "dividers"
    theme.mkdir()
    (theme / "slides.yaml").write_text("section_dividers: true\n")  # the rest from the default theme
    document, _ = load_review(TALK)
    data = render(document, dataclasses.replace(load_theme("default"), path=theme), Settings()).files["slides.pptx"]
    slides = list(deck(data).slides)
    dividers = [s for s in slides if any(sh.has_text_frame and sh.text_frame.text.startswith("Part ")
                                         for sh in s.shapes)]
    assert len(dividers) == len(document.sections) - 1  # the conclusion is the take-home slide
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text for s in dividers)
    assert len(slides) == SLIDE_COUNT + len(dividers)


def _words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _expected_rows(document) -> list[tuple[str, tuple[str, ...]]]:
    """(condition, each shown cell's text) of every study: what the slides must show, each once."""
    columns = [c for c in document.decided.evidence_columns if c.field != "condition"]
    return sorted((_words(plain_text(s.condition)),
                   tuple(_words(plain_text(getattr(s, c.field))) or "not stated" for c in columns))
                  for s in document.evidence.studies)


def _shown_rows(pres) -> list[tuple[str, tuple[str, ...]]]:
    """(the condition of the group row above it, its cells' text) of every study row of the table slides."""
    found = []
    for page in table_rows(pres):
        assert page[0][0] == "group"  # every table slide starts by naming its condition
        for kind, cells in page:
            condition = cells[0].removesuffix(" (cont.)") if kind == "group" else condition
            found += [(condition, tuple(_words(c) for c in cells))] if kind == "study" else []
    return found


def test_each_study_is_shown_once_under_its_condition_named_by_a_row_spanning_the_table(shown):
    document, pres = shown
    columns = len([c for c in document.decided.evidence_columns if c.field != "condition"])
    tables = [sh.table for s in pres.slides for sh in s.shapes if sh.has_table]
    assert tables and all(len(t.columns) == columns for t in tables)
    assert not any("Condition" in [c.text for c in t.rows[0].cells] for t in tables)
    groups = [row.cells[0] for t in tables for row in list(t.rows)[1:] if row.cells[0].is_merge_origin]
    assert groups and all(cell.span_width == columns and cell.text for cell in groups)
    assert sorted(_shown_rows(pres)) == _expected_rows(document)


def test_the_notes_of_a_table_slide_carry_its_studies_whole_with_their_condition(shown):
    _, pres = shown
    for slide in (s for s in pres.slides if any(sh.has_table for sh in s.shapes)):
        notes = _words(slide.notes_slide.notes_text_frame.text)
        rows = list(next(sh.table for sh in slide.shapes if sh.has_table).rows)[1:]
        for row in rows:
            cells = [_words(c.text) for c in row.cells]
            if row.cells[0].is_merge_origin:
                condition = cells[0].removesuffix(" (cont.)")
                continue
            assert f"{condition}: {cells[0]}, {cells[1]}," in notes and cells[-1] in notes


EVIDENCE_ROW = "    - {{condition: {condition}, study: '@smith2020', design: Randomised controlled trial, " \
               "participants: {n} adults, duration: 8 weeks, finding: '{finding}'}}\n"
FINDING = ("Symptoms improved more than with placebo, and the improvement lasted through the follow-up visits; "
           "side effects were mild and transient, and no participant left the study because of them")


def grouped_review(make_review, conditions: list[str]) -> Path:
    rows = "".join(EVIDENCE_ROW.format(condition=c, n=10 + i, finding=FINDING) for i, c in enumerate(conditions))
    return make_review("title: T\nauthors: [{name: A}]\nabstract: Text [@smith2020].\n"
                       "sections:\n  - title: S\n    body:\n      - Prose about depression and anxiety [@smith2020].\n"
                       "evidence:\n  studies:\n" + rows)


def test_a_slide_that_goes_on_with_a_condition_names_it_again_with_cont(make_review):
    review = grouped_review(make_review, ["Depression"] * 3 + ["Anxiety"] + ["DEPRESSION"] * 3)
    document, data = build(review)
    pres = deck(data)
    pages = table_rows(pres)
    assert len(pages) > 1
    heads = [page[0] for page in pages]
    assert heads[0] == ("group", ["Depression"]) and ("group", ["Depression (cont.)"]) in heads[1:]
    names = [cells[0] for page in pages for kind, cells in page if kind == "group"]
    assert [n for n in names if not n.endswith("(cont.)")] == ["Depression", "Anxiety"]  # grouped as the chart
    for before, page in zip(pages, pages[1:]):  # "(cont.)" exactly where a slide goes on with a group
        last = next(cells[0] for kind, cells in reversed(before) if kind == "group").removesuffix(" (cont.)")
        goes_on = page[0][1][0].endswith(" (cont.)")
        assert goes_on == (page[0][1][0] == f"{last} (cont.)")
    folded = [(condition.casefold(), cells) for condition, cells in _expected_rows(document)]
    assert sorted((c.casefold(), cells) for c, cells in _shown_rows(pres)) == sorted(folded)  # DEPRESSION too
    assert len([1 for page in pages for kind, _ in page if kind == "study"]) == 7


def test_a_table_without_conditions_has_no_group_rows(make_review):
    review = grouped_review(make_review, ["''"] * 3)
    document, data = build(review)
    tables = [sh.table for s in deck(data).slides for sh in s.shapes if sh.has_table]
    assert "condition" not in [c.field for c in document.decided.evidence_columns]
    assert [c.text for c in tables[0].rows[0].cells] == ["Study", "Design", "Participants", "Duration",
                                                         "Main finding"]
    assert not any(c.is_merge_origin for t in tables for row in t.rows for c in row.cells)
    assert sum(len(t.rows) - 1 for t in tables) == 3


@pytest.mark.parametrize("theme, most", [("default", 8), ("classic", 8)])
def test_a_long_table_takes_clearly_fewer_slides_once_grouped(theme, most):
    """slides-long took 10 (default) and 14 (classic) slides of one or two rows with a Condition column."""
    _, data = build(FIXTURES / "slides-long", theme)
    assert len(table_rows(deck(data))) <= most
