"""The evidence table as native table slides: columns, measured rows, split across slides.

When the table shows the condition, the slides group the studies under it, as
the chart does: a row spanning the table names the condition before its
studies (again, "(cont.)", at the top of a slide that goes on with it), and its
column's width goes to the finding. Row heights come from wrapping every cell
with the theme's font metrics, so viewers never need to grow a row; rows go on
as many slides as they need, each repeating the header.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pipeline.model import Column, EvidenceTable, Runs
from pipeline.render.slides.layout import CELL_MARGIN_X, CELL_MARGIN_Y, FIT_GUARD, Box, Frame, TableBlock
from pipeline.render.slides.metrics import line_count, longest_word
from pipeline.render.slides.outline import TableGroup
from pipeline.render.slides.table_pages import Sequence, best_pages
from pipeline.render.slides.text import Para, Span, spans_with_whole_cites, strip_spans

# viewers set a bold header word or a whole citation a little wider than measured: room so it never breaks
WORD_SLACK = 1.1
CONT = " (cont.)"
Cell = tuple[Span, ...]


@dataclass(frozen=True)
class _Rows:
    """What the slides show of the table: the header, the studies in the order shown, each one's group."""

    header: tuple[Cell, ...]
    studies: tuple[int, ...]  # indexes of the table's rows, in the order the slides show them
    cells: tuple[tuple[Cell, ...], ...]  # their cells, in that order
    group: tuple[int, ...] = ()  # each shown row's group (index into `labels`); () when not grouped
    labels: tuple[Cell, ...] = ()  # each group's condition, bold


def table_blocks(frame: Frame, table: EvidenceTable, columns: tuple[Column, ...], not_stated: str,
                 area: Box | None = None, groups: tuple[TableGroup, ...] = ()) -> list[TableBlock]:
    """The table's columns as one TableBlock per slide (in `area`, else the body), at the largest size that
    needs the fewest slides; with `groups`, each condition's studies under a row naming it."""
    frame = _Area(frame, area or frame.body)
    rows = _rows(table, columns, not_stated, groups)
    widths = column_widths(frame, columns, rows)
    sizes = _sizes(frame)
    plans = {size: _pages(frame, rows, widths, size) for size in sizes}
    if all(p is None for p in plans.values()):  # a row taller than a slide even at the smallest size
        smallest = sizes[-1]
        room = frame.body.h - _height(frame, rows.header, widths, smallest) - _label_room(frame, rows, smallest)
        rows = replace(rows, cells=tuple(_clip_row(frame, r, widths, smallest, room) for r in rows.cells))
        plans = {smallest: _pages(frame, rows, widths, smallest)}
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


def _rows(table: EvidenceTable, columns: tuple[Column, ...], not_stated: str,
          groups: tuple[TableGroup, ...]) -> _Rows:
    header = tuple((Span(c.label, bold=True),) for c in columns)
    order = tuple(i for g in groups for i in g.rows) or tuple(range(len(table.studies)))
    cells = tuple(tuple(_cell(getattr(table.studies[i], c.field), not_stated) for c in columns) for i in order)
    if not groups:
        return _Rows(header, order, cells)
    group = tuple(g for g, found in enumerate(groups) for _ in found.rows)
    return _Rows(header, order, cells, group, tuple(_label(g.condition) for g in groups))


def _sizes(frame: Frame) -> list[float]:
    largest, smallest = frame.design.size("table"), frame.design.size("table_min")
    return [largest - i for i in range(int(largest - smallest) + 1)]


def _cell(runs: Runs | None, not_stated: str) -> Cell:
    """A cell's text, each citation in it whole ("Mischoulon et al. (2021)" is one word to wrapping)."""
    return strip_spans(spans_with_whole_cites(runs)) or (Span(not_stated, italic=True),)


def _label(condition: Runs | str) -> Cell:
    """A group row's text: the condition in bold."""
    found = (Span(condition),) if isinstance(condition, str) else strip_spans(spans_with_whole_cites(condition))
    return tuple(replace(s, bold=True) for s in found)


# --- widths --------------------------------------------------------------------------------


def column_widths(frame: Frame, columns: tuple[Column, ...], rows: _Rows) -> list[float]:
    """Widths that make the rows least tall, the finding's column the widest but for a long citation's.

    Each column but the finding takes the least width that keeps every one of its cells within some number
    of lines, and the finding takes the rest: of the line counts whose widths fit, the one with the shortest
    table. No column is narrower than its longest word or whole citation.
    """
    size = frame.design.size("table")
    cells = [[rows.header[i], *(r[i] for r in rows.cells)] for i in range(len(columns))]
    least = [_longest(frame, c, size) * WORD_SLACK + 2 * CELL_MARGIN_X + 2 for c in cells]
    rest = _rest_column(frame, columns, cells)
    total = frame.body.w
    choices = []
    for lines in range(1, 1 + max(_lines(frame, c, least[i], size) for i, c in enumerate(cells))):
        widths = [_needed(frame, c, lines, least[i], size) if i != rest else 0.0 for i, c in enumerate(cells)]
        widths[rest] = total - sum(widths)
        if widths[rest] >= least[rest]:
            choices.append(_rounded(widths, rest))
    if not choices:  # too narrow for its words at any line count: every column its least, shared to fit
        return _rounded([w * total / sum(least) for w in least], rest)
    # the finding at least as wide as any column that is wider than its longest word or citation needs
    widest = [w for w in choices if all(w[rest] >= x for x, floor in zip(w, least) if x > floor + 0.5)] or choices
    return min(widest, key=lambda w: (_table_height(frame, rows, w, size), -w[rest]))


def _rest_column(frame: Frame, columns: tuple[Column, ...], cells: list[list[Cell]]) -> int:
    """The column that takes what the others leave: the finding, else the one with the most text."""
    fields = [c.field for c in columns]
    if "finding" in fields:
        return fields.index("finding")
    family = frame.design.body.family
    return max(range(len(cells)), key=lambda i: sum(family.width(Para(c).text, 1) for c in cells[i]))


def _needed(frame: Frame, cells: list[Cell], lines: int, least: float, size: float) -> float:
    """The least width (to a half point, never under `least`) at which each of `cells` takes at most `lines`."""
    family = frame.design.body.family
    low, high = least, max(least, max(_one_line(family, c, size) for c in cells))
    if _lines(frame, cells, low, size) <= lines:
        return low
    while high - low > 0.5:
        middle = (low + high) / 2
        low, high = (low, middle) if _lines(frame, cells, middle, size) <= lines else (middle, high)
    return high


def _one_line(family, cell: Cell, size: float) -> float:
    return sum(family.width(s.text, size, s.bold, s.italic) for s in cell) + 2 * CELL_MARGIN_X + 2


def _lines(frame: Frame, cells: list[Cell], width: float, size: float) -> int:
    family = frame.design.body.family
    return max(line_count(Para(c), family, size, width - 2 * CELL_MARGIN_X) for c in cells)


def _rounded(widths: list[float], rest: int) -> list[float]:
    """Widths to a tenth of a point (up, so a measured width never shrinks), `rest` taking the remainder."""
    total = sum(widths)
    found = [-(-round(w * 100) // 10) / 10 for w in widths]
    found[rest] = round(found[rest] + total - sum(found), 1)
    return found


def _longest(frame: Frame, cells: list[Cell], size: float) -> float:
    """The width of the widest unbreakable word of `cells` at `size`, in its own style."""
    return max((longest_word(Para(c), frame.design.body.family, size) for c in cells), default=0.0)


def _table_height(frame: Frame, rows: _Rows, widths: list[float], size: float) -> float:
    return sum(_height(frame, r, widths, size) for r in (rows.header, *rows.cells))


# --- heights and pages ---------------------------------------------------------------------


def _height(frame: Frame, cells: tuple[Cell, ...], widths: list[float], size: float) -> float:
    """A row's height: its tallest cell's lines and the cell margins (a group row: one cell, all widths)."""
    family = frame.design.body.family
    widths = [sum(widths)] if len(cells) == 1 < len(widths) else widths
    lines = max(line_count(Para(c), family, size, w - 2 * CELL_MARGIN_X) for c, w in zip(cells, widths))
    return round(lines * size * frame.design.line_spacing + 2 * CELL_MARGIN_Y + FIT_GUARD, 1)


def _label_room(frame: Frame, rows: _Rows, size: float) -> float:
    """The tallest group row a slide may need above a row, "(cont.)" included (0 when not grouped)."""
    return max((_height(frame, (_cont(label),), [frame.body.w], size) for label in rows.labels), default=0.0)


def _cont(label: Cell) -> Cell:
    return (*label, Span(CONT, bold=True))


def _clip_row(frame: Frame, row: tuple, widths: list[float], size: float, room: float) -> tuple:
    """The row with its longest cells cut short (ending in '…') until it fits `room`."""
    cells = list(row)
    while _height(frame, tuple(cells), widths, size) > room:
        family = frame.design.body.family
        lines = [line_count(Para(c), family, size, w - 2 * CELL_MARGIN_X) for c, w in zip(cells, widths)]
        i = lines.index(max(lines))
        words = "".join(s.text for s in cells[i]).rstrip("…").split(" ")
        cells[i] = (Span(" ".join(words[:-1]) + "…"),)
    return tuple(cells)


def _pages(frame: Frame, rows: _Rows, widths: list[float], size: float) -> list[TableBlock] | None:
    """The rows on pages at `size`; None if a single row cannot fit a slide at that size."""
    head = _height(frame, rows.header, widths, size)
    heights = [_height(frame, r, widths, size) for r in rows.cells]
    group = rows.group
    labels = [_height(frame, (label,), widths, size) for label in rows.labels]
    conts = [_height(frame, (_cont(label),), widths, size) for label in rows.labels]
    sequence = Sequence(tuple(heights), group, tuple(labels), tuple(conts))
    pages = best_pages(sequence, frame.body.h - head)
    if pages is None:
        return None
    return [_block(frame, rows, widths, size, head, sequence, page) for page in pages]


def _block(frame: Frame, rows: _Rows, widths: list[float], size: float, head: float, sequence: Sequence,
           page: range) -> TableBlock:
    """One slide's table: the header, then each row of `page` after its group's row where a group starts."""
    cells, heights, group_rows = [rows.header], [head], []
    for k in page:
        label = sequence.label_before(k, page.start)
        if label:
            g = rows.group[k]
            group_rows.append(len(cells))
            cells.append((_cont(rows.labels[g]),) if label == "cont" else (rows.labels[g],))
            heights.append(sequence.conts[g] if label == "cont" else sequence.labels[g])
        cells.append(rows.cells[k])
        heights.append(sequence.heights[k])
    box = Box(frame.body.x, frame.body.y, frame.body.w, sum(heights))
    return TableBlock(box, tuple(widths), tuple(cells), tuple(heights), size, frame.design.line_spacing,
                      tuple(rows.studies[k] for k in page), tuple(group_rows))
