"""The evidence table as native table slides: columns, measured rows, split across slides.

Row heights come from wrapping every cell with the theme's font metrics, so
viewers never need to grow a row; rows go on as many slides as they need, each
repeating the header.
"""

from __future__ import annotations

import math

from pipeline.model import Column, EvidenceTable, Runs
from pipeline.render.slides.layout import (CELL_MARGIN_X, CELL_MARGIN_Y, FIT_GUARD, Box, Frame, TableBlock,
                                          even_chunks, fill_pages)
from pipeline.render.slides.metrics import line_count, longest_word
from pipeline.render.slides.text import Para, Span, spans_with_whole_cites, strip_spans

# viewers set a bold header word or a whole citation a little wider than measured: room so it never breaks
WORD_SLACK = 1.1

# relative width of each column, by the Study field it shows: the finding needs the most room
WEIGHTS = {"condition": 1.1, "study": 1.35, "design": 1.35, "participants": 1.15, "duration": 0.95, "finding": 2.4}


def table_blocks(frame: Frame, table: EvidenceTable, columns: tuple[Column, ...],
                 not_stated: str, area: Box | None = None) -> list[TableBlock]:
    """The table's decided columns as one TableBlock per slide (in `area`, else the body), at the largest size
    that needs the fewest slides."""
    frame = _Area(frame, area or frame.body)
    header = tuple((Span(c.label, bold=True),) for c in columns)
    rows = [tuple(_cell(getattr(s, c.field), not_stated) for c in columns) for s in table.studies]
    widths = _best_widths(frame, [WEIGHTS.get(c.field, 1.0) for c in columns], header, rows)
    sizes = _sizes(frame)
    plans = {size: _pages(frame, header, rows, widths, size) for size in sizes}
    if all(p is None for p in plans.values()):  # a row taller than a slide even at the smallest size
        smallest = sizes[-1]
        room = frame.body.h - _row_height(frame, header, widths, smallest)
        rows = [_clip_row(frame, r, widths, smallest, room) for r in rows]
        plans = {smallest: _pages(frame, header, rows, widths, smallest)}
        sizes = [smallest]
    fewest = min(len(p) for p in plans.values() if p is not None)
    size = next(s for s in sizes if plans[s] is not None and len(plans[s]) == fewest)
    return plans[size]


class _Area:
    """The frame with `body` standing for the area the table may take."""

    def __init__(self, frame: Frame, body: Box):
        self._frame, self.body = frame, body

    def __getattr__(self, name: str):
        return getattr(self._frame, name)


def _sizes(frame: Frame) -> list[float]:
    largest, smallest = frame.design.size("table"), frame.design.size("table_min")
    return [largest - i for i in range(int(largest - smallest) + 1)]


def _cell(runs: Runs | None, not_stated: str) -> tuple[Span, ...]:
    """A cell's text, each citation in it whole ("Mischoulon et al. (2021)" is one word to wrapping)."""
    return strip_spans(spans_with_whole_cites(runs)) or (Span(not_stated, italic=True),)


def _widths(total: float, weights: list[float]) -> list[float]:
    widths = [round(total * w / sum(weights), 1) for w in weights]
    widths[-1] = round(total - sum(widths[:-1]), 1)
    return widths


def _best_widths(frame: Frame, weights: list[float], header: tuple, rows: list[tuple]) -> list[float]:
    """Column widths from fixed weights or from how much text each column holds: whichever is shorter."""
    size = frame.design.size("table")
    choices = [_widths(frame.body.w, weights), _widths(frame.body.w, _content_weights(frame, header, rows))]
    least = _least_widths(frame, header, rows, size)
    choices = [_widened(w, least) for w in choices]
    return min(choices, key=lambda w: sum(_row_height(frame, r, w, size) for r in (header, *rows)))


def _least_widths(frame: Frame, header: tuple, rows: list[tuple], size: float) -> list[float]:
    """Each column's longest word or whole citation (the header's in bold) and the cell margins, with room.

    No word and no citation is broken mid-way: a viewer breaks inside a word that does not fit its column.
    """
    return [_longest(frame, [header[i], *(row[i] for row in rows)], size) * WORD_SLACK + 2 * CELL_MARGIN_X + 2
            for i in range(len(header))]


def _longest(frame: Frame, cells: list[tuple[Span, ...]], size: float) -> float:
    """The width of the widest unbreakable word of `cells` at `size`, in its own style."""
    return max((longest_word(Para(c), frame.design.body.family, size) for c in cells), default=0.0)


def _widened(widths: list[float], least: list[float]) -> list[float]:
    """`widths` with each column at least its `least`; the other columns share what is left as they shared it.

    Taking the room from the widest column alone left the finding, the column with the most text,
    the narrowest on the slide once the study column had room for its longest citation.
    """
    total, fixed = sum(widths), {}
    while True:
        free = [i for i in range(len(widths)) if i not in fixed]
        scale = (total - sum(fixed.values())) / sum(widths[i] for i in free)
        short = {i: least[i] for i in free if widths[i] * scale < least[i]}
        if not short or len(short) == len(free):  # all short: the table is too narrow for its words
            break
        fixed |= short
    found = [fixed.get(i, widths[i] * scale) for i in range(len(widths))]
    found = [math.ceil(w * 10) / 10 if i in fixed else round(w, 1) for i, w in enumerate(found)]
    widest = max(free, key=lambda i: found[i])  # rounding's remainder goes where a point matters least
    found[widest] = round(found[widest] + total - sum(found), 1)
    return found


def _content_weights(frame: Frame, header: tuple, rows: list[tuple]) -> list[float]:
    """Each column's average text width, but never less than its longest word needs."""
    family = frame.design.body.family
    weights = []
    for i in range(len(header)):
        texts = ["".join(s.text for s in row[i]) for row in rows]
        average = sum(family.width(t, 1) for t in texts) / len(texts)
        weights.append(max(average, 2.2 * _longest(frame, [header[i], *(row[i] for row in rows)], 1)))
    return weights


def _row_height(frame: Frame, cells: tuple[tuple[Span, ...], ...], widths: list[float], size: float) -> float:
    family = frame.design.body.family
    lines = max(line_count(Para(c), family, size, w - 2 * CELL_MARGIN_X) for c, w in zip(cells, widths))
    return round(lines * size * frame.design.line_spacing + 2 * CELL_MARGIN_Y + FIT_GUARD, 1)


def _clip_row(frame: Frame, row: tuple, widths: list[float], size: float, room: float) -> tuple:
    """The row with its longest cells cut short (ending in '…') until it fits `room`."""
    cells = list(row)
    while _row_height(frame, tuple(cells), widths, size) > room:
        family = frame.design.body.family
        lines = [line_count(Para(c), family, size, w - 2 * CELL_MARGIN_X) for c, w in zip(cells, widths)]
        i = lines.index(max(lines))
        words = "".join(s.text for s in cells[i]).rstrip("…").split(" ")
        cells[i] = (Span(" ".join(words[:-1]) + "…"),)
    return tuple(cells)


def _pages(frame: Frame, header: tuple, rows: list[tuple], widths: list[float],
           size: float) -> list[TableBlock] | None:
    """The rows on pages at `size`; None if a single row cannot fit a slide at that size."""
    head_h = _row_height(frame, header, widths, size)
    heights = [_row_height(frame, r, widths, size) for r in rows]
    available = frame.body.h - head_h
    if max(heights) > available:
        return None
    blocks = []
    for page in _even_pages(heights, available):
        page_heights = (head_h, *(heights[i] for i in page))
        box = Box(frame.body.x, frame.body.y, frame.body.w, sum(page_heights))
        blocks.append(TableBlock(box, tuple(widths), (header, *(rows[i] for i in page)), page_heights,
                                 size, frame.design.line_spacing, tuple(page)))
    return blocks


def _even_pages(heights: list[float], available: float) -> list[list[int]]:
    """As few pages as greedy packing needs, with their rows shared out evenly when they still fit.

    3 rows and 1 would strand a row on a slide of its own; 2 and 2 read as one table.
    """
    pages = fill_pages(heights, available)
    rows = list(range(len(heights)))
    even = even_chunks(rows, len(pages))
    fits = all(sum(heights[i] for i in page) <= available for page in even)
    return even if fits else pages
