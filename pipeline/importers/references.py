"""Reference-list strings → typed entries (authors, year, title, journal, volume, issue, pages, DOI...).

Rule-based, for the two shapes a review's reference list takes: APA-like
("Brown, N., & Panksepp, J. (2009). Title. Journal, 72(3), 333-337.") and
Vancouver-like ("1. Brown N, Panksepp J. Title. Med Hypotheses. 2009;72(3):333-7.").
The parsers on PyPI either need a trained model or a web service (GROBID,
anystyle, neural ParsCit), pin old libraries (refextract wants pypdf<7 and
reads physics journals), or read database exports only (refparse); none serves
offline, so these few rules do. A string that fits neither shape is kept whole
as a `note` of a `@misc` entry and reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_DOI = re.compile(r"\s*(?:https?://(?:dx\.)?doi\.org/|\bdoi:\s*)(10\.\S+?)[.,;]?(?=\s|$)", re.I)
_URL = re.compile(r"\s*(?:Retrieved from |Available (?:from|at):?\s*)?(https?://\S+?)[.,;]?(?=\s|$)", re.I)
_NUMBER = re.compile(r"^\s*\[?(\d{1,4})[.)\]]\s+")
_APA_HEAD = re.compile(r"^(?P<authors>.+?)\s*\((?P<year>\d{4}[a-z]?|n\.d\.)(?:,[^)]*)?\)\.?\s+(?P<rest>.+)$")
_APA_SOURCE = re.compile(r"^(?P<journal>[^,]+(?:,[^,\d][^,]*)*?),\s*(?P<volume>\d+)(?:\s*\((?P<issue>[^)]+)\))?"
                         r"(?:,\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–—]\s*[A-Za-z]?\d+)?))?\.?$")
_APA_NAME = re.compile(r"(?P<family>[^,&]+?),\s*(?P<given>(?:[A-Z][a-z]?\.[\s-]*)+)")
_VANCOUVER_SOURCE = re.compile(r"^(?P<journal>.+?)\.?\s+(?P<year>\d{4})[^;:.]*(?:;\s*(?P<volume>\d+)"
                               r"(?:\s*\((?P<issue>[^)]+)\))?)(?::\s*(?P<pages>[A-Za-z]?\d+(?:\s*[-–]\s*[A-Za-z]?\d+)?))?\.?$")
_VANCOUVER_NAME = re.compile(r"^(?P<family>[\w'’ -]+?)\s+(?P<given>[A-Z]{1,4})$")
_BOOK = re.compile(r"^(?:(?P<place>[^:.]+):\s*)?(?P<publisher>[^;.]+?)(?:[;,]\s*(?P<year>\d{4}))?\.?$")
_SENTENCE_END = re.compile(r"(?<![\s.][A-Z])(?<!\bet al)[.?!](?=\s+\S)")


@dataclass
class Entry:
    """One parsed reference; `label_year` keeps a printed 2014a, `number` a printed [3]."""

    text: str
    line: int
    type: str = "misc"
    authors: list[tuple[str, str]] = field(default_factory=list)  # (family, given)
    year: str = ""
    label_year: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    number: int | None = None
    key: str = ""
    parsed: bool = True

    @property
    def families(self) -> list[str]:
        return [fold(family) for family, _ in self.authors]


def fold(name: str) -> str:
    """A name compared without case, accents or punctuation: "O’Brien" → "obrien"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def parse_reference(text: str, line: int) -> Entry:
    """One reference string → an Entry; `parsed` is False when it fits no known shape."""
    text = _plain(text)
    entry = Entry(text=text, line=line)
    numbered = _NUMBER.match(text)
    body = text[numbered.end():] if numbered else text
    entry.number = int(numbered.group(1)) if numbered else None
    body = _take_links(body, entry)
    if not (_apa(body, entry) or _vancouver(body, entry)):
        entry.parsed = False
        entry.fields = {"note": body}
        entry.year = entry.label_year = (re.findall(r"\b(1[5-9]\d\d|20\d\d)\b", body) or [""])[0]
    return entry


def _plain(text: str) -> str:
    """Markdown emphasis and escapes off, spaces single: the reference as it reads."""
    text = re.sub(r"(?<!\\)[*_]{1,2}(?=\S)|(?<=\S)(?<!\\)[*_]{1,2}", "", text)
    return re.sub(r"\s+", " ", re.sub(r"\\([\\`*_{}\[\]()#+\-.!@&<>])", r"\1", text)).strip()


def _take_links(body: str, entry: Entry) -> str:
    doi = _DOI.search(body)
    if doi:
        entry.fields["doi"] = doi.group(1).rstrip(".")
        body = body[:doi.start()] + body[doi.end():]
    url = _URL.search(body)
    if url:
        entry.fields["url"] = url.group(1)
        body = body[:url.start()] + body[url.end():]
    return body.strip()


def _apa(body: str, entry: Entry) -> bool:
    head = _APA_HEAD.match(body)
    if not head:
        return False
    entry.authors = _apa_names(head["authors"])
    entry.label_year = head["year"]
    entry.year = head["year"][:4] if head["year"][0].isdigit() else ""
    title, rest = _split_sentence(head["rest"])
    entry.fields["title"] = title
    source = _APA_SOURCE.match(rest) if rest else None
    if source:
        _journal(entry, source)
    elif rest:
        _book(entry, rest)
    return bool(entry.authors) or bool(title)


def _apa_names(text: str) -> list[tuple[str, str]]:
    text = text.replace("…", ",").replace("...", ",").replace(", &", ",").replace(" & ", ", ")
    names = [(m["family"].strip(" ,"), m["given"].strip()) for m in _APA_NAME.finditer(text + " ")]
    return names or [(text.strip(" .,"), "")]


def _vancouver(body: str, entry: Entry) -> bool:
    """Vancouver: names without dots ("Brown N, Panksepp J"), so the first ". " ends them."""
    names, _, rest = body.partition(". ")
    matched = [_VANCOUVER_NAME.match(n.strip()) for n in names.split(",") if n.strip().lower() != "et al"]
    parts = _sentences(rest)
    if not matched or not all(matched) or len(parts) < 2:
        return False
    source = _VANCOUVER_SOURCE.match(" ".join(parts[1:]))
    book = _BOOK.match(parts[-1])
    if not source and not (book and book["year"]):
        return False
    entry.authors = [(m["family"], _dotted(m["given"])) for m in matched]
    entry.fields["title"] = parts[0]
    entry.year = entry.label_year = source["year"] if source else book["year"]
    if source:
        _journal(entry, source)
    else:
        _book(entry, parts[-1])
        if len(parts) > 2:
            entry.fields["edition"] = " ".join(parts[1:-1])
    return True


def _dotted(initials: str) -> str:
    """Vancouver's "SM" → "S. M."."""
    return " ".join(f"{letter}." for letter in initials)


def _journal(entry: Entry, source: re.Match) -> None:
    entry.type = "article"
    entry.fields["journal"] = source["journal"].strip()
    for name in ("volume", "issue", "pages"):
        if source[name]:
            entry.fields["number" if name == "issue" else name] = source[name].strip()
    if "pages" in entry.fields:
        entry.fields["pages"] = _pages(entry.fields["pages"])


def _pages(pages: str) -> str:
    """"333-7" (Vancouver's short form) → "333--337"; "333–337" → "333--337"."""
    parts = re.split(r"\s*[-–—]+\s*", pages)
    if len(parts) != 2:
        return pages
    first, last = parts
    if last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[:len(first) - len(last)] + last
    return f"{first}--{last}"


def _book(entry: Entry, rest: str) -> None:
    book = _BOOK.match(rest.strip())
    entry.type = "book"
    if book:
        entry.fields["publisher"] = book["publisher"].strip()
        if book["place"]:
            entry.fields["address"] = book["place"].strip()
    else:
        entry.fields["note"] = rest.strip()


def _split_sentence(text: str) -> tuple[str, str]:
    """The first sentence (a title) and the rest; a title's own ?/! stays with it."""
    match = _SENTENCE_END.search(text)
    if not match:
        return text.rstrip(". "), ""
    keep = text[match.start()] in "?!"
    return text[:match.start() + keep].strip(), text[match.end():].strip()


def _sentences(text: str) -> list[str]:
    parts, rest = [], text
    while rest:
        first, rest = _split_sentence(rest)
        parts.append(first)
    return parts


def assign_keys(entries: list[Entry]) -> None:
    """Keys `authorYEAR`, with a, b, ... when two entries would share one (in list order)."""
    base = [f"{_key_name(e)}{e.year or 'nd'}" for e in entries]
    for key in set(base):
        same = [e for e, b in zip(entries, base) if b == key]
        for index, entry in enumerate(same):
            entry.key = key + (_letters(index) if len(same) > 1 else "")


def _key_name(entry: Entry) -> str:
    words = [family for family, _ in entry.authors] or re.findall(r"[^\W\d_]+", entry.fields.get("title")
                                                                    or entry.fields.get("note", ""))
    name = fold(words[0]) if words else ""
    return name if name[:1].isalpha() else f"ref{name}"


def _letters(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index] if index < 26 else f"x{index}"
