"""Bibliography loading and the two citation styles, on a real-world-shaped .bib.

Golden strings: a change in how an entry or a citation is written must be a
change someone meant to make.
"""

from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURES
from pipeline.bibliography import Name, latex_to_text
from pipeline.loader import load_review
from pipeline.model import plain_text

STRANGE = FIXTURES / "strange"


@pytest.fixture(scope="module")
def strange_apa():
    document, _ = load_review(STRANGE)
    return document


@pytest.fixture(scope="module")
def strange_vancouver(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vancouver") / "strange"
    shutil.copytree(STRANGE, folder)
    review = folder / "review.yaml"
    review.write_text(review.read_text() + "citation_style: vancouver\n")
    document, _ = load_review(folder)
    return document


def entries(document) -> dict[str, str]:
    return {r.key: plain_text(r.runs) for r in document.bibliography.references}


@pytest.mark.parametrize("fixture", ["strange_apa", "strange_vancouver"])
def test_no_tex_markup_survives(fixture, request):
    for key, text in entries(request.getfixturevalue(fixture)).items():
        assert not re.search(r"[\\{}$]|--|~", text), (key, text)


def test_latex_to_text():
    assert latex_to_text(r"M{\"u}ller \& {\v{S}}koda --- 50\% {IL-6} $\alpha$") == "Müller & Škoda — 50% IL-6 α"


def test_tex_quotes_become_typographic_quotes():
    assert latex_to_text("an alcohol ``high'' and a `word'") == "an alcohol \u201chigh\u201d and a \u2018word'"


def test_initials_keep_hyphens():
    assert Name("de la Fontaine", "Jean-Pierre A.").initials == ["J.-P.", "A."]


def test_apa_list_is_sorted_by_author(strange_apa):
    assert list(entries(strange_apa)) == [
        "consortium2021", "kim2017", "muller2019", "ng2015", "oconnor2012", "rand2010", "nih2023", "anon",
        "vanderberg2018", "who2020"]


@pytest.mark.parametrize("key, expected", [
    ("muller2019", "Müller, J., González-Pérez, M., & Škoda, O. (2019). Effects of low-dose naltrexone on IL-6: "
                   "A α-level analysis — revisited. Journal of Affective Disorders, 245(3), 101–110. "
                   "https://doi.org/10.1016/j.jad.2019.01.001"),
    ("vanderberg2018", "van der Berg, J., de la Fontaine, J.-P., & Smith, J., Jr. (2018). Opioid antagonists & the "
                       "ENDOGENOUS system: 50% of the story. Br. J. Psychiatry, 212, 1234–1245."),
    ("who2020", "World Health Organization. (2020). Guidelines on the management of PTSD (2nd ed.). WHO Press."),
    ("ng2015", "Ng, K. (2015). Pain and mood. In A. B. Brown & L. Chen (Eds.), Handbook of Psychopharmacology "
               "(pp. 33–58). Springer."),
    ("oconnor2012", "O'Connor, S. (2012). Endorphins in the Öresund cohort [Doctoral dissertation]. Lund University."),
    ("anon", "An undated leaflet. (n.d.)."),
])
def test_apa_entries(strange_apa, key, expected):
    assert entries(strange_apa)[key] == expected


def test_apa_twenty_one_authors_elide_to_the_last(strange_apa):
    text = entries(strange_apa)["consortium2021"]
    assert text.startswith("A, A., B, B., C, C.") and ", S, S., \u2026 V, V. (2021)." in text


def test_apa_citations(strange_apa):
    assert plain_text(strange_apa.abstract[0].runs) == \
        "Cites everything (Müller et al., 2019; Ng, 2015; van der Berg et al., 2018; World Health Organization, 2020)."
    assert plain_text(strange_apa.sections[0].blocks[0].runs) == (
        "O'Connor (2012) and A et al. (2021, p. 3), (2010), (see Kim & Park, 2017, pp. 5-6; "
        "U.S. National Library of Medicine, 2023; “An undated leaflet”, n.d.).")


@pytest.mark.parametrize("key, expected", [
    ("muller2019", "1. Müller J, González-Pérez M, Škoda O. Effects of low-dose naltrexone on IL-6: A α-level "
                   "analysis — revisited. Journal of Affective Disorders. 2019 Apr 15;245(3):101-10. "
                   "doi:10.1016/j.jad.2019.01.001"),
    ("vanderberg2018", "2. van der Berg J, de la Fontaine JP, Smith J Jr. Opioid antagonists & the ENDOGENOUS system: "
                       "50% of the story. Br. J. Psychiatry. 2018 Mar;212:1234-45."),
    ("who2020", "3. World Health Organization. Guidelines on the management of PTSD. 2nd ed. Genève: WHO Press; 2020."),
    ("consortium2021", "6. A A, B B, C C, D D, E E, F F, et al. A very large collaboration. Nature Medicine. "
                       "2021;27:e1-e9."),
    ("nih2023", "9. Naltrexone: MedlinePlus drug information [Internet]. U.S. National Library of Medicine; 2023 [cited 2023 May 1]. "
                "Available from: https://medlineplus.gov/druginfo/meds/a685041.html"),
])
def test_vancouver_entries(strange_vancouver, key, expected):
    reference = next(r for r in strange_vancouver.bibliography.references if r.key == key)
    assert f"{reference.label} {plain_text(reference.runs)}" == expected


def test_vancouver_numbers_in_order_of_first_citation(strange_vancouver):
    assert plain_text(strange_vancouver.abstract[0].runs) == "Cites everything [1–4]."
    assert plain_text(strange_vancouver.sections[0].blocks[0].runs) == \
        "O'Connor [5] and A et al. [6, p. 3], [7], [see 8, pp. 5-6; 9; 10]."


# --- malformed .bib input: one located error each ----------------------------------------------

from conftest import GOOD  # noqa: E402
from pipeline.diagnostics import InputError  # noqa: E402
from pipeline.limits import BIB_FIELD_CHARS  # noqa: E402

_ENTRY = "@article{smith2020,\n  author = {Smith, Jane},\n  title = {T},\n  journal = {J},\n  year = {2020},\n}\n"


def _problems(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_review(folder)
    return [str(d) for d in caught.value.diagnostics]


def test_a_name_with_too_many_commas_is_located(make_review):
    bib = _ENTRY + "\n@article{brown2001,\n  author = {Brown, N., Jr, X and Panksepp, J.},\n  title = {T},\n}\n"
    assert _problems(make_review(GOOD, bib=bib)) == [
        "r/references.bib:8:1: error: name 'Brown, N., Jr, X' has too many commas; write each name as "
        "'Last, First' or 'Last, Jr, First', and separate names with ' and ' (in entry 'brown2001')"]


def test_duplicates_on_one_line_point_at_the_second(make_review):
    bib = "@misc{smith2020, title={A}} @misc{smith2020, title={B}}\n"
    assert _problems(make_review(GOOD, bib=bib)) == [
        "r/references.bib:1:29: error: duplicate key 'smith2020' (first defined on line 1); "
        "rename or remove one entry"]


def test_an_at_sign_inside_a_field_is_not_an_entry(make_review):
    bib = _ENTRY.replace("title = {T}", "title = {Mail @misc{smith2020, x}}")
    document, _ = load_review(make_review(GOOD, bib=bib))
    assert [r.key for r in document.bibliography.references] == ["smith2020"]


def test_a_field_over_the_limit_is_an_error_at_its_entry(make_review):
    bib = _ENTRY.replace("title = {T}", "title = {" + "x" * (BIB_FIELD_CHARS + 1) + "}")
    assert _problems(make_review(GOOD, bib=bib)) == [
        f"r/references.bib:1:1: error: field 'title' of entry 'smith2020' is {BIB_FIELD_CHARS + 1:,} "
        f"characters long; the limit is {BIB_FIELD_CHARS:,}: shorten it"]
