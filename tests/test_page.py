"""The article page read as a journal reader reads it: line length, hyphens, front matter, tables.

Lines are taken from the PDF with pdfplumber, column by column, in the body text's size only.
"""

from __future__ import annotations

import collections
import re
import statistics
from pathlib import Path

import pdfplumber
import pytest
import yaml

from conftest import BUNDLED, FIXTURES
from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.pdf import render
from pipeline.render.templating import plain_text
from pipeline.themes import load_theme

MARGIN = 50  # points: running head and footer live in the top and bottom page margins
GUTTER = 14  # points: a wider gap between two words on one baseline is a column gap


def longer_review(folder: Path) -> Path:
    """The bundled review told three times over (new section ids and titles): about 2,300 words."""
    data = yaml.safe_load((BUNDLED / "review.yaml").read_text(encoding="utf-8"))
    data["sections"] = [{**s, "title": f"{s['title']}{suffix}", "id": f"{s['id']}{suffix.lower().replace(' ', '-')}"}
                        for suffix in ("", " Part 2", " Part 3") for s in data["sections"]]
    folder.mkdir()
    (folder / "review.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (folder / "references.bib").write_bytes((BUNDLED / "references.bib").read_bytes())
    return folder


REVIEWS = {"bundled": lambda tmp: BUNDLED, "longer": lambda tmp: longer_review(tmp / "longer"),
           "slides-long": lambda tmp: FIXTURES / "slides-long"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(review, theme) → (Document, PDF path), each built once."""
    cache = {}

    def build(review: str, theme: str):
        if (review, theme) not in cache:
            tmp = tmp_path_factory.mktemp(f"{review}-{theme}")
            document, _ = load_review(REVIEWS[review](tmp))
            path = tmp / "article.pdf"
            path.write_bytes(render(document, load_theme(theme), Settings())["article.pdf"])
            cache[review, theme] = document, path
        return cache[review, theme]
    return build


def body_size(pages: list[list[dict]], document) -> float:
    """The size the body is set in: that of the first words of the first paragraph."""
    first = next(b for s in document.sections for b in s.blocks if hasattr(b, "runs"))
    opening = plain_text(first.runs).split()[:3]
    for words in pages:
        for i in range(len(words) - 2):
            if [w["text"] for w in words[i:i + 3]] == opening:
                return round(words[i]["size"], 1)
    raise AssertionError(f"the first paragraph ({' '.join(opening)}...) is not in the PDF")


def body_lines(path: Path, document) -> list[str]:
    """Every line of body-size text, in reading order (page, column, top to bottom)."""
    with pdfplumber.open(path) as pdf:
        pages = [p.crop((0, MARGIN, p.width, p.height - MARGIN)).extract_words(extra_attrs=["size"])
                 for p in pdf.pages]
        middle = pdf.pages[0].width / 2
    size = body_size(pages, document)
    lines = []
    for words in pages:
        rows = collections.defaultdict(list)
        for w in words:
            if abs(w["size"] - size) < 0.15:
                rows[round(w["bottom"])].append(w)
        pieces = []
        for row in rows.values():
            row.sort(key=lambda w: w["x0"])
            pieces.append([row[0]])
            for previous, word in zip(row, row[1:]):
                if word["x0"] - previous["x1"] > GUTTER:
                    pieces.append([])
                pieces[-1].append(word)
        pieces.sort(key=lambda p: (p[0]["x0"] > middle, p[0]["bottom"]))
        lines += [" ".join(w["text"] for w in piece) for piece in pieces]
    return lines


def hyphen_stack(lines: list[str]) -> int:
    """The most consecutive lines that end in a hyphen."""
    longest = run = 0
    for line in lines:
        run = run + 1 if line.endswith("-") else 0
        longest = max(longest, run)
    return longest


@pytest.mark.parametrize("theme", ["default", "classic"])
@pytest.mark.parametrize("review", ["bundled", "longer", "slides-long"])
def test_a_journal_measure_and_no_stacked_hyphens(built, review, theme):
    document, path = built(review, theme)
    lines = body_lines(path, document)
    median = statistics.median(len(line) for line in lines)
    assert median <= 85, (review, theme, median)
    assert hyphen_stack(lines) <= 2, (review, theme)


def test_body_lines_are_read_column_by_column(built):
    document, path = built("bundled", "default")
    text = " ".join(body_lines(path, document))
    assert "Naltrexone, a well-known opioid antagonist, has been used for decades" in text


def text_of(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() for page in pdf.pages)


@pytest.mark.parametrize("theme", ["default", "classic"])
def test_a_short_article_has_no_contents_list_and_a_title_block(built, theme):
    document, path = built("bundled", theme)
    text = text_of(path)
    assert "Contents" not in text
    assert "Keywords:" in text and "neuroinflammation" in text


def test_a_long_title_block_shows_affiliation_venue_and_date(built):
    document, path = built("slides-long", "default")
    flat = re.sub(r"\s+", " ", text_of(path))
    assert "University of Somewhere Far Away" in flat
    assert document.decided.date_text in flat


def test_a_theme_decides_when_an_article_needs_contents():
    theme = load_theme("default")
    assert not theme.shows_contents(753) and theme.shows_contents(2300)
    from dataclasses import replace
    assert replace(theme, contents="always").shows_contents(0)
    assert not replace(theme, contents="never").shows_contents(10 ** 6)


def test_a_table_that_breaks_says_continued_and_repeats_its_header(built):
    document, path = built("slides-long", "classic")
    with pdfplumber.open(path) as pdf:
        pages = [page.extract_text() for page in pdf.pages]
    continued = [i for i, text in enumerate(pages) if "Table 1. Continued" in text]
    assert continued, "the evidence table of slides-long runs over a page"
    assert all("Main finding" in pages[i] for i in continued)
    assert not any("Table 1. Continued" in text for text in pages[continued[-1] + 1:])


def test_classic_prints_on_white_paper(built):
    """The cream tint is the screen's: no filled rectangle covers a printed page."""
    _, path = built("bundled", "classic")
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            assert not [r for r in page.rects if r["width"] > page.width * 0.9 and r["height"] > page.height * 0.9]
