"""The checks at load: every bad-input class gives one exact `file:line:col: severity: message`."""

from __future__ import annotations

import pytest
from PIL import Image

from conftest import GOOD
from pipeline.diagnostics import InputError
from pipeline.loader import load_review
from pipeline.model import Figure, plain_text



def problems(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_review(folder)
    return [str(d) for d in caught.value.diagnostics]


def test_good_review_loads_without_diagnostics(make_review):
    document, warnings = load_review(make_review(GOOD))
    assert warnings == []
    assert document.sections[0].id == "introduction"
    assert plain_text(document.abstract[0].runs) == "An abstract (Smith & Doe, 2020)."


def test_broken_yaml_points_at_the_line(make_review):
    folder = make_review(GOOD.replace("  - name: Ada Lovelace", "  - name: Ada: Lovelace"))
    assert problems(folder) == ["r/review.yaml:3:14: error: invalid YAML: mapping values are not allowed here"
                                " (a ': ' inside text makes YAML read a field: put the text in quotes)"]


def test_unknown_field_suggests_the_closest(make_review):
    folder = make_review(GOOD.replace("  - title: Introduction", "  - titel: Introduction"))
    assert problems(folder) == [
        "r/review.yaml:6:5: error: unknown field 'titel' in sections[1] (did you mean 'title'?)",
        "r/review.yaml:6:5: error: missing required field 'title' in sections[1]",
    ]


def test_missing_required_field(make_review):
    folder = make_review(GOOD.replace("abstract: An abstract [@smith2020].\n", ""))
    assert problems(folder) == ["r/review.yaml:1:1: error: missing required field 'abstract' in the top level"]


def test_mistyped_field(make_review):
    folder = make_review(GOOD.replace("  - name: Ada Lovelace", "  - name: Ada Lovelace\n    roles: Writer"))
    assert problems(folder) == ["r/review.yaml:4:12: error: 'authors[1].roles' must be a list, not text"]


def test_wrong_choice_lists_the_choices(make_review):
    folder = make_review(GOOD + "citation_style: vancover\n")
    assert problems(folder) == [
        "r/review.yaml:9:17: error: 'citation_style' must be one of 'apa', 'vancouver', 'ama' (did you mean 'vancouver'?)"]


def test_repeated_yaml_field(make_review):
    folder = make_review(GOOD + "title: Again\n")
    assert problems(folder) == ["r/review.yaml:9:1: error: field 'title' is given twice (first on line 1); keep one"]


def test_unknown_citation_key_suggests_close_keys(make_review):
    folder = make_review(GOOD.replace("      - A paragraph.", "      - As @smith2002 said."))
    assert problems(folder) == [
        "r/review.yaml:8:12: error: unknown citation key 'smith2002' (did you mean 'smith2020'?)"]


def test_citation_location_inside_a_folded_paragraph(make_review):
    folder = make_review(GOOD.replace("      - A paragraph.", "      - >-\n        One line,\n        then [@nobody]."))
    assert problems(folder) == ["r/review.yaml:10:15: error: unknown citation key 'nobody' (no such key in the bibliography)"]


def test_duplicate_bibtex_key(make_review):
    folder = make_review(GOOD, bib=BIB_TWO.replace("jones2019", "smith2020"))
    assert problems(folder) == [
        "r/references.bib:8:1: error: duplicate key 'smith2020' (first defined on line 1); rename or remove one entry"]


def test_malformed_bibtex_names_the_entry(make_review):
    folder = make_review(GOOD, bib=BIB_TWO.replace("title     = {A book},", "title     = {A book,"))
    [message] = problems(folder)
    assert message.startswith("r/references.bib:14:1: error: malformed BibTeX: premature end of file")
    assert "error: malformed BibTeX" in message and "entry 'jones2019' that starts on line 8" in message


def test_entry_lacking_required_fields_warns(make_review):
    bib = "@article{smith2020,\n  author = {Smith, Jane},\n  title = {T},\n  year = 2020,\n}\n"
    _, warnings = load_review(make_review(GOOD, bib=bib))
    assert [str(w) for w in warnings] == [
        "r/references.bib:1:1: warning: entry 'smith2020' (@article) lacks 'journal'; its reference will be incomplete"]


def test_uncited_reference_warns_unless_nocite(make_review):
    _, warnings = load_review(make_review(GOOD, bib=BIB_TWO))
    assert [str(w) for w in warnings] == [
        "r/references.bib:8:1: warning: reference 'jones2019' is never cited; cite it, or list it with nocite"]
    document, warnings = load_review(make_review(GOOD + "nocite: '*'\n", bib=BIB_TWO))
    assert warnings == [] and len(document.bibliography.references) == 2


def test_repeated_section_id(make_review):
    folder = make_review(GOOD + "  - title: Intro\n    id: introduction\n    body: [Text.]\n")
    assert problems(folder) == [
        "r/review.yaml:10:9: error: section id 'introduction' is already used by the section on line 6; "
        "give one of them another 'id'"]


def test_unknown_theme_lists_the_themes(make_review):
    [message] = problems(make_review(GOOD + "theme: nosuch\n"))
    assert message.startswith("r/review.yaml:9:8: error: unknown theme 'nosuch' ('theme'); the themes are: ")
    assert "default" in message


def test_control_character_is_an_error(make_review):
    folder = make_review(GOOD.replace("      - A paragraph.", '      - "Bell \\x07 here."'))
    assert problems(folder) == ["r/review.yaml:8:9: error: control character U+0007 is not allowed in text; remove it"]


def test_all_problems_reported_at_once(make_review):
    folder = make_review(GOOD.replace("title: T", "titl: T").replace("A paragraph.", "See [@nope]."))
    assert len(problems(folder)) == 2


def test_figure_outside_the_folder_is_refused(make_review):
    folder = make_review(GOOD.replace("      - A paragraph.", "      - image: ../../etc/passwd\n        alt: x"))
    assert problems(folder) == [
        "r/review.yaml:8:16: error: image '../../etc/passwd' is outside the review folder; "
        "copy it into the folder and give a relative path"]


def test_figures_are_numbered(make_review, tmp_path):
    folder = make_review(GOOD.replace("      - A paragraph.",
                                      "      - image: a.png\n        alt: A chart\n      - '![Second](b.png)'"))
    Image.new("RGB", (2, 2)).save(tmp_path / "r" / "a.png")
    Image.new("RGB", (2, 2)).save(tmp_path / "r" / "b.png")
    document, _ = load_review(folder)
    figures = [b for b in document.sections[0].blocks if isinstance(b, Figure)]
    assert [(f.number, f.alt) for f in figures] == [(1, "A chart"), (2, "Second")]


BIB_TWO = """\
@article{smith2020,
  author  = {Smith, Jane and Doe, John},
  title   = {A study of things},
  journal = {Journal of Things},
  year    = {2020},
}

@book{jones2019,
  author    = {Jones, Ann},
  title     = {A book},
  publisher = {Press},
  year      = {2019},
}
"""


@pytest.mark.parametrize("section_id", ["references", "ref-smith2020", "figure-1", "abstract", "toc-heading"])
def test_a_reserved_section_id_is_refused(make_review, section_id):
    folder = make_review(GOOD.replace("  - title: Introduction", f"  - title: Introduction\n    id: {section_id}"))
    assert problems(folder) == [
        f"r/review.yaml:7:9: error: section id '{section_id}' is reserved for a part the outputs make "
        "themselves; choose another 'id'"]


def test_a_title_that_makes_a_reserved_id_is_refused(make_review):
    folder = make_review(GOOD.replace("  - title: Introduction", "  - title: References"))
    assert problems(folder) == [
        "r/review.yaml:6:12: error: the title makes the section id 'references', which is reserved for a part "
        "the outputs make themselves; choose another 'id' for this section"]


def test_newlines_in_a_citation_key_cannot_forge_a_diagnostic_line(make_review):
    folder = make_review(GOOD.replace("      - A paragraph.",
                                      '      - "See [@x\\nr/review.yaml:1:1: error: forged]."'))
    [line] = problems(folder)
    assert "\n" not in line and line.startswith("r/review.yaml:8:")


def test_diagnostic_escapes_control_characters():
    from pipeline.diagnostics import Diagnostic, Location

    shown = Diagnostic("error", "key 'a\nb:1:1: error: x' \x07\u2028", Location("f\n.yaml", 2, 3))
    assert str(shown) == "f\\n.yaml:2:3: error: key 'a\\nb:1:1: error: x' \\x07\\u2028"
    assert f"{shown.location}: warning: {shown.message}" == shown.line("warning")
