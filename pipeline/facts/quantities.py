"""Quantities in prose: "12 patients", "1–5 mg per day", "eight weeks", "half of them", "one in four".

`extract` reads plain text (or inline runs, citations skipped) once, left to
right, and returns every number a reader could compare across outputs, with
its kind (people, studies, dose, duration, percent) and a value normalised so
that "eight weeks" equals "8 weeks" and "half" equals "50%". Numbers that
are not comparable facts (years, reference labels, section numbers, a number
with no unit or counted noun) give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.model import Runs
from pipeline.visitor import PlainText

_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\s\w]")
CITE_MARK = "\ufffc"  # stands for a citation, so numbers on either side never join through it

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " \
         "sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
NUMBER_WORDS = {**{w: i for i, w in enumerate(_UNITS)}, **_TENS,
                **{f"{t}-{u}": v + i for t, v in _TENS.items() for i, u in enumerate(_UNITS[1:10], 1)}}

PEOPLE = frozenset("patient patients people person persons participant participants adult adults woman women "
                   "man men subject subjects individual individuals case cases child children adolescent "
                   "adolescents volunteer volunteers veteran veterans respondent respondents".split())
SINGULAR_PEOPLE = frozenset("patient person participant adult woman man subject individual child adolescent "
                            "volunteer veteran respondent".split())
STUDIES = frozenset("study studies trial trials rct rcts report reports review reviews series paper papers "
                    "article articles cohort cohorts meta-analysis meta-analyses".split())
# Dose units and their factor to the family's base unit (mg, ml or IU).
DOSES = {"mg": ("mg", 1.0), "milligram": ("mg", 1.0), "milligrams": ("mg", 1.0), "g": ("mg", 1000.0),
         "gram": ("mg", 1000.0), "grams": ("mg", 1000.0), "µg": ("mg", 0.001), "μg": ("mg", 0.001),
         "mcg": ("mg", 0.001), "microgram": ("mg", 0.001), "micrograms": ("mg", 0.001),
         "ng": ("mg", 1e-6), "ml": ("ml", 1.0), "iu": ("IU", 1.0)}
# Durations: hours, days and weeks compare in days; months and years in months.
DURATIONS = {"hour": ("days", 1 / 24), "hours": ("days", 1 / 24), "day": ("days", 1.0), "days": ("days", 1.0),
             "week": ("days", 7.0), "weeks": ("days", 7.0), "month": ("months", 1.0),
             "months": ("months", 1.0), "year": ("months", 12.0), "years": ("months", 12.0)}
_PERIODS = {"day": "day", "d": "day", "daily": "day", "nightly": "day", "night": "day", "bedtime": "day",
            "week": "week", "wk": "week", "weekly": "week", "month": "month", "monthly": "month"}
FRACTIONS = {"half": 50.0, "halves": 50.0, "third": 100 / 3, "thirds": 100 / 3, "quarter": 25.0,
             "quarters": 25.0, "fifth": 20.0, "fifths": 20.0}
# Words that cannot stand between a number and the noun it counts ("12 of the", "3 had").
_STOP = frozenset("a an the of and or but with without in on at to for from by who that which whom were was "
                  "is are be been being had has have did do does took take taken received reported got as than "
                  "more less fewer over under per after before during each every all their them these those "
                  "this it its they we not no only also into out about up".split())
_YEAR_BEFORE = frozenset("in since by from until till during before after of to and between early late mid "
                         "circa c".split())
_ONE_DURATION_BEFORE = frozenset("for after over within lasting than about of least".split())
_DASHES = frozenset({"-", "–", "—", "to"})
# Words a quantity can start with (besides digits): the scan tries its matchers only there.
_STARTERS = frozenset(NUMBER_WORDS) | frozenset(FRACTIONS) | {"a", "an", "both", "between", "dozen"}


@dataclass(frozen=True)
class Quantity:
    """A number as written in the text, with its kind and comparable value."""

    text: str  # as written: "eight weeks", "1 to 5 mg a day"
    kind: str  # people, studies, dose, duration, percent
    low: float  # in `unit`; equal to `high` unless a range
    high: float
    unit: str  # as normalised for display: "patients", "mg/day", "weeks", "%"
    family: str  # what values compare in: "people", "mg", "days", "months", "%" ...
    scale: float  # low * scale is the value in the family's base unit
    period: str = ""  # for doses: "day", "week" or "" when not said
    start: int = 0  # offset in the text it was found in
    weak: bool = False  # implied ("a patient"): supports other numbers, is never checked itself
    approx: bool = False  # from a fraction or ratio ("a third"): equal within half a percent

    @property
    def value(self) -> float | tuple[float, float]:
        return self.low if self.low == self.high else (self.low, self.high)

    def base(self) -> tuple[float, float]:
        """Low and high in the family's base unit."""
        return self.low * self.scale, self.high * self.scale

    def same(self, other: Quantity) -> bool:
        """Whether the two say the same thing: same family and period, equal values."""
        if self.kind != other.kind or self.family != other.family:
            return False
        if self.period and other.period and self.period != other.period:
            return False
        if self.approx or other.approx:  # "a third" is 33% or 33.3%
            return all(abs(a - b) <= 0.5 for a, b in zip(self.base(), other.base()))
        return all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(self.base(), other.base()))


@dataclass(slots=True)
class _Token:
    text: str
    lower: str
    start: int
    end: int


class _CitesMarked(PlainText):
    """Plain text with each citation replaced by one mark, so numbers in citations are skipped."""

    def visit_cite(self, node) -> str:
        return f" {CITE_MARK} "


def text_of(runs: Runs) -> str:
    """The runs as plain text with each citation replaced by one mark: numbers in citations are skipped."""
    return _CitesMarked().visit(runs)


def extract(source: Runs | str) -> list[Quantity]:
    """Every comparable quantity in `source` (plain text, or runs whose citations are skipped)."""
    text = source if isinstance(source, str) else text_of(source)
    return _Scanner(text).scan()


class _Scanner:
    """One left-to-right pass over the tokens; each matcher looks a few tokens ahead."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = [_Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN.finditer(text)]

    def scan(self) -> list[Quantity]:
        found: list[Quantity] = []
        i = 0
        while i < len(self.tokens):
            word = self.tokens[i].lower
            matched = self._match(i) if word[:1].isdigit() or word in _STARTERS else None
            if matched:
                quantities, i = matched
                found += quantities
            else:
                i += 1
        return found

    def _match(self, i: int) -> tuple[list[Quantity], int] | None:
        word = self.tokens[i].lower
        if word == "between":
            return self._between(i)
        if word in FRACTIONS:
            return self._fraction(i)
        if word in ("a", "an", "both"):
            return self._article(i)
        return self._ratio(i) or self._numbers(i)

    # --- reading pieces -------------------------------------------------------------

    def _lower(self, i: int) -> str:
        return self.tokens[i].lower if 0 <= i < len(self.tokens) else ""

    def _number(self, i: int) -> tuple[float, int] | None:
        """The number at token i and the token after it: digits, a number word, "a dozen", "a single"."""
        word = self._lower(i)
        if word[:1].isdigit():
            value = float(word.replace(",", ""))
            return (value, i + 1) if value < 1e12 else None  # a number past any count is not a fact
        if word in NUMBER_WORDS:
            return float(NUMBER_WORDS[word]), i + 1
        if word == "dozen" or (word == "a" and self._lower(i + 1) == "dozen"):
            return 12.0, i + (1 if word == "dozen" else 2)
        if word == "a" and self._lower(i + 1) == "single":
            return 1.0, i + 2
        return None

    def _span(self, first: int, last: int) -> tuple[str, int]:
        start = self.tokens[first].start
        return self.text[start:self.tokens[last].end], start

    def _noun(self, j: int, modifiers: int = 2) -> tuple[str, str, int] | None:
        """A counted noun at j, after at most `modifiers` describing words: (kind, noun, index of noun)."""
        for k in range(j, min(j + modifiers + 1, len(self.tokens))):
            word = self.tokens[k].lower
            if word == "case" or word == "cases":
                if self._lower(k + 1) in STUDIES:
                    return "studies", self.tokens[k + 1].lower, k + 1
                return "people", word, k
            if word in PEOPLE:
                return "people", word, k
            if word in STUDIES:
                return "studies", word, k
            if word in _STOP or not word[:1].isalpha() or word in DOSES or word in DURATIONS:
                return None
        return None

    def _period(self, j: int) -> tuple[str, int]:
        """A dosing period after a dose unit ("/day", "per day", "a day", "daily"), and the token after it."""
        word, after = self._lower(j), self._lower(j + 1)
        if word in ("/", "per", "a", "an", "each", "every", "at") and after in _PERIODS:
            return _PERIODS[after], j + 2
        if word in ("daily", "weekly", "monthly", "nightly"):
            return _PERIODS[word], j + 1
        return "", j

    def _unit(self, j: int, spoken_one: bool) -> dict | None:
        """The unit or counted noun at token j: the fields of a Quantity and the index of its last token."""
        word = self._lower(j)
        if word == "%" or word == "percent" or (word == "per" and self._lower(j + 1) == "cent"):
            last = j + 1 if word == "per" else j
            return dict(kind="percent", unit="%", family="%", scale=1.0, last=last)
        if word in ("-", "–") and self._lower(j + 1) in DURATIONS:  # "an 8-week trial"
            j, word = j + 1, self._lower(j + 1)
        if word in DOSES:
            return self._dose(j)
        if word in DURATIONS:
            if spoken_one and self._lower(self._first - 1) not in _ONE_DURATION_BEFORE:
                return None  # "one day" is an idiom more often than a duration
            family, scale = DURATIONS[word]
            unit = word if word.endswith("s") else word + "s"
            return dict(kind="duration", unit=unit, family=family, scale=scale, last=j)
        noun = self._noun(j)
        if noun:
            kind, name, last = noun
            return dict(kind=kind, unit=name, family=kind, scale=1.0, last=last)
        return None

    def _dose(self, j: int) -> dict:
        family, scale = DOSES[self._lower(j)]
        unit, last = self.tokens[j].text, j
        if self._lower(j + 1) == "/" and self._lower(j + 2) == "kg":
            return dict(kind="dose", unit=f"{unit}/kg", family=f"{family}/kg", scale=scale, last=j + 2)
        period, after = self._period(j + 1)
        if period:
            unit, last = f"{unit}/{period}", after - 1
        return dict(kind="dose", unit=unit, family=family, scale=scale, period=period, last=last)

    def _quantity(self, first: int, values: tuple[float, float], unit: dict, **extra) -> Quantity:
        unit = dict(unit)
        text, start = self._span(first, unit.pop("last"))
        return Quantity(text, low=values[0], high=values[1], start=start, **unit, **extra)

    # --- matchers: each returns (quantities, next token) or None -------------------------------

    def _numbers(self, i: int) -> tuple[list[Quantity], int] | None:
        """"12 patients", "1–5 mg per day", "1 to 5 mg", "one or three people", "8-week"."""
        first = self._number(i)
        if not first or self._glued(i):
            return None
        self._first = i
        values, j = [(first[0], first[0])], first[1]
        if self._lower(j) in _DASHES and self._number(j + 1):
            high, j = self._number(j + 1)
            values = [(first[0], high)]
        while self._lower(j) in (",", "or", "and") and self._number(j + 1):
            value, j = self._number(j + 1)
            values.append((value, value))
        unit = self._unit(j, spoken_one=self._lower(i) == "one" and len(values) == 1)
        if unit is None or self._is_year(i, j, unit):
            return None
        return [self._counted(i, v, unit) for v in values], unit["last"] + 1

    def _glued(self, i: int) -> bool:
        """Whether the number ends a name like "COVID-19" or "IL-6" rather than starting a quantity."""
        if i < 2 or self.tokens[i - 1].text not in ("-", "–"):
            return False
        dash, word = self.tokens[i - 1], self.tokens[i - 2]
        return dash.start == word.end and dash.end == self.tokens[i].start and word.lower[:1].isalpha()

    def _counted(self, i: int, values: tuple[float, float], unit: dict) -> Quantity:
        weak = unit["kind"] == "studies" and values == (1.0, 1.0)  # "one study" is a reference, not a count
        return self._quantity(i, values, unit, weak=weak)

    def _is_year(self, i: int, j: int, unit: dict) -> bool:
        """A year ("2018 U.S. guidelines", "in 2018 patients"): four digits from 1800 to 2100."""
        word = self._lower(i)
        if not (len(word) == 4 and word.isdigit() and 1800 <= int(word) <= 2100):
            return False
        return self._lower(i - 1) in _YEAR_BEFORE or (unit["kind"] in ("people", "studies") and unit["last"] != j)

    def _between(self, i: int) -> tuple[list[Quantity], int] | None:
        """"between 1 and 5 mg"."""
        low = self._number(i + 1)
        if not low or self._lower(low[1]) != "and" or not self._number(low[1] + 1):
            return None
        high, j = self._number(low[1] + 1)
        self._first = i
        unit = self._unit(j, spoken_one=False)
        return ([self._quantity(i, (low[0], high), unit)], unit["last"] + 1) if unit else None

    def _ratio(self, i: int) -> tuple[list[Quantity], int] | None:
        """"one in four", "1 in 4 patients", "6 out of 12 patients" (which also counts the 12)."""
        top = self._number(i)
        if not top:
            return None
        j, out = top[1], self._lower(top[1]) == "out"
        if not (self._lower(j) == "in" or (out and self._lower(j + 1) == "of")):
            return None
        j += 2 if out else 1
        j += self._lower(j) == "every"
        bottom = self._number(j)
        if not bottom or not 0 < top[0] < bottom[0]:
            return None
        noun = self._noun(bottom[1], modifiers=1)
        last = noun[2] if noun else bottom[1] - 1
        percent = dict(kind="percent", unit="%", family="%", scale=1.0, last=last)
        share = 100 * top[0] / bottom[0]
        found = [self._quantity(i, (share, share), percent, approx=True)]
        if out and noun:
            count = dict(kind=noun[0], unit=noun[1], family=noun[0], scale=1.0, last=last)
            found.append(self._quantity(j, (bottom[0], bottom[0]), count))
        return found, last + 1

    def _fraction(self, i: int) -> tuple[list[Quantity], int] | None:
        """"half of them", "a third of the patients", "two thirds of"."""
        word, before, after = self._lower(i), self._lower(i - 1), self._lower(i + 1)
        times = NUMBER_WORDS.get(before, 1) if before not in ("a", "one") else 1
        if word not in ("half",) and before not in ("a", "one") and before not in NUMBER_WORDS:
            return None  # "the third study" is an ordinal
        if after not in ("of", "the", "their", "them", "these", "those", "all", "were", "had"):
            return None
        first = i - 1 if before in ("a", "one") or before in NUMBER_WORDS else i
        share = min(100.0, times * FRACTIONS[word])
        last = i + 1 + (after == "of" and self._lower(i + 2).isalpha())  # "half of them", as written
        percent = dict(kind="percent", unit="%", family="%", scale=1.0, last=min(last, len(self.tokens) - 1))
        return [self._quantity(first, (share, share), percent, approx=True)], i + 1

    def _article(self, i: int) -> tuple[list[Quantity], int] | None:
        """"a single person" (1), "both patients" (2), and "a patient" (an implied 1 that only supports)."""
        word = self._lower(i)
        if word == "a" and self._lower(i + 1) in ("single", "dozen"):
            return self._numbers(i)
        if word == "both":
            noun = self._noun(i + 1, modifiers=0)
            if noun and noun[0] == "people" and noun[1] not in ("case", "cases"):
                unit = dict(kind="people", unit=noun[1], family="people", scale=1.0, last=noun[2])
                return [self._quantity(i, (2.0, 2.0), unit)], noun[2] + 1
            return None
        noun = self._noun(i + 1)
        if noun and noun[1] in SINGULAR_PEOPLE:
            unit = dict(kind="people", unit=noun[1], family="people", scale=1.0, last=noun[2])
            return [self._quantity(i, (1.0, 1.0), unit, weak=True)], noun[2] + 1
        return None
