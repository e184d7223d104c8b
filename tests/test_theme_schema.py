"""Theme files are validated like content: a malformed theme.yaml or slides.yaml is a located error at load."""

from __future__ import annotations

import jsonschema
import pytest

from conftest import GOOD
from pipeline import themes
from pipeline.diagnostics import Diagnostics, InputError
from pipeline.loader import load_review
from pipeline.theme_schema import SLIDES_SCHEMA, THEME_SCHEMA, validate_theme


@pytest.fixture
def make_theme(make_review, tmp_path):
    """A project theme themes/x with the given files, and a review that uses it."""

    def make(**files: str):
        folder = tmp_path / "themes" / "x"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        return make_review(GOOD + "theme: x\n")

    return make


def problems(folder) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_review(folder)
    return [str(d) for d in caught.value.diagnostics]


@pytest.mark.parametrize("name", ["default", "classic"])
def test_shipped_themes_are_valid(name):
    diagnostics = Diagnostics()
    validate_theme(themes.SHIPPED_THEMES / name, diagnostics)
    assert diagnostics.items == []


def test_schemas_are_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(THEME_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(SLIDES_SCHEMA)


def test_a_partial_slides_yaml_is_fine(make_theme):
    document, warnings = load_review(make_theme(slides="colours:\n  title: \"112233\"\n"))
    assert document.theme == "x" and warnings == []


def test_a_bad_colour_is_located(make_theme):
    assert problems(make_theme(slides="colours:\n  title: navy\n")) == [
        "themes/x/slides.yaml:2:10: error: 'colours.title' has an unexpected form: 'navy' "
        "(write six hex digits in quotes, e.g. \"1F3A5F\")"]


def test_a_mistyped_size_and_an_unknown_field(make_theme):
    assert problems(make_theme(slides="sizes:\n  body: big\n  bdoy_min: 3\n")) == [
        "themes/x/slides.yaml:3:3: error: unknown field 'bdoy_min' in sizes (did you mean 'body_min'?)",
        "themes/x/slides.yaml:2:9: error: 'sizes.body' must be a number, not text"]


def test_a_yaml_error_in_slides_yaml_is_located(make_theme):
    assert problems(make_theme(slides="colours:\n  title: \"112233\"\n   text: \"000000\"\n")) == [
        "themes/x/slides.yaml:3:4: error: invalid YAML: expected <block end>, but found '<block mapping start>' "
        "('text' is indented 3 spaces but 'title' on line 2 is indented 2 spaces: "
        "lines at the same level must line up exactly)"]


def test_a_font_file_outside_the_theme_is_refused(make_theme):
    slides = "fonts:\n  body:\n    files: {regular: ../../../etc/passwd}\n"
    assert problems(make_theme(slides=slides)) == [
        "themes/x/slides.yaml:3:22: error: font file '../../../etc/passwd' not found in the theme folder; "
        "give a path inside the theme folder"]


def test_a_bad_theme_yaml_is_located(make_theme):
    assert problems(make_theme(theme="paper: a5\ncolour: red\n")) == [
        "themes/x/theme.yaml:2:1: error: unknown field 'colour' in the top level; expected one of: description, paper, contents, contents_min_words",
        "themes/x/theme.yaml:1:8: error: 'paper' must be one of 'a4', 'letter'"]


def test_a_theme_yaml_that_is_not_a_mapping(make_theme):
    assert problems(make_theme(theme="- a4\n")) == [
        "themes/x/theme.yaml:1:1: error: theme.yaml must be a mapping of fields (description:, paper:)"]


def test_load_theme_survives_a_malformed_theme_yaml(make_theme):
    make_theme(theme="paper: [a4\n")
    theme = themes.load_theme("x")
    assert (theme.name, theme.paper, theme.description) == ("x", "a4", "")


@pytest.mark.parametrize("name", ["../x", "/etc", "", ".", "..", "default/../classic", "x/"])
def test_a_theme_name_that_is_not_plain_never_resolves(make_theme, name):
    make_theme()
    assert themes.find(name) is None
    assert name not in themes.available()
    with pytest.raises(ValueError):
        themes.load_theme(name)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("theme", ["default", "classic"])
@pytest.mark.parametrize("ground, ink", [("table_header", "table_header_text"), ("table_group", "table_header_text"),
                                          ("background", "text"), ("table_band", "table_text")])
def test_shipped_slide_colours_meet_wcag_aa_contrast(theme, ground, ink):
    from pipeline.render.slides.design import load_design
    from pipeline.themes import load_theme

    design = load_design(load_theme(theme))
    light, dark = sorted((_luminance(design.colour(ground)), _luminance(design.colour(ink))), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
