"""Find and load a theme folder: CSS for article and handout, slide design, fonts.

The shipped themes travel inside the package (`pipeline/data/themes/`), so an
installed pipeline has them wherever it runs. A project's own `themes/` folder
(beside `source/`, in the working folder) adds themes, or replaces a shipped
theme of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostics
from pipeline.source import load_yaml

SHIPPED_THEMES = Path(__file__).resolve().parent / "data" / "themes"
THEMES_DIR = SHIPPED_THEMES  # the shipped themes; where the default theme always is
PROJECT_THEMES = Path("themes")  # a project's own, relative to the working folder
DEFAULT_THEME = "default"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a folder name: no '/', not '.' or '..'


def is_plain_name(name: str) -> bool:
    """Whether `name` can only ever name a folder directly inside a themes folder."""
    return isinstance(name, str) and _PLAIN_NAME.fullmatch(name) is not None


def theme_dirs() -> list[Path]:
    """Folders that hold themes, the project's first (its themes win over shipped ones by name)."""
    own = PROJECT_THEMES.resolve()
    return [own, SHIPPED_THEMES] if own.is_dir() and own != SHIPPED_THEMES else [SHIPPED_THEMES]


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.is_dir() and is_plain_name(p.name)} \
        if folder.is_dir() else set()


def available() -> list[str]:
    """The names of the themes there are: the shipped ones and the project's."""
    return sorted(set().union(*(_names(folder) for folder in theme_dirs())))


def find(name: str) -> Path | None:
    """The folder of the theme called `name` (the project's before the shipped one), or None.

    A name that is not a plain folder name (`../x`, `/abs`, "") is never resolved: None.
    """
    if not is_plain_name(name) or name not in available():
        return None
    return next(folder / name for folder in theme_dirs() if name in _names(folder))


def font_file(relative: str, folder: Path) -> Path | None:
    """The font file `relative` names: in the theme folder, else in the default theme's; never outside them."""
    for base in (folder, SHIPPED_THEMES / DEFAULT_THEME):
        path = (base / relative).resolve()
        if path.is_relative_to(base.resolve()) and path.is_file():
            return path
    return None


@dataclass(frozen=True)
class Theme:
    """A theme folder; renderers read its files through the paths it gives."""

    name: str
    path: Path
    description: str = ""
    paper: str = "a4"
    contents: str = "auto"  # the article's contents list: "auto" (long articles only), "always", "never"
    contents_min_words: int = 2000  # with "auto": the body words an article needs to get one

    def shows_contents(self, words: int) -> bool:
        """Whether an article whose sections hold `words` words gets a contents list."""
        if self.contents == "auto":
            return words >= self.contents_min_words
        return self.contents == "always"

    def file(self, relative: str) -> Path:
        return self.path / relative

    def text(self, relative: str) -> str:
        """A text file of the theme, or "" when the theme does not have it."""
        path = self.path / relative
        return path.read_text(encoding="utf-8") if path.is_file() else ""


def load_theme(name: str) -> Theme:
    """The theme called `name` (the loader has checked it exists and validated its theme.yaml)."""
    path = find(name)
    if path is None:
        raise ValueError(f"no theme called {name!r}")  # the loader refuses an unknown theme first
    settings = _settings(path / "theme.yaml")
    return Theme(name, path, str(settings.get("description", "")), str(settings.get("paper", "a4")).lower(),
                 str(settings.get("contents", Theme.contents)),
                 int(settings.get("contents_min_words", Theme.contents_min_words)))


def _settings(path: Path) -> dict[str, Any]:
    """theme.yaml's fields, read safely; {} when it is absent or broken (`check` reports that)."""
    if not path.is_file():
        return {}
    source = load_yaml(path, Diagnostics())
    return source.data if source is not None and isinstance(source.data, dict) else {}
