"""The bundled review: the whole seed text is in the source, and every citation resolves.

In APA style the pipeline writes citations exactly as the seed does, so each
seed paragraph must come back word for word from the Document: a check of the
source text and of the citation formatting at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUNDLED, FIXTURES
from pipeline.loader import load_review
from pipeline.model import plain_text

# The text the bundled review was written from (a copy of the project's shared/seed/ldn-review.txt,
# so a clone of this repository tests on its own).
SEED = FIXTURES / "ldn-review-seed.txt"
# The only differences the issue allows: the typo fixed, and the two Younger 2014 papers told apart.
CORRECTIONS = {"safeand": "safe and", "Younger et al. (2014)": "Younger et al. (2014b)"}


def seed_paragraphs() -> list[str]:
    """The abstract and body paragraphs of the seed (headings, signature and residue left out)."""
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    body = lines[lines.index("Abstract"):next(i for i, l in enumerate(lines) if l.startswith("Dr Robert Becker"))]
    paragraphs = [line for line in body if len(line) > 100]
    for wrong, right in CORRECTIONS.items():
        paragraphs = [p.replace(wrong, right) for p in paragraphs]
    return paragraphs


@pytest.fixture(scope="module")
def document():
    document, warnings = load_review(BUNDLED)
    assert warnings == []
    return document


def test_seed_has_the_expected_shape():
    assert len(seed_paragraphs()) == 12  # abstract + 11 body paragraphs


def test_every_seed_paragraph_is_in_the_source_word_for_word(document):
    ours = [plain_text(p.runs) for p in document.abstract]
    ours += [plain_text(p.runs) for s in document.sections for p in s.paragraphs]
    assert ours == seed_paragraphs()


def test_sections_in_seed_order(document):
    assert [s.title for s in document.sections] == [
        "Introduction", "Mechanisms of Action of LDN Therapy", "LDN Therapy and Depression",
        "LDN Therapy and Anxiety", "LDN Therapy and PTSD", "Safety and Tolerability of LDN Therapy",
        "Future Research Directions", "Conclusion"]


def test_front_matter(document):
    [author] = document.authors
    assert author.display_name == "Dr Robert Becker, MCMA"
    assert author.roles == ("Mental Health Specialist", "Neuropsychologist", "Psychotherapist",
                            "Psychiatric Assessor")
    assert document.title.startswith("Exploring the Potential of Low-Dose Naltrexone")
    assert document.short_title and len(document.short_title) < len(document.title)


def test_every_reference_is_listed(document):
    assert len(document.bibliography.references) == 10


def test_source_is_clean_under_strict_check():
    from pipeline.cli import main

    assert main(["check", "--strict", "--quiet", str(BUNDLED)]) == 0
