"""Live progress of a long build: a bar on a terminal, a line per finished output otherwise,
nothing with --quiet or for a quick build; never a change to the outputs."""

from __future__ import annotations

import io
import re
import signal
import time
from pathlib import Path

import pytest

from conftest import GOOD
from pipeline import jobs
from pipeline.jobs import Job, Progress, progress_mode, run_job

REVIEW = GOOD + """\
lay_summary:
  title: In short
  key_messages: [Things were studied., Some worked., More work is needed.]
  sections:
    - heading: What we found
      text: Things work.
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_mode_bar_on_a_terminal_lines_otherwise_none_when_quiet(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    assert progress_mode(False, 1, Terminal()) == "bar"
    assert progress_mode(False, 2, Terminal()) == "lines"  # two bars would draw over each other
    assert progress_mode(False, 1, io.StringIO()) == "lines"
    assert progress_mode(True, 1, Terminal()) == progress_mode(True, 1, io.StringIO()) == ""
    monkeypatch.setenv("TERM", "dumb")
    assert progress_mode(False, 1, Terminal()) == "lines"


def test_a_line_per_finished_output_once_the_delay_is_over(capfd):
    progress = Progress(Path("r"), ["pdf", "html", "summary"], bar=False, delay=0.2)
    progress.finished("html", 0.1)  # early: kept for later
    assert capfd.readouterr().err == ""
    time.sleep(0.25)
    progress.finished("pdf", 0.3)
    progress.finished("pdf", 0.3)  # announced once only
    progress.close()
    lines = capfd.readouterr().err.splitlines()
    assert [re.sub(r", [\d.]+ s\)", ")", line) for line in lines] == ["r: pdf done (1 of 3)", "r: html done (2 of 3)"]


def test_a_bar_redrawn_in_place_then_cleared(capfd):
    progress = Progress(Path("r"), ["pdf", "html"], bar=True, delay=0)
    progress.finished("html", 0.1)
    progress.close()
    err = capfd.readouterr().err
    assert err.startswith("\rr: [##########..........] 1/2 outputs, ") and "\n" not in err
    assert err.endswith("\r\033[K")


def test_a_quick_build_shows_nothing(capfd):
    progress = Progress(Path("r"), ["html"], bar=True)
    progress.finished("html", 0.1)
    progress.close()
    assert capfd.readouterr().err == ""


def test_the_bar_moves_while_nothing_finishes_and_the_timer_is_given_back(make_review, capfd, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_TICK", 0.05)
    handler = signal.getsignal(signal.SIGALRM)
    progress = Progress(Path("r"), ["pdf"], bar=True, delay=0.05)
    with jobs._ticking(progress):
        deadline = time.monotonic() + 0.5
        while time.monotonic() < deadline:  # busy, as a renderer is
            sum(range(1000))
    progress.close()
    assert capfd.readouterr().err.count("0/1 outputs") >= 3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) == handler


def test_a_callers_own_alarm_is_left_alone(capfd):
    handler = signal.signal(signal.SIGALRM, lambda *_: None)
    signal.setitimer(signal.ITIMER_REAL, 60)
    try:
        with jobs._ticking(Progress(Path("r"), ["pdf"], bar=True, delay=0)):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 50
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)


@pytest.mark.parametrize("mode", ["lines", ""])
def test_outputs_finished_in_a_forked_worker_are_announced_and_the_bytes_do_not_change(make_review, tmp_path,
                                                                                      capfd, monkeypatch, mode):
    monkeypatch.setattr(jobs, "PROGRESS_DELAY", 0)
    review = make_review(REVIEW)
    plain = run_job(Job("build", review, out=tmp_path / "plain", only=("html", "summary"), workers=1))
    shown = run_job(Job("build", review, out=tmp_path / "shown", only=("html", "summary"), workers=2,
                        progress=mode))
    assert plain.status == shown.status == 0
    err = capfd.readouterr().err
    if mode:  # one of the two rendered in a forked worker; each is announced once
        assert sorted(re.sub(r" done .*", "", line) for line in err.splitlines()) == ["r: html", "r: summary"]
    else:  # --quiet
        assert err == ""
    for name in ("article.html", "summary.html", "summary.md"):
        assert (tmp_path / "plain" / "r" / name).read_bytes() == (tmp_path / "shown" / "r" / name).read_bytes()
