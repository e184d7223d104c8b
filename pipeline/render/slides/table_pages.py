"""Where the evidence table breaks between slides: as few slides as fit, then the most even ones.

Rows are given by height; a grouped table also puts a group row before the
first row of each group, and before the first row of a slide that goes on with
a group ("(cont.)"). A group row always travels with the row under it, so it
never ends a slide on its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sequence:
    """The table's rows in order: their heights, each one's group, and the heights of the group rows."""

    heights: tuple[float, ...]
    group: tuple[int, ...] = ()  # each row's group; () when the table is not grouped
    labels: tuple[float, ...] = ()  # each group's row
    conts: tuple[float, ...] = ()  # each group's row, with "(cont.)"

    def label_before(self, k: int, start: int) -> str:
        """"group" when row `k` starts its group, "cont" when it goes on with it at the top of a slide
        starting at `start`, else ""."""
        if not self.group:
            return ""
        if k == 0 or self.group[k] != self.group[k - 1]:
            return "group"
        return "cont" if k == start else ""

    def height(self, start: int, end: int) -> float:
        """The height rows `start` to `end` (excluded) take on a slide of their own."""
        found = 0.0
        for k in range(start, end):
            label = self.label_before(k, start)
            found += self.heights[k]
            found += self.labels[self.group[k]] if label == "group" else 0.0
            found += self.conts[self.group[k]] if label == "cont" else 0.0
        return found

    def broken(self, start: int) -> bool:
        """Whether a slide starting at row `start` starts inside a group."""
        return self.label_before(start, start) == "cont"


def best_pages(rows: Sequence, available: float) -> list[range] | None:
    """The rows on as few slides of `available` height as hold them; of those splits, the one whose fullest
    slide is least full (then the one that breaks fewest groups). None if a row cannot fit a slide.

    Greedy filling would leave three rows and one; even slides read as one table.
    """
    n = len(rows.heights)
    if n == 0:
        return [range(0, 0)]
    if any(rows.height(k, k + 1) > available for k in range(n)):
        return None
    fits = _fitting(rows, available)
    count = _fewest(n, fits)
    # best[p][b]: (fullest slide, groups broken, previous break) for rows 0..b on p slides
    best: list[dict[int, tuple[float, int, int]]] = [{0: (0.0, 0, 0)}]
    for _ in range(count):
        found: dict[int, tuple[float, int, int]] = {}
        for (a, b), h in fits.items():
            if a in best[-1]:
                full, broken, _ = best[-1][a]
                candidate = (max(full, h), broken + rows.broken(a) if a else broken, a)
                if b not in found or candidate[:2] < found[b][:2]:
                    found[b] = candidate
        best.append(found)
    pages, end = [], n
    for p in range(count, 0, -1):
        start = best[p][end][2]
        pages.append(range(start, end))
        end = start
    return pages[::-1]


def _fitting(rows: Sequence, available: float) -> dict[tuple[int, int], float]:
    """Each run of rows (start, end) that fits one slide, with its height."""
    fits = {}
    for a in range(len(rows.heights)):
        height = rows.height(a, a + 1)
        for b in range(a + 1, len(rows.heights) + 1):
            if height > available:
                break
            fits[(a, b)] = height
            if b < len(rows.heights):
                height += rows.height(b, b + 1) - (rows.conts[rows.group[b]] if rows.broken(b) else 0.0)
    return fits


def _fewest(n: int, fits: dict[tuple[int, int], float]) -> int:
    """The fewest slides rows 0..n-1 take, given which runs of rows fit one slide."""
    least = {0: 0}
    for b in range(1, n + 1):
        least[b] = min(least[a] + 1 for a in range(b) if (a, b) in fits and a in least)
    return least[n]
