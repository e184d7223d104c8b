"""Word (.docx) through python-docx: headings by style, runs with italics and bold, tables,
embedded images (saved into the review folder with their alt text), core properties.

A .docx has no lines: a warning's "line" is the paragraph's number in the document body.
"""

from __future__ import annotations

import io
from itertools import groupby
import re
import zipfile
from pathlib import Path

from pipeline.importers.draft import Draft, Figure, Para, escape_markdown

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: Path, data: bytes) -> Draft:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from pipeline.importers import ImportFailed

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportFailed(f"{path}: error: not a Word document ({error}); save it again from Word as .docx") \
            from None
    draft = Draft(path)
    draft.title = document.core_properties.title or ""
    if document.core_properties.author:
        draft.authors = [{"name": n.strip()} for n in re.split(r"[;]", document.core_properties.author) if n.strip()]
    _body(draft, document)
    return draft


def _body(draft: Draft, document) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for number, element in enumerate(document.element.body.iterchildren(), 1):
        if element.tag == f"{_W}p":
            _paragraph(draft, Paragraph(element, document), number, document)
        elif element.tag == f"{_W}tbl":
            rows = [[cell.text.strip() for cell in row.cells] for row in Table(element, document).rows]
            if rows:
                draft.table(rows[0], rows[1:], "", number)


def _paragraph(draft: Draft, paragraph, number: int, document) -> None:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    text = paragraph.text.strip()
    if _image(draft, paragraph, number, document) or not text:
        return
    if style == "Title":
        draft.title, _, subtitle = text.partition(": ")
        draft.subtitle = draft.subtitle or subtitle
    elif style == "Subtitle":
        draft.subtitle = text
    elif style.startswith("Heading"):
        draft.heading(text, number)
    elif style == "Caption" and _last_figure(draft):
        _last_figure(draft).caption = _inline(paragraph)
    else:
        draft.add(Para(paragraph.text.strip() if draft.in_references else _inline(paragraph), number))


def _inline(paragraph) -> str:
    """The runs as Markdown: *italic*, **bold**, the text escaped; neighbouring runs of one kind joined."""
    pieces = []
    for (bold, italic), runs in groupby(paragraph.runs, key=lambda r: (bool(r.bold), bool(r.italic))):
        text = escape_markdown("".join(r.text for r in runs))
        core = text.strip()
        if core and (bold or italic):
            mark = ("**" if bold else "") + ("*" if italic else "")
            text = text[:len(text) - len(text.lstrip())] + mark + core + mark[::-1] + text[len(text.rstrip()):]
        pieces.append(text)
    return " ".join("".join(pieces).split())


def _image(draft: Draft, paragraph, number: int, document) -> bool:
    """Pictures in the paragraph become figures, saved under assets/ with their alt text."""
    found = False
    for drawing in paragraph._element.iter(f"{_W}drawing"):
        blip = next(drawing.iter(f"{_A}blip"), None)
        rid = blip.get(f"{_R}embed") if blip is not None else None
        if not rid or rid not in document.part.related_parts:
            continue
        part = document.part.related_parts[rid]
        properties = next(drawing.iter(f"{_WP}docPr"), None)
        alt = (properties.get("descr") or properties.get("title") or "") if properties is not None else ""
        name = f"assets/image{len(draft.files) + 1}{Path(str(part.partname)).suffix.lower()}"
        draft.files[name] = part.blob
        draft.add(Figure(name, alt, "", number))
        found = True
    return found


def _last_figure(draft: Draft) -> Figure | None:
    block = draft.sections[-1].blocks[-1] if draft.sections and draft.sections[-1].blocks else None
    return block if isinstance(block, Figure) else None
