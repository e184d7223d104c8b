"""Our parsed bibliography as CSL-JSON, so that citeproc formats exactly the data our styles format.

tests/test_csl_comparison.py hands these items to Pandoc's citeproc: what biblatex resolves before
any style runs (crossref and xdata inheritance, LaTeX made Unicode, title and subtitle joined, an
eprint made a link) is done once, by `pipeline.bibliography`, and both formatters start from it.
Each biblatex field goes to the CSL variable that means the same thing (CSL 1.0.2, `csl-data.json`);
the type mapping is Pandoc's own (its biblatex reader), so the two comparisons differ only in data.
A field CSL has no variable for is left out (`eprintclass`, which no style prints either).
"""

from __future__ import annotations

import re

from pipeline.bibliography import BibEntry, Name
from pipeline.citation_styles.common import PATENT_TYPES, bare_doi, date_parts, full_title, month_number, publisher, type_label, \
    web_url

TYPES = {"article": "article-journal", "book": "book", "collection": "book", "proceedings": "book",
         "manual": "book", "inbook": "chapter", "incollection": "chapter", "inproceedings": "paper-conference",
         "conference": "paper-conference", "thesis": "thesis", "phdthesis": "thesis", "mastersthesis": "thesis",
         "report": "report", "techreport": "report", "online": "webpage", "unpublished": "manuscript",
         "misc": "document", "booklet": "pamphlet", "inreference": "entry-encyclopedia",
         "reference": "book", "mvbook": "book", "mvcollection": "book", "dataset": "dataset",
         "software": "software", "patent": "patent"}
# biblatex's `editortype` values that are CSL name variables of their own; any other stays `editor`.
EDITOR_ROLES = {"compiler": "compiler", "director": "director", "organizer": "organizer"}
# An eprint's identifier in the CSL variable for it (the link it makes is the item's URL).
EPRINT_IDS = {"pmcid": "PMCID", "pmc": "PMCID", "pubmed": "PMID"}
# BibTeX's "von" part: the lower-case words before the family name ("van der Berg").
_PARTICLE = re.compile(r"((?:[a-z][\w'\u2019]*\s+)+)(.+)")


def csl_items(entries: dict[str, BibEntry]) -> list[dict]:
    """Every entry as a CSL-JSON item; an @set has no CSL form and is left to its members."""
    return [csl_item(entry) for entry in entries.values() if not entry.members]


def csl_item(entry: BibEntry) -> dict:
    """One entry as a CSL-JSON item: names, dates, then each text field under its CSL name."""
    item = {"id": entry.key, "type": TYPES.get(entry.type, "document")}
    item.update(_names(entry))
    item.update(_dates(entry))
    item.update({name: value for name, value in _text_fields(entry).items() if value})
    return item


def csl_name(name: Name) -> dict:
    """A person as CSL's name parts; a name with no given part (a group) as a literal."""
    if not name.given:
        return {"literal": name.family}
    parts = {"given": name.given}
    particle = _PARTICLE.fullmatch(name.family)
    if particle:
        parts.update({"non-dropping-particle": particle.group(1).strip(), "family": particle.group(2)})
    else:
        parts["family"] = name.family
    if name.suffix:
        parts["suffix"] = name.suffix
    return parts


def _names(entry: BibEntry) -> dict:
    editor_role = EDITOR_ROLES.get(entry.get("editortype").lower(), "editor")
    roles = {"author": entry.authors, editor_role: entry.editors, "translator": entry.translators,
             "container-author": entry.bookauthors}
    return {role: [csl_name(n) for n in names] for role, names in roles.items() if names}


def _dates(entry: BibEntry) -> dict:
    dates = {}
    if entry.get("year").isdigit():
        parts = [int(entry.get("year"))]
        if month_number(entry):
            parts.append(month_number(entry))
            if entry.get("day").isdigit():
                parts.append(int(entry.get("day")))
        dates["issued"] = {"date-parts": [parts]}
    accessed = date_parts(entry.get("urldate"))
    if accessed:
        dates["accessed"] = {"date-parts": [[p for p in accessed if p]]}
    return dates


def _text_fields(entry: BibEntry) -> dict[str, str]:
    container = entry.get("journal") or full_title(entry, "booktitle")
    numbered = "issue" if entry.get("journal") else "number"
    eprint = EPRINT_IDS.get(entry.get("eprinttype").lower().replace(" ", ""), "")
    return {
        "title": full_title(entry),
        "container-title": container,
        "container-title-short": entry.get("shortjournal"),
        "event-title": entry.get("eventtitle"),
        "edition": entry.get("edition"),
        "version": entry.get("version"),
        "number-of-volumes": entry.get("volumes"),
        "volume": entry.get("volume"),
        numbered: entry.get("number"),
        "page": entry.get("pages"),
        "publisher": publisher(entry) or entry.get("howpublished"),
        "publisher-place": entry.get("address"),
        "genre": PATENT_TYPES.get(entry.get("type").lower(), entry.get("type")) if entry.type == "patent"
        else type_label(entry),
        "status": entry.get("pubstate"),
        "note": entry.get("note"),
        "DOI": bare_doi(entry),
        "URL": web_url(entry),
        **({eprint: entry.get("eprint")} if eprint else {}),
    }

