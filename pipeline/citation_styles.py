"""Citation styles: how a reference list entry and an in-text citation are written.

Every rule lives here, once: `apa` (APA 7 author-year; the default) and
`vancouver` (numbered in order of first citation, as medical journals use).
A style first `prepare`s the listed entries (order, 2014a/2014b, numbers),
then formats entries and citations against that fixed context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from string import ascii_lowercase

from pipeline.bibliography import BibEntry, Name, sort_key
from pipeline.model import Cite, CiteItem, Emph, Link, RefLink, Runs, Text


@dataclass(frozen=True)
class Context:
    """What a style decided about the listed entries before formatting any of them."""

    entries: dict[str, BibEntry]  # listed entries, in list order
    year_suffix: dict[str, str]
    number: dict[str, int]

    def position(self, key: str) -> int:
        return list(self.entries).index(key)


def _join(*parts: Runs | str) -> Runs:
    runs: list = []
    for part in parts:
        runs.extend((Text(part),) if isinstance(part, str) else part)
    merged: list = []
    for run in runs:
        if isinstance(run, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + run.text)
        elif not (isinstance(run, Text) and not run.text):
            merged.append(run)
    return tuple(merged)


def _sentence(text: str) -> str:
    """Text ending in a full stop unless it already ends in punctuation."""
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def _bare_doi(entry: BibEntry) -> str:
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", entry.get("doi"), flags=re.I)


def _doi_or_url(entry: BibEntry, show_doi_as_url: bool = True) -> Runs:
    doi = _bare_doi(entry)
    url = f"https://doi.org/{doi}" if doi else entry.get("url")
    shown = url if show_doi_as_url or not doi else doi
    return (Link(url, (Text(shown),)),) if url.startswith(("http://", "https://")) else ()


def _et_al_short(names: tuple[Name, ...], conjunction: str) -> str:
    families = [n.family for n in names]
    if len(families) == 1:
        return families[0]
    if len(families) == 2:
        return f"{families[0]} {conjunction} {families[1]}"
    return f"{families[0]} et al."


class Apa:
    """APA 7: author–year, list sorted by author, 2014a/2014b when author and year repeat."""

    name = "apa"
    numeric = False

    def prepare(self, entries: list[BibEntry], first_cited: list[str]) -> Context:
        ordered = sorted(entries, key=self._sort_key)
        suffix: dict[str, str] = {}
        for _, group in groupby(ordered, key=self._disambiguation_key):
            same = list(group)
            if len(same) > 1:
                suffix.update({e.key: ascii_lowercase[i % 26] for i, e in enumerate(same)})
        return Context({e.key: e for e in ordered}, suffix, {})

    def _sort_key(self, entry: BibEntry) -> tuple:
        names = [(sort_key(n.family), sort_key(n.given)) for n in entry.authors or entry.editors]
        title = re.sub(r"^(the|a|an) ", "", sort_key(entry.get("title")))
        return (names or [(title, "")], entry.get("year") or "9999", title)

    def _disambiguation_key(self, entry: BibEntry) -> tuple[str, str]:
        return (self._short_author(entry, "&"), entry.get("year"))

    def _short_author(self, entry: BibEntry, conjunction: str) -> str:
        names = entry.authors or entry.editors
        return _et_al_short(names, conjunction) if names else f"\u201c{entry.get('title')}\u201d"

    def year(self, entry: BibEntry, context: Context) -> str:
        year = entry.get("year") or "n.d."
        suffix = context.year_suffix.get(entry.key, "")
        return f"{year}-{suffix}" if suffix and not year[-1].isdigit() else year + suffix

    # --- in-text -----------------------------------------------------------------

    def cite(self, cite: Cite, context: Context) -> Runs:
        if cite.mode == "narrative":
            return self._narrative(cite.items[0], context)
        items = sorted(cite.items, key=lambda item: context.position(item.key))
        parts: list[Runs] = []
        for author, group in groupby(items, key=lambda item: self._group_key(item, context)):
            parts.append(self._group(list(group), context))
        return _join("(", _join(*[p if i == 0 else _join("; ", p) for i, p in enumerate(parts)]), ")")

    def _group_key(self, item: CiteItem, context: Context) -> object:
        if item.prefix or item.locator or item.suppress_author:
            return id(item)
        return self._short_author(context.entries[item.key], "&")

    def _group(self, items: list[CiteItem], context: Context) -> Runs:
        first = items[0]
        entry = context.entries[first.key]
        text = self.year(entry, context) if first.suppress_author else \
            f"{self._short_author(entry, '&')}, {self.year(entry, context)}"
        text = f"{first.prefix} {text}" if first.prefix else text
        text = f"{text}, {first.locator}" if first.locator else text
        runs = [RefLink(first.key, (Text(text),))]
        for item in items[1:]:
            runs += [Text(", "), RefLink(item.key, (Text(self.year(context.entries[item.key], context)),))]
        return _join(tuple(runs))

    def _narrative(self, item: CiteItem, context: Context) -> Runs:
        entry = context.entries[item.key]
        year = self.year(entry, context)
        year = f"{year}, {item.locator}" if item.locator else year
        return (RefLink(item.key, (Text(f"{self._short_author(entry, 'and')} ({year})"),)),)

    # --- reference list ------------------------------------------------------------

    def label(self, entry: BibEntry, context: Context) -> str:
        return ""

    def reference(self, entry: BibEntry, context: Context) -> Runs:
        year = f"({self.year(entry, context)})."
        names = entry.authors or entry.editors
        editors_only = not entry.authors and entry.editors
        title = self._title(entry)
        if names:
            who = self._names(names) + (" (Eds.)." if editors_only and len(names) > 1 else " (Ed.)." if editors_only else "")
            head = _join(_sentence(who), " ", year, " ", title)
        else:
            head = _join(title, " ", year)
        return _join(head, self._source(entry), self._tail(entry))

    def _names(self, names: tuple[Name, ...]) -> str:
        parts = [self._name(n) for n in names]
        if len(parts) == 1:
            return parts[0]
        if len(parts) <= 20:
            return ", ".join(parts[:-1]) + ", & " + parts[-1]
        return ", ".join(parts[:19]) + ", . . . " + parts[-1]

    def _name(self, name: Name) -> str:
        initials = " ".join(name.initials)
        text = f"{name.family}, {initials}" if initials else name.family
        return f"{text}, {name.suffix}" if name.suffix else text

    def _is_container_part(self, entry: BibEntry) -> bool:
        return entry.type in ("article", "incollection", "inproceedings", "conference", "inbook") \
            and bool(entry.get("journal") or entry.get("booktitle"))

    def _title(self, entry: BibEntry) -> Runs:
        title = entry.get("title") or "[Untitled]"
        if self._is_container_part(entry):
            return (Text(_sentence(title)),)
        extra = [entry.get("edition") and f"{entry.get('edition')} ed.",
                 entry.get("number") and entry.type in ("techreport", "report") and f"Report No. {entry.get('number')}"]
        extra_text = f"({'; '.join(e for e in extra if e)})" if any(extra) else ""
        thesis = self._thesis_kind(entry)
        if thesis:
            school = entry.get("school")
            return _join((Emph((Text(title),)),), f" [{thesis}{', ' + school if school else ''}].")
        return _join((Emph((Text(title),)),), f" {extra_text}." if extra_text else ".")

    def _thesis_kind(self, entry: BibEntry) -> str:
        if entry.type == "phdthesis" or (entry.type == "thesis" and "phd" in entry.get("type").lower()):
            return "Doctoral dissertation"
        if entry.type in ("mastersthesis", "thesis"):
            return "Master's thesis"
        return ""

    def _source(self, entry: BibEntry) -> Runs:
        if entry.get("journal"):
            return self._journal(entry)
        if entry.get("booktitle"):
            return self._in_book(entry)
        publisher = entry.get("publisher") or entry.get("institution") or entry.get("organization") \
            or entry.get("howpublished")
        if self._thesis_kind(entry):
            publisher = ""
        return (Text(" " + _sentence(publisher)),) if publisher else ()

    def _journal(self, entry: BibEntry) -> Runs:
        runs: list = [Text(" "), Emph((Text(entry.get("journal")),))]
        if entry.get("volume"):
            runs += [Text(", "), Emph((Text(entry.get("volume")),))]
            if entry.get("number"):
                runs.append(Text(f"({entry.get('number')})"))
        if entry.get("pages"):
            runs.append(Text(", " + _en_dash(entry.get("pages"))))
        runs.append(Text("."))
        return _join(tuple(runs))

    def _in_book(self, entry: BibEntry) -> Runs:
        editors = entry.editors
        who = ""
        if editors:
            names = [" ".join(n.initials + [n.family]) for n in editors]
            joined = names[0] if len(names) == 1 else (" & ".join(names) if len(names) == 2
                                                      else ", ".join(names[:-1]) + ", & " + names[-1])
            who = f"{joined} ({'Eds.' if len(names) > 1 else 'Ed.'}), "
        pages = f" (pp. {_en_dash(entry.get('pages'))})" if entry.get("pages") else ""
        publisher = entry.get("publisher") or entry.get("organization")
        return _join(f" In {who}", (Emph((Text(entry.get("booktitle")),)),), pages + ".",
                     f" {_sentence(publisher)}" if publisher else "")

    def _tail(self, entry: BibEntry) -> Runs:
        link = _doi_or_url(entry)
        return _join(" ", link) if link else ()


def _en_dash(pages: str) -> str:
    return re.sub(r"\s*[-\u2010-\u2015]+\s*", "\u2013", pages)


def _nlm_pages(pages: str) -> str:
    """NLM page ranges drop the repeated leading digits: 333-337 → 333-7."""
    match = re.fullmatch(r"(\d+)\s*[-\u2010-\u2015]+\s*(\d+)", pages.strip())
    if not match:
        return _en_dash(pages).replace("\u2013", "-")
    first, last = match.groups()
    if len(first) == len(last):
        common = 0
        while common < len(last) - 1 and first[common] == last[common]:
            common += 1
        last = last[common:]
    return f"{first}-{last}"


class Vancouver:
    """Vancouver (ICMJE/NLM): numbered in order of first citation; six authors, then et al."""

    name = "vancouver"
    numeric = True

    def prepare(self, entries: list[BibEntry], first_cited: list[str]) -> Context:
        rank = {key: i for i, key in enumerate(first_cited)}
        ordered = sorted(entries, key=lambda e: (rank.get(e.key, len(rank)), Apa()._sort_key(e)))
        return Context({e.key: e for e in ordered}, {}, {e.key: i + 1 for i, e in enumerate(ordered)})

    def cite(self, cite: Cite, context: Context) -> Runs:
        numbers = _join(*self._numbers(cite.items, context))
        if cite.mode == "narrative":
            entry = context.entries[cite.items[0].key]
            names = entry.authors or entry.editors
            who = _et_al_short(names, "and") if names else f"\u201c{entry.get('title')}\u201d"
            return _join(f"{who} [", numbers, "]")
        return _join("[", numbers, "]")

    def _numbers(self, items: tuple[CiteItem, ...], context: Context) -> list[Runs]:
        if any(item.locator or item.prefix for item in items):
            parts = []
            for item in items:
                text = " ".join(filter(None, [item.prefix, str(context.number[item.key])]))
                text = f"{text}, {item.locator}" if item.locator else text
                parts.append((RefLink(item.key, (Text(text),)),) if not parts else _join("; ", (RefLink(item.key, (Text(text),)),)))
            return parts
        keys = sorted({item.key for item in items}, key=lambda k: context.number[k])
        return self._ranges(keys, context)

    def _ranges(self, keys: list[str], context: Context) -> list[Runs]:
        runs: list[Runs] = []
        i = 0
        while i < len(keys):
            j = i
            while j + 1 < len(keys) and context.number[keys[j + 1]] == context.number[keys[j]] + 1:
                j += 1
            sep = () if not runs else (Text(", "),)
            first = RefLink(keys[i], (Text(str(context.number[keys[i]])),))
            if j - i >= 2:
                last = RefLink(keys[j], (Text(str(context.number[keys[j]])),))
                runs.append(_join(sep, (first, Text("\u2013"), last)))
                i = j + 1
            else:
                runs.append(_join(sep, (first,)))
                i += 1
        return runs

    def label(self, entry: BibEntry, context: Context) -> str:
        return f"{context.number[entry.key]}."

    def reference(self, entry: BibEntry, context: Context) -> Runs:
        names = entry.authors or entry.editors
        who = self._names(names) + (", editors" if not entry.authors and entry.editors else "")
        head = f"{_sentence(who)} " if names else ""
        title = entry.get("title") or "[Untitled]"
        runs = _join(head, self._title(entry, title), self._source(entry))
        link = _doi_or_url(entry, show_doi_as_url=False)
        if link and entry.get("doi"):
            runs = _join(runs, " doi:", link)
        elif link:
            runs = _join(runs, " Available from: ", link)
        return runs

    def _names(self, names: tuple[Name, ...]) -> str:
        parts = [" ".join(filter(None, [n.family, "".join(c for i in n.initials for c in i if c.isalpha()),
                                        n.suffix.rstrip(".")])) for n in names]
        return ", ".join(parts[:6]) + (", et al" if len(parts) > 6 else "")

    def _title(self, entry: BibEntry, title: str) -> str:
        kind = " [dissertation]" if entry.type in ("phdthesis", "thesis") else \
            " [master's thesis]" if entry.type == "mastersthesis" else \
            " [Internet]" if entry.type == "online" else ""
        return _sentence(title.rstrip(".") + kind) if kind else _sentence(title)

    def _source(self, entry: BibEntry) -> str:
        year = entry.get("year") or "[date unknown]"
        if entry.get("journal"):
            issue = f"({entry.get('number')})" if entry.get("number") else ""
            volume = f";{entry.get('volume')}{issue}" if entry.get("volume") else ""
            pages = f":{_nlm_pages(entry.get('pages'))}" if entry.get("pages") else ""
            return f" {entry.get('journal')}. {year}{volume}{pages}."
        place = entry.get("address")
        publisher = entry.get("publisher") or entry.get("school") or entry.get("institution") \
            or entry.get("organization") or entry.get("howpublished")
        where = ": ".join(filter(None, [place, publisher]))
        pages = f" p. {_nlm_pages(entry.get('pages'))}." if entry.get("pages") else ""
        container = ""
        if entry.get("booktitle"):
            editors = self._names(entry.editors) + ", editors. " if entry.editors else ""
            container = f" In: {editors}{_sentence(entry.get('booktitle'))}"
        edition = f" {entry.get('edition')} ed." if entry.get("edition") else ""
        return f"{container}{edition} {where + '; ' if where else ''}{year}.{pages}"


STYLES = {"apa": Apa(), "vancouver": Vancouver()}
