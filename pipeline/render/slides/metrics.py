"""Measure and fit slide text with the theme's real font metrics.

Viewers do not agree on autofit (LibreOffice ignores PowerPoint's), so the deck
never relies on it: text is wrapped here, word by word, with the advance widths
of the bundled font files (metric-compatible with the fonts the deck names),
and content is split across slides before it could overflow. Widths ignore
kerning, which only ever narrows text, and keep a small slack besides, so a
line that fits here fits in PowerPoint and LibreOffice alike.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from fontTools.ttLib import TTFont

from pipeline.render.slides.text import NBSP, Para, Span

WIDTH_SLACK = 1.04  # measured widths are inflated by this much: rounding and shaping differences
# fontTools warns that the bundled fonts' creation dates look odd; nothing to act on
logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)


# --- fonts -----------------------------------------------------------------------------


class FontFile:
    """Advance widths of one font file, in em units, cached per character."""

    def __init__(self, path: Path):
        font = TTFont(str(path), lazy=True)
        self.path = path
        self.units = font["head"].unitsPerEm
        self.cmap = font.getBestCmap()
        self.advances = font["hmtx"].metrics
        self.cache: dict[str, float] = {}

    def _advance_of(self, char: str) -> float:
        glyph = self.cmap.get(ord(char))
        return self.advances[glyph][0] / self.units if glyph in self.advances else 1.0

    def em_width(self, text: str) -> float:
        """Width of `text` in ems; a character the font lacks (drawn from a fallback font) counts as 1 em.

        A no-break space the font lacks (Carlito maps none) is drawn as a space: it is measured as one.
        """
        total = 0.0
        for char in text:
            if char not in self.cache:
                known = char if ord(char) in self.cmap or char != NBSP else " "
                self.cache[char] = self._advance_of(known) if ord(known) in self.cmap else 1.0
            total += self.cache[char]
        return total


@dataclass(frozen=True)
class FontFamily:
    """The four styles of a font family; missing styles fall back to regular."""

    regular: FontFile
    bold: FontFile
    italic: FontFile
    bold_italic: FontFile

    def style(self, bold: bool, italic: bool) -> FontFile:
        return {(False, False): self.regular, (True, False): self.bold,
                (False, True): self.italic, (True, True): self.bold_italic}[(bold, italic)]

    def width(self, text: str, size: float, bold: bool = False, italic: bool = False) -> float:
        """Width of `text` in points at `size`, with the slack every measure keeps."""
        return self.style(bold, italic).em_width(text) * size * WIDTH_SLACK


@lru_cache(maxsize=32)
def _font_file(path: Path) -> FontFile:
    return FontFile(path)


def load_family(files: dict[str, Path]) -> FontFamily:
    """A family from {regular, bold, italic, bold_italic: path}; only regular is required."""
    regular = _font_file(files["regular"])
    pick = lambda style: _font_file(files[style]) if style in files else regular  # noqa: E731
    return FontFamily(regular, pick("bold"), pick("italic"), pick("bold_italic"))


# --- wrapping and fitting ------------------------------------------------------------------


@dataclass(frozen=True)
class TextStyle:
    """How a text box sets its paragraphs: font, line height and space between paragraphs."""

    family: FontFamily
    line_spacing: float  # line height as a multiple of the size
    space_before: float = 0.0  # points before every paragraph but the first, at the design size

    def line_height(self, size: float) -> float:
        return size * self.line_spacing

    def gap(self, size: float, design_size: float) -> float:
        return self.space_before * size / design_size  # the space shrinks with the text


# where PowerPoint and LibreOffice may break a word: after a hyphen between letters ("treatment-|resistant")
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_][-\u2010])(?=[^\W\d_])")


def _words(para: Para) -> list[list[Span]]:
    """The paragraph as words, each a list of styled pieces (a word may change style midway)."""
    words: list[list[Span]] = [[]]
    for span in para.spans:
        for i, piece in enumerate(re.split(r"( )", span.text)):
            if piece == " ":
                words.append([])
            elif piece:
                words[-1].append(replace(span, text=piece))
    return [w for w in words if w]


def _parts(word: list[Span]) -> list[list[Span]]:
    """A word as the pieces a viewer may break it into; a citation (its spaces no-break) is kept whole.

    The table gives a citation's column its whole width, so no viewer breaks it even at a hyphen.
    """
    if any(NBSP in s.text for s in word) or not any(_HYPHEN_BREAK.search(s.text) for s in word):
        return [word]
    parts: list[list[Span]] = [[]]
    for span in word:
        for i, piece in enumerate(_HYPHEN_BREAK.split(span.text)):
            parts += [[]] if i else []
            parts[-1] += [replace(span, text=piece)] if piece else []
    return [p for p in parts if p]


def _width(pieces: list[Span], family: FontFamily, size: float) -> float:
    return sum(family.width(p.text, size, p.bold, p.italic) for p in pieces)


class _Wrap(NamedTuple):
    """Greedy line breaking, one word at a time: where the text stands after the words so far."""

    available: float  # width of the line being filled: the first line's until a word wraps
    rest: float  # width of the lines after the first
    space: float  # width of the space between words
    lines: int = 1
    used: float = 0.0

    def add(self, word_width: float) -> _Wrap:
        """The state after one more word of `word_width` points."""
        available, rest, space, lines, used = self
        if used and used + space + word_width <= available:
            return _Wrap(available, rest, space, lines, used + space + word_width)
        lines, available = (lines + 1, rest) if used else (lines, available)
        extra = max(0, math.ceil(word_width / available) - 1)  # a word wider than the line breaks
        return _Wrap(available, rest, space, lines + extra, word_width - extra * available)

    def add_word(self, parts: list[float]) -> _Wrap:
        """The state after a word of pieces `parts` wide, which may break between them (after a hyphen)."""
        state = self.add(parts[0])
        for width in parts[1:]:
            available, rest, space, lines, used = state
            state = _Wrap(available, rest, space, lines, used + width) if used + width <= available \
                else _Wrap(rest, rest, space, lines + 1).add(width)
        return state

    def height(self, style: TextStyle, size: float) -> float:
        return self.lines * style.line_height(size)


def _wrap(para: Para, family: FontFamily, size: float, width: float) -> _Wrap:
    """The empty state of `para` in a box `width` points wide."""
    first = width if para.hanging else width - para.indent
    return _Wrap(first, width - para.indent, family.width(" ", size))


@lru_cache(maxsize=4096)  # fitting measures one paragraph at many sizes and widths
def _breakable(para: Para) -> tuple[tuple[tuple[Span, ...], ...], ...]:
    """The paragraph's words, each as the pieces a viewer may break it into."""
    return tuple(tuple(tuple(part) for part in _parts(word)) for word in _words(para))


@lru_cache(maxsize=65536)  # fitting re-measures the same paragraphs at the same sizes many times
def line_count(para: Para, family: FontFamily, size: float, width: float) -> int:
    """How many lines `para` takes in a box `width` points wide (insets already taken off)."""
    state = _wrap(para, family, size, width)
    for parts in _breakable(para):
        state = state.add_word([_width(part, family, size) for part in parts])
    return state.lines


def longest_word(para: Para, family: FontFamily, size: float) -> float:
    """Width in points of the widest piece of `para` a line can hold: a word, the part of a hyphenated word up to
    its hyphen, or a whole citation (its words joined by no-break spaces)."""
    return max((_width(part, family, size) for parts in _breakable(para) for part in parts), default=0.0)


def text_height(paras: list[Para], style: TextStyle, size: float, width: float, design_size: float) -> float:
    """Height in points of `paras` set at `size` in a box `width` wide."""
    lines = sum(line_count(p, style.family, size, width) for p in paras)
    return lines * style.line_height(size) + style.gap(size, design_size) * max(0, len(paras) - 1)


def fitting_size(paras: list[Para], style: TextStyle, width: float, height: float,
                 largest: float, smallest: float) -> float | None:
    """The largest size from `largest` down to `smallest` (by 1 pt) at which `paras` fit; None if none."""
    size = largest
    while size >= smallest - 1e-6:
        if text_height(paras, style, size, width, largest) <= height:
            return size
        size -= 1
    return None


def split_para(para: Para, style: TextStyle, size: float, width: float, height: float) -> list[Para]:
    """A paragraph too long for one box cut at word boundaries into pieces that fit, marked with '…'.

    Each piece takes words while they and a closing '…' still fit: one pass over the words.
    """
    words = " ".join(s.text for s in para.spans).split(" ")
    pieces: list[Para] = []
    while words:
        take = _words_that_fit(para, words, style, size, width, height)
        pieces.append(_plain(para, words[:take] + (["…"] if take < len(words) else [])))
        words = words[take:]
    return pieces


def _words_that_fit(para: Para, words: list[str], style: TextStyle, size: float, width: float,
                    height: float) -> int:
    """How many of `words` (at least one) fit in the box followed by '…'."""
    family = style.family
    ellipsis = family.width("…", size)
    state = _wrap(para, family, size, width)
    take = 0
    for word in words:
        if word:
            state = state.add(family.width(word, size))
        if take and state.add(ellipsis).height(style, size) > height:
            break
        take += 1
    return max(take, 1)


def _plain(para: Para, words: list[str]) -> Para:
    return Para((Span(" ".join(words)),), para.indent, para.hanging, para.bullet)
