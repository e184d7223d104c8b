"""The review as files: `review.yaml` (safe YAML, readable block scalars, comments where the
author should look) and `references.bib` (every field escaped for BibTeX).

Text comes from someone else's document, so nothing is written by hand: PyYAML's
safe dumper writes every value, and the result is loaded back and compared
before it is used; a comment goes on a line of its own above the item it is about.
"""

from __future__ import annotations

import re

import yaml

from pipeline.importers.references import Entry

_WIDTH = 96
_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                "$": r"\$", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\string^", "@": r"\string@",
                "`": r"\textasciigrave{}"}
_BIB_FIELDS = ("author", "title", "journal", "year", "volume", "number", "pages", "edition", "publisher",
               "address", "doi", "url", "note")


class _Dumper(yaml.SafeDumper):
    """Long text as folded block scalars (`>-`), like the bundled review; everything else as PyYAML likes."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key, as people write them


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if len(value) > 88 and "\n" not in value.strip("\n") else None
    if re.search("[\x85\u2028\u2029]", value):
        style = '"'  # escaped as \N, \L, \P: a raw one is a line break to YAML and none to its readers
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def review_yaml(data: dict, comments: dict[tuple, list[str]], header: list[str]) -> str:
    """`data` as YAML; `comments[path]` go above the value at that path (e.g. ("sections", 2, "body", 0))."""
    text = _dump(data)
    lines = text.split("\n")[:-1]  # not splitlines(): text may hold U+2028, which is no YAML line break
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    for path in sorted(comments, key=lambda p: _line(root, p), reverse=True):
        index = _line(root, path)
        indent = re.match(r"\s*", lines[index]).group(0)
        lines[index:index] = [f"{indent}# {_one_line(c)}" for c in comments[path]]
    result = "\n".join([f"# {_one_line(h)}" for h in header] + [""] + lines) + "\n"
    if yaml.safe_load(result) != data:  # never: comments are whole lines; but the file must load as made
        raise AssertionError("review.yaml would not load back as written")
    return result


def _dump(data: dict) -> str:
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_WIDTH, indent=2)
    if yaml.safe_load(text) == data:
        return text
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=_WIDTH)  # PyYAML's plainest form


def _line(root: yaml.Node, path: tuple) -> int:
    """The line where the item at `path` starts (for a mapping value: its key's line)."""
    node, start = root, 0
    for step in path:
        if isinstance(node, yaml.MappingNode):
            key, node = next((k, v) for k, v in node.value if k.value == step)
            start = key.start_mark.line
        else:
            node = node.value[step]
            start = node.start_mark.line
    return start


def _one_line(text: str) -> str:
    return re.sub(r"[\x00-\x1f\x7f\u2028\u2029\x85]+", " ", text)


def bibtex(entries: list[Entry], header: str) -> str:
    """The entries as BibTeX, every value escaped so the pipeline reads back exactly what was parsed."""
    comment = _one_line(header).replace("@", "(at)")  # an @ outside braces starts an entry, even after %
    return "\n".join([f"% {comment}", ""] + [_entry(e) for e in entries])


def _entry(entry: Entry) -> str:
    values = dict(entry.fields)
    if entry.authors:
        values["author"] = " and ".join(_name(family, given) for family, given in entry.authors)
    if entry.year:
        values["year"] = entry.year
    width = max(len(name) for name in _BIB_FIELDS)
    lines = [f"@{entry.type}{{{entry.key},"]
    for name in [n for n in _BIB_FIELDS if values.get(n)]:
        value = _link(values[name]) if name in ("doi", "url") else _escape(values[name], name)
        lines.append(f"  {name.ljust(width)} = {{{value}}},")
    return "\n".join(lines + ["}", ""])


def _link(value: str) -> str:
    """A DOI or URL is read raw; only braces (which would end the field) are percent-encoded."""
    return value.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _name(family: str, given: str) -> str:
    family = _escape(family, "author")
    if re.search(r"\band\b", family, re.I):
        family = "{" + family + "}"  # "Smith and Sons": one family name, not two people
    return f"{family}, {_escape(given, 'author')}" if given else family


def _escape(value: str, name: str) -> str:
    text = "".join(_BIB_SPECIAL.get(c, c) for c in value)
    if name != "pages":  # BibTeX's ligatures: -- is a dash, '' a quote
        text = text.replace("--", "-{}-").replace("''", "'{}'")
    return re.sub(r"\s+", " ", text)
