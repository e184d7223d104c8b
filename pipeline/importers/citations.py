"""In-text citations → Pandoc citations, matched against the parsed reference list.

"(Brown & Panksepp, 2009; Toljan & Vrooman, 2018)" → "[@brown2009; @toljan2018]",
"Younger et al. (2014)" → "@younger2014b", "[1–3]" → "[@a; @b; @c]". A citation
that fits several references is linked to the likeliest (the one whose title
shares most words with its paragraph) and reported; one that fits none stays
as it was written and is reported. Either way the author is told where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.importers.references import Entry, fold

_PARTICLE = r"(?:(?:van|von|de|der|den|da|di|le|la|du|del|dos|ten|ter)\s+)"
_NAME = rf"{_PARTICLE}*[A-ZÀ-ÖØ-Þ][\w'’-]+"
_ETAL = r"\s+[*_]?et\s+al\.?[*_]?"
_AUTHORS = rf"{_NAME}(?:{_ETAL}|(?:,\s+{_NAME})*,?\s+(?:&|and)\s+{_NAME})?"
_YEAR = r"(?:\d{4}[a-z]?|n\.d\.)"
_LOCATOR = r"(?:pp?|chap|sec|para)\.\s*[\w–-]+"
_ITEM = re.compile(rf"(?P<prefix>(?:see|see also|e\.g\.,?|cf\.|i\.e\.,?)\s+)?(?P<authors>{_AUTHORS}),?\s+"
                   rf"(?P<years>{_YEAR}(?:,\s*{_YEAR})*)(?:,\s*(?P<locator>{_LOCATOR}))?")
_GROUP = re.compile(r"\((?P<body>[^()]*?\d{4}[^()]*)\)")
_NARRATIVE = re.compile(rf"(?<![\w@])(?P<authors>{_AUTHORS})\s+\((?P<years>{_YEAR})(?:,\s*(?P<locator>{_LOCATOR}))?\)")
_NUMERIC = re.compile(r"\\?\[(?P<body>\d+(?:\s*[-–]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–]\s*\d+)?)*)\\?\](?!\()")
_WORD = re.compile(r"[^\W\d_][\w-]{3,}")
_STOP = frozenset("with from that this were have been their which these study studies effect effects using "
                  "after into also more than review patients".split())


@dataclass
class Problem:
    """A citation to report at `offset` in the paragraph, with the comment review.yaml carries."""

    offset: int
    message: str
    comment: str


@dataclass
class Linked:
    """A paragraph with its citations in Pandoc's syntax."""

    text: str
    linked: int
    problems: list[Problem]


def link_citations(text: str, entries: list[Entry]) -> Linked:
    """Replace every recognised citation in `text` (Markdown) with a Pandoc citation."""
    result = Linked(text="", linked=0, problems=[])
    found = _matches(text)
    pieces, last = [], 0
    for match, kind in found:
        replacement = _convert(match, kind, text, entries, result)
        pieces += [text[last:match.start()], replacement if replacement is not None else match.group(0)]
        last = match.end()
    result.text = "".join(pieces) + text[last:]
    return result


def _matches(text: str) -> list[tuple[re.Match, str]]:
    """Narrative, numeric and parenthetical citations, in order, none overlapping."""
    found = [(m, "narrative") for m in _NARRATIVE.finditer(text)]
    found += [(m, "numeric") for m in _NUMERIC.finditer(text)]
    taken = [(m.start(), m.end()) for m, _ in found]
    found += [(m, "group") for m in _GROUP.finditer(text) if _all_items(m["body"])
              and not any(s < m.end() and m.start() < e for s, e in taken)]
    return sorted(found, key=lambda pair: pair[0].start())


def _all_items(body: str) -> list[re.Match] | None:
    items = [_ITEM.fullmatch(part.strip()) for part in body.split(";")]
    return items if all(items) else None


def _convert(match: re.Match, kind: str, text: str, entries: list[Entry], result: Linked) -> str | None:
    if kind == "numeric":
        keys = [_numbered(n, entries, match, result) for n in _numbers(match["body"])]
        return _bracket([f"@{k}" for k in keys]) if all(keys) else None
    if kind == "narrative":
        key = _author_year(match["authors"], match["years"], match, text, entries, result)
        return None if key is None else f"@{key}" + (f" [{match['locator']}]" if match["locator"] else "")
    parts = []
    for item in _all_items(match["body"]):
        for year in re.split(r",\s*", item["years"]):
            key = _author_year(item["authors"], year, match, text, entries, result)
            if key is None:
                return None
            parts.append(f"{item['prefix'] or ''}@{key}" + (f", {item['locator']}" if item["locator"] else ""))
    return _bracket(parts)


def _bracket(items: list[str]) -> str:
    return "[" + "; ".join(items) + "]"


def _numbers(body: str) -> list[int]:
    """"1, 3–5" → [1, 3, 4, 5]."""
    numbers: list[int] = []
    for part in re.split(r"\s*,\s*", body):
        bounds = [int(n) for n in re.split(r"\s*[-–]\s*", part)]
        low, high = bounds[0], bounds[-1]
        numbers += range(low, high + 1) if 0 <= high - low < 100 else [low, high]
    return numbers


def _numbered(number: int, entries: list[Entry], match: re.Match, result: Linked) -> str | None:
    numbered = {e.number if e.number is not None else i + 1: e for i, e in enumerate(entries)}
    if number in numbered:
        result.linked += 1
        return numbered[number].key
    written = match.group(0)
    result.problems.append(Problem(match.start(), f"citation '{written}': the reference list has no number "
                                   f"{number} (it holds {len(entries)}); left as text",
                                   f"CHECK: '{written}' names no reference; left as text"))
    return None


def _author_year(authors: str, year: str, match: re.Match, text: str, entries: list[Entry],
                 result: Linked) -> str | None:
    written = match.group(0)
    candidates = _candidates(authors, year, entries)
    if len(candidates) == 1:
        result.linked += 1
        return candidates[0].key
    if not candidates:
        near = _near(authors, year, entries)
        hint = f" (close: {', '.join(_describe(e) for e in near)})" if near else ""
        result.problems.append(Problem(match.start(), f"citation '{written}' matches no reference{hint}; left as text",
                                       f"CHECK: '{written}' matches no reference; left as text"))
        return None
    chosen = max(candidates, key=lambda e: _shared_words(e, text))
    names = ", ".join(_describe(e) for e in candidates)
    result.linked += 1
    result.problems.append(Problem(match.start(), f"citation '{written}' matches {len(candidates)} references: "
                                   f"{names}; chose {chosen.key} (its title shares most words with the "
                                   f"paragraph): check it",
                                   f"CHECK: '{written}' could be {', '.join(e.key for e in candidates)}; "
                                   f"chose {chosen.key} (title closest to this paragraph)"))
    return chosen.key


def _names(authors: str) -> tuple[list[str], bool]:
    etal = bool(re.search(_ETAL, authors))
    plain = re.sub(_ETAL, "", authors)
    return [fold(n) for n in re.split(r"\s*(?:,|&|\band\b)\s*", plain) if n.strip()], etal


def _candidates(authors: str, year: str, entries: list[Entry]) -> list[Entry]:
    names, etal = _names(authors)
    base, suffix = (year, "") if year == "n.d." else (year[:4], year[4:])
    same = [e for e in entries if e.families[:1] == names[:1] and (e.year or "n.d.") == base]
    if suffix:
        printed = [e for e in same if e.label_year == year]
        index = ord(suffix) - ord("a")
        return printed or (same[index:index + 1] if not any(e.label_year != e.year for e in same) else [])
    if etal:
        return [e for e in same if len(e.families) >= 3] or [e for e in same if len(e.families) >= 2]
    exact = [e for e in same if e.families == names]
    return exact or [e for e in same if e.families[:len(names)] == names]


def _near(authors: str, year: str, entries: list[Entry]) -> list[Entry]:
    names, _ = _names(authors)
    return [e for e in entries if e.families[:1] == names[:1] or (e.year and e.year == year[:4])][:3]


def _shared_words(entry: Entry, text: str) -> int:
    words = lambda s: {w.lower() for w in _WORD.findall(s)} - _STOP  # noqa: E731
    return len(words(entry.fields.get("title", "")) & words(text))


def _describe(entry: Entry) -> str:
    names = [family for family, _ in entry.authors][:3]
    who = ", ".join(names) + (" et al." if len(entry.authors) > 3 else "")
    title = entry.fields.get("title", entry.fields.get("note", ""))
    short = title if len(title) <= 50 else title[:49].rstrip() + "…"
    return f"{entry.key} ({who}, {entry.label_year or entry.year}, \"{short}\")"
