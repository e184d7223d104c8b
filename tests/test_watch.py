"""watch: a saved file rebuilds the review it belongs to; a theme file rebuilds them all."""

from __future__ import annotations

from pathlib import Path

from pipeline.jobs import Job
from pipeline.themes import THEMES_DIR
from pipeline.watch import _owner


def test_changed_file_maps_to_its_review(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    jobs = [Job("build", a), Job("build", b)]
    assert _owner((b / "review.yaml").resolve(), jobs) == [jobs[1]]
    assert _owner((tmp_path / "elsewhere.txt").resolve(), jobs) == []
    assert _owner(THEMES_DIR / "default" / "article.css", jobs) == jobs
