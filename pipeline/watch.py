"""`python -m pipeline watch`: rebuild a review whenever one of its files is saved.

For the author at the desk. Input errors are printed and the watch goes on;
the last good outputs stay in place until the next good build replaces them.
`preview` watches the same way (`changes`), then reloads the browser page.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

from pipeline.jobs import Job, incremental
from pipeline.themes import theme_dirs
from pipeline.workers import forkserver


def _owner(path: Path, jobs: list[Job]) -> list[Job]:
    """The jobs a changed file affects: its review's, or all of them for a theme file."""
    if any(path.is_relative_to(folder) for folder in theme_dirs()):
        return jobs
    return [job for job in jobs if path.is_relative_to(job.review.resolve())]


def watched_folders(jobs: list[Job]) -> list[str]:
    """The review folders and the theme folders, as watchfiles takes them."""
    return [str(job.review) for job in jobs] + [str(folder) for folder in theme_dirs()]


def folder_state(jobs: list[Job]) -> dict[Path, tuple[int, int]]:
    """Every watched file with its modification time and size: what a save changes."""
    state = {}
    for folder in watched_folders(jobs):
        for path in Path(folder).rglob("*"):
            try:
                if path.is_file():
                    info = path.stat()
                    state[path.resolve()] = (info.st_mtime_ns, info.st_size)
            except OSError:  # removed while we looked: the watcher reports it
                pass
    return state


def changes(jobs: list[Job], stop: threading.Event | None = None,
            since: dict[Path, tuple[int, int]] | None = None) -> Iterator[list[Job]]:
    """The jobs to run again after each batch of saved files, until `stop` is set (or Ctrl-C).

    `since` (a `folder_state` taken before the first build) catches what was saved before the
    watcher was listening: during that build, or just after it.

    watchfiles watches from a thread of its own: after the first batch this process runs
    threads, so builds started from here must not fork (pipeline.workers falls back to one
    process).
    """
    from watchfiles import watch as watch_files  # imported here: `build` never pays for it

    for batch in watch_files(*watched_folders(jobs), debounce=300, stop_event=stop, rust_timeout=1000,
                             yield_on_timeout=since is not None):
        touched = {Path(path).resolve() for _, path in batch}
        if since is not None:  # the watcher is listening now: compare with the state before it
            now = folder_state(jobs)
            touched |= {path for path in since.keys() | now.keys() if since.get(path) != now.get(path)}
            since = None
        affected = [job for job in jobs if any(job in _owner(p, jobs) for p in touched)]
        if affected:
            yield affected


def watch(jobs: list[Job], rebuild: Callable[[list[Job]], int]) -> int:
    """Watch the review folders and the themes until interrupted (Ctrl-C).

    Rebuilds render in workers of a forkserver started here, before the watcher's threads,
    with WeasyPrint already imported, side by side; and only the outputs an edit can change
    (pipeline.build.affected), still published all at once.
    """
    print(f"watching {', '.join(watched_folders(jobs))} (Ctrl-C to stop)", file=sys.stderr)
    try:
        with forkserver(), incremental(jobs):
            for affected in changes(jobs):
                rebuild(affected)
    except KeyboardInterrupt:
        pass
    return 0
