"""The decks as LibreOffice Impress shows them: every character inside its own shape, on its slide.

LibreOffice ignores PowerPoint's autofit and draws overflowing text past the
bottom of its box, so a PDF export shows any text the fitter got wrong. Each
deck is exported once (one soffice run for all of them) with a fontconfig that
sees the themes' own fonts, then every character of every page is matched to
the shape it belongs to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from pipeline.loader import load_review
from pipeline.render import Settings
from pipeline.render.slides import render
from pipeline.themes import THEMES_DIR, load_theme

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = Path(__file__).resolve().parent.parent / "source" / "ldn-review"
DECKS = {"talk": (FIXTURES / "slides-talk", None), "talk-classic": (FIXTURES / "slides-talk", "classic"),
         "long": (FIXTURES / "slides-long", None), "long-classic": (FIXTURES / "slides-long", "classic"),
         "bundled": (BUNDLED, None), "bundled-classic": (BUNDLED, "classic")}
TOLERANCE = 2.0  # points a glyph's box may reach past its shape's edge (font bounding boxes, rounding)
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: `make test` "
                                "installs it when run as root; otherwise `sudo apt-get install libreoffice-impress`")


def _fontconfig(folder: Path) -> dict[str, str]:
    """An environment whose fontconfig also sees the fonts the themes ship."""
    dirs = "".join(f"<dir>{p}</dir>" for p in sorted(THEMES_DIR.glob("*/fonts")))
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf'
                    f'</include>{dirs}<cachedir>{folder / "fc-cache"}</cachedir></fontconfig>')
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Presentation, pdfplumber.PDF]]:
    folder = tmp_path_factory.mktemp("decks")
    paths = []
    for name, (review, theme) in DECKS.items():
        if review == BUNDLED and not (review / "review.yaml").is_file():
            continue  # the bundled review is not there yet: nothing of it to check
        document, _ = load_review(review, theme)
        path = folder / f"{name}.pptx"
        path.write_bytes(render(document, load_theme(document.theme), Settings()).files["slides.pptx"])
        paths.append(path)
    profile = (folder / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, paths)], check=True, capture_output=True,
                   env=_fontconfig(folder), timeout=240)
    opened = {p.stem: (Presentation(str(p)), pdfplumber.open(p.with_suffix(".pdf"))) for p in paths}
    yield opened
    for _, pdf in opened.values():
        pdf.close()


def _deck(rendered: dict, name: str) -> tuple[Presentation, pdfplumber.PDF]:
    if name not in rendered:
        pytest.skip(f"{BUNDLED} has no review.yaml yet")
    return rendered[name]


def _chars(text: str) -> Counter:
    """The characters a shape shows, as PDF text extraction gives them back."""
    text = unicodedata.normalize("NFKC", text)
    return Counter(c for c in text if not c.isspace() and c not in "•–")


def _shapes(shapes, place=lambda x, y, w, h: (x, y, w, h)):
    """Every shape, groups opened, with its box on the slide (a group maps its children's space)."""
    for shape in shapes:
        box = place(shape.left, shape.top, shape.width, shape.height)
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            xfrm = shape._element.grpSpPr.xfrm
            (ox, oy), (cx, cy) = (xfrm.chOff.x, xfrm.chOff.y), (xfrm.chExt.cx or 1, xfrm.chExt.cy or 1)
            sx, sy = box[2] / cx, box[3] / cy

            def inner(x, y, w, h, box=box, ox=ox, oy=oy, sx=sx, sy=sy):
                return box[0] + (x - ox) * sx, box[1] + (y - oy) * sy, w * sx, h * sy
            yield from _shapes(shape.shapes, inner)
        else:
            yield shape, box


def _boxes(slide, scale: float) -> list[tuple[str, tuple[float, float, float, float], Counter]]:
    """(name, (x0, top, x1, bottom) in PDF points, expected characters) of every shape with text."""
    boxes = []
    for shape, box in _shapes(slide.shapes):
        if shape.has_text_frame:
            text = shape.text_frame.text
        elif shape.has_table:
            text = "".join(c.text for row in shape.table.rows for c in row.cells)
        else:
            continue
        if text.strip():
            x, y, w, h = (v / 12700 * scale for v in box)
            boxes.append((shape.name, (x, y, x + w, y + h), _chars(text)))
    return boxes


def _owner(char: dict, boxes: list) -> int | None:
    """The smallest shape whose box holds the centre of `char`."""
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    inside = [i for i, (_, (x0, y0, x1, y1), _) in enumerate(boxes) if x0 <= cx <= x1 and y0 <= cy <= y1]
    return min(inside, key=lambda i: (boxes[i][1][2] - boxes[i][1][0]) * (boxes[i][1][3] - boxes[i][1][1]),
               default=None)


def _problems(slide, page, number: int) -> list[str]:
    scale = float(page.width) / (slide.part.package.presentation_part.presentation.slide_width / 12700)
    boxes = _boxes(slide, scale)
    found: list[Counter] = [Counter() for _ in boxes]
    problems = []
    for char in page.chars:
        if char["text"].isspace():
            continue
        where = f"slide {number}: {char['text']!r} at ({char['x0']:.0f}, {char['top']:.0f})"
        if not (-TOLERANCE <= char["x0"] and char["x1"] <= page.width + TOLERANCE
                and -TOLERANCE <= char["top"] and char["bottom"] <= page.height + TOLERANCE):
            problems.append(f"{where} is off the slide")
        owner = _owner(char, boxes)
        if owner is None:
            problems.append(f"{where} is outside every shape")
            continue
        x0, y0, x1, y1 = boxes[owner][1]
        if char["x0"] < x0 - TOLERANCE or char["x1"] > x1 + TOLERANCE or char["bottom"] > y1 + TOLERANCE:
            problems.append(f"{where} reaches past its shape {boxes[owner][0]!r}")
        found[owner].update(_chars(char["text"]))
    for (name, _, expected), got in zip(boxes, found):
        if got != expected:
            problems.append(f"slide {number}: shape {name!r} shows {sum(got.values())} of its "
                            f"{sum(expected.values())} characters inside its box "
                            f"(missing {dict(expected - got)}, extra {dict(got - expected)})")
    return problems


@pytest.mark.parametrize("name", DECKS)
def test_one_page_per_slide(rendered, name):
    pres, pdf = _deck(rendered, name)
    assert len(pdf.pages) == len(pres.slides)


@pytest.mark.parametrize("name", DECKS)
def test_every_character_inside_its_shape(rendered, name):
    pres, pdf = _deck(rendered, name)
    problems = [p for i, (slide, page) in enumerate(zip(pres.slides, pdf.pages), 1)
                for p in _problems(slide, page, i)]
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("name", DECKS)
def test_text_shapes_do_not_overlap(rendered, name):
    pres, _ = _deck(rendered, name)
    for number, slide in enumerate(pres.slides, 1):
        boxes = [b for _, b, _ in _boxes(slide, 1.0)]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap_x = min(a[2], b[2]) - max(a[0], b[0])
                overlap_y = min(a[3], b[3]) - max(a[1], b[1])
                assert overlap_x <= 0.01 or overlap_y <= 0.01, f"slide {number}: {a} overlaps {b}"


@pytest.mark.parametrize("name, family", [("talk", "Carlito"), ("talk-classic", "Caladea")])
def test_measured_fonts_are_the_fonts_drawn(rendered, name, family):
    """The fit holds only if LibreOffice draws with the metric-compatible font the fitter measured."""
    _, pdf = _deck(rendered, name)
    fonts = {c["fontname"].split("+")[-1].split("-")[0] for page in pdf.pages for c in page.chars}
    assert fonts == {family}


@pytest.mark.parametrize("name", DECKS)
def test_no_table_citation_is_broken_over_two_lines(rendered, name):
    """Each citation of an evidence-table cell is on one line of the page LibreOffice draws."""
    pres, pdf = _deck(rendered, name)
    checked = 0
    for number, (slide, page) in enumerate(zip(pres.slides, pdf.pages), 1):
        cells = [c.text for s in slide.shapes if s.has_table for row in list(s.table.rows)[1:] for c in row.cells]
        cites = {" ".join(unicodedata.normalize("NFKC", c).split()) for c in cells if "\u00a0" in c}
        lines = [" ".join(unicodedata.normalize("NFKC", line["text"]).split()) for line in page.extract_text_lines()]
        for cite in cites:
            assert any(cite in line for line in lines), f"slide {number}: {cite!r} is broken over lines"
            checked += 1
    assert checked
