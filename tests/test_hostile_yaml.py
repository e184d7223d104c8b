"""Hostile YAML: every trick becomes one located error, never a hang, a traceback or a crash later."""

from __future__ import annotations

import pytest

from pipeline.diagnostics import Diagnostics
from pipeline.limits import YAML_ALIAS_BUDGET, YAML_DEPTH
from pipeline.source import load_yaml

LAUGHS = "".join(f"{a}: &{a} [{', '.join([f'*{b}' if b else 'lol'] * 9)}]\n"
                 for a, b in zip("abcdefg", ["", *"abcdef"]))


def problems(tmp_path, monkeypatch, text: str) -> list[str]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    load_yaml(tmp_path / "review.yaml", diagnostics)
    return [str(d) for d in diagnostics.items]


def data(tmp_path, monkeypatch, text: str):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "review.yaml").write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    source = load_yaml(tmp_path / "review.yaml", diagnostics)
    assert diagnostics.items == []
    return source.data


def test_billion_laughs_is_refused_at_the_alias(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, LAUGHS) == [
        f"review.yaml:5:8: error: aliases expand into more than {YAML_ALIAS_BUDGET:,} values; "
        "write the values out instead of repeating '*d'"]


def test_a_few_aliases_are_fine(tmp_path, monkeypatch):
    assert data(tmp_path, monkeypatch, "a: &a [x, y]\nb: *a\n") == {"a": ["x", "y"], "b": ["x", "y"]}


@pytest.mark.parametrize("text, column", [("x: &l [*l]\n", 8), ("x: &l {a: *l}\n", 11)])
def test_a_recursive_alias_is_refused(tmp_path, monkeypatch, text, column):
    assert problems(tmp_path, monkeypatch, text) == [
        f"review.yaml:1:{column}: error: alias '*l' is inside the value it refers to; "
        "YAML cannot hold a value inside itself"]


def test_deep_flow_nesting_is_refused(tmp_path, monkeypatch):
    text = "x: " + "[" * 500 + "]" * 500 + "\n"
    assert problems(tmp_path, monkeypatch, text) == [
        f"review.yaml:1:{3 + YAML_DEPTH}: error: lists and mappings are nested more than {YAML_DEPTH} "
        "deep here; flatten the structure"]


def test_deep_block_nesting_is_refused(tmp_path, monkeypatch):
    text = "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "end\n"
    [message] = problems(tmp_path, monkeypatch, text)
    assert message.startswith(f"review.yaml:{YAML_DEPTH}:")
    assert message.endswith(f"error: lists and mappings are nested more than {YAML_DEPTH} deep here; "
                            "flatten the structure")


def test_nesting_up_to_the_limit_is_fine(tmp_path, monkeypatch):
    text = "x: " + "[" * (YAML_DEPTH - 1) + "]" * (YAML_DEPTH - 1) + "\n"
    assert data(tmp_path, monkeypatch, text)["x"] is not None


@pytest.mark.parametrize("value, reason", [("2024-02-30", "day is out of range for month"),
                                           ("0000-01-01", "year 0 is out of range")])
def test_an_impossible_date(tmp_path, monkeypatch, value, reason):
    assert problems(tmp_path, monkeypatch, f"title: T\ndate: {value}\n") == [
        f"review.yaml:2:7: error: 'date' is not a real date: {value} ({reason}); "
        "write a date that exists, as YYYY-MM-DD"]


def test_an_impossible_date_in_a_text_field_says_to_quote(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "subtitle: 2024-13-45\n") == [
        "review.yaml:1:11: error: 'subtitle' looks like a date but 2024-13-45 is not a real one "
        "(month must be in 1..12); if it is text, put it in quotes"]


def test_a_huge_integer(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "sections:\n  - title: " + "7" * 5000 + "\n") == [
        "review.yaml:2:12: error: 'sections[1].title' is a number too long to read (5,000 digits); "
        "if it is text, put it in quotes"]


def test_binary_data(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "subtitle: !!binary aGVsbG8=\n") == [
        "review.yaml:1:11: error: 'subtitle' is binary data (!!binary); write it as text"]


def test_an_escaped_surrogate_pair_is_joined(tmp_path, monkeypatch):
    assert data(tmp_path, monkeypatch, 'subtitle: "\\ud83d\\ude00"\n') == {"subtitle": "\U0001F600"}


def test_a_lone_surrogate_is_an_error(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, 'title: T\nsubtitle: "smile \\ud83d"\n') == [
        "review.yaml:2:11: error: lone surrogate \\uD83D is not a character; write the character itself, "
        "or both halves of its pair (\\uD83D\\uDE00)"]


@pytest.mark.parametrize("text, message", [
    ("x: !!int abc\n", "'x' cannot be read as int: invalid literal for int() with base 10: 'abc'; "
                       "if it is text, put it in quotes"),
    ("x: !!float abc\n", "'x' cannot be read as float: could not convert string to float: 'abc'; "
                         "if it is text, put it in quotes"),
    ("x: !custom a\n", "'x' cannot be read as !custom: could not determine a constructor for the tag "
                       "'!custom'; if it is text, put it in quotes"),
])
def test_other_constructor_failures_are_located(tmp_path, monkeypatch, text, message):
    assert problems(tmp_path, monkeypatch, text) == [f"review.yaml:1:4: error: {message}"]


def test_a_tab_used_for_indentation(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "authors:\n\t- name: A\n") == [
        "review.yaml:2:1: error: invalid YAML: found character '\\t' that cannot start any token "
        "(indent with spaces, not tabs)"]


def test_a_mis_indented_field_is_named(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "title: T\nauthors:\n  - name: A\n   affiliation: X\n") == [
        "review.yaml:4:4: error: invalid YAML: expected <block end>, but found '<block mapping start>' "
        "('affiliation' is indented 3 spaces but 'name' on line 3 is indented 4 spaces: "
        "lines at the same level must line up exactly)"]


def test_a_mis_indented_list_item(tmp_path, monkeypatch):
    text = "sections:\n  - title: x\n    body:\n      - a\n     - b\n"
    assert problems(tmp_path, monkeypatch, text) == [
        "review.yaml:5:6: error: invalid YAML: expected <block end>, but found '<block sequence start>' "
        "(the list item is indented 5 spaces but the list item on line 4 is indented 6 spaces: "
        "lines at the same level must line up exactly)"]


def test_a_colon_inside_a_value(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "title: Pilot study: 12 patients\n") == [
        "review.yaml:1:19: error: invalid YAML: mapping values are not allowed here "
        "(a ': ' inside text makes YAML read a field: put the text in quotes)"]


def test_a_nul_character_is_located(tmp_path, monkeypatch):
    assert problems(tmp_path, monkeypatch, "title: T\nsubtitle: a\x00b\n") == [
        "review.yaml:2:12: error: invalid YAML: unacceptable character #x0000: special characters are not allowed"]
