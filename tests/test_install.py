"""The built wheel is the whole tool: it runs from a foreign folder, with nothing of this repository.

Offline and quick: the wheel is built with this venv's setuptools (no build isolation), installed
with `pip --target` (no dependencies: this venv has them), and run from an empty folder holding
only a copy of the bundled review. scripts/test-wheel.sh does the same with a fresh venv from PyPI.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from conftest import BUNDLED, ROOT

OUTPUTS = ("article.pdf", "article.html", "slides.pptx", "summary.md", "summary.html", "handout.pdf",
           "report.json")
MARKER = "0a1b2c"  # a colour only the project's own theme has


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported(folder: Path) -> set[str]:
    """Top-level names of the modules imported anywhere under `folder` (absolute imports)."""
    found = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_every_imported_package_is_declared():
    """What the code imports is what pyproject.toml installs: nothing arrives only by accident."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_canonical(re.split(r"[ ;<>=!~\[]", line, maxsplit=1)[0]) for line in project["dependencies"]}
    for_tests = declared | {_canonical(re.split(r"[ ;<>=!~\[]", line, maxsplit=1)[0])
                            for line in project["optional-dependencies"]["test"]}
    owners = packages_distributions()
    local = {"pipeline"} | {p.stem for p in (ROOT / "tests").glob("*.py")}
    for folder, allowed in (("pipeline", declared), ("scripts", declared), ("tests", for_tests)):
        third_party = _imported(ROOT / folder) - set(sys.stdlib_module_names) - local
        undeclared = {module: owners.get(module) for module in third_party
                      if not {_canonical(d) for d in owners.get(module, [module])} & allowed}
        assert undeclared == {}, f"{folder}/ imports packages pyproject.toml does not declare"


def pip(*args: str, cwd: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
                   cwd=cwd, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed in)."""
    tmp = tmp_path_factory.mktemp("install")
    # Build from a copy, so setuptools' build/ and *.egg-info never land in (or leak from) the repo.
    src = tmp / "src"
    src.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", src)
    shutil.copytree(ROOT / "pipeline", src / "pipeline", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    pip("wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", ".", "-w", str(tmp / "dist"),
        cwd=src)
    (wheel,) = (tmp / "dist").glob("*.whl")
    pip("install", "--quiet", "--no-deps", "--no-index", "--target", str(tmp / "site"), str(wheel), cwd=tmp)
    return wheel, tmp / "site"


def run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(site)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_holds_every_file_of_the_package(installed):
    wheel, _ = installed
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "pipeline"
    wanted = {p.relative_to(ROOT).as_posix() for p in package.rglob("*")
              if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert wanted - in_wheel == set()
    # What a shipped theme is made of: fonts, their licences, CSS, the slide design.
    themes = {name for name in in_wheel if name.startswith("pipeline/data/themes/default/")}
    for suffix in (".ttf", ".txt", ".css", ".yaml"):
        assert any(name.endswith(suffix) for name in themes), suffix


def test_installed_tool_builds_from_a_foreign_folder(installed, tmp_path):
    _, site = installed
    work = tmp_path / "work"
    work.mkdir()
    shutil.copytree(BUNDLED, work / "myreview", ignore=shutil.ignore_patterns(".*"))

    where = run(site, work, "-c", "import pipeline; print(pipeline.__file__)")
    assert Path(where.stdout.strip()).resolve().is_relative_to(site.resolve()), where

    done = run(site, work, "-m", "pipeline", "build", "--quiet", "myreview")
    assert done.returncode == 0, done.stderr
    for name in OUTPUTS:
        assert (work / "out" / "myreview" / name).stat().st_size > 0, name

    # A project's own theme, by name, from ./themes in the working folder.
    review = work / "myreview" / "review.yaml"
    lines = [line for line in review.read_text(encoding="utf-8").splitlines() if not line.startswith("theme:")]
    review.write_text("\n".join(lines + ["theme: mine", ""]), encoding="utf-8")
    refused = run(site, work, "-m", "pipeline", "build", "--quiet", "--only", "html", "--out", "none", "myreview")
    assert refused.returncode == 1 and "mine" in refused.stderr, refused.stderr

    shutil.copytree(site / "pipeline" / "data" / "themes" / "default", work / "themes" / "mine")
    with open(work / "themes" / "mine" / "article.css", "a", encoding="utf-8") as css:
        css.write(f"\n.theme-mine-marker {{ color: #{MARKER}; }}\n")
    done = run(site, work, "-m", "pipeline", "build", "--quiet", "--only", "html,pdf", "--out", "mine", "myreview")
    assert done.returncode == 0, done.stderr
    assert MARKER in (work / "mine" / "myreview" / "article.html").read_text(encoding="utf-8")
    assert (work / "mine" / "myreview" / "article.pdf").stat().st_size > 0
