"""`python -m pipeline watch`: rebuild a review whenever one of its files is saved.

For the author at the desk. Input errors are printed and the watch goes on;
the last good outputs stay in place until the next good build replaces them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from watchfiles import watch as watch_files

from pipeline.jobs import Job
from pipeline.themes import theme_dirs


def _owner(path: Path, jobs: list[Job]) -> list[Job]:
    """The jobs a changed file affects: its review's, or all of them for a theme file."""
    if any(path.is_relative_to(folder) for folder in theme_dirs()):
        return jobs
    return [job for job in jobs if path.is_relative_to(job.review.resolve())]


def watch(jobs: list[Job], rebuild: Callable[[list[Job]], int]) -> int:
    """Watch the review folders and the themes until interrupted (Ctrl-C)."""
    folders = [str(job.review) for job in jobs] + [str(folder) for folder in theme_dirs()]
    print(f"watching {', '.join(folders)} (Ctrl-C to stop)", file=sys.stderr)
    try:
        for changes in watch_files(*folders, debounce=300):
            touched = {Path(path).resolve() for _, path in changes}
            affected = [job for job in jobs if any(job in _owner(p, jobs) for p in touched)]
            if affected:
                rebuild(affected)
    except KeyboardInterrupt:
        pass
    return 0
