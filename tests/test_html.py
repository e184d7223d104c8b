"""article.html: one self-contained page with the structure readers and tools expect."""

from __future__ import annotations

import re

import lxml.html
import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.html import render
from pipeline.themes import load_theme


def html_of(folder, theme="default") -> str:
    document, _ = load_review(folder)
    return render(document, load_theme(theme), Settings())["article.html"].decode("utf-8")


@pytest.fixture(scope="module")
def page() -> str:
    return html_of(BUNDLED)


def test_language_and_title_block(page):
    assert '<html lang="en-GB">' in page
    assert '<h1 class="title">Exploring the Potential' in page
    assert "Dr Robert Becker, MCMA" in page and "Psychiatric Assessor" in page


def test_sections_have_ids_and_a_short_article_has_no_contents_list(page):
    for section_id in ("introduction", "mechanisms", "depression", "anxiety", "ptsd", "safety",
                       "future-research", "conclusion"):
        assert f'<section id="{section_id}"' in page
    assert 'id="toc-heading"' not in page  # 753 words: below the theme's contents_min_words


def test_the_title_block_shows_keywords(page):
    assert '<p class="keywords"><span class="field-label">Keywords:</span> low-dose naltrexone; LDN;' in page


def test_evidence_table_is_a_real_table(page):
    table = lxml.html.fromstring(page).find_class("evidence-table")[0]
    assert table.tag == "table" and table.find("caption") is not None
    columns = [th.text_content() for th in table.xpath("thead/tr/th[@scope='col']")]
    assert len(columns) == 6
    rows = table.xpath("tbody/tr")
    assert len(rows) == 4 and all(row.xpath("th[@scope='row']") for row in rows)
    for row in rows:  # on a phone each cell shows its column's name (the CSS reads data-label)
        assert [td.get("data-label") for td in row.xpath("td")] == columns[1:]


def test_every_reference_has_a_pandoc_id_and_citations_link_to_it(page):
    ids = re.findall(r'<li id="ref-([^"]+)" class="csl-entry">', page)
    assert len(ids) == 10
    assert set(re.findall(r'href="#ref-([^"]+)"', page)) <= set(ids)
    assert '<a class="cite" href="#ref-mischoulon2021">Mischoulon et al. (2021)</a>' in page


def test_self_contained(page):
    assert "<link" not in page and not re.search(r'src="(https?:|file:|/)', page)
    assert "@media screen and (max-width" in page  # responsive CSS inlined


def test_classic_theme_differs(page):
    assert html_of(BUNDLED, "classic") != page


UNSAFE = """
title: Unsafe
authors: [{name: A}]
abstract: 'An abstract with <b>bold</b>.'
sections:
  - title: Only
    body:
      - 'Look <script>alert(1)</script> and <img src="file:///etc/passwd"> here.'
"""


def test_raw_html_is_shown_as_text(make_review):
    page = html_of(make_review(UNSAFE, bib=""))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
    assert "<script>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
