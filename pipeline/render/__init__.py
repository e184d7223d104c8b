"""The renderers: each turns (Document, Theme, Settings) into the bytes of its files.

Renderers are pure: they never touch `out/`. `OUTPUTS` maps the names users
give to `--only` to the files each writes and the module that renders them.
Each module `pipeline/render/<name>.py` has `render(document, theme, settings)
-> dict[file name, bytes]`; it is imported only when used, so `check` never
pays for WeasyPrint or python-pptx.
"""

from __future__ import annotations

import datetime
import importlib
import os
from dataclasses import dataclass
from typing import Callable

from pipeline.diagnostics import Diagnostic
from pipeline.model import Document
from pipeline.themes import Theme


@dataclass(frozen=True)
class Settings:
    """What the command line may change about rendering."""

    paper: str | None = None  # "a4" or "letter"; None: the review's, else the theme's

    def paper_for(self, document: Document, theme: Theme | None = None) -> str:
        """--paper wins, then the review's `paper:`, then the theme's, then A4."""
        return self.paper or document.paper or (theme.paper if theme else None) or "a4"


def source_date(document: Document) -> datetime.datetime:
    """The date stamped into outputs: the review's `date`, else SOURCE_DATE_EPOCH, else a fixed one.

    Never the clock, so the same input gives the same bytes.
    """
    if document.date:
        return datetime.datetime.combine(document.date, datetime.time(12, 0), datetime.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Rendered:
    """What a renderer made: its files, and warnings about them (say, a handout too long)."""

    files: dict[str, bytes]
    warnings: tuple[Diagnostic, ...] = ()


Render = Callable[[Document, Theme, Settings], Rendered]


@dataclass(frozen=True)
class Output:
    """One output users can ask for with --only, and the files it writes."""

    name: str
    files: tuple[str, ...]
    render: Render


def _lazy(module: str) -> Render:
    def render(document: Document, theme: Theme, settings: Settings) -> Rendered:
        made = importlib.import_module(f"pipeline.render.{module}").render(document, theme, settings)
        return made if isinstance(made, Rendered) else Rendered(made)
    return render


OUTPUTS: dict[str, Output] = {
    "pdf": Output("pdf", ("article.pdf",), _lazy("pdf")),
    "html": Output("html", ("article.html",), _lazy("html")),
    "slides": Output("slides", ("slides.pptx",), _lazy("slides")),
    "summary": Output("summary", ("summary.md", "summary.html"), _lazy("summary")),
    "handout": Output("handout", ("handout.pdf",), _lazy("handout")),
}
