"""The importer's writers and parsers: hostile text survives YAML and BibTeX exactly; reference
strings and in-text citations in the common shapes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pipeline.bibliography import load_bibliography
from pipeline.diagnostics import Diagnostics
from pipeline.importers.citations import link_citations
from pipeline.importers.references import Entry, assign_keys, parse_reference
from pipeline.importers.writer import bibtex, review_yaml

HOSTILE = ["key: value", "- leading dash", "* star", "& anchor", "! tag", "# not a comment", "a # b",
           "'single' \"double\"", "ünïcödé — “quotes” ✓", "{flow}", "[list]", "@at", "%percent", "|pipe",
           ">fold", "yes", "null", "2020-01-01", "0x10", "  leading and trailing  ", "tab\there",
           "line\nbreak", "trailing\n", "\u2028sep", "x" * 300 + ": long with colon", "ends with colon:",
           "back\\slash", "~", "--", "''", "`tick`", "a^b", "x_y$z&w"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_loads_back_exactly_from_review_yaml(text):
    data = {"title": text, "authors": [{"name": text}], "abstract": text,
            "sections": [{"title": text, "id": "s", "body": [text, f"{text} {text}"]}]}
    written = review_yaml(data, {("sections", 0, "body", 1): [f"CHECK: {text}"]}, [f"from {text}"])
    assert yaml.safe_load(written) == data


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\n" not in t and "\u2028" not in t])
def test_hostile_text_loads_back_exactly_from_bibtex(tmp_path, text):
    entry = Entry(text="", line=1, type="article", authors=[("van der Berg", "C. P."), ("O'Brien", "A.")], year="2020",
                  fields={"title": text.strip(), "journal": f"J {text.strip()}"}, key="obrien2020")
    (tmp_path / "r.bib").write_text(bibtex([entry], f"header {text}"))
    diagnostics = Diagnostics()
    loaded = load_bibliography(tmp_path / "r.bib", diagnostics)["obrien2020"]
    assert diagnostics.items == []
    assert loaded.get("title") == " ".join(text.split()) and loaded.get("journal") == " ".join(f"J {text}".split())
    assert [(a.family, a.given) for a in loaded.authors] == [("van der Berg", "C. P."), ("O'Brien", "A.")]


def test_apa_reference_is_typed():
    entry = parse_reference("Toljan, K., & Vrooman, B. (2018). Low-dose naltrexone (LDN)—Review of therapeutic "
                            "utilization. *Medical Sciences*, *6*(4), 82. https://doi.org/10.3390/medsci6040082", 9)
    assert (entry.type, entry.authors, entry.year) == ("article", [("Toljan", "K."), ("Vrooman", "B.")], "2018")
    assert entry.fields == {"doi": "10.3390/medsci6040082", "title": "Low-dose naltrexone (LDN)—Review of "
                            "therapeutic utilization", "journal": "Medical Sciences", "volume": "6",
                            "number": "4", "pages": "82"}


def test_apa_book_and_vancouver_article_and_book():
    book = parse_reference("Walker, M. P. (2017). Why we sleep: Unlocking the power of sleep and dreams. "
                           "Scribner.", 1)
    assert (book.type, book.fields["publisher"], book.fields["title"]) == \
        ("book", "Scribner", "Why we sleep: Unlocking the power of sleep and dreams")
    article = parse_reference("2. Reid KJ, Baron KG, et al. Aerobic exercise improves sleep. Sleep Med. "
                              "2010 Oct;11(9):934-40. doi:10.1016/j.sleep.2010.04.014", 1)
    assert (article.number, article.authors, article.year) == (2, [("Reid", "K. J."), ("Baron", "K. G.")], "2010")
    assert article.fields == {"doi": "10.1016/j.sleep.2010.04.014", "title": "Aerobic exercise improves sleep",
                              "journal": "Sleep Med", "volume": "11", "number": "9", "pages": "934--940"}
    vbook = parse_reference("5. Walker MP. Why we sleep. New York: Scribner; 2017.", 1)
    assert (vbook.type, vbook.fields["publisher"], vbook.fields["address"], vbook.year) == \
        ("book", "Scribner", "New York", "2017")


def test_unparsed_reference_is_kept_whole():
    entry = parse_reference("Lecture notes handed out in class, spring 2019", 4)
    assert (entry.parsed, entry.type, entry.fields, entry.year) == \
        (False, "misc", {"note": "Lecture notes handed out in class, spring 2019"}, "2019")


def entries() -> list[Entry]:
    found = [parse_reference(text, i) for i, text in enumerate([
        "Brown, N., & Panksepp, J. (2009). A. J, 1, 1.",
        "Younger, J., Noor, N., & Mackey, S. (2014). Fibromyalgia trial. J, 1, 1.",
        "Younger, J., Parkitny, L., & McLain, D. (2014). Anti-inflammatory chronic pain. J, 1, 1.",
        "van der Berg, A. (2020). B. J, 1, 1."])]
    assign_keys(found)
    return found


@pytest.mark.parametrize("written, pandoc", [
    ("(Brown & Panksepp, 2009)", "[@brown2009]"),
    ("(Brown and Panksepp, 2009; van der Berg, 2020)", "[@brown2009; @vanderberg2020]"),
    ("(see Brown & Panksepp, 2009, p. 4)", "[see @brown2009, p. 4]"),
    ("Brown and Panksepp (2009)", "@brown2009"),
    ("Younger, Noor, and Mackey (2014)", "@younger2014a"),
    ("(Younger et al., 2014b)", "[@younger2014b]"),
    ("[2]", "[@younger2014a]"),
    ("[1, 2]", "[@brown2009; @younger2014a]"),
    ("[1–3]", "[@brown2009; @younger2014a; @younger2014b]"),
    ("\\[4\\]", "[@vanderberg2020]"),
])
def test_in_text_citations_become_pandoc(written, pandoc):
    linked = link_citations(f"As shown {written}.", entries())
    assert (linked.text, linked.problems) == (f"As shown {pandoc}.", [])


def test_ambiguous_and_unknown_citations_are_problems_at_their_offset():
    text = "Younger et al. (2014) saw chronic pain; (Smith, 2001) did not; [9]."
    linked = link_citations(text, entries())
    assert linked.text == "@younger2014b saw chronic pain; (Smith, 2001) did not; [9]."
    assert [p.offset for p in linked.problems] == [0, text.index("(Smith"), text.index("[9]")]
    assert "matches 2 references: younger2014a" in linked.problems[0].message
    assert linked.problems[1].message.startswith("citation '(Smith, 2001)' matches no reference")
    assert linked.problems[2].message.startswith("citation '[9]': the reference list has no number 9")
