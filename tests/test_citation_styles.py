"""The three citation styles on the bundled review (AMA's golden strings) and on the biblatex fixture.

The fixture tests/fixtures/biblatex-coverage/references.bib has every biblatex type
and field the styles place; here: no TeX reaches a reference, no field is lost
silently (printed, or named in a warning at its entry), and an entry that lacks
what its type needs is a warning at its line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import FIXTURES
from pipeline.bibliography import field_name, latex_to_text, load_bibliography
from pipeline.entry_checks import PLACED_FIELDS, QUIET_FIELDS, check_entry
from pipeline.citation_styles import STYLES
from pipeline.citation_styles.ama import title_case
from pipeline.citation_styles.common import edition, ordinal
from pipeline.diagnostics import Diagnostics
from pipeline.model import plain_text
from pipeline.render.templating import runs_to_html
from pipeline.visitor import PlainText
from test_citations_bundled import citing_review

COVERAGE = FIXTURES / "biblatex-coverage" / "references.bib"

AMA = [
    "1. Volpicelli JR, Alterman AI, Hayashida M, O'Brien CP. Naltrexone in the treatment of alcohol dependence. "
    "Archives of General Psychiatry. 1995;49(11):876-880.",
    "2. Toljan K, Vrooman B. Low-dose naltrexone (LDN)—Review of therapeutic utilization. Medical Sciences. "
    "2018;6(4):82.",
    "3. Younger J, Mackey S. Fibromyalgia symptoms are reduced by low-dose naltrexone: A pilot study. Pain Medicine. "
    "2009;10(4):663-672.",
    "4. Rahn KA, McLaughlin PJ, Zagon IS. Prevention and diminished expression of experimental autoimmune "
    "encephalomyelitis by low-dose naltrexone (LDN) or opioid growth factor (OGF) for an extended period: "
    "Therapeutic implications for multiple sclerosis. Brain Research Bulletin. 2016;120:143-152.",
    "5. Mischoulon D, Hylek L, Yeung AS, et al. A double-blind, randomized, placebo-controlled, parallel-group, pilot "
    "study of the safety and efficacy of low-dose naltrexone for symptoms of major depressive disorder. Journal of "
    "Affective Disorders. 2021;281:424-431.",
    "6. Eshghi E, Hosseininejad SM, Kamali M. The effect of low-dose naltrexone on depression and pain in patients "
    "with treatment-resistant depression: A case series. Iranian Journal of Psychiatry. 2020;15(1):84-87.",
    "7. Chopra P, Caldito G. Low-dose naltrexone for treatment of multiple sclerosis: A retrospective chart review of "
    "safety and tolerability. Journal of Clinical Psychopharmacology. 2019;39(5):489-491.",
    "8. Younger J, Parkitny L, McLain D. The use of low-dose naltrexone (LDN) as a novel anti-inflammatory treatment "
    "for chronic pain. Clinical Rheumatology. 2014;33(4):451-459.",
    "9. Brown N, Panksepp J. Low-dose naltrexone for disease prevention and quality of life. Medical Hypotheses. "
    "2009;72(3):333-337.",
    "10. Younger J, Noor N, McCue R, Mackey S. Low-dose naltrexone for the treatment of fibromyalgia: Findings of a "
    "small, randomized, double-blind, placebo-controlled, counterbalanced, crossover trial assessing daily pain "
    "levels. Arthritis & Rheumatism. 2014;65(2):529-538.",
]


def test_ama_reference_list(tmp_path):
    document = citing_review(tmp_path, "ama")
    assert [f"{r.label} {plain_text(r.runs)}" for r in document.bibliography.references] == AMA


class _Caret(PlainText):
    """Plain text with each superscript marked as Pandoc writes one: ^1^."""

    def visit_sup(self, node) -> str:
        return f"^{self.visit_children(node)}^"


def caret(runs) -> str:
    return _Caret().visit(runs)


def test_ama_in_text_is_superscript_numbers(tmp_path):
    # a Sup node since issue 13 (Unicode superscript digits before): the HTML says <sup>, a slide run baseline=30000
    paragraphs = citing_review(tmp_path, "ama").sections[0].paragraphs
    texts = [caret(p.runs) for p in paragraphs]
    assert texts[0] == "^1^ and Volpicelli et al^1^."
    assert texts[1] == "^2^ and Toljan and Vrooman^2^."
    assert texts[-1] == "^8,10^"
    assert runs_to_html(paragraphs[-1].runs).count("<sup>") == 1


def test_ama_lists_three_authors_then_et_al_beyond_six():
    entries = load_bibliography(COVERAGE, Diagnostics())
    ama = STYLES["ama"]
    context = ama.prepare(list(entries.values()), [])
    text = lambda key: plain_text(ama.reference(entries[key], context))  # noqa: E731
    assert text("art-six").startswith("Park R, Quinn S, Reed T, Shaw U, Tate V, Uddin W. ")
    assert text("art-seven").startswith("Ito K, Jain L, Khan M, et al. ")
    assert text("art-eight") == ("Adams A, Baker B, Clark C, et al. A multicentre trial of low-dose naltrexone. "
                                 "Lancet. 2021;397(10278):1001-1012. doi:10.1016/S0140-6736(21)00001-1")


@pytest.fixture(scope="module")
def coverage():
    diagnostics = Diagnostics()
    entries = load_bibliography(COVERAGE, diagnostics)
    assert diagnostics.items == []
    return entries


@pytest.mark.parametrize("style", sorted(STYLES))
def test_no_tex_reaches_a_reference(coverage, style):
    chosen = STYLES[style]
    context = chosen.prepare(list(coverage.values()), [])
    for key, entry in coverage.items():
        text = plain_text(chosen.reference(entry, context))
        assert not re.search(r"[\\{}$]|--|~|``|''", text.replace("$:", "")), (key, text)


KEY_TEXT_FIELDS = ("title", "subtitle", "titleaddon", "booktitle", "volume", "number", "note", "eprint", "type")


@pytest.mark.parametrize("style", sorted(STYLES))
def test_every_placed_field_is_printed(coverage, style):
    """A field a style places shows in its text (one that reads it differently is named here, with why)."""
    chosen = STYLES[style]
    context = chosen.prepare(list(coverage.values()), [])
    lost = []
    for key, entry in coverage.items():
        text = plain_text(chosen.reference(entry, context)).casefold()
        for name in KEY_TEXT_FIELDS:
            value = entry.get(name).casefold()
            if value and name == "type":
                continue  # localisation keys (phdthesis, mathesis) print as words
            if value and value not in text and value.split(":")[0] not in text:
                lost.append((key, name, value))
    assert lost == []


def _warnings(path, style=None) -> list[str]:
    diagnostics = Diagnostics()
    entries = load_bibliography(path, diagnostics)
    for entry in entries.values():
        check_entry(entry, diagnostics, STYLES[style] if style else None)
    return [str(d) for d in diagnostics.items]


def test_without_a_style_a_field_no_style_prints_is_a_warning_at_the_entry():
    assert _warnings(COVERAGE) == [
        "tests/fixtures/biblatex-coverage/references.bib:318:1: warning: entry 'book-isbn' (@book): no citation "
        "style shows 'isbn'; the reference list leaves it out",
        "tests/fixtures/biblatex-coverage/references.bib:542:1: warning: entry 'online-arxiv' (@online): no "
        "citation style shows 'eprintclass'; the reference list leaves it out",
        "tests/fixtures/biblatex-coverage/references.bib:645:1: warning: entry 'inproc-eventtitle' "
        "(@inproceedings): no citation style shows 'eventtitle'; the reference list leaves it out"]


PLACEMENT_BIB = """\
@article{subtitled,
  author = {Brown, Nora}, title = {Opioid antagonists}, journaltitle = {Journal of Clinical Psychopharmacology},
  shortjournal = {J Clin Psychopharmacol}, date = {2020}, volume = {40}, pages = {222--229},
}
  @book{located, author = {Carter, James}, title = {Pain}, publisher = {Oxford University Press},
        location = {Oxford}, date = {2015}}
@online{arxiv,
  author = {Owens, Rita}, title = {Predicting response}, date = {2023},
  eprint = {2301.00001}, eprinttype = {arxiv}, eprintclass = {cs.LG},
}
@article{translated, author = {Kovacs, Peter}, translator = {White, Helen}, title = {Naltrexone},
  journaltitle = {Orvosi Hetilap}, date = {2012}, volume = {153}, pages = {10--15}}
@article{nojournal, author = {Nolan, Kate}, title = {A letter}, date = {2018}}
"""


@pytest.mark.parametrize("style, expected", [
    ("apa", ["r.bib:1:1: warning: entry 'subtitled' (@article): citation style 'apa' does not print "
             "'shortjournal'; the reference list leaves it out",
             "r.bib:7:1: warning: entry 'arxiv' (@online): citation style 'apa' does not print 'eprintclass'; "
             "the reference list leaves it out",
             "r.bib:13:1: warning: entry 'nojournal' (@article) lacks 'journal'; its reference will be "
             "incomplete"]),
    ("vancouver", ["r.bib:7:1: warning: entry 'arxiv' (@online): citation style 'vancouver' does not print "
                   "'eprintclass'; the reference list leaves it out",
                   "r.bib:13:1: warning: entry 'nojournal' (@article) lacks 'journal'; its reference will be "
                   "incomplete"]),
    ("ama", ["r.bib:7:1: warning: entry 'arxiv' (@online): citation style 'ama' does not print 'eprintclass'; "
             "the reference list leaves it out",
             "r.bib:13:1: warning: entry 'nojournal' (@article) lacks 'journal'; its reference will be "
             "incomplete"]),
])
def test_a_field_the_chosen_style_does_not_print_is_a_warning_at_the_entry(tmp_path, monkeypatch, style,
                                                                            expected):
    # shortjournal: Vancouver and AMA print it, APA 7 the full title; location: Citing Medicine prints it, and
    # APA 7 and AMA 11 leave it out by rule (`omits`: no warning for every Zotero export); translator: every
    # style prints it, so no warning; eprintclass: no manual places an arXiv class
    monkeypatch.chdir(tmp_path)
    (tmp_path / "r.bib").write_text(PLACEMENT_BIB)
    assert _warnings(Path("r.bib"), style) == expected


@pytest.mark.parametrize("style", sorted(STYLES))
def test_placed_fields_are_what_some_style_prints(coverage, style):
    """The style-free check's PLACED_FIELDS cannot drift: each field any style prints on the fixture is in it."""
    printed = {field_name(entry, raw) for entry in coverage.values() for raw in entry.raw_fields
               if raw not in QUIET_FIELDS and STYLES[style].prints(entry, raw)}
    assert printed <= PLACED_FIELDS


def test_every_placed_field_is_printed_by_some_style(coverage):
    printed = {field_name(entry, raw) for entry in coverage.values() for raw in entry.raw_fields
               for style in STYLES.values() if raw not in QUIET_FIELDS and style.prints(entry, raw)}
    # the fixture gives day and month only in `date`, a book's author to its chapter only by crossref, and no
    # booktitleaddon; urldate is quiet (each manual decides when an access date shows)
    assert PLACED_FIELDS - printed == {"bookauthor", "booktitleaddon", "day", "month", "urldate"}


def test_an_article_without_journal_and_a_book_without_publisher_are_named(tmp_path):
    bib = tmp_path / "r.bib"
    bib.write_text("@article{a, author={A, B}, title={T}, date={2020}}\n\n@book{b, author={C, D}, title={U}, "
                   "date={2021}}\n")
    diagnostics = Diagnostics()
    for entry in load_bibliography(bib, diagnostics).values():
        check_entry(entry, diagnostics)
    assert [d.message for d in diagnostics.items] == [
        "entry 'a' (@article) lacks 'journal'; its reference will be incomplete",
        "entry 'b' (@book) lacks 'publisher'; its reference will be incomplete"]
    assert [d.location.line for d in diagnostics.items] == [1, 3]


def test_crossref_and_xdata_are_inherited(coverage):
    chapter = coverage["inc-pain"]
    assert (chapter.get("booktitle"), chapter.get("booksubtitle"), chapter.get("publisher")) == \
        ("Handbook of psychopharmacology", "Methods and practice", "Springer")
    assert [e.family for e in chapter.editors] == ["Brown", "Chen"]
    assert coverage["inbook-crossref"].bookauthors[0].family == "Wolfe"
    assert coverage["book-xdata"].get("publisher") == "Wiley"
    assert "xd-wiley" not in coverage  # an @xdata entry lends fields; it is not a reference


@pytest.mark.parametrize("tex, text", [
    (r"methodology\hyphen{}independent", "methodology-independent"),
    (r"\enquote{Low} doses", "\u201cLow\u201d doses"),
    (r"opioid\slash{}non\hyphen{}opioid", "opioid/non-opioid"),
    (r"\texteuro{}5 \textendash{} \textemdash{} \mkbibemph{x}", "\u20ac5 \u2013 \u2014 x"),
    (r"\mkbibquote{q} \S\,2", "\u201cq\u201d \u00a7 2"),
])
def test_biblatex_macros_become_unicode(tex, text):
    assert latex_to_text(tex) == text


@pytest.mark.parametrize("style, key, expected", [
    ("apa", "inbook-chapter", "Fields, H. L. (2013). Pain modulation. In S. B. McMahon & M. Koltzenburg (Eds.), "
                              "Textbook of pain (6th ed., pp. 91\u2013104). Elsevier."),
    ("vancouver", "booklet-leaflet", "Versus Arthritis. Fibromyalgia: Information booklet [Internet]. Chesterfield: "
                                     "Patient information booklet; 2021 [cited 2025 Jan 10]. Available from: "
                                     "https://www.versusarthritis.org/media/22648/fibromyalgia-information-booklet.pdf"),
    ("vancouver", "inref-statpearls", "Singh D, Saadabadi A. Naltrexone. In: StatPearls [Internet]. Treasure Island, "
                                      "FL: StatPearls Publishing; 2023 [cited 2025 Jan 10]. Available from: "
                                      "https://www.ncbi.nlm.nih.gov/books/NBK534811/"),
    ("ama", "inref-statpearls", "Singh D, Saadabadi A. Naltrexone. In: StatPearls. StatPearls Publishing; 2023. "
                                "Accessed January 10, 2025. https://www.ncbi.nlm.nih.gov/books/NBK534811/"),
    ("apa", "dataset-trial", "Younger, J., & Parkitny, L. (2022). Low-dose naltrexone for fibromyalgia: Individual "
                             "participant data (Version 2) [Data set]. Zenodo. https://doi.org/10.5281/zenodo.0000001"),
    ("apa", "software-meta", "Schwarzer, G. (2023). meta: General package for meta-analysis (Version 7.0-0) "
                             "[Computer software]. Comprehensive R Archive Network. "
                             "https://CRAN.R-project.org/package=meta"),
    ("ama", "software-meta", "Schwarzer G. meta: General package for meta-analysis. Version 7.0-0. Comprehensive R "
                             "Archive Network; 2023. https://CRAN.R-project.org/package=meta"),
    ("apa", "patent-ldn", "Zagon, I. S., & McLaughlin, P. J. (2011). Use of low dose naltrexone for treating "
                          "autoimmune disease (U.S. Patent No. 8,003,000)."),
    ("vancouver", "patent-ldn", "Zagon IS, McLaughlin PJ, inventors; Penn State Research Foundation, assignee. Use of "
                                "low dose naltrexone for treating autoimmune disease. United States patent US "
                                "8,003,000. 2011 Aug 23."),
    ("ama", "patent-ldn", "Zagon IS, McLaughlin PJ, inventors; Penn State Research Foundation, assignee. Use of low "
                          "dose naltrexone for treating autoimmune disease. US patent 8,003,000. August 23, 2011."),
    ("apa", "mvbook-pharmacology", "Kenakin, T. (Ed.). (2022). Comprehensive pharmacology (Vols. 1\u20138). Elsevier."),
    ("vancouver", "mvbook-pharmacology", "Kenakin T, editor. Comprehensive pharmacology. Amsterdam: Elsevier; 2022. "
                                         "8 vol."),
    ("vancouver", "misc-howpublished", "Ross U. Low-dose naltrexone patient leaflet. Leaflet; 2020."),
    # translators: APA 7 (10.2) in parentheses after the title; Citing Medicine (ch. 1, 2, 5) after the title of
    # an article or chapter and after a book's edition; AMA 11 (3.12.1) after the title
    ("apa", "book-translated", "Freud, S. (2010). The interpretation of dreams (J. Strachey, Trans.). Basic Books."),
    ("apa", "art-translated", "Kovacs, P. (2012). Naltrexone in Hungarian practice (H. White, Trans.). Orvosi "
                              "Hetilap, 153, 10\u201315."),
    ("vancouver", "book-translated", "Freud S. The interpretation of dreams. Strachey J, translator. New York: Basic "
                                     "Books; 2010."),
    ("vancouver", "art-translated", "Kovacs P. Naltrexone in Hungarian practice. White H, translator. Orvosi Hetilap. "
                                    "2012;153:10-5."),
    ("vancouver", "inc-translated", "Petrov I. Opium in Russian medicine. Quinn R, translator. In: Stone T, editor. A "
                                    "history of analgesia. London: Routledge; 2005. p. 100-20."),
    ("ama", "book-translated", "Freud S. The Interpretation of Dreams. Strachey J, trans. Basic Books; 2010."),
    ("ama", "art-translated", "Kovacs P. Naltrexone in Hungarian practice. White H, trans. Orvosi Hetilap. "
                              "2012;153:10-15."),
    ("ama", "inc-translated", "Petrov I. Opium in Russian medicine. Quinn R, trans. In: Stone T, ed. A History of "
                              "Analgesia. Routledge; 2005:100-120."),
])
def test_the_further_biblatex_types(coverage, style, key, expected):
    # inbook, booklet, inreference, dataset, software, patent, mvbook and misc, by APA 7 ch. 10, Citing Medicine, AMA 11
    chosen = STYLES[style]
    assert plain_text(chosen.reference(coverage[key], chosen.prepare(list(coverage.values()), []))) == expected


def test_editions_and_ordinals():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == \
        ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"]
    assert edition(type("E", (), {"get": lambda self, n: "Revised"})()) == "Revised"


def test_ama_title_case():
    assert title_case("guidelines on the management of chronic pain: a guide") == \
        "Guidelines on the Management of Chronic Pain: A Guide"


def test_placed_fields_include_everything_issue_13_names():
    assert {"subtitle", "titleaddon", "urldate", "eprint", "eprinttype", "pubstate", "type",
            "institution", "number", "doi", "url", "translator", "edition"} <= PLACED_FIELDS


def test_ama_citations_with_locators_and_prefixes(tmp_path):
    import shutil
    from pipeline.loader import load_review
    folder = tmp_path / "strange"
    shutil.copytree(FIXTURES / "strange", folder)
    (folder / "review.yaml").write_text((folder / "review.yaml").read_text() + "citation_style: ama\n")
    document, _ = load_review(folder)
    # no space before a raised citation ("everything^1-4^"); one before a citation opening with its prefix
    assert caret(document.abstract[0].runs) == "Cites everything^1-4^."
    assert caret(document.sections[0].blocks[0].runs) == \
        "O'Connor^5^ and A et al^6^(p. 3),^7^, see ^8^(pp. 5-6),^9^,^10^."
    assert plain_text(document.bibliography.references[-1].runs) == "An undated leaflet."


@pytest.mark.parametrize("style, expected", [
    ("apa", "James, W. (1987). Writings (2nd ed.; B. Kuklick, Ed.; J. Strachey & H. White, Trans.). Library of "
            "America."),
    # Citing Medicine (ch. 2): secondary authors after the edition, a group per role, split by semicolons
    ("vancouver", "James W. Writings. 2nd ed. Kuklick B, editor; Strachey J, White H, translators. New York: "
                  "Library of America; 1987."),
    ("ama", "James W. Writings. (Kuklick B, ed.). Strachey J, White H, trans. 2nd ed. Library of America; 1987."),
])
def test_an_authored_book_with_editor_and_translators_names_each_role(tmp_path, style, expected):
    bib = tmp_path / "r.bib"
    bib.write_text("@book{b, author = {James, William}, editor = {Kuklick, Bruce}, translator = {Strachey, James "
                   "and White, Helen}, title = {Writings}, publisher = {Library of America}, location = {New York}, "
                   "date = {1987}, edition = {2}}\n")
    entries = load_bibliography(bib, Diagnostics())
    chosen = STYLES[style]
    assert plain_text(chosen.reference(entries["b"], chosen.prepare(list(entries.values()), []))) == expected
