"""Slide text as styled spans and paragraphs: the model's inline runs in the form the slides set them.

Nothing here measures: `metrics.py` wraps and fits these with the theme's font metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.model import Runs
from pipeline.visitor import InlineVisitor

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


def clean(text: str) -> str:
    """Text XML can hold: control characters dropped, whitespace runs made one space."""
    return _SPACE.sub(" ", _XML_INVALID.sub("", text))


# --- styled text -------------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A stretch of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    superscript: bool = False  # drawn raised and smaller (`baseline="30000"`); measured at full size

    @property
    def style(self) -> tuple[bool, bool, bool]:
        return self.bold, self.italic, self.superscript


@dataclass(frozen=True)
class Para:
    """A paragraph of spans; `indent` is the left margin of its lines in points.

    `hanging` paragraphs start their first line at the box's edge (a reference's
    hanging indent); bulleted ones put the bullet there and the text at `indent`.
    """

    spans: tuple[Span, ...]
    indent: float = 0.0
    hanging: bool = False
    bullet: bool = False

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


class SlideSpans(InlineVisitor[tuple[Span, ...]]):
    """Inline runs as styled spans: emphasis italic, strong bold, superscript raised, links and citations as text."""

    def __init__(self, bold: bool = False, italic: bool = False, superscript: bool = False):
        self.bold = bold
        self.italic = italic
        self.superscript = superscript

    def combine(self, parts: list[tuple[Span, ...]]) -> tuple[Span, ...]:
        return _merged([span for part in parts for span in part])

    def visit_text(self, node) -> tuple[Span, ...]:
        return (Span(clean(node.text), self.bold, self.italic, self.superscript),)

    def visit_emph(self, node) -> tuple[Span, ...]:
        return SlideSpans(self.bold, True, self.superscript).visit_children(node)

    def visit_strong(self, node) -> tuple[Span, ...]:
        return SlideSpans(True, self.italic, self.superscript).visit_children(node)

    def visit_sup(self, node) -> tuple[Span, ...]:
        return SlideSpans(self.bold, self.italic, True).visit_children(node)

    def visit_cite(self, node) -> tuple[Span, ...]:
        return self.visit(node.runs)

    visit_link = visit_reflink = InlineVisitor.visit_children


def spans(runs: Runs | None, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Inline runs as styled spans (see `SlideSpans`)."""
    return SlideSpans(bold, italic).visit(runs)


def _merged(found: list[Span]) -> tuple[Span, ...]:
    """Adjacent spans of one style joined, empty ones dropped: fewer runs in the XML."""
    merged: list[Span] = []
    for span in found:
        if merged and merged[-1].style == span.style:
            merged[-1] = replace(span, text=merged[-1].text + span.text)
        elif span.text:
            merged.append(span)
    return tuple(merged)


def cap_spans(found: tuple[Span, ...], limit: int) -> tuple[Span, ...]:
    """Spans cut to about `limit` characters at a word, ending in '…': what a slide could ever show."""
    if sum(len(s.text) for s in found) <= limit:
        return found
    kept: list[Span] = []
    for span in found:
        room = limit - sum(len(s.text) for s in kept)
        if len(span.text) >= room:
            cut = span.text[:room].rsplit(" ", 1)[0] if " " in span.text[:room] else span.text[:room]
            kept.append(replace(span, text=cut.rstrip() + "…"))
            break
        kept.append(span)
    return tuple(kept)


def strip_spans(found: tuple[Span, ...]) -> tuple[Span, ...]:
    """Spans without leading or trailing whitespace and with single spaces."""
    text = [replace(s, text=clean(s.text)) for s in found]
    if text:
        text[0] = replace(text[0], text=text[0].text.lstrip())
        text[-1] = replace(text[-1], text=text[-1].text.rstrip())
    return tuple(s for s in text if s.text)
