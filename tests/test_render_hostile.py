"""Renderers given hostile but valid input: odd file names, unencodable text. None may crash."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from conftest import GOOD
from pipeline.loader import load_review
from pipeline.render import OUTPUTS, Settings
from pipeline.themes import load_theme

ODD_NAME = "fig #1 ?50% & <x>.png"


def test_a_figure_named_with_url_characters_builds_into_html_and_pdf(make_review, tmp_path):
    import pdfplumber

    folder = make_review(GOOD.replace("      - A paragraph.",
                                      f"      - A paragraph.\n      - image: '{ODD_NAME}'\n        alt: A red box"))
    Image.new("RGB", (60, 40), "red").save(tmp_path / folder / ODD_NAME)
    document, _ = load_review(folder)
    theme = load_theme(document.theme)
    html = OUTPUTS["html"].render(document, theme, Settings()).files["article.html"].decode("utf-8")
    assert 'src="data:image/png;base64,' in html and 'alt="A red box"' in html
    pdf = OUTPUTS["pdf"].render(document, theme, Settings()).files["article.pdf"]
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        assert sum(len(page.images) for page in opened.pages) == 1


def test_the_print_html_quotes_the_image_url(make_review, tmp_path):
    from pipeline.render.html import article_html

    folder = make_review(GOOD.replace("      - A paragraph.",
                                      f"      - A paragraph.\n      - image: '{ODD_NAME}'\n        alt: A"))
    Image.new("RGB", (6, 4), "red").save(tmp_path / folder / ODD_NAME)
    document, _ = load_review(folder)
    html = article_html(document, load_theme(document.theme), Settings(), for_print=True)
    assert 'src="fig%20%231%20%3F50%25%20%26%20%3Cx%3E.png"' in html


def _hostile(document):
    """The bundled review with a lone surrogate and control characters in every kind of field."""
    import dataclasses

    from pipeline.model import Paragraph, Text

    odd = "x\ud800y\x00\x1b\ufffe\U0001F600 z"
    first = document.sections[0]
    section = dataclasses.replace(first, title=first.title + odd, key_points=(
        Paragraph((Text(odd),), first.location),) + first.key_points)
    summary = dataclasses.replace(document.lay_summary, title=odd, disclaimer=odd)
    authors = tuple(dataclasses.replace(a, name=a.name + odd) for a in document.authors)
    return dataclasses.replace(document, title=document.title + odd, subtitle=odd, short_title=odd,
                               keywords=(odd,) + document.keywords, authors=authors, lay_summary=summary,
                               sections=(section,) + document.sections[1:])


@pytest.mark.parametrize("output", sorted(OUTPUTS))
def test_unencodable_text_never_crashes_a_renderer(output):
    from conftest import BUNDLED

    document, _ = load_review(BUNDLED)
    made = OUTPUTS[output].render(_hostile(document), load_theme(document.theme), Settings())
    assert made.files and all(data for data in made.files.values())
    for name, data in made.files.items():
        if name.endswith((".md", ".html")):
            assert "x?y" in data.decode("utf-8")
