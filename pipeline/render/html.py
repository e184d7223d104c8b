"""article.html: the whole article as one self-contained, responsive HTML5 page.

The same template serves the PDF (`pdf.py`), which passes `for_print=True`:
images are then fetched from the review folder by the safe fetcher instead
of being inlined, and the bundled fonts are added.
"""

from __future__ import annotations

import base64
import mimetypes
from urllib.parse import quote

from markupsafe import Markup

from pipeline import __version__
from pipeline.model import Document, Figure
from pipeline.render import Settings, source_date
from pipeline.render.chart_svg import themed_chart_svg
from pipeline.render.templating import environment, render_template
from pipeline.themes import Theme

PAPER_SIZES = {"a4": "A4", "letter": "letter"}


def render(document: Document, theme: Theme, settings: Settings) -> dict[str, bytes]:
    return {"article.html": article_html(document, theme, settings).encode("utf-8")}


def article_html(document: Document, theme: Theme, settings: Settings, for_print: bool = False) -> str:
    """The article page; with `for_print`, ready for WeasyPrint."""
    return render_template(
        theme, "article.html",
        document=document,
        css=stylesheet(theme, ["article.css"], document, settings, for_print),
        images={f.number: _image_src(document, f, for_print) for f in document.figures},
        evidence_figure=evidence_figure(document, theme, for_print),
        date=source_date(document).strftime("%Y-%m-%dT%H:%M:%SZ"),
        version=__version__,
    )


def evidence_figure(document: Document, theme: Theme, for_print: bool = False,
                    id_prefix: str = "evidence-chart", width_px: float = 600) -> Markup | None:
    """The evidence chart's SVG in the theme's colours and font; None when the review has none.

    Printed on white paper whatever tint the screen page has (the marker rings and label masks are filled).
    The SVG scales to its column (chart.css), so a larger `width_px` sets its text smaller.
    """
    chart = document.decided.evidence_chart
    if chart is None:
        return None
    return themed_chart_svg(chart, theme, id_prefix, width_px, background="FFFFFF" if for_print else None)


def stylesheet(theme: Theme, names: list[str], document: Document, settings: Settings, for_print: bool) -> Markup:
    """The CSS of a page: the package's base and chart rules, the theme's files, and for print the paper size.

    The theme's fonts.css is not inlined: its URLs are relative to the theme folder, so
    `pdf.html_to_pdf` loads it from there.
    """
    parts = [package_css(theme, "base.css"), package_css(theme, "chart.css")]
    parts += [theme.text(name) for name in names]
    if for_print:
        size = PAPER_SIZES[settings.paper_for(document, theme)]
        parts.append(render_template(theme, "paper.css", size=size))
    return Markup("\n".join(p for p in parts if p))


def package_css(theme: Theme, name: str) -> str:
    """A stylesheet from the templates (a theme may override it by name)."""
    return environment(theme).loader.get_source(environment(theme), name)[0]


def _image_src(document: Document, figure: Figure, for_print: bool) -> str:
    """The figure's URL: relative and quoted for print (a '#' or '%' in its name stays a name), else inlined."""
    if for_print:
        return quote(figure.image.as_posix())
    path = document.source_dir / figure.image
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"
