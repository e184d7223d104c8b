"""Load a review folder into a `Document`: read, validate, parse inline text, resolve citations.

This is the only way in. Every problem is collected as a diagnostic with its
file and line; if any is an error, `InputError` carries them all and no
Document is made.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path

from pipeline import schema, themes
from pipeline.bibliography import BibEntry, load_bibliography
from pipeline.entry_checks import check_entry
from pipeline.citation_styles import STYLES, Context
from pipeline.diagnostics import Diagnostic, Diagnostics, InputError, Location
from pipeline.inline import parse_inline
from pipeline.model import (Author, Bibliography, Cite, Document, EvidenceTable, Figure, LaySection,
                            LaySummary, Paragraph, Reference, Runs, Section, Study, Sup, Term, Text, citations)
from pipeline.images import figure_problem
from pipeline.source import REVIEW_FILE, YamlPath, YamlSource, load_yaml
from pipeline.theme_schema import validate_theme
from pipeline.transforms import NOT_READ, READING_ORDER, apply_transforms, reading_order  # noqa: F401
from pipeline.visitor import InlineTransform, map_inline

DEFAULT_DISCLAIMER = ("This summary is not medical advice. Talk to your doctor before you start "
                      "or stop any medicine.")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# Ids the templates give their own parts (pipeline/templates: id="..."); a section must not take one.
RESERVED_IDS = frozenset({"abstract", "abstract-heading", "evidence", "evidence-heading", "key-messages",
                          "key-points-heading", "main", "references", "references-heading", "toc-heading",
                          "words-to-know"})
RESERVED_PREFIXES = ("ref-", "figure-", "lay-")  # ref-<key>, figure-<n>, lay-<n>


def load_review(review_dir: Path, theme: str | None = None) -> tuple[Document, list[Diagnostic]]:
    """The Document of `review_dir` and its warnings; raises InputError if there are errors."""
    diagnostics = Diagnostics()
    source = load_yaml(review_dir / REVIEW_FILE, diagnostics)
    diagnostics.raise_if_errors()
    schema.validate(source, diagnostics)
    diagnostics.raise_if_errors()
    document = _Builder(review_dir, source, diagnostics, theme).build()
    diagnostics.raise_if_errors()
    return document, diagnostics.items


def slugify(title: str) -> str:
    """An anchor id from a heading: "LDN Therapy and PTSD" → "ldn-therapy-and-ptsd"."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug if slug[:1].isalpha() else f"section-{slug}"


def reserved(section_id: str) -> bool:
    """Whether the outputs already use `section_id` for a part of their own (the reference list, ...)."""
    lowered = section_id.lower()
    return lowered in RESERVED_IDS or lowered.startswith(RESERVED_PREFIXES)


class _Builder:
    """Builds the Document from validated data; knows where every value came from."""

    def __init__(self, review_dir: Path, source: YamlSource, diagnostics: Diagnostics, theme: str | None):
        self.dir = review_dir
        self.source = source
        self.data = source.data
        self.diagnostics = diagnostics
        self.theme_override = theme
        self.figure_count = 0

    # --- inline text -----------------------------------------------------------------

    def runs(self, path: YamlPath, text: str | None = None, offset: int = 0) -> Runs:
        """Parse the Markdown at `path` (or a part of it starting at `offset`)."""
        value = str(self._get(path)) if text is None else text
        whole = str(self._get(path))

        def locate(at: int, needle: str):
            return self.source.locate_in(path, whole, offset + at, needle)

        result = parse_inline(value, locate)
        for url in result.unsafe_links:
            self.diagnostics.warning(f"link to '{url}' is not http(s) or mailto; it is shown as text",
                                     locate(max(value.find(url), 0), url))
        if result.images:
            self.diagnostics.warning("an image inside text is shown as its alt text; put it on its own "
                                     "as a body item to make it a figure", self.source.location(path))
        return result.runs

    def paragraphs(self, path: YamlPath) -> tuple[Paragraph, ...]:
        """Markdown with blank lines between paragraphs, one Paragraph each."""
        value = str(self._get(path))
        found, start = [], 0
        for part in _PARAGRAPH_BREAK.split(value):
            offset = value.find(part, start)
            start = offset + len(part)
            if part.strip():
                where = self.source.locate_in(path, value, offset, part.split()[0])
                found.append(Paragraph(self.runs(path, part, offset), where))
        return tuple(found)

    def paragraph(self, path: YamlPath) -> Paragraph:
        return Paragraph(self.runs(path), self.source.location(path))

    def _get(self, path: YamlPath, default=None):
        value = self.data
        for part in path:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                return default
        return value

    def _text(self, path: YamlPath, default: str = "") -> str:
        value = self._get(path)
        return default if value is None else str(value).strip()

    # --- the document --------------------------------------------------------------------

    def build(self) -> Document:
        sections = self._sections()
        document = Document(
            name=self.dir.resolve().name,
            source_dir=self.dir,
            source_path=self.source.path,
            title=self._text(("title",)),
            subtitle=self._text(("subtitle",)),
            short_title=self._text(("short_title",)) or self._text(("title",)),
            authors=tuple(self._author(i) for i in range(len(self.data["authors"]))),
            date=self._date(),
            venue=self._text(("venue",)),
            lang=self._text(("lang",), "en"),
            keywords=tuple(self.data.get("keywords", ())),
            abstract=self.paragraphs(("abstract",)),
            key_points=tuple(self.paragraph(("key_points", i)) for i in range(len(self.data.get("key_points", ())))),
            sections=sections,
            evidence=self._evidence(sections),
            lay_summary=self._lay_summary(),
            glossary=tuple(self._term(i) for i in range(len(self.data.get("glossary", ())))),
            bibliography=Bibliography(self._style_name(), ()),
            citation_style=self._style_name(),
            theme=self._theme(),
            paper=self.data.get("paper"),
            figures=tuple(b for s in sections for b in s.blocks if isinstance(b, Figure)),
            url=self._text(("url",)),
        )
        entries = self._bibliography_entries()
        # the passes decide what every output shows (pipeline/transforms.py); citations are numbered
        # in their place in that order, unless the .bib itself is broken (key checks would only repeat that)
        return apply_transforms(document, None if entries is None else
                                lambda placed: _resolve_citations(placed, entries, self))

    def _style_name(self) -> str:
        return self.data.get("citation_style", "apa")

    def _date(self):
        import datetime
        value = self.data.get("date")
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value)) if value else None
        except ValueError:
            self.diagnostics.error(f"'date' is not a real date: {value!r}", self.source.location(("date",)))
            return None

    def _theme(self) -> str:
        name = self.theme_override or self.data.get("theme", themes.DEFAULT_THEME)
        there = themes.available()
        if name not in there:
            where = self.source.location(("theme",))
            how = "--theme" if self.theme_override else "'theme'"
            self.diagnostics.error(f"unknown theme '{name}' ({how}); the themes are: {', '.join(there) or 'none'}",
                                   where)
        else:
            validate_theme(themes.find(name), self.diagnostics)
        return name

    def _author(self, i: int) -> Author:
        get = lambda field: self._text(("authors", i, field))  # noqa: E731
        return Author(name=get("name"), honorific=get("honorific"), credentials=get("credentials"),
                      roles=tuple(self.data["authors"][i].get("roles", ())),
                      affiliation=get("affiliation"), email=get("email"))

    def _sections(self) -> tuple[Section, ...]:
        sections, seen = [], {}
        for i, raw in enumerate(self.data["sections"]):
            path = ("sections", i)
            section_id = raw.get("id") or slugify(raw["title"])
            where = self.source.location(path + (("id",) if "id" in raw else ("title",)))
            if section_id in seen:
                self.diagnostics.error(f"section id '{section_id}' is already used by the section on line "
                                       f"{seen[section_id]}; give one of them another 'id'", where)
            elif reserved(section_id):
                self._reserved_id(section_id, "id" in raw, where)
            seen.setdefault(section_id, where.line)
            blocks = tuple(self._block(path + ("body", j)) for j in range(len(raw["body"])))
            points = tuple(self.paragraph(path + ("key_points", j)) for j in range(len(raw.get("key_points", ()))))
            sections.append(Section(section_id, raw["title"].strip(), blocks, points, self.source.location(path)))
        return tuple(sections)

    def _reserved_id(self, section_id: str, given: bool, where: Location) -> None:
        how = f"section id '{section_id}'" if given else f"the title makes the section id '{section_id}', which"
        self.diagnostics.error(f"{how} is reserved for a part the outputs make themselves; "
                               f"choose another 'id'{'' if given else ' for this section'}", where)

    def _block(self, path: YamlPath):
        value = self._get(path)
        if isinstance(value, dict):
            caption = self.runs(path + ("caption",)) if value.get("caption") else ()
            return self._figure(path, value["image"], value["alt"], caption, path + ("image",))
        lone_image = re.fullmatch(r"\s*!\[([^\]]*)\]\(\s*(\S+?)(?:\s+\"([^\"]*)\")?\s*\)\s*", value)
        if lone_image:
            alt, src, title = lone_image.groups()
            caption = parse_inline(title, lambda *_: self.source.location(path)).runs if title else ()
            return self._figure(path, src, alt, caption, path)
        return self.paragraph(path)

    def _figure(self, path: YamlPath, image: str, alt: str, caption: Runs, image_path: YamlPath) -> Figure:
        self.figure_count += 1
        where = self.source.location(image_path)
        problem = figure_problem(image, self.dir)  # the limits the build relies on, before any read
        if problem:
            self.diagnostics.error(problem, where)
        if not alt.strip():
            self.diagnostics.warning("figure has no alt text; describe what it shows", where)
        return Figure(Path(image), alt.strip(), caption, self.figure_count, self.source.location(path))

    def _evidence(self, sections: tuple[Section, ...]) -> EvidenceTable | None:
        raw = self.data.get("evidence")
        if not raw:
            return None
        after = self._text(("evidence", "after"))
        ids = [s.id for s in sections]
        if after and after not in ids:
            close = difflib.get_close_matches(after, ids, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; the section ids are: {', '.join(ids)}"
            self.diagnostics.error(f"evidence.after: no section has the id '{after}'{hint}",
                                   self.source.location(("evidence", "after")))
            after = ""
        rows = []
        for i, study in enumerate(raw["studies"]):
            path = ("evidence", "studies", i)
            cell = lambda f: self.runs(path + (f,)) if f in study else None  # noqa: E731
            rows.append(Study(cell("condition"), cell("study"), cell("design"), cell("participants"),
                              cell("duration"), cell("finding"), self.source.location(path)))
        return EvidenceTable(raw.get("caption", "Studies discussed in this review"), tuple(rows), after,
                             raw.get("chart", True) is not False)

    def _lay_summary(self) -> LaySummary | None:
        raw = self.data.get("lay_summary")
        if not raw:
            return None
        path = ("lay_summary",)
        messages = tuple(self.paragraph(path + ("key_messages", i)) for i in range(len(raw["key_messages"])))
        sections = tuple(
            LaySection(s["heading"].strip(), self.paragraphs(path + ("sections", i, "text")),
                       self.source.location(path + ("sections", i)))
            for i, s in enumerate(raw["sections"]))
        return LaySummary(raw["title"].strip(), messages, sections, raw.get("disclaimer", DEFAULT_DISCLAIMER),
                          float(raw.get("grade_target", 8)), tuple(raw.get("jargon", ())),
                          self.source.location(path))

    def _term(self, i: int) -> Term:
        raw = self.data["glossary"][i]
        return Term(raw["term"].strip(), self.runs(("glossary", i, "meaning")), tuple(raw.get("aliases", ())),
                    self.source.location(("glossary", i)))

    def _bibliography_entries(self) -> dict[str, BibEntry] | None:
        name = self.data.get("bibliography", "references.bib")
        path = (self.dir / name).resolve()
        if not path.is_relative_to(self.dir.resolve()):
            self.diagnostics.error(f"bibliography '{name}' must be inside the review folder",
                                   self.source.location(("bibliography",)))
            return None
        if not path.is_file():
            self.diagnostics.error(f"bibliography file '{name}' not found in {self.dir}",
                                   self.source.location(("bibliography",)) if "bibliography" in self.data
                                   else self.source.location(()))
            return None
        errors_before = sum(d.severity == "error" for d in self.diagnostics.items)
        entries = load_bibliography(path, self.diagnostics)
        return None if sum(d.severity == "error" for d in self.diagnostics.items) > errors_before else entries


# --- citations -------------------------------------------------------------------------


def all_runs(document: Document) -> list[Runs]:
    """Every piece of inline text in reading order (`pipeline.transforms.reading_order`): it numbers citations."""
    return list(reading_order(document))


def _resolve_citations(document: Document, entries: dict[str, BibEntry], builder: _Builder) -> Document:
    diagnostics = builder.diagnostics
    cites = [c for runs in all_runs(document) for c in citations(runs)]
    order: list[str] = []
    for cite in cites:
        for item in cite.items:
            if item.key not in entries:
                close = difflib.get_close_matches(item.key, list(entries), n=2, cutoff=0.6)
                hint = f" (did you mean {' or '.join(repr(k) for k in close)}?)" if close else \
                    " (no such key in the bibliography)"
                diagnostics.error(f"unknown citation key '{item.key}'{hint}", cite.location)
            elif item.key not in order:
                order.append(item.key)
    listed = order + [k for k in _nocite(builder, entries) if k not in order]
    for key, entry in entries.items():
        if key not in listed:
            diagnostics.warning(f"reference '{key}' is never cited; cite it, or list it with nocite",
                                entry.location)
    if diagnostics.has_errors:
        return document
    style = STYLES[document.citation_style]
    for key in listed:
        check_entry(entries[key], diagnostics, style)
    context = style.prepare([entries[k] for k in listed], order)
    references = tuple(Reference(key, style.label(e, context), style.reference(e, context), e.location)
                       for key, e in context.entries.items())
    return _map_cites(document, lambda cite: style.cite(cite, context), Bibliography(style.name, references),
                      style.superscript)


def _nocite(builder: _Builder, entries: dict[str, BibEntry]) -> list[str]:
    nocite = builder.data.get("nocite")
    if nocite == "*":
        return list(entries)
    keys = []
    for i, key in enumerate(nocite or ()):
        if key in entries:
            keys.append(key)
        else:
            close = difflib.get_close_matches(key, list(entries), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            builder.diagnostics.error(f"unknown key '{key}' in nocite{hint}", builder.source.location(("nocite", i)))
    return keys


class _FillCites(InlineTransform):
    """Runs with every citation's text filled in by `render`.

    With `superscript` (a style that raises its numbers), the space before a parenthetical
    citation goes: "dependence¹." rather than "dependence ¹.".
    """

    def __init__(self, render: Callable[[Cite], Runs] = attrgetter("runs"), superscript: bool = False):
        self.render = render
        self.superscript = superscript

    def visit_cite(self, node: Cite) -> Runs:
        return (dataclasses.replace(node, runs=self.render(node)),)

    def combine(self, parts: list[Runs]) -> Runs:
        runs = super().combine(parts)
        return _tight_before_cites(runs) if self.superscript else runs


def _tight_before_cites(runs: Runs) -> Runs:
    """Trailing whitespace dropped from the Text run before a citation that starts raised (a Text left empty goes).

    Only a parenthetical one: a narrative citation starts with a name ("as Volpicelli et al¹ found"), and
    one with a prefix starts with it ("dependence (see ⁸)" keeps its space).
    """
    out: list = []
    for node in runs:
        raised = isinstance(node, Cite) and node.mode == "parenthetical" and node.runs[:1] \
            and isinstance(node.runs[0], Sup)
        if raised and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text.rstrip())
            if not out[-1].text:
                out.pop()
        out.append(node)
    return tuple(out)


def _map_cites(document: Document, render: Callable[[Cite], Runs], bibliography: Bibliography,
               superscript: bool = False) -> Document:
    """The same document with every citation's text filled in by `render`."""
    filled = map_inline(document, _FillCites(render, superscript).visit)
    return dataclasses.replace(filled, bibliography=bibliography)
