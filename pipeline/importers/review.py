"""A draft and its reference entries → the data of `review.yaml`, the CHECK comments, the counts.

Citations are linked here, paragraph by paragraph, and every problem is a
warning at its line in the source; what the importer chose is also a comment
above the paragraph in review.yaml, where the author will read it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from pipeline.importers.citations import link_citations
from pipeline.importers.draft import Draft, Figure, Para
from pipeline.importers.references import Entry

if TYPE_CHECKING:
    from pipeline.importers import Counts

PLACEHOLDER_AUTHOR = "Author's name"
PLACEHOLDER_ABSTRACT = "The article has no abstract yet: write it here."


class _Linker:
    def __init__(self, draft: Draft, entries: list[Entry], counts: Counts):
        self.draft, self.entries, self.counts = draft, entries, counts
        self.comments: dict[tuple, list[str]] = {}

    def text(self, para: Para, path: tuple) -> str:
        """The paragraph with its citations linked; its problems reported at their place in the source."""
        linked = link_citations(para.text, self.entries)
        self.counts.linked += linked.linked
        for problem in linked.problems:
            before = para.text[:problem.offset]
            line = para.line + before.count("\n")
            column = len(before) - (before.rfind("\n") + 1) - before.count("\\") + 1
            self.draft.warn(problem.message, line, column)
            self.comments.setdefault(path, []).append(problem.comment)
            self.counts.reported += 1
        return " ".join(linked.text.split())


def assemble(draft: Draft, entries: list[Entry]) -> tuple[dict, dict[tuple, list[str]], Counts]:
    from pipeline.importers import Counts

    counts = Counts(references=len(entries) or _bib_entries(draft))
    linker = _Linker(draft, entries, counts)
    data: dict = {"title": draft.title.strip() or draft.path.stem}
    if draft.subtitle.strip():
        data["subtitle"] = draft.subtitle.strip()
    data["authors"] = draft.authors or [{"name": PLACEHOLDER_AUTHOR}]
    if not draft.authors:
        draft.warn("no author found: write the authors' names in review.yaml", 1)
        linker.comments[("authors",)] = ["CHECK: no author found in the article; write the authors"]
    if draft.date:
        data["date"] = draft.date
    data.update(draft.meta)
    data["bibliography"] = draft.bibliography[0] if draft.bibliography else "references.bib"
    if entries and all(e.number is not None for e in entries):
        data["citation_style"] = "vancouver"
    data["abstract"] = _abstract(draft, linker)
    counts.paragraphs += len(draft.abstract)
    if draft.key_points:
        data["key_points"] = [linker.text(p, ("key_points", i)) for i, p in enumerate(draft.key_points)]
    data["sections"] = _sections(draft, linker, counts)
    if draft.evidence:
        data["evidence"] = _evidence(draft, linker)
    _keep_uncited(data, entries, linker)
    return data, linker.comments, counts


def _keep_uncited(data: dict, entries: list[Entry], linker: _Linker) -> None:
    """The article listed every entry, cited or not: so does the review (`nocite: "*"`), said in a comment."""
    cited = set(re.findall(r"@([\w][\w:.#$%&+?<>~/-]*\w)", yaml.safe_dump(data)))
    uncited = [e.key for e in entries if e.key not in cited]
    if uncited:
        data["nocite"] = "*"
        linker.comments[("nocite",)] = [f"CHECK: the article lists {', '.join(uncited)} without citing "
                                        f"{'it' if len(uncited) == 1 else 'them'}; kept in the list"]


def _evidence(draft: Draft, linker: _Linker) -> dict:
    """The evidence table, each cell's citations linked ("Younger et al. (2014)" → "@younger2014b")."""
    line = draft.evidence.get("line", 1)
    studies = [{name: linker.text(Para(str(value), line), ("evidence", "studies", i, name))
                for name, value in study.items()} for i, study in enumerate(draft.evidence["studies"])]
    return {k: v for k, v in draft.evidence.items() if k != "line"} | {"studies": studies}


def _bib_entries(draft: Draft) -> int:
    return draft.bibliography[1].count("\n@") + draft.bibliography[1].startswith("@") if draft.bibliography else 0


def _abstract(draft: Draft, linker: _Linker) -> str:
    paragraphs = [p for p in draft.abstract if isinstance(p, Para)]
    if not paragraphs:
        draft.warn("no abstract found (no 'Abstract' heading): write one in review.yaml", 1)
        linker.comments[("abstract",)] = ["CHECK: the article has no abstract; write one"]
        return PLACEHOLDER_ABSTRACT
    return "\n\n".join(linker.text(p, ("abstract",)) for p in paragraphs)


def _sections(draft: Draft, linker: _Linker, counts: Counts) -> list[dict]:
    sections, ids = [], set()
    for section in draft.sections:
        if not section.blocks:
            draft.warn(f"heading '{section.title}' has no text under it: left out", section.line)
            continue
        path = ("sections", len(sections), "body")
        body = [_block(block, linker, path + (i,), draft) for i, block in enumerate(section.blocks)]
        counts.paragraphs += sum(isinstance(b, Para) for b in section.blocks)
        sections.append({"title": section.title, "id": _unique(_slug(section.title), ids),
                         "body": body})
    counts.sections = len(sections)
    if not sections:
        raise _no_sections(draft)
    return sections


def _block(block: Para | Figure, linker: _Linker, path: tuple, draft: Draft) -> str | dict:
    if isinstance(block, Para):
        return linker.text(block, path)
    figure = {"image": block.image, "alt": block.alt.strip() or block.caption.strip() or block.image}
    if not block.alt.strip():
        draft.warn(f"image '{block.image}' has no alternative text: write what it shows", block.line)
        linker.comments[path] = ["CHECK: no alternative text in the article; describe the image"]
    if block.caption.strip():
        figure["caption"] = block.caption.strip()
    return figure


def _slug(title: str) -> str:
    """The loader's default id ("LDN Therapy and PTSD" → "ldn-therapy-and-ptsd"), kept clear of the ids
    the outputs use for their own parts (the loader's reserved ids)."""
    from pipeline.loader import reserved, slugify  # the one rule for both; imported late: the loader is heavy

    slug = slugify(title)
    return f"section-{slug}" if reserved(slug) else slug


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _no_sections(draft: Draft) -> Exception:
    from pipeline.importers import ImportFailed

    return ImportFailed(f"{draft.where(1).path}: error: no sections found: a review needs at least one heading "
                        "with text under it (in plain text, a short line without a full stop)")
