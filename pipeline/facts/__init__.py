"""Traced facts: every number a reader could compare across outputs, tied to the body that supports it.

`extract` finds quantities in text ("12 patients", "1–5 mg per day",
"half of them"); `trace` checks those in key points, evidence rows and the
lay summary against the body and returns the facts and their warnings;
`report_entries` turns the facts into report.json data.
"""

from pipeline.facts.quantities import Quantity, extract
from pipeline.facts.report import report_entries
from pipeline.facts.trace import Found, TracedFact, TraceResult, trace

__all__ = ["Found", "Quantity", "TraceResult", "TracedFact", "extract", "report_entries", "trace"]
