"""Random mutations of a review folder, run through `check` and `build` like a user would.

Each run copies the review, mutates review.yaml and the .bib with a seeded
random generator (so a failure is reproduced by its seed and run number),
then calls the command line in this process. A run fails when it raises
anything but SystemExit (a traceback), outlives its time budget (a hang),
prints a line that is not a diagnostic or a summary, or writes into the
output folder although it failed. `make fuzz` runs many; the suite a few hundred.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import random
import re
import shutil
import signal
from dataclasses import dataclass
from pathlib import Path

from pipeline import cli

# Text that tends to break YAML, Markdown, BibTeX, the citation parser and the renderers.
HOSTILE = [
    ": ", " #", "- ", "\t", "'", '"', "\\", "&a", "*a", "!!binary ", "!!python/object ", "{", "}", "[", "]",
    "[@", "@", "[@nosuch]", "[-@", "; @", "%", "<script>alert(1)</script>", "<img src=x onerror=1>", "{{ x }}",
    "{% raw %}", "\u202e", "\u0000", "\ud800", "😀", "\u00a0", "é", "ﬁ", "\r\n", "\n", "\n\n", "---\n", "...\n",
    "2024-02-30", "0000-01-01", "9" * 400, "~", "null", "yes", "&", "|", ">", "`", "**", "_", "](", "![x](",
    "http://example.invalid/", "file:///etc/passwd", "../../", "\\hyphen ", "{\\'e}", "$x$", "and", ",", "=",
    "@article{dup,", "}", "@comment{", "author = {", "x" * 3000,
]
LINE_PATTERN = re.compile(r"(?m)^.*$")
DIAGNOSTIC = re.compile(r"^\S.*:\d+:\d+: (error|warning): \S")
SUMMARY = re.compile(r"^(\S.*: \d+ errors?(; nothing was written)?|\S.*: ok \(.*\)|\d+ reviews: .*|.*: error: .*)$")


@dataclass
class Failure:
    """One run that broke a promise: what it was and how to see it again."""

    seed: int
    run: int
    command: str
    problem: str
    review: str

    def __str__(self) -> str:
        return f"seed {self.seed} run {self.run} ({self.command}): {self.problem}"


def mutate(text: str, rng: random.Random, count: int) -> str:
    """`text` after `count` random edits: insert, delete, duplicate, swap or re-indent."""
    for _ in range(count):
        kind = rng.randrange(6)
        at = rng.randrange(len(text) + 1) if text else 0
        if kind == 0:
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + rng.randrange(1, 40):]
        elif kind == 2:
            lines = text.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines.insert(rng.randrange(len(lines) + 1), lines[i])
            text = "".join(lines)
        elif kind == 3:
            lines = text.splitlines(keepends=True)
            if len(lines) > 1:
                i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
        elif kind == 4:
            lines = text.splitlines(keepends=True)
            if lines:
                i = rng.randrange(len(lines))
                lines[i] = " " * rng.choice((1, 2, 3, 5, 8)) + lines[i] if rng.random() < 0.5 else lines[i].lstrip()
            text = "".join(lines)
        else:
            text = text[:at] + chr(rng.choice((rng.randrange(32, 127), rng.randrange(0xA0, 0x3000)))) + text[at:]
    return text


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()} if folder.exists() else {}


def _run(argv: list[str], seconds: int) -> tuple[int | None, str, str]:
    """(exit status or None, stderr, problem) of one command run in this process."""
    stderr, stdout = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(stdout):
            status = cli.main(argv)
        return status, stderr.getvalue(), ""
    except SystemExit as done:
        return int(done.code or 0), stderr.getvalue(), ""
    except _Timeout:
        return None, stderr.getvalue(), f"still running after {seconds} s"
    except BaseException as error:  # noqa: BLE001 - a traceback is what we are looking for
        return None, stderr.getvalue(), f"traceback: {type(error).__name__}: {str(error)[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _unexpected_line(stderr: str) -> str:
    for line in stderr.splitlines():
        if line.strip() and not DIAGNOSTIC.match(line) and not SUMMARY.match(line):
            return f"not a diagnostic line: {line[:200]!r}"
    return ""


def fuzz_once(original: Path, work: Path, seed: int, run: int, outputs: str, seconds: int = 30) -> Failure | None:
    """Mutate a copy of `original`, then check and build it; the first broken promise, if any."""
    rng = random.Random(f"{seed}:{run}")
    review = work / original.name
    shutil.rmtree(review, ignore_errors=True)
    shutil.copytree(original, review)
    for name in ("review.yaml", "references.bib"):
        path = review / name
        if path.is_file() and rng.random() < (0.8 if name == "review.yaml" else 0.4):
            path.write_text(mutate(path.read_text(encoding="utf-8"), rng, rng.randrange(1, 6)),
                            encoding="utf-8", errors="surrogatepass")
    out = work / "out"
    for command in (["check"], ["build", "--out", str(out), "--only", outputs]):
        before = _snapshot(out)
        status, stderr, problem = _run([command[0], "-q", "-j", "1", *command[1:], str(review)], seconds)
        problem = problem or _unexpected_line(stderr)
        if not problem and status not in (0, 1):
            problem = f"exit status {status}"
        if not problem and command[0] == "build" and status != 0 and _snapshot(out) != before:
            problem = "a failed build changed the output folder"
        if problem:
            return Failure(seed, run, command[0], problem, (review / "review.yaml").read_text(errors="replace"))
        if status != 0:
            break
    return None
