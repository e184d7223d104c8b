"""Markdown (CommonMark with Pandoc's habits): YAML front matter, `#` headings, paragraphs, lists,
pipe tables, images. Inline text stays Markdown as written, Pandoc citations included.

The front matter gives title, subtitle, author(s), date, lang, keywords and the
`bibliography:` file (copied). A `Table: caption` line names the table above or below it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.importers.draft import Draft, Figure, Para

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_CAPTION = re.compile(r"^(?:Table)?:\s+(.+)$", re.S)
_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


def read_markdown(path: Path, text: str) -> Draft:
    draft = Draft(path)
    front = _FRONT.match(text)
    offset = 0
    if front:
        offset = text[:front.end()].count("\n")
        _front_matter(draft, front.group(1), path)
        text = "\n" * offset + text[front.end():]
    tokens = _PARSER.parse(text)
    _walk(draft, tokens, not draft.title)
    return draft


def _front_matter(draft: Draft, text: str, path: Path) -> None:
    try:
        meta = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        draft.warn(f"front matter is not valid YAML ({getattr(error, 'problem', error)}): left out",
                   (mark.line + 2) if mark else 1)
        return
    if not isinstance(meta, dict):
        return
    draft.title = str(meta.get("title") or "")
    draft.subtitle = str(meta.get("subtitle") or "")
    draft.authors = [_author(a) for a in _listed(meta.get("author") or meta.get("authors"))]
    if meta.get("date"):
        draft.date = str(meta["date"])[:10] if re.match(r"\d{4}-\d\d-\d\d", str(meta["date"])) else ""
    for name in ("lang", "keywords"):
        if meta.get(name):
            draft.meta[name] = meta[name] if name == "lang" else [str(k) for k in _listed(meta[name])]
    if meta.get("bibliography"):
        _bibliography(draft, str(_listed(meta["bibliography"])[0]), path)


def _listed(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def _author(value) -> dict:
    if isinstance(value, dict):
        author = {"name": str(value.get("name", ""))}
        for name in ("affiliation", "email"):
            if value.get(name):
                author[name] = str(value[name])
        return author
    return {"name": str(value)}


def _bibliography(draft: Draft, name: str, path: Path) -> None:
    file = (path.parent / name)
    try:
        draft.bibliography = (Path(name).name, file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        draft.warn(f"bibliography '{name}' cannot be read ({error}): write references.bib yourself", 1)


def _walk(draft: Draft, tokens: list[Token], title_from_heading: bool) -> None:
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = (token.map[0] + 1) if token.map else 1
        if token.type == "heading_open":
            text = tokens[index + 1].content
            if title_from_heading and token.tag == "h1" and not draft.title:
                draft.title, _, draft.subtitle = text.partition(": ")
            else:
                draft.heading(text, line)
        elif token.type == "paragraph_open":
            _paragraph(draft, tokens[index + 1], line, tokens[index - 1] if index else None)
        elif token.type == "table_open":
            index = _table(draft, tokens, index, line)
        elif token.type in ("fence", "code_block", "html_block"):
            draft.warn("code or raw HTML block: left out (a review holds prose, figures and citations)", line)
        index += 1


def _paragraph(draft: Draft, inline: Token, line: int, before: Token | None) -> None:
    children = inline.children or []
    images = [c for c in children if c.type == "image"]
    if len(images) == 1 and not "".join(c.content for c in children if c is not images[0]).strip():
        _figure(draft, images[0], line)
    elif _CAPTION.match(inline.content) and inline.content.startswith(("Table:", ": ")):
        return  # a table caption: read with its table
    else:
        text = inline.content
        if before is not None and before.type == "list_item_open" and before.info:
            text = f"{before.info}{before.markup} {text}"  # "3. Brown N, ..." keeps its number
        draft.add(Para(text, line))


def _figure(draft: Draft, image: Token, line: int) -> None:
    src = str(image.attrGet("src") or "")
    file = (draft.path.parent / src)
    if re.match(r"^[a-z]+:", src) or not file.is_file():
        draft.warn(f"image '{src}' not found next to the article: left out (copy it into the review folder)", line)
        return
    name = f"assets/{Path(src).name}"
    draft.files[name] = file.read_bytes()
    draft.add(Figure(name, image.content, str(image.attrGet("title") or ""), line))


def _table(draft: Draft, tokens: list[Token], index: int, line: int) -> int:
    rows: list[list[str]] = []
    while tokens[index].type != "table_close":
        if tokens[index].type == "tr_open":
            rows.append([])
        elif tokens[index].type == "inline":
            rows[-1].append(tokens[index].content)
        index += 1
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    draft.table(header, body, _table_caption(tokens, index), line)
    return index


def _table_caption(tokens: list[Token], close: int) -> str:
    """Pandoc's `Table: caption` (or `: caption`) paragraph right after the table (or right before it)."""
    for at in (close + 2, _table_start(tokens, close) - 2):
        if 0 <= at < len(tokens) and tokens[at].type == "inline":
            match = _CAPTION.match(tokens[at].content)
            if match and tokens[at].content.startswith(("Table:", ": ")):
                return match.group(1).strip()
    return ""


def _table_start(tokens: list[Token], close: int) -> int:
    while close > 0 and tokens[close].type != "table_open":
        close -= 1
    return close
