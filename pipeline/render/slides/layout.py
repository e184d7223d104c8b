"""What a slide is made of once laid out, and the fitting that lays it out.

A planned slide is plain data: text blocks with their box, paragraphs and the
size they were measured to fit at; a table with its measured rows; a picture
in its box. `slides.py` draws it as it is, so everything that decides whether
text fits happens here, against the theme's font metrics.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from pipeline.render.slides.design import SlideDesign
from pipeline.render.slides.metrics import TextStyle, fitting_size, split_para, text_height
from pipeline.render.slides.text import Para, Span, clean

INSET = 4.0  # points of padding inside every text box, on each side
CELL_MARGIN_X, CELL_MARGIN_Y = 5.0, 3.0
FIT_GUARD = 2.0  # points of height every box keeps free beyond the measured text


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in points from the top-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def inner_w(self) -> float:
        return self.w - 2 * INSET

    @property
    def inner_h(self) -> float:
        return self.h - 2 * INSET - FIT_GUARD


@dataclass(frozen=True)
class TextBlock:
    """A text box: paragraphs set at `size`, measured to fit inside `box`."""

    box: Box
    paras: tuple[Para, ...]
    size: float
    role: str = "body"  # "heading" or "body": which font of the design
    colour: str = "text"
    align: str = "left"
    space_before: float = 0.0
    line_spacing: float = 1.25
    name: str = "Text"
    anchor: str = "top"  # "top" or "bottom": where the text sits when it is shorter than the box


@dataclass(frozen=True)
class TableBlock:
    """A native table: a header row and body rows of styled cells, with measured row heights."""

    box: Box
    columns: tuple[float, ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]
    heights: tuple[float, ...]
    size: float
    line_spacing: float
    items: tuple[int, ...] = ()  # which studies (rows of the source table) the body rows are
    groups: tuple[int, ...] = ()  # which of `rows` are group rows: one cell, spanning the table


@dataclass(frozen=True)
class PictureBlock:
    """An image scaled into `box` with its aspect ratio kept; `alt` describes it."""

    box: Box
    image: bytes  # PNG, JPEG or GIF: formats every viewer shows
    alt: str


@dataclass(frozen=True)
class Rule:
    """A filled rectangle used as decoration (accent bar, footer line, cover band)."""

    box: Box
    colour: str


Block = TextBlock | TableBlock | PictureBlock | Rule


@dataclass(frozen=True)
class PlannedSlide:
    """One slide: its kind (for tests and notes), blocks in drawing order and speaker notes."""

    kind: str
    title: str
    blocks: tuple[Block, ...]
    notes: str
    cover: bool = False


class Frame:
    """The regions of a content slide, from the slide size and the design's margins."""

    FOOTER_H = 26.0
    TITLE_H = 92.0

    def __init__(self, design: SlideDesign, width: float, height: float):
        m = design.margins
        self.design, self.width, self.height = design, width, height
        self.left, self.right = m["left"], width - m["right"]
        self.title = Box(self.left, m["top"], self.right - self.left, self.TITLE_H)
        self.rule = Box(self.left + INSET, m["top"] + self.TITLE_H + 4, 72, 3)
        self.footer = Box(self.left, height - m["bottom"] - self.FOOTER_H, self.right - self.left, self.FOOTER_H)
        body_top = self.rule.y + 16
        self.body = Box(self.left, body_top, self.right - self.left, self.footer.y - 8 - body_top)

    def style(self, role: str, space_before: float = 0.0) -> TextStyle:
        font = self.design.heading if role == "heading" else self.design.body
        return TextStyle(font.family, self.design.line_spacing, space_before)


def fit_text(frame: Frame, box: Box, paras: list[Para], largest: float, smallest: float,
             role: str = "body", space_before: float = 0.0) -> float | None:
    """The size at which `paras` fit `box` (the largest from `largest` down to `smallest`)."""
    style = frame.style(role, space_before)
    return fitting_size(paras, style, box.inner_w, box.inner_h, largest, smallest)


def fitted_line(frame: Frame, box: Box, text: str, largest: float, smallest: float,
                role: str = "body", bold: bool = False) -> tuple[Para, float]:
    """One paragraph fitted into `box`, its words cut (ending in '…') if even `smallest` is too big.

    Fitting is monotone in the words kept, so the most that still fit are searched, not tried one by one.
    """
    words = clean(text).split()
    para = _cut_line(words, len(words), bold)
    size = fit_text(frame, box, [para], largest, smallest, role)
    if size is not None or len(words) <= 1:
        return para, size or smallest
    keep = _most_words(lambda n: fit_text(frame, box, [_cut_line(words, n, bold)], largest, smallest, role)
                       is not None, len(words) - 1)
    para = _cut_line(words, keep, bold)
    return para, fit_text(frame, box, [para], largest, smallest, role) or smallest


def _most_words(fits: Callable[[int], bool], most: int) -> int:
    """The largest n in 1..`most` for which `fits(n)` (1 if none): doubling, then bisection.

    Probes cost what they keep, so a title of 10,000 words that shows 20 costs about 20 words' work.
    """
    low, high = 0, 1  # fits(low) holds (0 trivially); fits(high) is not known yet
    while high <= most and fits(high):
        low, high = high, 2 * high
    high = min(high, most + 1)  # from here fits(high) fails, or high is past `most`
    while low < high - 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return max(low, 1)


def _cut_line(words: list[str], keep: int, bold: bool) -> Para:
    """The first `keep` of `words` as one paragraph, with '…' if any were left out."""
    return Para((Span(" ".join(words[:keep]) + ("…" if keep < len(words) else ""), bold),))


def paginate(frame: Frame, box: Box, paras: list[Para], largest: float, smallest: float,
             max_items: int, space_before: float) -> tuple[list[list[Para]], float]:
    """`paras` in as few even chunks (of at most `max_items`) as fit `box`; and the size they share.

    Never shrinks below `smallest`: a list that does not fit goes on over more
    slides instead. A single paragraph too long for a whole box is cut first.
    """
    if not paras:
        return [[]], largest
    style = frame.style("body", space_before)
    paras = [piece for p in paras for piece in _fitting_pieces(p, style, box, smallest)]
    for count in range(math.ceil(len(paras) / max_items), len(paras) + 1):
        chunks = even_chunks(paras, count)
        sizes = [fitting_size(c, style, box.inner_w, box.inner_h, largest, smallest) for c in chunks]
        if all(s is not None for s in sizes):
            return chunks, min(sizes)
    return [[p] for p in paras], smallest  # unreachable: every piece fits alone


def _fitting_pieces(para: Para, style: TextStyle, box: Box, smallest: float) -> list[Para]:
    if text_height([para], style, smallest, box.inner_w, smallest) <= box.inner_h:
        return [para]
    return split_para(para, style, smallest, box.inner_w, box.inner_h)


def even_chunks(items: list, count: int) -> list[list]:
    """`items` in `count` contiguous chunks whose lengths differ by at most one."""
    size, extra = divmod(len(items), count)
    chunks, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        chunks.append(items[start:end])
        start = end
    return chunks
