"""Faults: a crash in a worker, Ctrl-C, a `check` that must write nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUNDLED, GOOD, ROOT
from pipeline import build, cli, readability
from pipeline.render import OUTPUTS, Output

BUILD = ["build", "-q", "--only", "html,handout", "--out", "out"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def no_children_left() -> bool:
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0) and False
    except ChildProcessError:
        return True


def test_input_error_while_loading_reads_the_same_on_one_or_two_cores(make_review, capsys):
    make_review(GOOD.replace("A paragraph.", "See [@nobody]."))
    printed = {}
    for jobs in ("1", "2"):
        assert cli.main([*BUILD, "-j", jobs, "r"]) == 1
        printed[jobs] = capsys.readouterr().err
    assert printed["1"] == printed["2"]
    assert printed["2"].startswith("r/review.yaml:8:14: error: unknown citation key 'nobody'")
    assert no_children_left()


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_crash_while_loading_is_the_real_error_on_one_or_two_cores(make_review, monkeypatch, jobs):
    make_review(GOOD)

    def crash(document):
        raise ValueError("bug in a check")

    monkeypatch.setattr(readability, "check", crash)
    with pytest.raises(ValueError, match="^bug in a check"):
        cli.main([*BUILD, "-j", jobs, "r"])
    assert no_children_left()


def living_in_group(group: int) -> list[str]:
    """Processes of a process group that still run (a library's own helper, say ctypes' `ld`,
    may stay a zombie when the interrupt cut its wait short; a zombie runs nothing)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        state, _, pgrp = rest.split()[:3]
        if int(pgrp) == group and state != "Z":
            found.append(name + ")")
    return found


def interrupt(*args) -> None:
    raise KeyboardInterrupt


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_while_rendering_exits_130_and_changes_nothing(make_review, tmp_path, monkeypatch, capsys, jobs):
    make_review(GOOD)
    assert cli.main([*BUILD, "-j", "1", "r"]) == 0
    before = snapshot(tmp_path / "out" / "r")
    monkeypatch.setitem(OUTPUTS, "html", Output("html", ("article.html",), interrupt))
    capsys.readouterr()
    assert cli.main([*BUILD, "-j", jobs, "r"]) == 130
    assert capsys.readouterr().err == "interrupted; outputs are as they were\n"
    assert snapshot(tmp_path / "out" / "r") == before
    assert no_children_left()


def test_ctrl_c_while_writing_leaves_no_staging(make_review, tmp_path, monkeypatch, capsys):
    make_review(GOOD)
    assert cli.main([*BUILD, "-j", "1", "r"]) == 0
    before, listing = snapshot(tmp_path / "out" / "r"), sorted(os.listdir(tmp_path / "out"))
    monkeypatch.setattr(build, "_step", lambda name: interrupt() if name == "staging" else None)
    assert cli.main([*BUILD, "-j", "1", "r"]) == 130
    assert snapshot(tmp_path / "out" / "r") == before and sorted(os.listdir(tmp_path / "out")) == listing


def test_a_real_ctrl_c_stops_every_process(tmp_path):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    build_all = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "-j", "2", "--out", "out",
                                  str(BUNDLED)], cwd=tmp_path, env=env, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
    time.sleep(1.0)
    os.killpg(build_all.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole group
    _, err = build_all.communicate(timeout=30)
    assert build_all.returncode == 130, err
    assert err.splitlines()[-1] == "interrupted; outputs are as they were" and "Traceback" not in err
    assert living_in_group(build_all.pid) == []
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_check_writes_nothing(make_review, tmp_path):
    make_review(GOOD + "lay_summary:\n  title: T\n  key_messages: [It helps., It is safe., Ask.]\n"
                "  sections:\n    - {heading: S, text: We are not sure it helps.}\n")
    home = tmp_path / "home"
    home.mkdir()
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(home),
           "XDG_CACHE_HOME": str(home / ".cache"), "PYTHONDONTWRITEBYTECODE": "1"}
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    result = subprocess.run([sys.executable, "-m", "pipeline", "check", "-j", "1", "r"], cwd=tmp_path, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before
