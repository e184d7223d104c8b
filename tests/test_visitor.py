"""The inline visitor: every visitor maps every node type and refuses any other; runs found by field."""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil

import pytest

import pipeline
from conftest import BUNDLED
from pipeline.loader import NOT_READ, READING_ORDER, all_runs, load_review
from pipeline.model import Cite, CiteItem, Document, Emph, Link, Paragraph, RefLink, Strong, Text
from pipeline.visitor import NODE_TYPES, InlineTransform, InlineVisitor, map_inline, runs_fields, walk_runs

LOCATION = None  # a citation's location plays no part in visiting it


@dataclasses.dataclass(frozen=True)
class Underline:
    """A node type the model does not have."""

    children: tuple = ()


def _all_visitors() -> list[type]:
    """Every InlineVisitor subclass in the package, after importing all of its modules."""
    for module in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found, todo = [], [InlineVisitor]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


VISITORS = _all_visitors()


def test_the_renderers_visitors_are_found():
    names = {cls.__name__ for cls in VISITORS}
    assert {"PlainText", "Citations", "InlineTransform", "HtmlWriter", "MarkdownWriter", "SlideSpans",
            "_CitesMarked", "_FillCites"} <= names


@pytest.mark.parametrize("cls", VISITORS, ids=lambda cls: cls.__name__)
def test_every_visitor_maps_every_node_type(cls):
    missing = [t.__name__ for t in NODE_TYPES if not callable(getattr(cls, f"visit_{t.__name__.lower()}", None))]
    assert missing == []


@pytest.mark.parametrize("cls", VISITORS, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("runs", [(Underline(),), (Text("a"), Emph((Strong((Underline(),)),)))],
                         ids=["top", "nested"])
def test_every_visitor_refuses_an_unknown_node(cls, runs):
    with pytest.raises(TypeError, match=f"^{cls.__name__} has no visit_underline for Underline"):
        cls().visit(runs)


def test_the_base_visitor_maps_nothing():
    with pytest.raises(TypeError, match="InlineVisitor has no visit_text for Text"):
        InlineVisitor().visit((Text("a"),))


def test_a_transform_rebuilds_what_it_does_not_change():
    cite = Cite((CiteItem("k"),), "parenthetical", LOCATION, (RefLink("k", (Text("K"),)),))
    runs = (Text("a "), Strong((Emph((cite,)),)), Link("https://x.org", (Text("x"),)))
    assert InlineTransform().visit(runs) == runs


def test_every_field_with_runs_is_read_or_named_as_not_read():
    """A new runs field in the model must be given its place in the reading order (or be left out on purpose)."""
    placed = READING_ORDER + NOT_READ
    unplaced = [path for path in runs_fields(Document)
                if not any(path == p or path.startswith(p + ".") for p in placed)]
    assert unplaced == []


def test_reading_order_is_the_articles():
    """Abstract, key points box, every section's body with the evidence table after its decided section,
    every section's key points, lay text, glossary: the order a reader of the article meets them."""
    document, _ = load_review(BUNDLED)
    evidence = [cell for row in document.evidence.studies
                for cell in (row.condition, row.study, row.design, row.participants, row.duration, row.finding)
                if cell is not None]
    expected = [p.runs for p in document.abstract]
    expected += [p.runs for p in document.key_points]
    for s in document.sections:
        expected += [b.runs if isinstance(b, Paragraph) else b.caption for b in s.blocks]
        if s.id == document.decided.evidence_after:
            expected += evidence
    expected += [p.runs for s in document.sections for p in s.key_points]
    expected += [p.runs for p in document.lay_summary.key_messages]
    expected += [p.runs for s in document.lay_summary.sections for p in s.paragraphs]
    expected += [t.meaning for t in document.glossary]
    assert document.decided.evidence_after == "ptsd"
    assert all_runs(document) == expected


def test_walk_and_map_reach_every_citation():
    document, _ = load_review(BUNDLED)

    class Mark(InlineTransform):
        def visit_cite(self, node):
            return (dataclasses.replace(node, runs=(Text("#"),)),)

    marked = map_inline(document, Mark().visit)
    texts = {plain for _, runs in walk_runs(marked) for plain in _cite_texts(runs)}
    assert texts == {"#"}
    paths = [path for path, _ in walk_runs(document)]
    assert ("abstract", 0, "runs") in paths and ("sections", 0, "blocks", 0, "runs") in paths
    assert not any("location" in path for path in paths)


def _cite_texts(runs) -> list[str]:
    from pipeline.model import citations, plain_text
    return [plain_text(cite.runs) for cite in citations(runs)]
