"""The talk deck: `slides.pptx`, a 16:9 PowerPoint file that needs no editing before the talk.

The outline (`outline.py`) decides every slide; fitting (`fit.py`) measures
every line with the theme's font metrics; this module draws it with python-pptx on the
theme's template (or python-pptx's own), adds speaker notes, and packs the
file so the same input always gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import zipfile

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.packuri import PackURI
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout

from pipeline.model import Document
from pipeline.render import Rendered, Settings, source_date
from pipeline.render.slides.design import SlideDesign, load_design
from pipeline.render.slides.draw import draw, emu
from pipeline.render.slides.layout import Frame, PlannedSlide
from pipeline.render.slides.fit import fit
from pipeline.render.slides.outline import outline, overlong
from pipeline.render.slides.text import clean
from pipeline.themes import Theme

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
SLIDE_W, SLIDE_H = 960.0, 540.0  # points: 13.333 x 7.5 in, 16:9
TITLE_LAYOUT = "Title Only"
CORE_PROPERTY_CHARS = 255  # python-pptx refuses a longer title, author, subject or keywords


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    """slides.pptx for `document` in `theme`'s slide design, and where text was cut to fit the talk."""
    design = load_design(theme)
    deck = _presentation(design)
    frame = Frame(design, deck.slide_width / 12700, deck.slide_height / 12700)
    layout = _title_layout(deck)
    for planned in fit(outline(document), frame):
        _add_slide(deck, layout, planned, design)
    return Rendered({"slides.pptx": package(deck, document)}, tuple(overlong(document)))


def _presentation(design: SlideDesign) -> PresentationType:
    """The template's presentation with its slides removed, else python-pptx's, made 16:9."""
    deck = Presentation(str(design.template)) if design.template else Presentation()
    for slide_id in list(deck.slides._sldIdLst):
        deck.part.drop_rel(slide_id.rId)
        deck.slides._sldIdLst.remove(slide_id)
    if not design.template:
        deck.slide_width, deck.slide_height = emu(SLIDE_W), emu(SLIDE_H)
    _remember_partnames(deck)
    return deck


def _remember_partnames(deck: PresentationType) -> None:
    """Name new parts (each slide's notes) without walking the whole package every time.

    python-pptx's `next_partname` collects every part's name for each new part,
    which is quadratic over a long deck (8 s of 17 s at 590 slides). This gives
    the same names in the same order, remembering those it handed out.
    """
    package = deck.part.package
    taken: dict[str, set[str]] = {}

    def next_partname(template: str) -> PackURI:
        prefix = template[: (template % 42).find("42")]
        if prefix not in taken:
            taken[prefix] = {p.partname for p in package.iter_parts() if p.partname.startswith(prefix)}
        names = taken[prefix]
        name = next(template % n for n in range(len(names) + 1, 0, -1) if template % n not in names)
        names.add(name)
        return PackURI(name)

    package.next_partname = next_partname


def _title_layout(deck: PresentationType) -> SlideLayout:
    """The layout called "Title Only", else the one with a title and the fewest other placeholders.

    Slide titles go in the title placeholder (outline view, screen readers and
    `slide.shapes.title` see them); the plan places everything else itself.
    """
    layouts = list(deck.slide_layouts)
    named = [lay for lay in layouts if lay.name == TITLE_LAYOUT and _has_title(lay)]
    titled = [lay for lay in layouts if _has_title(lay)] or layouts
    return named[0] if named else min(titled, key=lambda lay: len(lay.placeholders))


def _has_title(layout: SlideLayout) -> bool:
    return any(p.placeholder_format.type in TITLE_TYPES for p in layout.placeholders)


def _add_slide(deck: PresentationType, layout: SlideLayout, planned: PlannedSlide, design: SlideDesign) -> None:
    slide = deck.slides.add_slide(layout)
    title = None
    for placeholder in list(slide.placeholders):  # keep the title; the plan draws the rest
        if title is None and placeholder.placeholder_format.type in TITLE_TYPES:
            title = placeholder
        else:
            placeholder._element.getparent().remove(placeholder._element)
    if planned.cover or not design.template:
        slide.background.fill.solid()
        colour = design.colour("cover_background" if planned.cover else "background")
        slide.background.fill.fore_color.rgb = RGBColor.from_string(colour)
    for block in planned.blocks:
        is_title = title is not None and getattr(block, "name", "") == "Title"
        draw(slide, block, design, title if is_title else None)
        title = None if is_title else title
    if title is not None:  # a slide without a title block: no empty placeholder left behind
        title._element.getparent().remove(title._element)
    if planned.notes:
        slide.notes_slide.notes_text_frame.text = _notes(planned.notes)


def _notes(text: str) -> str:
    """Notes text python-pptx can hold: one paragraph per line, control characters gone."""
    return "\n".join(clean(line).strip() for line in text.split("\n"))


# --- deterministic packing -----------------------------------------------------------------


def package(deck: PresentationType, document: Document) -> bytes:
    """The deck's bytes, the same for the same input: fixed core properties and zip timestamps."""
    when = source_date(document).astimezone(datetime.timezone.utc).replace(tzinfo=None)
    props = deck.core_properties
    props.title = core_property(document.title)
    props.author = core_property(document.decided.metadata_author)
    props.subject = core_property(document.subtitle)
    props.keywords = core_property(", ".join(document.keywords))
    props.last_modified_by = props.author
    props.revision = 1
    props.comments = ""
    props.created = props.modified = when
    props.last_printed = when
    raw = io.BytesIO()
    deck.save(raw)
    return _repack(raw.getvalue(), max(when, datetime.datetime(1980, 1, 1)))


def core_property(text: str) -> str:
    """`text` as a core property python-pptx accepts: clean, at most 255 characters, cut at a word with '…'."""
    text = clean(text).strip()
    if len(text) <= CORE_PROPERTY_CHARS:
        return text
    cut = text[:CORE_PROPERTY_CHARS]  # the last character is given to '…'
    head = cut.rsplit(" ", 1)[0] if " " in cut.strip() else cut[:-1]
    return head.rstrip(" ,;:") + "…"


def _repack(data: bytes, when: datetime.datetime) -> bytes:
    """The zip with every member stamped `when`, in the order python-pptx wrote them."""
    stamp = when.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()
