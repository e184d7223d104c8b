"""The evidence chart: the model from evidence rows, its SVG (through WeasyPrint) and its slide shapes."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from weasyprint import HTML

from conftest import BUNDLED
from pipeline.chart import build_chart, classify, evidence_chart
from pipeline.diagnostics import Location
from pipeline.loader import load_review
from pipeline.model import Study, Text
from pipeline.render.chart_svg import chart_svg
from pipeline.render.slides.chart import Box, add_evidence_chart, chart_height, split_for_slides
from pipeline.render.slides.design import load_design
from pipeline.themes import load_theme

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN_ALT = (
    "4 studies in 4 conditions. Depression: a pilot study of 12 patients. Depression with chronic pain: "
    "a case series of 3 patients. Anxiety: a retrospective chart review, number of participants not stated. "
    "PTSD: a case report of 1 patient. The largest study had 12 participants; none is a randomised "
    "controlled trial.")
GOLDEN_PLAIN = (
    "There are four studies. The biggest had only 12 people, and one was about a single person. One study "
    "did not say how many people took part. None of the studies compared the treatment with a dummy pill "
    "(a placebo) or with another group.")


def row(condition: str, study: str, design: str, participants: str | None = None) -> Study:
    cell = lambda text: (Text(text),) if text is not None else None  # noqa: E731
    return Study(cell(condition), cell(study), cell(design), cell(participants), None, cell("A finding."),
                 Location("review.yaml", 1))


@pytest.fixture(scope="module")
def bundled():
    document, _ = load_review(BUNDLED)
    return evidence_chart(document)


# --- the model ---------------------------------------------------------------------------------


def test_bundled_review(bundled):
    assert [g.condition for g in bundled.groups] == ["Depression", "Depression with chronic pain", "Anxiety", "PTSD"]
    assert [m.participants for m in bundled.marks] == [12, 3, None, 1]
    assert [m.design.key for m in bundled.marks] == ["pilot", "case_series", "chart_review", "case_report"]
    assert [m.study for m in bundled.marks] == ["Mischoulon et al. (2021)", "Eshghi et al. (2020)",
                                               "Chopra and Caldito (2019)", "Younger et al. (2014b)"]
    assert bundled.marks[2].design_label == "Retrospective chart review"
    assert [d.key for d in bundled.designs] == ["pilot", "chart_review", "case_series", "case_report"]
    assert (bundled.axis.scale, bundled.axis.ticks) == ("linear", (0, 2, 4, 6, 8, 10, 12))


def test_alt_text_and_plain_words(bundled):
    assert bundled.alt_text == GOLDEN_ALT
    assert bundled.plain_heading == "How much evidence is there?"
    assert bundled.plain_summary == GOLDEN_PLAIN
    assert "Hatched: number not stated (1 study)." in bundled.caption


def test_no_numbers_still_a_chart():
    chart = build_chart((row("Pain", "A (2020)", "Case report", "Adults with chronic pain"),
                         row("Pain", "B (2021)", "Open-label trial"), row("Sleep", "C (2019)", "Chart review")))
    assert [(g.condition, len(g.marks)) for g in chart.groups] == [("Pain", 2), ("Sleep", 1)]
    assert [m.participants for m in chart.marks] == [None, None, None]
    assert [m.design.key for m in chart.marks] == ["case_report", "pilot", "chart_review"]
    assert chart.axis.scale == "none" and chart.axis.ticks == ()
    assert "No study states its number of participants" in chart.alt_text
    assert "None of them said how many people took part." in chart.plain_summary
    svg = etree.fromstring(str(chart_svg(chart)).encode())
    assert "".join(svg.itertext()).count("not stated") >= 3


def test_rct_of_240_goes_on_a_log_scale():
    chart = build_chart((row("Pain", "Big (2022)", "Double-blind randomised placebo-controlled trial",
                             "240 adults (120 per arm)"),
                         row("Pain", "Small (2015)", "Case report", "1 patient")))
    assert [m.participants for m in chart.marks] == [240, 1]
    assert chart.marks[0].design.key == "rct" and chart.designs[0].key == "rct"
    assert chart.axis.scale == "log" and chart.axis.ticks[0] == 1 and chart.axis.high == 500
    assert chart.axis.position(1) == 0 and 0.8 < chart.axis.position(240) < 1
    assert chart.alt_text.endswith("The largest study had 240 participants; one is a randomised controlled trial.")
    assert "people put into the groups by chance" in chart.plain_summary


@pytest.mark.parametrize("label, key", [
    ("Randomized controlled trial", "rct"), ("RCT", "rct"), ("Non-randomised controlled study", "controlled"),
    ("Placebo-controlled crossover", "controlled"), ("Uncontrolled open-label trial", "pilot"),
    ("Retrospective cohort study", "cohort"), ("Retrospective chart review", "chart_review"),
    ("Review of medical records", "chart_review"), ("Case series", "case_series"), ("Two case reports", "case_series"),
    ("Case report", "case_report"), ("Single-case study", "case_report"), ("Survey", "other"), ("", "other"),
])
def test_design_vocabulary(label, key):
    assert classify(label).key == key


def test_twenty_studies():
    rows = tuple(row(f"Condition {i % 5}", f"Author{i} et al. ({2000 + i})", "Pilot study", f"{i + 2} patients")
                 for i in range(20))
    chart = build_chart(rows)
    assert len(chart.groups) == 5 and len(chart.marks) == 20
    assert [m.row for m in chart.groups[0].marks] == [0, 5, 10, 15]  # grouped, in table order
    assert chart.axis.scale == "linear" and chart.axis.ticks[-1] >= 21
    parts = split_for_slides(chart, 400)
    assert len(parts) > 1 and all(chart_height(p) <= 400 for p in parts)
    assert [m.row for p in parts for m in p.marks] == [m.row for m in chart.marks]


def test_turned_off(make_review):
    from conftest import GOOD
    yaml = GOOD + "evidence:\n  studies:\n    - {condition: Pain, study: A, design: Case report, finding: F}\n"
    document, _ = load_review(make_review(yaml))
    assert evidence_chart(document) is not None
    off = document.__class__(**{**document.__dict__, "evidence": None})
    assert evidence_chart(off) is None


# --- SVG ---------------------------------------------------------------------------------------


def test_svg_is_accessible_xml(bundled):
    svg = etree.fromstring(str(chart_svg(bundled, id_prefix="fig-2")).encode())
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "fig-2-title fig-2-desc"
    assert svg.find(f"{SVG}title").text == bundled.caption
    assert svg.find(f"{SVG}desc").text == GOLDEN_ALT
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert {"Mischoulon et al. (2021)", "Case series", "PTSD", "not stated", "12"} <= set(texts)
    assert svg.find(f".//{SVG}image") is None


def test_hostile_labels_stay_text():
    chart = build_chart((row("<b>Pain & ache</b>", "<script>alert(1)</script>", "Trial & \"error\"", "5 men"),))
    markup = str(chart_svg(chart))
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "&amp;" in markup
    svg = etree.fromstring(markup.encode())
    assert "<script>alert(1)</script>" in [t.text for t in svg.iter(f"{SVG}text")]


def test_weasyprint_draws_the_svg_as_text(bundled):
    fonts = load_theme("default").path
    page = f'<html><head><link rel="stylesheet" href="fonts.css"></head><body>{chart_svg(bundled)}</body></html>'
    pdf = HTML(string=page, base_url=f"{fonts}/").write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = document.pages[0].extract_text()
        fonts_used = {c["fontname"].split("+")[-1] for c in document.pages[0].chars}
    for label in ("Mischoulon et al. (2021)", "Chopra and Caldito (2019)", "Retrospective chart review",
                  "Depression with chronic pain", "not stated"):
        assert "".join(label.split()) in text
    assert all(name.startswith("Carlito") for name in fonts_used)


# --- slide ---------------------------------------------------------------------------------------


def _deck(chart) -> Presentation:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Pt(960), Pt(540)
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    add_evidence_chart(slide, chart, Box(48, 100, 864, 400), load_design(load_theme("default")))
    out = io.BytesIO()
    deck.save(out)
    return Presentation(io.BytesIO(out.getvalue()))


def _walk(shapes):
    for shape in shapes:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _walk(shape.shapes)


def test_slide_chart_is_native_shapes(bundled):
    shapes = list(_walk(_deck(bundled).slides[0].shapes))
    assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [s.name for s in shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP] == ["Evidence chart"]
    texts = [s.text_frame.text for s in shapes if s.has_text_frame and s.text_frame.text]
    assert {"Mischoulon et al. (2021)", "Retrospective chart review", "PTSD", "not stated", "12"} <= set(texts)
    assert sum(s.name.startswith("Marker") for s in shapes) == 4 + 3  # icons, and a dot for each number
    sizes = {run.font.size.pt for s in shapes if s.has_text_frame
             for p in s.text_frame.paragraphs for run in p.runs}
    assert min(sizes) >= 12 and max(sizes) == 18


def test_slide_labels_are_18_pt(bundled):
    shapes = list(_walk(_deck(bundled).slides[0].shapes))
    for shape in shapes:
        if shape.has_text_frame and shape.text_frame.text in ("Mischoulon et al. (2021)", "Case report", "Anxiety"):
            assert shape.text_frame.paragraphs[0].runs[0].font.size.pt == 18


# --- wired into every output; `evidence: {chart: false}` removes it everywhere ------------------------


def _outputs(folder) -> tuple:
    from pipeline.render import Settings
    from pipeline.render import handout, html, slides, summary
    document, _ = load_review(folder)
    theme, settings = load_theme("default"), Settings()
    files = {}
    for module in (html, slides, summary, handout):
        made = module.render(document, theme, settings)
        files.update(made if isinstance(made, dict) else made.files)
    return document, files


def _chart_off(tmp_path):
    import shutil
    folder = tmp_path / "off"
    shutil.copytree(BUNDLED, folder)
    text = (folder / "review.yaml").read_text()
    (folder / "review.yaml").write_text(text.replace("evidence:\n", "evidence:\n  chart: false\n", 1))
    return folder


@pytest.fixture(scope="module")
def outputs():
    return _outputs(BUNDLED)


def test_every_output_shows_the_chart(outputs):
    document, files = outputs
    chart = document.decided.evidence_chart
    page = files["article.html"].decode()
    figure = page[page.index('<figure class="evidence-chart" id="evidence-chart">'):]
    figure = figure[:figure.index("</figure>") + len("</figure>")]
    svg = etree.fromstring(figure[figure.index("<svg"):figure.index("</svg>") + 6].encode())
    assert svg.find(f"{SVG}title").text == chart.caption and svg.find(f"{SVG}desc").text == GOLDEN_ALT
    assert "Figure 1.</span> Number of participants" in figure and svg.find(f".//{SVG}image") is None
    deck = Presentation(io.BytesIO(files["slides.pptx"]))
    [slide] = [s for s in deck.slides if s.shapes.title.text == "How much evidence is there?"]
    shapes = list(_walk(slide.shapes))
    assert not [s for s in shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert [s.name for s in shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP] == ["Evidence chart"]
    assert GOLDEN_ALT in slide.notes_slide.notes_text_frame.text
    with pdfplumber.open(io.BytesIO(files["handout.pdf"])) as pdf:
        text = "".join("".join(p.extract_text().split()) for p in pdf.pages)  # small text: spaces not found
    assert "Mischoulonetal.(2021)" in text and "notstated" in text
    for name in ("summary.md", "summary.html"):
        assert "How much evidence is there?" in files[name].decode() and GOLDEN_PLAIN in files[name].decode()
    assert 'aria-labelledby="summary-chart-title summary-chart-desc"' in files["summary.html"].decode()


def test_chart_false_removes_it_everywhere(tmp_path):
    document, files = _outputs(_chart_off(tmp_path))
    assert document.evidence.chart is False and document.decided.evidence_chart is None
    assert document.decided.evidence_chart_number == 0
    for name in ("article.html", "summary.html", "summary.md"):
        text = files[name].decode()
        assert "<svg" not in text and "How much evidence is there?" not in text
        assert "<figure class=\"evidence-chart" not in text
    deck = Presentation(io.BytesIO(files["slides.pptx"]))
    assert "How much evidence is there?" not in [s.shapes.title.text for s in deck.slides if s.shapes.title]
    with pdfplumber.open(io.BytesIO(files["handout.pdf"])) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    assert "Number of participants" not in text and "Main finding" in text


def test_tall_chart_is_split_over_slides(make_review):
    from conftest import GOOD
    rows = "".join(f"    - {{condition: C{i % 6}, study: S{i}, design: Case report, participants: {i + 1} patients,"
                   f" finding: F}}\n" for i in range(30))
    document, files = _outputs(make_review(GOOD + "evidence:\n  studies:\n" + rows))
    deck = Presentation(io.BytesIO(files["slides.pptx"]))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title]
    assert titles.count("How much evidence is there?") == 1 and "How much evidence is there? (cont.)" in titles
    studies = [sh.text_frame.text for s in deck.slides for sh in _walk(s.shapes)
               if sh.has_text_frame and re.fullmatch(r"S\d+", sh.text_frame.text)]
    assert sorted(studies, key=lambda t: int(t[1:])) == [f"S{i}" for i in range(30)]
