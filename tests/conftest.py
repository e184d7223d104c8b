"""Shared helpers: tiny review folders written on the fly, and the bundled review."""

from __future__ import annotations

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
