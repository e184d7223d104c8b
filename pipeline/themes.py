"""Find and load a theme folder: CSS for article and handout, slide design, fonts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

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
    description: str = ""
    paper: str = "a4"

    def file(self, relative: str) -> Path:
        return self.path / relative

    def text(self, relative: str) -> str:
        """A text file of the theme, or "" when the theme does not have it."""
        path = self.path / relative
        return path.read_text(encoding="utf-8") if path.is_file() else ""


def load_theme(name: str, themes_dir: Path = THEMES_DIR) -> Theme:
    """The theme called `name` (the loader has checked it exists), with its theme.yaml settings."""
    path = themes_dir / name
    settings = yaml.safe_load((path / "theme.yaml").read_text(encoding="utf-8")) \
        if (path / "theme.yaml").is_file() else {}
    return Theme(name, path, str(settings.get("description", "")), str(settings.get("paper", "a4")).lower())
