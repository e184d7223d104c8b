"""The Jinja2 environment every HTML output shares, and inline runs as HTML.

Autoescaping is on and undefined names fail loudly. A theme may override any
template by putting a file of the same name in its `templates/` folder.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup, escape

from pipeline import cache
from pipeline.model import Runs, plain_text
from pipeline.themes import Theme
from pipeline.visitor import InlineVisitor, superscript_digits


_COMPOUND = re.compile(r"\w+(?:-\w+)+")  # a compound such as "well-designed"


class HtmlWriter(InlineVisitor[Markup]):
    """Runs as HTML: text escaped, citations as links to `#ref-<key>` (Pandoc's convention)."""

    def combine(self, parts: list[Markup]) -> Markup:
        return Markup("").join(parts)

    def visit_text(self, node) -> Markup:
        # a word that already has a hyphen is never hyphenated again ("well-de-signed"):
        # base.css sets `.compound { hyphens: manual }`
        return Markup(_COMPOUND.sub(r'<span class="compound">\g<0></span>', str(escape(node.text))))

    def visit_emph(self, node) -> Markup:
        return Markup("<em>%s</em>") % self.visit_children(node)

    def visit_strong(self, node) -> Markup:
        return Markup("<strong>%s</strong>") % self.visit_children(node)

    def visit_link(self, node) -> Markup:
        return Markup('<a href="%s">%s</a>') % (node.url, self.visit_children(node))

    def visit_reflink(self, node) -> Markup:
        return Markup('<a class="cite" href="#ref-%s">%s</a>') % (node.key, self.visit_children(node))

    def visit_sup(self, node) -> Markup:
        return Markup("<sup>%s</sup>") % self.visit_children(node)

    def visit_cite(self, node) -> Markup:
        keys = " ".join(item.key for item in node.items)
        return Markup('<span class="citation" data-cites="%s">%s</span>') % (keys, self.visit(node.runs))


def runs_to_html(runs: Runs | None) -> Markup:
    """Runs as HTML (see `HtmlWriter`)."""
    return HtmlWriter().visit(runs)


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


class MarkdownWriter(InlineVisitor[str]):
    """Runs as Markdown: text with Markdown's special characters escaped, so it stays text."""

    def visit_text(self, node) -> str:
        return escape_markdown(node.text)

    def visit_emph(self, node) -> str:
        return f"*{self.visit_children(node)}*"

    def visit_strong(self, node) -> str:
        return f"**{self.visit_children(node)}**"

    def visit_link(self, node) -> str:
        url = _URL_UNSAFE.sub(lambda m: quote(m.group(0)), node.url)
        return f"[{self.visit_children(node)}](<{url}>)"

    def visit_reflink(self, node) -> str:
        return self.visit_children(node)  # its text: no reference list to point at in Markdown

    def visit_sup(self, node) -> str:
        # Unicode superscript digits, not <sup> (summary.md holds no HTML: see escape_markdown) nor Pandoc's
        # ^1^ (CommonMark and GitHub print the carets): "dependence¹" reads right in every Markdown viewer
        return superscript_digits(self.visit_children(node))

    def visit_cite(self, node) -> str:
        return self.visit(node.runs)


def runs_to_markdown(runs: Runs | None) -> str:
    """Runs as Markdown (see `MarkdownWriter`)."""
    return MarkdownWriter().visit(runs)


OPTIONS = dict(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept between runs in the cache folder (`pipeline.cache`): compiling the
    article's templates takes about 0.1 s in every process that renders. Jinja keys each file by
    the template's file name and checks its source's hash, so an edited template is compiled
    again; the folder's name holds Jinja's version and the environment's options, which the
    compiled code depends on. Nothing is written when `cache.SAVE` is off (`check`), and a
    folder that cannot be written only costs speed."""

    def __init__(self) -> None:
        super().__init__(self.directory)

    @property
    def directory(self) -> str:  # looked up on each use: the cache folder is the environment's now
        key = hashlib.sha256(f"{jinja2.__version__}\0{sorted(OPTIONS.items())}".encode()).hexdigest()[:16]
        return str(cache.folder() / f"templates-{key}")

    @directory.setter
    def directory(self, value: str) -> None:
        pass

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or foreign: compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not cache.SAVE:
            return
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)  # a temporary file, then a rename
        except OSError:
            pass


@lru_cache(maxsize=8)
def _environment(theme_templates: Path | None) -> Environment:
    loaders = [FileSystemLoader(str(theme_templates))] if theme_templates else []
    environment = Environment(
        loader=ChoiceLoader(loaders + [PackageLoader("pipeline", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        bytecode_cache=_CompiledTemplates(),
        **OPTIONS,
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
    """The template `name` rendered (the theme is in its context, for its settings); any text UTF-8
    cannot hold (a lone surrogate) becomes '?'."""
    text = environment(theme).get_template(name).render(theme=theme, **context)
    return text.encode("utf-8", "replace").decode("utf-8")
