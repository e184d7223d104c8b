"""The safe fetcher: files from the review and theme folders only, everything else refused."""

from __future__ import annotations

import pdfplumber
import pytest

from pipeline.diagnostics import InputError
from pipeline.fetcher import MAX_DATA_URL_BYTES, SafeFetcher
from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.pdf import html_to_pdf, render
from pipeline.themes import load_theme


@pytest.fixture
def fetcher(tmp_path):
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "ok.txt").write_text("fine")
    (tmp_path / "secret.txt").write_text("secret")
    return SafeFetcher([tmp_path / "review"])


def test_serves_a_file_inside(fetcher, tmp_path):
    assert fetcher.fetch((tmp_path / "review" / "ok.txt").as_uri()).read() == b"fine"


@pytest.mark.parametrize("url, reason", [
    ("file:///etc/passwd", "outside"),
    ("REVIEW/../secret.txt", "outside"),
    ("http://example.org/x.png", "http: is not allowed"),
    ("https://example.org/x.png", "https: is not allowed"),
    ("file:///dev/urandom", "outside"),
])
def test_refuses(fetcher, tmp_path, url, reason):
    url = url.replace("REVIEW", (tmp_path / "review").as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert reason in fetcher.refusals[-1].reason


def test_refuses_devices_even_inside(tmp_path):
    (tmp_path / "urandom").symlink_to("/dev/urandom")
    fetcher = SafeFetcher([tmp_path, __import__("pathlib").Path("/dev")])
    with pytest.raises(ValueError):
        fetcher.fetch((tmp_path / "urandom").as_uri())
    assert fetcher.refusals[-1].reason == "not a regular file"


def test_refuses_large_data_urls(fetcher):
    with pytest.raises(ValueError):
        fetcher.fetch("data:image/png;base64," + "A" * MAX_DATA_URL_BYTES)


MINIMAL = """
title: T
authors: [{name: A}]
abstract: An abstract.
sections:
  - title: Only
    body: [Text.]
"""


def test_refusals_become_input_errors(make_review):
    document, _ = load_review(make_review(MINIMAL, bib=""))
    html = '<p>x</p><img src="file:///etc/passwd"><img src="http://example.org/a.png">'
    with pytest.raises(InputError) as caught:
        html_to_pdf(html, document, load_theme("default"), Settings())
    messages = [d.message for d in caught.value.diagnostics]
    assert messages == [
        "refused to read 'file:///etc/passwd': outside the review folder and the theme folder",
        "refused to read 'http://example.org/a.png': http: is not allowed; only files inside the review "
        "or theme folder are"]


def test_figure_inside_the_folder_is_embedded_with_its_caption(make_review, tmp_path):
    from PIL import Image

    folder = make_review(MINIMAL.replace("body: [Text.]", "body:\n      - image: assets/chart.png\n"
                                         "        alt: A bar chart\n        caption: Scores *after* treatment"),
                         bib="")
    (tmp_path / "r" / "assets").mkdir()
    Image.new("RGB", (40, 20), "navy").save(tmp_path / "r" / "assets" / "chart.png")
    document, _ = load_review(folder)
    pdf = tmp_path / "fig.pdf"
    pdf.write_bytes(render(document, load_theme("default"), Settings())["article.pdf"])
    with pdfplumber.open(pdf) as opened:
        assert opened.pages[0].images
        assert "Figure 1. Scores after treatment" in opened.pages[0].extract_text()
