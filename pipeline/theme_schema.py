"""What valid `theme.yaml` and `slides.yaml` files of a theme are, checked when a review is loaded.

A theme is configuration, validated like content: each file is read with line
marks (`source.load_yaml`) and checked against its JSON Schema, so a malformed
theme is a located error from `check`, never a traceback at render time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema

from pipeline.diagnostics import Diagnostics
from pipeline.schema import check
from pipeline.source import YamlSource, load_yaml
from pipeline.themes import DEFAULT_THEME, SHIPPED_THEMES, font_file

TEXT = {"type": "string", "minLength": 1}
POINTS = {"type": "number", "minimum": 1, "description": "Points."}
COLOUR = {"type": "string", "pattern": r"^#?[0-9A-Fa-f]{6}$", "description": "RGB in hex, e.g. \"1F3A5F\"."}
COLOURS = ("background", "title", "text", "accent", "muted", "cover_background", "cover_text", "cover_muted",
           "table_header", "table_header_text", "table_band", "table_group", "table_text", "rule")
SIZES = ("cover_title", "cover_title_min", "title", "title_min", "body", "body_min", "table", "table_min",
         "reference", "reference_min", "caption", "foot", "foot_min", "footer")
SLIDE_TEXT_MIN, FOOT_MIN = 18, 12  # no slide text under 18 pt; only the foot of a slide (sources, captions) under it


def _size(name: str) -> dict:
    """A size in points; the smallest a slide's text or its foot may be is enforced here."""
    foot = name in ("caption", "foot", "foot_min", "footer")
    least = FOOT_MIN if foot else SLIDE_TEXT_MIN
    return {"type": "number", "minimum": least,
            "description": f"Points, at least {least} ({'the foot of a slide' if foot else 'slide text'})."}
FONT_STYLES = ("regular", "bold", "italic", "bold_italic")


def _object(properties: dict, required: tuple[str, ...] = (), description: str = "") -> dict:
    return {"type": "object", "description": description, "properties": properties,
            "required": list(required), "additionalProperties": False}


THEME_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "theme.yaml",
    **_object({
        "description": {**TEXT, "description": "One line saying what the theme looks like."},
        "paper": {"enum": ["a4", "letter"], "description": "Paper size of the PDFs (default a4)."},
        "contents": {"enum": ["auto", "always", "never"],
                     "description": "The article's contents list: auto (only when its sections hold at least "
                                    "contents_min_words words; the default), always or never."},
        "contents_min_words": {"type": "integer", "minimum": 0,
                               "description": "With contents: auto, the words of body text an article needs "
                                              "before it gets a contents list (default 2000)."},
    }, description="A theme's settings."),
}

FONT = _object({
    "font": {**TEXT, "description": "The font name the deck asks viewers for, e.g. Calibri."},
    "files": _object({style: {**TEXT, "description": "A font file in the theme folder."} for style in FONT_STYLES},
                     FONT_STYLES, "Metric-compatible font files text is measured with."),
}, ("font", "files"))

SLIDES_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "slides.yaml",
    **_object({
        "fonts": _object({"heading": FONT, "body": FONT}, ("heading", "body")),
        "colours": _object({name: COLOUR for name in COLOURS}, COLOURS),
        "sizes": _object({name: _size(name) for name in SIZES}, SIZES),
        "line_spacing": {"type": "number", "minimum": 0.5, "maximum": 3,
                         "description": "Line height as a multiple of the size."},
        "margins": _object({side: {"type": "number", "minimum": 0} for side in ("left", "right", "top", "bottom")},
                           ("left", "right", "top", "bottom")),
        "max_bullets": {"type": "integer", "minimum": 1, "maximum": 20},
        "bullet": {"type": "string", "minLength": 1, "maxLength": 1, "description": "The bullet character."},
        "section_dividers": {"type": "boolean", "description": "A divider slide before each section "
                                                               "(default false)."},
    }, ("fonts", "colours", "sizes", "line_spacing", "margins", "max_bullets"),
        "A theme's slide design; a theme other than the default may give only what it changes."),
}


def _partial(schema: Any) -> Any:
    """The schema with nothing required: a theme's slides.yaml overrides the default's key by key."""
    if isinstance(schema, dict):
        return {k: _partial(v) for k, v in schema.items() if k != "required"}
    return schema


_THEME = jsonschema.Draft202012Validator(THEME_SCHEMA)
_SLIDES_FULL = jsonschema.Draft202012Validator(SLIDES_SCHEMA)
_SLIDES_PARTIAL = jsonschema.Draft202012Validator(_partial(SLIDES_SCHEMA))


def validate_theme(folder: Path, diagnostics: Diagnostics) -> None:
    """Check the theme in `folder`: its theme.yaml and slides.yaml, each error at its line."""
    source = _load(folder / "theme.yaml", diagnostics)
    if source is not None:
        check(_THEME, source, diagnostics, "theme.yaml must be a mapping of fields (description:, paper:)")
    source = _load(folder / "slides.yaml", diagnostics)
    if source is not None:
        complete = folder.resolve() == (SHIPPED_THEMES / DEFAULT_THEME).resolve()
        check(_SLIDES_FULL if complete else _SLIDES_PARTIAL, source, diagnostics,
              "slides.yaml must be a mapping of fields (fonts:, colours:, sizes:, ...)")
        _check_font_files(folder, source, diagnostics)


def _load(path: Path, diagnostics: Diagnostics) -> YamlSource | None:
    """The file with line marks; None when it is absent (a theme may leave it out) or broken."""
    if not path.exists() and not path.is_symlink():
        return None
    source = load_yaml(path, diagnostics)
    return source if source is not None and source.data is not None else None


def _check_font_files(folder: Path, source: YamlSource, diagnostics: Diagnostics) -> None:
    """Each font file names a file inside the theme folder (or the default theme's)."""
    for path, relative in _font_files(source.data):
        if not font_file(relative, folder):
            diagnostics.error(f"font file '{relative}' not found in the theme folder; give a path inside "
                              "the theme folder", source.location(path))


def _font_files(data: Any) -> list[tuple[tuple, str]]:
    """(path, file) of every font file named in slides.yaml data, whatever its shape."""
    fonts = data.get("fonts") if isinstance(data, dict) else None
    found = []
    for role, font in fonts.items() if isinstance(fonts, dict) else ():
        files = font.get("files") if isinstance(font, dict) else None
        found += [(("fonts", role, "files", style), relative)
                  for style, relative in (files.items() if isinstance(files, dict) else ())
                  if isinstance(relative, str)]
    return found
