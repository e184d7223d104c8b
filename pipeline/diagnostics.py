"""Locations in source files, diagnostics that point at them, and their collector.

Every problem a user can fix is a `Diagnostic` printed compiler-style,
`path:line:col: error: message`, so editors and CI logs can jump to it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column count from 1."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, with where it is and what to do."""

    severity: Severity
    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message}"


class InputError(Exception):
    """The input has errors; carries every diagnostic found (errors and warnings)."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self):  # pickled whole, so an error found in a render worker reaches the build
        return InputError, (self.diagnostics,)


class Diagnostics:
    """Collects diagnostics in the order found, so all of them reach the user at once."""

    def __init__(self) -> None:
        self.items: list[Diagnostic] = []

    def error(self, message: str, location: Location) -> None:
        self.items.append(Diagnostic("error", message, location))

    def warning(self, message: str, location: Location) -> None:
        self.items.append(Diagnostic("warning", message, location))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise InputError(self.items)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)
