"""A forkserver: render workers for a process that runs threads (`watch`, `preview`).

The server is forked before any thread starts; it imports WeasyPrint and the renderers once,
reads what every worker would read again (see `_warm`), then forks a fresh worker for each
share of outputs it is sent. `pipeline.workers` decides the shares and collects the results.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import pickle
import signal
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cache import warm_hyphenation
from pipeline.model import Document
from pipeline.render import Settings
from pipeline.themes import Theme

if TYPE_CHECKING:
    from pipeline.workers import Timed


class Forkserver:
    """A process forked before any thread starts that imports WeasyPrint and the renderers once,
    then forks a fresh worker for each share of outputs it is sent. The workers start warm
    (nothing imported again; the hyphenation dictionary, the slide design and its fonts' widths
    read once, by the server: see `_warm`) and clean (no cache of an earlier render, and a
    design read again once its theme's files change: a theme edit shows), and this process
    may run threads meanwhile: it never forks again itself.
    """

    def __init__(self) -> None:
        here, there = _message_pair()
        self.pid = os.fork()
        if self.pid == 0:
            status = 0
            try:
                here.close()
                _serve(there)
            except BaseException:  # noqa: BLE001 - the forkserver never returns into the caller's code
                status = 1
            finally:
                os._exit(status)
        there.close()
        self.socket = here

    def submit(self, document: Document, theme: Theme, settings: Settings, share: list[str],
               state: str = "") -> Callable[[], "Timed"]:
        """Render `share` in a worker forked by the server; the returned function waits for its result.

        `state` (`theme_state`) tells the server whether what it read of the theme is current.
        """
        mine, theirs = socket.socketpair()
        try:
            warm = pickle.dumps((document.lang, theme, state))
            socket.send_fds(self.socket, [warm], [theirs.fileno()])
        finally:
            theirs.close()
        with mine.makefile("wb") as stream:
            stream.write(pickle.dumps((document, theme, settings, share)))
        mine.shutdown(socket.SHUT_WR)

        def collect() -> "Timed":
            with mine, mine.makefile("rb") as stream:
                data = stream.read()
            if not data:
                raise RuntimeError("a render worker died")
            ok, value = pickle.loads(data)
            if not ok:
                raise value
            return value

        return collect

    def close(self) -> None:
        self.socket.close()  # the server sees the end of its socket and exits
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _message_pair() -> tuple[socket.socket, socket.socket]:
    """Connected sockets that keep each submit's message whole (SOCK_SEQPACKET); where the
    system has none (macOS), a stream: a message starts where its descriptor is attached, and
    one this small (a few hundred bytes) is sent and received in one piece."""
    try:
        return socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    except (AttributeError, OSError):
        return socket.socketpair()


def _serve(control: socket.socket) -> None:
    """The forkserver's loop: a worker per socket received, until the control socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # finished workers are reaped by the kernel
    for module in ("pdf", "handout", "html", "slides", "summary"):
        importlib.import_module(f"pipeline.render.{module}")
    warmed: dict[Path, str] = {}
    while True:
        message, fds, _, _ = socket.recv_fds(control, 65536, 1)
        if not message or not fds:
            return
        _warm(message, warmed)
        if os.fork() == 0:
            control.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _work(socket.socket(fileno=fds[0]))
        os.close(fds[0])


def theme_state(theme: Theme) -> str:
    """A hash of the files a theme's slide design and fonts are read from: its folder and the
    default theme's (which fills in what it leaves out)."""
    from pipeline.cache import digest_files
    from pipeline.themes import THEMES_DIR

    digest = hashlib.sha256()
    for folder in dict.fromkeys((theme.path.resolve(), (THEMES_DIR / "default").resolve())):
        digest_files(digest, str(folder), folder)
    return digest.hexdigest()


def _warm(message: bytes, warmed: dict[Path, str]) -> None:
    """Read once, in the forkserver, what every worker would otherwise read again: the
    hyphenation dictionary of the review's language (package data, never edited) and the
    theme's slide design with its fonts' widths (the chart and the slides measure text with
    them: about 0.2 s). A theme whose files changed since (`warmed` holds the state each was
    read in) is read afresh: the designs and fonts read before are dropped first, so a
    worker never sees an old one.
    """
    try:
        lang, theme, state = pickle.loads(message)
        warm_hyphenation(lang)
        if warmed.get(theme.path) != state:
            if warmed:
                _forget_designs()
                warmed.clear()
            from pipeline.render.slides.design import load_design

            load_design(theme)
            warmed[theme.path] = state
    except Exception:  # noqa: BLE001 - only a speed-up: the worker meets (and reports) any problem itself
        _forget_designs()
        warmed.clear()


def _forget_designs() -> None:
    """Drop the slide designs and font widths read so far (they are cached by path, not content)."""
    from pipeline.render import chart_svg
    from pipeline.render.slides import design, metrics

    for cached in (design._load, metrics._font_file, chart_svg.css_family, chart_svg.default_font):
        cached.cache_clear()


def _work(channel: socket.socket) -> None:
    """A forkserver's worker: read a share, render it, send the result back, exit."""
    status = 1
    try:
        from pipeline.workers import _failure, _outcome, render_outputs  # the worker's work is theirs

        with channel.makefile("rb") as stream:
            document, theme, settings, share = pickle.loads(stream.read())
        ok, value = _outcome(lambda: render_outputs(document, theme, settings, share))
        try:
            payload = pickle.dumps((True, value)) if ok else _failure(value)
        except Exception as error:  # noqa: BLE001 - a result that cannot travel is a failure
            ok, payload = False, _failure(error)
        with channel, channel.makefile("wb") as stream:
            stream.write(payload)
        status = 0 if ok else 1
    finally:
        os._exit(status)
