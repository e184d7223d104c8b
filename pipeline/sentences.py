"""Sentences of plain text, for every part of the pipeline that needs them (slides, readability).

A small rule-based splitter, not a library (measured 2026-11): pysbd 0.3.4
knows abbreviations but took 12-25 ms on the bundled lay summary and 10-18 s
on 50 times that text (its cost grows with the square of the length), and it
split "low. and" and missed "(as shown.) Then" and "waited… Then"; syntok
1.4.4 is faster (3-6 ms, 0.15-0.3 s) but kept "150 min. Adults" and "ended.
2019 was" together; nltk's punkt needs a data download. These rules pass the
table in tests/test_sentences.py, in 0.4 ms and 14 ms.

A boundary is a run of `.`, `!`, `?` or `…`, any closing quotes or brackets,
white space, then a capital letter or a digit (after any opening quotes or
brackets). After a full stop the word before it decides:

- a title or inline Latin abbreviation (Dr, St, vs, e.g., i.e., cf.) never
  ends a sentence;
- a word that stands before a number (Fig., No., p.) does not when a digit
  follows;
- an initial (J.), an initialism (U.S.) or an abbreviation that may end a
  sentence (et al., etc.) ends one only before a common sentence opener
  ("The", "Then", "It"...), so "J. R. R. Tolkien" and "U.S. Physical" hold
  together while "vitamin D. Then" splits ("vitamin D. Patients" does not:
  the known cost of this rule);
- a number or a letter that opens a sentence or follows a colon is a list
  marker ("1. First");
- any other word ends the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CANDIDATE = re.compile(r"(?P<stop>\.\.\.|[.!?\u2026]+)(?P<close>[\"'\u201d\u2019)\]]*)\s+(?=\S)")
_OPENERS = "\"'\u201c\u2018(["
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")  # J, U.S (the last stop is the candidate's)
_LIST_MARKER = re.compile(r"\d{1,2}|[A-Za-z]")
_TOKEN = re.compile(r"\S+")
_WORD = re.compile(r"[\w'\u2019]*")

# Per language, lower case, without the final stop. Languages without a list use English's.
_NEVER_END = {"en": frozenset(
    "dr mr mrs ms mx prof st mt rev fr sr gen col capt lt sgt hon messrs "
    "vs v e.g i.e cf viz approx ca incl esp".split())}
_BEFORE_NUMBER = {"en": frozenset("fig figs no nos vol vols eq eqs p pp ref refs tab sec ch ex".split())}
_MAY_END = {"en": frozenset("al etc inc ltd co corp jr resp".split())}
# Words that often open a sentence: after an abbreviation that may end one, they say it did.
_OPENER_WORDS = {"en": frozenset(
    "a an the this that these those there then they their it its in on at as we our he she his her "
    "but and however thus therefore also such when while if for after before both each most many some "
    "one only other overall further furthermore moreover still yet so although because since despite "
    "what which who why how here all few more not no none neither nor".split())}


def split_sentences(text: str, lang: str = "en") -> list[str]:
    """The sentences of `text`, stripped, in order; no empty ones."""
    return list(_sentences(text, lang))


def first_sentence(text: str, lang: str = "en") -> str:
    """The first sentence of `text`, or "" when it has none."""
    return next(_sentences(text, lang), "")


def _sentences(text: str, lang: str) -> Iterator[str]:
    words = _words(lang)
    start = 0
    for match in _CANDIDATE.finditer(text):
        if _is_boundary(text, start, match, words):
            if text[start:match.end()].strip():
                yield text[start:match.end()].strip()
            start = match.end()
    if text[start:].strip():
        yield text[start:].strip()


def _words(lang: str) -> tuple[frozenset[str], ...]:
    key = lang.split("-")[0].lower()
    key = key if key in _NEVER_END else "en"
    return _NEVER_END[key], _BEFORE_NUMBER[key], _MAY_END[key], _OPENER_WORDS[key]


def _is_boundary(text: str, start: int, match: re.Match, words: tuple[frozenset[str], ...]) -> bool:
    following = _TOKEN.match(text, match.end()).group().lstrip(_OPENERS)
    if not following or not (following[0].isupper() or following[0].isdigit()):
        return False  # "low. and it was safe" goes on
    if match.group("stop") != ".":
        return True  # "?", "!", "…", "..."
    before = _word_before(text, start, match.start())
    return _ends_with(before, text[start:match.start()], following, words)


def _word_before(text: str, start: int, stop: int) -> str:
    space = max(text.rfind(c, start, stop) for c in " \n\t\u00a0")
    return text[max(space + 1, start):stop].lstrip(_OPENERS)


def _ends_with(word: str, sentence: str, following: str, words: tuple[frozenset[str], ...]) -> bool:
    """Whether a full stop after `word` ends the sentence so far, given the word that follows."""
    never_end, before_number, may_end, openers = words
    lower = word.lower()
    if lower in never_end:
        return False
    if lower in before_number and following[0].isdigit():
        return False
    if _LIST_MARKER.fullmatch(word) and sentence[:-len(word)].rstrip()[-1:] in ("", ":"):
        return False  # "1. First", "Steps: 1. First"
    if lower in may_end or _INITIALS.fullmatch(word):
        return _first_word(following).lower() in openers
    return True


def _first_word(text: str) -> str:
    return _WORD.match(text).group().rstrip("'\u2019")
