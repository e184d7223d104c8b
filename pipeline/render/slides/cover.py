"""The title slide and the closing slide: a stack of fitted lines on the cover colour.

Each line of the stack is fitted into its own box (shrinking down to its
minimum, cut with '…' only if even that is too big), then the stack is centred
vertically, so a long title pushes the rest down instead of over it. What the lines say
is the outline's (`outline.py`); their sizes and colours are decided here.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.render.slides.layout import INSET, FIT_GUARD, Box, Frame, PlannedSlide, Rule, TextBlock, fit_text
from pipeline.render.slides.metrics import text_height
from pipeline.render.slides.outline import OutlineSlide
from pipeline.render.slides.text import Para, Span, clean

GAP = 10.0  # points between the lines of the stack


@dataclass(frozen=True)
class Line:
    """A line of the stack: its text, sizes, font, colour and the most lines it may wrap to."""

    text: str
    largest: float
    smallest: float
    colour: str
    role: str = "body"
    bold: bool = False
    max_lines: int = 1
    name: str = "Cover text"  # "Title" makes it the slide's title placeholder


# each line of the title and closing slides, by slide and role: sizes, colour, font, weight, lines, name
LINES = {
    ("title", "subtitle"): (26, 20, "cover_muted", "heading", False, 2),
    ("title", "presenter"): (24, 20, "cover_text", "body", True, 1),
    ("title", "about"): (20, 18, "cover_muted", "body", False, 2),
    ("title", "affiliation"): (20, 18, "cover_muted", "body", False, 2),
    ("title", "others"): (20, 18, "cover_muted", "body", False, 2),
    ("title", "date"): (20, 18, "cover_muted", "body", False, 2),
    ("closing", "thanks"): (44, 32, "cover_text", "heading", True, 1, "Title"),
    ("closing", "questions"): (26, 20, "cover_muted", "heading", False, 1),
    ("closing", "presenter"): (22, 18, "cover_text", "body", True, 1),
    ("closing", "email"): (20, 18, "cover_muted", "body", False, 1),
    ("closing", "title-line"): (18, 18, "cover_muted", "body", False, 2),
    ("divider", "number"): (24, 20, "cover_muted", "heading", True, 1),
}


def fit_cover(slide: OutlineSlide, frame: Frame) -> PlannedSlide:
    """The title or closing slide of the outline: its lines fitted, stacked and centred, on the cover colour."""
    lines = [_line(slide.kind, role, text, frame) for role, text in zip(slide.labels, slide.items)]
    return PlannedSlide(slide.kind, slide.title, _stack(frame, lines), "\n\n".join(slide.notes), cover=True)


def fit_divider(slide: OutlineSlide, frame: Frame) -> PlannedSlide:
    """A section divider: the part's number and the section's title, on the cover colour."""
    sizes = frame.design.size
    lines = [Line(f"Part {slide.labels[0]}", *LINES["divider", "number"]),
             Line(slide.title, sizes("cover_title"), sizes("cover_title_min"), "cover_text", "heading", True, 3,
                  "Title")]
    return PlannedSlide("divider", slide.title, _stack(frame, lines), "\n\n".join(slide.notes), cover=True)


def _line(kind: str, role: str, text: str, frame: Frame) -> Line:
    if (kind, role) == ("title", "title"):
        sizes = frame.design.size
        return Line(text, sizes("cover_title"), sizes("cover_title_min"), "cover_text", "heading", True, 3, "Title")
    return Line(text, *LINES[kind, role])


def _stack(frame: Frame, lines: list[Line]) -> tuple:
    """The lines fitted, stacked and centred vertically, after an accent bar."""
    width = frame.right - frame.left
    fitted = [_fit(frame, line, width) for line in lines]
    total = sum(b.box.h for b in fitted) + GAP * (len(fitted) - 1) + 18
    y = max(frame.design.margins["top"], (frame.height - total) / 2)
    blocks: list = [Rule(Box(frame.left + INSET, y, 96, 4), "accent")]
    y += 18
    for block in fitted:
        blocks.append(TextBlock(Box(block.box.x, y, block.box.w, block.box.h), block.paras, block.size,
                                block.role, block.colour, line_spacing=block.line_spacing, name=block.name))
        y += block.box.h + GAP
    return tuple(blocks)


def _fit(frame: Frame, line: Line, width: float) -> TextBlock:
    """`line` in a box just tall enough for it at the size it fits."""
    style = frame.style(line.role)
    words = clean(line.text).split()
    while True:
        text = " ".join(words) + ("…" if len(words) < len(line.text.split()) else "")
        para = Para((Span(text, line.bold),))
        tallest = line.max_lines * line.largest * frame.design.line_spacing + 2 * INSET + FIT_GUARD
        box = Box(frame.left, 0, width, tallest)
        size = fit_text(frame, box, [para], line.largest, line.smallest, line.role)
        if size is not None or len(words) <= 1:
            break
        words = words[:-1]
    size = size or line.smallest
    height = text_height([para], style, size, box.inner_w, size) + 2 * INSET + FIT_GUARD
    return TextBlock(Box(frame.left, 0, width, height), (para,), size, line.role, line.colour,
                     line_spacing=frame.design.line_spacing, name=line.name)

