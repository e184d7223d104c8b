"""One unit of work for the command line: check or build one review, and what to print.

A job runs in whatever process the CLI chooses (one, or several with
--jobs) and returns plain, picklable results; only the CLI prints them. The
one exception is live progress (`Progress`), which a long build writes to
stderr as its outputs finish, because the results come only at the end.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipeline import workers as render_workers
from pipeline.build import Memory, OutputError, build_review, check_review, remembered
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
    progress: str = ""  # live progress of a long build: "bar" (a terminal), "lines", or "" (none)


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
    saved to the user's cache folder (only `build` saves it), nor do the caches of
    `pipeline.cache` (it reads what a build left)."""
    from pipeline import cache, syllables

    saved, syllables.SAVE_CACHE, cache.SAVE = (syllables.SAVE_CACHE, cache.SAVE), False, False
    try:
        yield
    finally:
        syllables.SAVE_CACHE, cache.SAVE = saved


def _check(job: Job) -> JobResult:
    with _writing_nothing():
        document, diagnostics = check_review(job.review, job.theme, job.strict)
    result = JobResult(EXIT_OK, _lines(diagnostics, False), warnings=len(diagnostics))
    result.progress.append(f"{job.review}: ok ({len(diagnostics)} warning{'s' if len(diagnostics) != 1 else ''})")
    if job.verbose:
        result.progress += _verbose_lines(document)
    return result


# While `watch` or `preview` runs (`incremental`): each review's last good build, so a rebuild
# renders only the outputs an edit can change.
_memories: dict[tuple[Path, Path], Memory] | None = None


@contextmanager
def incremental(jobs: list[Job]) -> Iterator[None]:
    """Rebuild only what each edit changes while the block runs (outputs current now are known)."""
    global _memories
    saved = _memories
    _memories = {(job.review.resolve(), job.out.resolve()):
                 remembered(job.review, job.out, Settings(paper=job.paper), job.theme) for job in jobs}
    try:
        yield
    finally:
        _memories = saved


def _build(job: Job) -> JobResult:
    memory = None if _memories is None else _memories.setdefault((job.review.resolve(), job.out.resolve()), Memory())
    with _live(job):
        built = build_review(job.review, job.out, job.only, Settings(paper=job.paper), job.theme,
                             job.workers, job.strict, memory)
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


# --- live progress of a long build ------------------------------------------------------

PROGRESS_DELAY = 1.0  # seconds a build runs before it shows progress: quick builds stay quiet
PROGRESS_TICK = 0.25  # seconds between redraws of the bar while nothing finishes
BAR_WIDTH = 20
RUNNING, FINISHED, ANNOUNCED = 0, 1, 2


def progress_mode(quiet: bool, reviews: int, stream: TextIO = sys.stderr) -> str:
    """How a build shows progress: a bar on a terminal (one review: bars of parallel reviews
    would draw over each other), else a line per finished output; nothing with --quiet."""
    if quiet:
        return ""
    terminal = stream.isatty() and os.environ.get("TERM", "") != "dumb"
    return "bar" if terminal and reviews == 1 else "lines"


class Progress:
    """Live progress of one build on stderr, shown once it has run `delay` seconds.

    Outputs finish in this process or in forked render workers, so the state is shared
    memory (an anonymous mmap survives fork): a byte per output, RUNNING, FINISHED or
    ANNOUNCED. A POSIX record lock (held per process, unlike flock, which a forked child
    shares with its parent) keeps two processes from announcing one output twice. A timer
    (SIGALRM, this process only) shows what finished early once the delay is over, and
    keeps the bar's clock moving while nothing finishes.
    """

    def __init__(self, review: Path, names: list[str], bar: bool, delay: float | None = None) -> None:
        self.review, self.names, self.bar = review, names, bar
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.started = time.monotonic()
        self.state = mmap.mmap(-1, len(names) + 1)  # the last byte: 1 once anything was shown
        self.lock = tempfile.TemporaryFile()
        self.busy = False  # this process is inside `show`; a tick arriving then is skipped

    def finished(self, name: str, seconds: float) -> None:
        """The listener `pipeline.workers` calls as an output finishes, in whichever process."""
        if name in self.names and self.state[self.names.index(name)] == RUNNING:
            self.state[self.names.index(name)] = FINISHED
            self.show()

    def show(self) -> None:
        """Announce what finished (a line each), or redraw the bar, once the delay is over."""
        if self.busy or time.monotonic() - self.started < self.delay:
            return
        self.busy = True
        try:
            fcntl.lockf(self.lock, fcntl.LOCK_EX)
            try:
                self.state[-1] = 1
                _write(self._bar() if self.bar else self._lines())
            finally:
                fcntl.lockf(self.lock, fcntl.LOCK_UN)
        finally:
            self.busy = False

    def close(self) -> None:
        """Clear the bar (the summary lines that follow say it all) and free the shared state."""
        if self.bar and self.state[-1]:
            _write("\r\033[K")
        self.state.close()
        self.lock.close()

    def _done(self) -> int:
        return sum(self.state[i] != RUNNING for i in range(len(self.names)))

    def _bar(self) -> str:
        done, total = self._done(), len(self.names)
        filled = BAR_WIDTH * done // max(total, 1)
        return (f"\r{self.review}: [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} outputs, "
                f"{time.monotonic() - self.started:.1f} s\033[K")

    def _lines(self) -> str:
        lines = []
        for i, name in enumerate(self.names):
            if self.state[i] == FINISHED:
                self.state[i] = ANNOUNCED
                lines.append(f"{self.review}: {name} done ({self._announced()} of {len(self.names)}, "
                             f"{time.monotonic() - self.started:.1f} s)\n")
        return "".join(lines)

    def _announced(self) -> int:
        return sum(self.state[i] == ANNOUNCED for i in range(len(self.names)))


def _write(text: str) -> None:
    """One unbuffered write to stderr: whole lines from several processes do not interleave,
    and a signal handler never re-enters Python's buffered stream."""
    if text:
        try:
            os.write(sys.stderr.fileno(), text.encode("utf-8", "replace"))
        except (OSError, ValueError):  # no usable stderr: progress is a courtesy, never a failure
            pass


@contextmanager
def _live(job: Job) -> Iterator[None]:
    """Show the job's build progress (if it asks for any) while the block runs."""
    if not job.progress or not job.only:
        yield
        return
    progress = Progress(job.review, list(job.only), bar=job.progress == "bar")
    try:
        with render_workers.listening(progress.finished), _ticking(progress):
            yield
    finally:
        progress.close()


@contextmanager
def _ticking(progress: Progress) -> Iterator[None]:
    """Call `progress.show` after its delay and then every tick, from a timer signal. Only the
    main thread can take signals, and a caller's own alarm (a timeout) is left alone; then
    progress shows as outputs finish, nothing more."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer") \
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return
    previous = signal.signal(signal.SIGALRM, lambda *_: progress.show())
    signal.siginterrupt(signal.SIGALRM, False)  # system calls resume after a tick, in C libraries too
    signal.setitimer(signal.ITIMER_REAL, progress.delay, PROGRESS_TICK)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
