"""The command line contract: exit status, one-line diagnostics, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import GOOD, ROOT



def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def test_version_and_help():
    assert run("--version").returncode == 0
    assert "build" in run("--help").stdout


def test_wrong_command_line_exits_2():
    for args in ([], ["frobnicate"], ["build", "--only", "pfd"], ["check", "/nonexistent"]):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr


def test_input_error_exits_1_with_one_line_and_no_traceback(make_review, tmp_path):
    make_review(GOOD.replace("A paragraph.", "See [@tolan2018]."))
    result = run("check", "r", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == \
        "r/review.yaml:8:14: error: unknown citation key 'tolan2018' (no such key in the bibliography)"
    assert "Traceback" not in result.stderr


def test_broken_yaml_and_broken_bib_exit_1(make_review, tmp_path):
    make_review(GOOD + "  - title: [unclosed\n")
    assert run("check", "r", cwd=tmp_path).returncode == 1
    make_review(GOOD, bib="@article{x,\n  title = {open\n", name="b")
    result = run("check", "b", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("b/references.bib:2:1: error: malformed BibTeX")


def test_strict_turns_warnings_into_errors(make_review, tmp_path):
    make_review(GOOD, bib="@article{smith2020, author={A, B}, title={T}, year=2020}\n")
    assert run("check", "r", cwd=tmp_path).returncode == 0
    result = run("check", "--strict", "r", cwd=tmp_path)
    assert result.returncode == 1
    assert ": error: entry 'smith2020' (@article) lacks 'journal'" in result.stderr


def test_failed_build_leaves_earlier_outputs_untouched(make_review, tmp_path):
    folder = make_review(GOOD)
    assert run("build", "--only", "slides", "--out", "out", str(folder), cwd=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()}
    assert "report.json" in before
    (tmp_path / "r" / "review.yaml").write_text(GOOD + "bogus: 1\n")
    assert run("build", "--out", "out", str(folder), cwd=tmp_path).returncode == 1
    after = {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()}
    assert after == before


def test_report_lists_citations_per_section(make_review, tmp_path):
    make_review(GOOD.replace("A paragraph.", "As @smith2020 found."))
    result = run("build", "--only", "slides", "--out", "out", "r", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr.startswith("r: slides ") and "→ out/r/slides.pptx" in result.stderr
    report = json.loads((tmp_path / "out" / "r" / "report.json").read_text())
    assert report["citations"]["per_section"] == {"introduction": ["smith2020"]}
    assert report["words"]["per_section"] == {"introduction": 6}


def test_several_reviews_in_parallel_report_in_order(make_review, tmp_path):
    make_review(GOOD, name="a")
    make_review(GOOD.replace("A paragraph.", "See [@nobody]."), name="b")
    result = run("check", "--jobs", "2", "a", "b", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "a: ok (0 warnings)"
    assert lines[1].startswith("b/review.yaml:8:14: error: unknown citation key 'nobody'")
    assert lines[-1] == "2 reviews: 1 ok, 1 failed, 0 warnings"


def test_strict_build_fails_on_a_renderers_warning_and_writes_nothing(make_review, tmp_path):
    rows = "".join(f"    - {{condition: Pain, study: S{i}, design: D, finding: F{i}}}\n" for i in range(160))
    make_review("title: T\nauthors: [{name: A}]\nabstract: A.\nkey_points: [One.]\nsections:\n"
                "  - title: S\n    body: [Text about pain.]\nevidence:\n  studies:\n" + rows, bib="")
    assert run("build", "--only", "handout", "--out", "out", "r", cwd=tmp_path).returncode == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()}
    result = run("build", "--strict", "--quiet", "--only", "handout", "--out", "out", "r", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith("r/review.yaml:4:14: error: the handout runs to ")
    assert result.stderr.splitlines()[-1] == "r: 1 error; nothing was written"
    assert {p.name: p.read_bytes() for p in (tmp_path / "out" / "r").iterdir()} == before


def test_bad_out_folders_are_usage_errors(make_review, tmp_path):
    make_review(GOOD)
    (tmp_path / "afile").write_text("x")
    cases = {("build", "--out", "afile"): "--out 'afile' is a file, not a folder",
             ("build", "--out", "afile/sub"): "cannot be created",
             ("build", "--out", "r"): "is the same as the review folder 'r'",
             ("build", "--out", "r/out"): "is inside the review folder 'r'",
             ("build", "--out", "."): "contains the review folder 'r'",
             ("watch", "--out", "r/out"): "watch would rebuild forever"}
    for args, message in cases.items():
        result = run(*args, "r", cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr.splitlines()[-1], args
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["references.bib", "review.yaml"]


def test_unwritable_out_is_a_usage_error(make_review, monkeypatch, capsys):
    import os

    from pipeline import cli

    make_review(GOOD)
    monkeypatch.setattr(os, "access", lambda path, mode: False)  # tests run as root: simulate a read-only folder
    with pytest.raises(SystemExit) as exited:
        cli.main(["build", "--out", "ro/out", "r"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1].endswith("error: --out 'ro/out' is not writable")


def test_two_reviews_of_the_same_name_are_refused(make_review, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    make_review(GOOD, name="a/rev")
    make_review(GOOD, name="b/rev")
    result = run("build", "a/rev", "b/rev", cwd=tmp_path)
    assert result.returncode == 2
    assert "'a/rev' and 'b/rev' would both be built into --out/rev" in result.stderr.splitlines()[-1]
    assert not (tmp_path / "out").exists()


def test_a_theme_is_a_plain_name(make_review, tmp_path):
    from pipeline.themes import available

    make_review(GOOD)
    for theme in ("../x", "/abs", ""):
        result = run("check", "--theme", theme, "r", cwd=tmp_path)
        assert result.returncode == 2, theme
        assert result.stderr.splitlines()[-1].endswith(
            f"argument --theme: {theme!r} is not a theme name; the themes are: {', '.join(available())}")
