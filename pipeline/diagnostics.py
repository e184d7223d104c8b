"""Locations in source files, diagnostics that point at them, and their collector.

Every problem a user can fix is a `Diagnostic` printed compiler-style,
`path:line:col: error: message`, so editors and CI logs can jump to it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]
# Characters that could split a diagnostic over lines or hide part of it (C0, DEL, C1, line and
# paragraph separators, bidirectional controls, lone surrogates).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape(text: str) -> str:
    """`text` on one visible line: a newline becomes `\\n`, other control characters `\\xNN` or `\\uNNNN`."""
    return _UNSAFE.sub(_escaped, str(text))


def _escaped(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file; line and column count from 1."""

    path: str
    line: int = 1
    column: int = 1

    def __post_init__(self) -> None:  # a file name with a newline must not forge a diagnostic line
        object.__setattr__(self, "path", escape(self.path))

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in the input, with where it is and what to do."""

    severity: Severity
    message: str
    location: Location

    def __post_init__(self) -> None:
        # Escaped once, here, so every way of printing a diagnostic keeps it on one line.
        object.__setattr__(self, "message", escape(self.message))

    def __str__(self) -> str:
        return self.line(self.severity)

    def line(self, severity: str) -> str:
        """The diagnostic as one printed line, shown with `severity` (--strict shows warnings as errors)."""
        return f"{self.location}: {severity}: {self.message}"


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
        cwd = Path.cwd()
        inside = Path(os.path.abspath(path)).is_relative_to(cwd) or Path(path).resolve().is_relative_to(cwd)
        return os.path.relpath(path) if inside else str(path)  # a symlink keeps the name it was given
    except (ValueError, OSError):
        return str(path)
