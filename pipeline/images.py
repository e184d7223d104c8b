"""Check a figure's file at load time, so `check` refuses what the build could not safely read.

A review's images are untrusted files. Before anything reads one whole, its
kind and size come from `stat` alone; a raster image is judged by its header
(Pillow opens lazily), an SVG by a parse that never resolves entities, reads a
DTD or touches the network. Each check returns what is wrong as one sentence,
or None, so the loader can report it at the figure's line.
"""

from __future__ import annotations

import re
import stat
import warnings
from pathlib import Path
from urllib.parse import unquote

from lxml import etree
from PIL import Image, UnidentifiedImageError

from pipeline.limits import IMAGE_FILE_BYTES, IMAGE_PIXELS, MiB, SVG_ELEMENTS, SVG_USE_REFERENCES

RASTER_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")  # what Pillow, WeasyPrint and the slides all handle
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""", re.I | re.S)
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def figure_problem(image: str, folder: Path) -> str | None:
    """What is wrong with the figure file `image` (as review.yaml names it) in `folder`, or None."""
    try:
        inside = (folder / image).resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return f"image '{image}' cannot be found: its path does not lead to a file"
    if _SCHEME.match(image) or not inside:
        return f"image '{image}' is outside the review folder; copy it into the folder and give a relative path"
    return file_problem(folder / image, folder, image, set())


def file_problem(path: Path, folder: Path, name: str, seen: set[Path]) -> str | None:
    """What is wrong with the image file at `path`, judged by `stat`, its header and, for SVG, its tree."""
    try:
        info = path.stat()  # follows links: a link's target is what would be read
    except OSError:
        return f"image '{name}' not found in {folder}"
    if not stat.S_ISREG(info.st_mode):
        return f"image '{name}' is not a regular file (a folder, FIFO or device); give an image file"
    if info.st_size > IMAGE_FILE_BYTES:
        return (f"image '{name}' is {info.st_size / MiB:.1f} MiB, more than the {IMAGE_FILE_BYTES // MiB} MiB "
                "a figure may be; make it smaller")
    seen.add(path.resolve())
    if path.suffix.lower() == ".svg":
        return svg_problem(path, folder, name, seen)
    return raster_problem(path, folder, name, seen)


def raster_problem(path: Path, folder: Path, name: str, seen: set[Path]) -> str | None:
    """What is wrong with a raster image: unreadable, of a format we do not take, or too many pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # Pillow's own warnings (a decompression bomb) become refusals
            with Image.open(path, formats=RASTER_FORMATS) as image:
                kind, (width, height) = image.format, image.size
                image.verify()  # checks the file's structure (PNG checksums) without decoding pixels
    except UnidentifiedImageError:
        return _maybe_svg(path, folder, name, seen)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _too_many_pixels(name, "")
    except (OSError, ValueError, SyntaxError, Warning) as error:
        return f"image '{name}' cannot be read ({_reason(error)}); save it again as PNG or JPEG"
    return _too_many_pixels(name, f" ({width}×{height})") if width * height > IMAGE_PIXELS else None


def _too_many_pixels(name: str, size: str) -> str:
    return f"image '{name}' has more than the {IMAGE_PIXELS:,} pixels a figure may have{size}; scale it down"


def _maybe_svg(path: Path, folder: Path, name: str, seen: set[Path]) -> str | None:
    """A file Pillow does not know: WeasyPrint would try it as SVG, so it is checked as one, else refused."""
    with path.open("rb") as file:
        head = file.read(512).lstrip()
    if head.startswith((b"<?xml", b"<svg", b"<!--")):
        return svg_problem(path, folder, name, seen)
    kind = _other_format(path)
    what = f"is {kind}, which is not supported" if kind else "is not an image file (or is corrupt)"
    return f"image '{name}' {what}; use PNG, JPEG, GIF, WebP or SVG"


def _other_format(path: Path) -> str | None:
    """The name of a format Pillow knows but figures may not use (its header only is read)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                return image.format
    except Exception:  # noqa: BLE001 - any failure means: not an image we can name
        return None


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) < 100 else text[:97] + "…"


# --- SVG -------------------------------------------------------------------------------------


def svg_problem(path: Path, folder: Path, name: str, seen: set[Path]) -> str | None:
    """What is wrong with an SVG: not XML, a DTD or entities, too big once `<use>` is expanded, outside files."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             dtd_validation=False, remove_comments=True)
    try:
        tree = etree.parse(str(path), parser)
    except (etree.XMLSyntaxError, OSError) as error:
        return f"image '{name}' is not a valid SVG file ({_reason(error)})"
    problem = _structure_problem(tree) or _size_problem(tree.getroot())
    if problem:
        return f"image '{name}' {problem}"
    return _references_problem(tree.getroot(), path, folder, name, seen)


def _structure_problem(tree) -> str | None:
    if tree.docinfo.internalDTD or tree.docinfo.doctype or any(True for _ in tree.iter(etree.Entity)):
        return "has a DTD or entities, which SVG figures may not use; remove the <!DOCTYPE …>"
    root = tree.getroot()
    if etree.QName(root).localname != "svg":
        return "is not an SVG file: its root element is not <svg>"
    return None


def _size_problem(root) -> str | None:
    """Too many elements, too many `<use>`, or `<use>` chains that copy more than the element budget."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    uses = [e for e in elements if etree.QName(e).localname == "use"]
    if len(elements) > SVG_ELEMENTS:
        return f"has {len(elements):,} elements, more than the {SVG_ELEMENTS:,} an SVG figure may have"
    if len(uses) > SVG_USE_REFERENCES:
        return f"has {len(uses):,} <use> elements, more than the {SVG_USE_REFERENCES:,} an SVG figure may have"
    expanded = _expanded_size(root, elements)
    if expanded is None:
        return "has a <use> that refers to itself or to an element containing it"
    if expanded > SVG_ELEMENTS:
        return (f"expands to more than {SVG_ELEMENTS:,} elements through nested <use> references "
                "(each copies what it refers to); simplify it")
    return None


def _expanded_size(root, elements: list) -> int | None:
    """Elements the SVG amounts to once every `<use>` is replaced by a copy of its target; None for a cycle.

    Each element's size is computed once (children before parents), so this is linear in the file;
    sizes are capped just above the budget, so the numbers never grow large.
    """
    ids = {e.get("id"): e for e in elements if e.get("id")}
    sizes: dict = {}
    visiting: set = set()

    def size(element) -> int | None:
        if element in sizes:
            return sizes[element]
        if element in visiting:
            return None
        visiting.add(element)
        parts = [size(child) for child in element if isinstance(child.tag, str)]
        target = ids.get(_fragment(element)) if etree.QName(element).localname == "use" else None
        parts.append(size(target) if target is not None else 0)
        visiting.discard(element)
        total = None if None in parts else min(1 + sum(parts), SVG_ELEMENTS + 1)
        sizes[element] = total
        return total

    try:
        return _iterative(size, root, elements)
    except RecursionError:  # <use> chains nested deeper than Python recurses: far past any budget
        return SVG_ELEMENTS + 1


def _iterative(size, root, elements: list) -> int | None:
    """`size(root)`, computed deepest elements first so Python's recursion stays shallow."""
    depth_first = sorted(elements, key=lambda e: -sum(1 for _ in e.iterancestors()))
    for element in depth_first:
        if etree.QName(element).localname != "use" and size(element) is None:
            return None
    return size(root)


def _fragment(element) -> str:
    href = element.get("href") or element.get(_XLINK_HREF) or ""
    return href[1:] if href.startswith("#") else ""


def _references_problem(root, path: Path, folder: Path, name: str, seen: set[Path]) -> str | None:
    """A reference to anything but a fragment, a data: URL or another safe image in the review folder."""
    for reference in _references(root):
        problem = _reference_problem(reference, path, folder, seen)
        if problem:
            shown = reference if len(reference) < 80 else reference[:77] + "…"
            return f"image '{name}' refers to '{shown}', {problem}"
    return None


def _references(root) -> list[str]:
    found: list[str] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for key, value in element.attrib.items():
            if etree.QName(key).localname in ("href", "src"):
                found.append(value.strip())
            found += [m.group(2) or m.group(4) or "" for m in _CSS_URL.finditer(value)]
        if etree.QName(element).localname == "style" and element.text:
            found += [m.group(2) or m.group(4) or "" for m in _CSS_URL.finditer(element.text)]
    return found


def _reference_problem(reference: str, path: Path, folder: Path, seen: set[Path]) -> str | None:
    reference = reference.strip()
    if not reference or reference.startswith("#") or reference.lower().startswith("data:"):
        return None
    if _SCHEME.match(reference) or reference.startswith(("/", "\\")):
        return "outside the review folder; an SVG figure may only use files inside it"
    relative = unquote(reference.split("#", 1)[0].split("?", 1)[0])
    target = (path.parent / relative).resolve()
    if not target.is_relative_to(folder.resolve()):
        return "outside the review folder; an SVG figure may only use files inside it"
    if target in seen:
        return None
    problem = file_problem(target, folder, relative, seen)
    return f"which is not a usable image: {problem}" if problem else None
