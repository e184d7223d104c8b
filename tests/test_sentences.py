"""The one sentence splitter: a golden table of abbreviations, quotes, lists and endings."""

from __future__ import annotations

import time

import pytest

from pipeline.sentences import first_sentence, split_sentences

GOLDEN = [
    ("The 2018 U.S. Physical Activity Guidelines recommend 150 min. Adults should move more.",
     ["The 2018 U.S. Physical Activity Guidelines recommend 150 min.", "Adults should move more."]),
    ("Some conditions, e.g. depression, respond. Others do not.",
     ["Some conditions, e.g. depression, respond.", "Others do not."]),
    ("It blocks a receptor, i.e. this one. Then it stops.", ["It blocks a receptor, i.e. this one.", "Then it stops."]),
    ("Younger et al. found it. Then others did.", ["Younger et al. found it.", "Then others did."]),
    ("Younger et al. (2009) found it.", ["Younger et al. (2009) found it."]),
    ("It was shown by Younger et al. The next study disagreed.",
     ["It was shown by Younger et al.", "The next study disagreed."]),
    ("Dr Smith and Dr. Jones agreed. Next they wrote.", ["Dr Smith and Dr. Jones agreed.", "Next they wrote."]),
    ("LDN vs. placebo was tested. It worked.", ["LDN vs. placebo was tested.", "It worked."]),
    ("LDN vs. Placebo A was tested.", ["LDN vs. Placebo A was tested."]),
    ("Fig. 2 shows the trend. It rises.", ["Fig. 2 shows the trend.", "It rises."]),
    ("No. 5 was best. It won.", ["No. 5 was best.", "It won."]),
    ("Patients took a dose of 4.5 mg. Then they slept.", ["Patients took a dose of 4.5 mg.", "Then they slept."]),
    ("J. R. R. Tolkien wrote. Then he rested.", ["J. R. R. Tolkien wrote.", "Then he rested."]),
    ("They lacked vitamin D. The trial added it.", ["They lacked vitamin D.", "The trial added it."]),
    ("St. John's wort helps. It is a herb.", ["St. John's wort helps.", "It is a herb."]),
    ("Pain, fatigue, etc. These all improved.", ["Pain, fatigue, etc.", "These all improved."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("He said \u201cstop.\u201d Then he left.", ["He said \u201cstop.\u201d", "Then he left."]),
    ("It helped (as shown.) Then it faded.", ["It helped (as shown.)", "Then it faded."]),
    ("It ended. (See Fig. 2.) Then more.", ["It ended.", "(See Fig. 2.)", "Then more."]),
    ("Does it work? Yes! It does.", ["Does it work?", "Yes!", "It does."]),
    ("What? he asked.", ["What? he asked."]),
    ("We waited\u2026 Then it came.", ["We waited\u2026", "Then it came."]),
    ("We waited... Then it came.", ["We waited...", "Then it came."]),
    ("We waited... and it came.", ["We waited... and it came."]),
    ("Symptoms fell by half, a clear improvement (Mischoulon et al., 2021). Next came the trials.",
     ["Symptoms fell by half, a clear improvement (Mischoulon et al., 2021).", "Next came the trials."]),
    ("Steps: 1. First do this. 2. Then that.", ["Steps: 1. First do this.", "2. Then that."]),
    ("The dose was low. and it was safe.", ["The dose was low. and it was safe."]),
    ("It ended. 2019 was next.", ["It ended.", "2019 was next."]),
    ("A text with no final stop", ["A text with no final stop"]),
    ("One.\nTwo.", ["One.", "Two."]),
    ("  Two spaces.  Between sentences.  ", ["Two spaces.", "Between sentences."]),
    ("", []),
    ("   ", []),
]


@pytest.mark.parametrize("text, expected", GOLDEN, ids=[t[:40] or "empty" for t, _ in GOLDEN])
def test_golden_table(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The 2018 U.S. Physical Activity Guidelines recommend 150 min. Adults should move more.",
     "The 2018 U.S. Physical Activity Guidelines recommend 150 min."),
    ("No stop here", "No stop here"),
    ("", ""),
])
def test_first_sentence(text, expected):
    assert first_sentence(text) == expected


@pytest.mark.parametrize("lang", ["en", "en-GB", "EN-us", "de", ""])
def test_any_language_falls_back_to_english_rules(lang):
    assert split_sentences("Dr. Jones agreed. Next they wrote.", lang) == ["Dr. Jones agreed.", "Next they wrote."]


def test_sentences_keep_every_word_in_order():
    text = " ".join(t for t, _ in GOLDEN)
    assert " ".join(split_sentences(text)).split() == text.split()


def test_time_grows_linearly():
    text = " ".join(t for t, _ in GOLDEN) * 200  # about 300 kB: a quadratic splitter takes minutes
    started = time.process_time()
    split_sentences(text)
    assert time.process_time() - started < 2
