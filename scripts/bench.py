#!/usr/bin/env python3
"""`make bench`: how fast the pipeline builds, printed as medians and ratios.

- the bundled review built with every output, against Pandoc's PDF
  (--pdf-engine=weasyprint) and PPTX of the same text, when pandoc is installed;
- synthetic reviews at 1x, 10x and 50x the bundled one (sections, paragraphs,
  references and evidence rows scaled): time per output and peak memory;
- a second `make` with nothing changed;
- with --stages, the CPU seconds of each stage of a build, one process per run (so
  a busy machine changes them little): importing WeasyPrint, loading and checking,
  each output, the article split into its HTML, layout and PDF writing.

Each measurement runs in a fresh process, as a user's build would. Targets
(2-core machine): full build <= 1.0x Pandoc; watch: article.pdf <= 0.3 s and
every output <= 0.5 s after a save; 50x <= Pandoc and < 1 GiB; no-op make < 0.5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
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


def pandoc_pair(folder: Path, work: Path) -> tuple[list[str], list[str], dict]:
    """Pandoc's PDF (WeasyPrint engine) and PPTX commands for the review in `folder`."""
    markdown = pandoc_markdown(folder)
    env = dict(os.environ, PATH=f"{Path(PYTHON).parent}:{os.environ['PATH']}")
    pdf = ["pandoc", str(markdown), "--citeproc", "--pdf-engine=weasyprint", "-o", str(work / "pandoc.pdf")]
    return pdf, ["pandoc", str(markdown), "--citeproc", "-o", str(work / "pandoc.pptx")], env


def side_by_side(folder: Path, work: Path, runs: int, label: str) -> tuple[float, float]:
    """Ours and Pandoc's PDF + PPTX, alternating run by run; the medians and the median ratio."""
    pdf, pptx, env = pandoc_pair(shutil.copytree(folder, work / f"pandoc-{folder.name}"), work)
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(timed(build_command(folder, work / "ours"))[0])
        theirs.append(timed(pdf, cwd=work, env=env)[0] + timed(pptx, cwd=work, env=env)[0])
    ratio = statistics.median(a / b for a, b in zip(ours, theirs))
    print(f"{label}: ours {statistics.median(ours):6.2f} s, pandoc PDF + PPTX {statistics.median(theirs):6.2f} s, "
          f"median ratio {ratio:.2f} (target <= 1.00; {runs} alternating pairs)")
    return statistics.median(ours), ratio


def versus_pandoc(work: Path, runs: int) -> None:
    if not shutil.which("pandoc"):
        print("pandoc not installed: no side-by-side figure (apt-get install pandoc)")
        return
    print(f"load: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    side_by_side(BUNDLED, work, runs, "bundled review, six outputs (cold)")


def watch_latency(work: Path, edits: int) -> None:
    """Save edits to a copy of the bundled review under `watch`; time from each save to the new
    article.pdf and to the switch of every output it changes (medians)."""
    folder = shutil.copytree(BUNDLED, work / "watched" / "ldn-review")
    out = work / "watch-out"
    watcher = subprocess.Popen([PYTHON, "-m", "pipeline", "watch", "--quiet", "--out", str(out), str(folder)],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    article, every = [], []
    try:
        link = out / "ldn-review"
        while not (link / "report.json").exists():
            time.sleep(0.05)
        time.sleep(3)  # the watcher and its forkserver are up
        text = (folder / "review.yaml").read_text()
        for i in range(edits):
            body = i % 2 == 0  # alternately the body (every output) and the lay summary (two)
            anchor = "sections:" if body else "lay_summary:"
            target = "Low-dose naltrexone (LDN) is a medicine"
            at = text.index(anchor)
            # a real word of the first paragraph (the file's first "naltrexone" is in a comment)
            words = ("for decades", "for many decades") if i % 4 == 0 else ("for many decades", "for decades")
            edited = text[:at] + (text[at:].replace(target, f"{target} ({i})", 1) if not body else
                                  text[at:].replace(*words, 1))
            before = os.readlink(link)
            pdf_before = (link / "article.pdf").stat().st_ino
            saved = time.perf_counter()
            (folder / "review.yaml").write_text(edited)
            text = edited
            while os.readlink(link) == before:
                time.sleep(0.005)
            every.append(time.perf_counter() - saved)
            if (link / "article.pdf").stat().st_ino != pdf_before:
                article.append(every[-1])
            time.sleep(1.0)
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(timeout=30)
    print(f"watch, save to outputs ({edits} edits): article.pdf {statistics.median(article) if article else 0:.2f} s "
          f"(target <= 0.30), every affected output {statistics.median(every):.2f} s (target <= 0.50)")


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


# One process per run, stage by stage, CPU seconds (its own and its subprocesses'): what the stages cost
# whatever else the machine runs. First uses in a process are included, as in a real build.
STAGES = """
import json, os, sys
from pathlib import Path
clock, seconds = lambda: sum(os.times()[:4]), {}  # this process's CPU and its finished children's
def stage(name, work):
    started = clock(); value = work(); seconds[name] = clock() - started; return value
stage("import WeasyPrint", lambda: __import__("pipeline.render.pdf"))
from pipeline import build
from pipeline.render import OUTPUTS, Settings
from pipeline.render import pdf
from pipeline.render.html import article_html
from pipeline.themes import load_theme
checked = stage("load and check (no cache)", lambda: build._load_and_check(Path(sys.argv[1]), None))
document, settings = checked.document, Settings()
theme = load_theme(document.theme)
html = stage("article: HTML", lambda: article_html(document, theme, settings, for_print=True))
laid_out = stage("article: layout", lambda: pdf.typeset(html, document, theme))
stage("article: write PDF", lambda: pdf.write(laid_out, html))
for name in ("handout", "slides", "html", "summary"):
    stage(name, lambda: OUTPUTS[name].render(document, theme, settings))
print(json.dumps(seconds))
"""


def stages(folder: Path, runs: int) -> None:
    results = []
    for _ in range(runs):
        done = subprocess.run([PYTHON, "-c", STAGES, str(folder)], cwd=ROOT, check=True, capture_output=True, text=True)
        results.append(json.loads(done.stdout.splitlines()[-1]))
    print(f"\nCPU seconds per stage, {folder.name} (median of {runs} processes; load {os.getloadavg()[0]:.2f}):")
    for name in results[0]:
        print(f"  {name:<28} {statistics.median(r[name] for r in results):6.3f}")


def noop_make(runs: int) -> None:
    subprocess.run(["make", "-s", "-C", str(ROOT)], check=True, stdout=subprocess.DEVNULL)
    seconds, _ = median_of(runs, ["make", "-s", "-C", str(ROOT)])
    print(f"\nsecond `make` with nothing changed: {seconds:.3f} s (median of {runs}; target < 0.5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repetitions per figure (median)")
    parser.add_argument("--edits", type=int, default=8, help="saves timed under watch")
    parser.add_argument("--scaling", action="store_true", help="also 1x/10x/50x per output and memory")
    parser.add_argument("--stages", action="store_true", help="only the CPU seconds of each stage of a build")
    args = parser.parse_args()
    if args.stages:
        stages(BUNDLED, args.runs)
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        versus_pandoc(work, args.runs)
        watch_latency(work, args.edits)
        if shutil.which("pandoc"):
            side_by_side(scaled_review(50, work / "big"), work, max(1, args.runs // 3), "50x review (PDF + PPTX)")
        if args.scaling:
            scaling(work, max(1, args.runs // 2))
        noop_make(args.runs)


if __name__ == "__main__":
    main()
