"""watch and preview rebuild only what an edit changes, in forkserver workers, with the same bytes."""

from __future__ import annotations

import shutil

from conftest import BUNDLED
from pipeline.themes import THEMES_DIR
from pipeline import workers
from pipeline.jobs import Job, incremental, run_job
from pipeline.render import OUTPUTS


def _files(folder):
    return {p.name: (p.stat().st_ino, p.read_bytes()) for p in folder.iterdir()}


def test_a_lay_summary_edit_rebuilds_summary_and_handout_only_same_bytes_as_a_full_build(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    review = shutil.copytree(BUNDLED, tmp_path / "ldn-review")
    job = Job("build", review, out=tmp_path / "out", only=tuple(OUTPUTS))
    assert run_job(job).status == 0
    before = _files(tmp_path / "out" / "ldn-review")
    text = (review / "review.yaml").read_text()
    start = text.index("lay_summary:")
    edited = text[:start] + text[start:].replace("Low-dose naltrexone (LDN) is a medicine", "Low-dose naltrexone (LDN) is a drug", 1)
    assert edited != text
    with workers.forkserver(), incremental([job]):  # as watch starts: the outputs are current
        (review / "review.yaml").write_text(edited)
        assert run_job(job).status == 0
    after = _files(tmp_path / "out" / "ldn-review")
    changed = {name for name in after if after[name][0] != before[name][0]}
    assert changed == {"summary.md", "summary.html", "handout.pdf", "report.json"}
    assert run_job(Job("build", review, out=tmp_path / "full", only=tuple(OUTPUTS))).status == 0
    full = _files(tmp_path / "full" / "ldn-review")
    assert {name: data for name, (_, data) in after.items()} == {name: data for name, (_, data) in full.items()}


def test_forkserver_renders_like_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    job = Job("build", BUNDLED, out=tmp_path / "one", only=tuple(OUTPUTS))
    assert run_job(job).status == 0
    with workers.forkserver():
        assert run_job(Job("build", BUNDLED, out=tmp_path / "served", only=tuple(OUTPUTS))).status == 0
    one, served = _files(tmp_path / "one" / "ldn-review"), _files(tmp_path / "served" / "ldn-review")
    assert {n: d for n, (_, d) in one.items()} == {n: d for n, (_, d) in served.items()}


def test_under_the_forkserver_each_heavy_output_gets_a_worker(monkeypatch):
    shares = []

    class Server:
        def submit(self, document, theme, settings, share, state=""):
            shares.append(share)
            return lambda: {name: (None, 0.0) for name in share}

    monkeypatch.setattr(workers, "_server", Server())
    monkeypatch.setattr(workers, "theme_state", lambda theme: "")
    monkeypatch.setattr(workers.os, "cpu_count", lambda: 2)
    workers._served(None, None, None, list(OUTPUTS))
    assert sorted(map(sorted, shares)) == [["handout", "html"], ["pdf"], ["slides", "summary"]]
    shares.clear()
    workers._served(None, None, None, ["summary", "handout"])  # a lay-summary edit: one per core
    assert sorted(shares) == [["handout"], ["summary"]]


def test_a_theme_edit_shows_in_the_next_render_of_a_warm_forkserver(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    theme = shutil.copytree(THEMES_DIR / "default", tmp_path / "themes" / "mine")
    job = Job("build", BUNDLED, out=tmp_path / "served", only=("slides",), theme="mine")
    slides = tmp_path / "served" / "ldn-review" / "slides.pptx"
    with workers.forkserver():
        assert run_job(job).status == 0
        first = slides.read_bytes()
        design = (theme / "slides.yaml").read_text()
        (theme / "slides.yaml").write_text(design.replace('title: "1F3A5F"', 'title: "8B0000"'))
        assert run_job(job).status == 0  # the server read the old design: it must read the new one
        edited = slides.read_bytes()
    assert edited != first
    assert run_job(Job("build", BUNDLED, out=tmp_path / "one", only=("slides",), theme="mine")).status == 0
    assert (tmp_path / "one" / "ldn-review" / "slides.pptx").read_bytes() == edited
