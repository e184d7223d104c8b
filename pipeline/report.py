"""report.json: what the checks found, citations per section, word counts.

Only reproducible facts go in, so the file is byte-identical between builds of
the same input; timings are printed, not stored.
"""

from __future__ import annotations

import json
import re

from pipeline import __version__
from pipeline.diagnostics import Diagnostic
from pipeline.model import Document, Paragraph, Runs, citations, plain_text

_WORD = re.compile(r"[^\W_][\w'\u2019-]*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _words(runs: list[Runs]) -> int:
    return sum(count_words(plain_text(r)) for r in runs)


def _cited(runs: list[Runs]) -> list[str]:
    keys: list[str] = []
    for r in runs:
        for cite in citations(r):
            keys += [item.key for item in cite.items if item.key not in keys]
    return keys


def build_report(document: Document, diagnostics: list[Diagnostic], extra: dict | None = None) -> dict:
    """The report as plain data; `extra` adds sections other checks computed (readability)."""
    body = {s.id: [b.runs for b in s.blocks if isinstance(b, Paragraph)] for s in document.sections}
    report = {
        "review": document.name,
        "title": document.title,
        "pipeline_version": __version__,
        "checks": {
            "errors": sum(d.severity == "error" for d in diagnostics),
            "warnings": sum(d.severity == "warning" for d in diagnostics),
            "diagnostics": [{"severity": d.severity, "message": d.message, "file": d.location.path,
                             "line": d.location.line, "column": d.location.column} for d in diagnostics],
        },
        "citations": {
            "style": document.citation_style,
            "references_listed": len(document.bibliography.references),
            "per_section": {sid: _cited(runs) for sid, runs in body.items()},
        },
        "words": {
            "abstract": _words([p.runs for p in document.abstract]),
            "body": sum(_words(runs) for runs in body.values()),
            "per_section": {sid: _words(runs) for sid, runs in body.items()},
        },
    }
    report.update(extra or {})
    return report


def render_report(report: dict) -> bytes:
    return (json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
