"""The bibliography: pybtex reads the .bib; entries are normalised to Unicode data.

BibTeX and biblatex field names are both accepted (`journaltitle`, `date`,
`location`, ...), LaTeX accents and macros become Unicode (`latex.py`), and
every entry keeps the line it starts on so checks can point at it. How an
entry or a citation is written is the business of `citation_styles/`; what an
entry lacks, or a style leaves out, is checked in `entry_checks.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pybtex.errors
from pybtex.database import BibliographyDataError, InvalidNameString, Person
from pybtex.exceptions import PybtexError
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from pipeline.diagnostics import Diagnostics, Location, display_path
from pipeline.latex import latex_to_text
from pipeline.limits import BIB_FIELD_CHARS, BIB_FILE_BYTES
from pipeline.source import read_text

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")  # as source.py rejects in review.yaml

pybtex.errors.set_strict_mode(True)

# biblatex name → the BibTeX name used below.
ALIASES = {"journaltitle": "journal", "location": "address", "eventtitle": "booktitle", "maintitle": "booktitle"}
# biblatex name lists beyond author and editor.
NAME_FIELDS = ("translator", "bookauthor")
# biblatex list fields: "A and B" is two items, printed "A; B" (braces keep an "and" inside a name).
LIST_FIELDS = {"publisher", "address", "institution", "organization", "school"}
# biblatex crossref: a parent's fields that take another name in the child (biblatex's default inheritance).
CROSSREF_RENAMES = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}
PERIODICAL_RENAMES = {"title": "journal", "subtitle": "journalsubtitle"}
NOT_INHERITED = {"ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort",
                 "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro",
                 "sortkey", "xdata"}
# An entry's start, or a brace: only an '@' outside every brace starts an entry (as in BibTeX).
_ENTRY_OR_BRACE = re.compile(r"@[ \t]*(\w+)[ \t]*([{(])[ \t]*([^,\s{}()]+)[ \t]*,|[{}]")
_NOT_ENTRIES = {"comment", "string", "preamble"}

@dataclass(frozen=True)
class Name:
    """A person's name, split the way citation styles need it."""

    family: str  # with any particle: "van der Berg"
    given: str = ""
    suffix: str = ""

    @property
    def initials(self) -> list[str]:
        """One initial per given name, hyphenated names kept: "Jean-Paul A." → ["J.-P.", "A."]."""
        parts = []
        for word in self.given.replace(".", ". ").split():
            pieces = [p for p in word.split("-") if p]
            parts.append("-".join(p[0] + "." for p in pieces))
        return parts


@dataclass(frozen=True)
class BibEntry:
    """A normalised bibliography entry: Unicode fields, names split, where it stands."""

    key: str
    type: str
    fields: dict[str, str]
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    location: Location
    raw_fields: frozenset[str] = field(default=frozenset())
    translators: tuple[Name, ...] = ()
    bookauthors: tuple[Name, ...] = ()
    members: tuple["BibEntry", ...] = ()  # an @set's entries, in its order

    def get(self, name: str) -> str:
        return self.fields.get(name, "")


class EntryStart(NamedTuple):
    """Where an entry starts in the raw .bib text."""

    type: str
    key: str
    line: int
    column: int


def entry_starts(text: str) -> list[EntryStart]:
    """Every entry in the raw .bib text, with the line and column of its '@' (several may share a line)."""
    found, depth = [], 0
    for match in _ENTRY_OR_BRACE.finditer(text):
        if match.group(1) is None:
            depth = depth + 1 if match.group() == "{" else max(depth - 1, 0)
            continue
        if depth == 0 and match.group(1).lower() not in _NOT_ENTRIES:
            line_start = text.rfind("\n", 0, match.start()) + 1
            found.append(EntryStart(match.group(1).lower(), match.group(3),
                                    text.count("\n", 0, match.start()) + 1, match.start() - line_start + 1))
        depth += match.group(2) == "{"
    return found


def load_bibliography(path: Path, diagnostics: Diagnostics) -> dict[str, BibEntry]:
    """Every entry of the .bib, keyed; problems reported at their line."""
    text = read_text(path, diagnostics, BIB_FILE_BYTES)
    if text is None:
        return {}
    shown = display_path(path)
    if _report_control_characters(text, shown, diagnostics):
        return {}
    starts = entry_starts(text)
    if _report_duplicates(starts, shown, diagnostics):
        return {}
    data = _parse(text, starts, shown, diagnostics)
    if data is None:
        return {}
    where = {start.key.lower(): Location(shown, start.line, start.column) for start in starts}
    located = {key: where.get(key.lower(), Location(shown)) for key in data.entries}
    if _report_long_fields(data, located, diagnostics):
        return {}
    return {key: _normalise(key, entry, located[key], data) for key, entry in data.entries.items()
            if entry.type.lower() != "xdata"}  # an @xdata entry only lends its fields


def _parse(text: str, starts: list[EntryStart], shown: str, diagnostics: Diagnostics):
    """pybtex's parse of the text, or None with every failure of it reported at a line."""
    try:
        return Parser(encoding="utf-8").parse_string(text)
    except PybtexSyntaxError as error:
        diagnostics.error(_syntax_message(error, starts), Location(shown, error.lineno or 1))
    except InvalidNameString as error:
        diagnostics.error(*_name_problem(error, text, starts, shown))
    except BibliographyDataError as error:
        diagnostics.error(f"malformed bibliography: {error}", Location(shown))
    except PybtexError as error:
        diagnostics.error(f"malformed bibliography: {error}", Location(shown))
    return None


def _name_problem(error: InvalidNameString, text: str, starts: list[EntryStart], shown: str) -> tuple[str, Location]:
    """A name with too many commas, named, at the entry that holds it."""
    name = re.sub(r"^Too many commas in ", "", str(error)).strip("'\"")
    found = text.find(name)
    line = text.count("\n", 0, found) + 1 if found >= 0 else 0
    entry = next((s for s in reversed(starts) if 0 < line and s.line <= line), None)
    message = (f"name '{name}' has too many commas; write each name as 'Last, First' or 'Last, Jr, First', "
               "and separate names with ' and '")
    if entry is None:
        return message, Location(shown, max(line, 1))
    return f"{message} (in entry '{entry.key}')", Location(shown, entry.line, entry.column)


def _report_long_fields(data, located: dict[str, Location], diagnostics: Diagnostics) -> bool:
    """A field longer than BIB_FIELD_CHARS is an error at its entry (before LaTeX is converted)."""
    found = False
    for key, entry in data.entries.items():
        values = {**{n: str(v) for n, v in entry.fields.items()},
                  **{role: " and ".join(map(str, people)) for role, people in entry.persons.items()}}
        for name, value in values.items():
            if len(value) > BIB_FIELD_CHARS:
                diagnostics.error(f"field '{name}' of entry '{key}' is {len(value):,} characters long; the "
                                  f"limit is {BIB_FIELD_CHARS:,}: shorten it", located[key])
                found = True
    return found


def _report_control_characters(text: str, shown: str, diagnostics: Diagnostics) -> bool:
    """Control characters (which no output format can hold) reported at their line, as review.yaml's are."""
    found = False
    for number, line in enumerate(text.split("\n"), 1):
        match = _CONTROL.search(line)
        if match:
            diagnostics.error(f"control character U+{ord(match.group()):04X} is not allowed in text; remove it",
                              Location(shown, number, match.start() + 1))
            found = True
    return found


def _report_duplicates(starts: list[EntryStart], shown: str, diagnostics: Diagnostics) -> bool:
    first: dict[str, int] = {}
    for start in starts:
        if start.key.lower() in first:
            diagnostics.error(f"duplicate key '{start.key}' (first defined on line {first[start.key.lower()]}); "
                              "rename or remove one entry", Location(shown, start.line, start.column))
        first.setdefault(start.key.lower(), start.line)
    return len(first) < len(starts)


def _syntax_message(error: PybtexSyntaxError, starts: list[EntryStart]) -> str:
    reason = str(error).split(":", 1)[-1].strip() if "syntax error" in str(error) else str(error)
    before = [start for start in starts if start.line <= (error.lineno or 0)]
    if before:
        return (f"malformed BibTeX: {reason} (in entry '{before[-1].key}' that starts on line {before[-1].line}: "
                "check its braces, quotes and commas)")
    return f"malformed BibTeX: {reason}"


def _normalise(key: str, entry, location: Location, data=None) -> BibEntry:
    raw_fields, persons = _inherited(entry, data)
    fields: dict[str, str] = {}
    for name, value in raw_fields.items():
        target = ALIASES.get(name, name)
        if target != name and target in raw_fields:
            target = name  # biblatex's own field wins over the alias (eventtitle beside booktitle)
        fields[target] = _field_text(target, str(value))
    _normalise_date(fields)
    if entry.type.lower() == "thesis" and "institution" in fields:
        fields.setdefault("school", fields["institution"])
    if fields.get("pubstate"):
        fields["pubstate"] = PUBSTATES.get(fields["pubstate"].lower(), fields["pubstate"])
    for role in NAME_FIELDS:  # pybtex splits only author and editor into people
        if role in fields and role not in persons:
            persons[role] = [Person(p) for p in _split_and(str(raw_fields[role]))]
            del fields[role]
    people = lambda role: tuple(_name(p) for p in persons.get(role, ()))  # noqa: E731
    members = ()
    if entry.type.lower() == "set" and data is not None:
        wanted = [m.strip().lower() for m in raw_fields.get("entryset", "").split(",") if m.strip()]
        by_key = {k.lower(): k for k in data.entries}
        members = tuple(_normalise(by_key[m], data.entries[by_key[m]], location, data)
                        for m in wanted if m in by_key)
    return BibEntry(
        key=key,
        type=entry.type.lower(),
        fields=fields,
        authors=people("author"),
        editors=people("editor"),
        location=location,
        raw_fields=frozenset(n.lower() for n in raw_fields),
        translators=people("translator"),
        bookauthors=people("bookauthor"),
        members=members,
    )


PUBSTATES = {"inpress": "in press", "forthcoming": "forthcoming", "inpreparation": "in preparation",
             "submitted": "submitted", "prepublished": "prepublished"}


def _field_text(name: str, raw: str) -> str:
    """A field's value as text: links kept as written, list fields joined with '; ', LaTeX as Unicode."""
    if name in ("url", "doi", "eprint", "urldate", "date"):
        return raw.strip()
    if name in LIST_FIELDS:
        return "; ".join(latex_to_text(item) for item in _split_and(raw))
    return latex_to_text(raw)


def _split_and(raw: str) -> list[str]:
    """A biblatex list split at each ' and ' outside braces."""
    items, depth, start = [], 0, 0
    for match in re.finditer(r"[{}]|\s+and\s+", raw):
        if match.group() == "{":
            depth += 1
        elif match.group() == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            items.append(raw[start:match.start()])
            start = match.end()
    items.append(raw[start:])
    return [item.strip() for item in items if item.strip()]


def _inherited(entry, data) -> tuple[dict, dict]:
    """The entry's fields and names with what its xdata and crossref parents give it (biblatex's rules)."""
    fields = {name.lower(): value for name, value in entry.fields.items()}
    persons = {role.lower(): people for role, people in entry.persons.items()}
    if data is None:
        return fields, persons
    by_key = {k.lower(): k for k in data.entries}
    for xdata in [x.strip().lower() for x in str(fields.get("xdata", "")).split(",") if x.strip()]:
        if xdata in by_key:
            _inherit(fields, persons, data.entries[by_key[xdata]], {}, data)
    parent = str(fields.get("crossref", "")).strip().lower()
    if parent in by_key:
        source = data.entries[by_key[parent]]
        renames = PERIODICAL_RENAMES if source.type.lower() == "periodical" else CROSSREF_RENAMES
        _inherit(fields, persons, source, renames, data)
    return fields, persons


def _inherit(fields: dict, persons: dict, source, renames: dict, data) -> None:
    parent_fields, parent_persons = _inherited(source, data) if source.fields.get("crossref") is None \
        else ({n.lower(): v for n, v in source.fields.items()}, dict(source.persons))
    for name, value in parent_fields.items():
        target = renames.get(name, name)
        if target not in NOT_INHERITED and target not in fields:
            fields[target] = value
    for role, people in parent_persons.items():
        target = "bookauthor" if role.lower() == "author" and renames else role.lower()
        persons.setdefault(target, people)


def _normalise_date(fields: dict[str, str]) -> None:
    """biblatex `date = {2020-03-01}` supplies `year`, `month` and `day` when they are missing."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", fields.get("date", ""))
    if match and "year" not in fields:
        fields["year"] = match.group(1)
        if match.group(2):
            fields.setdefault("month", match.group(2))
        if match.group(3):
            fields.setdefault("day", match.group(3))


def _name(person: Person) -> Name:
    family = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    return Name(family=latex_to_text(family), given=latex_to_text(given),
                suffix=latex_to_text(" ".join(person.lineage_names)))


def field_name(entry: BibEntry, raw: str) -> str:
    """The name a field of the .bib has in `BibEntry.fields` ('location' is 'address' unless both are given)."""
    target = ALIASES.get(raw, raw)
    return raw if target != raw and target in entry.raw_fields else target


def sort_key(text: str) -> str:
    """Case- and accent-insensitive sort key ("Ångström" sorts with "Angstrom")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
