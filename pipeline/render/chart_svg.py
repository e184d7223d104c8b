"""The evidence chart as SVG, for the article (HTML and PDF) and the handout.

A dot chart: one row per study under its condition's heading; the study's
number of participants is a dot on a stem along the participant axis (the
marker's shape and fill show the design, as in the key), "not stated" is a
hatched band that says so — never a mark at zero. Geometry is computed here;
the markup is `templates/evidence-chart.svg` (autoescaped, so study labels
stay text). Text is measured with the theme's font files, so columns align in
WeasyPrint and in browsers alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from pipeline.chart import Axis, Design, EvidenceChart, Mark
from pipeline.render.slides.metrics import FontFamily
from pipeline.render.slides.text import clean

# px at the chart's own scale (1 px = 0.75 pt: 600 px is 159 mm, an A4 text column)
TEXT, SMALL = 12.5, 11.0
ROW, HEADING_ROW, GAP = 21.0, 22.0, 6.0
MARKER, ICON = 5.5, 4.5
DEFAULT_COLOURS = {"text": "222A35", "title": "1F3A5F", "accent": "2A7F8E", "muted": "6B7280",
                   "rule": "D5DCE4", "background": "FFFFFF"}


@dataclass(frozen=True)
class Shape:
    """A marker: a circle, or a path of points around (x, y)."""

    kind: str  # "circle" or "path"
    x: float
    y: float
    r: float
    d: str
    fill: str
    stroke: str


@dataclass
class Layout:
    """Everything the template draws, in px."""

    width: float
    height: float = 0.0
    texts: list[dict] = field(default_factory=list)  # x, y, text, size, weight, style, fill, anchor
    lines: list[dict] = field(default_factory=list)  # x1, y1, x2, y2, stroke, width, dash
    rects: list[dict] = field(default_factory=list)  # x, y, w, h, fill, stroke, dash
    masks: list[dict] = field(default_factory=list)  # rects drawn over the lines: behind a hatch's words
    shapes: list[Shape] = field(default_factory=list)


def chart_svg(chart: EvidenceChart, width_px: float = 600, colours: dict[str, str] | None = None,
              font_family: str = "Carlito, Calibri, sans-serif", font: FontFamily | None = None,
              id_prefix: str = "evidence-chart") -> Markup:
    """The chart as an accessible SVG element (`role="img"`, `<title>` caption, `<desc>` alt text)."""
    palette = {k: "#" + str(v).lstrip("#") for k, v in {**DEFAULT_COLOURS, **(colours or {})}.items()}
    layout = _Layout(chart, width_px, palette, font or default_font()).build()
    return Markup(_template().render(chart=chart, layout=layout, font_family=font_family,
                                     id=id_prefix, clean=clean, colours=palette))


def themed_chart_svg(chart: EvidenceChart, theme, id_prefix: str = "evidence-chart", width_px: float = 600,
                     background: str | None = None) -> Markup:
    """The chart in a theme's colours and body font (its slide design: the deck draws the same chart).

    `background` overrides the design's page colour (print pages are white whatever the screen's tint).
    """
    from pipeline.render.slides.design import load_design  # late: the slide design reads the theme's YAML
    design = load_design(theme)
    colours = {**design.colours, **({"background": background} if background else {})}
    return chart_svg(chart, width_px, colours, css_family(design.body.family, design.body.name),
                     design.body.family, id_prefix)


@lru_cache(maxsize=16)
def css_family(font: FontFamily, deck_name: str = "") -> str:
    """A CSS font-family list for the font files: their own family name, the deck's name, a generic family.

    "Carlito, Calibri, sans-serif": the bundled file first (the PDF embeds it), then the font it stands in for.
    The generic family comes from the file's PANOSE serif style (2–10 are serifs).
    """
    from fontTools.ttLib import TTFont
    data = TTFont(str(font.regular.path), lazy=True)
    name = data["name"].getDebugName(1) or deck_name
    serif = 2 <= data["OS/2"].panose.bSerifStyle <= 10 if "OS/2" in data else False
    names = [n for n in dict.fromkeys((name, deck_name)) if n]
    return ", ".join(names + ["serif" if serif else "sans-serif"])


@lru_cache(maxsize=1)
def default_font() -> FontFamily:
    """The default theme's body font files (Carlito, metric-compatible with Calibri)."""
    from pipeline.render.slides.design import load_design  # late: the slide design reads the theme's YAML
    from pipeline.themes import load_theme
    return load_design(load_theme("default")).body.family


@lru_cache(maxsize=1)
def _template():
    environment = Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("evidence-chart.svg")


def marker(design: Design, x: float, y: float, r: float, colours: dict[str, str]) -> Shape:
    """The marker of a design: its shape from `SHAPES`, filled in the accent colour when controlled."""
    fill = colours["accent"] if design.controlled else colours["title"]
    kind, points = SHAPES[design.key]
    if kind == "ring":
        return Shape("circle", x, y, r * 0.82, "", colours["background"], fill)
    if kind == "circle":
        return Shape("circle", x, y, r, "", fill, fill)
    d = "M" + " L".join(f"{x + px * r:.2f},{y + py * r:.2f}" for px, py in points) + " Z"
    return Shape("path", x, y, r, d, fill, fill)


# Unit outlines (radius 1) of each design's marker; PowerPoint's shapes match them (slides/chart.py).
SHAPES: dict[str, tuple[str, tuple[tuple[float, float], ...]]] = {
    "rct": ("circle", ()),
    "controlled": ("path", ((-0.88, -0.88), (0.88, -0.88), (0.88, 0.88), (-0.88, 0.88))),
    "cohort": ("path", ((0, -1.15), (1.15, 0), (0, 1.15), (-1.15, 0))),
    "pilot": ("path", ((0, -1.15), (1.1, 0.85), (-1.1, 0.85))),
    "chart_review": ("path", ((-1.1, -0.85), (1.1, -0.85), (0, 1.15))),
    "case_series": ("path", ((-0.35, -1), (0.35, -1), (0.35, -0.35), (1, -0.35), (1, 0.35), (0.35, 0.35),
                             (0.35, 1), (-0.35, 1), (-0.35, 0.35), (-1, 0.35), (-1, -0.35), (-0.35, -0.35))),
    "case_report": ("ring", ()),
    "other": ("path", ((0, -1.2), (0.29, -0.4), (1.14, -0.37), (0.47, 0.15), (0.71, 0.97), (0, 0.49),
                       (-0.71, 0.97), (-0.47, 0.15), (-1.14, -0.37), (-0.29, -0.4))),
}


def hatch(x: float, y: float, w: float, h: float, spacing: float = 6.0) -> list[tuple[float, float, float, float]]:
    """45° hatching lines clipped to a rectangle, computed (no SVG pattern or clip path needed)."""
    lines = []
    a = x - h + spacing / 2
    while a < x + w:
        x1, y1, x2, y2 = a, y + h, a + h, y
        if x1 < x:
            x1, y1 = x, y + h - (x - a)
        if x2 > x + w:
            x2, y2 = x + w, y + (a + h - (x + w))
        lines.append((x1, y1, x2, y2))
        a += spacing
    return lines


def fit(text: str, width: float, font: FontFamily, size: float, bold: bool = False) -> str:
    """`text` cut with an ellipsis to fit `width` (a long label never runs into the next column)."""
    text = clean(text).strip()
    if font.width(text, size, bold) <= width:
        return text
    while text and font.width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _Layout:
    """Columns (study, design, plot) measured from the labels; rows from the groups."""

    def __init__(self, chart: EvidenceChart, width: float, colours: dict[str, str], font: FontFamily):
        self.chart, self.colours, self.font = chart, colours, font
        self.out = Layout(width)
        marks = chart.marks
        indent = 10.0
        study_w = min(max(font.width(m.study, TEXT) for m in marks), width * 0.30)
        design_w = min(max(font.width(m.design_label, TEXT) for m in marks) + 2 * ICON + 6, width * 0.30)
        self.study_x, self.study_w = indent, study_w
        self.design_x, self.design_w = indent + study_w + 14, design_w
        self.plot_x = self.design_x + design_w + 16
        self.plot_w = width - self.plot_x - 30  # room for the largest value's number

    def build(self) -> Layout:
        y = self._header(0.0)
        top = y
        for group in self.chart.groups:
            y = self._group_heading(group.condition, y)
            for mark in group.marks:
                y = self._row(mark, y)
        y = self._axis(top, y + 4)
        y = self._legend(y + 10)
        self.out.height = round(y + 4, 1)
        return self.out

    # --- pieces --------------------------------------------------------------------------

    def _text(self, x, y, text, size=TEXT, weight="normal", fill=None, anchor="start", style="normal") -> None:
        self.out.texts.append(dict(x=round(x, 2), y=round(y, 2), text=text, size=size, weight=weight,
                                   fill=fill or self.colours["text"], anchor=anchor, style=style))

    def _line(self, x1, y1, x2, y2, stroke, width=1.0, dash="") -> None:
        self.out.lines.append(dict(x1=round(x1, 2), y1=round(y1, 2), x2=round(x2, 2), y2=round(y2, 2),
                                   stroke=stroke, width=width, dash=dash))

    def _header(self, y: float) -> float:
        muted = self.colours["muted"]
        base = y + SMALL + 2
        self._text(0, base, "Study", SMALL, "bold", muted)
        self._text(self.design_x, base, "Design", SMALL, "bold", muted)
        title = self.chart.axis.title + (" (log scale)" if self.chart.axis.scale == "log" else "")
        self._text(self.plot_x, base, title, SMALL, "bold", muted)
        self._line(0, base + 5, self.out.width, base + 5, self.colours["text"], 0.8)
        return base + 8

    def _group_heading(self, condition: str, y: float) -> float:
        width = self.out.width
        if y > 40:  # a hairline between groups
            self._line(0, y + 1, width, y + 1, self.colours["rule"], 0.6)
        self._text(0, y + HEADING_ROW - 6, fit(condition, width - 4, self.font, TEXT, True), TEXT, "bold",
                   self.colours["title"])
        return y + HEADING_ROW

    def _row(self, mark: Mark, y: float) -> float:
        mid = y + ROW / 2
        base = mid + TEXT * 0.34
        self._text(self.study_x, base, fit(mark.study, self.study_w, self.font, TEXT))
        self.out.shapes.append(marker(mark.design, self.design_x + ICON, mid, ICON, self.colours))
        self._text(self.design_x + 2 * ICON + 6, base,
                   fit(mark.design_label, self.design_w - 2 * ICON - 6, self.font, TEXT))
        if mark.participants is None:
            self._not_stated(y + 4, ROW - 8, self.plot_w)
        else:
            self._dot(mark, mid)
        return y + ROW

    def _dot(self, mark: Mark, mid: float) -> None:
        x = self.plot_x + self.chart.axis.position(mark.participants) * self.plot_w
        self._line(self.plot_x, mid, x, mid, self.colours["muted"], 1.2)
        self.out.shapes.append(marker(mark.design, x, mid, MARKER, self.colours))
        self._text(x + MARKER + 4, mid + SMALL * 0.34, str(mark.participants), SMALL, fill=self.colours["text"])

    def _not_stated(self, top: float, height: float, width: float, x: float | None = None,
                    label: str | None = None) -> None:
        x = self.plot_x if x is None else x
        muted = self.colours["muted"]
        self.out.rects.append(dict(x=round(x, 2), y=round(top, 2), w=round(width, 2), h=height,
                                   fill=self.colours["background"],
                                   stroke=muted, dash="3 2"))
        for x1, y1, x2, y2 in hatch(x, top, width, height):
            self._line(x1, y1, x2, y2, self.colours["rule"], 0.8)
        text = self.chart.not_stated if label is None else label
        if text:
            w = self.font.width(text, SMALL, False, True) + 8
            self.out.masks.append(dict(x=round(x + width / 2 - w / 2, 2), y=top + 1, w=round(w, 2),
                                       h=height - 2, fill=self.colours["background"], stroke="none", dash=""))
            self._text(x + width / 2, top + height / 2 + SMALL * 0.34, text, SMALL, fill=muted,
                       anchor="middle", style="italic")

    def _axis(self, top: float, bottom: float) -> float:
        axis: Axis = self.chart.axis
        for tick in axis.ticks:
            x = self.plot_x + axis.position(tick) * self.plot_w
            self._line(x, top, x, bottom, self.colours["rule"], 0.6)
            self._line(x, bottom, x, bottom + 4, self.colours["muted"], 0.8)
            self._text(x, bottom + 5 + SMALL, f"{tick:,}", SMALL, fill=self.colours["muted"], anchor="middle")
        if axis.ticks:
            self._line(self.plot_x, bottom, self.plot_x + self.plot_w, bottom, self.colours["muted"], 0.8)
            return bottom + 6 + SMALL
        self._line(0, bottom, self.out.width, bottom, self.colours["rule"], 0.6)
        return bottom

    def _legend(self, y: float) -> float:
        """The key: designs present, strongest first, wrapped to the width; then the hatch if used."""
        items = [(d, d.name) for d in self.chart.designs]
        if any(m.participants is None for m in self.chart.marks):
            items.append((None, f"number {self.chart.not_stated}"))
        lead = "Key (strongest design first):"
        x = self.font.width(lead, SMALL, True) + 14
        self._text(0, y + SMALL, lead, SMALL, "bold", self.colours["muted"])
        for design, name in items:
            w = 2 * ICON + 5 + self.font.width(name, SMALL) + 14 + (10 if design is None else 0)
            if x + w > self.out.width:
                x, y = 0.0, y + SMALL + 7
            mid = y + SMALL * 0.66
            if design is None:
                self._not_stated(mid - 5, 10, 18, x, "")
                self._text(x + 23, y + SMALL, name, SMALL, fill=self.colours["text"])
            else:
                self.out.shapes.append(marker(design, x + ICON, mid, ICON, self.colours))
                self._text(x + 2 * ICON + 5, y + SMALL, name, SMALL, fill=self.colours["text"])
            x += w
        return y + SMALL + 4
