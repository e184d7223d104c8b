"""The slide design of a theme: `themes/<name>/slides.yaml` and an optional `slides/template.pptx`.

The YAML gives colours, fonts (the name the deck asks for and the metric-compatible
files text is measured with), sizes in points, the smallest size text may shrink
to, and margins. A theme without a slides.yaml uses the default theme's; a
partial one overrides the default theme's values key by key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, Diagnostics, InputError, Location, display_path
from pipeline.render.slides.metrics import FontFamily, load_family
from pipeline.source import load_yaml
from pipeline.themes import THEMES_DIR, Theme, font_file

DESIGN_FILE = "slides.yaml"
TEMPLATE_FILE = "slides/template.pptx"


@dataclass(frozen=True)
class Font:
    """A font as the deck names it, and the files its text is measured with."""

    name: str
    family: FontFamily


@dataclass(frozen=True)
class SlideDesign:
    """Everything the slide renderer needs to know about a theme's look."""

    heading: Font
    body: Font
    colours: dict[str, str]
    sizes: dict[str, float]
    line_spacing: float
    margins: dict[str, float]
    max_bullets: int
    bullet: str
    template: Path | None
    section_dividers: bool = False  # a divider slide before each section

    def colour(self, name: str) -> str:
        return self.colours[name]

    def size(self, name: str) -> float:
        return float(self.sizes[name])


def load_design(theme: Theme) -> SlideDesign:
    """The slide design of `theme`, falling back to the default theme's values."""
    return _load(theme.path.resolve())


@lru_cache(maxsize=8)
def _load(theme_dir: Path) -> SlideDesign:
    default_dir = THEMES_DIR / "default"
    data = _merge(_read(default_dir / DESIGN_FILE), _read(theme_dir / DESIGN_FILE))
    base = theme_dir if (theme_dir / DESIGN_FILE).is_file() else default_dir
    template = theme_dir / TEMPLATE_FILE
    try:
        return SlideDesign(
            heading=_font(data["fonts"]["heading"], base),
            body=_font(data["fonts"]["body"], base),
            colours={k: str(v).lstrip("#").upper() for k, v in data["colours"].items()},
            sizes={k: float(v) for k, v in data["sizes"].items()},
            line_spacing=float(data["line_spacing"]),
            margins={k: float(v) for k, v in data["margins"].items()},
            max_bullets=int(data["max_bullets"]),
            bullet=str(data.get("bullet", "•"))[:1] or "•",
            template=template if template.is_file() else None,
            section_dividers=bool(data.get("section_dividers", False)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _theme_error(base / DESIGN_FILE, f"slide design is incomplete or invalid ({error})") from None


def _read(path: Path) -> dict[str, Any]:
    """slides.yaml read safely with line marks; a broken one is an InputError (`check` reports it first)."""
    if not path.is_file():
        return {}
    diagnostics = Diagnostics()
    source = load_yaml(path, diagnostics)
    diagnostics.raise_if_errors()
    data = source.data if source is not None and source.data is not None else {}
    if not isinstance(data, dict):
        raise _theme_error(path, "must be a mapping (fonts:, colours:, sizes:, ...)")
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """`override` on top of `base`, mappings merged key by key."""
    merged = dict(base)
    for key, value in override.items():
        both_maps = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merge(base[key], value) if both_maps else value
    return merged


def _font(data: dict[str, Any], theme_dir: Path) -> Font:
    files = {style: _font_file(str(rel), theme_dir) for style, rel in data["files"].items()}
    return Font(str(data["font"]), load_family(files))


def _font_file(relative: str, theme_dir: Path) -> Path:
    found = font_file(relative, theme_dir)  # inside the theme folder or the default theme's, never outside
    if found is None:
        raise _theme_error(theme_dir / DESIGN_FILE, f"font file '{relative}' not found in the theme folder")
    return found


def _theme_error(path: Path, message: str, line: int = 1) -> InputError:
    return InputError([Diagnostic("error", message, Location(display_path(path), line))])
