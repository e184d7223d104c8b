"""Shared helpers: tiny review folders written on the fly, and the bundled review."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "source" / "ldn-review"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# The smallest valid review: line 8 is its only paragraph.
GOOD = """\
title: T
authors:
  - name: Ada Lovelace
abstract: An abstract [@smith2020].
sections:
  - title: Introduction
    body:
      - A paragraph.
"""

BIB = """\
@article{smith2020,
  author  = {Smith, Jane and Doe, John},
  title   = {A study of things},
  journal = {Journal of Things},
  year    = {2020},
}
"""


@pytest.fixture
def make_review(tmp_path, monkeypatch):
    """Write review.yaml (and a .bib) into tmp_path/<name>; paths print relative to tmp_path."""
    monkeypatch.chdir(tmp_path)

    def make(yaml_text: str, bib: str = BIB, name: str = "r") -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / "review.yaml").write_text(textwrap.dedent(yaml_text).lstrip("\n"), encoding="utf-8")
        if bib is not None:
            (folder / "references.bib").write_text(textwrap.dedent(bib), encoding="utf-8")
        return Path(name)

    return make


# --- skips are never silent -------------------------------------------------------------
# Every skip prints its reason (`-ra` in pyproject). Under CI (CI=true) a skipped test fails
# the run: a tool missing on the CI machine must not turn a check off unnoticed.

def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if _in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which fails the run: {reason}"
