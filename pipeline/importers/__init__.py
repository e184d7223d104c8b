"""Start a review from an existing article: Markdown, plain text or Word (.docx).

`import_article(path)` reads the file into a `Draft` (one reader per format),
parses its reference list into BibTeX entries, turns its in-text citations into
Pandoc citations, and returns the text of `review.yaml` and `references.bib`
with every warning located in the source file. `write_review` puts them in a
review folder all at once. Nothing is invented: what the article lacks (key
points, lay summary, evidence) is listed as the next thing to add.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, display_path
from pipeline.importers.draft import Draft, Figure, Para
from pipeline.importers.references import Entry, assign_keys, parse_reference
from pipeline.importers.writer import bibtex, review_yaml

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".rmd", ".qmd"}
_TOO_BIG = 20 * 1024 * 1024


class ImportFailed(Exception):
    """The file cannot be imported: one line, `path: error: ...` or `path:line:col: error: ...`."""


@dataclass
class Counts:
    paragraphs: int = 0
    sections: int = 0
    references: int = 0
    linked: int = 0
    reported: int = 0


@dataclass
class Imported:
    """A review made from an article: the files to write, and what to tell the author."""

    review_yaml: str
    bib_name: str
    bib_text: str
    files: dict[str, bytes]
    diagnostics: list[Diagnostic]
    notes: list[str]
    counts: Counts
    next_steps: list[str] = field(default_factory=list)

    def summary(self, folder: Path) -> list[str]:
        """The closing line: what was made, with the numbers an author checks first."""
        c = self.counts
        return [f"created {display_path(folder)}/: {c.sections} sections, {c.paragraphs} paragraphs "
                f"(abstract included), {c.references} references, {c.linked} citations linked, "
                f"{c.reported} to check"]


def import_article(path: Path) -> Imported:
    """Read `path` (Markdown, plain text or .docx, told by its content and suffix) into a review."""
    data = _read(path)
    if data[:4] == b"PK\x03\x04":
        from pipeline.importers.docx import read_docx

        return finish(read_docx(path, data))
    if path.suffix.lower() == ".docx":
        raise ImportFailed(f"{display_path(path)}: error: not a Word file: a .docx is a zip archive, and this is not "
                           "one (save it again from Word as .docx)")
    text = _decode(path, data)
    if path.suffix.lower() in MARKDOWN_SUFFIXES or (path.suffix.lower() not in (".txt", ".text")
                                                    and _looks_like_markdown(text)):
        from pipeline.importers.markdown import read_markdown

        return finish(read_markdown(path, text))
    from pipeline.importers.plaintext import read_plaintext

    return finish(read_plaintext(path, text))


def _read(path: Path) -> bytes:
    shown = display_path(path)
    try:
        if path.stat().st_size > _TOO_BIG:
            raise ImportFailed(f"{shown}: error: too big to be an article ({path.stat().st_size} bytes)")
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFailed(f"{shown}: error: a folder, not an article file") from None
    except FileNotFoundError:
        raise ImportFailed(f"{shown}: error: no such file") from None
    except OSError as error:
        raise ImportFailed(f"{shown}: error: cannot read it ({error.strerror})") from None
    if not data.strip():
        raise ImportFailed(f"{shown}: error: the file is empty: there is no article to import")
    return data


def _decode(path: Path, data: bytes) -> str:
    shown = display_path(path)
    if b"\0" in data[:8192]:
        raise ImportFailed(f"{shown}: error: a binary file, not Markdown, plain text or .docx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line, column = before.count(b"\n") + 1, error.start - (before.rfind(b"\n") + 1) + 1
        raise ImportFailed(f"{shown}:{line}:{column}: error: not UTF-8 text (byte 0x{data[error.start]:02x}); "
                           "save the file as UTF-8, or import the .docx") from None


def _looks_like_markdown(text: str) -> bool:
    return text.startswith("---\n") or any(line.startswith("# ") for line in text.splitlines())


def finish(draft: Draft) -> Imported:
    """Entries from the reference list, citations linked, the files' text made."""
    from pipeline.importers.review import assemble

    entries = _entries(draft)
    data, comments, counts = assemble(draft, entries)
    source = draft.path.name
    header = [f"Imported from {source} by `python -m pipeline new`. Field reference: README.md",
              "Lines marked CHECK are choices the importer made: look at each before you publish."]
    bib_name, bib_text = draft.bibliography or ("references.bib",
                                                bibtex(entries, f"References of {source}, as its list gives them."))
    draft.diagnostics.items.sort(key=lambda d: d.location)
    return Imported(review_yaml=review_yaml(data, comments, header), bib_name=bib_name, bib_text=bib_text,
                    files=draft.files, diagnostics=draft.diagnostics.items, notes=draft.notes, counts=counts,
                    next_steps=_next_steps(data, counts))


def _entries(draft: Draft) -> list[Entry]:
    if draft.bibliography:
        if draft.references:
            draft.warn(f"the reference list is left out: the front matter names {draft.bibliography[0]}, "
                       "which is copied instead", draft.references[0].line)
        return []
    entries = [parse_reference(p.text, p.line) for p in draft.references]
    assign_keys(entries)
    for entry in entries:
        if not entry.parsed:
            draft.warn(f"reference not understood (neither APA- nor Vancouver-like): kept whole as the note of "
                       f"@misc{{{entry.key}}}; fill in its fields", entry.line)
    return entries


def _next_steps(data: dict, counts: Counts) -> list[str]:
    missing = [name for name in ("key_points", "lay_summary", "evidence", "glossary", "date") if name not in data]
    steps = [f"add {', '.join(missing)} (README.md, field reference)"] if missing else []
    if counts.reported:
        steps.append(f"look at the {counts.reported} place{'s' if counts.reported > 1 else ''} marked CHECK "
                     "in review.yaml")
    return steps


def write_review(imported: Imported | None, folder: Path, force: bool = False) -> list[Path]:
    """Write the review into `folder` all at once: a temporary folder, renamed at the end."""
    if folder.exists() and not force:
        raise ImportFailed(f"{display_path(folder)}: error: already exists; choose another name, or use --force "
                           "to replace it")
    if imported is None:
        return []
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    files = {"review.yaml": imported.review_yaml.encode(), imported.bib_name: imported.bib_text.encode(),
             **imported.files}
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        _replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in files]


def _replace(staging: Path, folder: Path) -> None:
    if not folder.exists():
        staging.rename(folder)
        return
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    folder.rename(old)
    staging.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


__all__ = ["ImportFailed", "Imported", "import_article", "write_review", "Draft", "Para", "Figure"]
