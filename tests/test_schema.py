"""The JSON Schema shipped for editors is the one the checks use."""

from __future__ import annotations

import json

import jsonschema

from conftest import ROOT
from pipeline.schema import SCHEMA, schema_json


def test_shipped_schema_is_current():
    shipped = (ROOT / "pipeline" / "data" / "review.schema.json").read_text()
    assert shipped == schema_json(), "run: python -m pipeline.schema > pipeline/data/review.schema.json"


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_json()))
    assert set(SCHEMA["required"]) == {"title", "authors", "abstract", "sections"}


# --- the colon trap: text with ': ' that YAML read as a field is one error, saying to quote it -----

import pytest  # noqa: E402

from conftest import GOOD  # noqa: E402
from pipeline.diagnostics import InputError  # noqa: E402
from pipeline.loader import load_review  # noqa: E402

_QUOTE = " (a ': ' inside text makes YAML read a field: put the text in quotes)"


def _problems(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_review(folder)
    return [str(d) for d in caught.value.diagnostics]


def test_colon_in_a_body_item_is_one_error(make_review):
    folder = make_review(GOOD.replace("- A paragraph.", "- Pilot study: 12 patients"))
    assert _problems(folder) == [
        "r/review.yaml:8:9: error: 'sections[1].body[1]' must be text or a figure (image, alt), "
        "not a field 'Pilot study'" + _QUOTE]


@pytest.mark.parametrize("extra, line", [
    ("key_points:\n  - Pilot: x\n",
     "r/review.yaml:10:5: error: 'key_points[1]' must be text, not a mapping (fields)"),
    ("    key_points:\n      - Pilot: x\n",
     "r/review.yaml:10:9: error: 'sections[1].key_points[1]' must be text, not a mapping (fields)"),
    ("glossary:\n  - term: A\n    meaning:\n      Pilot: x\n",
     "r/review.yaml:12:7: error: 'glossary[1].meaning' must be text, not a mapping (fields)"),
    ("evidence:\n  studies:\n    - condition: A\n      study: B\n      design: C\n      finding:\n        Pilot: x\n",
     "r/review.yaml:15:9: error: 'evidence.studies[1].finding' must be text or a number, not a mapping (fields)"),
    ("lay_summary:\n  title: T\n  key_messages:\n    - A: b\n    - b\n    - c\n"
     "  sections:\n    - heading: H\n      text:\n        Pilot: x\n",
     "r/review.yaml:12:7: error: 'lay_summary.key_messages[1]' must be text, not a mapping (fields)"),
])
def test_colon_wherever_text_is_expected(make_review, extra, line):
    [first, *_] = _problems(make_review(GOOD + extra))
    assert first == line + _QUOTE


def test_a_figure_with_a_mistake_still_gets_figure_errors(make_review):
    folder = make_review(GOOD.replace("- A paragraph.", "- image: a.png"))
    assert _problems(folder) == ["r/review.yaml:8:9: error: missing required field 'alt' in sections[1].body[1]"]


@pytest.mark.parametrize("url", ["ftp://example.org/review", "example.org/review", "https://", "javascript:alert(1)"])
def test_url_is_a_web_address(make_review, url):
    problems = _problems(make_review(GOOD + f"url: '{url}'\n"))
    assert problems == [f"r/review.yaml:9:6: error: 'url' has an unexpected form: {url!r} "
                        "(write a web address that starts with https:// or http://)"]


def test_url_reaches_the_document(make_review):
    from pipeline.loader import load_review
    document, _ = load_review(make_review(GOOD + "url: https://example.org/r?x=1\n"))
    assert document.url == "https://example.org/r?x=1"
