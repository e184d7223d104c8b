"""Reading files: only regular files, never more than the limits, errors located."""

from __future__ import annotations

import os

import pytest

from pipeline import limits
from pipeline.diagnostics import Diagnostics
from pipeline.source import load_yaml, read_text


def messages(diagnostics: Diagnostics) -> list[str]:
    return [str(d) for d in diagnostics.items]


def read(path, limit: int = limits.REVIEW_FILE_BYTES) -> tuple[str | None, list[str]]:
    diagnostics = Diagnostics()
    return read_text(path, diagnostics, limit), messages(diagnostics)


def test_a_regular_file_is_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("x: é\n", encoding="utf-8")
    assert read(tmp_path / "a.yaml") == ("x: é\n", [])


def test_a_fifo_is_refused_without_blocking(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.mkfifo(tmp_path / "review.yaml")  # no writer: a plain open() would wait for ever
    assert read(tmp_path / "review.yaml") == (
        None, ["review.yaml:1:1: error: not a regular file (a folder, device or pipe); give an ordinary file"])


def test_a_symlink_to_dev_zero_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("/dev/zero", tmp_path / "review.yaml")
    assert read(tmp_path / "review.yaml") == (
        None, ["review.yaml:1:1: error: not a regular file (a folder, device or pipe); give an ordinary file"])


def test_a_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").mkdir()
    assert read(tmp_path / "review.yaml")[1] == [
        "review.yaml:1:1: error: not a regular file (a folder, device or pipe); give an ordinary file"]


def test_a_missing_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert read(tmp_path / "review.yaml") == (None, ["review.yaml:1:1: error: file not found"])


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").write_bytes(b"x: " + b"a" * 100)
    assert read(tmp_path / "review.yaml", limit=50) == (
        None, ["review.yaml:1:1: error: file is too large (103 bytes; the limit is 50); "
               "split long text or remove what is not needed"])


def test_a_review_over_the_limit_fails_fast(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "review.yaml", "wb") as file:  # sparse: 50 MB of abstract, no disk used
        file.write(b"abstract: ")
        file.truncate(50 * limits.MiB)
    diagnostics = Diagnostics()
    assert load_yaml(tmp_path / "review.yaml", diagnostics) is None
    assert messages(diagnostics) == [
        f"review.yaml:1:1: error: file is too large ({50 * limits.MiB:,} bytes; the limit is "
        f"{limits.REVIEW_FILE_BYTES:,}); split long text or remove what is not needed"]


def test_not_utf8_points_at_the_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").write_bytes(b"x: 1\ny: \xff\n")
    assert read(tmp_path / "review.yaml") == (
        None, ["review.yaml:2:1: error: not UTF-8 text (byte 0xff); save the file as UTF-8"])


def test_a_field_longer_than_the_limit_is_an_error_at_its_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").write_text("title: T\nabstract: " + "a" * (limits.FIELD_CHARS + 1) + "\n")
    diagnostics = Diagnostics()
    load_yaml(tmp_path / "review.yaml", diagnostics)
    assert messages(diagnostics) == [
        f"review.yaml:2:11: error: 'abstract' is {limits.FIELD_CHARS + 1:,} characters long; "
        f"the limit is {limits.FIELD_CHARS:,}: shorten it or split it"]


@pytest.mark.parametrize("limit", [limits.REVIEW_FILE_BYTES, limits.BIB_FILE_BYTES])
def test_limits_are_sane(limit):
    assert limits.MiB <= limit <= 16 * limits.MiB
