"""Where facts are read: the checked places (key points, evidence cells, lay text), the body, exact positions.

A place is one piece of inline text with its field path in the review
(`sections[3].key_points[1]`, written as `pipeline.source.where` writes
paths), the outputs that show it, and the location the loader gave it. The
loader locates a paragraph, not each word in it; `Locator` finds the exact
line and column of a number in the YAML text when it is given that text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.diagnostics import Location
from pipeline.facts.quantities import Quantity
from pipeline.model import Document, Figure, Paragraph, Runs

# Which outputs show each kind of place (names as `--only` spells them).
TOP_POINTS = ("pdf", "html", "slides", "handout")
SECTION_POINTS = ("slides",)
EVIDENCE = ("pdf", "html", "slides", "handout")
LAY_MESSAGES = ("summary", "handout")
LAY_SECTIONS = ("summary",)
BODY = ("pdf", "html")
CELLS = ("condition", "study", "design", "participants", "duration", "finding")


@dataclass(frozen=True)
class Place:
    """One piece of text a fact can stand in."""

    role: str  # body, key_point, evidence or lay
    field: str  # "lay_summary.sections[3].text"
    label: str  # how a message names it: "lay summary", "evidence row 1"
    outputs: tuple[str, ...]
    runs: Runs
    location: Location  # where the loader says the text starts
    section: str = ""  # the body section it belongs to, if any
    row: int = -1  # the evidence row (0-based), if any
    cell: str = ""  # the evidence cell, if any


def body_places(document: Document) -> list[Place]:
    """Every paragraph and figure caption of the body, in reading order."""
    found = []
    for i, section in enumerate(document.sections, 1):
        for j, block in enumerate(section.blocks, 1):
            runs = block.runs if isinstance(block, Paragraph) else block.caption
            field = f"sections[{i}].body[{j}]" + (".caption" if isinstance(block, Figure) else "")
            found.append(Place("body", field, f"section '{section.id}'", BODY, runs, block.location, section.id))
    return found


def key_point_places(document: Document) -> list[Place]:
    """The review's key points, then each section's."""
    found = [Place("key_point", f"key_points[{i}]", "key point", TOP_POINTS, p.runs, p.location)
             for i, p in enumerate(document.key_points, 1)]
    for i, section in enumerate(document.sections, 1):
        label = f"key point of section '{section.id}'"
        found += [Place("key_point", f"sections[{i}].key_points[{j}]", label, SECTION_POINTS, p.runs, p.location,
                        section.id) for j, p in enumerate(section.key_points, 1)]
    return found


def evidence_places(document: Document) -> list[Place]:
    """Every cell of every evidence row."""
    if not document.evidence:
        return []
    found = []
    for i, row in enumerate(document.evidence.studies):
        for cell in CELLS:
            runs = getattr(row, cell)
            if runs:
                found.append(Place("evidence", f"evidence.studies[{i + 1}].{cell}", f"evidence row {i + 1}", EVIDENCE,
                                   runs, row.location, row=i, cell=cell))
    return found


def lay_places(document: Document) -> list[Place]:
    """The lay summary's key messages, then the paragraphs of its sections."""
    lay = document.lay_summary
    if not lay:
        return []
    found = [Place("lay", f"lay_summary.key_messages[{i}]", "lay summary", LAY_MESSAGES, p.runs, p.location)
             for i, p in enumerate(lay.key_messages, 1)]
    for i, section in enumerate(lay.sections, 1):
        found += [Place("lay", f"lay_summary.sections[{i}].text", "lay summary", LAY_SECTIONS, p.runs, p.location)
                  for p in section.paragraphs]
    return found


class Locator:
    """Finds the line and column of a number in the review's YAML text, from where its paragraph starts.

    Folded and quoted YAML moves words between lines, so we count which
    occurrence of the number's first word it is in the paragraph's text and
    find the same occurrence in the file. Without the text, or when the
    count does not match, the paragraph's own location is the answer.
    """

    def __init__(self, text: str | None):
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)] if text else []

    def locate(self, place: Place, quantity: Quantity, place_text: str) -> Location:
        start = self._index(place.location)
        if start is None:
            return place.location
        if place.cell:  # an evidence cell: its key inside the row
            key = re.compile(rf"\b{place.cell}\s*:").search(self.text, start)
            start = key.end() if key else start
        first = re.match(r"\S+?(?=[\s\-–%/]|$)", quantity.text)
        needle = re.compile(rf"(?<![\w.]){re.escape(first.group() if first else quantity.text)}(?!\w)")
        nth = len(needle.findall(place_text, 0, quantity.start))
        window = start + 4 * len(place_text) + 400
        for n, found in enumerate(needle.finditer(self.text, start, min(window, len(self.text)))):
            if n == nth:
                return self._location(place.location.path, found.start())
        return place.location

    def _index(self, location: Location) -> int | None:
        if not self.text or location.line > len(self.line_starts):
            return None
        return self.line_starts[location.line - 1] + location.column - 1

    def _location(self, path: str, index: int) -> Location:
        line = bisect.bisect_right(self.line_starts, index)
        return Location(path, line, index - self.line_starts[line - 1] + 1)
