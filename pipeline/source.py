"""Read a review's files: `review.yaml` (and a theme's YAML) with line marks, and the raw text of the .bib.

YAML is always loaded with the safe loader. Besides the plain data we keep,
for every path into it (`("sections", 2, "title")`), where its key and value
stand in the file, so any later check can point at the exact line.

The files are untrusted: only regular files are read, never more than the
limits in `limits.py`, and hostile YAML (alias bombs, self-reference, deep
nesting, impossible dates, huge numbers, escaped surrogates) becomes a
located error instead of a hang, a traceback or a crash later on.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.diagnostics import Diagnostics, Location, display_path
from pipeline.limits import FIELD_CHARS, REVIEW_FILE_BYTES, YAML_ALIAS_BUDGET, YAML_DEPTH

REVIEW_FILE = "review.yaml"  # what makes a folder a review

YamlPath = tuple[Any, ...]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The trap every YAML author meets: "Pilot study: 12 patients" is read as a field.
COLON_HINT = " (a ': ' inside text makes YAML read a field: put the text in quotes)"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def where(path: YamlPath) -> str:
    """A path in the author's words: sections[3].title."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top level"


@dataclass
class YamlSource:
    """A parsed YAML file: its data, and the location of every value and key in it."""

    path: Path
    text: str
    data: Any = None
    values: dict[YamlPath, yaml.Node] = field(default_factory=dict)
    keys: dict[YamlPath, yaml.Node] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def _mark(self, mark: yaml.Mark) -> Location:
        return Location(self.shown, mark.line + 1, mark.column + 1)

    def location(self, path: YamlPath) -> Location:
        """Where the value at `path` starts; its nearest existing parent if it is absent."""
        while path not in self.values and path:
            path = path[:-1]
        node = self.values.get(path)
        return self._mark(node.start_mark) if node else Location(self.shown)

    def key_location(self, path: YamlPath) -> Location:
        """Where the key of a mapping entry stands (for unknown or repeated fields)."""
        node = self.keys.get(path)
        return self._mark(node.start_mark) if node else self.location(path)

    def locate_in(self, path: YamlPath, value: str, offset: int, needle: str) -> Location:
        """The location of `needle`, found at `offset` of the string at `path`, in the file.

        Block, folded and quoted scalars change white space, so we count which
        occurrence of the needle it is in the value and find the same one in
        the raw text of the scalar.
        """
        node = self.values.get(path)
        if node is None:
            return self.location(path)
        nth = value.count(needle, 0, offset)
        raw_at = node.start_mark.index
        for _ in range(nth + 1):
            found = self.text.find(needle, raw_at, node.end_mark.index + 1)
            if found < 0:
                return self._mark(node.start_mark)
            raw_at = found + 1
        return self._index_location(raw_at - 1)

    def _index_location(self, index: int) -> Location:
        line = self.text.count("\n", 0, index)
        column = index - (self.text.rfind("\n", 0, index) + 1)
        return Location(self.shown, line + 1, column + 1)


class Refused(Exception):
    """YAML we will not build: too deep, too many alias copies, a value inside itself."""

    def __init__(self, message: str, mark: yaml.Mark):
        super().__init__(message)
        self.message, self.mark = message, mark


class _Loader(yaml.SafeLoader):
    """The safe loader, counting as it composes: nesting depth and the values aliases copy."""

    def __init__(self, text: str):
        super().__init__(text)
        self.sizes: dict[int, int] = {}  # id(node) -> values in it, aliases expanded
        self.copied = 0  # values all aliases together expand into
        self.depth = 0

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        if self.check_event(yaml.AliasEvent):
            self._count_alias(self.peek_event())
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > YAML_DEPTH:
                raise Refused(f"lists and mappings are nested more than {YAML_DEPTH} deep here; "
                              "flatten the structure", self.peek_event().start_mark)
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        self.sizes[id(node)] = 1 + sum(self.sizes.get(id(child), 1) for child in _children(node))
        return node

    def _count_alias(self, event: yaml.AliasEvent) -> None:
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # PyYAML reports the undefined alias itself
        size = self.sizes.get(id(node))
        if size is None:  # its anchor is still open: the alias is inside the value it names
            raise Refused(f"alias '*{event.anchor}' is inside the value it refers to; "
                          "YAML cannot hold a value inside itself", event.start_mark)
        self.copied += size
        if self.copied > YAML_ALIAS_BUDGET:
            raise Refused(f"aliases expand into more than {YAML_ALIAS_BUDGET:,} values; "
                          f"write the values out instead of repeating '*{event.anchor}'", event.start_mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(path: Path, diagnostics: Diagnostics) -> YamlSource | None:
    """Parse `path` safely; on a syntax error, report it at its line and return None."""
    text = read_text(path, diagnostics)
    if text is None:
        return None
    source = YamlSource(path, text)
    try:
        _parse_into(source, diagnostics)
    except Refused as error:
        diagnostics.error(error.message, source._mark(error.mark))
        return None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where_ = source._mark(mark) if mark else Location(source.shown)
        problem = error.problem or error.context
        diagnostics.error(f"invalid YAML: {problem}{_hint(problem, error, text)}", where_)
        return None
    except yaml.YAMLError as error:  # reader errors: bad characters or encoding
        where_ = source._index_location(getattr(error, "position", 0) or 0)
        diagnostics.error(f"invalid YAML: {error}".splitlines()[0], where_)
        return None
    except RecursionError:  # a safety net: the depth limit stops nesting long before this
        diagnostics.error(f"lists and mappings are nested too deep; flatten the structure "
                          f"(at most {YAML_DEPTH} levels)", Location(source.shown))
        return None
    return source


def _parse_into(source: YamlSource, diagnostics: Diagnostics) -> None:
    """Compose the YAML (the reader checks its characters at once) and walk it into `source`."""
    loader = _Loader(source.text)
    try:
        node = loader.get_single_node()
        source.data = _walk(node, (), source, loader, diagnostics) if node else None
    finally:
        loader.dispose()


def _hint(problem: str | None, error: yaml.MarkedYAMLError, text: str) -> str:
    """Plain words after PyYAML's, for the mistakes authors make most."""
    problem = problem or ""
    mark = error.problem_mark
    if "'\\t'" in problem and mark is not None:
        line_start = text.rfind("\n", 0, mark.index) + 1
        indenting = not text[line_start:mark.index].strip()
        return " (indent with spaces, not tabs)" if indenting else " (a tab cannot stand here: use spaces)"
    if problem == "mapping values are not allowed here":
        return COLON_HINT
    if problem.startswith("expected <block end>") and mark is not None:
        return _indent_hint(text.split("\n"), mark.line)
    return ""


def _indent_hint(lines: list[str], number: int) -> str:
    """Which line is out of step with the content above it, and by how much."""
    here = _indented(lines[number])
    above = next((_indented(line) + (n,) for n, line in reversed(list(enumerate(lines[:number])))
                  if line.strip() and not line.lstrip().startswith("#")), None)
    if here is None or above is None:
        return " (check the indentation of this line against the lines above)"
    (name, spaces), (above_name, above_spaces, line) = here, above
    return (f" ({name} is indented {_spaces(spaces)} but {above_name} on line {line + 1} is indented "
            f"{_spaces(above_spaces)}: lines at the same level must line up exactly)")


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _indented(line: str) -> tuple[str, int] | None:
    """The thing a line starts ('title' or 'the list item') and the column its text starts at."""
    key = re.match(r"^( *)((?:- +)*)([^\s:#'\"][^:#]*?)\s*:(?:\s|$)", line)
    if key:
        return f"'{key.group(3)}'", len(key.group(1)) + len(key.group(2))
    item = re.match(r"^( *)(- *)?\S", line)
    if not item:
        return None
    return ("the list item" if item.group(2) else "this line"), len(item.group(1))


def _walk(node: yaml.Node, path: YamlPath, source: YamlSource, loader: _Loader,
          diagnostics: Diagnostics) -> Any:
    source.values[path] = node
    if isinstance(node, yaml.MappingNode):
        return _walk_mapping(node, path, source, loader, diagnostics)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), source, loader, diagnostics) for i, item in enumerate(node.value)]
    return _scalar(node, path, source, loader, diagnostics)


def _walk_mapping(node: yaml.MappingNode, path: YamlPath, source: YamlSource,
                  loader: _Loader, diagnostics: Diagnostics) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = _scalar(key_node, path, source, loader, diagnostics) if isinstance(key_node, yaml.ScalarNode) \
            else None
        if not isinstance(key, (str, int, float, bool, datetime.date)) or key is None:
            diagnostics.error("a field name must be plain text", source._mark(key_node.start_mark))
            continue
        key = str(key)
        if key in mapping:
            first = source.keys[path + (key,)].start_mark.line + 1
            diagnostics.error(f"field '{key}' is given twice (first on line {first}); keep one",
                              source._mark(key_node.start_mark))
            continue
        source.keys[path + (key,)] = key_node
        mapping[key] = _walk(value_node, path + (key,), source, loader, diagnostics)
    return mapping


def _scalar(node: yaml.ScalarNode, path: YamlPath, source: YamlSource, loader: _Loader,
            diagnostics: Diagnostics) -> Any:
    """The value of one scalar; anything wrong with it is an error at its line (and None)."""
    where_ = source._mark(node.start_mark)
    if len(node.value) > FIELD_CHARS:
        diagnostics.error(f"'{where(path)}' is {len(node.value):,} characters long; the limit is "
                          f"{FIELD_CHARS:,}: shorten it or split it", where_)
        return None
    try:
        value = loader.construct_object(node, deep=True)
    except Exception as error:  # noqa: BLE001 - every constructor failure is the author's value
        diagnostics.error(_construct_message(node, path, error), where_)
        return None
    if isinstance(value, bytes):
        diagnostics.error(f"'{where(path)}' is binary data (!!binary); write it as text", where_)
        return None
    return _clean_text(value, where_, diagnostics) if isinstance(value, str) else value


def _construct_message(node: yaml.ScalarNode, path: YamlPath, error: Exception) -> str:
    field_name = where(path)
    if node.tag == _TIMESTAMP:
        if path and path[-1] == "date":
            return f"'{field_name}' is not a real date: {node.value} ({error}); write a date that exists, as YYYY-MM-DD"
        return (f"'{field_name}' looks like a date but {node.value} is not a real one ({error}); "
                "if it is text, put it in quotes")
    if node.tag.endswith(":int") and "digits" in str(error):
        return f"'{field_name}' is a number too long to read ({len(node.value):,} digits); if it is text, put it in quotes"
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"'{field_name}' cannot be read as {node.tag.rsplit(':', 1)[-1]}: {reason}; if it is text, put it in quotes"


def _clean_text(value: str, where_: Location, diagnostics: Diagnostics) -> str:
    """Text joined from escaped surrogate pairs, without lone surrogates or control characters."""
    if _SURROGATE.search(value):
        try:
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
        except UnicodeDecodeError as error:
            lone = value.encode("utf-16-le", "surrogatepass")[error.start:error.start + 2].decode(
                "utf-16-le", "surrogatepass")
            diagnostics.error(f"lone surrogate \\u{ord(lone):04X} is not a character; write the character "
                              "itself, or both halves of its pair (\\uD83D\\uDE00)", where_)
            return _SURROGATE.sub("", value)
    match = _CONTROL.search(value)
    if match:
        diagnostics.error(f"control character U+{ord(match.group()):04X} is not allowed in text; remove it",
                          where_)
        value = _CONTROL.sub("", value)
    return value


def read_text(path: Path, diagnostics: Diagnostics, limit: int = REVIEW_FILE_BYTES) -> str | None:
    """The file as UTF-8 text, or None with an error saying why it cannot be read.

    Only a regular file is read (a FIFO would block, /dev/zero never ends), and
    only when it is at most `limit` bytes: both are checked before reading.
    """
    shown = Location(display_path(path))
    data = _read_bytes(path, limit, shown, diagnostics)
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        diagnostics.error(f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8",
                          Location(shown.path, line))
    return None


def _read_bytes(path: Path, limit: int, shown: Location, diagnostics: Diagnostics) -> bytes | None:
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        diagnostics.error("file not found", shown)
        return None
    except OSError as error:
        diagnostics.error(f"cannot read file: {error.strerror}", shown)
        return None
    try:
        info = os.fstat(fd)  # of what was opened, so a file swapped after a check is still caught
        if not stat.S_ISREG(info.st_mode):
            diagnostics.error("not a regular file (a folder, device or pipe); give an ordinary file", shown)
            return None
        if info.st_size > limit:
            diagnostics.error(_too_big(info.st_size, limit), shown)
            return None
        data = _read_at_most(fd, limit + 1)  # a file that grew since fstat still stops at the limit
    finally:
        os.close(fd)
    if len(data) > limit:
        diagnostics.error(_too_big(len(data), limit), shown)
        return None
    return data


def _read_at_most(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _too_big(size: int, limit: int) -> str:
    return (f"file is too large ({size:,} bytes; the limit is {limit:,}); "
            "split long text or remove what is not needed")
