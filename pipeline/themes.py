"""Find and load a theme folder: CSS for article and handout, slide design, fonts.

The shipped themes travel inside the package (`pipeline/data/themes/`), so an
installed pipeline has them wherever it runs. A project's own `themes/` folder
(beside `source/`, in the working folder) adds themes, or replaces a shipped
theme of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

SHIPPED_THEMES = Path(__file__).resolve().parent / "data" / "themes"
THEMES_DIR = SHIPPED_THEMES  # the shipped themes; where the default theme always is
PROJECT_THEMES = Path("themes")  # a project's own, relative to the working folder
DEFAULT_THEME = "default"


def theme_dirs() -> list[Path]:
    """Folders that hold themes, the project's first (its themes win over shipped ones by name)."""
    own = PROJECT_THEMES.resolve()
    return [own, SHIPPED_THEMES] if own.is_dir() and own != SHIPPED_THEMES else [SHIPPED_THEMES]


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")} \
        if folder.is_dir() else set()


def available() -> list[str]:
    """The names of the themes there are: the shipped ones and the project's."""
    return sorted(set().union(*(_names(folder) for folder in theme_dirs())))


def find(name: str) -> Path | None:
    """The folder of the theme called `name` (the project's before the shipped one), or None."""
    if name not in available():
        return None
    return next(folder / name for folder in theme_dirs() if name in _names(folder))


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


def load_theme(name: str) -> Theme:
    """The theme called `name` (the loader has checked it exists), with its theme.yaml settings."""
    path = find(name) or SHIPPED_THEMES / name
    settings = yaml.safe_load((path / "theme.yaml").read_text(encoding="utf-8")) \
        if (path / "theme.yaml").is_file() else {}
    return Theme(name, path, str(settings.get("description", "")), str(settings.get("paper", "a4")).lower())
