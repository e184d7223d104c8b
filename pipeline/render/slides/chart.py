"""The evidence chart on a slide, as native PowerPoint shapes in one group.

Native shapes, not a chart part: a PowerPoint bar or scatter chart has no way
to say "not stated" (a missing value is drawn as nothing or as zero), cannot
put condition headings between its rows, and would need one series per
design to show the design's marker. Shapes keep every element editable
(ungroup in PowerPoint), draw the same marker per design as the SVG
(`chart_svg.SHAPES`) and a patterned "not stated" band, and carry their text as
real text. All of it is 18 pt, the column heads, axis numbers and key too
(the deck's rule: nothing under 18 pt but captions at the foot, never under 12).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE, MSO_PATTERN
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Pt

from pipeline.chart import EvidenceChart, Group, Mark
from pipeline.render.chart_svg import fit
from pipeline.render.slides.design import SlideDesign

TEXT, SMALL = 18.0, 18.0  # no slide text under 18 pt: the chart is read from the back of the room too
ROW, HEAD, AXIS = 27.0, 27.0, 28.0  # points
MARKER, ICON = 7.0, 6.0
_SHAPE = {"rct": MSO_SHAPE.OVAL, "controlled": MSO_SHAPE.RECTANGLE, "cohort": MSO_SHAPE.DIAMOND,
          "pilot": MSO_SHAPE.ISOSCELES_TRIANGLE, "chart_review": MSO_SHAPE.FLOWCHART_MERGE,
          "case_series": MSO_SHAPE.CROSS, "case_report": MSO_SHAPE.OVAL, "other": MSO_SHAPE.STAR_5_POINT}


class Box(NamedTuple):
    """Where the chart goes on the slide, in points."""

    left: float
    top: float
    width: float
    height: float


@dataclass(frozen=True)
class ChartBlock:
    """A planned slide's chart (or one part of a split chart), drawn by `add_evidence_chart` into `box`."""

    box: Box
    chart: EvidenceChart


def chart_height(chart: EvidenceChart) -> float:
    """The height the chart takes, in points: what a slide planner checks against its frame."""
    rows = sum(1 + len(g.marks) for g in chart.groups)
    return HEAD + rows * ROW + AXIS + 6


def split_for_slides(chart: EvidenceChart, height: float) -> list[EvidenceChart]:
    """The chart cut between groups (a long group between rows) into parts that fit `height`; one axis."""
    parts: list[list[Group]] = [[]]
    for group in chart.groups:
        for piece in _pieces(group, height):
            candidate = dataclasses.replace(chart, groups=tuple(parts[-1] + [piece]))
            if parts[-1] and chart_height(candidate) > height:
                parts.append([])
            parts[-1].append(piece)
    return [dataclasses.replace(chart, groups=tuple(groups)) for groups in parts]


def _pieces(group: Group, height: float) -> list[Group]:
    most = max(1, int((height - HEAD - AXIS - 6) // ROW) - 1)
    marks = group.marks
    return [Group(group.condition, marks[i:i + most]) for i in range(0, len(marks), most)]


def add_evidence_chart(slide, chart: EvidenceChart, box: Box, design: SlideDesign):
    """Draw `chart` into `box` on `slide` as one group of native shapes; returns the group shape.

    Drawn on the slide, then grouped once: a group recalculates its extents after every shape added to it.
    """
    before = len(slide.shapes)
    _Drawing(slide.shapes, chart, Box(*box), design).draw()
    group = slide.shapes.add_group_shape(list(slide.shapes)[before:])
    group.name = "Evidence chart"
    return group


def _plain(shape) -> None:
    """Drop the theme style python-pptx gives new shapes (its shadow and effects): colours are set explicitly."""
    style = shape._element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}style")
    if style is not None:
        shape._element.remove(style)


class _Drawing:
    def __init__(self, shapes, chart: EvidenceChart, box: Box, design: SlideDesign):
        self.shapes, self.chart, self.box, self.design = shapes, chart, box, design
        self.font = design.body.family
        marks = chart.marks
        self.study_w = min(max(self.font.width(m.study, TEXT) for m in marks), box.width * 0.30)
        self.design_w = min(max(self.font.width(m.design_label, TEXT) for m in marks) + 2 * ICON + 8,
                            box.width * 0.30)
        self.study_x = box.left + 14
        self.design_x = self.study_x + self.study_w + 16
        self.plot_x = self.design_x + self.design_w + 18
        self.plot_w = box.left + box.width - self.plot_x - 40

    def colour(self, name: str, fallback: str = "222A35") -> RGBColor:
        return RGBColor.from_string(self.design.colours.get(name, fallback))

    def draw(self) -> None:
        y = self._header(self.box.top)
        top = y
        rows: list[tuple[Mark | None, str, float]] = []
        for group in self.chart.groups:
            rows.append((None, group.condition, y))
            y += ROW
            for mark in group.marks:
                rows.append((mark, "", y))
                y += ROW
        self._grid(top, y)
        for mark, condition, row_y in rows:
            self._heading(condition, row_y) if mark is None else self._row(mark, row_y)
        self._ticks(y)

    # --- primitives ------------------------------------------------------------------------

    def text(self, x, y, w, h, text, size=TEXT, bold=False, colour="text", align=PP_ALIGN.LEFT,
             italic=False, fill: str | None = None):
        box = self.shapes.add_textbox(Pt(x), Pt(y), Pt(max(w, 1)), Pt(h))
        frame = box.text_frame
        frame.word_wrap = True  # labels are cut to the measured width; LibreOffice centres unwrapped text
        frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        paragraph = frame.paragraphs[0]
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = text
        run.font.name, run.font.size, run.font.bold, run.font.italic = self.design.body.name, Pt(size), bold, italic
        run.font.color.rgb = self.colour(colour)
        if fill:
            box.fill.solid()
            box.fill.fore_color.rgb = self.colour(fill, "FFFFFF")
        return box

    def line(self, x1, y1, x2, y2, colour="rule", width=0.75, dash=None):
        connector = self.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, Pt(x1), Pt(y1), Pt(x2), Pt(y2))
        _plain(connector)
        connector.line.color.rgb = self.colour(colour)
        connector.line.width = Pt(width)
        if dash:
            connector.line.dash_style = dash
        return connector

    def marker(self, mark: Mark, x: float, y: float, r: float):
        key = mark.design.key
        shape = self.shapes.add_shape(_SHAPE[key], Pt(x - r), Pt(y - r), Pt(2 * r), Pt(2 * r))
        _plain(shape)
        shape.name = f"Marker: {mark.design.name}"
        ink = self.colour("accent" if mark.design.controlled else "title")
        shape.line.color.rgb = ink
        shape.line.width = Pt(1.5 if key == "case_report" else 0.5)
        if key == "case_report":  # a ring, as in the SVG
            shape.fill.solid()
            shape.fill.fore_color.rgb = self.colour("background", "FFFFFF")
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = ink
        if key == "case_series":
            shape.adjustments[0] = 0.33  # a plus sign with even arms
        return shape

    # --- pieces ----------------------------------------------------------------------------

    def _header(self, y: float) -> float:
        self.text(self.box.left, y, self.study_w, HEAD - 4, "Study", SMALL, True, "muted")
        self.text(self.design_x, y, self.design_w, HEAD - 4, "Design", SMALL, True, "muted")
        title = self.chart.axis.title + (" (log scale)" if self.chart.axis.scale == "log" else "")
        self.text(self.plot_x, y, self.plot_w + 40, HEAD - 4, title, SMALL, True, "muted")
        self.line(self.box.left, y + HEAD - 2, self.box.left + self.box.width, y + HEAD - 2, "text", 1.0)
        return y + HEAD

    def _heading(self, condition: str, y: float) -> None:
        width = self.box.width
        self.text(self.box.left, y, width, ROW, fit(condition, width - 4, self.font, TEXT, True), TEXT, True, "title")

    def _row(self, mark: Mark, y: float) -> None:
        mid = y + ROW / 2
        self.text(self.study_x, y, self.study_w, ROW, fit(mark.study, self.study_w, self.font, TEXT))
        self.marker(mark, self.design_x + ICON, mid, ICON)
        label_x = self.design_x + 2 * ICON + 8
        self.text(label_x, y, self.design_w - 2 * ICON - 8, ROW,
                  fit(mark.design_label, self.design_w - 2 * ICON - 8, self.font, TEXT))
        if mark.participants is None:
            self._not_stated(y + 5, ROW - 10)
            return
        x = self.plot_x + self.chart.axis.position(mark.participants) * self.plot_w
        self.line(self.plot_x, mid, x, mid, "muted", 1.25)
        self.marker(mark, x, mid, MARKER)
        self.text(x + MARKER + 5, y, 60, ROW, str(mark.participants), SMALL)

    def _not_stated(self, top: float, height: float) -> None:
        band = self.shapes.add_shape(MSO_SHAPE.RECTANGLE, Pt(self.plot_x), Pt(top), Pt(self.plot_w), Pt(height))
        _plain(band)
        band.name = "Not stated"
        band.fill.patterned()
        band.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
        band.fill.fore_color.rgb = self.colour("rule", "D5DCE4")
        band.fill.back_color.rgb = self.colour("background", "FFFFFF")
        band.line.color.rgb = self.colour("muted")
        band.line.width = Pt(0.75)
        band.line.dash_style = MSO_LINE.DASH
        label = self.chart.not_stated
        w = self.font.width(label, SMALL, italic=True) + 12
        self.text(self.plot_x + self.plot_w / 2 - w / 2, top + 1, w, height - 2, label, SMALL, colour="muted",
                  align=PP_ALIGN.CENTER, italic=True, fill="background")

    def _grid(self, top: float, bottom: float) -> None:
        axis = self.chart.axis
        for tick in axis.ticks:
            x = self.plot_x + axis.position(tick) * self.plot_w
            self.line(x, top, x, bottom, "rule", 0.75)
        group_tops = [top + ROW * sum(1 + len(g.marks) for g in self.chart.groups[:i])
                      for i in range(1, len(self.chart.groups))]
        for y in group_tops:
            self.line(self.box.left, y, self.box.left + self.box.width, y, "rule", 0.5)

    def _ticks(self, bottom: float) -> None:
        axis = self.chart.axis
        if not axis.ticks:
            self.line(self.box.left, bottom, self.box.left + self.box.width, bottom, "rule", 0.75)
            return
        self.line(self.plot_x, bottom, self.plot_x + self.plot_w, bottom, "muted", 0.75)
        xs = [self.plot_x + axis.position(tick) * self.plot_w for tick in axis.ticks]
        # each label's box is at most as wide as the gap to its neighbours, so no two boxes overlap
        width = min([60.0] + [b - a - 1 for a, b in zip(xs, xs[1:])])
        for tick, x in zip(axis.ticks, xs):
            self.text(x - width / 2, bottom + 3, width, AXIS - 4, f"{tick:,}", SMALL, colour="muted",
                      align=PP_ALIGN.CENTER)
