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
