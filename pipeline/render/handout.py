"""handout.pdf: one or two pages for the talk's audience.

Title, presenter, venue and date; the talk's take-home messages (the same
items as its take-home slide: `slides/outline.py`); the evidence chart with
its plain words (the evidence table when the chart is turned off); the
references the handout itself cites, with a pointer to the article's full
list; where the full article lives (its `url:` as a link and a QR code) and
whom to contact. The lay summary's key messages are not repeated here: they
say the take-home messages again in patients' words, and summary.html is
where patients read them. Nothing is ever cut: if the content runs past two
pages the build warns and says what to shorten.
"""

from __future__ import annotations

import io

import segno
from markupsafe import Markup

from pipeline import __version__
from pipeline.diagnostics import Diagnostic, Location, display_path
from pipeline.model import Document, Reference, Runs, citations, plain_text
from pipeline.render import Rendered, Settings, source_date
from pipeline.render.html import evidence_figure, stylesheet
from pipeline.render.pdf import typeset, write
from pipeline.render.slides.outline import Item, outline
from pipeline.render.templating import render_template
from pipeline.themes import Theme

MAX_PAGES = 2
HANDOUT_CHART_PX = 840  # the chart drawn 800 px wide and scaled to the page: its text as small as the handout's
CHART_FIELDS = ("condition", "study", "design", "participants")  # the cells the evidence chart labels show


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    key_messages = outline(document).take_home  # the talk's take-home slide says the same
    cited = cited_references(document, key_messages)
    context = dict(
        document=document,
        key_messages=key_messages,
        qr_code=qr_svg(document.url) if document.url else None,
        contacts=tuple(p for p in document.decided.people if p.email),
        css=stylesheet(theme, ["article.css", "handout.css"], document, settings, for_print=True),
        evidence_figure=evidence_figure(document, theme, True, "handout-chart", HANDOUT_CHART_PX),
        date=source_date(document).strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=__version__,
    )
    columns = reference_columns(cited)
    if columns is not None:
        html = render_template(theme, "handout.html", references=columns, balanced=False, **context)
        laid_out = typeset(html, document, theme)
        if _on_pages(laid_out, "ref-") > 1:  # each column went on over the page: the list cannot be split so
            columns = None
    if columns is None:  # the page's own balanced columns, which read left then right on every page
        html = render_template(theme, "handout.html", references=(cited, ()), balanced=True, **context)
        laid_out = typeset(html, document, theme)
    warnings = () if len(laid_out.pages) <= MAX_PAGES else (_too_long(document, len(laid_out.pages),
                                                                       len(key_messages)),)
    return Rendered({"handout.pdf": write(laid_out, html)}, warnings)


def _on_pages(laid_out, prefix: str) -> int:
    """On how many pages an element whose id starts with `prefix` stands."""
    return sum(any(name.startswith(prefix) for name in page.anchors) for page in laid_out.pages)


def reference_columns(references: tuple[Reference, ...]) \
        -> tuple[tuple[Reference, ...], tuple[Reference, ...]] | None:
    """The references in two columns of about the same length, the longer one first; None for a list
    too long to fit on one page.

    Decided here from each entry's length, not by WeasyPrint's column balancing, which sets the list
    a dozen times over (1.1 s of the handout's 1.5 s); an entry is never split between columns. A list
    that runs over a page is balanced by WeasyPrint after all (`render`): there each page's columns
    must read left, then right (and two fixed columns over many pages take WeasyPrint minutes).
    """
    lengths = [len(plain_text(r.runs)) + ENTRY_CHARS for r in references]
    if sum(lengths) > SPLIT_MOST:
        return None
    split = min(range(len(references) + 1),
                key=lambda k: (max(sum(lengths[:k]), sum(lengths[k:])), -k))
    return references[:split], references[split:]


ENTRY_CHARS = 40  # what an entry costs beyond its characters: its last line's unused part and its gap
SPLIT_MOST = 6000  # characters: two columns of a page hold about 8,000 at the handout's 8.4 pt


def _too_long(document: Document, pages: int, messages: int) -> Diagnostic:
    parts = [f"{messages} key points",
             f"{len(document.evidence.studies) if document.evidence else 0} evidence rows",
             f"{len(cited_references(document, outline(document).take_home))} references"]
    where = document.key_points[0].location if document.key_points else Location(display_path(document.source_path))
    return Diagnostic("warning", f"the handout runs to {pages} pages (at most {MAX_PAGES}); nothing was cut: "
                                 f"shorten it ({', '.join(parts)})", where)


def cited_references(document: Document, key_messages: tuple[Item, ...]) -> tuple[Reference, ...]:
    """The references of the works the handout's own text cites, in the article's order and numbering."""
    runs = [item for item in key_messages if not isinstance(item, str)] + _evidence_runs(document)
    keys = {item.key for piece in runs for cite in citations(piece) for item in cite.items}
    return document.bibliography.cited(keys)


def _evidence_runs(document: Document) -> list[Runs]:
    """The evidence cells the handout shows: the chart's labels, or the table's columns when the chart is off."""
    if not document.evidence:
        return []
    shown = CHART_FIELDS if document.decided.evidence_chart else tuple(c.field for c in
                                                                          document.decided.evidence_columns)
    return [getattr(study, name) for study in document.evidence.studies for name in shown]


def qr_svg(url: str) -> Markup:
    """The URL as a QR code in SVG, sized by the CSS.

    Trusted markup: segno writes the whole SVG and encodes the author's URL as modules, never as text.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, svgns=True, border=0,
                                                   omitsize=True, svgclass="qr-code", lineclass=None)
    return Markup(buffer.getvalue().decode("ascii"))
