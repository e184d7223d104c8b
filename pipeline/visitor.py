"""One visitor for inline runs, in the style of docutils' `NodeVisitor`, and generic walks over fields.

A renderer maps runs to its medium by subclassing `InlineVisitor` and writing
one `visit_<node>` method per node type it maps (`visit_text`, `visit_emph`,
`visit_strong`, `visit_link`, `visit_reflink`, `visit_sup`, `visit_cite`). A node type it
has no method for goes to `unknown_visit`, which raises: a new node type fails
loudly in every renderer instead of vanishing from one of them.

`walk_runs` and `map_inline` find the runs inside any model object by its
dataclass fields and their type hints, so no list of "fields that hold text"
is kept by hand.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, Generic, TypeVar, Union, get_args, get_origin, get_type_hints

from pipeline.model import Cite, Inline, Runs

T = TypeVar("T")
FieldPath = tuple[Union[str, int], ...]  # field names and tuple indices from the walked object
NODE_TYPES: tuple[type, ...] = get_args(Inline)  # the one list of node types: the model's `Inline` union
_SUPERSCRIPT = str.maketrans("0123456789-\u2013", "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u207b")


def superscript_digits(text: str) -> str:
    """Digits and range dashes as Unicode superscripts ("1-3" → "¹⁻³"): for media without markup."""
    return text.translate(_SUPERSCRIPT)


class InlineVisitor(Generic[T]):
    """Maps runs to a `T`: `visit_<node>` per node type, `combine` to join the results of a sequence.

    A visitor's settings all have defaults, so any visitor can be made without arguments
    (tests/test_visitor.py makes every one and feeds it a node type the model does not have).
    """

    def visit(self, runs: Runs | None) -> T:
        """The runs mapped, node by node, and joined by `combine`."""
        return self.combine([self.dispatch(node) for node in runs or ()])

    def dispatch(self, node: Inline) -> T:
        """`visit_<class name in lower case>` for one of the model's node types; anything else is unknown."""
        method = getattr(self, _method_name(node), None) if type(node) in NODE_TYPES else None
        return method(node) if method else self.unknown_visit(node)

    def combine(self, parts: list[T]) -> T:
        """The results of a sequence of nodes joined; strings by default."""
        return "".join(parts)  # type: ignore[arg-type, return-value]

    def visit_children(self, node: Inline) -> T:
        """The node's children (emphasis, strong, link, reference link, superscript) mapped by this visitor."""
        return self.visit(node.children)  # type: ignore[union-attr]

    def unknown_visit(self, node: Any) -> T:
        raise TypeError(f"{type(self).__name__} has no {_method_name(node)} for {node!r}")


def _method_name(node: Any) -> str:
    return f"visit_{type(node).__name__.lower()}"


class PlainText(InlineVisitor[str]):
    """The runs as plain text, citations as their rendered text."""

    def visit_text(self, node) -> str:
        return node.text

    def visit_cite(self, node) -> str:
        return self.visit(node.runs)

    visit_emph = visit_strong = visit_link = visit_reflink = visit_sup = InlineVisitor.visit_children


class Citations(InlineVisitor[list[Cite]]):
    """Every citation in the runs, in reading order (a citation's own text is not searched)."""

    def combine(self, parts: list[list[Cite]]) -> list[Cite]:
        return [cite for part in parts for cite in part]

    def visit_text(self, node) -> list[Cite]:
        return []

    def visit_cite(self, node) -> list[Cite]:
        return [node]

    visit_emph = visit_strong = visit_link = visit_reflink = visit_sup = InlineVisitor.visit_children


class InlineTransform(InlineVisitor[Runs]):
    """Runs rebuilt node by node; a subclass overrides the nodes it changes (a node may become several)."""

    def combine(self, parts: list[Runs]) -> Runs:
        return tuple(node for part in parts for node in part)

    def visit_text(self, node) -> Runs:
        return (node,)

    def visit_cite(self, node) -> Runs:
        return (node,)

    def _rebuilt(self, node) -> Runs:
        return (dataclasses.replace(node, children=self.visit_children(node)),)

    visit_emph = visit_strong = visit_link = visit_reflink = visit_sup = _rebuilt


# --- fields that hold runs ----------------------------------------------------------------


def walk_runs(value: Any, order: Iterable[str] | None = None, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Runs]]:
    """Every runs-valued field below `value`, with its path, in the order the fields are declared.

    `order` walks only the dotted field paths it names, in its order ("sections.blocks" is the
    `blocks` of every section in turn); below each, fields are walked in declaration order.
    """
    if order is not None:
        for dotted in order:
            for where, part in _select(value, dotted.split("."), path):
                yield from walk_runs(part, None, where)
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from walk_runs(item, None, path + (i,))
    elif dataclasses.is_dataclass(value):
        for name, holds_runs in _inline_fields(type(value)):
            field_value = getattr(value, name)
            if not holds_runs:
                yield from walk_runs(field_value, None, path + (name,))
            elif field_value is not None:
                yield path + (name,), field_value


def map_inline(value: Any, change: Callable[[Runs], Runs]) -> Any:
    """`value` rebuilt with every runs-valued field below it replaced by `change(runs)`."""
    if isinstance(value, tuple):
        return tuple(map_inline(item, change) for item in value)
    if not dataclasses.is_dataclass(value):
        return value
    fields = _inline_fields(type(value))
    if not fields:
        return value
    changes = {}
    for name, holds_runs in fields:
        field_value = getattr(value, name)
        if not holds_runs:
            changes[name] = map_inline(field_value, change)
        elif field_value is not None:
            changes[name] = change(field_value)
    return dataclasses.replace(value, **changes)


def runs_fields(cls: type, prefix: str = "") -> Iterator[str]:
    """The dotted path of every runs-valued field a `cls` can hold, from type hints alone."""
    hints = get_type_hints(cls)
    for name, holds_runs in _inline_fields(cls):
        if holds_runs:
            yield prefix + name
        else:
            for inner in _dataclasses_in(hints[name]):
                yield from runs_fields(inner, f"{prefix}{name}.")


def _select(value: Any, names: list[str], path: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            yield from _select(item, names, path + (i,))
    elif not names:
        yield path, value
    elif value is not None:
        yield from _select(getattr(value, names[0]), names[1:], path + (names[0],))


@cache
def _inline_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, is runs itself) of each field of `cls` that can hold runs, in declaration order."""
    hints = get_type_hints(cls)
    found = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        if _is_runs(hint):
            found.append((field.name, True))
        elif any(_inline_fields(inner) for inner in _dataclasses_in(hint)):
            found.append((field.name, False))
    return tuple(found)


def _is_runs(hint: Any) -> bool:
    """Whether a type hint is `Runs` or `Runs | None`."""
    if get_origin(hint) in (Union, types.UnionType):
        return [a for a in get_args(hint) if a is not type(None)] == [Runs]
    return hint == Runs


def _dataclasses_in(hint: Any) -> list[type]:
    """The dataclasses a type hint names, through unions and tuples (not inside runs)."""
    if _is_runs(hint):
        return []
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return [hint]
    return [cls for arg in get_args(hint) for cls in _dataclasses_in(arg)]
