"""Figure files checked at load: size by stat, raster by header, SVG by a safe parse; one error at the line."""

from __future__ import annotations

import os
import struct
import time
import zlib
from pathlib import Path

import pytest
from PIL import Image

from conftest import GOOD
from pipeline.diagnostics import InputError
from pipeline.images import figure_problem
from pipeline.limits import IMAGE_FILE_BYTES, SVG_ELEMENTS

FIGURE = GOOD.replace("      - A paragraph.", "      - A paragraph.\n      - image: '{name}'\n        alt: A chart")
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'


def errors(make_review, tmp_path, name: str, write) -> list[str]:
    """The load errors of a review whose one figure `name` is made by `write(path)`."""
    from pipeline.loader import load_review

    folder = make_review(FIGURE.replace("{name}", name))
    write(tmp_path / folder / name)
    try:
        load_review(folder)
    except InputError as error:
        return [str(d) for d in error.diagnostics]
    return []


def png_header(width: int, height: int) -> bytes:
    """A small, well-formed PNG that claims `width`×`height` pixels (never decoded here)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def save(image: Image.Image, kind: str):
    return lambda path: image.save(path, kind)


def test_a_good_png_passes(make_review, tmp_path):
    assert errors(make_review, tmp_path, "a.png", save(Image.new("RGB", (20, 10)), "PNG")) == []


def test_a_file_larger_than_the_limit_is_refused_by_its_size_alone(make_review, tmp_path):
    def sparse(path: Path) -> None:  # 1 GB on paper, nothing on disk; a read would take seconds
        with path.open("wb") as file:
            file.truncate(2**30)
    start = time.process_time()
    found = errors(make_review, tmp_path, "big.png", sparse)
    assert time.process_time() - start < 2
    assert found == [f"r/review.yaml:9:16: error: image 'big.png' is 1024.0 MiB, more than the "
                     f"{IMAGE_FILE_BYTES // 2**20} MiB a figure may be; make it smaller"]


def test_a_fifo_is_refused_without_opening_it(make_review, tmp_path):
    found = errors(make_review, tmp_path, "pipe.png", lambda path: os.mkfifo(path))
    assert found == ["r/review.yaml:9:16: error: image 'pipe.png' is not a regular file (a folder, FIFO or "
                     "device); give an image file"]


def test_a_link_leading_out_of_the_folder_is_refused(make_review, tmp_path):
    (tmp_path / "secret.png").write_bytes(png_header(2, 2))
    found = errors(make_review, tmp_path, "link.png", lambda path: path.symlink_to(tmp_path / "secret.png"))
    assert found == ["r/review.yaml:9:16: error: image 'link.png' is outside the review folder; copy it into "
                     "the folder and give a relative path"]


@pytest.mark.parametrize("side", [30_000, 8_000])  # Pillow's own bomb error, and past our lower limit
def test_a_raster_with_too_many_pixels_is_refused_from_its_header(make_review, tmp_path, side):
    found = errors(make_review, tmp_path, "bomb.png", lambda path: path.write_bytes(png_header(side, side)))
    assert len(found) == 1 and "has more than the 50,000,000 pixels a figure may have" in found[0]
    assert found[0].startswith("r/review.yaml:9:16: error: image 'bomb.png'")


@pytest.mark.parametrize("content, message", [
    (b"not an image at all", "is not an image file (or is corrupt)"),
    (png_header(4, 4)[:-20] + b"\0" * 8 + png_header(4, 4)[-12:], "cannot be read"),  # a broken IDAT
])
def test_a_corrupt_or_non_image_file_is_refused(make_review, tmp_path, content, message):
    found = errors(make_review, tmp_path, "bad.png", lambda path: path.write_bytes(content))
    assert len(found) == 1 and message in found[0] and found[0].startswith("r/review.yaml:9:16: error:")


def test_an_unsupported_format_is_named(make_review, tmp_path):
    found = errors(make_review, tmp_path, "a.bmp", save(Image.new("RGB", (4, 4)), "BMP"))
    assert found == ["r/review.yaml:9:16: error: image 'a.bmp' is BMP, which is not supported; use PNG, JPEG, "
                     "GIF, WebP or SVG"]


# --- SVG -----------------------------------------------------------------------------------------


def svg_errors(make_review, tmp_path, body: str) -> list[str]:
    return errors(make_review, tmp_path, "f.svg", lambda path: path.write_text(SVG + body + "</svg>"))


def use_bomb(levels: int) -> str:
    """`levels` groups, each using the one before ten times: 10**levels copies of one rectangle."""
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f"<use href=\"#l{level - 1}\"/>" for _ in range(10))
        groups.append(f'<g id="l{level}">{uses}</g>')
    return "<defs>" + "".join(groups) + f'</defs><use xlink:href="#l{levels}"/>'


def test_a_plain_svg_with_local_uses_and_data_urls_passes(make_review, tmp_path):
    body = (use_bomb(2) + '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/>'
            '<rect style="fill: url(#l0)" width="1" height="1"/>')
    assert svg_errors(make_review, tmp_path, body) == []


def test_nested_uses_that_multiply_are_refused_quickly(make_review, tmp_path):
    body = use_bomb(9)  # 1.6 KB that WeasyPrint would expand to a billion elements
    assert len(SVG + body) < 2000
    start = time.process_time()
    found = svg_errors(make_review, tmp_path, body)
    assert time.process_time() - start < 2
    assert found == ["r/review.yaml:9:16: error: image 'f.svg' expands to more than "
                     f"{SVG_ELEMENTS:,} elements through nested <use> references (each copies what it refers to); "
                     "simplify it"]


@pytest.mark.parametrize("body, message", [
    ("<rect/>" * (SVG_ELEMENTS + 1), f"has {SVG_ELEMENTS + 2:,} elements, more than the {SVG_ELEMENTS:,}"),
    ('<g id="a"/>' + '<use href="#a"/>' * 501, "has 501 <use> elements, more than the 500"),
    ('<g id="a"><use href="#a"/></g>', "has a <use> that refers to itself or to an element containing it"),
])
def test_too_big_or_cyclic_svg_is_refused(make_review, tmp_path, body, message):
    found = svg_errors(make_review, tmp_path, body)
    assert len(found) == 1 and f"image 'f.svg' {message}" in found[0]


def test_an_svg_with_entities_is_refused(make_review, tmp_path):
    def write(path: Path) -> None:
        path.write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
                        + SVG + "<text>&b;</text></svg>")
    found = errors(make_review, tmp_path, "f.svg", write)
    assert found == ["r/review.yaml:9:16: error: image 'f.svg' has a DTD or entities, which SVG figures may not "
                     "use; remove the <!DOCTYPE …>"]


@pytest.mark.parametrize("body, reference", [
    ('<image href="file:///etc/passwd"/>', "file:///etc/passwd"),
    ('<image xlink:href="http://example.org/a.png"/>', "http://example.org/a.png"),
    ('<rect style="fill: url(https://example.org/p.svg#x)"/>', "https://example.org/p.svg#x"),
    ('<rect fill="url(\'/etc/x.svg#p\')"/>', "/etc/x.svg#p"),
    ('<style>@import "../../outside.css";</style>', "../../outside.css"),
    ('<use href="../x.svg#a"/>', "../x.svg#a"),
])
def test_an_svg_reference_outside_the_folder_is_refused(make_review, tmp_path, body, reference):
    found = svg_errors(make_review, tmp_path, body)
    assert found == [f"r/review.yaml:9:16: error: image 'f.svg' refers to '{reference}', outside the review "
                     "folder; an SVG figure may only use files inside it"]


def test_an_svg_referring_to_a_fifo_in_the_folder_is_refused(make_review, tmp_path):
    found = svg_errors(make_review, tmp_path, '<image href="inside.png"/><image href="pipe.png"/>')
    assert len(found) == 1 and "refers to 'inside.png', which is not a usable image" in found[0]
    folder = tmp_path / "r"
    (folder / "inside.png").write_bytes(png_header(2, 2))
    os.mkfifo(folder / "pipe.png")
    assert figure_problem("f.svg", folder) == ("image 'f.svg' refers to 'pipe.png', which is not a usable image: "
                                               "image 'pipe.png' is not a regular file (a folder, FIFO or device); "
                                               "give an image file")


def test_a_file_that_is_svg_whatever_its_name_is_checked_as_svg(tmp_path):
    (tmp_path / "x.png").write_text(SVG + '<image href="file:///etc/passwd"/></svg>')
    assert "refers to 'file:///etc/passwd'" in figure_problem("x.png", tmp_path)
