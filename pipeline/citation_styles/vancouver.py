"""Vancouver (ICMJE/NLM, Citing Medicine): numbered in order of first citation; six authors, then et al."""

from __future__ import annotations

from pipeline.bibliography import BibEntry, Name
from pipeline.citation_styles.common import (set_members, prints_field, MONTHS, Context, bare_doi, capitalise, compact_name, date_parts,
                                             edition, et_al_short, full_title, is_numeric, join, link, month_number,
                                             nlm_pages, patent_label, publisher, ranges, sentence, type_label, web_url)
from pipeline.model import Cite, CiteItem, RefLink, Runs, Text

# Citing Medicine gives a PubMed or PubMed Central id as a note after the reference, not as a link.
PUBMED_IDS = {"pubmed": "PubMed PMID", "pmid": "PubMed PMID", "pmcid": "PubMed Central PMCID",
              "pmc": "PubMed Central PMCID"}


class Vancouver:
    """Vancouver (ICMJE/NLM): numbered in order of first citation; six authors, then et al."""

    name = "vancouver"
    numeric = True
    superscript = False
    omits: frozenset[str] = frozenset()  # fields left out by the manual's rule (no warning); Citing Medicine prints all
    et_al_after = 6  # more than this many authors: the first `et_al_first`, then "et al"
    et_al_first = 6

    def prepare(self, entries: list[BibEntry], first_cited: list[str]) -> Context:
        from pipeline.citation_styles.apa import Apa
        rank = {key: i for i, key in enumerate(first_cited)}
        ordered = sorted(entries, key=lambda e: (rank.get(e.key, len(rank)), Apa().sort_key(e)))
        return Context({e.key: e for e in ordered}, {}, {e.key: i + 1 for i, e in enumerate(ordered)})

    # --- in-text -----------------------------------------------------------------

    def cite(self, cite: Cite, context: Context) -> Runs:
        numbers = join(*self._numbers(cite.items, context))
        if cite.mode == "narrative":
            entry = context.entries[cite.items[0].key]
            names = entry.authors or entry.editors
            who = et_al_short(names, "and") if names else f"\u201c{entry.get('title')}\u201d"
            return join(f"{who} [", numbers, "]")
        return join("[", numbers, "]")

    def _numbers(self, items: tuple[CiteItem, ...], context: Context, dash: str = "\u2013") -> list[Runs]:
        if any(item.locator or item.prefix for item in items):
            parts = []
            for item in items:
                text = " ".join(filter(None, [item.prefix, str(context.number[item.key])]))
                text = f"{text}, {item.locator}" if item.locator else text
                number = (RefLink(item.key, (Text(text),)),)
                parts.append(number if not parts else join("; ", number))
            return parts
        keys = sorted({item.key for item in items}, key=lambda k: context.number[k])
        return ranges(keys, context.number, dash, lambda k: (RefLink(k, (Text(str(context.number[k])),)),))

    # --- reference list ------------------------------------------------------------

    def prints(self, entry: BibEntry, field: str) -> bool:
        """Whether this style shows the field (`entry_checks.check_entry` warns about any other)."""
        return prints_field(self, entry, field)

    def label(self, entry: BibEntry, context: Context) -> str:
        return f"{context.number[entry.key]}."

    def reference(self, entry: BibEntry, context: Context) -> Runs:
        if entry.members:
            return set_members(self, entry, context)
        if entry.type == "patent":
            return join(self._patent(entry), self._link(entry))
        names = entry.authors or entry.editors
        role = "editor" if entry.get("editortype").lower() != "compiler" else "compiler"
        who = self.names(names) + (f", {role}s" if len(names) > 1 else f", {role}") * bool(not entry.authors and names)
        head = f"{sentence(who)} " if names else ""
        runs = join(head, self._title(entry), self._source(entry), self._notes(entry))
        return join(runs, self._link(entry))

    def _patent(self, entry: BibEntry) -> str:
        """Citing Medicine (ch. 17) and AMA 11: inventors; assignee. Title. Office patent number. Date."""
        people = [f"{self.names(entry.authors)}, inventor{'s' if len(entry.authors) > 1 else ''}"] \
            if entry.authors else []
        if entry.get("holder"):
            people.append(f"{entry.get('holder')}, assignee")
        head = f"{sentence('; '.join(people))} " if people else ""
        title = full_title(entry) or "[Untitled]"
        return f"{head}{sentence(title)} {sentence(self._patent_office(entry))} {sentence(self._patent_date(entry))}"

    def _patent_office(self, entry: BibEntry) -> str:
        """Citing Medicine: "United States patent US 8,003,000"."""
        label = patent_label(entry)
        return label.replace("U.S. Patent", "United States patent US").replace(" Patent", " patent")

    def _patent_date(self, entry: BibEntry) -> str:
        return self._date(entry, True)

    def names(self, names: tuple[Name, ...]) -> str:
        parts = [compact_name(n) for n in names]
        if len(parts) > self.et_al_after:
            return ", ".join(parts[:self.et_al_first]) + ", et al"
        return ", ".join(parts)

    def _internet(self, entry: BibEntry) -> bool:
        return bool(self._address(entry)) and not bare_doi(entry)

    def _address(self, entry: BibEntry) -> str:
        """The link printed: the url, else an eprint's link unless the eprint is a PubMed id (a note)."""
        return entry.get("url").strip() if self._pubmed_id(entry) else web_url(entry)

    def _pubmed_id(self, entry: BibEntry) -> str:
        label = PUBMED_IDS.get(entry.get("eprinttype").lower().replace(" ", ""))
        return f"{label}: {entry.get('eprint').strip()}" if label and entry.get("eprint") else ""

    def _title(self, entry: BibEntry) -> str:
        title = full_title(entry) or "[Untitled]"
        kind = type_label(entry) if entry.type in ("thesis", "phdthesis", "mastersthesis", "report", "techreport") \
            else ""
        title = title + (f" [{capitalise(kind)}]" if kind else "")
        if self._internet(entry) and not entry.get("journal") and not entry.get("booktitle"):
            title += " [Internet]"  # a part of a book: the book is on the Internet ("In: StatPearls [Internet].")
        return sentence(title)

    def _date(self, entry: BibEntry, with_month: bool) -> str:
        year = entry.get("year")
        month = month_number(entry) if with_month else 0
        day = entry.get("day").lstrip("0") if month else ""
        return " ".join(filter(None, [year, MONTHS[month - 1][:3] if month else "", day]))

    def _cited(self, entry: BibEntry) -> str:
        accessed = date_parts(entry.get("urldate")) if self._internet(entry) else None
        if not accessed:
            return ""
        y, m, d = accessed
        return f"[cited {' '.join(filter(None, [str(y), MONTHS[m - 1][:3] if m else '', str(d) if d else '']))}]"

    def _roles(self, names: tuple[Name, ...], role: str) -> str:
        """Secondary authors and their role, as Citing Medicine writes them: "Strachey J, translator"."""
        return f"{self.names(names)}, {role}{'s' if len(names) > 1 else ''}" if names else ""

    def _secondary(self, entry: BibEntry, editors: bool) -> str:
        """Citing Medicine's secondary authors, a group per role: "Kuklick B, editor; Strachey J, translator."."""
        groups = [self._roles(entry.editors, "editor") if editors else "", self._roles(entry.translators, "translator")]
        return sentence("; ".join(filter(None, groups))) if any(groups) else ""

    def _source(self, entry: BibEntry) -> str:
        # The translators of an article or a chapter follow its title (Citing Medicine ch. 1 and 5); a book's
        # secondary authors follow its edition (ch. 2), as in nlm-citation-sequence.csl.
        if entry.get("journal"):
            translators = self._secondary(entry, editors=False)
            return (f" {translators}" if translators else "") + self._journal(entry)
        where = ": ".join(filter(None, [entry.get("address"), publisher(entry) or entry.get("howpublished")]))
        date = " ".join(filter(None, [self._date(entry, False), self._cited(entry)]))
        container, secondary = "", ""
        if entry.get("booktitle"):
            editors = self.names(entry.editors) + (", editors. " if len(entry.editors) > 1 else ", editor. ") \
                if entry.editors else ""
            internet = " [Internet]" if self._internet(entry) else ""
            translators = self._secondary(entry, editors=False)
            container = f"{' ' + translators if translators else ''} In: {editors}" \
                        f"{sentence(full_title(entry, 'booktitle') + internet)}"
        else:
            secondary = self._secondary(entry, editors=bool(entry.authors))
        extra = [sentence(edition(entry)) if entry.get("edition") else "",
                 f"Version {entry.get('version')}." if entry.get("version") else "", secondary,
                 f"Vol. {entry.get('volume')}." if entry.get("volume") else ""]
        published = "; ".join(filter(None, [where, date])) or entry.get("pubstate") or ""
        pages = f" p. {nlm_pages(entry.get('pages'))}." if entry.get("pages") else ""
        if entry.get("volumes") and not entry.get("volume"):
            pages += f" {entry.get('volumes')} vol."  # Citing Medicine's physical description of a set
        return "".join([container, *(" " + e for e in extra if e), f" {sentence(published)}" if published else "",
                        pages])

    def _journal(self, entry: BibEntry) -> str:
        journal = entry.get("shortjournal") or entry.get("journal")
        internet = " [Internet]" if self._internet(entry) else ""
        date = " ".join(filter(None, [self._date(entry, True), self._cited(entry)]))
        issue = f"({entry.get('number')})" if entry.get("number") else ""
        volume = f";{entry.get('volume')}{issue}" if entry.get("volume") else f";{issue}" if issue else ""
        pages = f":{nlm_pages(entry.get('pages'))}" if entry.get("pages") else ""
        if not entry.get("year"):
            state = f" {self._status(entry)}." if entry.get("pubstate") else ""
            return f" {journal}{internet}.{state}"
        return f" {journal}{internet}. {date}{volume}{pages}."

    def _status(self, entry: BibEntry) -> str:
        """Citing Medicine writes an article in press as "Forthcoming"."""
        state = entry.get("pubstate")
        return "Forthcoming" if state == "in press" else capitalise(state)

    def _notes(self, entry: BibEntry) -> str:
        parts = []
        if entry.type in ("report", "techreport") and entry.get("number"):
            label = " no.:" if is_numeric(entry.get("number")) else ""  # "Report no.: 42", "Technical report TR-7"
            parts.append(f"{capitalise(type_label(entry)) or 'Report'}{label} {entry.get('number')}")
        if entry.get("note"):
            parts.append(capitalise(entry.get("note")))
        return "".join(f" {sentence(p)}" for p in parts)

    def _link(self, entry: BibEntry) -> Runs:
        pubmed = f" {self._pubmed_id(entry)}." if self._pubmed_id(entry) else ""
        doi = bare_doi(entry)
        if doi:
            return join(" doi:", link(f"https://doi.org/{doi}", doi), "." if pubmed else "", pubmed)
        url = self._address(entry)
        return join(" Available from: ", link(url), pubmed) if link(url) else join(pubmed)
