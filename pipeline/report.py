"""report.json: what the checks found, citations per section, word counts.

Only reproducible facts go in, so the file is byte-identical between builds of
the same input, wherever the review lies: timings are printed, not stored, and
file names are relative to the folder that holds the review (`ldn-review/review.yaml`).

The report describes the whole review, not only what the last `--only` built:
the checks of the source are always fresh, and each output keeps an entry (its
files and its renderer's warnings) stamped with the fingerprint of the input it
was built from. An entry from an earlier build whose input has changed since is
kept and marked `"stale": true`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from pipeline import __version__
from pipeline.diagnostics import Diagnostic
from pipeline.model import Document, Paragraph, Runs, citations, plain_text
from pipeline.render import OUTPUTS, Rendered

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
            "diagnostics": [diagnostic_entry(d) for d in diagnostics],
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


def diagnostic_entry(diagnostic: Diagnostic, review_dir: Path | None = None) -> dict:
    """A diagnostic as report data; its file relative to the review's parent folder when given."""
    where = diagnostic.location
    path = portable_path(where.path, review_dir) if review_dir is not None else where.path
    return {"severity": diagnostic.severity, "message": diagnostic.message, "file": path,
            "line": where.line, "column": where.column}


def portable_path(path: str, review_dir: Path) -> str:
    """`path` (as printed, relative to the working folder) relative to the folder holding the review.

    A file outside it (a theme's) is named by its last two parts, `<theme>/<file>`.
    """
    full = Path(path).resolve()
    base = review_dir.resolve().parent
    return full.relative_to(base).as_posix() if full.is_relative_to(base) else "/".join(full.parts[-2:])


def fingerprint(review_dir: Path, theme_dir: Path, theme: str, paper: str | None) -> str:
    """A hash of everything an output is built from: the review's files, the theme, the settings
    and the pipeline's version. Names are relative, so the hash is the same wherever they lie."""
    digest = hashlib.sha256(f"{__version__}\0{theme}\0{paper}\0".encode())
    for label, folder in (("review", review_dir), ("theme", theme_dir)):
        for path in _files(folder):
            digest.update(f"{label}/{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted; symbolic links to folders are not followed."""
    found = [Path(root) / name for root, _, names in os.walk(folder) for name in names]
    return sorted(p for p in found if p.is_file() and "__pycache__" not in p.parts)


def output_entries(rendered: dict[str, Rendered], stamp: str, review_dir: Path) -> dict[str, dict]:
    """The report entries of the outputs this build rendered."""
    return {name: {"files": sorted(made.files), "input": stamp,
                   "warnings": [diagnostic_entry(d, review_dir) for d in made.warnings]}
            for name, made in rendered.items()}


def read_report(path: Path) -> dict:
    """The report.json of an earlier build, or {} when there is none or it cannot be read."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def merged_outputs(built: dict[str, dict], previous: dict, stamp: str, present: set[str]) -> dict[str, dict]:
    """Every output's entry: this build's, else the previous report's (marked stale when built from
    another input), else, for files an older report did not describe, an entry with unknown warnings."""
    earlier = previous.get("outputs") if isinstance(previous.get("outputs"), dict) else {}
    entries = {}
    for name, output in OUTPUTS.items():
        entry = built.get(name) or _kept(earlier.get(name), output.files, present)
        if entry is not None:
            entries[name] = {**entry, "stale": entry["input"] != stamp}
    return entries


def _kept(entry: object, files: tuple[str, ...], present: set[str]) -> dict | None:
    """An earlier output's entry, if its files are still there."""
    if isinstance(entry, dict) and set(entry.get("files") or ()) <= present and entry.get("files"):
        return {"files": entry["files"], "input": entry.get("input"), "warnings": entry.get("warnings")}
    if set(files) <= present:  # written by a build whose report did not describe its outputs
        return {"files": sorted(files), "input": None, "warnings": None}
    return None


def whole_report(document: Document, diagnostics: list[Diagnostic], extra: dict, review_dir: Path, stamp: str,
                 built: dict[str, dict], previous: dict, present: set[str]) -> dict:
    """The report of the whole review: fresh checks, plus the warnings of every output that is current."""
    outputs = merged_outputs(built, previous, stamp, present)
    report = build_report(document, [], extra)
    checks = [diagnostic_entry(d, review_dir) for d in diagnostics]
    checks += [w for entry in outputs.values() if not entry["stale"] for w in entry["warnings"] or ()]
    report["input"] = stamp
    report["checks"] = {"errors": sum(c["severity"] == "error" for c in checks),
                        "warnings": sum(c["severity"] == "warning" for c in checks), "diagnostics": checks}
    report["outputs"] = outputs
    return report


def render_report(report: dict) -> bytes:
    return (json.dumps(report, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
