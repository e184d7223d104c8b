"""The outline fitted to a frame: planned slides with every box, size and line measured.

Each outline slide becomes as many slides as its content needs at the sizes
the design allows: bullets and references continue over "(cont.)" slides,
the evidence table repeats its header on each, a tall chart is split between
groups, a figure is scaled into the body with its caption below. Every slide
but the title carries a footer, and all of them carry speaker notes.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

from PIL import Image

from pipeline.model import Document
from pipeline.render.slides.chart import Box as ChartBox
from pipeline.render.slides.chart import ChartBlock, chart_height, split_for_slides
from pipeline.render.slides.cover import fit_cover
from pipeline.render.slides.layout import (INSET, Box, Frame, PictureBlock, PlannedSlide, Rule, TextBlock,
                                          even_chunks, fit_text, fitted_line, paginate)
from pipeline.render.slides.metrics import text_height
from pipeline.render.slides.outline import (CAPTION_CHARS, OutlineSlide, TalkOutline, bullet, clean_notes, outline,
                                            reference_notes, reference_para)
from pipeline.render.slides.table import table_blocks
from pipeline.render.slides.text import Para, Span, cap_spans, clean, spans, strip_spans

BULLET_INDENT = 0.9  # bullet text indent, in ems of the design body size
SPACE_RATIO = 0.45  # space before a bullet, as a fraction of the size
CONT = " (cont.)"
VIEWABLE = {"PNG", "JPEG", "GIF"}


def plan(document: Document, frame: Frame) -> list[PlannedSlide]:
    """Every slide of `document`'s talk fitted to `frame`."""
    return fit(outline(document), frame)


def fit(talk: TalkOutline, frame: Frame) -> list[PlannedSlide]:
    """Every slide of the outline fitted to `frame`, in order, with footers and slide numbers."""
    slides = [planned for slide in talk.slides for planned in _fit_slide(slide, frame)]
    return [_with_footer(frame, talk.short_title, s, i + 1) for i, s in enumerate(slides)]


def _fit_slide(slide: OutlineSlide, frame: Frame) -> list[PlannedSlide]:
    if slide.kind in ("title", "closing"):
        return [fit_cover(slide, frame)]
    if slide.kind in ("outline", "section", "take-home"):
        return bullet_slides(frame, slide.title, [bullet(i) for i in slide.items], list(slide.notes), slide.kind)
    if slide.kind == "figure":
        return [figure_slide(frame, slide)]
    if slide.kind == "evidence":
        return _evidence_slides(frame, slide)
    if slide.kind == "chart":
        return chart_slides(frame, slide)
    if slide.kind == "references":
        return reference_slides(frame, slide)
    raise ValueError(f"unknown kind of slide: {slide.kind!r}")


# --- bullets ---------------------------------------------------------------------------------


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


# --- figures -------------------------------------------------------------------------------


def figure_slide(frame: Frame, slide: OutlineSlide) -> PlannedSlide:
    """The figure as large as the body allows, aspect ratio kept, its caption below."""
    design, figure = frame.design, slide.figure
    caption = Para((Span(f"Figure {figure.number}. ", bold=True),
                    *cap_spans(strip_spans(spans(figure.caption)), CAPTION_CHARS)))
    size = design.size("caption")
    style = frame.style("body")
    caption_h = text_height([caption], style, size, frame.body.inner_w, size) + 2 * INSET + 4
    caption_box = Box(frame.body.x, frame.body.y + frame.body.h - caption_h, frame.body.w, caption_h)
    image_area = Box(frame.body.x, frame.body.y, frame.body.w, frame.body.h - caption_h - 6)
    picture = _picture(frame, image_area, slide.image, clean(figure.alt))
    text = TextBlock(caption_box, (caption,), size, colour="muted", line_spacing=design.line_spacing,
                     name="Caption")
    return PlannedSlide("figure", slide.title, (*_title_blocks(frame, slide.title), picture, text),
                        "\n\n".join(slide.notes))


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


# --- evidence and references ----------------------------------------------------------------


def _evidence_slides(frame: Frame, slide: OutlineSlide) -> list[PlannedSlide]:
    """The table over as many slides as its rows need; each slide's notes: the caption, then its studies."""
    blocks = table_blocks(frame, slide.table, slide.columns, slide.not_stated)
    caption, studies = slide.notes[0], slide.notes[1:]
    slides = []
    for i, block in enumerate(blocks):
        title = slide.title + (CONT if i else "")
        notes = clean_notes("\n".join([caption, *(studies[j] for j in block.items)]))
        slides.append(PlannedSlide("evidence", title, (*_title_blocks(frame, title), block), notes))
    return slides


def chart_slides(frame: Frame, slide: OutlineSlide) -> list[PlannedSlide]:
    """The evidence chart: split over slides when tall, each part centred in the body."""
    body = frame.body
    parts = split_for_slides(slide.chart, body.h)
    slides = []
    for i, part in enumerate(parts):
        title = slide.title + (CONT if i else "")
        top = body.y + max(0.0, (body.h - chart_height(part)) / 2)
        block = ChartBlock(ChartBox(body.x, top, body.w, body.h - (top - body.y)), part)
        slides.append(PlannedSlide("chart", title, (*_title_blocks(frame, title), block), "\n\n".join(slide.notes)))
    return slides


def reference_slides(frame: Frame, slide: OutlineSlide) -> list[PlannedSlide]:
    """Every reference, hanging-indented, on as many slides as the list needs."""
    design = frame.design
    largest, smallest = design.size("reference"), design.size("reference_min")
    paras = [replace(reference_para(label, runs), indent=1.5 * largest)
             for label, runs in zip(slide.labels, slide.items)]
    # as few slides as the smallest size allows, at the largest size those slides still fit
    chunks, size = paginate(frame, frame.body, paras, largest, smallest, len(paras), 0.4 * largest)
    slides, done = [], 0
    for i, chunk in enumerate(chunks):
        title = slide.title + (CONT if i else "")
        body = TextBlock(frame.body, tuple(chunk), size, space_before=0.4 * size,
                         line_spacing=design.line_spacing, name="References")
        notes = reference_notes(done + 1, done + len(chunk), len(paras))
        done += len(chunk)
        slides.append(PlannedSlide("references", title, (*_title_blocks(frame, title), body), notes))
    return slides


# --- footer ----------------------------------------------------------------------------------


def _with_footer(frame: Frame, short_title: str, slide: PlannedSlide, number: int) -> PlannedSlide:
    if slide.cover:
        return slide
    size = frame.design.size("footer")
    footer = frame.footer
    left = Box(footer.x, footer.y, footer.w * 0.8, footer.h)
    right = Box(footer.x + footer.w * 0.8, footer.y, footer.w * 0.2, footer.h)
    para, fitted = fitted_line(frame, left, short_title, size, size - 2)
    title = TextBlock(left, (para,), fitted, colour="muted", line_spacing=frame.design.line_spacing,
                      name="Footer")
    page = TextBlock(right, (Para((Span(str(number)),)),), size, colour="muted", align="right",
                     line_spacing=frame.design.line_spacing, name="Slide Number")
    line = Rule(Box(footer.x, footer.y - 3, footer.w, 0.75), "rule")
    return replace(slide, blocks=slide.blocks + (line, title, page))
