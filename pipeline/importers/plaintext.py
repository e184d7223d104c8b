"""Plain text like the seed: a title line, author lines, short headings, paragraphs, a reference list.

A heading is a short line that starts a block (after a blank line) and does
not end like a sentence; lines of one block are one paragraph (hard-wrapped
text joins up). A byline ("Dr Robert Becker, MCMA, Neuropsychologist.") just
before the references or just after the title gives the author.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.importers.draft import Draft, Para, escape_markdown

_HONORIFIC = r"(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?"
_BYLINE = re.compile(rf"^(?:(?P<honorific>{_HONORIFIC})\s+)?(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w.'’-]*){{1,3}})"
                     r"(?P<rest>(?:,\s*[A-Z][^,]{0,60})*)\.?$")
_CREDENTIAL = re.compile(r"^(?:[A-Z][A-Za-z]*[A-Z][A-Za-z]*|Ph\.?D|M\.?D|B\.?Sc|M\.?Sc)\.?$")
_FURNITURE = re.compile(r"^(?:page\s+)?\d+(?:\s+of\s+\d+)?$|^downloaded from\b|^comments?:?$|^copyright\b|^©",
                        re.I)
_REFERENCE_START = re.compile(r"^\s*(?:\[?\d{1,4}[.)\]]\s|[^\W\d_][\w'’ -]*,\s*(?:[A-Z]\.|[A-Z]{1,3}\b)|"
                              r"[^\W\d_][\w'’-]*\s+[A-Z]{1,3}[,.])")


def read_plaintext(path: Path, text: str) -> Draft:
    draft = Draft(path)
    blocks = _blocks(text.splitlines())
    if not blocks:
        return draft
    (line, first), blocks = blocks[0], blocks[1:]
    draft.title, _, draft.subtitle = (" ".join(first)).partition(": ")
    while blocks and len(blocks[0][1]) == 1 and _byline(blocks[0][1][0]) and not _heading(blocks[0][1][0]):
        draft.authors.append(_author(blocks[0][1][0], blocks[0][0], draft))
        blocks = blocks[1:]
    for number, lines in blocks:
        _block(draft, number, lines)
    _trailing_residue(draft)
    return draft


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the number of its first line; a heading line ends its run."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            current = []
            continue
        if not current:
            blocks.append((number, current))
        current.append(line)
        if len(current) == 1 and _heading(line):
            current = []
    return blocks


def _heading(line: str) -> bool:
    words = line.split()
    return (len(words) <= 12 and len(line) <= 90 and line[0].isupper() and not re.search(r"[.,;!?)\]]$", line)
            and not _FURNITURE.match(line))


def _block(draft: Draft, line: int, lines: list[str]) -> None:
    if len(lines) == 1 and _heading(lines[0]):
        draft.heading(lines[0], line)
    elif draft.in_references:
        for number, reference in _references(line, lines):
            draft.add(Para(reference, number))
    elif len(lines) == 1 and _FURNITURE.match(lines[0]):
        draft.warn(f"'{lines[0]}' is not article text (page furniture?): left out", line)
    elif len(lines) == 1 and _byline(lines[0]) and not draft.authors:
        draft.authors.append(_author(lines[0], line, draft))
    else:
        draft.add(Para(escape_markdown(" ".join(lines)), line))


def _references(line: int, lines: list[str]) -> list[tuple[int, str]]:
    """One reference per line that starts like one; other lines continue the reference above."""
    found: list[tuple[int, str]] = []
    for offset, text in enumerate(lines):
        if not found or _REFERENCE_START.match(text):
            found.append((line + offset, text))
        else:
            found[-1] = (found[-1][0], f"{found[-1][1]} {text}")
    return found


def _trailing_residue(draft: Draft) -> None:
    """Lines after the reference list that are no references (a stray "Comments") are reported, not kept."""
    while draft.references and not re.search(r"\b(1[5-9]|20)\d\d(?!\d)", draft.references[-1].text):
        residue = draft.references.pop()
        draft.warn(f"'{residue.text}' after the references is not a reference: left out", residue.line)


def _byline(line: str) -> bool:
    match = _BYLINE.match(line)
    return bool(match) and (bool(match["honorific"] or match["rest"]))


def _author(line: str, number: int, draft: Draft) -> dict:
    """"Dr Robert Becker, MCMA, Neuropsychologist." → name, honorific, credentials, roles."""
    match = _BYLINE.match(line)
    author: dict = {"name": match["name"]}
    if match["honorific"]:
        author["honorific"] = match["honorific"].rstrip(".")
    rest = match["rest"][:-1] if match["rest"].endswith(".") else match["rest"]
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    credentials = [p for p in parts if _CREDENTIAL.match(p)]
    if credentials:
        author["credentials"] = ", ".join(credentials)
    roles = [p for p in parts if p not in credentials]
    if roles:
        author["roles"] = roles
    draft.notes.append(f"{draft.where(number)}: read as the author: {line}")
    return author
