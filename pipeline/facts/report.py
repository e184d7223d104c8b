"""Traced facts as report data: plain, JSON-ready and the same from one build to the next."""

from __future__ import annotations

from typing import Callable

from pipeline.diagnostics import Location
from pipeline.facts.trace import Found, TracedFact, TraceResult


def report_entries(result: TraceResult, relative: Callable[[str], str] | None = None) -> list[dict]:
    """One entry per traced fact, in reading order; `relative` rewrites file names (to portable ones)."""
    return [_entry(fact, relative or (lambda path: path)) for fact in result.facts]


def _entry(fact: TracedFact, relative: Callable[[str], str]) -> dict:
    quantity = fact.found.quantity
    return {"text": quantity.text, "kind": quantity.kind, "value": _number(quantity.low, quantity.high),
            "unit": quantity.unit, "field": fact.found.place.field, **_where(fact.found.location, relative),
            "outputs": list(fact.found.place.outputs),
            "support": _support(fact.support, relative) if fact.support else "unsupported"}


def _support(found: Found, relative: Callable[[str], str]) -> dict:
    place = found.place
    by = {"section": place.section} if place.role == "body" else {"evidence_row": place.row + 1}
    return {**by, "field": place.field, "text": found.quantity.text, **_where(found.location, relative)}


def _where(location: Location, relative: Callable[[str], str]) -> dict:
    return {"file": relative(location.path), "line": location.line, "column": location.column}


def _number(low: float, high: float) -> int | float | list:
    """12.0 → 12, so the JSON reads as the text does; a range as [low, high]."""
    values = [int(v) if float(v).is_integer() else round(v, 6) for v in (low, high)]
    return values[0] if low == high else values
