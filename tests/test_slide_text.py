"""Measuring and fitting slide text with the themes' font files."""

from __future__ import annotations

from PIL import ImageFont

from pipeline.model import Cite, Emph, Strong, Text
from pipeline.render.slides.metrics import (WIDTH_SLACK, TextStyle, fitting_size, line_count, load_family,
                                            split_para)
from pipeline.render.slides.text import Para, Span, clean, spans
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


def test_a_hyphenated_word_breaks_after_its_hyphen_and_a_citation_not_at_all():
    """As PowerPoint and LibreOffice wrap: "treatment-|resistant", but a citation's no-break spaces hold it whole."""
    from pipeline.render.slides.metrics import longest_word
    from pipeline.render.slides.text import spans_with_whole_cites

    half = FAMILY.width("treatment-", 20) + 1
    assert line_count(Para((Span("treatment-resistant"),)), FAMILY, 20, half) == 2
    assert longest_word(Para((Span("a treatment-resistant case"),)), FAMILY, 20) == FAMILY.width("treatment-", 20)
    cite = Cite((), "narrative", None, (Text("Smith-Jones et al. (2020)"),))
    cell = spans_with_whole_cites((Text("As "), cite, Text(" found")))
    assert cell == (Span("As Smith-Jones\u00a0et\u00a0al.\u00a0(2020) found"),)  # the spaces around it still break
    assert longest_word(Para(cell), FAMILY, 20) == FAMILY.width("Smith-Jones\u00a0et\u00a0al.\u00a0(2020)", 20)
    assert FAMILY.width("et\u00a0al.", 20) == FAMILY.width("et al.", 20)  # Carlito has no no-break space: drawn as one


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


def _timed(work, *args) -> float:
    import time

    start = time.process_time()
    work(*args)
    return time.process_time() - start


def _long_para(words: int) -> Para:
    return Para((Span(" ".join(f"word{i % 97}" for i in range(words))),), indent=20, hanging=True)


def test_split_para_is_linear_in_the_words():
    """Splitting 4 times the words takes about 4 times as long (it once took 16 times: 101 s at 40 KB)."""
    small, large = _long_para(2000), _long_para(8000)
    split = lambda para: split_para(para, STYLE, 14, 800, 300)  # noqa: E731
    split(small)  # warm the width cache
    ratio = min(_timed(split, large) for _ in range(2)) / min(_timed(split, small) for _ in range(2))
    assert ratio < 8, ratio


def test_split_para_pieces_fit_and_keep_every_word():
    para = _long_para(3000)
    pieces = split_para(para, STYLE, 14, 800, 300)
    assert all(line_count(p, FAMILY, 14, 800) * STYLE.line_height(14) <= 300 for p in pieces)
    assert " ".join(p.text.rstrip("…") for p in pieces).split() == para.text.split()


def test_a_40_kb_title_is_cut_in_moments():
    from pipeline.render.slides.design import load_design
    from pipeline.render.slides.layout import Frame, fitted_line
    from pipeline.themes import load_theme

    frame = Frame(load_design(load_theme("default")), 960, 540)
    title = " ".join(f"word{i % 97}" for i in range(6000))[:40_000]
    para, size = fitted_line(frame, frame.title, title, 28, 20, "heading", bold=True)
    assert para.text.endswith("…") and len(para.text) < 400
    assert _timed(fitted_line, frame, frame.title, title * 4, 28, 20, "heading") < 6.0  # CPU seconds: 1.1 measured (a hang guard, not a speed target)
