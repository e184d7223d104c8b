"""Read a review's files: `review.yaml` with line marks, and the raw text of the .bib.

YAML is always loaded with the safe loader. Besides the plain data we keep,
for every path into it (`("sections", 2, "title")`), where its key and value
stand in the file, so any later check can point at the exact line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.diagnostics import Diagnostics, Location, display_path

REVIEW_FILE = "review.yaml"  # what makes a folder a review

YamlPath = tuple[Any, ...]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


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


def load_yaml(path: Path, diagnostics: Diagnostics) -> YamlSource | None:
    """Parse `path` safely; on a syntax error, report it at its line and return None."""
    text = read_text(path, diagnostics)
    if text is None:
        return None
    source = YamlSource(path, text)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        source.data = _walk(node, (), source, loader, diagnostics) if node else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = source._mark(mark) if mark else Location(source.shown)
        diagnostics.error(f"invalid YAML: {error.problem or error.context}", where)
        return None
    except yaml.YAMLError as error:  # reader errors: bad characters or encoding
        where = source._index_location(getattr(error, "position", 0) or 0)
        diagnostics.error(f"invalid YAML: {error}".splitlines()[0], where)
        return None
    finally:
        loader.dispose()
    return source


def _walk(node: yaml.Node, path: YamlPath, source: YamlSource, loader: yaml.SafeLoader,
          diagnostics: Diagnostics) -> Any:
    source.values[path] = node
    if isinstance(node, yaml.MappingNode):
        return _walk_mapping(node, path, source, loader, diagnostics)
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, path + (i,), source, loader, diagnostics) for i, item in enumerate(node.value)]
    value = loader.construct_object(node, deep=True)
    if isinstance(value, str) and _CONTROL.search(value):
        char = _CONTROL.search(value).group()
        diagnostics.error(f"control character U+{ord(char):04X} is not allowed in text; remove it",
                          source._mark(node.start_mark))
        value = _CONTROL.sub("", value)
    return value


def _walk_mapping(node: yaml.MappingNode, path: YamlPath, source: YamlSource,
                  loader: yaml.SafeLoader, diagnostics: Diagnostics) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
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


def read_text(path: Path, diagnostics: Diagnostics) -> str | None:
    """The file as UTF-8 text, or None with an error saying why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        diagnostics.error("file not found", Location(display_path(path)))
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        diagnostics.error(f"not UTF-8 text (byte 0x{error.object[error.start]:02x}); save the file as UTF-8",
                          Location(display_path(path), line))
    except OSError as error:
        diagnostics.error(f"cannot read file: {error.strerror}", Location(display_path(path)))
    return None
