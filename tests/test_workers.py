"""Outputs rendered side by side in forked workers: same bytes, same errors, nothing lost."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUNDLED, GOOD, ROOT
from pipeline import workers
from pipeline.build import check_review
from pipeline.diagnostics import Diagnostic, InputError, Location
from pipeline.render import OUTPUTS, Output, Rendered, Settings
from pipeline.themes import load_theme

ALL = list(OUTPUTS)


def test_share_out_balances_by_cost_heaviest_first():
    shares = workers.share_out(ALL, 2)
    assert sorted(name for share in shares for name in share) == sorted(ALL)
    assert shares[0][0] == "pdf" and "pdf" not in shares[1]
    assert {"slides", "handout"} <= set(shares[1])
    assert workers.share_out(ALL, 1) == [sorted(ALL, key=lambda n: -workers.COST[n])]
    assert len(workers.share_out(["pdf", "html"], 8)) == 2
    assert workers.share_out([], 4) == []


def test_input_errors_travel_whole():
    error = InputError([Diagnostic("error", "bad", Location("r/review.yaml", 3, 4))])
    again = pickle.loads(pickle.dumps(error))
    assert again.diagnostics == error.diagnostics and str(again) == "r/review.yaml:3:4: error: bad"


@pytest.fixture
def tiny(make_review):
    document, _ = check_review(make_review(GOOD))
    return document, load_theme(document.theme)


def fake(monkeypatch, name: str, render) -> None:
    monkeypatch.setitem(OUTPUTS, name, Output(name, (f"{name}.txt",), render))
    monkeypatch.setitem(workers.COST, name, 0.1)  # lighter than the summary: it goes to the worker


def test_worker_results_come_back_in_the_order_asked(tiny, monkeypatch):
    fake(monkeypatch, "pid", lambda d, t, s: Rendered({"pid.txt": str(os.getpid()).encode()}))
    results = workers.render_outputs(*tiny, Settings(), ["pid", "summary"], workers=2)
    assert list(results) == ["pid", "summary"]
    assert results["pid"][0].files["pid.txt"] != str(os.getpid()).encode()  # it ran in a worker


def test_input_error_in_a_worker_is_raised_here(tiny, monkeypatch):
    def refuse(document, theme, settings):
        raise InputError([Diagnostic("error", "refused to read 'x'", Location("r/review.yaml", 2, 3))])

    fake(monkeypatch, "refuse", refuse)
    with pytest.raises(InputError) as raised:
        workers.render_outputs(*tiny, Settings(), ["summary", "refuse"], workers=2)
    assert str(raised.value) == "r/review.yaml:2:3: error: refused to read 'x'"


def test_crash_in_a_worker_keeps_its_traceback(tiny, monkeypatch):
    class Unpicklable(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def crash(document, theme, settings):
        raise Unpicklable("renderer bug")

    fake(monkeypatch, "crash", crash)
    with pytest.raises(RuntimeError, match="(?s)in a render worker.*renderer bug"):
        workers.render_outputs(*tiny, Settings(), ["summary", "crash"], workers=2)


def test_worker_that_dies_is_reported(tiny, monkeypatch):
    fake(monkeypatch, "die", lambda d, t, s: os._exit(3))
    with pytest.raises(RuntimeError, match=r"died \(exit status 3\)"):
        workers.render_outputs(*tiny, Settings(), ["summary", "die"], workers=2)


def build(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "pipeline", "build", *args], capture_output=True,
                          text=True, cwd=cwd, env=env)


def test_one_process_and_two_give_the_same_bytes(tmp_path):
    for jobs in ("1", "2"):
        assert build("--jobs", jobs, "--quiet", "--out", jobs, str(BUNDLED), cwd=tmp_path).returncode == 0
    one, two = ({p.name: p.read_bytes() for p in (tmp_path / j / "ldn-review").iterdir()} for j in "12")
    assert len(one) == 7 and one == two


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_error_found_while_loading_alongside_weasyprint(make_review, tmp_path, jobs):
    folder = make_review(GOOD)
    assert build("--only", "slides,handout", "--out", "out", str(folder), cwd=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()}
    (tmp_path / "r" / "review.yaml").write_text(GOOD.replace("A paragraph.", "See [@nobody]."))
    result = build("--jobs", jobs, "--out", "out", str(folder), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "r/review.yaml:8:14: error: unknown citation key 'nobody' (no such key in the bibliography)",
        "r: 1 error; nothing was written"]
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()} == before


def test_the_error_that_explains_a_failure_is_raised():
    no_result = workers._NoResult("the worker loading the review stopped without a result")
    bug = ValueError("bug")
    error = InputError([Diagnostic("error", "bad", Location("r/review.yaml", 3, 4))])
    for outcomes, expected in (([no_result, bug], bug), ([no_result, error], error),
                               ([error, KeyboardInterrupt()], KeyboardInterrupt), ([no_result], no_result)):
        with pytest.raises(BaseException) as raised:
            workers._merged([(False, e) for e in outcomes])
        assert raised.value is expected or type(raised.value) is expected
