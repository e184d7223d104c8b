"""The talk as an outline: which slides, in which order, with what on them, their notes and sources.

Title slide, outline, each section's key points and then its figures, the
evidence table and its chart after the section the evidence follows, take-home
messages, references and a closing slide. Nothing here knows a slide's size:
an outline slide is what a slide says, not where; `fit.py` fits it to a frame
(continuing a slide over "(cont.)" slides when it does not fit). The handout
takes its key messages from the same outline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Union

from pipeline.chart_model import EvidenceChart
from pipeline.diagnostics import Diagnostic
from pipeline.limits import SLIDE_TEXT_CHARS
from pipeline.model import (Cite, Column, Document, EvidenceTable, Figure, Paragraph, Runs, Section,
                            Study, citations, plain_text)
from pipeline.render.slides.text import Para, Span, cap_spans, clean, spans, spans_without_cites, strip_spans, unbreakable
from pipeline.sentences import first_sentence
from pipeline.transforms import join_names

_YEAR = re.compile(r"\d{4}[a-z]?")
CAPTION_CHARS = 600  # about five lines under a figure: more would leave no room for the picture
KINDS = ("title", "outline", "section", "figure", "evidence", "chart", "take-home", "references", "closing")
# ("divider" slides are added when fitting, if the design asks for them: a look, not content)
CLOSING_SECTIONS = {"conclusion", "conclusions", "summary", "concluding remarks", "take-home messages"}

Item = Union[Runs, str]  # inline runs from the review, or plain text the talk adds (a title, a first sentence)


@dataclass(frozen=True)
class TableGroup:
    """One condition of the evidence table and its studies (indexes of the table's rows, in table order)."""

    condition: Item
    rows: tuple[int, ...]


@dataclass(frozen=True)
class OutlineSlide:
    """One slide of the talk before fitting: it may become several "(cont.)" slides once fitted.

    `items` are what the slide lists (bullets, references, a figure's caption,
    the cover's lines); `labels` say what each item is where that matters (a
    cover line's role, a reference's list label); `notes` are paragraphs of
    speaker notes, shared out in order over the slides it becomes; `sources`
    are the citation keys it draws on, `item_sources` those of each item (a
    bullet's, an evidence row's: what the slide's foot line names, since bullets
    leave their citations out); `section` the id of the section it
    belongs to ("" for the talk's frame). A figure, evidence or chart slide
    carries what it shows.
    """

    kind: str
    title: str
    items: tuple[Item, ...] = ()
    labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    item_sources: tuple[tuple[str, ...], ...] = ()
    section: str = ""
    figure: Figure | None = None
    image: Path | None = None  # the figure's file
    table: EvidenceTable | None = None
    columns: tuple[Column, ...] = ()
    not_stated: str = ""
    groups: tuple[TableGroup, ...] = ()  # the evidence rows by condition, when the table shows the condition
    chart: EvidenceChart | None = None


@dataclass(frozen=True)
class TalkOutline:
    """The talk's slides in order, the short title every slide's footer repeats, and each source as cited.

    `cited` maps each cited key to its citation's text in the document's style
    ("Toljan & Vrooman, 2018"; "[3]" in a numeric style): what foot lines say.
    """

    slides: tuple[OutlineSlide, ...]
    short_title: str
    cited: tuple[tuple[str, str], ...] = ()

    def source_texts(self, keys: tuple[str, ...]) -> tuple[str, ...]:
        """The citation text of each of `keys`, each once, in order; a citation never breaks over lines."""
        known = dict(self.cited)
        return tuple(dict.fromkeys(unbreakable(known[k]) for k in keys if k in known))

    def of_kind(self, kind: str) -> tuple[OutlineSlide, ...]:
        return tuple(s for s in self.slides if s.kind == kind)

    @property
    def take_home(self) -> tuple[Item, ...]:
        """The messages the talk leaves its audience with (the handout's key messages)."""
        return self.of_kind("take-home")[0].items


def outline(document: Document) -> TalkOutline:
    """Every slide of the talk, in order: what it says, its notes and its sources."""
    slides: list[OutlineSlide] = []
    merged = _merged_conclusion(document)
    for section in document.sections:
        if section is not merged:
            slides += _section(section, document.source_dir)
        if document.evidence and section.id == document.decided.evidence_after:
            slides += _evidence(document, section.id)
    take_home = _take_home(document)
    points = [f"- {bullet(item).text}" for item in take_home]
    prose = tuple(clean(plain_text(p.runs)) for p in merged.paragraphs) if merged else ()
    runs = [i for i in take_home if not isinstance(i, str)]
    slides.append(OutlineSlide("take-home", "Take-home messages", tuple(take_home),
                               notes=(*prose, "\n".join(["The messages to leave the audience with:", *points])),
                               sources=_keys(*runs, *(p.runs for p in merged.paragraphs) if merged else ()),
                               item_sources=tuple(_keys(i) if not isinstance(i, str) else () for i in take_home),
                               section=merged.id if merged else ""))
    slides = [_cover(document), _outline(slides), *slides, *_references(document, slides), _closing(document)]
    return TalkOutline(tuple(slides), document.short_title, _cited(document))


def _outline(slides: list[OutlineSlide]) -> OutlineSlide:
    """The parts of the talk as its slides title them: each section shown, then the take-home messages.

    A section merged into the take-home slide is not listed under its own title: the talk never shows it.
    """
    parts = dict.fromkeys(s.title for s in slides if s.section and s.kind in ("section", "figure"))
    parts |= dict.fromkeys(s.title for s in slides if s.kind == "take-home")
    titles = tuple(parts)
    notes = f"The talk follows the review: {'; '.join(titles)}."
    return OutlineSlide("outline", "Outline", titles, notes=(notes,))


def _merged_conclusion(document: Document) -> Section | None:
    """The last section when it is the talk's conclusion: its slide would say what the take-home slide says.

    A talk ends once: the take-home messages stand for it, and its prose goes to their notes.
    Not when it shows a figure or the evidence follows it (those slides need their section).
    """
    if not document.sections or not document.key_points:
        return None
    last = document.sections[-1]
    same = [plain_text(p.runs) for p in last.key_points] == [plain_text(p.runs) for p in document.key_points]
    closing = " ".join(last.title.lower().split()).rstrip(".") in CLOSING_SECTIONS
    alone = not any(isinstance(b, Figure) for b in last.blocks) and document.decided.evidence_after != last.id
    return last if (same or closing) and alone else None


# --- the frame of the talk ---------------------------------------------------------------------


def _cover(document: Document) -> OutlineSlide:
    """Title, subtitle, presenter with credentials, their roles, the other authors, venue and date."""
    people = document.decided.people
    presenter = people[0] if people else None
    lines = [("title", document.title)]
    lines += [("subtitle", document.subtitle)] if document.subtitle else []
    if presenter:
        lines.append(("presenter", presenter.name))
        if presenter.roles or presenter.affiliation:  # each on its own line: a long role never hides where
            lines += [("about", presenter.roles)] if presenter.roles else []
            lines += [("affiliation", presenter.affiliation)] if presenter.affiliation else []
        else:
            lines += [("about", presenter.about)] if presenter.about else []
    others = join_names([p.name for p in people[1:]])
    lines += [("others", f"with {others}")] if others else []
    lines += [("date", document.decided.dateline)] if document.decided.dateline else []
    notes = "\n\n".join(clean(plain_text(p.runs)) for p in document.abstract)
    return OutlineSlide("title", document.title, tuple(t for _, t in lines), tuple(r for r, _ in lines), (notes,))


def _closing(document: Document) -> OutlineSlide:
    """Thanks, an invitation to questions, and how to reach the presenter."""
    presenter = document.decided.people[0] if document.decided.people else None
    lines = [("thanks", "Thank you"), ("questions", "Questions and discussion")]
    if presenter:
        lines.append(("presenter", presenter.name))
        lines += [("email", presenter.email)] if presenter.email else []
    lines.append(("title-line", document.decided.title_line))
    points = [f"- {clean(plain_text(p.runs))}" for p in document.key_points]
    notes = "\n".join(["Thank the audience and invite questions."]
                      + (["Key messages to come back to in the discussion:", *points] if points else []))
    return OutlineSlide("closing", "Thank you", tuple(t for _, t in lines), tuple(r for r, _ in lines), (notes,))


# --- the sections --------------------------------------------------------------------------


def _section(section: Section, folder: Path) -> list[OutlineSlide]:
    """A section's key points (or each paragraph's first sentence), then one slide per figure."""
    points: list[Item] = [p.runs for p in section.key_points] or _first_sentences(section)
    prose = tuple(clean(plain_text(p.runs)) for p in section.paragraphs)
    sources = _keys(*(p.runs for p in section.key_points), *(p.runs for p in section.paragraphs))
    per_item = tuple(_keys(p) if not isinstance(p, str) else () for p in points)
    slides = [OutlineSlide("section", section.title, tuple(points), notes=prose, sources=sources,
                           item_sources=per_item, section=section.id)] if points else []
    for figure in (b for b in section.blocks if isinstance(b, Figure)):
        notes = f"{plain_text(figure.caption) or 'Figure ' + str(figure.number)}\nAlt text: {figure.alt}"
        slides.append(OutlineSlide("figure", section.title, (figure.caption,), notes=(clean_notes(notes),),
                                   sources=_keys(figure.caption), section=section.id, figure=figure,
                                   image=folder / figure.image))
    return slides


def _first_sentences(section: Section) -> list[Item]:
    """Bullets for a section without key points: the first sentence of each paragraph."""
    return [t for t in (_first_sentence(p) for p in section.paragraphs) if t]


def _first_sentence(paragraph: Paragraph) -> str:
    return first_sentence(clean(plain_text(paragraph.runs)))


# --- evidence, take-home, references --------------------------------------------------------


def _evidence(document: Document, section: str) -> list[OutlineSlide]:
    """The evidence table (notes: its caption, then each study as a sentence), then its chart.

    When the table shows the condition, the slides group the studies by it, as the chart does: the
    condition heads its studies once instead of filling a column of its own.
    """
    table, decided = document.evidence, document.decided
    sources = _keys(*(getattr(s, c.field) for s in table.studies for c in decided.evidence_columns))
    notes = (table.caption.rstrip(".") + ".", *(_study_sentence(s) for s in table.studies))
    rows = tuple(_keys(*(getattr(s, c.field) for c in decided.evidence_columns)) for s in table.studies)
    condition = next((c for c in decided.evidence_columns if c.field == "condition"), None)
    not_stated = f"{condition.label} {decided.evidence_not_stated}" if condition else ""
    groups = tuple(TableGroup(table.studies[rows[0]].condition or not_stated, rows)
                   for rows in decided.evidence_groups) if condition else ()
    columns = tuple(c for c in decided.evidence_columns if c is not condition)
    slides = [OutlineSlide("evidence", decided.evidence_heading, notes=notes, sources=sources, section=section,
                           item_sources=rows, table=table, columns=columns, not_stated=decided.evidence_not_stated,
                           groups=groups)]
    chart = decided.evidence_chart
    if chart is not None:  # its text alternative and plain words are the notes: what the picture shows
        notes = clean_notes(f"Figure {decided.evidence_chart_number}. {chart.caption}\n"
                            f"Alt text: {chart.alt_text}\nIn plain words: {chart.plain_summary}")
        slides.append(OutlineSlide("chart", chart.plain_heading, notes=(notes,), sources=sources, section=section,
                                   chart=chart))
    return slides


def _study_sentence(study: Study) -> str:
    parts = [plain_text(study.study), plain_text(study.design)]
    parts += [plain_text(v) for v in (study.participants, study.duration) if v]
    finding = plain_text(study.finding).strip()
    ending = "" if finding.endswith((".", "!", "?")) else "."
    return f"{plain_text(study.condition)}: {', '.join(parts)}. {finding}{ending}"


def _take_home(document: Document) -> list[Item]:
    if document.key_points:
        return [p.runs for p in document.key_points]
    firsts = [s.key_points[0] for s in document.sections if s.key_points]
    return [p.runs for p in firsts[:6]] or [s.title for s in document.sections[:6]]


def _references(document: Document, slides: list[OutlineSlide]) -> list[OutlineSlide]:
    """The works the talk's slides cite, in the article's order and with its labels; works listed only by
    `nocite` are left out (as in the handout: `Bibliography.cited`)."""
    refs = document.bibliography.cited({key for slide in slides for key in slide.sources})
    if not refs:
        return []
    return [OutlineSlide("references", "References", tuple(r.runs for r in refs), tuple(r.label for r in refs),
                         (reference_notes(1, len(refs), len(refs)),), tuple(r.key for r in refs))]


def reference_notes(first: int, last: int, total: int) -> str:
    """The notes of a references slide that shows references `first` to `last`."""
    return f"References {first}–{last} of {total}, in the article's citation style."


# --- items as slide text -------------------------------------------------------------------


def bullet(item: Item) -> Para:
    """An item as a bullet, no longer than the slides could show (`overlong` warns where it was cut)."""
    if isinstance(item, str):
        return Para(_capped((Span(clean(item).strip()),)), bullet=True)
    return Para(_capped(strip_spans(spans_without_cites(item))), bullet=True)


def reference_para(label: str, runs: Runs) -> Para:
    """A reference as a hanging paragraph, its label first (the indent is set when fitted)."""
    head = (Span(clean(label) + " "),) if label else ()
    return Para(_capped(head + strip_spans(spans(runs))), hanging=True)


def _capped(found: tuple[Span, ...]) -> tuple[Span, ...]:
    return cap_spans(found, SLIDE_TEXT_CHARS)


def clean_notes(text: str) -> str:
    return "\n".join(clean(line).strip() for line in text.split("\n"))


def _cited(document: Document) -> tuple[tuple[str, str], ...]:
    """Each cited key with its citation's text as the document's style wrote it (not formatted again here)."""
    labels = {r.key: r.label.strip().rstrip(".").strip("[]()") for r in document.bibliography.references}
    numeric = any(labels.values())
    found: dict[str, str] = {}
    entries = {r.key: clean(plain_text(r.runs)) for r in document.bibliography.references}
    for cite in _all_cites(document):
        for key, text in _cite_pieces(cite, entries):
            found.setdefault(key, f"[{labels[key]}]" if numeric and labels.get(key) else text)
    return tuple(found.items())


def _all_cites(document: Document) -> list[Cite]:
    runs = [p.runs for p in document.key_points]
    for section in document.sections:
        runs += [p.runs for p in section.key_points] + [p.runs for p in section.paragraphs]
    runs += [f.caption for f in document.figures]
    if document.evidence:
        runs += [getattr(s, c.field) for s in document.evidence.studies for c in document.decided.evidence_columns]
    return [cite for r in runs for cite in citations(r)]


def _cite_pieces(cite: Cite, entries: dict[str, str]) -> list[tuple[str, str]]:
    """(key, text) for each work of a citation: "(A, 2018; B, 2019)" gives "A, 2018" and "B, 2019".

    The style may have sorted the works, so each piece goes to the work whose reference entry starts
    with its first name and holds its year; a citation that cannot be split stays whole for each work.
    """
    text = clean(plain_text(cite.runs)).strip()
    if cite.mode == "parenthetical" and text[:1] in "([" and text[-1:] in ")]":
        text = text[1:-1].strip()
    pieces = [p.strip() for p in text.split(";")]
    keys = [item.key for item in cite.items]
    if len(pieces) != len(keys):
        return [(key, text) for key in keys if text]
    if len(keys) == 1:
        return [(keys[0], pieces[0])] if pieces[0] else []
    owners = [[k for k in keys if _is_cited_by(entries.get(k, ""), p)] for p in pieces]
    if sorted(o[0] for o in owners if len(o) == 1) != sorted(keys):
        return list(zip(keys, pieces))  # no sure match: in the order written
    return [(o[0], p) for o, p in zip(owners, pieces)]


def _is_cited_by(entry: str, piece: str) -> bool:
    year = _YEAR.search(piece)
    name = piece.split()[0].rstrip(",") if piece.split() else ""
    return bool(name) and entry.startswith(name) and (year is None or year.group() in entry)


def _keys(*runs: Runs | None) -> tuple[str, ...]:
    """The citation keys cited in `runs`, each once, in reading order."""
    keys = [item.key for r in runs for cite in citations(r) for item in cite.items]
    return tuple(dict.fromkeys(keys))


def overlong(document: Document) -> list[Diagnostic]:
    """A warning at each field the slides cut because it is longer than slides could show."""
    fields = [(s.title, s.location) for s in document.sections]
    fields += [(plain_text(p.runs), p.location) for p in document.key_points]
    for section in document.sections:
        fields += [(plain_text(p.runs), p.location) for p in section.key_points]
        if not section.key_points:
            fields += [(_first_sentence(p), p.location) for p in section.paragraphs]
    fields += [(r.label + " " + plain_text(r.runs), r.location) for r in document.bibliography.references]
    found = [(clean(text).strip(), where, SLIDE_TEXT_CHARS) for text, where in fields]
    found += [(clean(plain_text(f.caption)).strip(), f.location, CAPTION_CHARS) for f in document.figures]
    return [Diagnostic("warning", f"text of {len(text):,} characters is cut to its first {limit:,} on the "
                                  "slides (the article keeps all of it); shorten it for the talk", where)
            for text, where, limit in found if len(text) > limit]
