"""Draw planned blocks on a python-pptx slide: text boxes, tables, pictures, the evidence chart, rules.

Nothing here decides sizes or breaks: the plan measured everything. Autofit is
switched off on every text box, so each viewer shows exactly what was measured.
"""

from __future__ import annotations

import io
import uuid

from lxml import etree
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.text.text import _Run
from pptx.util import Emu

from pipeline.render.slides.chart import ChartBlock, add_evidence_chart
from pipeline.render.slides.design import SlideDesign
from pipeline.render.slides.layout import (CELL_MARGIN_X, CELL_MARGIN_Y, INSET, Block, PictureBlock, Rule,
                                          TableBlock, TextBlock)
from pipeline.render.slides.text import Para, Span

_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}


def emu(points: float) -> Emu:
    """Points as EMU, rounded to whole EMU so output never depends on float noise."""
    return Emu(round(points * 12700))


def draw(slide, block: Block, design: SlideDesign, placeholder=None) -> None:
    """Add `block` to `slide`; a text block goes into `placeholder` instead when one is given."""
    if isinstance(block, TextBlock):
        _text(slide, block, design, placeholder)
    elif isinstance(block, TableBlock):
        _table(slide, block, design)
    elif isinstance(block, PictureBlock):
        _picture(slide, block)
    elif isinstance(block, ChartBlock):
        add_evidence_chart(slide, block.chart, block.box, design)
    else:
        _rule(slide, block, design)


def _text(slide, block: TextBlock, design: SlideDesign, placeholder=None) -> None:
    box = block.box
    if placeholder is None:
        shape = slide.shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    else:  # every property set below overrides what the layout and master would give it
        shape = placeholder
        shape.left, shape.top, shape.width, shape.height = emu(box.x), emu(box.y), emu(box.w), emu(box.h)
    shape.name = block.name
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM if block.anchor == "bottom" else MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = emu(INSET)
    font = design.heading.name if block.role == "heading" else design.body.name
    for i, para in enumerate(block.paras):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.alignment = _ALIGN[block.align]
        p.line_spacing = emu(block.size * block.line_spacing)
        p.space_before = emu(block.space_before if i else 0)
        p.space_after = emu(0)
        _indent(p, para, design)
        if block.name == "Slide Number":
            _slide_number(p, para.text, font, block.size, design.colour(block.colour))
            continue
        for span in para.spans:
            _run(p, span, font, block.size, design.colour(block.colour))


def _run(p, span: Span, font: str, size: float, colour: str) -> _Run:
    run = p.add_run()
    run.text = span.text
    run.font.name = font
    run.font.size = emu(size)
    run.font.bold = span.bold
    run.font.italic = span.italic
    run.font.color.rgb = RGBColor.from_string(colour)
    if span.superscript:  # PowerPoint's superscript: raised 30% and set smaller by the viewer
        run.font._rPr.set("baseline", "30000")
    return run


def _slide_number(p, text: str, font: str, size: float, colour: str) -> None:
    """A slide-number field, so the number stays right if slides are moved."""
    run = _run(p, Span(text), font, size, colour)
    run._r.tag = qn("a:fld")
    run._r.set("id", "{%s}" % str(uuid.uuid5(uuid.NAMESPACE_URL, f"slidenum:{text}")).upper())
    run._r.set("type", "slidenum")


def _indent(p, para: Para, design: SlideDesign) -> None:
    """Bullets hang at the left edge with the text at `indent`; references hang the same way."""
    ppr = p._p.get_or_add_pPr()
    if para.indent:
        ppr.set("marL", str(int(emu(para.indent))))
        ppr.set("indent", str(-int(emu(para.indent))))
    if para.bullet:
        etree.SubElement(ppr, qn("a:buClr")).append(_srgb(design.colour("accent")))
        etree.SubElement(ppr, qn("a:buFont"), typeface=design.body.name)
        etree.SubElement(ppr, qn("a:buChar"), char=design.bullet)
    else:
        etree.SubElement(ppr, qn("a:buNone"))


def _srgb(colour: str) -> etree._Element:
    element = etree.Element(qn("a:srgbClr"))
    element.set("val", colour)
    return element


def _table(slide, block: TableBlock, design: SlideDesign) -> None:
    box = block.box
    frame = slide.shapes.add_table(len(block.rows), len(block.columns), emu(box.x), emu(box.y), emu(box.w),
                                   emu(box.h))
    frame.name = "Evidence table"
    table = frame.table
    table.first_row, table.horz_banding = True, False
    for i, width in enumerate(block.columns):
        table.columns[i].width = emu(width)
    band = False
    for r, (row, height) in enumerate(zip(block.rows, block.heights)):
        table.rows[r].height = emu(height)
        if r in block.groups:
            _group_row(table, r, row[0], block, design)
            band = False  # each group's studies start on the plain fill
            continue
        for c, cell_spans in enumerate(row):
            _cell(table.cell(r, c), cell_spans, block, design, "table_header" if r == 0 else
                  ("table_band" if band else "background"))
        band = not band if r else band


def _group_row(table, r: int, label: tuple[Span, ...], block: TableBlock, design: SlideDesign) -> None:
    """A row naming a condition: one cell merged across the table, on the theme's `table_group` colour.

    A fill, not a rule above the row: viewers draw the table style's white column borders across a rule.
    """
    cell = table.cell(r, 0)
    if len(block.columns) > 1:
        cell.merge(table.cell(r, len(block.columns) - 1))
    _cell(cell, label, block, design, "table_group", "table_header_text")


def _cell(cell, cell_spans: tuple[Span, ...], block: TableBlock, design: SlideDesign, fill: str,
          colour: str | None = None) -> None:
    cell.margin_left = cell.margin_right = emu(CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = emu(CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string(design.colour(fill))
    p = cell.text_frame.paragraphs[0]
    p.line_spacing = emu(block.size * block.line_spacing)
    colour = design.colour(colour or ("table_header_text" if fill == "table_header" else "table_text"))
    for span in cell_spans:
        _run(p, span, design.body.name, block.size, colour)


def _picture(slide, block: PictureBlock) -> None:
    box = block.box
    picture = slide.shapes.add_picture(io.BytesIO(block.image), emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    picture.name = "Figure"
    picture._element.nvPicPr.cNvPr.set("descr", block.alt)


def _rule(slide, block: Rule, design: SlideDesign) -> None:
    box = block.box
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, emu(box.x), emu(box.y), emu(box.w), emu(box.h))
    shape.name = "Rule"
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(design.colour(block.colour))
    shape.line.fill.background()
    style = shape._element.find(qn("p:style"))
    if style is not None:  # the default style would add the theme's outline and effects
        shape._element.remove(style)
