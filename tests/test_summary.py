"""summary.md and summary.html: the plain-language summary's headings and facts."""

from __future__ import annotations

import pytest

from conftest import BUNDLED
from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.summary import render
from pipeline.themes import load_theme


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    document, _ = load_review(BUNDLED)
    return {k: v.decode("utf-8") for k, v in render(document, load_theme("default"), Settings()).files.items()}


def test_cochrane_layout_in_markdown(outputs):
    headings = [line for line in outputs["summary.md"].splitlines() if line.startswith("#")]
    assert headings == [
        "# Can a low dose of naltrexone help with depression, anxiety or PTSD?",
        "## Key messages", "## What is low-dose naltrexone?", "## What did the review look at?",
        "## How much evidence is there?", "## What did the review find?", "## How safe is it?", "## How certain is the evidence?",
        "## What happens next?", "## Words to know"]


@pytest.mark.parametrize("fact", [
    "1 to 5 mg a day",                                   # the dose
    "do not take LDN if you take opioid painkillers",    # the opioid warning
    "We cannot be sure yet",                             # the uncertainty
    "This summary is not medical advice",                # the disclaimer
])
def test_key_facts_in_both_outputs(outputs, fact):
    assert fact in outputs["summary.md"] and fact in outputs["summary.html"]


def test_depression_anxiety_and_ptsd_findings(outputs):
    found = outputs["summary.md"].split("## What did the review find?")[1].split("##")[0]
    assert "Depression:" in found and "Anxiety:" in found and "PTSD:" in found


def test_html_is_an_accessible_single_page(outputs):
    html = outputs["summary.html"]
    assert '<html lang="en-GB">' in html and 'class="skip-link" href="#main"' in html
    assert "<dt>placebo</dt>" in html and "<link" not in html and "font-size: 1.25rem" in html
    assert html.count("<h1>") == 1


HOSTILE = "<img src=x onerror=alert(1)> & *b* _i_ [l](http://e.com) `c` | # h"
HOSTILE_RUNS = "<img src=x onerror=alert(1)> | 1"  # in Markdown fields: Markdown itself is meant
HOSTILE_REVIEW = """\
title: "T {h}"
subtitle: "{h}"
authors:
  - name: "{h}"
  - name: "- {h}"
abstract: An abstract [@smith2020].
sections:
  - title: Introduction
    body:
      - A paragraph.
lay_summary:
  title: "# {h}"
  key_messages:
    - "{r}"
    - "- {r}"
    - "> {r}"
  sections:
    - heading: "> {h}"
      text: "1. {r}"
  disclaimer: "+ {h}"
glossary:
  - term: "{h}"
    meaning: "=== {r}"
"""


def test_hostile_fields_stay_text_in_markdown(make_review):
    """Every field written to summary.md reads as itself: no HTML element, no heading or list it made."""
    from markdown_it import MarkdownIt

    document, _ = load_review(make_review(HOSTILE_REVIEW.replace("{h}", HOSTILE).replace("{r}", HOSTILE_RUNS)))
    markdown = render(document, load_theme("default"), Settings()).files["summary.md"].decode("utf-8")
    html = MarkdownIt("commonmark", {"html": True}).render(markdown)
    assert "<img" not in html and "<a " not in html and "<code>" not in html and html.count("<em>") == 1
    assert html.count("<h1>") == 1 and html.count("<h2>") == 3 and "<ol" not in html
    assert html.count("&lt;img src=x onerror=alert(1)&gt; &amp; *b* _i_ [l](http://e.com) `c` | # h") == 8
    assert html.count("&lt;img src=x onerror=alert(1)&gt; | 1") == 5
    assert "<h1># &lt;img" in html and "<h2>&gt; &lt;img" in html and "<p>+ &lt;img" in html
    assert "<li>- &lt;img" in html and "<p>1. &lt;img" in html and ": === &lt;img" in html


def test_words_to_know_are_only_the_terms_it_uses(outputs):
    from pipeline.render.summary import words_used
    document, _ = load_review(BUNDLED)
    used = [t.term for t in words_used(document)]
    assert "placebo" in used and len(used) < len(document.glossary)  # "dummy pill (a placebo)" is in the chart's words
    listed = [line for line in outputs["summary.md"].split("## Words to know")[1].splitlines() if line.startswith("- **")]
    assert len(listed) == len(used) and outputs["summary.html"].count("<dt>") == len(used)


def test_the_safety_warning_stands_apart(outputs):
    assert '<div class="alert" role="alert"><p><strong>Important: do not take LDN' in outputs["summary.html"]
    assert "\n> **Important: do not take LDN if you take opioid painkillers" in outputs["summary.md"]


def test_date_and_link_to_the_full_review(make_review):
    folder = make_review("title: T\nauthors: [{name: A}]\nabstract: A.\nsections: [{title: S, body: [Text.]}]\n"
                         "date: 2025-03-14\nurl: https://example.org/r\nlay_summary:\n  title: L\n"
                         "  key_messages: [One., Two., Three.]\n  sections: [{heading: H, text: Words.}]\n", bib="")
    document, _ = load_review(folder)
    made = {k: v.decode() for k, v in render(document, load_theme("default"), Settings()).files.items()}
    assert "Up to date as of 14 March 2025." in made["summary.md"] and "](<https://example.org/r>)" in made["summary.md"]
    assert 'Up to date as of <time datetime="2025-03-14">14 March 2025</time>' in made["summary.html"]
    assert '<a href="https://example.org/r">' in made["summary.html"]
