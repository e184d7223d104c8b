"""One unit of work for the command line: check or build one review, and what to print.

A job runs in whatever process the CLI chooses (one, or several with
--jobs) and returns plain, picklable results; only the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.build import OutputError, build_review, check_review
from pipeline.diagnostics import Diagnostic, InputError
from pipeline.model import Document
from pipeline.render import Settings

EXIT_OK, EXIT_INPUT = 0, 1


@dataclass(frozen=True)
class Job:
    """What to do with one review folder."""

    command: str  # "check" or "build"
    review: Path
    theme: str | None = None
    strict: bool = False
    verbose: bool = False
    out: Path = Path("out")
    only: tuple[str, ...] = ()
    paper: str | None = None
    workers: int = 1  # processes this review's outputs may render on


@dataclass
class JobResult:
    """Exit status, diagnostics as printed lines, and progress lines."""

    status: int
    problems: list[str] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    warnings: int = 0


def _lines(diagnostics: list[Diagnostic], strict: bool) -> list[str]:
    lines = []
    for d in diagnostics:
        severity = "error" if strict else d.severity
        suffix = " [--strict]" if strict and d.severity == "warning" else ""
        lines.append(f"{d.location}: {severity}: {d.message}{suffix}")
    return lines


def run_job(job: Job) -> JobResult:
    """Check or build one review; input errors, and outputs that cannot be written, become a
    status of 1, never a traceback."""
    try:
        return _check(job) if job.command == "check" else _build(job)
    except OutputError as error:
        return JobResult(EXIT_INPUT, [str(error)])
    except InputError as error:
        failing = [d for d in error.diagnostics if d.severity == "error" or job.strict]
        result = JobResult(EXIT_INPUT, _lines(list(error.diagnostics), job.strict))
        result.problems.append(f"{job.review}: {len(failing)} error{'s' if len(failing) != 1 else ''}; "
                               "nothing was written" if job.command != "check" else
                               f"{job.review}: {len(failing)} error{'s' if len(failing) != 1 else ''}")
        return result


@contextmanager
def _writing_nothing() -> Iterator[None]:
    """`check` writes nothing: the syllable table it builds stays in memory instead of being
    saved to the user's cache folder (only `build` saves it)."""
    from pipeline import syllables

    saved, syllables.SAVE_CACHE = syllables.SAVE_CACHE, False
    try:
        yield
    finally:
        syllables.SAVE_CACHE = saved


def _check(job: Job) -> JobResult:
    with _writing_nothing():
        document, diagnostics = check_review(job.review, job.theme, job.strict)
    result = JobResult(EXIT_OK, _lines(diagnostics, False), warnings=len(diagnostics))
    result.progress.append(f"{job.review}: ok ({len(diagnostics)} warning{'s' if len(diagnostics) != 1 else ''})")
    if job.verbose:
        result.progress += _verbose_lines(document)
    return result


def _build(job: Job) -> JobResult:
    built = build_review(job.review, job.out, job.only, Settings(paper=job.paper), job.theme,
                         job.workers, job.strict)
    result = JobResult(EXIT_OK, _lines(built.diagnostics, False), warnings=len(built.diagnostics))
    if job.verbose:
        result.progress += _verbose_lines(built.document)
    for name, seconds in built.timings.items():
        result.progress.append(f"{job.review}: {name:<8} {seconds:6.2f} s  → {', '.join(map(str, built.files[name]))}")
    result.progress.append(f"{job.review}: {len(built.written)} files in {job.out / built.document.name}"
                           f" ({len(built.diagnostics)} warning{'s' if len(built.diagnostics) != 1 else ''})")
    return result


def _verbose_lines(document: Document) -> list[str]:
    from pipeline import readability

    scores = readability.measure(document)
    return [f"{document.name}: readability of the lay summary", *readability.format_table(scores).splitlines()] \
        if scores else []
