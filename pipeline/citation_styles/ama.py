"""AMA 11th edition: superscript numbers in order of first citation; up to six authors, else three and et al."""

from __future__ import annotations

import re

from pipeline.bibliography import BibEntry, Name
from pipeline.citation_styles.common import (set_members, MONTHS, Context, bare_doi, capitalise, compact_name, date_parts,
                                             edition, full_title, join, link, month_number, patent_label, publisher, sentence,
                                             type_label, web_url)
from pipeline.citation_styles.vancouver import Vancouver
from pipeline.model import Cite, RefLink, Runs, Sup, Text
from pipeline.visitor import InlineTransform

# Words AMA leaves in lower case inside a title-case title (articles, short conjunctions and prepositions).
_MINOR = {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in", "of", "off",
          "on", "per", "to", "up", "via", "with", "from", "into", "over", "vs"}

# Works whose title is a name, kept as written (a package called "meta"), not made title case.
AS_NAMED = {"dataset", "software"}


def title_case(text: str) -> str:
    """AMA's title case for books and reports: major words capitalised, words with capitals kept."""
    words = re.split(r"(\s+|-)", text)
    first = True
    for i, word in enumerate(words):
        if not word.strip() or word == "-":
            continue
        bare = word.strip("\"'(\u201c\u2018")
        lead = word[:len(word) - len(bare)]
        after_colon = i >= 2 and words[i - 2].endswith((":", ".", "?", "!"))
        if bare and bare.islower() and (first or after_colon or bare not in _MINOR):
            words[i] = lead + bare[0].upper() + bare[1:]
        first = False
    return "".join(words)


class Ama(Vancouver):
    """AMA 11: numbers in order of first citation, set as superscripts; journal abbreviations as given."""

    name = "ama"
    numeric = True
    superscript = True
    omits = frozenset({"location", "address"})  # AMA 11 (3.12.5) no longer gives the publisher's city
    et_al_after = 6
    et_al_first = 3

    # --- in-text -----------------------------------------------------------------

    def cite(self, cite: Cite, context: Context) -> Runs:
        """Superscript numbers: one `Sup` node (the loader drops the space before a parenthetical one)."""
        if any(item.locator or item.prefix for item in cite.items):
            runs = self._with_locators(cite, context)
        else:
            runs = _superscript(join(*self._numbers(cite.items, context, dash="-")))
        if cite.mode == "narrative":
            entry = context.entries[cite.items[0].key]
            names = entry.authors or entry.editors
            who = (f"{names[0].family} et al" if len(names) > 2 else " and ".join(n.family for n in names)) \
                if names else f"\u201c{entry.get('title')}\u201d"
            return join(who, runs)
        return runs

    def _with_locators(self, cite: Cite, context: Context) -> Runs:
        """Each number superscript, its prefix before it and its locator after it in parentheses: see ⁸(pp. 5-6)."""
        parts: list[Runs] = []
        for i, item in enumerate(cite.items):
            number = _superscript((RefLink(item.key, (Text(str(context.number[item.key])),)),))
            parts.append(join("," if i else "", f"{item.prefix} " if item.prefix else "", number,
                              f"({item.locator})" if item.locator else ""))
        return join(*parts)

    # --- reference list ------------------------------------------------------------

    def reference(self, entry: BibEntry, context: Context) -> Runs:
        if entry.members:
            return set_members(self, entry, context)
        if entry.type == "patent":
            return join(self._patent(entry), self._link(entry))
        names = entry.authors or entry.editors
        editors_only = not entry.authors and bool(entry.editors)
        role = "comp" if entry.get("editortype").lower() == "compiler" else "ed"  # AMA 11's abbreviations
        who = self.names(names) + (f", {role}{'s' if len(names) > 1 else ''}" if editors_only else "")
        head = f"{sentence(who)} " if names else ""
        return join(head, self._body(entry), self._link(entry))

    def _patent_office(self, entry: BibEntry) -> str:
        """AMA 11: "US patent 8,003,000"."""
        return patent_label(entry).replace("U.S. Patent", "US patent").replace(" Patent", " patent")

    def _patent_date(self, entry: BibEntry) -> str:
        month = month_number(entry)
        day = entry.get("day").lstrip("0")
        return f"{MONTHS[month - 1]} {day}, {entry.get('year')}" if month and day else entry.get("year")

    def names(self, names: tuple[Name, ...]) -> str:
        parts = [compact_name(n) for n in names]
        return ", ".join(parts[:self.et_al_first]) + ", et al" if len(parts) > self.et_al_after else ", ".join(parts)

    def _is_book_like(self, entry: BibEntry) -> bool:
        return not entry.get("journal") and entry.type not in ("online", "misc", "unpublished", "article")

    def _body(self, entry: BibEntry) -> str:
        title = full_title(entry) or "[Untitled]"
        if self._is_book_like(entry) and not entry.get("booktitle"):
            shown = title if entry.type in AS_NAMED else title_case(title)
            return f"{sentence(shown)} {self._book(entry)}"
        title = " ".join(filter(None, [sentence(title), self._translators(entry)]))
        if entry.get("journal"):
            return f"{title}{self._journal(entry)}"
        if entry.get("booktitle"):
            return f"{title} {self._chapter(entry)}"
        return f"{title} {self._web(entry)}".rstrip()

    def _translators(self, entry: BibEntry) -> str:
        """AMA 11 (3.12.1) names a translator with the authors and editors, after the title: "Strachey J, trans."."""
        return f"{self.names(entry.translators)}, trans." if entry.translators else ""

    def _journal(self, entry: BibEntry) -> str:
        journal = entry.get("shortjournal") or entry.get("journal")
        if not entry.get("year"):
            return f" {journal}." + (f" {capitalise(entry.get('pubstate'))}." if entry.get("pubstate") else "")
        issue = f"({entry.get('number')})" if entry.get("number") else ""
        volume = f";{entry.get('volume')}{issue}" if entry.get("volume") else f";{issue}" if issue else ""
        pages = f":{_pages(entry.get('pages'))}" if entry.get("pages") else ""
        return f" {journal}. {entry.get('year')}{volume}{pages}.{self._accessed(entry)}"

    def _published(self, entry: BibEntry, pages: str = "") -> str:
        who = publisher(entry) or entry.get("howpublished")
        year = entry.get("year") or entry.get("pubstate")
        return sentence("; ".join(filter(None, [who, year])) + (f":{pages}" if pages else ""))

    def _book(self, entry: BibEntry) -> str:
        kind = capitalise(type_label(entry)) if entry.type in ("thesis", "phdthesis", "mastersthesis") else ""
        people = f"({self.names(entry.editors)}, {'eds.' if len(entry.editors) > 1 else 'ed.'})." \
            if entry.authors and entry.editors else ""
        extra = [people, self._translators(entry), sentence(edition(entry)) if entry.get("edition") else "",
                 f"Version {entry.get('version')}." if entry.get("version") else "",
                 f"Vol {entry.get('volume')}." if entry.get("volume") else "", sentence(kind) if kind else "",
                 self._published(entry)]
        number = entry.get("number") if entry.type in ("report", "techreport") else ""
        if number:
            extra.append(sentence(f"{capitalise(type_label(entry)) or 'Report'} {number}"))
        return " ".join(e for e in extra if e) + self._accessed(entry)

    def _chapter(self, entry: BibEntry) -> str:
        editors = f"{self.names(entry.editors)}, {'eds' if len(entry.editors) > 1 else 'ed'}. " if entry.editors else ""
        book = sentence(title_case(full_title(entry, "booktitle")))
        extra = sentence(edition(entry)) + " " if entry.get("edition") else ""
        pages = _pages(entry.get("pages")) if entry.get("pages") else ""
        return f"In: {editors}{book} {extra}{self._published(entry, pages)}{self._accessed(entry)}"

    def _web(self, entry: BibEntry) -> str:
        who = publisher(entry) if entry.type == "online" else entry.get("howpublished")
        month = month_number(entry)
        if month and entry.get("day"):
            date = f"{MONTHS[month - 1]} {entry.get('day').lstrip('0')}, {entry.get('year')}"
        else:
            date = entry.get("year")
        date = f"Published {date}" if date and entry.type == "online" and not web_url(entry) else date
        if date and entry.type != "online":
            date = f"Published online {date}"
        parts = [sentence(who) if who and entry.type == "online" else "", sentence(date) if date else ""]
        if entry.get("note"):
            parts.append(sentence(capitalise(entry.get("note"))))
        return (" ".join(p for p in parts if p) + self._accessed(entry)).strip()

    def _accessed(self, entry: BibEntry) -> str:
        accessed = date_parts(entry.get("urldate")) if web_url(entry) and not bare_doi(entry) else None
        if not accessed:
            return ""
        y, m, d = accessed
        return f" Accessed {MONTHS[m - 1]} {d}, {y}." if m and d else f" Accessed {y}."

    def _link(self, entry: BibEntry) -> Runs:
        doi = bare_doi(entry)
        if doi:
            return join(" doi:", link(f"https://doi.org/{doi}", doi))
        url = web_url(entry)
        return join(" ", link(url)) if link(url) else ()


def _pages(pages: str) -> str:
    """AMA gives both ends of a range in full, with a hyphen: 1001-1012."""
    return re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", pages.strip())


class _Superscript(InlineTransform):
    """Citation runs made ready to raise: a `Sup` already inside is flattened (never a Sup in a Sup).

    Every other node goes through `InlineTransform`, so a node type the model gains is rebuilt
    or fails loudly, never passed through unseen.
    """

    def visit_sup(self, node: Sup) -> Runs:
        return self.visit_children(node)


def _superscript(runs: Runs) -> Runs:
    """The runs as one superscript: the numbers, their commas and range dashes, links kept inside."""
    inner = _Superscript().visit(runs)
    return (Sup(inner),) if inner else ()
