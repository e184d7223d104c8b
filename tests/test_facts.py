"""Traced facts: quantities found in text, the bundled review traced clean, a changed body number caught."""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path

import pytest

from pipeline.facts import extract, report_entries, trace
from pipeline.loader import load_review
from pipeline.model import Cite, CiteItem, Text
from pipeline.diagnostics import Location

from conftest import BUNDLED

# text → [(as written, kind, value, unit)]
EXTRACTION = [
    ("1–5 mg", [("1–5 mg", "dose", (1, 5), "mg")]),
    ("1 to 5 mg per day", [("1 to 5 mg per day", "dose", (1, 5), "mg/day")]),
    ("1-5 mg/day", [("1-5 mg/day", "dose", (1, 5), "mg/day")]),
    ("between 1 and 5 mg a day", [("between 1 and 5 mg a day", "dose", (1, 5), "mg/day")]),
    ("4.5 mg at night", [("4.5 mg at night", "dose", 4.5, "mg/day")]),
    ("12 patients", [("12 patients", "people", 12, "patients")]),
    ("12 treatment-resistant patients", [("12 treatment-resistant patients", "people", 12, "patients")]),
    ("three patients", [("three patients", "people", 3, "patients")]),
    ("a single person", [("a single person", "people", 1, "person")]),
    ("both patients improved", [("both patients", "people", 2, "patients")]),
    ("only one or three people", [("one or three people", "people", 1, "people"),
                                  ("one or three people", "people", 3, "people")]),
    ("three case reports", [("three case reports", "studies", 3, "reports")]),
    ("eight weeks", [("eight weeks", "duration", 8, "weeks")]),
    ("an 8-week trial", [("8-week", "duration", 8, "weeks")]),
    ("half of them got well", [("half of them", "percent", 50, "%")]),
    ("50%", [("50%", "percent", 50, "%")]),
    ("33 per cent", [("33 per cent", "percent", 33, "%")]),
    ("one in four", [("one in four", "percent", 25, "%")]),
    ("6 out of 12 patients", [("6 out of 12 patients", "percent", 50, "%"), ("12 patients", "people", 12, "patients")]),
    ("2018 U.S. guidelines", []),
    ("9" * 400 + " patients", []),
    ("(Smith, 2020)", []),
    ("in 2018 patients were seen", []),
    ("COVID-19 patients", []),
    ("the first study", []),
    ("a third study", []),
    ("one day we will know", []),
    ("section 3 and table 2", []),
    ("both their mood and their pain", []),
]


def _shape(text: str) -> list[tuple]:
    found = [q for q in extract(text) if not q.weak]
    return [(q.text, q.kind, q.value if q.low == q.high else (q.low, q.high), q.unit) for q in found]


@pytest.mark.parametrize("text, expected", EXTRACTION, ids=[t for t, _ in EXTRACTION])
def test_extract(text, expected):
    assert _shape(text) == expected


def test_equal_values_across_wordings():
    [words], [digits] = extract("eight weeks"), extract("56 days")
    assert words.same(digits)
    [half], [fifty] = extract("half of them"), extract("50%")
    assert half.same(fifty)
    [lay], [body] = extract("1 to 5 mg a day"), extract("1–5 mg per day")
    assert lay.same(body) and not lay.same(extract("1–4.5 mg per day")[0])


def test_implied_counts_only_support():
    [implied] = extract("a patient with PTSD")
    assert implied.weak and implied.value == 1
    assert all(q.weak for q in extract("In one small study"))


def test_numbers_in_citations_are_skipped():
    cite = Cite((CiteItem("smith2020", locator="12 patients"),), "parenthetical", Location("r.yaml"),
                runs=(Text("(Smith, 2020, 12 patients)"),))
    assert [q.text for q in extract((Text("We saw "), cite, Text(" and 3 patients.")))] == ["3 patients"]


# --- the bundled review ------------------------------------------------------------------------


def _traced(folder: Path):
    document, _ = load_review(folder)
    return trace(document, (folder / "review.yaml").read_text(encoding="utf-8"))


def test_bundled_review_traces_clean():
    result = _traced(BUNDLED)
    assert [str(d) for d in result.diagnostics] == []
    assert len(result.facts) == 21
    assert all(fact.support for fact in result.facts)


def test_report_entries_are_json_and_located():
    entries = report_entries(_traced(BUNDLED))
    json.dumps(entries)
    lay = next(e for e in entries if e["text"] == "12 people")
    assert lay["field"] == "lay_summary.sections[3].text"
    assert (lay["line"], lay["column"]) == (219, 41)
    assert lay["outputs"] == ["summary"]
    assert lay["support"]["section"] == "depression" and lay["support"]["text"] == "12 patients"
    point = next(e for e in entries if e["field"] == "key_points[1]")
    assert point["value"] == [1, 5] and point["outputs"] == ["pdf", "html", "slides", "handout"]


# --- a changed review --------------------------------------------------------------------------


def _copy(tmp_path: Path, monkeypatch, change) -> tuple[Path, str]:
    """The bundled review copied to tmp_path/ldn-review with its YAML text changed by `change`."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "ldn-review"
    shutil.copytree(BUNDLED, folder)
    text = change((folder / "review.yaml").read_text(encoding="utf-8"))
    (folder / "review.yaml").write_text(text, encoding="utf-8")
    return Path("ldn-review"), text


def _at(text: str, needle: str, after: str) -> str:
    """`file:line:column` of the first `needle` after the line holding `after`."""
    index = text.index(needle, text.index(after))
    line = text.count("\n", 0, index) + 1
    return f"ldn-review/review.yaml:{line}:{index - text.rfind(chr(10), 0, index)}"


def test_changed_body_number_warns_wherever_the_old_number_stays(tmp_path, monkeypatch):
    body = "@mischoulon2021, 12 patients"
    folder, text = _copy(tmp_path, monkeypatch, lambda t: t.replace(body, "@mischoulon2021, 14 patients"))
    assert text.count("@mischoulon2021, 14 patients") == 1
    said = "section 'depression' says '14 patients'"
    assert [str(d) for d in _traced(folder).diagnostics] == [
        f"{_at(text, '12 patients', 'participants: 12')}: warning: evidence row 1 says '12 patients'; {said}",
        f"{_at(text, '12 patients', 'Pilot study: 12')}: warning: "
        f"key point of section 'depression' says '12 patients'; {said}",
        f"{_at(text, '12 people', 'In one small study')}: warning: lay summary says '12 people'; {said}",
    ]


def test_no_support_anywhere_says_so(tmp_path, monkeypatch):
    folder, _ = _copy(tmp_path, monkeypatch, lambda t: t.replace("treated with LDN for eight weeks", "treated with LDN")
                      .replace("      duration: 8 weeks\n", ""))
    messages = [d.message for d in _traced(folder).diagnostics]
    assert "key point of section 'depression' says '8 weeks'; the body gives no duration to support it" in messages
    assert "lay summary says 'eight weeks'; the body gives no duration to support it" in messages


ROWS = """\
    - condition: Fibromyalgia
      study: "@younger2014trial"
      design: Randomised controlled trial
      finding: Less pain
    - condition: Bipolar disorder
      study: "@chopra2019"
      design: Case series
      finding: Mood improved

lay_summary:"""


def test_evidence_rows_tie_to_the_text(tmp_path, monkeypatch):
    folder, text = _copy(tmp_path, monkeypatch, lambda t: t.replace("\nlay_summary:", ROWS, 1))
    row5, row6 = (_at(text, "condition", key) for key in ("condition: Fibromyalgia", "condition: Bipolar"))
    assert [str(d) for d in _traced(folder).diagnostics] == [
        f"{row5}: warning: evidence row 5 cites 'younger2014trial', which no section of the body cites; "
        "discuss the study in the body or remove the row",
        f"{row6}: warning: evidence row 6: no section discusses its condition 'Bipolar disorder'; "
        "discuss it in the body or correct the condition",
    ]


def test_fifty_times_the_review_traces_fast():
    document, _ = load_review(BUNDLED)
    lay = document.lay_summary
    big = dataclasses.replace(
        document, sections=document.sections * 50, key_points=document.key_points * 50,
        evidence=dataclasses.replace(document.evidence, studies=document.evidence.studies * 50),
        lay_summary=dataclasses.replace(lay, sections=lay.sections * 50, key_messages=lay.key_messages * 50))
    text = (BUNDLED / "review.yaml").read_text(encoding="utf-8")
    started = time.process_time()
    result = trace(big, text)
    assert time.process_time() - started < 1.0
    assert not result.diagnostics and len(result.facts) == 21 * 50


def test_check_warns_and_strict_fails_on_a_changed_number(tmp_path, monkeypatch, capsys):
    """The command line runs the trace: a warning per stale number; --strict fails the check."""
    from pipeline.cli import main

    folder = tmp_path / "ldn-review"
    shutil.copytree(BUNDLED, folder)
    text = (folder / "review.yaml").read_text(encoding="utf-8")
    (folder / "review.yaml").write_text(text.replace("@mischoulon2021, 12 patients", "@mischoulon2021, 14 patients"),
                                        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "-q", "ldn-review"]) == 0
    printed = capsys.readouterr().err.splitlines()
    assert sorted(line.split(": warning: ")[0] for line in printed if "says '12" in line) == [
        "ldn-review/review.yaml:177:21", "ldn-review/review.yaml:219:41", "ldn-review/review.yaml:77:23"]
    assert main(["check", "-q", "--strict", "ldn-review"]) == 1
