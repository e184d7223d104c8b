"""Slide text as styled spans and paragraphs: the model's inline runs in the form the slides set them.

Nothing here measures: `metrics.py` wraps and fits these with the theme's font metrics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.model import Runs
from pipeline.visitor import InlineVisitor

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_SPACE = re.compile(r"[^\S\u00a0]+")  # whitespace runs, but a no-break space stays what it is
NBSP = "\u00a0"
CITE_GAP = "\u2060"  # marks where a dropped citation was, until the gap is closed
_EMPTY_BRACKETS = re.compile("[ ]?[(\\[]\u2060+[)\\]]")
_BEFORE_PUNCT = re.compile("[ ]*\u2060+[ ]*([.,;:!?)])")


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

    def __init__(self, bold: bool = False, italic: bool = False, superscript: bool = False,
                 drop_cites: bool = False, whole_cites: bool = False):
        self.bold = bold
        self.italic = italic
        self.superscript = superscript
        self.drop_cites = drop_cites  # parenthetical citations left out (the slide's foot line names them)
        self.whole_cites = whole_cites or drop_cites  # the citations kept are never broken over two lines

    def combine(self, parts: list[tuple[Span, ...]]) -> tuple[Span, ...]:
        return _merged([span for part in parts for span in part])

    def visit_text(self, node) -> tuple[Span, ...]:
        return (Span(clean(node.text), self.bold, self.italic, self.superscript),)

    def visit_emph(self, node) -> tuple[Span, ...]:
        return self._styled(italic=True).visit_children(node)

    def visit_strong(self, node) -> tuple[Span, ...]:
        return self._styled(bold=True).visit_children(node)

    def visit_sup(self, node) -> tuple[Span, ...]:
        return self._styled(superscript=True).visit_children(node)

    def visit_cite(self, node) -> tuple[Span, ...]:
        if self.drop_cites and node.mode == "parenthetical":
            return (Span(CITE_GAP),)
        found = self.visit(node.runs)  # a narrative citation is part of the sentence: kept
        return unbreakable_spans(found) if self.whole_cites else found

    def _styled(self, **style: bool) -> SlideSpans:
        """A visitor for the children of a styled node: this one's settings with `style` added."""
        settings = dict(bold=self.bold, italic=self.italic, superscript=self.superscript,
                        drop_cites=self.drop_cites, whole_cites=self.whole_cites)
        return SlideSpans(**(settings | style))

    visit_link = visit_reflink = InlineVisitor.visit_children


def spans(runs: Runs | None, bold: bool = False, italic: bool = False) -> tuple[Span, ...]:
    """Inline runs as styled spans (see `SlideSpans`)."""
    return SlideSpans(bold, italic).visit(runs)


def spans_with_whole_cites(runs: Runs | None) -> tuple[Span, ...]:
    """Inline runs as styled spans, each citation whole: its spaces no-break (a table cell's "Smith et al. (2020)")."""
    return SlideSpans(whole_cites=True).visit(runs)


def spans_without_cites(runs: Runs | None) -> tuple[Span, ...]:
    """Inline runs as styled spans with their parenthetical citations taken out, and the gap they leave closed."""
    found = SlideSpans(drop_cites=True).visit(runs)
    return tuple(s for s in (replace(s, text=_closed(s.text)) for s in found) if s.text)


def unbreakable(text: str) -> str:
    """`text` with no-break spaces: a citation is never broken over two lines."""
    return text.replace(" ", NBSP)


def unbreakable_spans(found: tuple[Span, ...]) -> tuple[Span, ...]:
    """The spans of one citation with no-break spaces inside it; a space before or after it may still break."""
    text = "".join(s.text for s in found)
    first, end = len(text) - len(text.lstrip(" ")), len(text.rstrip(" "))
    result, at = [], 0
    for span in found:
        inside = span.text[max(0, first - at):max(0, end - at)]
        text = span.text[:max(0, first - at)] + unbreakable(inside) + span.text[max(0, end - at):]
        result.append(replace(span, text=text))
        at += len(span.text)
    return tuple(result)


def _closed(text: str) -> str:
    """The text around a dropped citation: no space before punctuation, no empty brackets."""
    text = _EMPTY_BRACKETS.sub("", text)
    text = _BEFORE_PUNCT.sub(r"\1", text)
    return text.replace(CITE_GAP, "")


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
