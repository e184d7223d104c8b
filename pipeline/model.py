"""The Document: plain, immutable data that every renderer reads.

Inline text is parsed once (see `inline.py`) into runs of the node types
below; citations arrive resolved, carrying the text the chosen style gives
them, so no renderer formats a citation or parses Markdown again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

from pipeline.chart_model import EvidenceChart
from pipeline.diagnostics import Location

# --- inline runs -------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Emph:
    """Emphasis (italic)."""

    children: Runs


@dataclass(frozen=True)
class Strong:
    """Strong emphasis (bold)."""

    children: Runs


@dataclass(frozen=True)
class Link:
    """A hyperlink to an http(s) or mailto address."""

    url: str
    children: Runs


@dataclass(frozen=True)
class RefLink:
    """Part of a citation that points at a reference list entry (`#ref-<key>`)."""

    key: str
    children: Runs


@dataclass(frozen=True)
class Sup:
    """Superscript: a numeric style's citation numbers ("dependence¹")."""

    children: Runs


@dataclass(frozen=True)
class CiteItem:
    """One cited work inside a citation: `[see @key, p. 4]`."""

    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class Cite:
    """A Pandoc citation; `runs` is its text in the document's style, filled at load."""

    items: tuple[CiteItem, ...]
    mode: Literal["parenthetical", "narrative"]
    location: Location
    runs: Runs = ()


# Every inline node type, listed once: the visitors (pipeline/visitor.py) dispatch on exactly these.
Inline = Union[Text, Emph, Strong, Link, RefLink, Sup, Cite]
Runs = tuple[Inline, ...]


def plain_text(runs: Runs | None) -> str:
    """The runs as plain text, citations as their rendered text (`pipeline.visitor.PlainText`)."""
    from pipeline.visitor import PlainText  # late: the visitors import the node types from here
    return PlainText().visit(runs)


def citations(runs: Runs | None) -> list[Cite]:
    """Every citation in the runs, in reading order (`pipeline.visitor.Citations`)."""
    from pipeline.visitor import Citations  # late: the visitors import the node types from here
    return Citations().visit(runs)


# --- blocks ------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose."""

    runs: Runs
    location: Location


@dataclass(frozen=True)
class Figure:
    """An image from the review folder, numbered in document order."""

    image: Path
    alt: str
    caption: Runs
    number: int
    location: Location


Block = Union[Paragraph, Figure]


@dataclass(frozen=True)
class Section:
    """A section of the review body; `key_points` are what its slides show."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    key_points: tuple[Paragraph, ...]
    location: Location

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Paragraph))


# --- front matter --------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """An author as the byline shows them: `Dr Robert Becker, MCMA`."""

    name: str
    honorific: str = ""
    credentials: str = ""
    roles: tuple[str, ...] = ()
    affiliation: str = ""
    email: str = ""

    @property
    def display_name(self) -> str:
        name = f"{self.honorific} {self.name}" if self.honorific else self.name
        return f"{name}, {self.credentials}" if self.credentials else name


# --- structured parts ----------------------------------------------------------


@dataclass(frozen=True)
class Study:
    """A row of the evidence table, as the review states it; None when not stated."""

    condition: Runs
    study: Runs
    design: Runs
    participants: Runs | None
    duration: Runs | None
    finding: Runs
    location: Location


@dataclass(frozen=True)
class EvidenceTable:
    """The studies the review discusses; `after` is the section id the review asks it to follow ("" for the rule)."""

    caption: str
    studies: tuple[Study, ...]
    after: str = ""
    chart: bool = True  # `evidence.chart: false` turns the evidence chart off in every output


@dataclass(frozen=True)
class LaySection:
    """A section of the plain-language summary."""

    heading: str
    paragraphs: tuple[Paragraph, ...]
    location: Location


@dataclass(frozen=True)
class LaySummary:
    """The plain-language summary for patients and the public."""

    title: str
    key_messages: tuple[Paragraph, ...]
    sections: tuple[LaySection, ...]
    disclaimer: str
    grade_target: float
    jargon: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Term:
    """A glossary entry: a technical term and its plain meaning."""

    term: str
    meaning: Runs
    aliases: tuple[str, ...]
    location: Location


@dataclass(frozen=True)
class Reference:
    """A reference list entry, formatted once in the document's citation style."""

    key: str
    label: str  # what the list shows before the entry: "1." in numeric styles, "" otherwise
    runs: Runs
    location: Location


@dataclass(frozen=True)
class Bibliography:
    """The resolved reference list, in the order the style lists it."""

    style: str
    references: tuple[Reference, ...]

    def cited(self, keys: set[str]) -> tuple[Reference, ...]:
        """The references of the works `keys` name, in the list's order and numbering (an output's own list)."""
        return tuple(r for r in self.references if r.key in keys)


@dataclass(frozen=True)
class Document:
    """A whole review, validated and resolved."""

    name: str
    source_dir: Path
    source_path: Path
    title: str
    subtitle: str
    short_title: str
    authors: tuple[Author, ...]
    date: datetime.date | None
    venue: str
    lang: str
    keywords: tuple[str, ...]
    abstract: tuple[Paragraph, ...]
    key_points: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    evidence: EvidenceTable | None
    lay_summary: LaySummary | None
    glossary: tuple[Term, ...]
    bibliography: Bibliography
    citation_style: str
    theme: str
    paper: str | None
    figures: tuple[Figure, ...] = field(default=())
    url: str = ""  # where the full article lives online ("" when the review does not say)

    decided: Decisions = field(default_factory=lambda: Decisions())

    @property
    def full_title(self) -> str:
        """Title and subtitle as one line (`pipeline.transforms.title_line`, the one rule for it)."""
        from pipeline.transforms import title_line  # late: the transforms import the model
        return self.decided.title_line or title_line(self.title, self.subtitle)


# --- decisions -------------------------------------------------------------------------------
# What two or more outputs show, decided once by the passes in pipeline/transforms.py after the
# review is loaded. Renderers lay these out; none decides them again.


@dataclass(frozen=True)
class Column:
    """A column of the evidence table: the `Study` field it shows and its header."""

    field: str
    label: str


@dataclass(frozen=True)
class Person:
    """An author as every output names them."""

    name: str  # with honorific and credentials: "Dr Robert Becker, MCMA"
    plain_name: str  # as metadata holds it: "Robert Becker"
    roles: str  # "Neuropsychologist, Psychotherapist"
    affiliation: str
    about: str  # roles and affiliation on one line: "Neuropsychologist · University of X"
    email: str


@dataclass(frozen=True)
class Decisions:
    """The results of the passes (pipeline/transforms.py); empty until they have run."""

    title_line: str = ""  # "Title: Subtitle" ("Title? Subtitle" when the title ends in punctuation)
    title_sentence: str = ""  # the title line ending in exactly one full stop (or ? !)
    people: tuple[Person, ...] = ()
    byline: str = ""  # "A", "A and B", "A, B and C" ("; " between names that hold a comma)
    byline_sentence: str = ""
    metadata_author: str = ""  # plain names for file metadata: "A; B"
    date_text: str = ""  # the review's date for its language: "14 March 2025", "March 14, 2025"
    date_iso: str = ""  # the same date as YYYY-MM-DD, for metadata and <time datetime>
    dateline: str = ""  # venue and date: "Venue, 14 March 2025"
    quotes: tuple[str, str, str, str] = ("“", "”", "‘", "’")  # open, close, open single, close single
    evidence_after: str = ""  # id of the section the evidence table follows in article, deck and handout
    evidence_after_title: str = ""
    evidence_heading: str = ""
    evidence_columns: tuple[Column, ...] = ()
    evidence_not_stated: str = ""  # what a cell shows when its row does not state it
    evidence_groups: tuple[tuple[int, ...], ...] = ()  # row indexes by condition, as the chart and deck group them
    evidence_chart: EvidenceChart | None = None  # None: no evidence rows, or `evidence.chart: false`
    evidence_chart_number: int = 0  # its figure number, after the review's own figures: "Figure 2."

    def quoted(self, text: str) -> str:
        """`text` in the language's double quotes."""
        return f"{self.quotes[0]}{text}{self.quotes[1]}"
