"""The evidence chart: computed once from the evidence table, drawn by every output.

`evidence_chart(document)` reads the `evidence` rows and decides everything a
reader of any output sees: the studies grouped by condition (in table order),
each study's design put into a small vocabulary ordered from strongest to
weakest, its number of participants (read with `pipeline.facts.quantities`;
None when the row does not state one — drawn as "not stated", never as zero),
the participant axis (linear or logarithmic, with round ticks), the caption,
a text alternative and a plain-words version for the lay summary.

Renderers (`pipeline/render/chart_svg.py`, `pipeline/render/slides/chart.py`)
lay this out; none of them decides a label, a scale or a sentence again.
"""

from __future__ import annotations

import math
import re

from pipeline.chart_model import AXIS_TITLE, NOT_STATED, Axis, Design, EvidenceChart, Group, Mark
from pipeline.facts.quantities import extract
from pipeline.model import Document, Runs, Study, plain_text
from pipeline.visitor import PlainText, superscript_digits

PLAIN_HEADING = "How much evidence is there?"
LOG_RATIO = 50  # a largest/smallest ratio above this puts participants on a log scale


# --- designs ------------------------------------------------------------------------------------


DESIGNS = (
    Design("rct", "randomised controlled trial", 0, True),
    Design("controlled", "controlled trial", 1, True),
    Design("cohort", "cohort study", 2, False),
    Design("pilot", "pilot or open-label study", 3, False),
    Design("chart_review", "chart review", 4, False),
    Design("case_series", "case series", 5, False),
    Design("case_report", "case report", 6, False),
    Design("other", "other design", 7, False),
)
DESIGN = {d.key: d for d in DESIGNS}

# First match wins, so the order matters: "non-randomised controlled" is not an RCT,
# "retrospective cohort" is a cohort, "case reports" (plural) are a series.
_DESIGN_PATTERNS = (
    ("controlled", r"\bnon-?\s?randomi[sz]ed\b.*\bcontrol"),
    ("rct", r"\brandomi[sz]ed\b|\brcts?\b"),
    ("controlled", r"(?<!un)controlled|\bcontrol group\b|\bcomparative\b|\bcase-control\b"),
    ("case_series", r"\bcase series\b|\bseries of\b.*\bcases\b|\bcase reports\b|\bcases\b"),
    ("case_report", r"\bcase (report|study)\b|\bsingle[- ]case\b|\bn-of-1\b|\bsingle patient\b"),
    ("cohort", r"\bcohort\b|\bobservational\b|\bregistry\b|\blongitudinal\b|\bprospective\b"),
    ("chart_review", r"\bchart\b|\brecords?\b.*\breview\b|\breview of\b.*\brecords\b|\bretrospective\b"),
    ("pilot", r"\bpilot\b|\bopen[- ]label\b|\bsingle[- ]arm\b|\buncontrolled\b|\bfeasibility\b|\bopen trial\b"),
)


def classify(label: str) -> Design:
    """The design category of a design as written; unknown wordings are "other"."""
    text = " ".join(label.lower().split())
    for key, pattern in _DESIGN_PATTERNS:
        if re.search(pattern, text):
            return DESIGN[key]
    return DESIGN["other"]


def chart_enabled(document: Document) -> bool:
    """Whether the author wants the chart: `evidence.chart: false` turns it off; on unless said."""
    return bool(document.evidence and document.evidence.chart)


def evidence_chart(document: Document) -> EvidenceChart | None:
    """The chart of the document's evidence table; None without evidence or when the author turned it off."""
    if not document.evidence or not document.evidence.studies or not chart_enabled(document):
        return None
    return build_chart(document.evidence.studies, document.decided.evidence_groups or None)


def build_chart(studies: tuple[Study, ...], groups: tuple[tuple[int, ...], ...] | None = None) -> EvidenceChart:
    """The chart of these evidence rows, grouped as `condition_groups` groups them unless `groups` is given."""
    groups = tuple(Group(_label(studies[rows[0]].condition) or "Condition not stated",
                         tuple(_mark(i, studies[i]) for i in rows))
                   for rows in (groups or condition_groups(studies)))
    marks = [m for g in groups for m in g.marks]
    designs = tuple(sorted({m.design for m in marks}, key=lambda d: d.rank))
    axis = make_axis([m.participants for m in marks if m.participants is not None])
    return EvidenceChart(groups, designs, axis, caption(marks, axis), alt_text(groups),
                         PLAIN_HEADING, plain_summary(marks))


def _mark(row: int, study: Study) -> Mark:
    label = _label(study.design) or "Design not stated"
    count, noun = participants(study.participants)
    return Mark(row, _label(study.study), classify(label), label, count, noun)


def condition_groups(studies: tuple[Study, ...]) -> tuple[tuple[int, ...], ...]:
    """The rows (indexes) by condition: the same words, case and spacing aside; groups in order of first row.

    The one rule the chart and the deck's grouped table follow (`Decisions.evidence_groups`).
    """
    order: dict[str, list[int]] = {}
    for i, study in enumerate(studies):
        order.setdefault(_label(study.condition).casefold(), []).append(i)
    return tuple(tuple(rows) for rows in order.values())


class _Label(PlainText):
    """A cell as a chart label: plain text, a raised citation number as Unicode superscript ("Younger et al²")."""

    def visit_sup(self, node) -> str:
        return superscript_digits(self.visit_children(node))


def _label(cell: Runs | None) -> str:
    return _clean(_Label().visit(cell))


def _clean(text: str) -> str:
    return " ".join(text.split())


_BARE_COUNT = re.compile(r"^\s*(?:n\s*=\s*)?(\d{1,3}(?:,\d{3})*|\d+)\s*$", re.I)
_N_EQUALS = re.compile(r"\bn\s*=\s*(\d{1,3}(?:,\d{3})*|\d+)\b", re.I)


def participants(cell: Runs | None) -> tuple[int | None, str]:
    """The number of people a participants cell states, and the word it counts them with.

    The largest count of people in the cell is the study's size ("60 patients, 45 completed"
    is 60); a bare number or "n = 12" counts too. Fewer than one person is no number.
    """
    if not cell:
        return None, "participants"
    people = [q for q in extract(cell) if q.kind == "people" and not q.approx]
    if people:
        best = max(people, key=lambda q: q.high)
        return (int(best.high), best.unit) if best.high >= 1 else (None, "participants")
    text = plain_text(cell)
    found = _BARE_COUNT.match(text) or _N_EQUALS.search(text)
    count = int(found.group(1).replace(",", "")) if found else 0
    return (count, "participants") if count >= 1 else (None, "participants")


# --- the axis --------------------------------------------------------------------------------------


def make_axis(counts: list[int]) -> Axis:
    """A linear axis from 0, or a log axis from 1 when the counts span more than LOG_RATIO times."""
    if not counts:
        return Axis("none", 0, 0, ())
    largest, smallest = max(counts), min(counts)
    if largest / smallest > LOG_RATIO:
        return _log_axis(largest)
    step = _nice_step(largest)
    high = step * math.ceil(largest / step)
    return Axis("linear", 0, high, tuple(range(0, high + 1, step)))


def _nice_step(largest: int, most: int = 6) -> int:
    """The smallest 1-2-5 step (a whole number) that divides 0..largest into at most `most` parts."""
    for power in range(0, 13):
        for factor in (1, 2, 5):
            step = factor * 10 ** power
            if math.ceil(largest / step) <= most:
                return step
    return 10 ** 13


def _log_axis(largest: int) -> Axis:
    """1 to the first 1-2-5 value at or above `largest`; ticks at 1-2-5 for up to three decades."""
    decades = math.ceil(math.log10(largest)) if largest > 1 else 1
    factors = (1, 2, 5) if decades <= 3 else (1,)
    values = [f * 10 ** p for p in range(decades + 1) for f in factors]
    high = next(v for v in sorted(values) if v >= largest)
    return Axis("log", 1, high, tuple(v for v in sorted(values) if v <= high))


# --- words ------------------------------------------------------------------------------------------

_WORDS = "no one two three four five six seven eight nine ten".split()


def count_words(n: int) -> str:
    """A count as English prose writes it: words up to ten, digits above."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _lower_first(text: str) -> str:
    """'Pilot study' → 'pilot study', but 'RCT' and 'N-of-1 trial' keep their capitals."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


def _article(phrase: str) -> str:
    first = phrase.split()[0] if phrase.split() else ""
    if first.isupper() and len(first) > 1:  # an acronym is read letter by letter: "an RCT"
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    vowel = first[:1].lower() in "aeiou" and not first.lower().startswith(("uni", "use", "one", "eu"))
    return "an" if vowel else "a"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _noun(mark: Mark) -> str:
    """The counted noun in the number's grammatical number: '1 patient', '3 patients'."""
    noun = mark.noun
    if mark.participants == 1 and noun.endswith("s") and noun not in ("series",):
        return {"people": "person", "women": "woman", "men": "man", "children": "child"}.get(noun, noun[:-1])
    if mark.participants != 1 and not noun.endswith("s"):
        return {"person": "people", "woman": "women", "man": "men", "child": "children"}.get(noun, noun + "s")
    return noun


def _described(mark: Mark) -> str:
    design = _lower_first(mark.design_label)
    if mark.participants is None:
        return f"{_article(design)} {design}, number of participants {NOT_STATED}"
    return f"{_article(design)} {design} of {mark.participants} {_noun(mark)}"


def caption(marks: list[Mark], axis: Axis) -> str:
    """What the figure shows, in one or two sentences (the renderer adds "Figure N.")."""
    scale = ", on a logarithmic scale" if axis.scale == "log" else ""
    text = f"Number of participants in each study of the evidence table{scale}, grouped by condition;" \
           " the marker shows the study design (key: strongest design first)."
    if axis.scale == "none":
        return text + " No study states its number of participants."
    unknown = sum(m.participants is None for m in marks)
    return text + (f" Hatched: number {NOT_STATED} ({_plural(unknown, 'study', 'studies')})." if unknown else "")


def alt_text(groups: tuple[Group, ...]) -> str:
    """The figure as text: every study, its design and size, by condition; then the strongest design."""
    marks = [m for g in groups for m in g.marks]
    parts = [f"{_plural(len(marks), 'study', 'studies')} in {_plural(len(groups), 'condition', 'conditions')}."]
    parts += [f"{g.condition}: {_and([_described(m) for m in g.marks])}." for g in groups]
    counts = [m.participants for m in marks if m.participants is not None]
    largest = f"The largest study had {_plural(max(counts), 'participant', 'participants')}" if counts \
        else "No study states its number of participants"
    rcts = sum(m.design.key == "rct" for m in marks)
    trials = "none is a randomised controlled trial" if not rcts else \
        f"{count_words(rcts) if rcts < len(marks) else 'all'} {'is a' if rcts == 1 else 'are'} " \
        f"randomised controlled trial{'' if rcts == 1 else 's'}"
    return " ".join(parts) + f" {largest}; {trials}."


def plain_summary(marks: list[Mark]) -> str:
    """How much evidence there is, in plain words a patient reads (short sentences, no jargon)."""
    n = len(marks)
    counts = [m.participants for m in marks if m.participants is not None]
    sentences = [f"There {'is' if n == 1 else 'are'} {count_words(n)} {'study' if n == 1 else 'studies'}."]
    sentences += _size_sentences(counts, n)
    sentences.append(_control_sentence(marks))
    return " ".join(sentences)


def _size_sentences(counts: list[int], n: int) -> list[str]:
    unknown = n - len(counts)
    if not counts:
        return ["None of them said how many people took part." if n > 1 else "It did not say how many people took part."]
    largest = max(counts)
    only = "only " if largest < 100 else ""
    people = "person" if largest == 1 else "people"
    if n == 1:
        first = f"It had {only}{largest} {people}."
    else:
        first = f"The biggest had {only}{largest} {people}"
        singles = counts.count(1)
        if singles and largest > 1:
            first += f", and {count_words(singles)} {'was' if singles == 1 else 'were each'} about a single person"
        first += "."
    sentences = [first]
    if unknown:
        them = "One study" if unknown == 1 else f"{count_words(unknown).capitalize()} studies"
        sentences.append(f"{them} did not say how many people took part.")
    return sentences


def _control_sentence(marks: list[Mark]) -> str:
    rcts = sum(m.design.key == "rct" for m in marks)
    controlled = sum(m.design.controlled for m in marks)
    if not controlled:
        return ("None of the studies" if len(marks) > 1 else "The study did not") + \
            (" compared the treatment with a dummy pill (a placebo) or with another group."
             if len(marks) > 1 else " compare the treatment with a dummy pill (a placebo) or with another group.")
    if rcts:
        which = "One study" if rcts == 1 else f"{count_words(rcts).capitalize()} studies"
        return f"{which} compared the treatment with another group, with people put into the groups by chance."
    which = "One study" if controlled == 1 else f"{count_words(controlled).capitalize()} studies"
    return f"{which} compared the treatment with another group, but people were not put into the groups by chance."
