"""The outline fitted to a frame: planned slides with every box, size and line measured.

Each outline slide becomes as many slides as its content needs at the sizes
the design allows: bullets and references continue over "(cont.)" slides,
the evidence table repeats its header on each, a tall chart is split between
groups, a figure is scaled into the body with its caption below. Every slide
but the title carries a footer, and all of them carry speaker notes.
"""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path

from PIL import Image

from pipeline.model import Document
from pipeline.render.slides.chart import Box as ChartBox
from pipeline.render.slides.chart import ChartBlock, chart_height, split_for_slides
from pipeline.render.slides.cover import fit_cover, fit_divider
from pipeline.render.slides.foot import body_above_foot, foot_line, sources_note
from pipeline.render.slides.layout import (INSET, Box, Frame, PictureBlock, PlannedSlide, Rule, TextBlock,
                                          even_chunks, fit_text, fitted_line, paginate)
from pipeline.render.slides.metrics import fitting_size, text_height
from pipeline.render.slides.outline import (CAPTION_CHARS, OutlineSlide, TalkOutline, bullet, clean_notes, outline,
                                            reference_notes, reference_para)
from pipeline.render.slides.table import table_blocks
from pipeline.render.slides.text import Para, Span, cap_spans, clean, spans, strip_spans

BULLET_INDENT = 0.9  # bullet text indent, in ems of the design body size
SPACE_RATIO = 0.45  # space before a bullet, as a fraction of the size
CONT = " (cont.)"
OPTICAL = 0.4  # short content sits this far down the free space of the body: balanced, a little above centre
VIEWABLE = {"PNG", "JPEG", "GIF"}


def plan(document: Document, frame: Frame) -> list[PlannedSlide]:
    """Every slide of `document`'s talk fitted to `frame`."""
    return fit(outline(document), frame)


def fit(talk: TalkOutline, frame: Frame) -> list[PlannedSlide]:
    """Every slide of the outline fitted to `frame`, in order, with footers and slide numbers."""
    slides = [planned for slide in _with_dividers(talk, frame) for planned in _fit_slide(slide, frame, talk)]
    return [_with_footer(frame, talk.short_title, s, i + 1) for i, s in enumerate(slides)]


def _with_dividers(talk: TalkOutline, frame: Frame) -> list[OutlineSlide]:
    """The outline's slides, with a divider before each section's first slide if the design asks for them."""
    if not frame.design.section_dividers:
        return list(talk.slides)
    slides, seen = [], set()
    for slide in talk.slides:
        if slide.kind in ("section", "figure") and slide.section not in seen:
            seen.add(slide.section)
            slides.append(replace(slide, kind="divider", items=(slide.title,), labels=(str(len(seen)),),
                                  notes=(f"Part {len(seen)}: {slide.title}.",), item_sources=()))
        slides.append(slide)
    return slides


def _fit_slide(slide: OutlineSlide, frame: Frame, talk: TalkOutline) -> list[PlannedSlide]:
    if slide.kind in ("title", "closing"):
        return [fit_cover(slide, frame)]
    if slide.kind == "divider":
        return [fit_divider(slide, frame)]
    if slide.kind == "outline":
        return outline_slides(frame, slide)
    if slide.kind in ("section", "take-home"):
        return bullet_slides(frame, slide.title, [bullet(i) for i in slide.items], list(slide.notes), slide.kind,
                             [talk.source_texts(k) for k in slide.item_sources] or None)
    if slide.kind == "figure":
        return [figure_slide(frame, slide)]
    if slide.kind == "evidence":
        return _evidence_slides(frame, slide, talk)
    if slide.kind == "chart":
        return chart_slides(frame, slide, talk)
    if slide.kind == "references":
        return reference_slides(frame, slide)
    raise ValueError(f"unknown kind of slide: {slide.kind!r}")


# --- bullets ---------------------------------------------------------------------------------


def bullet_slides(frame: Frame, title: str, points: list[Para], notes: list[str], kind: str,
                  sources: list[tuple[str, ...]] | None = None) -> list[PlannedSlide]:
    """Bulleted slides, each with a foot line naming its bullets' sources; the notes are shared out in order."""
    design = frame.design
    largest, smallest = design.size("body"), design.size("body_min")
    indent = BULLET_INDENT * largest  # the same at every size, so what was measured is what is drawn
    points = [replace(p, indent=indent) for p in points]
    cited = bool(sources and any(sources))
    area = body_above_foot(frame) if cited else frame.body
    chunks, size = paginate(frame, area, points, largest, smallest, design.max_bullets, SPACE_RATIO * largest)
    owners = _owners(points, chunks)
    shares = even_chunks(notes, len(chunks))  # the section's prose, shared out in order
    slides = []
    for i, chunk in enumerate(chunks):
        heading = title + (CONT if i else "")
        texts = tuple(dict.fromkeys(t for j in owners[i] for t in sources[j])) if cited else ()
        body = balanced(frame, TextBlock(area, tuple(chunk), size, space_before=SPACE_RATIO * size,
                                         line_spacing=design.line_spacing, name="Body"))
        note = "\n\n".join(shares[i]) or "\n".join(p.text for p in chunk)
        note = "\n\n".join(n for n in (note, sources_note(texts)) if n)
        foot = foot_line(frame, texts)
        blocks = (*_title_blocks(frame, heading), body, *((foot,) if foot else ()))
        slides.append(PlannedSlide(kind, heading, blocks, note))
    return slides


def _owners(points: list[Para], chunks: list[list[Para]]) -> list[list[int]]:
    """Which items (by index) each chunk's paragraphs come from; the pieces of a split item are its own."""
    index = {id(p): i for i, p in enumerate(points)}
    owners, last, piece = [], -1, False
    for chunk in chunks:
        found = []
        for para in chunk:
            known = index.get(id(para))
            last = known if known is not None else (last if piece else last + 1)
            piece = known is None
            found.append(last)
        owners.append(list(dict.fromkeys(found)))
    return owners


def balanced(frame: Frame, block: TextBlock) -> TextBlock:
    """The block's box shrunk to its text and placed a little above the middle of the space it had."""
    style = frame.style(block.role, block.space_before)
    measured = text_height(list(block.paras), style, block.size, block.box.inner_w, block.size)
    height = math.ceil(measured + block.box.h - block.box.inner_h) + 1.0  # whole points, never a hair short
    if height >= block.box.h:
        return block
    top = block.box.y + OPTICAL * (block.box.h - height)
    return replace(block, box=Box(block.box.x, top, block.box.w, height))


def outline_slides(frame: Frame, slide: OutlineSlide) -> list[PlannedSlide]:
    """The talk's outline on one slide: in two columns when it has more sections than a column holds well."""
    design = frame.design
    points = [bullet(i) for i in slide.items]
    if len(points) <= design.max_bullets:
        return bullet_slides(frame, slide.title, points, list(slide.notes), "outline")
    largest, smallest = design.size("body"), design.size("body_min")
    points = [replace(p, indent=BULLET_INDENT * largest) for p in points]
    half = (len(points) + 1) // 2
    gap = 24.0
    width = (frame.body.w - gap) / 2
    boxes = [Box(frame.body.x, frame.body.y, width, frame.body.h),
             Box(frame.body.x + width + gap, frame.body.y, width, frame.body.h)]
    columns = [points[:half], points[half:]]
    style = frame.style("body", SPACE_RATIO * largest)
    sizes = [fitting_size(c, style, b.inner_w, b.inner_h, largest, smallest) for c, b in zip(columns, boxes)]
    if any(s is None for s in sizes):  # too long even in two columns: continue over slides instead
        return bullet_slides(frame, slide.title, points, list(slide.notes), "outline")
    size = min(sizes)
    blocks = [TextBlock(b, tuple(c), size, space_before=SPACE_RATIO * size, line_spacing=design.line_spacing,
                        name="Body") for b, c in zip(boxes, columns)]
    tallest = max(balanced(frame, b).box.h for b in blocks)
    top = frame.body.y + OPTICAL * (frame.body.h - tallest)
    blocks = [replace(b, box=Box(b.box.x, top, b.box.w, tallest)) for b in blocks]
    return [PlannedSlide("outline", slide.title, (*_title_blocks(frame, slide.title), *blocks),
                         "\n\n".join(slide.notes))]


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


def _evidence_slides(frame: Frame, slide: OutlineSlide, talk: TalkOutline) -> list[PlannedSlide]:
    """The table over as many slides as its rows need; each slide's notes: the caption, then its studies."""
    area = body_above_foot(frame)
    blocks = table_blocks(frame, slide.table, slide.columns, slide.not_stated, area, slide.groups)
    caption, studies = slide.notes[0], slide.notes[1:]
    slides = []
    for i, block in enumerate(blocks):
        title = slide.title + (CONT if i else "")
        texts = talk.source_texts(tuple(k for j in block.items for k in slide.item_sources[j]))
        notes = clean_notes("\n".join([caption, *(studies[j] for j in block.items), sources_note(texts)]))
        top = area.y + OPTICAL * max(0.0, area.h - block.box.h)
        block = replace(block, box=Box(block.box.x, top, block.box.w, block.box.h))
        foot = foot_line(frame, texts)
        slides.append(PlannedSlide("evidence", title, (*_title_blocks(frame, title), block,
                                                       *((foot,) if foot else ())), notes.strip()))
    return slides


def chart_slides(frame: Frame, slide: OutlineSlide, talk: TalkOutline) -> list[PlannedSlide]:
    """The evidence chart: split over slides when tall, each part centred in the body, its sources at the foot."""
    texts = talk.source_texts(slide.sources)
    body = body_above_foot(frame) if texts else frame.body
    parts = split_for_slides(slide.chart, body.h)
    notes = "\n\n".join(n for n in (*slide.notes, sources_note(texts)) if n)
    foot = foot_line(frame, texts)
    slides = []
    for i, part in enumerate(parts):
        title = slide.title + (CONT if i else "")
        top = body.y + max(0.0, (body.h - chart_height(part)) / 2)
        block = ChartBlock(ChartBox(body.x, top, body.w, body.h - (top - body.y)), part)
        slides.append(PlannedSlide("chart", title, (*_title_blocks(frame, title), block, *((foot,) if foot else ())),
                                   notes))
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
        body = balanced(frame, TextBlock(frame.body, tuple(chunk), size, space_before=0.4 * size,
                                         line_spacing=design.line_spacing, name="References"))
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
    para, fitted = fitted_line(frame, left, short_title, size, size)  # cut with '…' rather than set smaller
    title = TextBlock(left, (para,), fitted, colour="muted", line_spacing=frame.design.line_spacing,
                      name="Footer")
    page = TextBlock(right, (Para((Span(str(number)),)),), size, colour="muted", align="right",
                     line_spacing=frame.design.line_spacing, name="Slide Number")
    line = Rule(Box(footer.x, footer.y - 3, footer.w, 0.75), "rule")
    return replace(slide, blocks=slide.blocks + (line, title, page))
