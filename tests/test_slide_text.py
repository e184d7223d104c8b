"""Measuring and fitting slide text with the themes' font files."""

from __future__ import annotations

from PIL import ImageFont

from pipeline.model import Cite, Emph, Strong, Text
from pipeline.render.slide_text import (WIDTH_SLACK, Para, Span, TextStyle, clean, fitting_size, line_count,
                                        load_family, spans, split_para)
from pipeline.themes import THEMES_DIR

FONTS = THEMES_DIR / "default" / "fonts"
FAMILY = load_family({"regular": FONTS / "Carlito-Regular.ttf", "bold": FONTS / "Carlito-Bold.ttf",
                      "italic": FONTS / "Carlito-Italic.ttf"})
STYLE = TextStyle(FAMILY, 1.25, 0.0)


def test_clean_drops_control_characters_and_folds_spaces():
    assert clean("a\x01b\x0b c\t\nd\ufffe") == "ab c d"


def test_widths_are_the_fonts_advances_plus_slack():
    pillow = ImageFont.truetype(str(FONTS / "Carlito-Regular.ttf"), 1000).getlength("Naltrexone")
    assert abs(FAMILY.width("Naltrexone", 1000) - pillow * WIDTH_SLACK) < 0.02 * pillow


def test_bold_is_wider_and_missing_glyphs_count_one_em():
    assert FAMILY.width("Depression", 20, bold=True) > FAMILY.width("Depression", 20)
    assert FAMILY.width("漢", 20) == 20 * WIDTH_SLACK


def test_spans_map_emphasis_and_citations():
    runs = (Text("See "), Emph((Text("this"),)), Text(" "), Strong((Text("now"),)),
            Cite((), "parenthetical", None, (Text(" (Smith, 2020)"),)))
    assert spans(runs) == (Span("See "), Span("this", italic=True), Span(" "), Span("now", bold=True),
                           Span(" (Smith, 2020)"))


def test_line_count_wraps_at_words_and_breaks_long_words():
    word = "word"
    width = FAMILY.width(word, 20)
    assert line_count(Para((Span(word),)), FAMILY, 20, width + 1) == 1
    assert line_count(Para((Span(f"{word} {word}"),)), FAMILY, 20, width + 1) == 2
    assert line_count(Para((Span("w" * 40),)), FAMILY, 20, width) >= 8
    assert line_count(Para((Span(f"{word} {word}"),)), FAMILY, 20, width * 2.5) == 1
    assert line_count(Para((Span(f"{word} {word}"),), indent=30), FAMILY, 20, width * 2.5) == 2


def test_fitting_size_shrinks_but_never_below_the_minimum():
    para = [Para((Span("a few words that need two lines at the large size"),))]
    width = FAMILY.width("a few words that need two", 28)
    assert fitting_size(para, STYLE, width, 28 * 1.25 * 2, 28, 20) == 28
    assert fitting_size(para, STYLE, width, 28 * 1.25, 28, 20) is None


def test_split_para_cuts_at_words_with_an_ellipsis():
    para = Para((Span(" ".join(f"w{n}" for n in range(200))),))
    pieces = split_para(para, STYLE, 20, 300, 100)
    assert len(pieces) > 1 and all(p.text.endswith("…") for p in pieces[:-1])
    assert all(line_count(p, FAMILY, 20, 300) * 25 <= 100 for p in pieces)
