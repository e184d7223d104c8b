"""The talk as a list of planned slides: which slides, in what order, what each holds.

Title slide, outline, each section's key points (continued over "(cont.)"
slides when they do not fit), its figures, the evidence table and then its
chart ("How much evidence is there?", native shapes, split between groups when tall), take-home
messages, references and a closing slide. Every slide but the title carries a
footer and all of them carry speaker notes.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from PIL import Image

from pipeline.diagnostics import Diagnostic
from pipeline.limits import SLIDE_TEXT_CHARS
from pipeline.model import Document, Figure, Paragraph, Section, plain_text
from pipeline.render.slide_cover import closing_slide, cover_slide
from pipeline.render.slide_layout import (INSET, Box, Frame, PictureBlock, PlannedSlide, Rule, TextBlock,
                                          even_chunks, fit_text, fitted_line, paginate)
from pipeline.render.slide_chart import Box as ChartBox
from pipeline.render.slide_chart import ChartBlock, chart_height, split_for_slides
from pipeline.render.slide_table import table_blocks, table_notes
from pipeline.render.slide_text import Para, Span, cap_spans, clean, spans, strip_spans, text_height
from pipeline.sentences import first_sentence

BULLET_INDENT = 0.9  # bullet text indent, in ems of the design body size
SPACE_RATIO = 0.45  # space before a bullet, as a fraction of the size
CONT = " (cont.)"
VIEWABLE = {"PNG", "JPEG", "GIF"}
CAPTION_CHARS = 600  # about five lines under a figure: more would leave no room for the picture


def plan(document: Document, frame: Frame) -> list[PlannedSlide]:
    """Every slide of the talk, in order, with footers and slide numbers."""
    slides = [cover_slide(document, frame)]
    slides += bullet_slides(frame, "Outline", [_bullet_text(s.title) for s in document.sections],
                            _outline_notes(document), "outline")
    for section in document.sections:
        slides += section_slides(frame, section, document.source_dir)
        if document.evidence and section.id == document.decided.evidence_after:
            slides += _evidence_slides(frame, document)
            slides += chart_slides(frame, document)
    slides += bullet_slides(frame, "Take-home messages", _take_home(document), _take_home_notes(document),
                            "take-home")
    slides += reference_slides(frame, document)
    slides.append(closing_slide(document, frame))
    return [_with_footer(frame, document, s, i + 1) for i, s in enumerate(slides)]


# --- the sections --------------------------------------------------------------------------


def section_slides(frame: Frame, section: Section, folder: Path) -> list[PlannedSlide]:
    """A section's key points over as many slides as they need, then one slide per figure."""
    points = [_bullet(p) for p in section.key_points] or _first_sentences(section)
    prose = [clean(plain_text(p.runs)) for p in section.paragraphs]
    slides = bullet_slides(frame, section.title, points, prose, "section") if points else []
    figures = [b for b in section.blocks if isinstance(b, Figure)]
    return slides + [figure_slide(frame, section, f, folder) for f in figures]


def _first_sentences(section: Section) -> list[Para]:
    """Bullets for a section without key points: the first sentence of each paragraph."""
    firsts = [_first_sentence(p) for p in section.paragraphs]
    return [_bullet_text(t) for t in firsts if t]


def _first_sentence(paragraph: Paragraph) -> str:
    return first_sentence(clean(plain_text(paragraph.runs)))


def bullet_slides(frame: Frame, title: str, points: list[Para], notes: list[str],
                  kind: str) -> list[PlannedSlide]:
    """Bulleted slides; the notes are shared out over them in order."""
    design = frame.design
    largest, smallest = design.size("body"), design.size("body_min")
    indent = BULLET_INDENT * largest  # the same at every size, so what was measured is what is drawn
    points = [replace(p, indent=indent) for p in points]
    chunks, size = paginate(frame, frame.body, points, largest, smallest, design.max_bullets,
                            SPACE_RATIO * largest)
    shares = even_chunks(notes, len(chunks))  # the section's prose, shared out in order
    slides = []
    for i, chunk in enumerate(chunks):
        heading = title + (CONT if i else "")
        body = TextBlock(frame.body, tuple(chunk), size, space_before=SPACE_RATIO * size,
                         line_spacing=design.line_spacing, name="Body")
        note = "\n\n".join(shares[i]) or "\n".join(p.text for p in chunk)
        slides.append(PlannedSlide(kind, heading, (*_title_blocks(frame, heading), body), note))
    return slides


def _title_blocks(frame: Frame, title: str) -> tuple[TextBlock, Rule]:
    design = frame.design
    para, size = fitted_line(frame, frame.title, title, design.size("title"), design.size("title_min"),
                             "heading", bold=True)
    block = TextBlock(frame.title, (para,), size, "heading", "title", line_spacing=design.line_spacing,
                      name="Title", anchor="bottom")
    return block, Rule(frame.rule, "accent")


def _bullet_text(text: str) -> Para:
    return Para(_capped((Span(clean(text).strip()),)), bullet=True)


def _bullet(paragraph: Paragraph) -> Para:
    return Para(_capped(strip_spans(spans(paragraph.runs))), bullet=True)


def _capped(found: tuple[Span, ...]) -> tuple[Span, ...]:
    """Text no longer than the slides could show (`overlong` warns where it was cut)."""
    return cap_spans(found, SLIDE_TEXT_CHARS)


# --- figures -------------------------------------------------------------------------------


def figure_slide(frame: Frame, section: Section, figure: Figure, folder: Path) -> PlannedSlide:
    """The figure as large as the body allows, aspect ratio kept, its caption below."""
    design = frame.design
    caption = Para((Span(f"Figure {figure.number}. ", bold=True),
                    *cap_spans(strip_spans(spans(figure.caption)), CAPTION_CHARS)))
    size = design.size("caption")
    style = frame.style("body")
    caption_h = text_height([caption], style, size, frame.body.inner_w, size) + 2 * INSET + 4
    caption_box = Box(frame.body.x, frame.body.y + frame.body.h - caption_h, frame.body.w, caption_h)
    image_area = Box(frame.body.x, frame.body.y, frame.body.w, frame.body.h - caption_h - 6)
    picture = _picture(frame, image_area, folder / figure.image, clean(figure.alt))
    text = TextBlock(caption_box, (caption,), size, colour="muted", line_spacing=design.line_spacing,
                     name="Caption")
    notes = f"{plain_text(figure.caption) or 'Figure ' + str(figure.number)}\nAlt text: {figure.alt}"
    return PlannedSlide("figure", section.title, (*_title_blocks(frame, section.title), picture, text),
                        clean_notes(notes))


def _picture(frame: Frame, area: Box, path: Path, alt: str) -> PictureBlock | TextBlock:
    """The image fitted into `area`; an image no viewer can show (e.g. SVG) is replaced by its alt text."""
    try:
        with Image.open(path) as image:
            size, data = image.size, _viewable(image, path)
    except (OSError, ValueError, Image.DecompressionBombError):  # SVG, or a file changed since load
        para = Para((Span(f"[Figure: {alt}]", italic=True),))
        size_pt = fit_text(frame, area, [para], frame.design.size("body"), frame.design.size("caption")) \
            or frame.design.size("caption")
        return TextBlock(area, (para,), size_pt, colour="muted", align="center",
                         line_spacing=frame.design.line_spacing, name="Figure alt text")
    return PictureBlock(_fit_image(area, size), data, alt)


def _viewable(image: Image.Image, path: Path) -> bytes:
    """The file's own bytes if PowerPoint and LibreOffice both show its format, else a PNG of it."""
    if image.format in VIEWABLE:
        return path.read_bytes()
    out = io.BytesIO()
    image.convert("RGBA").save(out, "PNG")
    return out.getvalue()


def _fit_image(area: Box, size: tuple[int, int]) -> Box:
    width, height = size
    scale = min(area.w / width, area.h / height)
    w, h = width * scale, height * scale
    return Box(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)


# --- evidence, take-home, references --------------------------------------------------------


def _evidence_slides(frame: Frame, document: Document) -> list[PlannedSlide]:
    table = document.evidence
    decided = document.decided
    blocks = table_blocks(frame, table, decided.evidence_columns, decided.evidence_not_stated)
    slides = []
    for i, block in enumerate(blocks):
        title = decided.evidence_heading + (CONT if i else "")
        slides.append(PlannedSlide("evidence", title, (*_title_blocks(frame, title), block),
                                   clean_notes(table_notes(table, block))))
    return slides


def chart_slides(frame: Frame, document: Document) -> list[PlannedSlide]:
    """The evidence chart after the table: split over slides when tall, each part centred in the body.

    Its text alternative and plain words are the notes, so the speaker can say what the picture shows.
    """
    chart = document.decided.evidence_chart
    if chart is None:
        return []
    body = frame.body
    parts = split_for_slides(chart, body.h)
    notes = clean_notes(f"Figure {document.decided.evidence_chart_number}. {chart.caption}\n"
                        f"Alt text: {chart.alt_text}\nIn plain words: {chart.plain_summary}")
    slides = []
    for i, part in enumerate(parts):
        title = chart.plain_heading + (CONT if i else "")
        top = body.y + max(0.0, (body.h - chart_height(part)) / 2)
        block = ChartBlock(ChartBox(body.x, top, body.w, body.h - (top - body.y)), part)
        slides.append(PlannedSlide("chart", title, (*_title_blocks(frame, title), block), notes))
    return slides


def _take_home(document: Document) -> list[Para]:
    if document.key_points:
        return [_bullet(p) for p in document.key_points]
    firsts = [s.key_points[0] for s in document.sections if s.key_points]
    return [_bullet(p) for p in firsts[:6]] or [_bullet_text(s.title) for s in document.sections[:6]]


def _take_home_notes(document: Document) -> list[str]:
    points = [f"- {p.text}" for p in _take_home(document)]
    return ["\n".join(["The messages to leave the audience with:", *points])]


def reference_slides(frame: Frame, document: Document) -> list[PlannedSlide]:
    """Every reference, hanging-indented, on as many slides as the list needs."""
    design = frame.design
    refs = document.bibliography.references
    if not refs:
        return []
    paras = [_reference_para(r.label, r.runs, design.size("reference")) for r in refs]
    largest, smallest = design.size("reference"), design.size("reference_min")
    # as few slides as the smallest size allows, at the largest size those slides still fit
    chunks, size = paginate(frame, frame.body, paras, largest, smallest, len(paras), 0.4 * largest)
    slides, done = [], 0
    for i, chunk in enumerate(chunks):
        title = "References" + (CONT if i else "")
        body = TextBlock(frame.body, tuple(chunk), size, space_before=0.4 * size,
                         line_spacing=design.line_spacing, name="References")
        notes = f"References {done + 1}–{done + len(chunk)} of {len(refs)}, in the article's citation style."
        done += len(chunk)
        slides.append(PlannedSlide("references", title, (*_title_blocks(frame, title), body), notes))
    return slides


def _reference_para(label: str, runs, size: float) -> Para:
    head = (Span(clean(label) + " "),) if label else ()
    return Para(_capped(head + strip_spans(spans(runs))), indent=1.5 * size, hanging=True)


def overlong(document: Document) -> list[Diagnostic]:
    """A warning at each field the slides cut because it is longer than slides could show."""
    fields = [(s.title, s.location) for s in document.sections]
    fields += [(plain_text(p.runs), p.location) for p in document.key_points]
    for section in document.sections:
        fields += [(plain_text(p.runs), p.location) for p in section.key_points]
        if not section.key_points:
            fields += [(_first_sentence(p), p.location) for p in section.paragraphs]
    fields += [(r.label + " " + plain_text(r.runs), r.location) for r in document.bibliography.references]
    found = [(clean(text).strip(), where, SLIDE_TEXT_CHARS) for text, where in fields]
    found += [(clean(plain_text(f.caption)).strip(), f.location, CAPTION_CHARS) for f in document.figures]
    return [Diagnostic("warning", f"text of {len(text):,} characters is cut to its first {limit:,} on the "
                                  "slides (the article keeps all of it); shorten it for the talk", where)
            for text, where, limit in found if len(text) > limit]


# --- notes and footer ------------------------------------------------------------------------


def clean_notes(text: str) -> str:
    return "\n".join(clean(line).strip() for line in text.split("\n"))


def _outline_notes(document: Document) -> list[str]:
    titles = "; ".join(s.title for s in document.sections)
    return [f"The talk follows the review: {titles}."]


def _with_footer(frame: Frame, document: Document, slide: PlannedSlide, number: int) -> PlannedSlide:
    if slide.cover:
        return slide
    size = frame.design.size("footer")
    footer = frame.footer
    left = Box(footer.x, footer.y, footer.w * 0.8, footer.h)
    right = Box(footer.x + footer.w * 0.8, footer.y, footer.w * 0.2, footer.h)
    para, fitted = fitted_line(frame, left, document.short_title, size, size - 2)
    title = TextBlock(left, (para,), fitted, colour="muted", line_spacing=frame.design.line_spacing,
                      name="Footer")
    page = TextBlock(right, (Para((Span(str(number)),)),), size, colour="muted", align="right",
                     line_spacing=frame.design.line_spacing, name="Slide Number")
    line = Rule(Box(footer.x, footer.y - 3, footer.w, 0.75), "rule")
    return replace(slide, blocks=slide.blocks + (line, title, page))

