"""Find and load a theme folder: CSS for article and handout, slide design, fonts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parent.parent / "themes"
DEFAULT_THEME = "default"


def available(themes_dir: Path = THEMES_DIR) -> list[str]:
    """The names of the themes there are: folders under `themes/`."""
    if not themes_dir.is_dir():
        return []
    return sorted(p.name for p in themes_dir.iterdir() if p.is_dir() and not p.name.startswith("."))


@dataclass(frozen=True)
class Theme:
    """A theme folder; renderers read its files through the paths it gives."""

    name: str
    path: Path

    def file(self, relative: str) -> Path:
        return self.path / relative


def load_theme(name: str, themes_dir: Path = THEMES_DIR) -> Theme:
    """The theme called `name`; the caller has checked it exists (see `available`)."""
    return Theme(name, themes_dir / name)
