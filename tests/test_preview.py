"""preview: a running server, asked with a real HTTP client (and once by a real headless browser).

Each test starts `python -m pipeline preview` on a free port against a tiny review, edits the
review, and watches the server's pages and event stream change; Ctrl-C ends it.
"""

from __future__ import annotations

import errno
import html
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import GOOD, ROOT

WAIT = 60.0  # seconds any one step may take on a busy machine
REVIEW = GOOD + """\
lay_summary:
  title: In short
  key_messages:
    - Things were studied.
    - Some worked.
    - More work is needed.
  sections:
    - heading: What we found
      text: Things work.
"""
BROKEN = REVIEW.replace("A paragraph.", "A paragraph [@x<script>y].")
BROKEN_LINE = "r/review.yaml:8:22: error: unknown citation key 'x<script>y' " \
              "(no such key in the bibliography)"


class Preview:
    """A `preview` process, its address, and the lines it printed (read as they come)."""

    def __init__(self, cwd: Path, *args: str) -> None:
        env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(cwd)}
        self.process = subprocess.Popen([sys.executable, "-m", "pipeline", "preview", *args], cwd=cwd, env=env,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self.arrived = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        serving = self.wait_for(r"^serving r at (http://\S+) \(Ctrl-C to stop\)$")
        self.url = re.match(r"^serving r at (\S+)", serving).group(1)
        self.port = urlsplit(self.url).port

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.arrived:
                self.lines.append(line.rstrip("\n"))
                self.arrived.notify_all()
        with self.arrived:
            self.lines.append("<exit>")
            self.arrived.notify_all()

    def wait_for(self, pattern: str, after: int = 0) -> str:
        """The first line from index `after` on that matches `pattern`, waiting for it."""
        def found() -> str | None:
            return next((line for line in self.lines[after:] if re.search(pattern, line)), None)

        with self.arrived:
            assert self.arrived.wait_for(lambda: found() or "<exit>" in self.lines, timeout=WAIT), \
                f"no line matching {pattern!r}:\n" + "\n".join(self.lines)
            assert found(), f"exited without {pattern!r}:\n" + "\n".join(self.lines)
            return found()

    def get(self, path: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT)
        connection.request("GET", path)
        return connection.getresponse()

    def page(self, path: str) -> str:
        response = self.get(path)
        assert response.status == 200, path
        return response.read().decode("utf-8")

    def stop(self) -> tuple[int, list[str]]:
        """Ctrl-C, as a terminal sends it; the exit status and every line printed."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        status = self.process.wait(timeout=WAIT)
        self.wait_for("<exit>")
        return status, self.lines[:-1]


class Events:
    """The `/events` stream, read one server-sent event at a time."""

    def __init__(self, preview: Preview, since: int) -> None:
        self.response = preview.get(f"/events?since={since}")
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"

    def next(self) -> tuple[str, list[str]]:
        """(event name, its data lines), skipping keep-alive comments."""
        name, data, deadline = "message", [], time.monotonic() + WAIT
        while time.monotonic() < deadline:
            line = self.response.fp.readline().decode("utf-8").rstrip("\n")
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data.append(line[len("data: "):])
            elif not line and data:
                return name, data
        raise AssertionError(f"no event within {WAIT} s")


def problems(page: str) -> list[str]:
    """The problem lines a page shows, as text."""
    return html.unescape(re.search(r'<pre id="problems">(.*?)</pre>', page, re.S).group(1)).splitlines()


@pytest.fixture
def preview(make_review, tmp_path):
    make_review(REVIEW)
    started = Preview(tmp_path, "--port", "0", "--only", "html,summary", "--out", "out", "r")
    yield started
    if started.process.poll() is None:
        started.process.kill()
        started.process.wait()


def test_serves_the_index_and_the_pages_with_a_reload_script_the_files_lack(preview, tmp_path):
    index = preview.page("/")
    for name in ("article.html", "summary.html", "summary.md", "report.json"):
        assert f'href="/{name}"' in index
    on_disk = (tmp_path / "out" / "r" / "article.html").read_bytes()
    served = preview.page("/article.html").encode("utf-8")
    assert b"new EventSource" in served and b"EventSource" not in on_disk
    script = re.search(rb'\n?<script data-preview-generation="1">.*?</script>\n?', served, re.S).group(0)
    assert served.replace(script, b"") == on_disk  # only the script was added, at serve time
    assert "new EventSource" in preview.page("/summary.html")
    markdown = preview.get("/summary.md")
    assert markdown.getheader("Content-Type") == "text/markdown; charset=utf-8"
    assert markdown.read() == (tmp_path / "out" / "r" / "summary.md").read_bytes()


def test_serves_nothing_outside_the_outputs(preview):
    for path in ("/../r/review.yaml", "/%2e%2e/r/review.yaml", "/slides.pptx", "/nothing"):
        response = preview.get(path)
        assert response.status == 404, path
        response.read()


def test_listens_on_127_0_0_1_only(preview):
    with socket.socket() as other:  # another loopback address reaches a server bound to all of them
        assert other.connect_ex(("127.0.0.2", preview.port)) == errno.ECONNREFUSED
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:  # this machine's outward address, if any
        try:
            probe.connect(("192.0.2.1", 9))
            outward = probe.getsockname()[0]
        except OSError:
            outward = None
    if outward and not outward.startswith("127."):
        with socket.socket() as other:
            other.settimeout(5)
            assert other.connect_ex((outward, preview.port)) != 0


def test_a_save_rebuilds_and_sends_reload(preview, tmp_path):
    events = Events(preview, since=1)
    (tmp_path / "r" / "review.yaml").write_text(REVIEW.replace("title: T", "title: A new title"), encoding="utf-8")
    assert events.next() == ("reload", ["2"])
    assert "A new title" in preview.page("/article.html")
    assert 'data-preview-generation="2"' in preview.page("/article.html")


def test_a_client_that_shows_an_old_build_hears_at_once(preview):
    assert Events(preview, since=0).next() == ("reload", ["1"])


def test_an_input_error_replaces_the_pages_escaped_and_the_page_recovers(preview, tmp_path):
    review = tmp_path / "r" / "review.yaml"
    events = Events(preview, since=1)
    review.write_text(BROKEN, encoding="utf-8")
    name, data = events.next()
    assert name == "error" and data == [BROKEN_LINE, "r: 1 error; nothing was written"]
    preview.wait_for("^r: 1 error; nothing was written$")
    assert BROKEN_LINE in preview.lines  # the terminal printed the same lines
    for path in ("/article.html", "/summary.html"):
        page = preview.page(path)
        assert "x<script>y" not in page and "x&lt;script&gt;y" in page and "new EventSource" in page
        assert problems(page) == [BROKEN_LINE, "r: 1 error; nothing was written"]
    assert problems(preview.page("/")) == [BROKEN_LINE, "r: 1 error; nothing was written"]
    review.write_text(REVIEW.replace("A paragraph.", "A fixed paragraph."), encoding="utf-8")
    assert events.next() == ("reload", ["3"])
    assert "A fixed paragraph." in preview.page("/article.html")
    assert "unknown citation key" not in preview.page("/")


def test_ctrl_c_stops_the_server_and_exits_0(preview):
    status, lines = preview.stop()
    assert status == 0 and "Traceback" not in "\n".join(lines)
    assert lines[-1] == f"stopped serving {preview.url}; outputs are as the last good build left them"
    with socket.socket() as late:
        assert late.connect_ex(("127.0.0.1", preview.port)) == errno.ECONNREFUSED


def test_a_port_in_use_falls_back_to_a_free_one(make_review, tmp_path):
    make_review(REVIEW)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = Preview(tmp_path, "--port", str(port), "--only", "summary", "--out", "out", "r")
        try:
            assert f"port {port} is taken; using {started.port}" in started.lines and started.port != port
            assert "summary.md" in started.page("/")
        finally:
            assert started.stop()[0] == 0


# --- once in a real browser ---------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None,
                    reason="Chromium not installed: `make test` installs it as root, or `apt-get install chromium`")
def test_a_real_browser_reloads_after_a_save_and_shows_the_error_page(make_review, tmp_path):
    """Headless Chromium opens the article; the server's request log (--verbose) shows the page
    load, its event stream, and after each save the browser fetching the page again by itself."""
    make_review(REVIEW)
    served = Preview(tmp_path, "--port", "0", "--only", "html", "--out", "out", "--verbose", "r")
    profile = tempfile.mkdtemp(dir=tmp_path)
    browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--remote-debugging-port=0", f"--user-data-dir={profile}",
                                served.url + "article.html"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        served.wait_for(r'"GET /events\?since=1 HTTP')
        review = tmp_path / "r" / "review.yaml"
        for generation, text in ((2, BROKEN), (3, REVIEW.replace("title: T", "title: Back again"))):
            mark = len(served.lines)
            review.write_text(text, encoding="utf-8")
            served.wait_for(r'"GET /article.html HTTP', after=mark)  # the browser reloaded by itself
            served.wait_for(rf'"GET /events\?since={generation} HTTP', after=mark)  # and runs the new page's script
    finally:
        os.killpg(browser.pid, signal.SIGKILL)
        browser.wait()
        status, lines = served.stop()
    assert status == 0
