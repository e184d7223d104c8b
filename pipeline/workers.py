"""Rendering the outputs of one review side by side, on more than one core.

With more than one worker, `check_and_render` forks a worker at once that
loads and checks the review while this process imports WeasyPrint (each takes
about half a second); the worker sends the Document here and goes on to the
outputs that need no WeasyPrint (slides, HTML, summary). This process then
renders the PDFs, forking one more worker for the handout when there are
two (so with two workers, three processes share the cores for a moment: the
first worker is usually done with its light outputs by then). The Document is loaded once and WeasyPrint imported once: a forked
worker starts with everything its parent had (copy-on-write memory, nothing
re-imported or re-parsed), renders its share and sends the results back
through a pipe. With one worker (`--jobs 1`) nothing is forked, and nothing
is forked either once this process runs other threads (a file watcher, a
preview server): a child forked then holds copies of locks those threads may
have held at that instant, and can wait on them forever.

Each output, in whichever process renders it, is announced as it finishes to
the listener set with `listening` (live progress); a forked worker calls the
copy it inherited, so the listener must work across processes.

`watch` and `preview` run threads, so they render through a forkserver instead
(`pipeline.forkserver`), started before their first thread: `_served` gives it a share per
core, or a worker per heavy output.

Workers only return bytes; writing stays with the build step, so the build is
still all or nothing. An error in a worker (say, an input error) is raised
again here, as if it had happened in this process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from typing import TYPE_CHECKING

from pipeline.cache import warm_hyphenation
from pipeline.diagnostics import InputError
from pipeline.forkserver import Forkserver, theme_state
from pipeline.model import Document
from pipeline.render import OUTPUTS, Rendered, Settings
from pipeline.themes import Theme

if TYPE_CHECKING:
    from pipeline.build import Checked

# Seconds each output usually takes, relative to the others (measured on the bundled review
# and at 50x its size; see `make bench`). Only the order and rough ratios matter.
COST = {"pdf": 3.0, "slides": 1.6, "handout": 1.4, "html": 0.3, "summary": 0.2}
NEEDS_WEASYPRINT = {"pdf", "handout"}

Timed = dict[str, tuple[Rendered, float]]
Check = Callable[[], "Checked"]  # pipeline.build.Checked: the document, its diagnostics, report entries
Listener = Callable[[str, float], None]  # (output name, seconds it took), called as it finishes

_listener: Listener | None = None
_server: "Forkserver | None" = None


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """Call `listener` as each output finishes, in this process or in a worker forked meanwhile."""
    global _listener
    saved, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = saved


def _may_fork() -> bool:
    """Forking is safe only while this process runs a single thread (see the module's docstring)."""
    return hasattr(os, "fork") and threading.active_count() == 1


def check_and_render(check: Check, theme_of: Callable[[Checked], Theme], settings: Settings,
                     names: Iterable[str], workers: int = 1) -> tuple[Checked, Timed]:
    """Run `check` (load and check the review), then render `names`, on up to `workers` processes.

    Raises what `check` or a renderer raised, once every worker has finished.
    """
    names = list(names)
    heavy = [name for name in names if name in NEEDS_WEASYPRINT]
    if workers < 2 or not heavy or not _may_fork() or _server is not None:
        checked = check()
        return checked, render_outputs(checked.document, theme_of(checked), settings, names, workers)
    light = [name for name in names if name not in NEEDS_WEASYPRINT]
    read, write = os.pipe()

    def load_then_render_light() -> Timed:
        try:
            checked = check()
            _send(write, checked)
        finally:
            os.close(write)
        return render_outputs(checked.document, theme_of(checked), settings, light)

    collect_light = _fork(load_then_render_light)
    os.close(write)
    loaded: list[Checked] = []

    def receive_then_render_heavy() -> Timed:
        with os.fdopen(read, "rb") as stream:  # closed come what may, so the worker never waits on it
            importlib.import_module("pipeline.render.pdf")  # the one WeasyPrint import, while it loads
            data = stream.read()
        if not data:  # the check failed; the worker's own error, raised below, says why
            raise _NoResult("the worker loading the review stopped without a result")
        loaded.append(pickle.loads(data))
        checked = loaded[0]
        return render_outputs(checked.document, theme_of(checked), settings, heavy, workers)

    here = _outcome(receive_then_render_heavy)
    results = _merged([here, _outcome(collect_light)])
    return loaded[0], {name: results[name] for name in names}


def render_outputs(document: Document, theme: Theme, settings: Settings, names: Iterable[str],
                   workers: int = 1) -> Timed:
    """{output name: (what it rendered, seconds)} for each name, on up to `workers` processes."""
    names = list(names)
    if _server is not None and names:
        return _served(document, theme, settings, names)
    shares = share_out(names, workers if _may_fork() else 1)

    def render(share: list[str]) -> Timed:
        return {name: _timed(name, document, theme, settings) for name in share}

    if NEEDS_WEASYPRINT.intersection(names):
        warm_hyphenation(document.lang)  # the parsed dictionary from the cache, before WeasyPrint parses it
        if len(shares) > 1:
            importlib.import_module("pipeline.render.pdf")  # once, here, so no worker imports it again
            _measure_chart_fonts(document, theme)
    running = [_fork(lambda share=share: render(share)) for share in shares[1:]]
    here = _outcome(lambda: render(shares[0]) if shares else {})
    results = _merged([here] + [_outcome(collect) for collect in running])  # every worker is waited for
    return {name: results[name] for name in names}


def _measure_chart_fonts(document: Document, theme: Theme) -> None:
    """Draw the evidence chart once before forking: the article and the handout both draw it,
    and the first drawing in a process reads the theme's font files for their widths (about
    0.2 s); forked workers inherit what was read."""
    from pipeline.render.html import evidence_figure

    evidence_figure(document, theme, for_print=True)


def share_out(names: list[str], workers: int) -> list[list[str]]:
    """The outputs split into at most `workers` shares of about equal cost, heaviest share first.

    Longest job first onto the least loaded share: the classic greedy schedule.
    """
    shares: list[list[str]] = [[] for _ in range(max(1, min(workers, len(names))))]
    loads = [0.0] * len(shares)
    for name in sorted(names, key=lambda n: -COST.get(n, 1.0)):
        lightest = loads.index(min(loads))
        shares[lightest].append(name)
        loads[lightest] += COST.get(name, 1.0)
    return [share for _, share in sorted(zip(loads, shares), key=lambda pair: -pair[0]) if share]


def _outcome(work: Callable[[], Timed]) -> tuple[bool, Timed | BaseException]:
    try:
        return True, work()
    except BaseException as error:  # noqa: BLE001 - raised again once the workers are collected
        return False, error


class _NoResult(RuntimeError):
    """This process got nothing to render from a worker; the worker's own error says why."""


def _merged(outcomes: list[tuple[bool, Timed | BaseException]]) -> Timed:
    """The results of every outcome; else the error that explains the failure best: an interrupt
    (Ctrl-C), else an input error (the user's to fix), else the first that is not merely the
    echo of a worker's failure."""
    errors = [value for ok, value in outcomes if not ok]
    for kind in (KeyboardInterrupt, InputError, Exception):
        for error in errors:
            if isinstance(error, kind) and not isinstance(error, _NoResult):
                raise error
    if errors:
        raise errors[0]
    return {name: result for _, value in outcomes for name, result in value.items()}


def _send(fd: int, value: object) -> None:
    data = pickle.dumps(value)
    while data:
        data = data[os.write(fd, data):]


def _timed(name: str, document: Document, theme: Theme, settings: Settings) -> tuple[Rendered, float]:
    started = time.perf_counter()
    rendered = OUTPUTS[name].render(document, theme, settings)
    seconds = time.perf_counter() - started
    if _listener is not None:
        _listener(name, seconds)
    return rendered, seconds


def _fork(work: Callable[[], Timed]) -> Callable[[], Timed]:
    """Run `work` in a forked child; the returned function waits for it and gives its result."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the worker: do the work, send it back, never return into the caller's code
        status = 1
        try:
            os.close(read)
            ok, value = _outcome(work)
            try:
                payload = pickle.dumps((True, value)) if ok else _failure(value)
            except Exception as error:  # noqa: BLE001 - a result that cannot travel is a failure
                ok, payload = False, _failure(error)
            with os.fdopen(write, "wb") as stream:
                stream.write(payload)
            status = 0 if ok else 1
        finally:
            os._exit(status)
    os.close(write)

    def collect() -> Timed:
        try:
            with os.fdopen(read, "rb") as stream:
                data = stream.read()
        except BaseException:  # interrupted while waiting (Ctrl-C): leave no worker behind
            _stop(pid)
            raise
        _, status = os.waitpid(pid, 0)
        if not data:
            raise RuntimeError(f"a render worker died (exit status {os.waitstatus_to_exitcode(status)})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    return collect


def _stop(pid: int) -> None:
    """End a worker and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)


def _failure(error: BaseException) -> bytes:
    """The error itself when it can travel (input errors can), else its traceback as text.

    A travelling error carries the worker's traceback as a note, shown under the one the
    parent prints, so a bug is as easy to find as in one process.
    """
    if error.__traceback__ is not None and not isinstance(error, (InputError, KeyboardInterrupt)):
        error.add_note("raised in a worker process:\n" + "".join(traceback.format_tb(error.__traceback__)).rstrip())
    try:
        return pickle.dumps((False, error))
    except Exception:  # noqa: BLE001 - an unpicklable error still has a message
        text = "".join(traceback.format_exception(error))
        return pickle.dumps((False, RuntimeError(f"in a render worker:\n{text}")))


# --- rendering through a forkserver (watch, preview): see pipeline.forkserver ---------------

@contextmanager
def forkserver() -> Iterator[Forkserver]:
    """Render through a forkserver started now (before any thread) until the block ends."""
    global _server
    server, saved = Forkserver(), _server
    _server = server
    try:
        yield server
    finally:
        _server = saved
        server.close()


HEAVY = 1.0  # the cost from which an output gets a worker of its own under the forkserver


def _served(document: Document, theme: Theme, settings: Settings, names: list[str]) -> Timed:
    """Render `names` in forkserver workers side by side: a share per core, or a worker per heavy
    output when there are more of those than cores.

    An edit publishes once every output is rendered, so what counts is when the last worker
    ends. Two cores and three heavy outputs in two shares leave one core idle while the longer
    share finishes; three workers share both cores to the end.
    """
    server, cores = _server, max(2, os.cpu_count() or 1)
    shares = share_out(names, max(cores, sum(COST.get(name, 1.0) >= HEAVY for name in names)))
    state = theme_state(theme)
    running = [server.submit(document, theme, settings, share, state) for share in shares]
    results = _merged([_outcome(collect) for collect in running])
    if _listener is not None:
        for name in names:
            _listener(name, results[name][1])
    return {name: results[name] for name in names}
