"""summary.md and summary.html: the plain-language summary for patients and the public.

Laid out like a Cochrane plain-language summary: a plain title, key
messages, the review's own lay sections, "Words to know" and a line that it
is not medical advice. The HTML is one accessible page in the theme's
large-type summary CSS.
"""

from __future__ import annotations

from markupsafe import Markup

from pipeline.diagnostics import Diagnostic, Location, display_path
from pipeline.model import Document
from pipeline.render import Rendered, Settings
from pipeline.render.templating import render_template
from pipeline.themes import Theme


def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
    if not document.lay_summary:
        where = Location(display_path(document.source_path))
        return Rendered({}, (Diagnostic("warning", "no lay_summary in the review: summary.md and summary.html "
                                                   "are not made", where),))
    context = {"document": document, "summary": document.lay_summary}
    markdown = render_template(theme, "summary.md", **context)
    html = render_template(theme, "summary.html", css=Markup(theme.text("summary.css")), **context)
    return Rendered({"summary.md": _tidy(markdown).encode("utf-8"), "summary.html": html.encode("utf-8")})


def _tidy(markdown: str) -> str:
    """One blank line between blocks, one newline at the end."""
    lines = markdown.strip().splitlines()
    tidy: list[str] = []
    for line in lines:
        if line.strip() or (tidy and tidy[-1].strip()):
            tidy.append(line.rstrip())
    return "\n".join(tidy) + "\n"
