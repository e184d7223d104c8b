"""The build writes a review's outputs all at once: killed anywhere, it leaves all-old or all-new
outputs, and the next build removes what it left behind. report.json describes the whole review."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOOD, ROOT
from pipeline import build, cli

QUICK = ["-j", "1", "-q", "--only", "html,slides", "--out", "out"]
KILLED = """
import os, sys
from pipeline import build, cli
point = sys.argv[1]
build._step = lambda name: os._exit(137) if name == point else None
sys.exit(cli.main(sys.argv[2:]))
"""


def outputs(root: Path) -> dict[str, bytes]:
    folder = root / "out" / "r"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def litter(root: Path) -> set[str]:
    """What lies in out/ besides the review's link and the folder it points at."""
    out = root / "out"
    current = os.readlink(out / "r") if (out / "r").is_symlink() else None
    return {p.name for p in out.iterdir()} - {"r", current}


def edit(root: Path, text: str) -> None:
    (root / "r" / "review.yaml").write_text(GOOD.replace("A paragraph.", text))


def killed_build(root: Path, point: str, *args: str) -> int:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": str(root)}
    return subprocess.run([sys.executable, "-c", KILLED, point, "build", *QUICK, *args, "r"], cwd=root,
                          env=env, capture_output=True).returncode


@pytest.fixture
def built(make_review, tmp_path) -> dict[str, bytes]:
    """A review built once (the old outputs), then edited (so the next build makes new ones)."""
    make_review(GOOD)
    assert cli.main(["build", *QUICK, "r"]) == 0
    old = outputs(tmp_path)
    edit(tmp_path, "A changed paragraph.")
    return old


@pytest.mark.parametrize("point, survives", [("staging", "old"), ("staged", "old"), ("switched", "new")])
def test_a_build_killed_anywhere_leaves_all_old_or_all_new(built, tmp_path, point, survives):
    assert killed_build(tmp_path, point) == 137
    after_kill = outputs(tmp_path)
    assert cli.main(["build", *QUICK, "r"]) == 0
    new = outputs(tmp_path)
    assert new != built and set(new) == set(built)
    assert after_kill == (built if survives == "old" else new)
    assert litter(tmp_path) == set()


def test_a_kill_while_replacing_an_old_style_folder_is_recovered(built, tmp_path):
    out = tmp_path / "out"
    target = out / os.readlink(out / "r")
    (out / "r").unlink()
    target.rename(out / "r")  # the layout of earlier versions: a plain folder
    assert killed_build(tmp_path, "moved-aside", "--only", "html") == 137
    assert not (out / "r").exists()
    assert cli.main(["build", *QUICK, "--only", "html", "r"]) == 0
    now = outputs(tmp_path)
    assert now["slides.pptx"] == built["slides.pptx"] and now["article.html"] != built["article.html"]
    assert (out / "r").is_symlink() and litter(tmp_path) == set()


def test_only_keeps_the_other_outputs_and_switches_them_together(built, tmp_path):
    assert cli.main(["build", *QUICK, "--only", "slides", "r"]) == 0
    now = outputs(tmp_path)
    assert now["article.html"] == built["article.html"] and now["slides.pptx"] != built["slides.pptx"]
    assert litter(tmp_path) == set()


def test_disk_full_prints_one_line_and_changes_nothing(built, tmp_path, monkeypatch, capsys):
    writes = []

    def full(path, data):
        writes.append(path)
        if len(writes) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        Path(path).write_bytes(data)

    monkeypatch.setattr(build, "_write", full)
    assert cli.main(["build", *QUICK, "r"]) == 1
    assert capsys.readouterr().err.splitlines() == ["out/r: error: cannot write outputs: No space left on device"]
    assert outputs(tmp_path) == built and litter(tmp_path) == set()


def test_leftovers_of_killed_builds_are_removed_and_others_kept(built, tmp_path):
    out = tmp_path / "out"
    (out / ".r.build-abcd1234").mkdir()
    (out / ".r.link-0123abcd").symlink_to("nowhere")
    (out / ".rx.build-abcd1234").mkdir()  # another review's: not ours to remove
    assert cli.main(["build", *QUICK, "r"]) == 0
    assert litter(tmp_path) == {".rx.build-abcd1234"}


# --- report.json ---

WARNED_BIB = "@article{smith2020, author={A, B}, title={T}, year=2020}\n"  # no journal: a warning


def report_of(root: Path) -> dict:
    return json.loads((root / "out" / "r" / "report.json").read_text())


def test_report_is_the_same_wherever_the_review_lies(make_review, tmp_path, monkeypatch):
    make_review(GOOD, bib=WARNED_BIB)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    shutil.copytree(tmp_path / "r", tmp_path / "deep" / "er" / "r")
    assert cli.main(["build", *QUICK, "r"]) == 0
    monkeypatch.chdir(tmp_path / "deep")
    assert cli.main(["build", *QUICK[:-1], str(tmp_path / "b"), "er/r"]) == 0
    first, second = (tmp_path / "out" / "r" / "report.json"), (tmp_path / "b" / "r" / "report.json")
    assert first.read_bytes() == second.read_bytes()
    assert report_of(tmp_path)["checks"]["diagnostics"][0]["file"] == "r/references.bib"


LONG_HANDOUT = "title: T\nauthors: [{name: A}]\nabstract: A.\nkey_points: [One.]\nsections:\n" \
    "  - title: S\n    body: [Text about pain.]\nevidence:\n  studies:\n" + \
    "".join(f"    - {{condition: Pain, study: S{i}, design: D, finding: F{i}}}\n" for i in range(160))


def test_report_keeps_every_outputs_warnings_and_marks_stale_ones(make_review, tmp_path):
    make_review(LONG_HANDOUT, bib="")
    assert cli.main(["build", "-j", "1", "-q", "--only", "handout,html", "--out", "out", "r"]) == 0
    assert cli.main(["build", "-j", "1", "-q", "--only", "html", "--out", "out", "r"]) == 0
    once = (tmp_path / "out" / "r" / "report.json").read_bytes()
    assert cli.main(["build", "-j", "1", "-q", "--only", "html", "--out", "out", "r"]) == 0
    assert (tmp_path / "out" / "r" / "report.json").read_bytes() == once  # same input, same bytes
    report = report_of(tmp_path)
    assert set(report["outputs"]) == {"html", "handout"}
    assert report["outputs"]["handout"]["stale"] is False
    assert "the handout runs to" in report["outputs"]["handout"]["warnings"][0]["message"]
    assert report["checks"]["warnings"] == 1
    (tmp_path / "r" / "review.yaml").write_text(LONG_HANDOUT.replace("abstract: A.", "abstract: B."))
    assert cli.main(["build", "-j", "1", "-q", "--only", "html", "--out", "out", "r"]) == 0
    report = report_of(tmp_path)
    assert report["outputs"]["handout"]["stale"] is True and report["outputs"]["html"]["stale"] is False
    assert report["outputs"]["handout"]["warnings"] and report["checks"]["warnings"] == 0
