"""The title slide and the closing slide: a stack of fitted lines on the cover colour.

Each line of the stack is fitted into its own box (shrinking down to its
minimum, cut with '…' only if even that is too big), then the stack is centred
vertically, so a long title pushes the rest down instead of over it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Document, plain_text
from pipeline.render.slide_layout import INSET, FIT_GUARD, Box, Frame, PlannedSlide, Rule, TextBlock, fit_text
from pipeline.render.slide_text import Para, Span, clean, text_height
from pipeline.transforms import join_names

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


def cover_slide(document: Document, frame: Frame) -> PlannedSlide:
    """Title, subtitle, presenter with credentials, their roles, venue and date."""
    sizes = frame.design.size
    people = document.decided.people
    presenter = people[0] if people else None
    lines = [Line(document.title, sizes("cover_title"), sizes("cover_title_min"), "cover_text", "heading",
                  True, 3, "Title")]
    if document.subtitle:
        lines.append(Line(document.subtitle, 26, 18, "cover_muted", "heading", max_lines=2))
    if presenter:
        lines.append(Line(presenter.name, 24, 16, "cover_text", bold=True))
        lines += [Line(presenter.about, 18, 14, "cover_muted", max_lines=2)] if presenter.about else []
    others = join_names([p.name for p in people[1:]])
    if others:
        lines.append(Line(f"with {others}", 18, 14, "cover_muted", max_lines=2))
    if document.decided.dateline:
        lines.append(Line(document.decided.dateline, 18, 14, "cover_muted"))
    notes = "\n\n".join(clean(plain_text(p.runs)) for p in document.abstract)
    return PlannedSlide("title", document.title, _stack(frame, lines), notes, cover=True)


def closing_slide(document: Document, frame: Frame) -> PlannedSlide:
    """Thanks, an invitation to questions, and how to reach the presenter."""
    presenter = document.decided.people[0] if document.decided.people else None
    lines = [Line("Thank you", 44, 32, "cover_text", "heading", True, name="Title"),
             Line("Questions and discussion", 26, 18, "cover_muted", "heading")]
    if presenter:
        lines.append(Line(presenter.name, 22, 16, "cover_text", bold=True))
        lines += [Line(presenter.email, 18, 14, "cover_muted")] if presenter.email else []
    lines.append(Line(document.decided.title_line, 16, 12, "cover_muted", max_lines=2))
    points = [f"- {clean(plain_text(p.runs))}" for p in document.key_points]
    notes = "\n".join(["Thank the audience and invite questions."]
                      + (["Key messages to come back to in the discussion:", *points] if points else []))
    return PlannedSlide("closing", "Thank you", _stack(frame, lines), notes, cover=True)


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

