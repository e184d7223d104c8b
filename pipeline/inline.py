"""Inline Markdown → runs (text, emphasis, strong, link, citation), parsed once.

markdown-it-py does the Markdown; a small inline rule adds Pandoc's citation
syntax: `[@key]`, `[@a; @b]`, `[see @key, p. 4]`, `[-@key]` and narrative
`@key`. Raw HTML is off, so `<script>` stays text. Images are reported to the
caller, which decides whether they may stand there (a figure) or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from pipeline.diagnostics import Location
from pipeline.model import Cite, CiteItem, Emph, Link, Runs, Strong, Text

# Pandoc: a key starts with a letter, digit or _, and may hold internal punctuation.
_KEY = r"[\w][\w:.#$%&+?<>~/-]*?"
_KEY_END = r"(?=[^\w:.#$%&+?<>~/-]|[:.#$%&+?<>~/-](?:[^\w]|$)|$)"
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<minus>-?)@(?:\{{(?P<braced>[^}}]+)\}}|(?P<key>{_KEY}){_KEY_END})(?P<suffix>.*)$", re.S)
_NARRATIVE = re.compile(rf"@(?:\{{(?P<braced>[^}}]+)\}}|(?P<key>{_KEY}){_KEY_END})")
_LOCATOR_AFTER_NARRATIVE = re.compile(r" \[(?P<locator>[^\[\]@]+)\]")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")

Locate = Callable[[int, str], Location]
"""Maps (offset in the text, the text found there) to a source location."""


@dataclass
class ParseResult:
    """The runs of one text, and what the caller may need to report."""

    runs: Runs
    images: list[tuple[str, str, str]] = field(default_factory=list)  # (src, alt, title)
    unsafe_links: list[str] = field(default_factory=list)
    markup: list[str] = field(default_factory=list)  # Markdown constructs found, for lay text


def _split_items(body: str) -> list[CiteItem] | None:
    items = []
    for part in body.split(";"):
        match = _ITEM.match(part.strip())
        if not match:
            return None
        suffix = match["suffix"].strip()
        items.append(CiteItem(
            key=match["braced"] or match["key"],
            prefix=match["prefix"].strip(),
            locator=suffix[1:].strip() if suffix.startswith(",") else suffix,
            suppress_author=bool(match["minus"]),
        ))
    return items


def _bracketed_cite(state: StateInline, silent: bool) -> bool:
    """`[@key; see @other, p. 4]`: a parenthetical citation."""
    if state.src[state.pos] != "[":
        return False
    end = state.src.find("]", state.pos)
    body = state.src[state.pos + 1:end] if end > 0 else ""
    if "@" not in body or "[" in body or state.src[end + 1:end + 2] == "(":
        return False
    items = _split_items(body)
    if not items:
        return False
    if not silent:
        token = state.push("cite", "", 0)
        token.meta = {"items": items, "mode": "parenthetical", "offset": state.pos}
    state.pos = end + 1
    return True


def _narrative_cite(state: StateInline, silent: bool) -> bool:
    """`@key` in running text (not an e-mail address), optionally `@key [p. 4]`."""
    pos = state.pos
    if state.src[pos] != "@" or (pos > 0 and (state.src[pos - 1].isalnum() or state.src[pos - 1] in "_.+-")):
        return False
    match = _NARRATIVE.match(state.src, pos)
    if not match:
        return False
    end, locator = match.end(), ""
    after = _LOCATOR_AFTER_NARRATIVE.match(state.src, end)
    if after:
        end, locator = after.end(), after["locator"].strip()
    if not silent:
        item = CiteItem(key=match["braced"] or match["key"], locator=locator)
        token = state.push("cite", "", 0)
        token.meta = {"items": [item], "mode": "narrative", "offset": pos}
    state.pos = end
    return True


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.inline.ruler.before("link", "pandoc_cite", _bracketed_cite)
    md.inline.ruler.before("emphasis", "pandoc_narrative_cite", _narrative_cite)
    return md


_PARSER = _make_parser()


def parse_inline(text: str, locate: Locate) -> ParseResult:
    """Parse one paragraph's inline Markdown into runs."""
    tokens = _PARSER.parseInline(text.strip())
    result = ParseResult(runs=())
    children = tokens[0].children or [] if tokens else []
    result.runs = _to_runs(iter(children), None, result, locate, text.strip())
    return result


def _to_runs(tokens, closing: str | None, result: ParseResult, locate: Locate, src: str) -> Runs:
    runs: list = []
    for token in tokens:
        if token.type == closing:
            break
        runs.append(_to_run(token, tokens, result, locate, src))
    return _merge_text(runs)


def _to_run(token: Token, tokens, result: ParseResult, locate: Locate, src: str):
    kind = token.type
    if kind == "text" or kind == "code_inline":
        if kind == "code_inline":
            result.markup.append("`code`")
        return Text(token.content)
    if kind in ("softbreak", "hardbreak"):
        return Text(" ")
    if kind == "em_open":
        result.markup.append("*emphasis*")
        return Emph(_to_runs(tokens, "em_close", result, locate, src))
    if kind == "strong_open":
        result.markup.append("**strong**")
        return Strong(_to_runs(tokens, "strong_close", result, locate, src))
    if kind == "link_open":
        return _link(token, _to_runs(tokens, "link_close", result, locate, src), result)
    if kind == "image":
        result.markup.append("![image]")
        result.images.append((token.attrGet("src") or "", token.content, token.attrGet("title") or ""))
        return Text(token.content)
    if kind == "cite":
        items = tuple(token.meta["items"])
        offset = token.meta["offset"]
        return Cite(items=items, mode=token.meta["mode"], location=locate(offset, "@" + items[0].key))
    return Text(token.content)


def _link(token: Token, children: Runs, result: ParseResult):
    url = str(token.attrGet("href") or "")
    result.markup.append("[link](url)")
    if url.lower().startswith(SAFE_SCHEMES):
        return Link(url, children)
    result.unsafe_links.append(url)
    return _Unwrapped(children or (Text(url),))


class _Unwrapped(tuple):
    """Marker: a refused link's text, spliced into the surrounding runs."""


def _merge_text(runs: list) -> Runs:
    flat: list = []
    for run in runs:
        flat.extend(run if isinstance(run, _Unwrapped) else (run,))
    merged: list = []
    for run in flat:
        if isinstance(run, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + run.text)
        else:
            merged.append(run)
    return tuple(merged)
