"""`python -m pipeline new NAME --from FILE`: articles in, reviews that build out.

The seed of the bundled review imports whole; the bundled review, written out
as Markdown, plain text and .docx (made here), imports back to the same
sections, paragraphs and references; a numeric-style article links every citation.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from PIL import Image

from conftest import BUNDLED, FIXTURES, ROOT
from pipeline.importers import ImportFailed, import_article, write_review
from pipeline.importers.draft import escape_markdown
from pipeline.loader import load_review
from pipeline.model import Cite, Emph, Link, RefLink, Strong, Text

SEED = FIXTURES / "ldn-review-seed.txt"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def marked(runs, escape=lambda s: s) -> str:
    """Runs as Markdown-ish text: emphasis kept as *..* / **..**, citations as the style prints them."""
    out = []
    for run_ in runs:
        if isinstance(run_, Text):
            out.append(escape(run_.text))
        elif isinstance(run_, Emph):
            out.append(f"*{marked(run_.children, escape)}*")
        elif isinstance(run_, Strong):
            out.append(f"**{marked(run_.children, escape)}**")
        elif isinstance(run_, (Link, RefLink)):
            out.append(marked(run_.children, escape))
        elif isinstance(run_, Cite):
            out.append(marked(run_.runs, escape))
    return "".join(out)


def article(document) -> dict:
    """What a reader of the article sees: sections, paragraphs, references (citations as printed)."""
    return {"title": document.full_title,
            "abstract": [marked(p.runs) for p in document.abstract],
            "sections": [(s.title, [marked(p.runs) for p in s.paragraphs]) for s in document.sections],
            "references": [marked(r.runs) for r in document.bibliography.references]}


# --- the seed ------------------------------------------------------------------------------------


def test_seed_imports_whole_and_builds(tmp_path):
    result = run("new", "ldn", "--from", str(SEED), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document, warnings = load_review(tmp_path / "source" / "ldn")
    assert [str(w) for w in warnings if w.severity == "error"] == []
    paragraphs = len(document.abstract) + sum(len(s.paragraphs) for s in document.sections)
    assert paragraphs == 12  # the abstract and the 11 paragraphs of the 8 sections
    assert len(document.sections) == 8
    assert len(document.bibliography.references) == 10
    text = (tmp_path / "source" / "ldn" / "review.yaml").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert len(re.findall(r"@\w+", text.split("\nnocite")[0])) == 12  # every in-text citation, linked
    assert not re.search(r"\([A-Z][^()]*\d{4}\)|[A-Z]\w+ (?:et al\.|and \w+) \(\d{4}\)", text)
    assert "created source/ldn/: 8 sections, 12 paragraphs (abstract included), 10 references, " \
           "12 citations linked, 1 to check" in result.stderr
    assert "next: add key_points, lay_summary, evidence" in result.stderr


def test_seed_ambiguous_citation_is_reported_at_its_line_and_marked(tmp_path):
    result = run("new", "ldn", "--from", str(SEED), cwd=tmp_path)
    lines = result.stderr.splitlines()
    ambiguous = [line for line in lines if "Younger et al. (2014)" in line]
    assert len(ambiguous) == 1
    assert ambiguous[0].startswith(f"{SEED}:43:91: warning: citation 'Younger et al. (2014)' matches 2 references: "
                                   "younger2014a (Younger, Noor, McCue et al., 2014")
    assert "younger2014b (Younger, Parkitny, McLain, 2014" in ambiguous[0] and "chose younger2014b" in ambiguous[0]
    assert SEED.read_text().splitlines()[42][90:].startswith("Younger et al. (2014)")
    review = (tmp_path / "source" / "ldn" / "review.yaml").read_text().splitlines()
    at = next(i for i, line in enumerate(review) if "# CHECK: 'Younger et al. (2014)'" in line)
    assert "@younger2014b" in " ".join(review[at + 1:at + 4])
    assert f"{SEED}:121:1: warning: 'Comments' after the references is not a reference: left out" in lines


def test_seed_author_and_references_are_typed():
    imported = import_article(SEED)
    assert "- name: Robert Becker\n    honorific: Dr\n    credentials: MCMA\n" in imported.review_yaml
    assert "@article{mischoulon2021," in imported.bib_text
    assert "  pages     = {424--431}," in imported.bib_text
    assert "  journal   = {Arthritis \\& Rheumatism}," in imported.bib_text


# --- round trips of the bundled review --------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled():
    document, _ = load_review(BUNDLED)
    return document


def byline(document) -> str:
    author = document.authors[0]
    return ", ".join([author.display_name, *author.roles]) + "."


def as_markdown(document) -> str:
    lines = ["---", f"title: \"{document.title}\"", f"subtitle: \"{document.subtitle}\"",
             f"author: \"{document.authors[0].name}\"", "---", "", "# Abstract", ""]
    lines += [marked(p.runs, escape_markdown) + "\n" for p in document.abstract]
    for section in document.sections:
        lines += [f"# {section.title}", ""] + [marked(p.runs, escape_markdown) + "\n" for p in section.paragraphs]
    lines += ["# References", ""] + [marked(r.runs, escape_markdown) + "\n" for r in document.bibliography.references]
    return "\n".join(lines)


def as_text(document) -> str:
    plain = lambda runs: marked(runs).replace("*", "")  # noqa: E731
    blocks = [document.full_title, "Abstract", *(plain(p.runs) for p in document.abstract)]
    for section in document.sections:
        blocks += [section.title, *(plain(p.runs) for p in section.paragraphs)]
    blocks += [byline(document), "References:", *(plain(r.runs) for r in document.bibliography.references)]
    return "\n\n".join(blocks) + "\n"


def add_runs(paragraph, runs, bold=False, italic=False) -> None:
    for run_ in runs:
        if isinstance(run_, Text):
            made = paragraph.add_run(run_.text)
            made.bold, made.italic = bold or None, italic or None
        elif isinstance(run_, Emph):
            add_runs(paragraph, run_.children, bold, True)
        elif isinstance(run_, Strong):
            add_runs(paragraph, run_.children, True, italic)
        elif isinstance(run_, (Link, RefLink)):
            add_runs(paragraph, run_.children, bold, italic)
        elif isinstance(run_, Cite):
            add_runs(paragraph, run_.runs, bold, italic)


def as_docx(document, path: Path) -> None:
    made = docx.Document()
    made.core_properties.title = document.title
    made.core_properties.author = document.authors[0].name
    made.add_paragraph(document.full_title, style="Title")
    made.add_heading("Abstract", 1)
    for paragraph in document.abstract:
        add_runs(made.add_paragraph(), paragraph.runs)
    for section in document.sections:
        made.add_heading(section.title, 1)
        for paragraph in section.paragraphs:
            add_runs(made.add_paragraph(), paragraph.runs)
    made.add_heading("References", 1)
    for reference in document.bibliography.references:
        add_runs(made.add_paragraph(), reference.runs)
    made.save(path)


def round_trip(tmp_path: Path, article_file: Path) -> dict:
    write_review(import_article(article_file), tmp_path / "back")
    document, _ = load_review(tmp_path / "back")
    return article(document)


@pytest.mark.parametrize("kind", ["md", "txt", "docx"])
def test_bundled_review_round_trips(bundled, tmp_path, kind):
    written = tmp_path / f"article.{kind}"
    if kind == "docx":
        as_docx(bundled, written)
    else:
        written.write_text(as_markdown(bundled) if kind == "md" else as_text(bundled), encoding="utf-8")
    back, before = round_trip(tmp_path, written), article(bundled)
    if kind == "txt":  # plain text has no emphasis to keep (the style still italicises journals)
        back, before = unemphasised(back), unemphasised(before)
    assert back == before


def unemphasised(seen: dict) -> dict:
    strip = lambda texts: [t.replace("*", "") for t in texts]  # noqa: E731
    return {**seen, "abstract": strip(seen["abstract"]), "references": strip(seen["references"]),
            "sections": [(title, strip(texts)) for title, texts in seen["sections"]]}


# --- a numeric article of our own ------------------------------------------------------------------


def test_numeric_article_links_every_citation(tmp_path):
    result = run("new", "sleep", "--from", str(FIXTURES / "import-numeric" / "article.md"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    review = " ".join((tmp_path / "source" / "sleep" / "review.yaml").read_text().split())
    assert "citation_style: vancouver" in review
    assert not re.search(r"\\?\[\d", review)
    assert "[@kredlow2015; @reid2010; @kline2014]" in review  # [1–3]
    assert "[@kredlow2015; @ohayon2004; @walker2017]" in review  # [1,4-5]
    document, warnings = load_review(tmp_path / "source" / "sleep")
    assert [r.key for r in document.bibliography.references] == \
        ["kredlow2015", "reid2010", "kline2014", "ohayon2004", "walker2017"]
    assert "13 citations linked" in result.stderr  # 1 + 2 + 1 + 3 + 1 + 2 + 3


# --- Markdown and Word specifics ------------------------------------------------------------------


def test_markdown_front_matter_evidence_table_and_kept_pandoc_citations(tmp_path):
    (tmp_path / "refs.bib").write_text("@article{smith2020, author={Smith, J.}, title={T}, journal={J}, "
                                       "year={2020}}\n")
    (tmp_path / "a.md").write_text("---\ntitle: T\nauthor: [Ada Lovelace]\nbibliography: refs.bib\n---\n\n"
                                   "# Abstract\n\nAs [@smith2020] said.\n\n# Findings\n\nText @smith2020.\n\n"
                                   "| Condition | Study | Design | Finding |\n|---|---|---|---|\n"
                                   "| Pain | @smith2020 | Trial | Better |\n\nTable: Studies\n")
    imported = import_article(tmp_path / "a.md")
    assert imported.bib_name == "refs.bib" and "smith2020" in imported.bib_text
    write_review(imported, tmp_path / "r")
    document, _ = load_review(tmp_path / "r")
    assert document.evidence.caption == "Studies" and len(document.evidence.studies) == 1
    assert marked(document.sections[0].paragraphs[0].runs) == "Text Smith (2020)."


def test_docx_emphasis_images_and_core_properties(tmp_path):
    made = docx.Document()
    made.core_properties.title = "Word title"
    made.core_properties.author = "Ada Lovelace"
    made.add_heading("Abstract", 1)
    made.add_paragraph("An abstract.")
    made.add_heading("Findings", 1)
    paragraph = made.add_paragraph("It was ")
    paragraph.add_run("very").italic = True
    paragraph.add_run(" ")
    paragraph.add_run("clear").bold = True
    paragraph.add_run(" [sic] * _ @x.")
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(png, "PNG")
    made.add_picture(io.BytesIO(png.getvalue()))
    made.inline_shapes[0]._inline.docPr.set("descr", "A blue square")
    made.add_paragraph("Figure 1: blue.", style="Caption")
    made.save(tmp_path / "a.docx")
    imported = import_article(tmp_path / "a.docx")
    assert "title: Word title" in imported.review_yaml and "- name: Ada Lovelace" in imported.review_yaml
    write_review(imported, tmp_path / "r")
    assert (tmp_path / "r" / "assets" / "image1.png").read_bytes() == png.getvalue()
    document, _ = load_review(tmp_path / "r")
    assert marked(document.sections[0].paragraphs[0].runs) == "It was *very* **clear** [sic] * _ @x."
    figure = document.sections[0].blocks[1]
    assert figure.alt == "A blue square" and marked(figure.caption) == "Figure 1: blue."


# --- bad input: one line, exit 1, nothing written ------------------------------------------------------


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"  \n", "empty.txt: error: the file is empty: there is no article to import"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0", "binary.txt: error: a binary file, not Markdown, plain text or .docx"),
    ("fake.docx", b"Title\n\nNot a zip", "fake.docx: error: not a Word file: a .docx is a zip archive, and this "
                                         "is not one (save it again from Word as .docx)"),
    ("latin1.txt", "Title\n\nCaf\xe9".encode("latin-1"), "latin1.txt:3:4: error: not UTF-8 text (byte 0xe9); "
                                                         "save the file as UTF-8, or import the .docx"),
    ("broken.docx", b"PK\x03\x04 not really", "broken.docx: error: not a Word document"),
])
def test_bad_input_is_one_error_and_writes_nothing(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    result = run("new", "r", "--from", name, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(message) and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "source").exists()


def test_existing_review_is_refused_unless_forced(tmp_path):
    (tmp_path / "source" / "ldn").mkdir(parents=True)
    (tmp_path / "source" / "ldn" / "keep.txt").write_text("mine")
    result = run("new", "ldn", "--from", str(SEED), cwd=tmp_path)
    assert (result.returncode, result.stderr) == \
        (1, "source/ldn: error: already exists; choose another name, or use --force to replace it\n")
    assert [p.name for p in (tmp_path / "source" / "ldn").iterdir()] == ["keep.txt"]
    assert run("new", "ldn", "--from", str(SEED), "--force", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in (tmp_path / "source" / "ldn").iterdir()) == ["references.bib", "review.yaml"]
    assert [p.name for p in (tmp_path / "source").iterdir()] == ["ldn"]  # no staging folder left


def test_a_review_name_that_is_a_path_is_a_command_line_error(tmp_path):
    result = run("new", "../elsewhere", "--from", str(SEED), cwd=tmp_path)
    assert result.returncode == 2 and "is not a review name" in result.stderr
