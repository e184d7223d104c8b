"""The build step: the only code that writes to `out/`.

Every output of a review is rendered in memory first; only when all of them
succeeded are they written, and then all at once. `out/<name>` is a symbolic
link to a versioned folder beside it, `out/.<name>.build-XXXXXXXX/`. A build
writes every file into a fresh folder of that kind (with hard links to the
previous version's files it did not render, so `--only html` keeps the rest),
syncs it to disk, then points the link at it with one atomic rename. Readers
see all the old outputs or all the new ones, never a mix; a build killed at
any point leaves the old set in place, and its leftovers are removed by the
next build. A failed or interrupted build leaves earlier outputs as they were.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
import hashlib
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from pathlib import Path

from pipeline.diagnostics import Diagnostic, InputError, display_path
from pipeline.model import Document
from pipeline.render import OUTPUTS, Rendered, Settings
from pipeline.report import (fingerprint, output_entries, portable_path, read_report, render_report,
                             whole_report)
from pipeline.themes import load_theme
from pipeline.workers import check_and_render, render_outputs


@dataclass
class BuildResult:
    """What a review's build wrote and what the checks said."""

    document: Document
    diagnostics: list[Diagnostic]
    written: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    files: dict[str, list[Path]] = field(default_factory=dict)


class OutputError(Exception):
    """The outputs could not be written (disk full, no permission); one printable line."""


def check_review(review_dir: Path, theme: str | None = None,
                 strict: bool = False) -> tuple[Document, list[Diagnostic]]:
    """Load and run every check (the loader's, readability, then the traced facts).

    Raises InputError on errors, and with `strict` on warnings too.
    """
    checked = checked_review(review_dir, theme)
    _fail_if_strict(checked.diagnostics, strict)
    return checked.document, checked.diagnostics


@dataclass(frozen=True)
class Checked:
    """A review loaded and checked, with what report.json says about it besides its outputs."""

    document: Document
    diagnostics: list[Diagnostic]
    extra: dict


def checked_review(review_dir: Path, theme: str | None = None) -> Checked:
    """The review loaded and checked, from the cache when its inputs are unchanged (see
    pipeline.cache: keyed by the bytes of the review's and the themes' files and the
    pipeline's own source). Raises InputError on errors (never cached)."""
    from pipeline import cache
    from pipeline.themes import theme_dirs

    try:
        key = cache.review_key(review_dir, theme, theme_dirs())
    except OSError:  # a file vanished or cannot be read: the loader says which, with its line
        return _load_and_check(review_dir, theme)
    name = f"checked-{key}.pickle"
    found = cache.read(name)
    if isinstance(found, Checked):
        cache.remembered(name, lambda: found)  # marks it used, so pruning keeps it
        return found
    checked = _load_and_check(review_dir, theme)
    cache.write(name, checked)
    cache.prune("checked-")
    return checked


def _load_and_check(review_dir: Path, theme: str | None) -> Checked:
    # Imported here rather than at the top: a build forks the worker that loads the review
    # first thing, so this process skips these imports and goes straight to importing
    # WeasyPrint (and with the review cached, no process imports them).
    from pipeline import cache, facts, readability
    from pipeline.loader import load_review

    document, diagnostics = load_review(review_dir, theme)
    cache.warm_hyphenation(document.lang)  # readability falls back on Pyphen for some words
    diagnostics += readability.check(document)
    traced = facts.trace(document, _source_text(document))
    diagnostics += traced.diagnostics
    extra = {**readability.report(document),
             "facts": facts.report_entries(traced, lambda path: portable_path(path, review_dir))}
    return Checked(document, diagnostics, extra)


def _source_text(document: Document) -> str:
    """review.yaml as loaded (the loader checked its size), so traced facts point at their column."""
    return document.source_path.read_text(encoding="utf-8", errors="replace")


# What each field of the Document is shown by, where that is fewer than every output. A field
# not named here counts as shown by all: an edit to it rebuilds everything.
SHOWN_BY = {"lay_summary": {"summary", "handout"}, "glossary": {"summary"}}


@dataclass
class Memory:
    """What `watch` remembers of a review's last good build, to rebuild only what an edit changes:
    the Document it was built from and a hash of every other input (the review's other files,
    the theme folder, the settings)."""

    document: Document | None = None
    inputs: str = ""
    rendered: dict[str, Rendered] = field(default_factory=dict)  # file names (no bytes) and warnings


def affected(before: Document, after: Document, names: tuple[str, ...]) -> tuple[str, ...]:
    """The outputs among `names` that can differ between the two Documents."""
    changed = [f.name for f in dataclass_fields(after) if getattr(before, f.name) != getattr(after, f.name)]
    shown: set[str] = set()
    for name in changed:
        shown |= SHOWN_BY.get(name, set(names))
    return tuple(name for name in names if name in shown)


def _other_inputs(document: Document, theme_dir: Path, settings: Settings) -> str:
    """A hash of what an output is made of besides the Document: the review folder's other files
    (images, the .bib as text), the theme folder and the settings."""
    from pipeline import cache

    digest = hashlib.sha256(f"{settings}\0{document.theme}\0{theme_dir}\0".encode())
    cache.digest_files(digest, "review", document.source_dir, skip=document.source_path)
    cache.digest_files(digest, "theme", theme_dir)
    return digest.hexdigest()


def remembered(review_dir: Path, out_root: Path, settings: Settings, theme: str | None = None) -> Memory:
    """A Memory of the outputs in `out_root` if every one is current (report.json says each was
    built from the inputs as they are now); else an empty one (the next build renders all)."""
    try:
        checked = checked_review(review_dir, theme)
        theme_dir = load_theme(checked.document.theme).path
        stamp = fingerprint(review_dir, theme_dir, checked.document.theme, settings.paper)
        outputs = read_report(out_root / checked.document.name / "report.json").get("outputs") or {}
        current = {name: Rendered(dict.fromkeys(entry["files"], b"")) for name, entry in outputs.items()
                   if isinstance(entry, dict) and entry.get("input") == stamp and not entry.get("stale")
                   and entry.get("warnings") == [] and name in OUTPUTS}  # warnings would need printing again
        return Memory(checked.document, _other_inputs(checked.document, theme_dir, settings), current)
    except (InputError, OSError, ValueError):
        pass
    return Memory()


def build_review(review_dir: Path, out_root: Path, only: tuple[str, ...], settings: Settings,
                 theme: str | None = None, workers: int = 1, strict: bool = False,
                 memory: Memory | None = None) -> BuildResult:
    """Render the chosen outputs of one review in memory, then write them all or none.

    With `strict`, a warning (from the checks, or a renderer's, say a handout too long)
    fails the build like an error, and nothing is written.

    The review is loaded and checked once; with `workers` > 1 the loading overlaps
    WeasyPrint's import and the outputs render side by side (see pipeline.workers).
    """
    def check() -> Checked:
        checked = checked_review(review_dir, theme)
        _fail_if_strict(checked.diagnostics, strict)
        return checked

    names, kept = only, {}
    if memory is not None and memory.document is not None:  # watch: only what the edit changed
        checked = check()
        theme_dir = load_theme(checked.document.theme).path
        inputs = _other_inputs(checked.document, theme_dir, settings)
        if inputs == memory.inputs:
            names = affected(memory.document, checked.document, only)
            present = _present(out_root / checked.document.name)
            kept = {name: memory.rendered[name] for name in only if name not in names and name in memory.rendered
                    and set(memory.rendered[name].files) <= present}
            names = tuple(name for name in only if name not in kept)
        outputs = render_outputs(checked.document, load_theme(checked.document.theme), settings, names, workers)
    else:
        checked, outputs = check_and_render(check, lambda loaded: load_theme(loaded.document.theme), settings,
                                            only, workers)
    document, diagnostics = checked.document, checked.diagnostics
    result = BuildResult(document, list(diagnostics))
    files: dict[str, bytes] = {}
    out_dir = out_root / document.name
    for name, (rendered, seconds) in outputs.items():
        result.timings[name] = seconds
        result.files[name] = [out_dir / file for file in rendered.files]
        result.diagnostics += rendered.warnings
        files.update(rendered.files)
    result.diagnostics += [d for rendered in kept.values() for d in rendered.warnings]
    _fail_if_strict(result.diagnostics, strict)
    stamp = fingerprint(review_dir, load_theme(document.theme).path, document.theme, settings.paper)
    files["report.json"] = _report(review_dir, out_dir, checked, outputs, stamp, kept)
    result.written = publish(out_root, document.name, files)
    if memory is not None:
        memory.document = document
        memory.inputs = _other_inputs(document, load_theme(document.theme).path, settings)
        memory.rendered.update({name: Rendered(dict.fromkeys(rendered.files, b""), rendered.warnings)
                                for name, (rendered, _) in outputs.items()})
    return result


def _present(out_dir: Path) -> set[str]:
    return {p.name for p in out_dir.iterdir()} if out_dir.is_dir() else set()


def _report(review_dir: Path, out_dir: Path, checked: Checked, outputs: dict, stamp: str,
            kept: dict[str, Rendered]) -> bytes:
    """report.json for the whole review: fresh checks, this build's outputs (and those an edit
    left as they were, current all the same), the earlier ones kept."""
    entries = output_entries({**kept, **{name: rendered for name, (rendered, _) in outputs.items()}}, stamp,
                             review_dir)
    present = _present(out_dir)
    report = whole_report(checked.document, checked.diagnostics, checked.extra, review_dir, stamp, entries,
                          read_report(out_dir / "report.json"), present)
    return render_report(report)


def _fail_if_strict(diagnostics: list[Diagnostic], strict: bool) -> None:
    if strict and diagnostics:
        raise InputError(diagnostics)


# --- writing: one versioned folder per build, switched in by renaming a symbolic link ---

def _step(name: str) -> None:
    """A point between two steps of `publish`; tests replace it to kill the build there."""


def _leftover(name: str) -> re.Pattern:
    """Names a build of review `name` creates beside `out/<name>`: versions, old folders, links."""
    return re.compile(rf"\.{re.escape(name)}\.(build|old|link)-[a-z0-9_]{{8}}")


def publish(out_root: Path, name: str, files: dict[str, bytes]) -> list[Path]:
    """Make `out_root/name` hold `files` plus the earlier files not among them, all at once.

    Raises OutputError (nothing changed) when the files cannot be written.
    """
    try:
        out_root.mkdir(parents=True, exist_ok=True)
        with _locked(out_root):
            previous = _current(out_root, name)
            _remove_leftovers(out_root, name, keep=previous)
            version = _staged(out_root, name, files, previous)
            _switch(out_root / name, version)
            _remove_leftovers(out_root, name, keep=version)
    except OSError as error:
        raise OutputError(f"{display_path(out_root / name)}: error: cannot write outputs: "
                          f"{error.strerror or error}") from error
    return [out_root / name / file for file in sorted(files)]


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (released by the kernel even if the process is killed)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _current(out_root: Path, name: str) -> Path | None:
    """The folder that holds the outputs now: the link's target, an old-style real folder,
    or, after a build killed while converting a real folder, the folder it moved away."""
    link = out_root / name
    if link.is_symlink():
        target = out_root / os.readlink(link)
        return target if target.is_dir() else None
    if link.is_dir():
        return link
    if link.exists():
        raise OSError(f"'{display_path(link)}' is in the way: it is a file, not an output folder")
    moved = [p for p in out_root.glob(f".{name}.old-*") if _leftover(name).fullmatch(p.name)]
    return max(moved, key=lambda p: p.stat().st_mtime_ns, default=None)


def _remove_leftovers(out_root: Path, name: str, keep: Path | None) -> None:
    """Delete what killed or finished builds left beside `out/<name>`, except `keep`."""
    pattern = _leftover(name)
    for path in out_root.iterdir():
        if pattern.fullmatch(path.name) and path != keep:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _staged(out_root: Path, name: str, files: dict[str, bytes], previous: Path | None) -> Path:
    """A new version folder holding `files` and the previous version's other files, synced to disk."""
    version = Path(tempfile.mkdtemp(prefix=f".{name}.build-", dir=out_root))
    try:
        os.chmod(version, 0o755)
        if previous is not None:
            _keep_earlier(previous, version, set(files))
        for file, data in sorted(files.items()):
            _write(version / file, data)
            _step("staging")
        _fsync(version)
        _step("staged")
    except BaseException:
        shutil.rmtree(version, ignore_errors=True)
        raise
    return version


def _keep_earlier(previous: Path, version: Path, replaced: set[str]) -> None:
    """Hard-link (or copy) into `version` what `previous` holds that this build does not replace."""
    for path in sorted(previous.iterdir()):
        if path.name in replaced:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.copytree(path, version / path.name, copy_function=_link_or_copy, symlinks=True)
        else:
            _link_or_copy(path, version / path.name)


def _link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copy2(source, target, follow_symlinks=False)


def _write(path: Path, data: bytes) -> None:
    with open(path, "xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def _fsync(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _switch(link: Path, version: Path) -> None:
    """Point `link` at `version` with one atomic rename of a new link over the old one.

    An old-style real folder at `link` is first moved aside (a kill in between leaves no
    `link`; the next build then finds the moved folder and carries its files over).
    """
    temporary = link.with_name(f".{link.name}.link-{secrets.token_hex(4)}")
    os.symlink(version.name, temporary)
    try:
        if link.is_dir() and not link.is_symlink():
            os.rename(link, tempfile.mkdtemp(prefix=f".{link.name}.old-", dir=link.parent))
            _step("moved-aside")
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _step("switched")
    try:
        _fsync(link.parent)
    except OSError:  # the switch is done; only its durability across a power cut is in doubt
        pass
