"""The talk: `slides.pptx` from a format-free outline, fitted to a 16:9 frame and drawn with python-pptx.

    outline.py  what goes on which slide, in which order, with which notes and sources (no geometry)
    fit.py      the outline fitted to a frame: "(cont.)" slides by measured height, sizes, footers
    cover.py    the title and closing slides fitted as stacks of lines
    table.py    the evidence table's rows fitted into native table blocks
    chart.py    the evidence chart split for slides and drawn as native shapes
    layout.py   what a fitted slide is made of (boxes, blocks, frame) and the fitting primitives
    text.py     inline runs as styled spans and paragraphs
    metrics.py  the theme's font metrics: wrapping and measuring text
    design.py   the theme's slide design (colours, fonts, sizes, template)
    draw.py     fitted blocks drawn on a python-pptx slide
    deck.py     the presentation: slides, notes, deterministic packing

Importing this package (or `outline`) does not import python-pptx: the deck is loaded when rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.model import Document
    from pipeline.render import Rendered, Settings
    from pipeline.themes import Theme


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    """slides.pptx for `document` in `theme`'s slide design (see `deck.render`)."""
    from pipeline.render.slides.deck import render as render_deck  # late: python-pptx only when drawing
    return render_deck(document, theme, settings)
