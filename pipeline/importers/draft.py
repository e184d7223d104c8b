"""What every reader makes of an article: a draft of the review, in the source's own order.

Readers only recognise structure (headings, paragraphs, figures, tables, the
reference list); the `Draft` decides where each piece goes, the same way for
every format: an "Abstract" heading starts the abstract, "References" the
reference list, "Key points" the key points, any other heading a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostics, Location, display_path

ABSTRACT = {"abstract", "summary"}
REFERENCES = {"references", "reference list", "bibliography", "works cited", "literature cited", "sources"}
KEY_POINTS = {"key points", "highlights", "key messages", "take home messages"}
STUDY_FIELDS = ("condition", "study", "design", "participants", "duration", "finding")


@dataclass
class Para:
    """A paragraph of Markdown inline text, at its line (for .docx: its paragraph number) in the source."""

    text: str
    line: int


@dataclass
class Figure:
    """An image kept in the review folder, with its alternative text and caption."""

    image: str
    alt: str
    caption: str
    line: int


@dataclass
class Section:
    title: str
    line: int
    blocks: list[Para | Figure] = field(default_factory=list)


@dataclass
class Draft:
    """The article as read, before its citations are linked and it is written out."""

    path: Path
    title: str = ""
    subtitle: str = ""
    authors: list[dict] = field(default_factory=list)
    date: str = ""
    meta: dict = field(default_factory=dict)  # lang, keywords: as the source gave them
    abstract: list[Para] = field(default_factory=list)
    key_points: list[Para] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    references: list[Para] = field(default_factory=list)
    evidence: dict | None = None
    bibliography: tuple[str, str] | None = None  # (file name, BibTeX text) named by Markdown front matter
    files: dict[str, bytes] = field(default_factory=dict)  # images, by path inside the review folder
    notes: list[str] = field(default_factory=list)  # what the reader decided, for the closing lines
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    _place: str = "lead"

    def where(self, line: int, column: int = 1) -> Location:
        return Location(display_path(self.path), line, column)

    def warn(self, message: str, line: int, column: int = 1) -> None:
        self.diagnostics.warning(message, self.where(line, column))

    def heading(self, title: str, line: int) -> None:
        """A heading: where the paragraphs after it go."""
        name = re.sub(r"[\s:.]+$", "", title).strip().lower()
        if name in ABSTRACT and not self.abstract:
            self._place = "abstract"
        elif name in REFERENCES:
            self._place = "references"
        elif name in KEY_POINTS and not self.key_points:
            self._place = "key_points"
        else:
            self._place = "section"
            self.sections.append(Section(title.strip(), line))

    @property
    def in_references(self) -> bool:
        return self._place == "references"

    def add(self, block: Para | Figure) -> None:
        """A paragraph or figure, into whatever the last heading started."""
        if self._place == "lead":
            self._lead(block)
        elif isinstance(block, Figure) and self._place != "section":
            self.warn(f"figure '{block.image}' outside a section: left out (move it into a section)", block.line)
        elif self._place == "abstract":
            self.abstract.append(block)
        elif self._place == "references":
            self.references.append(block)
        elif self._place == "key_points":
            self.key_points.append(block)
        else:
            self.sections[-1].blocks.append(block)

    def _lead(self, block: Para | Figure) -> None:
        """Text before the first heading: the abstract when the article has no "Abstract" heading."""
        if isinstance(block, Para) and not self.sections:
            if not self.abstract:
                self.warn("text before the first heading: used as the abstract (check it)", block.line)
            self.abstract.append(block)
        else:
            self.warn("text before the first heading: left out (give it a heading)", block.line)

    def table(self, header: list[str], rows: list[list[str]], caption: str, line: int) -> None:
        """A table becomes the evidence table when its columns are the evidence fields."""
        columns = [re.sub(r"[^a-z]", "", h.lower()) for h in header]
        needed = {"condition", "study", "design", "finding"}
        if self.evidence is None and needed <= set(columns) and set(columns) <= set(STUDY_FIELDS):
            studies = [{c: v for c, v in zip(columns, row) if v.strip()} for row in rows]
            self.evidence = {"caption": caption, "studies": studies, "line": line} if caption else \
                {"studies": studies, "line": line}
            self.notes.append(f"{self.where(line)}: the table with columns {', '.join(header)} became `evidence`")
        else:
            self.warn(f"table ({len(rows)} rows; columns {', '.join(header)}) left out: a review holds no tables "
                      f"but one evidence table (columns {', '.join(STUDY_FIELDS)})", line)


def escape_markdown(text: str) -> str:
    """Plain text as Markdown inline text that reads back as the same characters."""
    text = re.sub(r"([\\`*_\[\]<@])", r"\\\1", text)
    return re.sub(r"&(?=#?\w+;)", r"\\&", text)
