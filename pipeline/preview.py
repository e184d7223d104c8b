"""`python -m pipeline preview [REVIEW_DIR]`: a local page that reloads itself after each build.

It builds the review, serves `out/<name>/` on 127.0.0.1 only (an index of every
output, the HTML pages, the files to open or download), then rebuilds whenever
a file of the review or a theme is saved, through the same `run_job` as
`build`, so outputs are still written all at once. Each open page listens to
`/events` (server-sent events) and reloads after a rebuild. After a failed
build the HTML routes show the problem lines the terminal printed, and the
next good build brings the page back.

The reload script is added to HTML as it is served, never to the files on
disk: the outputs stay byte for byte what `build` writes.

Processes and threads: the first build runs before any thread starts, so it
may fork render workers like `build` (`--jobs`). From then on the HTTP server
and the file watcher run threads, and a process forked beside threads can
hang on a lock one of them held; rebuilds therefore render in the workers of a
forkserver started before those threads (`pipeline.workers.forkserver`), side
by side, and only the outputs an edit can change.

Ctrl-C while serving stops the server and the watcher, prints one line and
exits 0, like `watch`: stopping is how a preview ends. Ctrl-C during the first
build is an interrupted build, as with `build`: exit 130, outputs as they were.
"""

from __future__ import annotations

import argparse
import errno
import mimetypes
import signal
import sys
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.jobs import Job, JobResult, incremental, run_job
from pipeline.watch import changes, folder_state
from pipeline.workers import forkserver

HOST = "127.0.0.1"  # never another interface: the preview is for the author at this machine
KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, so proxies keep it open
EXIT_OK, EXIT_USAGE = 0, 2

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".md": "text/markdown; charset=utf-8",
    ".json": "application/json",
}
DOWNLOAD = {".pptx"}  # a browser cannot show these: offer them as downloads
WHAT = {
    "article.pdf": "the article (PDF)",
    "article.html": "the article (web page)",
    "slides.pptx": "the talk slides (PowerPoint)",
    "summary.md": "the plain-language summary (Markdown)",
    "summary.html": "the plain-language summary (web page)",
    "handout.pdf": "the audience handout (PDF)",
    "report.json": "checks, readability and timings (JSON)",
}


# --- what the pages show, shared between the build loop and the server's threads --------

@dataclass
class State:
    """The last build as the pages show it: its number and, if it failed, its problem lines."""

    review: str
    out_dir: Path
    generation: int = 0
    problems: list[str] = field(default_factory=list)
    failed: bool = False
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def built(self, result: JobResult) -> None:
        """Record a finished build and wake every event stream."""
        with self.changed:
            self.generation += 1
            self.failed = result.status != EXIT_OK
            self.problems = list(result.problems) if self.failed else []
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def snapshot(self) -> tuple[int, bool, list[str]]:
        with self.changed:
            return self.generation, self.failed, list(self.problems)


# --- pages -------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _templates():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(loader=PackageLoader("pipeline", "templates"), autoescape=True,
                       undefined=StrictUndefined)


def _render(name: str, **context) -> str:
    return _templates().get_template(name).render(**context)


def reload_script(generation: int) -> str:
    """The script that reloads a page after the build that follows `generation`."""
    from markupsafe import Markup

    return Markup(_render("preview-reload.html", generation=generation))


def with_reload(page: bytes, generation: int) -> bytes:
    """`page` with the reload script before its `</body>` (at its end if it has none)."""
    script = reload_script(generation).encode("utf-8")
    end = page.rfind(b"</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


def index_page(state: State) -> bytes:
    generation, failed, problems = state.snapshot()
    outputs = [{"name": path.name, "what": WHAT.get(path.name, ""), "size": _size(path.stat().st_size),
                "download": path.suffix in DOWNLOAD}
               for path in _outputs(state.out_dir)]
    return _render("preview-index.html", review=state.review, outputs=outputs, problems=problems,
                   generation=generation, reload=reload_script(generation)).encode("utf-8")


def error_page(state: State) -> bytes:
    generation, _, problems = state.snapshot()
    return _render("preview-error.html", review=state.review, problems=problems,
                   reload=reload_script(generation)).encode("utf-8")


def _outputs(out_dir: Path) -> list[Path]:
    if not out_dir.is_dir():
        return []
    return sorted(p for p in out_dir.iterdir() if p.is_file() and not p.name.startswith("."))


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} bytes"


# --- the server --------------------------------------------------------------------------

class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server that knows the preview's state."""

    daemon_threads = True  # an open event stream never keeps the process alive

    def __init__(self, port: int, state: State, verbose: bool = False) -> None:
        super().__init__((HOST, port), PreviewHandler)
        self.state, self.verbose = state, verbose

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


class PreviewHandler(BaseHTTPRequestHandler):
    """`/` the index, `/events` the reload stream, any other path a file of `out/<name>/`."""

    server: PreviewServer

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        url = urlsplit(self.path)
        if url.path == "/":
            self._send(200, index_page(self.server.state), CONTENT_TYPES[".html"])
        elif url.path == "/events":
            since = parse_qs(url.query).get("since", [""])[0]
            self._events(int(since) if since.isdigit() else None)
        else:
            self._file(unquote(url.path).lstrip("/"))

    def _file(self, name: str) -> None:
        state = self.server.state
        folder = state.out_dir.resolve()  # the build's current version, fixed for this request
        path = (folder / name).resolve()
        generation, failed, _ = state.snapshot()
        if failed and path.suffix == ".html":  # even before a first good build made the page
            self._send(200, error_page(state), CONTENT_TYPES[".html"])
            return
        if not name or not path.is_relative_to(folder) or not path.is_file():
            self._send(404, b"not found: this preview serves the outputs listed at /\n", "text/plain; charset=utf-8")
            return
        if path.suffix == ".html":
            self._send(200, with_reload(path.read_bytes(), generation), CONTENT_TYPES[".html"])
            return
        kind = CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        disposition = "attachment" if path.suffix in DOWNLOAD else "inline"
        self._send(200, path.read_bytes(), kind, {"Content-Disposition": f'{disposition}; filename="{path.name}"'})

    def _send(self, status: int, body: bytes, kind: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(body)),
                            "Cache-Control": "no-store", **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _events(self, since: int | None) -> None:
        """Server-sent events: `reload` after each good build, `error` (its problem lines) after a
        failed one. A client that says which build it shows (`since`) hears at once if it is old."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = state.snapshot()[0] if since is None else since
        try:
            while (message := self._next_event(state, seen)) is not None:
                seen, text = message
                self.wfile.write(text.encode("utf-8"))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the page went away
            pass

    @staticmethod
    def _next_event(state: State, seen: int) -> tuple[int, str] | None:
        """The next message after build `seen` (a keep-alive comment if none comes), None to stop."""
        with state.changed:
            state.changed.wait_for(lambda: state.generation != seen or state.stopping, timeout=KEEP_ALIVE)
            if state.stopping:
                return None
            if state.generation == seen:
                return seen, ": still here\n\n"
            lines = state.problems if state.failed else [str(state.generation)]
            data = "".join(f"data: {line}\n" for line in lines)
            return state.generation, f"event: {'error' if state.failed else 'reload'}\nid: {state.generation}\n{data}\n"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
        """Each request on stderr with --verbose only: the terminal is for build problems."""
        if self.server.verbose:
            print(format % args, file=sys.stderr, flush=True)


def serve(port: int, state: State, verbose: bool = False) -> PreviewServer:
    """A server on `port` of 127.0.0.1 (a free port if that one is taken), running in a thread."""
    try:
        server = PreviewServer(port, state, verbose)
    except OSError as error:
        if error.errno != errno.EADDRINUSE or port == 0:
            raise
        server = PreviewServer(0, state, verbose)
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server


# --- the command -------------------------------------------------------------------------

def run_preview(args: argparse.Namespace, jobs: list[Job], stop: threading.Event | None = None) -> int:
    """Build, serve, rebuild on save until Ctrl-C (or `stop`); the exit status."""
    if len(jobs) != 1:
        print(f"python -m pipeline preview: error: preview shows one review at a time; name one of: "
              f"{', '.join(str(job.review) for job in jobs)}", file=sys.stderr)
        return EXIT_USAGE
    job = jobs[0]
    state = State(job.review.resolve().name, job.out / job.review.resolve().name)
    before = folder_state([job])  # a save from here on is rebuilt, even before the watcher listens
    state.built(_report(run_job(replace(job, workers=args.jobs)), args.quiet))  # no thread yet: may fork
    renderers = forkserver()  # started before the server's and the watcher's threads (see above)
    renderers.__enter__()
    server = serve(args.port, state, args.verbose)
    if args.port not in (0, server.server_address[1]):
        print(f"port {args.port} is taken; using {server.server_address[1]}", file=sys.stderr)
    stop = stop or threading.Event()
    main = threading.current_thread() is threading.main_thread()  # only it may handle signals
    previous = signal.signal(signal.SIGINT, _stop_on_interrupt(stop)) if main else None
    print(f"serving {job.review} at {server.url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    try:
        with incremental([job]):
            _rebuild_on_save(replace(job, workers=1), state, args.quiet, stop, before)
    except KeyboardInterrupt:
        pass
    finally:
        if main:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up below is not interrupted
        state.stop()
        server.shutdown()
        server.server_close()
        renderers.__exit__(None, None, None)
        if main:
            signal.signal(signal.SIGINT, previous)
    print(f"stopped serving {server.url}; outputs are as the last good build left them", file=sys.stderr)
    return EXIT_OK


def _stop_on_interrupt(stop: threading.Event):
    """Ctrl-C while serving ends the watch at its next step (a rebuild under way finishes and is
    published whole); a second Ctrl-C interrupts at once."""
    def handler(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
    return handler


def _rebuild_on_save(job: Job, state: State, quiet: bool, stop: threading.Event | None,
                     since: dict[Path, tuple[int, int]]) -> None:
    for _ in changes([job], stop, since):
        state.built(_report(run_job(job), quiet))


def _report(result: JobResult, quiet: bool) -> JobResult:
    """Print a build's problems (and, unless quiet, its progress) as `build` does."""
    for line in result.problems:
        print(line, file=sys.stderr)
    if not quiet:
        for line in result.progress:
            print(line, file=sys.stderr)
    sys.stderr.flush()
    return result
