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
        "## What did the review find?", "## How safe is it?", "## How certain is the evidence?",
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
