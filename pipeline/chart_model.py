"""The evidence chart as data: what `pipeline.chart` computes and every renderer draws.

Plain frozen dataclasses with no imports from the rest of the package, so the
Document's `Decisions` (pipeline/model.py) can hold a chart without an import
cycle; `pipeline.chart` decides their contents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

NOT_STATED = "not stated"
AXIS_TITLE = "Number of participants"


@dataclass(frozen=True)
class Design:
    """A category of study design; `rank` 0 is the strongest."""

    key: str
    name: str  # the vocabulary's wording: "pilot or open-label study"
    rank: int
    controlled: bool  # compares with a control group: what a reader looks for first


@dataclass(frozen=True)
class Mark:
    """One study as the chart shows it."""

    row: int  # index of the row in the evidence table
    study: str  # the study as cited: "Mischoulon et al. (2021)"
    design: Design
    design_label: str  # the design as the review writes it: "Retrospective chart review"
    participants: int | None  # None: the row does not state a number
    noun: str  # what the number counts, as written: "patients"; "participants" when not said


@dataclass(frozen=True)
class Group:
    """The studies of one condition, in table order."""

    condition: str
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Axis:
    """The participant axis: `position` maps a count to 0..1 along it."""

    scale: Literal["linear", "log", "none"]  # "none": no row states a number
    low: float
    high: float
    ticks: tuple[int, ...]
    title: str = AXIS_TITLE

    def position(self, value: float) -> float:
        """Where `value` falls, from 0 (the axis start) to 1 (its end), clamped."""
        if self.scale == "none" or self.high <= self.low:
            return 0.0
        if self.scale == "log":
            where = (math.log10(max(value, self.low)) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low))
        else:
            where = (value - self.low) / (self.high - self.low)
        return min(1.0, max(0.0, where))


@dataclass(frozen=True)
class EvidenceChart:
    """The evidence as a chart, format-free; numbering ("Figure 2.") is the renderer's."""

    groups: tuple[Group, ...]
    designs: tuple[Design, ...]  # the designs present, strongest first (the legend)
    axis: Axis
    caption: str
    alt_text: str  # the figure's text alternative, from the data
    plain_heading: str  # "How much evidence is there?"
    plain_summary: str  # the same in plain words, for the lay summary and the handout
    not_stated: str = NOT_STATED

    @property
    def marks(self) -> tuple[Mark, ...]:
        return tuple(mark for group in self.groups for mark in group.marks)
