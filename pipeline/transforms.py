"""Decisions as named passes between load and render, like docutils' transforms.

Whatever two outputs both show is decided here, once, and kept in
`document.decided` (`pipeline.model.Decisions`); renderers lay it out and
decide nothing again. Each pass is a small function Document -> Document with
a name and a place in `PASSES`, run in that order by `apply_transforms`:

1. evidence-placement: the section the evidence table follows (`evidence.after`,
   else the last section whose body cites a study of the table, else the last section)
2. evidence-columns: the table's columns and headers, without a column empty in every row
3. citation-numbering: citations resolved in the order a reader meets them in the
   article (`reading_order`): abstract, key points box, each section's body with the
   evidence table after its section, then the slides' key points, lay summary, glossary.
   The loader gives this pass (it needs the bibliography).
4. quotes: straight quotes in the review's text become the language's curly quotes
5. evidence-chart: the chart of the evidence rows (`pipeline.chart`) and its figure number, after
   the review's own figures; none when `evidence.chart: false`. It follows the citation and quote
   passes because its labels are the rows' text as the table prints it ("Mischoulon et al. (2021)").
6. title: "Title: Subtitle", never a doubled colon or full stop
7. names: each author's name line, roles and affiliation, and the byline
8. dates: the review's date as its language writes it (ISO only for metadata)
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from pipeline.chart import condition_groups, evidence_chart
from pipeline.model import Column, Decisions, Document, Person, Runs, Text, citations
from pipeline.visitor import InlineTransform, map_inline, walk_runs

Transform = Callable[[Document], Document]


class Pass(NamedTuple):
    name: str
    run: Transform | None  # None: given by the caller (citation numbering needs the bibliography)


# --- 1. evidence placement ---------------------------------------------------------------------

EVIDENCE_HEADING = "Studies at a glance"


def place_evidence(document: Document) -> Document:
    """The evidence table follows `evidence.after`, else the last section citing one of its studies."""
    if not document.evidence or not document.sections:
        return document
    titles = {s.id: s.title for s in document.sections}
    after = document.evidence.after if document.evidence.after in titles else _last_citing(document)
    title = titles[after]
    return _decide(document, evidence_after=after, evidence_after_title=title, evidence_heading=EVIDENCE_HEADING)


def _last_citing(document: Document) -> str:
    studied = {item.key for row in document.evidence.studies for c in citations(row.study) for item in c.items}
    citing = [s.id for s in document.sections
              if any(item.key in studied for p in s.paragraphs for c in citations(p.runs) for item in c.items)]
    return citing[-1] if citing else document.sections[-1].id


# --- 2. evidence columns -----------------------------------------------------------------------

# Every column the table can have, in order, with the one header every output shows.
COLUMNS = (Column("condition", "Condition"), Column("study", "Study"), Column("design", "Design"),
           Column("participants", "Participants"), Column("duration", "Duration"),
           Column("finding", "Main finding"))
NOT_STATED = "not stated"  # what a cell shows when the review does not state it


def evidence_columns(document: Document) -> Document:
    """The columns of `COLUMNS` that at least one row fills, and the rows grouped by condition."""
    if not document.evidence:
        return document
    rows = document.evidence.studies
    kept = tuple(c for c in COLUMNS if any(getattr(row, c.field) for row in rows))
    return _decide(document, evidence_columns=kept, evidence_not_stated=NOT_STATED,
                   evidence_groups=condition_groups(rows))


# --- 3. citation numbering: the reading order --------------------------------------------------

# The fields a reader meets, in the article's order; "evidence" is met within "sections.blocks",
# right after the section it follows (see `reading_order`). Every field of the model that holds
# runs is here or in NOT_READ (tests/test_visitor.py checks it).
READING_ORDER = ("abstract", "key_points", "sections.blocks", "evidence", "sections.key_points",
                 "lay_summary", "glossary")
NOT_READ = ("bibliography",  # the reference list: formatted from the .bib, never cites
            "figures")  # the figures of the section bodies again, already read there


def reading_order(document: Document) -> Iterator[Runs]:
    """Every piece of inline text in the order a reader of the article meets it."""
    yield from _runs(document, ("abstract", "key_points"))
    placed = False
    for section in document.sections:
        yield from _runs(section, ("blocks",))
        if section.id == document.decided.evidence_after:
            yield from _runs(document, ("evidence",))
            placed = True
    if not placed:
        yield from _runs(document, ("evidence",))
    yield from _runs(document, ("sections.key_points", "lay_summary", "glossary"))


def _runs(value, order: tuple[str, ...]) -> Iterator[Runs]:
    return (runs for _, runs in walk_runs(value, order))


# --- 4. quotes -----------------------------------------------------------------------------------


class Language(NamedTuple):
    """How a language writes dates and quotes."""

    months: tuple[str, ...]
    date: str  # "{day} {month} {year}"
    quotes: tuple[str, str, str, str]  # open, close, open single, close single (and apostrophe)


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
# The one table of languages: a tag is looked up whole ("en-US"), then by its first part ("en");
# any other language is written as English ("en").
LANGUAGES = {
    "en": Language(_EN_MONTHS, "{day} {month} {year}", ("“", "”", "‘", "’")),
    "en-US": Language(_EN_MONTHS, "{month} {day}, {year}", ("“", "”", "‘", "’")),
    "de": Language(("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                    "Oktober", "November", "Dezember"), "{day}. {month} {year}", ("„", "“", "‚", "’")),
    "fr": Language(("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                    "octobre", "novembre", "décembre"), "{day} {month} {year}", ("«\u00a0", "\u00a0»", "“", "’")),
    "es": Language(("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                    "octubre", "noviembre", "diciembre"), "{day} de {month} de {year}", ("«", "»", "“", "’")),
}


def language(tag: str) -> Language:
    """The language of a tag such as en-US, matched whole, then by its first part, else English."""
    for key, found in LANGUAGES.items():
        if key.lower() == (tag or "").lower():
            return found
    return LANGUAGES.get((tag or "").split("-")[0].lower(), LANGUAGES["en"])


_OPENS_AFTER = re.compile(r"[\s(\[{\u2014\u2013/-]")  # a quote after these (or at the start) opens


# text that is not prose, whose straight quotes stay: markup shown as text (<a href="x">) and addresses
_NOT_PROSE = re.compile(r"<[^<>\n]*>|\b[a-z][a-z0-9+.-]*://\S+|\bmailto:\S+", re.I)


def curly(text: str, quotes: tuple[str, str, str, str], before: str = "") -> str:
    """`text` with straight quotes made curly; `before` is the character just before it ("" at a start).

    Markup shown as text (`<img src="x">`) and addresses (`https://…`) keep their straight quotes.
    """
    if "'" not in text and '"' not in text:
        return text
    out, start = [], 0
    for kept in _NOT_PROSE.finditer(text):
        out.append(_curly(text[start:kept.start()], quotes, text[start - 1] if start else before))
        out.append(kept.group(0))
        start = kept.end()
    out.append(_curly(text[start:], quotes, text[start - 1] if start else before))
    return "".join(out)


def _curly(text: str, quotes: tuple[str, str, str, str], before: str) -> str:
    out = []
    for i, char in enumerate(text):
        previous = text[i - 1] if i else before
        following = text[i + 1] if i + 1 < len(text) else ""
        opens = not previous or bool(_OPENS_AFTER.match(previous))
        if char == '"':
            out.append(quotes[0] if opens else quotes[1])
        elif char == "'":
            # an apostrophe inside a word ("don't") or before a year ("'90s") is the closing single quote
            inside = previous.isalnum() and following.isalnum()
            out.append(quotes[2] if opens and not following.isdigit() and not inside else quotes[3])
        else:
            out.append(char)
    return "".join(out)


class _CurlyQuotes(InlineTransform):
    """Text runs with curly quotes; link addresses and citations (the style's text) are left as they are."""

    def __init__(self, quotes: tuple[str, str, str, str] = LANGUAGES["en"].quotes):
        self.quotes = quotes
        self.before = ""

    def start(self, runs: Runs) -> Runs:
        """One field's runs: a quote at its start opens."""
        self.before = ""
        return self.visit(runs)

    def visit_text(self, node: Text) -> Runs:
        text = curly(node.text, self.quotes, self.before)
        self.before = node.text[-1:] or self.before
        return (Text(text),) if text != node.text else (node,)

    def visit_cite(self, node) -> Runs:
        self.before = ")"
        return (node,)


def curly_quotes(document: Document) -> Document:
    """Straight quotes in the text and titles become the language's curly quotes (not in the references)."""
    quotes = language(document.lang).quotes
    fix = _CurlyQuotes(quotes).start
    plain = lambda text: curly(text, quotes) if text else text  # noqa: E731
    changed = map_inline(dataclasses.replace(document, bibliography=dataclasses.replace(document.bibliography,
                                                                                        references=())), fix)
    sections = tuple(dataclasses.replace(s, title=plain(s.title)) for s in changed.sections)
    evidence = changed.evidence and dataclasses.replace(changed.evidence, caption=plain(changed.evidence.caption))
    lay = changed.lay_summary
    if lay:
        lay = dataclasses.replace(lay, title=plain(lay.title), disclaimer=plain(lay.disclaimer),
                                  sections=tuple(dataclasses.replace(s, heading=plain(s.heading))
                                                 for s in lay.sections))
    return dataclasses.replace(
        changed, title=plain(document.title), subtitle=plain(document.subtitle),
        short_title=plain(document.short_title), sections=sections, evidence=evidence, lay_summary=lay,
        bibliography=document.bibliography,
        decided=dataclasses.replace(changed.decided, quotes=quotes))


# --- 5. evidence chart ----------------------------------------------------------------------------


def chart_evidence(document: Document) -> Document:
    """The evidence chart, computed once for every output, numbered after the review's own figures."""
    chart = evidence_chart(document)
    number = max((f.number for f in document.figures), default=0) + 1 if chart else 0
    return _decide(document, evidence_chart=chart, evidence_chart_number=number)


# --- 6. title ------------------------------------------------------------------------------------

_ENDS_CLAUSE = (":", "?", "!", ".", "…")


def title_line(title: str, subtitle: str) -> str:
    """"Title: Subtitle"; a title already ending in : ? ! . is followed by a space only."""
    title, subtitle = title.strip(), subtitle.strip()
    if not subtitle:
        return title
    return f"{title} {subtitle}" if title.endswith(_ENDS_CLAUSE) else f"{title}: {subtitle}"


def sentence(text: str) -> str:
    """`text` ending in one full stop: none is added after . ? ! (nor after an ellipsis)."""
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!", "…")) else text + "."


def join_title(document: Document) -> Document:
    line = title_line(document.title, document.subtitle)
    return _decide(document, title_line=line, title_sentence=sentence(line))


# --- 7. names ------------------------------------------------------------------------------------


def name_line(name: str, honorific: str = "", credentials: str = "") -> str:
    """"Dr Robert Becker, MCMA": honorific before the name, credentials after a comma."""
    named = f"{honorific} {name}" if honorific else name
    return f"{named}, {credentials}" if credentials else named


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """"A", "A and B", "A, B and C"; "; " between names when a name holds a comma ("Dr A, MD; B and C")."""
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    between = "; " if any("," in n for n in names) else ", "
    return between.join(names[:-1]) + " and " + names[-1]


def join_authors(document: Document) -> Document:
    people = tuple(_person(a) for a in document.authors)
    byline = join_names([p.name for p in people])
    return _decide(document, people=people, byline=byline, byline_sentence=sentence(byline),
                   metadata_author="; ".join(p.plain_name for p in people))


def _person(author) -> Person:
    roles = ", ".join(r.strip() for r in author.roles if r.strip())
    about = " · ".join(t for t in (roles, author.affiliation) if t)
    return Person(name_line(author.name, author.honorific, author.credentials), author.name, roles,
                  author.affiliation, about, author.email)


# --- 8. dates ------------------------------------------------------------------------------------


def date_text(day, lang: str) -> str:
    """The date as the language writes it: en-US "March 14, 2025", en-GB and others "14 March 2025"."""
    if day is None:
        return ""
    found = language(lang)
    return found.date.format(day=day.day, month=found.months[day.month - 1], year=day.year)


def format_dates(document: Document) -> Document:
    text = date_text(document.date, document.lang)
    dateline = ", ".join(t for t in (document.venue, text) if t)
    return _decide(document, date_text=text, date_iso=document.date.isoformat() if document.date else "",
                   dateline=dateline)


# --- the order -----------------------------------------------------------------------------------

PASSES: tuple[Pass, ...] = (
    Pass("evidence-placement", place_evidence),
    Pass("evidence-columns", evidence_columns),
    Pass("citation-numbering", None),
    Pass("quotes", curly_quotes),
    Pass("evidence-chart", chart_evidence),
    Pass("title", join_title),
    Pass("names", join_authors),
    Pass("dates", format_dates),
)


def apply_transforms(document: Document, number_citations: Transform | None = None) -> Document:
    """`document` with every pass of `PASSES` run in order; `number_citations` is the citation pass."""
    for step in PASSES:
        run = step.run or number_citations
        if run is not None:
            document = run(document)
    return document


def _decide(document: Document, **decisions) -> Document:
    return dataclasses.replace(document, decided=dataclasses.replace(document.decided, **decisions))


__all__ = ["PASSES", "READING_ORDER", "NOT_READ", "Decisions", "apply_transforms", "reading_order", "title_line",
           "sentence", "join_names", "name_line", "date_text", "curly", "language", "COLUMNS", "NOT_STATED"]
