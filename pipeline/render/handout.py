"""handout.pdf: one or two pages for the talk's audience.

Title and presenter, the talk's take-home messages (the same items as its
take-home slide: `slides/outline.py`), the evidence chart with its
plain words (the evidence table when the chart is turned off), "What
this means" in the lay summary's plain words, compact references and where
to find the full article. Nothing is ever cut: if the content runs past two
pages the build warns and says what to shorten.
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.diagnostics import Diagnostic, Location, display_path
from pipeline.model import Document
from pipeline.render import Rendered, Settings, source_date
from pipeline.render.html import evidence_figure, stylesheet
from pipeline.render.pdf import typeset, write
from pipeline.render.slides.outline import outline
from pipeline.render.templating import render_template
from pipeline.themes import Theme

MAX_PAGES = 2
HANDOUT_CHART_PX = 840  # the chart drawn 800 px wide and scaled to the page: its text as small as the handout's


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    key_messages = outline(document).take_home  # the talk's take-home slide says the same
    html = render_template(
        theme, "handout.html",
        document=document,
        key_messages=key_messages,
        css=stylesheet(theme, ["article.css", "handout.css"], document, settings, for_print=True),
        evidence_figure=evidence_figure(document, theme, True, "handout-chart", HANDOUT_CHART_PX),
        date=source_date(document).strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=__version__,
    )
    laid_out = typeset(html, document, theme)
    warnings = () if len(laid_out.pages) <= MAX_PAGES else (_too_long(document, len(laid_out.pages),
                                                                       len(key_messages)),)
    return Rendered({"handout.pdf": write(laid_out, html)}, warnings)


def _too_long(document: Document, pages: int, messages: int) -> Diagnostic:
    parts = [f"{messages} key points",
             f"{len(document.evidence.studies) if document.evidence else 0} evidence rows",
             f"{len(document.lay_summary.key_messages) if document.lay_summary else 0} plain-language messages",
             f"{len(document.bibliography.references)} references"]
    where = document.key_points[0].location if document.key_points else Location(display_path(document.source_path))
    return Diagnostic("warning", f"the handout runs to {pages} pages (at most {MAX_PAGES}); nothing was cut: "
                                 f"shorten it ({', '.join(parts)})", where)
