"""What every citation style shares: the prepared context, run joining, and biblatex field helpers.

Helpers here only read an entry; how a piece is punctuated and where it goes
is each style's own business (apa.py, vancouver.py, ama.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from pipeline.bibliography import BibEntry, Name, field_name
from pipeline.model import Link, Runs, Text, plain_text

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
EPRINT_URLS = {"arxiv": "https://arxiv.org/abs/{}", "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/{}",
               "pmcid": "https://www.ncbi.nlm.nih.gov/pmc/articles/{}", "pmc": "https://www.ncbi.nlm.nih.gov/pmc/articles/{}",
               "hdl": "https://hdl.handle.net/{}", "jstor": "https://www.jstor.org/stable/{}"}
# Name fields kept apart from `BibEntry.fields`, by the attribute that holds them.
PEOPLE = {"author": "authors", "editor": "editors", "translator": "translators", "bookauthor": "bookauthors"}
# Fields whose text may show through another field (an institution as the group author); any other field
# is printed only if the reference changes without it ("Oxford" in "Oxford University Press" is no location).
SHOWN_THROUGH_OTHERS = {"publisher", "institution", "school", "organization", "type"}
THESIS_TYPES = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis", "mastersthesis": "Master's thesis",
                "candthesis": "Candidate thesis", "techreport": "Technical report", "resreport": "Research report"}


@dataclass(frozen=True)
class Context:
    """What a style decided about the listed entries before formatting any of them."""

    entries: dict[str, BibEntry]  # listed entries, in list order
    year_suffix: dict[str, str]
    number: dict[str, int]

    def position(self, key: str) -> int:
        return list(self.entries).index(key)


def prints_field(style, entry: BibEntry, raw: str) -> bool:
    """Whether the style shows a field of the entry: its reference changes without it, or holds its text.

    Asking the style's own formatting (rather than a table beside it) cannot drift from what it prints.
    The text test keeps a field that is shown through another: a publisher that is the group author
    (APA 7 does not repeat it), a thesis's `institution`, which is also its `school`, a `type` given as
    biblatex's key ('mathesis') and printed as words.
    """
    context = Context({entry.key: entry}, {}, {entry.key: 1})
    shown = plain_text(style.reference(entry, context))
    if plain_text(style.reference(_without(entry, raw), context)) != shown:
        return True
    if raw not in SHOWN_THROUGH_OTHERS:
        return False
    value = type_label(entry) if raw == "type" else entry.get(field_name(entry, raw)).strip()
    return bool(value) and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", shown, flags=re.I) is not None


def _without(entry: BibEntry, raw: str) -> BibEntry:
    """The entry with one field of the .bib taken away."""
    if raw in PEOPLE:
        return replace(entry, **{PEOPLE[raw]: ()})
    name = field_name(entry, raw)
    return replace(entry, fields={k: v for k, v in entry.fields.items() if k != name})


def join(*parts: Runs | str) -> Runs:
    """Runs and strings as one run sequence, neighbouring texts merged and empty texts dropped."""
    runs: list = []
    for part in parts:
        runs.extend((Text(part),) if isinstance(part, str) else part)
    merged: list = []
    for run in runs:
        if isinstance(run, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + run.text)
        elif not (isinstance(run, Text) and not run.text):
            merged.append(run)
    return tuple(merged)


def sentence(text: str) -> str:
    """Text ending in a full stop unless it already ends in punctuation."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def edition(entry: BibEntry) -> str:
    """biblatex's edition: a number as "3rd ed.", any other text as given ("Revised")."""
    value = entry.get("edition").strip()
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", value)
    return f"{ordinal(int(match.group(1)))} ed." if match else value


def full_title(entry: BibEntry, field: str = "title") -> str:
    """Title, subtitle (after a colon, capitalised) and title addon (after a full stop)."""
    prefix = "book" if field == "booktitle" else ""
    title = entry.get(field)
    subtitle = entry.get(f"{prefix}subtitle")
    if subtitle:
        title = f"{title.rstrip(':')}: {capitalise(subtitle)}" if title else capitalise(subtitle)
    addon = entry.get(f"{prefix}titleaddon")
    title = f"{sentence(title)} {capitalise(addon)}" if addon and title else title or addon
    return re.sub(r"(: )([a-z])", lambda m: m.group(1) + m.group(2).upper(), title)  # capital after a colon


def end(text: str) -> str:
    """A full stop after text, unless it already ends in ".", "?" or "!"."""
    return "" if text.rstrip().endswith((".", "?", "!")) else "."


def set_members(style, entry: BibEntry, context: Context) -> Runs:
    """An @set as biblatex prints it: its entries in turn, separated by semicolons."""
    parts = []
    for i, member in enumerate(entry.members):
        runs = style.reference(member, context)
        if i < len(entry.members) - 1 and runs and isinstance(runs[-1], Text):
            runs = runs[:-1] + (Text(runs[-1].text.rstrip(".")),)
        parts.append(join("; " if i else "", runs))
    return join(*parts)


def date_parts(value: str) -> tuple[int, int, int] | None:
    """An ISO date (2025-01-10, 2025-01, 2025) as (year, month, day); 0 for a missing part."""
    match = re.match(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0)


def month_number(entry: BibEntry) -> int:
    value = entry.get("month").strip().lower()
    if value.isdigit():
        return int(value) if 1 <= int(value) <= 12 else 0
    return next((i + 1 for i, m in enumerate(MONTHS) if value and m.lower().startswith(value[:3])), 0)


def bare_doi(entry: BibEntry) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", entry.get("doi").strip(), flags=re.I)


def eprint_url(entry: BibEntry) -> str:
    """The link an eprint (arXiv, PubMed, PMC, ...) makes, or ""."""
    kind = entry.get("eprinttype").lower().replace(" ", "")
    template = EPRINT_URLS.get(kind)
    return template.format(entry.get("eprint").strip()) if template and entry.get("eprint") else ""


def web_url(entry: BibEntry) -> str:
    """The entry's address: its url, else the address of its eprint."""
    return entry.get("url").strip() or eprint_url(entry)


def link(url: str, shown: str | None = None) -> Runs:
    return (Link(url, (Text(shown or url),)),) if url.startswith(("http://", "https://")) else ()


def is_corporate(name: Name) -> bool:
    return not name.given and " " in name.family


def type_label(entry: BibEntry) -> str:
    """A report's or thesis's `type`, with biblatex's localisation keys spelt out."""
    value = entry.get("type").strip()
    if not value and entry.type == "phdthesis":
        return THESIS_TYPES["phdthesis"]
    if not value and entry.type == "mastersthesis":
        return THESIS_TYPES["mastersthesis"]
    return THESIS_TYPES.get(value.lower(), value)


PATENT_TYPES = {"patent": "Patent", "patentus": "U.S. Patent", "patenteu": "European Patent",
                "patentuk": "U.K. Patent", "patentde": "German Patent", "patentfr": "French Patent"}


def patent_label(entry: BibEntry) -> str:
    """A patent's office and number, biblatex's type keys spelt out: "U.S. Patent 8,003,000"."""
    kind = entry.get("type").strip()
    return " ".join(filter(None, [PATENT_TYPES.get(kind.lower(), kind) or "Patent", entry.get("number")]))


def is_numeric(text: str) -> bool:
    """CSL's test for a number worth a "No." label: digits with letter prefixes or suffixes, in lists or
    ranges ("42", "NG193", "2-4"); an identifier such as "TR-2020-07" names itself and takes no label."""
    parts = re.split(r"\s*[,&\-\u2013]\s*", text.strip())
    return all(re.fullmatch(r"[A-Za-z]*\d+[A-Za-z]*", part) for part in parts)


def publisher(entry: BibEntry) -> str:
    """Who published it: publisher, else institution or school, else organization."""
    return entry.get("publisher") or entry.get("institution") or entry.get("school") or entry.get("organization")


def en_dash(pages: str) -> str:
    return re.sub(r"\s*[-\u2010-\u2015]+\s*", "\u2013", pages)


def nlm_pages(pages: str) -> str:
    """NLM page ranges drop the repeated leading digits: 333-337 → 333-7."""
    match = re.fullmatch(r"(\d+)\s*[-\u2010-\u2015]+\s*(\d+)", pages.strip())
    if not match:
        return en_dash(pages).replace("\u2013", "-")
    first, last = match.groups()
    if len(first) == len(last):
        common = 0
        while common < len(last) - 1 and first[common] == last[common]:
            common += 1
        last = last[common:]
    return f"{first}-{last}"


def et_al_short(names: tuple[Name, ...], conjunction: str) -> str:
    families = [n.family for n in names]
    if len(families) == 1:
        return families[0]
    if len(families) == 2:
        return f"{families[0]} {conjunction} {families[1]}"
    return f"{families[0]} et al."


def compact_name(name: Name) -> str:
    """NLM and AMA's form: family, initials run together, suffix: "Smith JA Jr"."""
    initials = "".join(c for i in name.initials for c in i if c.isalpha())
    return " ".join(filter(None, [name.family, initials, name.suffix.rstrip(".")]))


def ranges(keys: list[str], number: dict[str, int], dash: str, wrap) -> list[Runs]:
    """Consecutive numbers as ranges (1–3), others separated by commas; each number made a run by `wrap`."""
    runs: list[Runs] = []
    i = 0
    while i < len(keys):
        j = i
        while j + 1 < len(keys) and number[keys[j + 1]] == number[keys[j]] + 1:
            j += 1
        sep = () if not runs else (Text(","),) if dash == "-" else (Text(", "),)
        if j - i >= 2:
            runs.append(join(sep, wrap(keys[i]), dash, wrap(keys[j])))
            i = j + 1
        else:
            runs.append(join(sep, wrap(keys[i])))
            i += 1
    return runs
