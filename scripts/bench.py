#!/usr/bin/env python3
"""`make bench`: how fast the pipeline builds, printed as medians and ratios.

- the bundled review built with every output, against Pandoc's PDF
  (--pdf-engine=weasyprint) and PPTX of the same text, when pandoc is installed;
- synthetic reviews at 1x, 10x and 50x the bundled one (sections, paragraphs,
  references and evidence rows scaled): time per output and peak memory;
- a second `make` with nothing changed.

Each measurement runs in a fresh process, as a user's build would. Targets
(2-core machine): full build <= 0.8x Pandoc; no-op make < 0.5 s; 50x < 30 s
and < 1 GiB, growing no faster than linearly.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "source" / "ldn-review"
PYTHON = sys.executable


def timed(command: list[str], cwd: Path = ROOT, env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak memory (bytes) of one command, its forked workers included.

    Memory is the largest sum, over the command's process tree, of each process's
    proportional set size (Pss: pages shared after a fork count once in total), sampled
    every 50 ms; where /proc cannot tell, the largest single process's peak (ru_maxrss).
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty command never blocks on it
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_pss(process.pid))
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        if process.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"bench: {' '.join(map(str, command))} failed:\n{errors.read().decode()}")
    return elapsed, peak or usage.ru_maxrss * 1024


def tree_pss(root: int) -> int:
    """Bytes of Pss of a process and all its descendants now (0 if /proc has no smaps_rollup)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) * 1024 if found else 0
    return total


def median_of(runs: int, command: list[str], **kwargs) -> tuple[float, int]:
    results = [timed(command, **kwargs) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


# --- synthetic reviews ------------------------------------------------------------------

def scaled_review(factor: int, into: Path) -> Path:
    """A copy of the bundled review with everything repeated `factor` times, keys renamed."""
    data = yaml.safe_load((BUNDLED / "review.yaml").read_text())
    bib = (BUNDLED / data.get("bibliography", "references.bib")).read_text()
    keys = re.findall(r"@\w+\{([^,\s]+),", bib)
    rename = lambda text, i: re.sub(r"@(" + "|".join(map(re.escape, keys)) + r")\b",  # noqa: E731
                                    lambda m: f"@{m.group(1)}x{i}", text)
    sections, studies, bibs = [], [], []
    for i in range(factor):
        for section in data["sections"]:
            copy = json.loads(rename(json.dumps(section), i))
            copy["id"] = f"{section.get('id', 's')}-{i}"
            copy["title"] = f"{section['title']} ({i + 1})" if factor > 1 else section["title"]
            sections.append(copy)
        studies += json.loads(rename(json.dumps(data.get("evidence", {}).get("studies", [])), i))
        bibs.append(re.sub(r"(@\w+\{)([^,\s]+),", lambda m: f"{m.group(1)}{m.group(2)}x{i},", bib))
    data = json.loads(rename(json.dumps(data, default=str), 0))
    data.update(sections=sections, nocite="*")
    if "evidence" in data:
        data["evidence"]["studies"] = studies
    folder = into / f"review-{factor}x"
    folder.mkdir(parents=True)
    (folder / "review.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    (folder / "references.bib").write_text("\n".join(bibs))
    return folder


def pandoc_markdown(folder: Path) -> Path:
    """The same review as Pandoc Markdown (its citations are already Pandoc's)."""
    data = yaml.safe_load((folder / "review.yaml").read_text())
    meta = {"title": data["title"], "author": [a["name"] for a in data["authors"]],
            "bibliography": str(folder / data.get("bibliography", "references.bib")), "nocite": "@*"}
    parts = ["---", yaml.safe_dump(meta, allow_unicode=True).strip(), "---", "", "# Abstract", "", data["abstract"]]
    for section in data["sections"]:
        parts += ["", f"# {section['title']}", ""]
        parts += [block for block in section["body"] if isinstance(block, str) for block in (block, "")]
    path = folder / "review.md"
    path.write_text("\n".join(parts))
    return path


# --- measurements -------------------------------------------------------------------------

def build_command(folder: Path, out: Path, only: str | None = None) -> list[str]:
    command = [PYTHON, "-m", "pipeline", "build", "--quiet", "--out", str(out), str(folder)]
    return command + (["--only", only] if only else [])


def per_output(folder: Path, out: Path, runs: int) -> dict[str, float]:
    """Median seconds of each output built on its own (process start and load included)."""
    names = ["html", "pdf", "slides", "summary", "handout"]
    return {name: median_of(runs, build_command(folder, out, name))[0] for name in names}


def versus_pandoc(work: Path, runs: int) -> None:
    ours, _ = median_of(runs, build_command(BUNDLED, work / "ours"))
    print(f"bundled review, all six outputs, one build command: {ours:6.2f} s (median of {runs})")
    if not shutil.which("pandoc"):
        print("pandoc not installed: no side-by-side figure (apt-get install pandoc)")
        return
    markdown = pandoc_markdown(shutil.copytree(BUNDLED, work / "pandoc-src"))
    env = dict(os.environ, PATH=f"{Path(PYTHON).parent}:{os.environ['PATH']}")
    pdf, _ = median_of(runs, ["pandoc", str(markdown), "--citeproc", "--pdf-engine=weasyprint",
                              "-o", str(work / "pandoc.pdf")], cwd=work, env=env)  # it writes temp files there
    pptx, _ = median_of(runs, ["pandoc", str(markdown), "--citeproc", "-o", str(work / "pandoc.pptx")],
                        cwd=work, env=env)
    print(f"pandoc PDF (weasyprint) {pdf:6.2f} s + PPTX {pptx:6.2f} s = {pdf + pptx:6.2f} s")
    print(f"ratio ours / pandoc: {ours / (pdf + pptx):.2f}  (target <= 0.80)")


def scaling(work: Path, runs: int) -> None:
    print(f"\n{'size':>5} {'total s':>8} {'peak MiB':>9} {'s per 1x':>9}   per output (s)")
    base = None
    for factor in (1, 10, 50):
        folder = scaled_review(factor, work / "scaled")
        total, peak = median_of(runs if factor < 50 else max(1, runs // 2), build_command(folder, work / "out"))
        outputs = per_output(folder, work / "out", 1) if factor < 50 else {}
        base = base or total
        detail = "  ".join(f"{k} {v:.2f}" for k, v in outputs.items())
        print(f"{factor:>4}x {total:8.2f} {peak / 2**20:9.0f} {total / factor:9.3f}   {detail}")
    print("targets: 50x < 30 s and < 1024 MiB; 's per 1x' falling or flat means no worse than linear")


def noop_make(runs: int) -> None:
    subprocess.run(["make", "-s", "-C", str(ROOT)], check=True, stdout=subprocess.DEVNULL)
    seconds, _ = median_of(runs, ["make", "-s", "-C", str(ROOT)])
    print(f"\nsecond `make` with nothing changed: {seconds:.3f} s (median of {runs}; target < 0.5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per figure (median)")
    parser.add_argument("--skip-scaling", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        versus_pandoc(work, args.runs)
        if not args.skip_scaling:
            scaling(work, max(1, args.runs // 2))
        noop_make(args.runs)


if __name__ == "__main__":
    main()
