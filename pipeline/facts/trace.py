"""Trace every number in key points, evidence rows and the lay summary to the body that supports it.

Support rules: an evidence row is supported by the body only; a key point or
a lay sentence by the body or by an evidence row that is itself supported
(so changing a body number flags the row and everything that repeats it).
Support means the same kind and an equal value anywhere in the body. An
unsupported number is a warning at its own line and column, quoting the
nearest body number of the same kind, from the section it most likely
speaks of. Evidence rows must also tie to the text: a study cited nowhere in
the body, or a condition no section discusses, is a warning at the row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from pipeline.diagnostics import Diagnostic, Location
from pipeline.facts.places import (Locator, Place, body_places, evidence_places, key_point_places,
                                   lay_places)
from pipeline.facts.quantities import Quantity, extract, text_of
from pipeline.model import Document, citations, plain_text

KIND_NAMES = {"people": "number of people", "studies": "number of studies", "dose": "dose",
              "duration": "duration", "percent": "percentage"}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_TITLE_STOP = frozenset("the and of in for on with a an to its their or as by from at vs".split())
# Words that say nothing about which condition a row is about.
_GENERIC = frozenset("disorder disorders disease diseases syndrome syndromes condition conditions symptom "
                     "symptoms chronic acute severe mild moderate major minor other various mixed patients "
                     "people adults children".split()) | _TITLE_STOP
_QUALIFIER = re.compile(r"\s(?:with|and|in|plus|without|after|following|due)\s|[(,;:]", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A quantity in a place, located in the file."""

    quantity: Quantity
    place: Place
    location: Location


@dataclass(frozen=True)
class TracedFact:
    """A checked number, where it stands and what supports it (None: nothing does)."""

    found: Found
    support: Found | None


@dataclass(frozen=True)
class TraceResult:
    """Every traced fact in reading order, and the warnings about facts and evidence rows."""

    facts: tuple[TracedFact, ...]
    diagnostics: tuple[Diagnostic, ...]


def stem(word: str) -> str:
    """A crude stem that lets "depressive" meet "depression" and "anxiety" meet "anxieties"."""
    word = word.lower()
    return word[:5] if len(word) >= 5 else word


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def trace(document: Document, source_text: str | None = None) -> TraceResult:
    """Trace the document's facts; `source_text` (review.yaml's text) makes each location exact."""
    return _Tracer(document, Locator(source_text)).run()


class _Index:
    """Quantities by kind and rounded value, so a lookup costs a few comparisons, not a scan."""

    def __init__(self) -> None:
        self.buckets: dict[tuple, list[Found]] = defaultdict(list)
        self.by_kind: dict[str, list[Found]] = defaultdict(list)
        self.seen: set[tuple] = set()

    def add(self, found: Found) -> None:
        low, high = found.quantity.base()
        q = found.quantity  # a value a section repeats supports nothing more: keep its first
        signature = (found.place.section, found.place.row, q.kind, q.family, low, high, q.period, q.approx)
        if signature in self.seen:
            return
        self.seen.add(signature)
        self.buckets[(found.quantity.kind, found.quantity.family, round(low), round(high))].append(found)
        self.by_kind[found.quantity.kind].append(found)

    def matches(self, quantity: Quantity) -> list[Found]:
        low, high = (round(v) for v in quantity.base())
        found = []
        for dl in (-1, 0, 1):
            for dh in (-1, 0, 1):
                bucket = self.buckets.get((quantity.kind, quantity.family, low + dl, high + dh), ())
                found += [f for f in bucket if f.quantity.same(quantity)]
        return found


class _Tracer:
    def __init__(self, document: Document, locator: Locator):
        self.document = document
        self.locator = locator
        self.body = _Index()
        self.rows = _Index()
        self.topics = _topic_words(document)
        self.places = body_places(document)
        self.cited = _cited_by_section(self.places)
        self.diagnostics: list[Diagnostic] = []

    def run(self) -> TraceResult:
        for place in self.places:
            for found in self._found(place):
                self.body.add(found)
        facts = [self._check(f, (self.body,)) for p in evidence_places(self.document) for f in self._found(p)]
        for fact in facts:
            if fact.support and not fact.found.quantity.weak:
                self.rows.add(fact.found)
        for place in key_point_places(self.document) + lay_places(self.document):
            facts += [self._check(f, (self.body, self.rows)) for f in self._found(place)]
        checked = [f for f in facts if not f.found.quantity.weak]
        self.diagnostics += _evidence_ties(self.document, self.places, self.cited)
        return TraceResult(tuple(checked), tuple(self.diagnostics))

    def _found(self, place: Place) -> list[Found]:
        text = text_of(place.runs)
        return [Found(q, place, self.locator.locate(place, q, text)) for q in extract(text)]

    def _check(self, found: Found, indexes: tuple[_Index, ...]) -> TracedFact:
        if found.quantity.weak:
            return TracedFact(found, None)
        preferred = self._preferred(found)
        for index in indexes:
            matches = index.matches(found.quantity)
            if matches:
                best = next((m for m in matches if m.place.section in preferred), matches[0])
                return TracedFact(found, best)
        self.diagnostics.append(Diagnostic("warning", self._unsupported(found, preferred), found.location))
        return TracedFact(found, None)

    def _unsupported(self, found: Found, preferred: list[str]) -> str:
        said = f"{found.place.label} says '{found.quantity.text}'"
        near = _nearest(found.quantity, self.body.by_kind.get(found.quantity.kind, []), preferred)
        if near is None:
            return f"{said}; the body gives no {KIND_NAMES[found.quantity.kind]} to support it"
        return f"{said}; {near.place.label} says '{near.quantity.text}'"

    def _preferred(self, found: Found) -> list[str]:
        """The body sections this fact most likely speaks of, best first."""
        place = found.place
        if place.section:
            return [place.section]
        if place.role == "evidence":
            return _row_sections(self.document, place.row, self.cited)
        return _topic_near(text_of(place.runs), found.quantity.start, self.topics)


def _nearest(quantity: Quantity, candidates: list[Found], preferred: list[str]) -> Found | None:
    """The body number to quote: same family first, then from a preferred section, then closest in value."""
    def rank(found: Found) -> tuple:
        other = found.quantity
        place = preferred.index(found.place.section) if found.place.section in preferred else len(preferred)
        return (other.family != quantity.family, place, abs(other.base()[0] - quantity.base()[0]))
    return min(candidates, key=rank, default=None)


def _topic_words(document: Document) -> dict[str, str]:
    """Title words that name one section only ("depression" → 'depression'), by stem."""
    owners: dict[str, set[str]] = defaultdict(set)
    for section in document.sections:
        for word in words(f"{section.title} {section.id.replace('-', ' ')}"):
            if word.lower() not in _TITLE_STOP and len(word) > 2:
                owners[stem(word)].add(section.id)
    return {word: next(iter(ids)) for word, ids in owners.items() if len(ids) == 1}


def _topic_near(text: str, at: int, topics: dict[str, str]) -> list[str]:
    """Sections whose topic words stand near offset `at`, nearest first (a word before counts double)."""
    scored = []
    for match in _WORD.finditer(text):
        section = topics.get(stem(match.group()))
        if section:
            distance = at - match.start() if match.start() <= at else 2 * (match.start() - at)
            scored.append((distance, section))
    return list(dict.fromkeys(section for _, section in sorted(scored)))


def _cited_by_section(places: list[Place]) -> dict[str, set[str]]:
    """The citation keys each body section cites."""
    cited: dict[str, set[str]] = defaultdict(set)
    for place in places:
        cited[place.section].update(item.key for cite in citations(place.runs) for item in cite.items)
    return cited


def _row_sections(document: Document, row: int, cited: dict[str, set[str]]) -> list[str]:
    """The sections that cite the row's study, in document order."""
    keys = {item.key for cite in citations(document.evidence.studies[row].study) for item in cite.items}
    return [sid for sid, keys_cited in cited.items() if keys_cited & keys]


def _evidence_ties(document: Document, places: list[Place], by_section: dict[str, set[str]]) -> list[Diagnostic]:
    """A warning at each row whose study the body never cites or whose condition no section discusses."""
    if not document.evidence:
        return []
    cited = set().union(*by_section.values())
    discussed = _section_stems(document, places)
    found = []
    for n, row in enumerate(document.evidence.studies, 1):
        for key in dict.fromkeys(item.key for cite in citations(row.study) for item in cite.items):
            if key not in cited:
                found.append(Diagnostic("warning", f"evidence row {n} cites '{key}', which no section of the body "
                                        "cites; discuss the study in the body or remove the row", row.location))
        condition = plain_text(row.condition).strip()
        needed = _condition_stems(condition)
        if needed and not any(needed <= stems for stems in discussed):
            found.append(Diagnostic("warning", f"evidence row {n}: no section discusses its condition "
                                    f"'{condition}'; discuss it in the body or correct the condition",
                                    row.location))
    return found


def _section_stems(document: Document, places: list[Place]) -> list[set[str]]:
    """The word stems of each section's title and body."""
    stems = {section.id: {stem(w) for w in words(section.title)} for section in document.sections}
    for place in places:
        stems[place.section].update(stem(w) for w in words(text_of(place.runs)))
    return list(stems.values())


def _condition_stems(condition: str) -> set[str]:
    """What a condition is about: its words before any qualifier ("Depression with chronic pain" → depression)."""
    main = _QUALIFIER.split(f" {condition} ", maxsplit=1)[0]
    for text in (main, condition):
        stems = {stem(w) for w in words(text) if w.lower() not in _GENERIC}
        if stems:
            return stems
    return set()
