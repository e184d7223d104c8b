"""The Jinja2 environment every HTML output shares, and inline runs as HTML.

Autoescaping is on and undefined names fail loudly. A theme may override any
template by putting a file of the same name in its `templates/` folder.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from pipeline.model import Cite, Emph, Link, RefLink, Runs, Strong, Text, plain_text
from pipeline.themes import Theme


def runs_to_html(runs: Runs | None) -> Markup:
    """Runs as HTML: text escaped, citations as links to `#ref-<key>` (Pandoc's convention)."""
    return Markup("").join(_run_html(run) for run in runs or ())


def _run_html(run) -> Markup:
    if isinstance(run, Text):
        return escape(run.text)
    if isinstance(run, Emph):
        return Markup("<em>%s</em>") % runs_to_html(run.children)
    if isinstance(run, Strong):
        return Markup("<strong>%s</strong>") % runs_to_html(run.children)
    if isinstance(run, Link):
        return Markup('<a href="%s">%s</a>') % (run.url, runs_to_html(run.children))
    if isinstance(run, RefLink):
        return Markup('<a class="cite" href="#ref-%s">%s</a>') % (run.key, runs_to_html(run.children))
    if isinstance(run, Cite):
        keys = " ".join(item.key for item in run.items)
        return Markup('<span class="citation" data-cites="%s">%s</span>') % (keys, runs_to_html(run.runs))
    raise TypeError(f"unknown inline run {run!r}")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|&~])")
# what makes a block of a line's start: a heading, quote, list item, rule or setext underline
_LINE_START = re.compile(r"^([ \t]*|[ \t]*\d+)([-+=>]|(?<=\d)[.)])", re.M)
_URL_UNSAFE = re.compile(r"[<>\s\\]")


def escape_markdown(text: str) -> str:
    """`text` as Markdown that reads as itself: no HTML, no emphasis, no block started by its lines."""
    return _LINE_START.sub(r"\1\\\2", _MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_line(text: str | None) -> str:
    """A plain field (a title, a name, a term) as escaped Markdown on one line."""
    return escape_markdown(" ".join((text or "").split()))


def runs_to_markdown(runs: Runs | None) -> str:
    """Runs as Markdown: text with Markdown's special characters escaped, so it stays text."""
    return "".join(_run_markdown(run) for run in runs or ())


def _run_markdown(run) -> str:
    if isinstance(run, Text):
        return escape_markdown(run.text)
    if isinstance(run, Emph):
        return f"*{runs_to_markdown(run.children)}*"
    if isinstance(run, Strong):
        return f"**{runs_to_markdown(run.children)}**"
    if isinstance(run, Link):
        url = _URL_UNSAFE.sub(lambda m: quote(m.group(0)), run.url)
        return f"[{runs_to_markdown(run.children)}](<{url}>)"
    if isinstance(run, Cite):
        return runs_to_markdown(run.runs)
    return runs_to_markdown(run.children)  # RefLink: its text


@lru_cache(maxsize=8)
def _environment(theme_templates: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(theme_templates))] if theme_templates else []
    environment = Environment(
        loader=ChoiceLoader(loaders + [PackageLoader("pipeline", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["html"] = runs_to_html
    environment.filters["plain"] = plain_text
    environment.filters["markdown"] = runs_to_markdown
    environment.filters["md"] = markdown_line
    return environment


def environment(theme: Theme) -> Environment:
    """The environment for `theme`: its own templates first, then the package's."""
    own = theme.path / "templates"
    return _environment(own if own.is_dir() else None)


def render_template(theme: Theme, name: str, **context) -> str:
    """The template `name` rendered; any text UTF-8 cannot hold (a lone surrogate) becomes '?'."""
    text = environment(theme).get_template(name).render(**context)
    return text.encode("utf-8", "replace").decode("utf-8")
