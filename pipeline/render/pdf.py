"""article.pdf: WeasyPrint typesets the article page with the theme's print CSS.

`html_to_pdf` is shared with the handout: the safe fetcher, the bundled fonts,
metadata from the page, a tagged PDF/UA file and a fixed identifier, so the
same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from pipeline.cache import known_libraries

with known_libraries():  # WeasyPrint looks up its C libraries as it is imported: from the cache
    from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from pipeline.diagnostics import Diagnostics, InputError
from pipeline.fetcher import SafeFetcher
from pipeline.model import Document
from pipeline.render import Settings
from pipeline.render.html import article_html
from pipeline.themes import Theme

logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refusals are reported as diagnostics


def render(document: Document, theme: Theme, settings: Settings) -> dict[str, bytes]:
    html = article_html(document, theme, settings, for_print=True)
    return {"article.pdf": html_to_pdf(html, document, theme, settings)}


def html_to_pdf(html: str, document: Document, theme: Theme, settings: Settings,
                stylesheets: list[str] | None = None) -> bytes:
    """Typeset `html` (CSS inlined, or named theme files in `stylesheets`) as a tagged PDF."""
    fetcher = _FolderFetcher(document.source_dir, theme.path)
    data = write(typeset(html, document, theme, stylesheets, fetcher), html)
    _raise_refusals(fetcher, document)  # an SVG's own images are fetched while the PDF is written
    return data


# WeasyPrint names an image in the PDF after a hash of its URL, so real paths would make the
# bytes depend on where the review and the package lie. It sees these fixed URLs instead, and
# the fetcher maps them to the folders.
REVIEW_BASE = "file:///review-pipeline/review/"
THEME_BASE = "file:///review-pipeline/theme/"


class _FolderFetcher(SafeFetcher):
    """The safe fetcher, reading the review's and the theme's files under fixed URLs."""

    def __init__(self, review_dir: Path, theme_dir: Path):
        super().__init__([review_dir, theme_dir])
        self.bases = {REVIEW_BASE: review_dir.resolve(), THEME_BASE: theme_dir.resolve()}

    def real_url(self, url: str) -> str:
        for base, folder in self.bases.items():
            if url.startswith(base):
                return folder.as_uri() + "/" + url[len(base):]
        return url

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        return super().fetch(self.real_url(url), headers)


def typeset(html: str, document: Document, theme: Theme, stylesheets: list[str] | None = None,
            fetcher: _FolderFetcher | None = None):
    """The laid-out pages (a WeasyPrint document); refused fetches raise InputError.

    Pass `fetcher` and check its refusals again after `write`: SVG images fetch theirs then.
    """
    fetcher = fetcher or _FolderFetcher(document.source_dir, theme.path)
    page = HTML(string=html, base_url=REVIEW_BASE, url_fetcher=fetcher)
    names = ["fonts.css"] * theme.file("fonts.css").is_file() + list(stylesheets or ())
    # WeasyPrint honours @font-face only through a FontConfiguration handed to every CSS and
    # to render(); without one it silently typesets in whatever fonts the host has.
    fonts = FontConfiguration()
    laid_out = page.render(stylesheets=[_theme_css(theme, name, fetcher, fonts) for name in names],
                           font_config=fonts, pdf_variant="pdf/ua-1")
    _raise_refusals(fetcher, document)
    return laid_out


def write(laid_out, html: str) -> bytes:
    """The PDF bytes of laid-out pages: tagged PDF/UA, identifier fixed by the content."""
    return laid_out.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=_identifier(html))


def _theme_css(theme: Theme, name: str, fetcher: SafeFetcher, fonts: FontConfiguration) -> CSS:
    return CSS(string=theme.text(name), base_url=THEME_BASE, url_fetcher=fetcher, font_config=fonts)


def _identifier(html: str) -> bytes:
    """A PDF file identifier that depends on the content only (WeasyPrint's default is random)."""
    return hashlib.md5(html.encode("utf-8")).hexdigest().encode("ascii")


def _raise_refusals(fetcher: SafeFetcher, document: Document) -> None:
    if not fetcher.refusals:
        return
    diagnostics = Diagnostics()
    by_image = {(document.source_dir / f.image).resolve().as_uri(): f for f in document.figures}
    for refusal in fetcher.refusals:
        figure = by_image.get(refusal.url)
        where = figure.location if figure else document.figures[0].location if document.figures else \
            _document_location(document)
        diagnostics.error(f"refused to read '{refusal.url}': {refusal.reason}", where)
    raise InputError(diagnostics.items)


def _document_location(document: Document):
    from pipeline.diagnostics import Location, display_path

    return Location(display_path(document.source_path))
