"""The PDFs are typeset with the theme's own font files, whatever fonts the host has.

fontconfig is read once per process, so each build runs in a process of its
own: once as the machine is, once with a fontconfig that hides every system
font. Both must give the same bytes, and only the theme's fonts are embedded.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import re

import pytest
from pypdf import PdfReader

from conftest import BUNDLED, ROOT
from pipeline.themes import load_theme

THEMES = ("default", "classic")
NO_FONTS = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><cachedir>{cache}</cachedir></fontconfig>
"""


def _build(out: Path, theme: str, env: dict[str, str]) -> dict[str, bytes]:
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--quiet", "-j", "1", "--theme", theme,
                    "--only", "pdf,handout", "--out", str(out), str(BUNDLED)],
                   check=True, cwd=ROOT, env=env, capture_output=True)
    return {name: (out / BUNDLED.name / name).read_bytes() for name in ("article.pdf", "handout.pdf")}


def _embedded_fonts(path: Path) -> set[str]:
    """The families embedded in a PDF (subset prefix and style dropped)."""
    names = set()
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1].split("-")[0])
    return names


def _declared_fonts(theme: str) -> set[str]:
    """The families the theme's fonts.css bundles with @font-face."""
    return set(re.findall(r'font-family:\s*"([^"]+)"', load_theme(theme).text("fonts.css")))


@pytest.fixture(scope="module", params=THEMES)
def builds(request, tmp_path_factory) -> tuple[str, dict[str, bytes], dict[str, bytes], Path]:
    folder = tmp_path_factory.mktemp(f"fonts-{request.param}")
    config = folder / "no-system-fonts.conf"
    config.write_text(NO_FONTS.format(cache=folder / "fc-cache"), encoding="utf-8")
    hidden = {**os.environ, "FONTCONFIG_FILE": str(config)}
    normal = {k: v for k, v in os.environ.items() if k != "FONTCONFIG_FILE"}
    return (request.param, _build(folder / "hidden", request.param, hidden),
            _build(folder / "normal", request.param, normal), folder / "hidden" / BUNDLED.name)


def test_no_system_font_is_visible_in_the_hidden_environment(tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(NO_FONTS.format(cache=tmp_path / "cache"), encoding="utf-8")
    listed = subprocess.run(["fc-list"], env={**os.environ, "FONTCONFIG_FILE": str(config)},
                            capture_output=True, text=True)
    assert listed.returncode != 0 or listed.stdout.strip() == ""


def test_same_bytes_with_and_without_system_fonts(builds):
    _, hidden, normal, _ = builds
    assert hidden == normal


def test_only_the_themes_fonts_are_embedded(builds):
    theme, _, _, folder = builds
    for name in ("article.pdf", "handout.pdf"):
        embedded = _embedded_fonts(folder / name)
        assert embedded and embedded <= _declared_fonts(theme), name
