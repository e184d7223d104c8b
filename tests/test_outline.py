"""The talk outline: what goes on which slide, in which order, with notes and sources, with no geometry."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.model import plain_text
from pipeline.render.slides.design import load_design
from pipeline.render.slides.fit import fit
from pipeline.render.slides.layout import Frame
from pipeline.render.slides.outline import KINDS, outline
from pipeline.themes import load_theme


@pytest.fixture(scope="module")
def document():
    return load_review(BUNDLED)[0]


@pytest.fixture(scope="module")
def talk(document):
    return outline(document)


def test_the_bundled_review_outline_in_order(document, talk):
    kinds = [s.kind for s in talk.slides]
    assert kinds[:2] == ["title", "outline"] and kinds[-3:] == ["take-home", "references", "closing"]
    assert set(kinds) <= set(KINDS)
    sections = [s for s in talk.slides if s.kind == "section"]
    shown = [s for s in document.sections[:-1] if s.key_points or s.paragraphs]  # the conclusion: see below
    assert [s.title for s in sections] == [s.title for s in shown]
    assert [s.section for s in sections] == [s.id for s in shown]
    evidence = kinds.index("evidence")
    assert kinds[evidence + 1] == "chart"  # the chart right after the table
    assert talk.slides[evidence].section == document.decided.evidence_after
    assert talk.slides[evidence - 1].section == document.decided.evidence_after  # after its section
    assert talk.slides[0].title == document.title and talk.slides[-1].title == "Thank you"
    assert talk.slides[1].items == (*(s.title for s in shown), "Take-home messages")  # as the talk shows them


def test_the_conclusion_is_the_take_home_slide_not_a_second_one(document, talk):
    conclusion = document.sections[-1]
    assert conclusion.title == "Conclusion" and conclusion.id not in [s.section for s in talk.of_kind("section")]
    take_home = talk.of_kind("take-home")[0]
    assert take_home.section == conclusion.id
    assert plain_text(conclusion.paragraphs[0].runs)[:60] in " ".join(take_home.notes)  # its prose: the notes


def test_each_item_knows_its_sources_and_each_source_its_citation_text(talk):
    intro = talk.of_kind("section")[0]
    assert len(intro.item_sources) == len(intro.items) and intro.item_sources[0] == ("volpicelli1995",)
    assert dict(talk.cited)["toljan2018"] == "Toljan & Vrooman, 2018"  # as the style cites it
    assert dict(talk.cited)["younger2014inflammation"] == "Younger et al., 2014b"  # 2014a/b decided once
    assert talk.source_texts(("toljan2018",)) == ("Toljan\u00a0&\u00a0Vrooman,\u00a02018",)  # never broken


def test_every_slide_has_notes_and_sources_where_it_cites(document, talk):
    assert all(s.notes and any(n.strip() for n in s.notes) for s in talk.slides)
    references = talk.of_kind("references")[0]
    cited = {k for s in talk.slides if s.kind != "references" for k in s.sources}
    assert references.sources == tuple(r.key for r in document.bibliography.references if r.key in cited)
    assert "younger2014trial" not in references.sources  # listed by nocite only: the article lists it
    evidence = talk.of_kind("evidence")[0]
    assert evidence.sources and set(evidence.sources) <= set(references.sources)
    assert len(evidence.notes) == 1 + len(document.evidence.studies)  # the caption, then a sentence per study
    cited = [s for s in talk.slides if s.kind == "section" and s.sources]
    assert cited and all(set(s.sources) <= set(references.sources) for s in cited)
    assert talk.of_kind("title")[0].sources == ()


def test_the_take_home_slide_is_the_key_points_and_the_handout_uses_it(document, talk):
    assert talk.take_home == tuple(p.runs for p in document.key_points)
    from pipeline.render.handout import render
    from pipeline.render import Settings
    import io

    import pdfplumber
    made = render(document, load_theme("default"), Settings())
    with pdfplumber.open(io.BytesIO(made.files["handout.pdf"])) as pdf:
        text = " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    first = " ".join(plain_text(talk.take_home[0]).split())[:40]
    assert first in text


def test_the_outline_imports_no_geometry():
    code = ("import sys, json; import pipeline.render.slides.outline; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pptx', 'PIL', 'fontTools')) "
            "or m.startswith('pipeline.render.slides.'))))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                       text=True).stdout)
    assert not [m for m in loaded if m.startswith(("pptx", "PIL", "fontTools"))]
    assert set(loaded) <= {"pipeline.render.slides.outline", "pipeline.render.slides.text"}


def test_fitting_is_a_separate_step(talk):
    design = load_design(load_theme("default"))
    big = fit(talk, Frame(design, 960, 540))
    small = fit(talk, Frame(design, 640, 400))
    assert len(small) > len(big) >= len(talk.slides)
    assert [s.kind for s in big][0] == "title" and big[-1].kind == "closing"
    assert sum(s.title.endswith("(cont.)") for s in small) > sum(s.title.endswith("(cont.)") for s in big)
    assert len(fit(talk, Frame(design, 960, 540))) == len(big)  # the outline is not changed by fitting


def test_the_evidence_slide_groups_its_studies_by_condition_as_the_chart_does(document, talk):
    slide = talk.of_kind("evidence")[0]
    assert [c.field for c in slide.columns] == [c.field for c in document.decided.evidence_columns
                                                if c.field != "condition"]
    chart = document.decided.evidence_chart
    assert [plain_text(g.condition) for g in slide.groups] == [g.condition for g in chart.groups]
    assert [g.rows for g in slide.groups] == [tuple(m.row for m in g.marks) for g in chart.groups]
