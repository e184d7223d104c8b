"""The build step: the only code that writes to `out/`.

Every output of a review is rendered in memory first; only when all of them
succeeded are they written, each to a temporary file in the output folder and
then renamed into place. A failed build leaves earlier outputs as they were.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.diagnostics import Diagnostic, InputError
from pipeline.model import Document
from pipeline.render import Settings
from pipeline.report import build_report, render_report
from pipeline.themes import load_theme
from pipeline.workers import check_and_render

@dataclass
class BuildResult:
    """What a review's build wrote and what the checks said."""

    document: Document
    diagnostics: list[Diagnostic]
    written: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    files: dict[str, list[Path]] = field(default_factory=dict)


def check_review(review_dir: Path, theme: str | None = None,
                 strict: bool = False) -> tuple[Document, list[Diagnostic]]:
    """Load and run every check (the loader's, then readability).

    Raises InputError on errors, and with `strict` on warnings too.
    """
    # Imported here rather than at the top, like the readability report below: a build forks
    # the worker that loads the review first thing, so this process skips these imports and
    # goes straight to importing WeasyPrint.
    from pipeline import readability
    from pipeline.loader import load_review

    document, diagnostics = load_review(review_dir, theme)
    diagnostics += readability.check(document)
    _fail_if_strict(diagnostics, strict)
    return document, diagnostics


def build_review(review_dir: Path, out_root: Path, only: tuple[str, ...], settings: Settings,
                 theme: str | None = None, workers: int = 1, strict: bool = False) -> BuildResult:
    """Render the chosen outputs of one review in memory, then write them all or none.

    With `strict`, a warning (from the checks, or a renderer's, say a handout too long)
    fails the build like an error, and nothing is written.

    The review is loaded and checked once; with `workers` > 1 the loading overlaps
    WeasyPrint's import and the outputs render side by side (see pipeline.workers).
    """
    document, diagnostics, outputs = check_and_render(lambda: check_review(review_dir, theme, strict),
                                                      lambda loaded: load_theme(loaded.theme), settings, only,
                                                      workers)
    result = BuildResult(document, diagnostics)
    files: dict[str, bytes] = {}
    out_dir = out_root / document.name
    for name, (rendered, seconds) in outputs.items():
        result.timings[name] = seconds
        result.files[name] = [out_dir / file for file in rendered.files]
        result.diagnostics += rendered.warnings
        files.update(rendered.files)
    _fail_if_strict(result.diagnostics, strict)
    from pipeline import readability

    files["report.json"] = render_report(build_report(document, diagnostics, readability.report(document)))
    result.written = write_atomically(out_dir, files)
    return result


def _fail_if_strict(diagnostics: list[Diagnostic], strict: bool) -> None:
    if strict and diagnostics:
        raise InputError(diagnostics)


def write_atomically(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every file to a temporary name first, then rename them all into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in sorted(files.items()):
            handle, temp = tempfile.mkstemp(prefix=f".{name}.", dir=out_dir)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temp, 0o644)
            staged.append((name, Path(temp)))
    except BaseException:
        for _, temp in staged:
            temp.unlink(missing_ok=True)
        raise
    for name, temp in staged:
        os.replace(temp, out_dir / name)
    return [out_dir / name for name, _ in staged]
