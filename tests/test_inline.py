"""Inline Markdown and Pandoc citation syntax → runs."""

from __future__ import annotations

import pytest

from pipeline.diagnostics import Location
from pipeline.inline import parse_inline
from pipeline.model import Cite, CiteItem, Emph, Link, Strong, Text


def runs(text: str):
    return parse_inline(text, lambda offset, needle: Location("f", 1, offset + 1)).runs


def cite(items, mode="parenthetical", column=1):
    return Cite(tuple(items), mode, Location("f", 1, column))


@pytest.mark.parametrize("text, expected", [
    ("[@toljan2018]", (cite([CiteItem("toljan2018")]),)),
    ("[@a; @b]", (cite([CiteItem("a"), CiteItem("b")]),)),
    ("[@key, p. 4]", (cite([CiteItem("key", locator="p. 4")]),)),
    ("[see @key, pp. 4-5]", (cite([CiteItem("key", prefix="see", locator="pp. 4-5")]),)),
    ("[-@key]", (cite([CiteItem("key", suppress_author=True)]),)),
    ("By @mischoulon2021, twelve", (Text("By "), cite([CiteItem("mischoulon2021")], "narrative", 4), Text(", twelve"))),
    ("As @key [p. 4] says", (Text("As "), cite([CiteItem("key", locator="p. 4")], "narrative", 4), Text(" says"))),
    ("End @key.", (Text("End "), cite([CiteItem("key")], "narrative", 5), Text("."))),
    ("[@{odd key}]", (cite([CiteItem("odd key")]),)),
])
def test_citation_syntax(text, expected):
    assert runs(text) == expected


def test_email_address_is_not_a_citation():
    assert runs("write to ada@example.org") == (Text("write to ada@example.org"),)


def test_brackets_without_a_key_are_text():
    assert runs("[not a cite]") == (Text("[not a cite]"),)


def test_emphasis_strong_and_links():
    assert runs("*a* **b** [c](https://x.org)") == (
        Emph((Text("a"),)), Text(" "), Strong((Text("b"),)), Text(" "), Link("https://x.org", (Text("c"),)))


def test_raw_html_stays_text():
    assert runs('<script>alert(1)</script> <img src="file:///etc/passwd">') == (
        Text('<script>alert(1)</script> <img src="file:///etc/passwd">'),)


def test_file_link_is_left_as_literal_text():
    assert runs("[click](file:///etc/passwd)") == (Text("[click](file:///etc/passwd)"),)


def test_other_scheme_is_reported_and_shown_as_text():
    result = parse_inline("[click](ftp://host/x)", lambda o, n: Location("f"))
    assert result.runs == (Text("click"),)
    assert result.unsafe_links == ["ftp://host/x"]
