"""What a valid `review.yaml` is: one JSON Schema, used to validate and exported for editors.

jsonschema checks the data; each of its errors is turned into a diagnostic
that names the field in the author's words and points at the line of the
offending key or value (`source.py` kept the marks).
"""

from __future__ import annotations

import datetime
import difflib
import re
from typing import Any

import jsonschema

from pipeline.diagnostics import Diagnostics
from pipeline.source import COLON_HINT, YamlSource, where as _where

MARKDOWN = {"type": "string", "minLength": 1, "description": "Markdown with Pandoc citations ([@key], @key)."}
CELL = {"type": ["string", "number"], "description": "Markdown; a citation such as '@key' names the study."}
TEXT = {"type": "string", "minLength": 1}
TEXT_LIST = {"type": "array", "items": TEXT}
MARKDOWN_LIST = {"type": "array", "items": MARKDOWN}


def _object(properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    return {"type": "object", "description": description, "properties": properties,
            "required": list(required), "additionalProperties": False}


AUTHOR = _object({
    "name": {**TEXT, "description": "Full name, e.g. 'Robert Becker'."},
    "honorific": {**TEXT, "description": "e.g. 'Dr', 'Prof'."},
    "credentials": {**TEXT, "description": "Post-nominal letters, e.g. 'MCMA'."},
    "roles": {**TEXT_LIST, "description": "Roles, e.g. ['Neuropsychologist']."},
    "affiliation": TEXT,
    "email": TEXT,
}, ("name",), "An author.")

BLOCK = {
    "type": ["string", "object"],
    "description": "A paragraph (Markdown text) or a figure {image, alt, caption}.",
    "minLength": 1,
    "properties": {
        "image": {**TEXT, "description": "Image file inside the review folder, e.g. assets/fig1.png."},
        "alt": {**TEXT, "description": "Alternative text: what the image shows, for readers who cannot see it."},
        "caption": MARKDOWN,
    },
    "required": ["image", "alt"],
    "additionalProperties": False,
}

SECTION = _object({
    "title": {**TEXT, "description": "Section heading."},
    "id": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$",
           "description": "Anchor id; default: made from the title. Must be unique."},
    "body": {"type": "array", "minItems": 1, "items": BLOCK, "description": "Paragraphs and figures."},
    "key_points": {**MARKDOWN_LIST, "description": "Short bullets: what the slides show for this section."},
}, ("title", "body"), "A section of the review.")

STUDY = _object({
    "condition": CELL, "study": CELL, "design": CELL,
    "participants": CELL, "duration": CELL, "finding": CELL,
}, ("condition", "study", "design", "finding"), "A study the review discusses, as the review states it.")

EVIDENCE = _object({
    "caption": TEXT,
    "after": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9_-]*$",
              "description": "Id of the section the table follows in the article, the slides and the handout "
                             "(default: the last section whose text cites a study in the table)."},
    "studies": {"type": "array", "minItems": 1, "items": STUDY},
    "chart": {"type": "boolean", "description": "Draw the evidence chart in every output (default true)."},
}, ("studies",), "The evidence table.")

LAY_SECTION = _object({"heading": TEXT, "text": MARKDOWN}, ("heading", "text"))

LAY_SUMMARY = _object({
    "title": {**TEXT, "description": "A plain title."},
    "key_messages": {**MARKDOWN_LIST, "minItems": 3, "maxItems": 5, "description": "3 to 5 key messages."},
    "sections": {"type": "array", "minItems": 1, "items": LAY_SECTION},
    "disclaimer": TEXT,
    "grade_target": {"type": "number", "minimum": 1, "maximum": 18,
                     "description": "Highest Flesch-Kincaid grade allowed (default 8)."},
    "jargon": {**TEXT_LIST, "description": "Extra technical terms to flag in lay text."},
}, ("title", "key_messages", "sections"), "The plain-language summary.")

TERM = _object({"term": TEXT, "meaning": MARKDOWN, "aliases": TEXT_LIST}, ("term", "meaning"))

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "review.yaml",
    **_object({
        "title": {**TEXT, "description": "Title of the review."},
        "subtitle": TEXT,
        "short_title": {**TEXT, "description": "For running heads and slide footers (default: title)."},
        "authors": {"type": "array", "minItems": 1, "items": AUTHOR},
        "date": {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$",
                 "description": "YYYY-MM-DD; also fixes the dates inside the outputs."},
        "venue": {**TEXT, "description": "Where the talk is given."},
        "url": {"type": "string", "pattern": r"^https?://[^\s/?#<>\"]+[^\s<>\"]*$",
                "description": "Where the full article lives online (http or https); the handout prints it "
                               "with a QR code and the summary links to it."},
        "lang": {"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
                 "description": "Language tag, e.g. en-GB (default en)."},
        "keywords": TEXT_LIST,
        "abstract": {**MARKDOWN, "description": "Paragraphs separated by a blank line."},
        "key_points": {**MARKDOWN_LIST, "description": "Key points box and take-home slide."},
        "sections": {"type": "array", "minItems": 1, "items": SECTION},
        "evidence": EVIDENCE,
        "lay_summary": LAY_SUMMARY,
        "glossary": {"type": "array", "items": TERM},
        "bibliography": {**TEXT, "description": "BibTeX file in the review folder (default references.bib)."},
        "citation_style": {"enum": ["apa", "vancouver", "ama"], "description": "Default apa."},
        "nocite": {"anyOf": [{"const": "*"}, TEXT_LIST],
                   "description": "'*' or a list of keys to list even if not cited."},
        "theme": {**TEXT, "description": "Theme folder under themes/ (default 'default')."},
        "paper": {"enum": ["a4", "letter"], "description": "Paper size of the PDFs (default: the theme's)."},
    }, ("title", "authors", "abstract", "sections"), "One review article, the single source of every output."),
}

_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
_YAML_COLON_HINT = COLON_HINT  # "Pilot study: 12 patients" is read as a field
_FIGURE_FIELDS = set(BLOCK["properties"])
_TYPE_NAMES = {"string": "text", "number": "a number", "array": "a list", "object": "a mapping (fields)",
               "integer": "a whole number", "boolean": "true or false"}


def validate(source: YamlSource, diagnostics: Diagnostics) -> None:
    """Report every way the data breaks the schema, each at its line."""
    check(_VALIDATOR, source, diagnostics, "review.yaml must be a mapping of fields (title:, authors:, ...)")


def check(validator: jsonschema.protocols.Validator, source: YamlSource, diagnostics: Diagnostics,
          not_a_mapping: str) -> None:
    """Report every way `source` breaks the validator's schema, each at its line, in the author's words."""
    data = _jsonable(source.data)
    if not isinstance(data, dict):
        diagnostics.error(not_a_mapping, source.location(()))
        return
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    traps = _colon_traps(errors)
    for error in errors:
        path = tuple(error.absolute_path)
        trap = next((t for t in traps if path[:len(t)] == t), None)
        if trap is None:
            _report(error, source, diagnostics)
        elif traps[trap] is not None:  # once per item, whatever jsonschema found
            _report_trap(trap, traps[trap], source, diagnostics)
            traps[trap] = None


def _colon_traps(errors: list[jsonschema.ValidationError]) -> dict[tuple, dict | None]:
    """Body items that are mappings with no figure field: text with a ': ' that YAML read as a field."""
    return {tuple(e.absolute_path): e.instance for e in errors
            if e.schema is BLOCK and isinstance(e.instance, dict) and not _FIGURE_FIELDS & set(e.instance)}


def _report_trap(path: tuple, instance: dict, source: YamlSource, diagnostics: Diagnostics) -> None:
    """One error for the whole item, instead of one per figure field it lacks."""
    names = ", ".join(f"'{key}'" for key in instance)
    fields = f"a field {names}" if len(instance) == 1 else f"fields {names}"
    diagnostics.error(f"'{_where(path)}' must be text or a figure (image, alt), not {fields}"
                      f"{_YAML_COLON_HINT}", source.location(path))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    return value


def _report(error: jsonschema.ValidationError, source: YamlSource, diagnostics: Diagnostics) -> None:
    path = tuple(error.absolute_path)
    kind = error.validator
    field = _where(path)
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key not in known:
                diagnostics.error(f"unknown field '{key}' in {_where(path)}{_suggest(key, known)}",
                                  source.key_location(path + (key,)))
    elif kind == "required":
        name = re.match(r"'(.*)' is a required property", error.message).group(1)
        diagnostics.error(f"missing required field '{name}' in {field}", source.location(path))
    elif kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in expected)
        got = _TYPE_NAMES.get(_json_type(error.instance), "empty") if error.instance is not None else "empty"
        hint = _YAML_COLON_HINT if "string" in expected and isinstance(error.instance, dict) else ""
        diagnostics.error(f"'{field}' must be {wanted}, not {got}{hint}", source.location(path))
    elif kind in ("enum", "const", "anyOf"):
        options = error.validator_value if kind == "enum" else ["*", "a list of keys"]
        diagnostics.error(f"'{field}' must be one of {', '.join(repr(o) for o in options)}"
                          f"{_close(str(error.instance), [str(o) for o in options])}", source.location(path))
    else:
        diagnostics.error(_message(kind, field, error), source.location(path))


def _message(kind: str, field: str, error: jsonschema.ValidationError) -> str:
    value = error.validator_value
    if kind == "minItems":
        return f"'{field}' needs at least {value} item{'s' if value > 1 else ''}"
    if kind == "maxItems":
        return f"'{field}' may hold at most {value} items; keep the most important"
    if kind == "minLength":
        return f"'{field}' must not be empty"
    if kind == "pattern":
        return f"'{field}' has an unexpected form: {error.instance!r}" + _pattern_hint(field)
    if kind in ("minimum", "maximum"):
        return f"'{field}' must be {'at least' if kind == 'minimum' else 'at most'} {value}"
    return f"'{field}': {error.message}"


def _pattern_hint(field: str) -> str:
    if field.startswith("colours."):
        return " (write six hex digits in quotes, e.g. \"1F3A5F\")"
    if field.endswith("date"):
        return " (write it as YYYY-MM-DD)"
    if field == "url":
        return " (write a web address that starts with https:// or http://)"
    if field.endswith("lang"):
        return " (use a language tag such as en or en-GB)"
    return " (start with a letter; use letters, digits, '-' and '_')"


def _json_type(value: Any) -> str:
    return {str: "string", bool: "boolean", int: "integer", float: "number", list: "array",
            dict: "object"}.get(type(value), "string")


def _suggest(word: str, options: list[str]) -> str:
    return _close(word, options) or f"; expected one of: {', '.join(options)}"


def _close(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def schema_json() -> str:
    """The schema as editors read it (`pipeline/data/review.schema.json`)."""
    import json

    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m pipeline.schema > pipeline/data/review.schema.json
    print(schema_json(), end="")
