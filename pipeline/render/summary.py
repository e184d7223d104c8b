"""summary.md and summary.html: the plain-language summary for patients and the public.

Laid out like a Cochrane plain-language summary: a plain title, key
messages, the review's own lay sections with "How much evidence is there?"
(the evidence chart in plain words, and in the HTML the chart itself) after
"What did the review look at?", "Words to know" (only the glossary terms the
summary itself uses) and a line that it is not medical advice; the date it
is up to date as of, and a link to the full review when `url:` gives one.
A lay paragraph that opens in bold with "Important:" is a safety warning: an
alert box (role="alert") in the HTML, a block quote in the Markdown. The HTML
is one accessible page in the theme's large-type summary CSS.
"""

from __future__ import annotations

from markupsafe import Markup

from pipeline.diagnostics import Diagnostic, Location, display_path
from pipeline.model import Document, LaySummary, Paragraph, Strong, Term, plain_text
from pipeline.readability import term_pattern  # the lay checks' term matching: plurals, word bounds
from pipeline.render import Rendered, Settings
from pipeline.render.html import evidence_figure, package_css
from pipeline.render.templating import render_template
from pipeline.themes import Theme


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    if not document.lay_summary:
        where = Location(display_path(document.source_path))
        return Rendered({}, (Diagnostic("warning", "no lay_summary in the review: summary.md and summary.html "
                                                   "are not made", where),))
    chart = document.decided.evidence_chart
    context = {"document": document, "summary": document.lay_summary, "chart": chart,
               "chart_after": chart_place(document.lay_summary) if chart else 0,
               "words": words_used(document), "is_warning": is_warning}
    markdown = render_template(theme, "summary.md", **context)
    css = Markup("\n".join((theme.text("summary.css"), package_css(theme, "chart.css"))))
    svg = evidence_figure(document, theme, id_prefix="summary-chart", width_px=SUMMARY_CHART_PX)
    html = render_template(theme, "summary.html", css=css, chart_svg=svg, **context)
    return Rendered({"summary.md": _tidy(markdown).encode("utf-8"), "summary.html": html.encode("utf-8")})


SUMMARY_CHART_PX = 540  # drawn narrow and scaled up to the column: its text nearer the summary's large type
CHART_AFTER = "what did the review look at?"  # the lay section the chart's plain words follow


def chart_place(summary: LaySummary) -> int:
    """After which lay section (1-based) "How much evidence is there?" goes: CHART_AFTER, else the last."""
    headings = [" ".join(s.heading.split()).casefold() for s in summary.sections]
    return headings.index(CHART_AFTER) + 1 if CHART_AFTER in headings else len(headings)


def is_warning(paragraph: Paragraph) -> bool:
    """A safety warning: the paragraph opens with bold text that starts "Important:"."""
    first = next((run for run in paragraph.runs if plain_text((run,)).strip()), None)
    return isinstance(first, Strong) and plain_text((first,)).lstrip().casefold().startswith(WARNING_OPENING)


WARNING_OPENING = "important:"


def words_used(document: Document) -> tuple[Term, ...]:
    """The glossary terms the summary's own text uses (the term or one of its aliases), in glossary order."""
    text = "\n".join(_summary_texts(document))
    return tuple(term for term in document.glossary
                 if any(term_pattern(word).search(text) for word in (term.term, *term.aliases)))


def _summary_texts(document: Document) -> list[str]:
    summary, chart = document.lay_summary, document.decided.evidence_chart
    texts = [summary.title] + [plain_text(p.runs) for p in summary.key_messages]
    for section in summary.sections:
        texts += [section.heading] + [plain_text(p.runs) for p in section.paragraphs]
    return texts + ([chart.plain_heading, chart.plain_summary] if chart else [])


def _tidy(markdown: str) -> str:
    """One blank line between blocks, one newline at the end."""
    lines = markdown.strip().splitlines()
    tidy: list[str] = []
    for line in lines:
        if line.strip() or (tidy and tidy[-1].strip()):
            tidy.append(line.rstrip())
    return "\n".join(tidy) + "\n"
