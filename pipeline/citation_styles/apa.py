"""APA 7: author–year, the list sorted by author, 2014a/2014b when author and year repeat."""

from __future__ import annotations

import re
from itertools import groupby
from string import ascii_lowercase

from pipeline.bibliography import BibEntry, Name, sort_key
from pipeline.citation_styles.common import (set_members, end, prints_field, MONTHS, Context, bare_doi, capitalise, date_parts, edition, en_dash,
                                             et_al_short, full_title, is_corporate, is_numeric, join, link, month_number, patent_label,
                                             publisher, sentence, type_label, web_url)
from pipeline.model import Cite, CiteItem, Emph, RefLink, Runs, Text, plain_text as plain

# APA 7's bracketed description of a work that is not text (10.9 "[Data set]", 10.10 "[Computer software]").
KINDS = {"dataset": "Data set", "software": "Computer software"}
CONTAINER_PARTS = ("article", "incollection", "inproceedings", "conference", "inbook")


class Apa:
    """APA 7: author–year, list sorted by author, 2014a/2014b when author and year repeat."""

    name = "apa"
    numeric = False
    superscript = False
    # Left out by the manual's rule, so not worth a warning: APA 7 (10.2) gives no publisher location.
    omits = frozenset({"location", "address"})

    def prepare(self, entries: list[BibEntry], first_cited: list[str]) -> Context:
        ordered = sorted(entries, key=self.sort_key)
        suffix: dict[str, str] = {}
        for _, group in groupby(ordered, key=self._disambiguation_key):
            same = list(group)
            if len(same) > 1:
                suffix.update({e.key: ascii_lowercase[i % 26] for i, e in enumerate(same)})
        return Context({e.key: e for e in ordered}, suffix, {})

    def sort_key(self, entry: BibEntry) -> tuple:
        names = [(sort_key(n.family), sort_key(n.given))
                 for n in entry.authors or entry.editors or self._group_author(entry)]
        title = re.sub(r"^(the|a|an) ", "", sort_key(entry.get("title")))
        return (names or [(title, "")], entry.get("year") or "9999", title)

    def _disambiguation_key(self, entry: BibEntry) -> tuple[str, str]:
        return (self._short_author(entry, "&"), entry.get("year"))

    def _short_author(self, entry: BibEntry, conjunction: str) -> str:
        names = entry.authors or entry.editors or self._group_author(entry)
        return et_al_short(names, conjunction) if names else f"\u201c{entry.get('title')}\u201d"

    def year(self, entry: BibEntry, context: Context) -> str:
        year = entry.get("year") or entry.get("pubstate") or "n.d."
        suffix = context.year_suffix.get(entry.key, "")
        return f"{year}-{suffix}" if suffix and not year[-1].isdigit() else year + suffix

    # --- in-text -----------------------------------------------------------------

    def cite(self, cite: Cite, context: Context) -> Runs:
        if cite.mode == "narrative":
            return self._narrative(cite.items[0], context)
        items = sorted(cite.items, key=lambda item: context.position(item.key))
        parts: list[Runs] = []
        for _, group in groupby(items, key=lambda item: self._group_key(item, context)):
            parts.append(self._group(list(group), context))
        return join("(", join(*[p if i == 0 else join("; ", p) for i, p in enumerate(parts)]), ")")

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
        return join(tuple(runs))

    def _narrative(self, item: CiteItem, context: Context) -> Runs:
        entry = context.entries[item.key]
        year = self.year(entry, context)
        year = f"{year}, {item.locator}" if item.locator else year
        return (RefLink(item.key, (Text(f"{self._short_author(entry, 'and')} ({year})"),)),)

    # --- reference list ------------------------------------------------------------

    def prints(self, entry: BibEntry, field: str) -> bool:
        """Whether this style shows the field (`entry_checks.check_entry` warns about any other)."""
        return prints_field(self, entry, field)

    def label(self, entry: BibEntry, context: Context) -> str:
        return ""

    def reference(self, entry: BibEntry, context: Context) -> Runs:
        if entry.members:
            return set_members(self, entry, context)
        date = f"({self._date(entry, context)})."
        names = entry.authors or entry.editors or self._group_author(entry)
        editors_only = not entry.authors and entry.editors
        title = self._title(entry)
        if names:
            role = self._editor_role(entry, len(names)) if editors_only else ""
            who = self.names(names) + (f" ({role})." if role else "")
            head = join(sentence(who), " ", date, " ", title)
        else:
            head = join(title, " ", date)
        return join(head, self._source(entry), self._note(entry), self._tail(entry))

    def _group_author(self, entry: BibEntry) -> tuple[Name, ...]:
        """A web page without author is by the organization that publishes it (APA 7, 9.7)."""
        organization = entry.get("organization") if entry.type == "online" else ""
        return (Name(organization),) if organization else ()

    def _editor_role(self, entry: BibEntry, count: int) -> str:
        if entry.get("editortype").lower() == "compiler":  # APA 7 abbreviates no role but Ed. and Trans.
            return "Compilers" if count > 1 else "Compiler"
        return "Eds." if count > 1 else "Ed."

    def _date(self, entry: BibEntry, context: Context) -> str:
        year = self.year(entry, context)
        month = month_number(entry)
        if entry.type != "online" or not month or not entry.get("year"):
            return year
        day = entry.get("day").lstrip("0")
        return f"{year}, {MONTHS[month - 1]}{' ' + day if day else ''}"

    def names(self, names: tuple[Name, ...]) -> str:
        parts = [self._name(n) for n in names]
        if len(parts) == 1:
            return parts[0]
        if len(parts) <= 20:
            return ", ".join(parts[:-1]) + ", & " + parts[-1]
        return ", ".join(parts[:19]) + ", \u2026 " + parts[-1]  # one ellipsis character: it cannot break apart

    def _name(self, name: Name) -> str:
        initials = " ".join(name.initials)
        text = f"{name.family}, {initials}" if initials else name.family
        return f"{text}, {name.suffix}" if name.suffix else text

    def _is_container_part(self, entry: BibEntry) -> bool:
        return entry.type in CONTAINER_PARTS and bool(entry.get("journal") or entry.get("booktitle"))

    def _title(self, entry: BibEntry) -> Runs:
        title = full_title(entry) or "[Untitled]"
        if self._is_container_part(entry):
            note = self._people_note(entry)
            return (Text(f"{title} ({note})." if note else sentence(title)),)
        described = self._description(entry)
        extra = self._title_note(entry)
        runs = join((Emph((Text(title),)),), f" ({extra})" if extra else "", f" [{described}]" if described else "")
        return join(runs, end(plain(runs)))

    def _description(self, entry: BibEntry) -> str:
        """The bracketed description after a title: thesis kind (with school), report type, manuscript."""
        thesis = self._thesis_kind(entry)
        if thesis:
            school = entry.get("school") if web_url(entry) or bare_doi(entry) else ""
            return f"{thesis}{', ' + school if school else ''}"
        if entry.type in ("report", "techreport") and entry.get("type") and not entry.get("number"):
            return capitalise(type_label(entry))
        if entry.type == "unpublished":
            return capitalise(entry.get("note")) or "Unpublished manuscript"
        return KINDS.get(entry.type, "")

    def _title_note(self, entry: BibEntry) -> str:
        """What APA puts in parentheses after a title: edition, volume, report number, editors, translators."""
        parts = [edition(entry) if entry.get("edition") else "",
                 f"Version {entry.get('version')}" if entry.get("version") else "",
                 f"Vol. {entry.get('volume')}" if entry.get("volume") and not entry.get("journal") else "",
                 f"Vols. 1\u2013{entry.get('volumes')}" if entry.get("volumes") and not entry.get("volume") else "",
                 self._report_number(entry), self._people_note(entry)]
        return "; ".join(p for p in parts if p)

    def _report_number(self, entry: BibEntry) -> str:
        if entry.type == "patent":  # APA 7: "(U.S. Patent No. 8,003,000)"; the office is the publisher
            return patent_label(entry).replace(" Patent ", " Patent No. ") if entry.get("number") else ""
        if entry.type not in ("report", "techreport") or not entry.get("number"):
            return ""
        kind = " ".join(w[:1].upper() + w[1:] for w in type_label(entry).split())
        label = "No." if is_numeric(entry.get("number")) else ""  # APA 7 10.4: "(Report No. 123)"
        return " ".join(filter(None, [kind, label, entry.get("number")]))

    def _people_note(self, entry: BibEntry) -> str:
        """Editors of an authored book and translators: "(B. Kuklick, Ed.; J. Strachey, Trans.)"."""
        parts = []
        if entry.authors and entry.editors and not entry.get("booktitle"):
            parts.append(f"{self._initials_first(entry.editors)}, {'Eds.' if len(entry.editors) > 1 else 'Ed.'}")
        if entry.translators:
            parts.append(f"{self._initials_first(entry.translators)}, Trans.")
        return "; ".join(parts)

    def _initials_first(self, names: tuple[Name, ...]) -> str:
        shown = [" ".join(n.initials + [n.family]) for n in names]
        if len(shown) <= 2:
            return " & ".join(shown)
        return ", ".join(shown[:-1]) + ", & " + shown[-1]

    def _thesis_kind(self, entry: BibEntry) -> str:
        kind = (entry.get("type") or entry.type).lower()
        if entry.type == "phdthesis" or (entry.type == "thesis" and "phd" in kind or "doctor" in kind):
            return "Doctoral dissertation"
        if entry.type in ("mastersthesis", "thesis"):
            return "Master's thesis"
        return ""

    def _source(self, entry: BibEntry) -> Runs:
        if entry.get("journal"):
            return self._journal(entry)
        if entry.get("booktitle"):
            return self._in_book(entry)
        who = publisher(entry) or entry.get("howpublished")
        if entry.type == "unpublished" or self._thesis_kind(entry) and (web_url(entry) or bare_doi(entry)):
            who = ""
        names = entry.authors or self._group_author(entry)
        if who and names and who == names[0].family and is_corporate(names[0]):
            who = ""  # APA 7: a group author who also published the work is not repeated
        return (Text(" " + sentence(who)),) if who else ()

    def _journal(self, entry: BibEntry) -> Runs:
        runs: list = [Text(" "), Emph((Text(entry.get("journal")),))]
        if entry.get("volume"):
            runs += [Text(", "), Emph((Text(entry.get("volume")),))]
        if entry.get("number"):
            runs.append(Text(f"({entry.get('number')})" if entry.get("volume") else f", ({entry.get('number')})"))
        if entry.get("pages"):
            runs.append(Text(", " + en_dash(entry.get("pages"))))
        runs.append(Text("."))
        return join(tuple(runs))

    def _in_book(self, entry: BibEntry) -> Runs:
        who = ""
        if entry.editors:
            who = f"{self._initials_first(entry.editors)} ({'Eds.' if len(entry.editors) > 1 else 'Ed.'}), "
        elif entry.bookauthors:
            who = f"{self._initials_first(entry.bookauthors)}, "
        note = [edition(entry) if entry.get("edition") else "",
                self._pages(entry)]
        shown = ", ".join(n for n in note if n)
        who_published = publisher(entry)
        return join(f" In {who}", (Emph((Text(full_title(entry, "booktitle")),)),),
                    f" ({shown})" if shown else "", ".", f" {sentence(who_published)}" if who_published else "")

    def _note(self, entry: BibEntry) -> str:
        note = entry.get("note") if entry.type != "unpublished" else ""
        return f" {sentence(capitalise(note))}" if note else ""

    def _tail(self, entry: BibEntry) -> Runs:
        doi = bare_doi(entry)
        url = f"https://doi.org/{doi}" if doi else web_url(entry)
        shown = link(url)
        if not shown:
            return ()
        accessed = date_parts(entry.get("urldate")) if not doi and entry.type == "online" and not entry.get("year") \
            else None
        if accessed:
            y, m, d = accessed
            return join(f" Retrieved {MONTHS[m - 1]} {d}, {y}, from ", shown)
        return join(" ", shown)

    def _pages(self, entry: BibEntry) -> str:
        pages = en_dash(entry.get("pages"))
        return "" if not pages else f"pp. {pages}" if "\u2013" in pages or "," in pages else f"p. {pages}"
