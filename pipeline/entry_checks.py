"""What an entry lacks, and which of its fields the chosen style leaves out: warnings at the entry's line.

A field of the .bib is never dropped silently (issue 13): the style prints it, its manual leaves it
out on purpose (`omits`), it is bookkeeping no reference list shows (`QUIET_FIELDS`), or the entry
gets a warning naming it. An entry missing what its type needs is named the same way.
"""

from __future__ import annotations

from typing import Protocol

from pipeline.bibliography import BibEntry, field_name
from pipeline.diagnostics import Diagnostics

# Bookkeeping fields that no reference list shows, by design: never warned about.
QUIET_FIELDS = {"abstract", "keywords", "file", "owner", "timestamp", "langid", "langidopts", "hyphenation",
                "sortname", "sortkey", "sorttitle", "sortyear", "presort", "options", "ids", "annotation", "annote",
                "crossref", "xdata", "xref", "label", "shorthand", "shorttitle", "shortauthor", "indexsorttitle",
                "indextitle", "date-added", "date-modified", "mendeley-tags", "groups", "entryset", "date",
                "pagetotal", "eventdate", "venue", "urldate" }
# Fields at least one style prints, for a check that names no style (tests/test_citation_styles.py keeps
# it equal to what the styles print on the coverage fixture). With a style, the style itself answers.
PLACED_FIELDS = {"title", "subtitle", "titleaddon", "journal", "shortjournal", "booktitle", "booksubtitle",
                 "booktitleaddon", "year", "month", "day", "volume", "number", "pages", "edition", "publisher",
                 "address", "institution", "school", "organization", "howpublished", "type", "doi", "url",
                 "eprint", "eprinttype", "pubstate", "note", "editortype", "urldate", "translator",
                 "bookauthor", "version", "volumes", "holder"}
# What each entry type needs to be formatted sensibly (BibTeX's own rules, biblatex's names mapped).
REQUIRED = {
    "article": ("title", "journal", "year"),
    "book": ("title", "year"),
    "inbook": ("title", "year"),
    "incollection": ("title", "booktitle", "year"),
    "inproceedings": ("title", "booktitle", "year"),
    "conference": ("title", "booktitle", "year"),
    "phdthesis": ("title", "school", "year"),
    "mastersthesis": ("title", "school", "year"),
    "thesis": ("title", "school", "year"),
    "techreport": ("title", "institution", "year"),
    "report": ("title", "institution", "year"),
    "manual": ("title",),
    "unpublished": ("title",),
    "online": ("title", "url"),
    "collection": ("title", "year"),
    "proceedings": ("title", "year"),
    "misc": ("title",),
}
# A required field another one can stand in for: a publication state instead of a year, an eprint for a url.
STANDS_IN = {"year": ("year", "pubstate"), "url": ("url", "eprint", "doi")}
NEEDS_AUTHOR = {"article", "incollection", "inproceedings", "phdthesis", "mastersthesis", "thesis"}


class Placement(Protocol):
    """What `check_entry` asks a citation style: does it print this field of this entry?"""

    name: str
    omits: frozenset[str]  # fields the style's manual leaves out on purpose: not worth a warning

    def prints(self, entry: BibEntry, field: str) -> bool: ...


def check_entry(entry: BibEntry, diagnostics: Diagnostics, style: Placement | None = None) -> None:
    """Warn where an entry lacks what its type needs, and where the style leaves one of its fields out.

    Without a style, only a field that no style prints is named.
    """
    needed = REQUIRED.get(entry.type, () if entry.type == "set" else ("title",))
    missing = [f for f in needed if not any(entry.get(g) for g in STANDS_IN.get(f, (f,)))]
    if not entry.authors and not entry.editors and entry.type in NEEDS_AUTHOR:
        missing.insert(0, "author")
    if entry.type == "book" and not entry.get("publisher"):
        missing.append("publisher")
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        diagnostics.warning(f"entry '{entry.key}' (@{entry.type}) lacks {names}; "
                            "its reference will be incomplete", entry.location)
    unplaced = sorted(unplaced_fields(entry, style))
    if unplaced:
        names = ", ".join(f"'{f}'" for f in unplaced)
        who = f"citation style '{style.name}' does not print" if style else "no citation style shows"
        diagnostics.warning(f"entry '{entry.key}' (@{entry.type}): {who} {names}; "
                            "the reference list leaves it out", entry.location)


def unplaced_fields(entry: BibEntry, style: Placement | None = None) -> set[str]:
    """The entry's fields, as the .bib names them, that the style (or, without one, every style) leaves out.

    Bookkeeping fields such as 'abstract' are never named, nor an @set's or @xdata's own fields.
    """
    if entry.type in ("set", "xdata"):
        return set()
    given = {name for name in entry.raw_fields if name not in QUIET_FIELDS and name not in ("author", "editor")}
    if style is None:
        return {name for name in given if field_name(entry, name) not in PLACED_FIELDS}
    return {name for name in given if name not in style.omits and not style.prints(entry, name)}
