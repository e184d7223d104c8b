"""The command line: arguments → load → build → exit status. No logic of its own.

Exit status: 0 success; 1 the input has errors (nothing half-written);
2 the command line is wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.jobs import Job, JobResult, progress_mode, run_job
from pipeline.render import OUTPUTS
from pipeline.source import REVIEW_FILE

SOURCE_DIR = Path("source")
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
INTERRUPTED = "interrupted; outputs are as they were"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2; keep its message one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m pipeline",
                     description="Render a review article to PDF, HTML, slides and a plain-language summary.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check,watch,preview,new}")
    for name, text in (("build", "check the reviews, then render their outputs into --out"),
                       ("check", "check the reviews and report problems; write nothing"),
                       ("watch", "build, then rebuild a review whenever one of its files changes"),
                       ("preview", "build, serve the outputs on 127.0.0.1, rebuild on save and reload the page")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("reviews", nargs="*", type=Path, metavar="REVIEW_DIR",
                             help="review folders (default: every folder under source/ with a review.yaml)")
        if name == "preview":
            command.add_argument("--port", type=_port, default=8000, metavar="N",
                                 help="port on 127.0.0.1 (default: 8000, or a free one if it is taken; 0: any free one)")
        command.add_argument("--theme", type=_theme_name, metavar="NAME", help="use this theme instead of the review's")
        command.add_argument("--strict", action="store_true", help="warnings fail like errors")
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        loudness.add_argument("-v", "--verbose", action="store_true", help="print more detail")
        if name != "check":
            command.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                                 help="output folder (default: out); each review goes to DIR/<name>/")
            command.add_argument("--only", type=_outputs, default=tuple(OUTPUTS), metavar="LIST",
                                 help=f"comma-separated outputs to build: {','.join(OUTPUTS)} (default: all)")
            command.add_argument("--paper", choices=("a4", "letter"), help="paper size of the PDFs")
        command.add_argument("-j", "--jobs", type=_positive, default=os.cpu_count() or 1, metavar="N",
                             help="processes to use: reviews in parallel, and the outputs of a review side by side "
                                  "when there are cores to spare (default: the number of cores)")
    new = commands.add_parser("new", help="start a review from an article (Markdown, plain text or .docx)",
                              description="start source/NAME/ (review.yaml and references.bib) from an article")
    new.add_argument("name", type=_review_name, metavar="NAME", help="the new review's folder under source/")
    new.add_argument("--from", dest="article", type=Path, required=True, metavar="FILE",
                     help="the article: .md (Markdown), .txt (plain text) or .docx (Word)")
    new.add_argument("--force", action="store_true", help="replace source/NAME if it exists")
    new.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    return parser


def _review_name(value: str) -> str:
    """A review is named by a plain folder name (no path, not empty, not hidden)."""
    if not value or value != Path(value).name or value.startswith(".") or "\\" in value:
        raise argparse.ArgumentTypeError(f"{value!r} is not a review name: use a plain folder name, e.g. my-review")
    return value


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, not {value!r}")
    return int(value)


def _theme_name(value: str) -> str:
    """A theme is named by its plain folder name (no path, not empty, not hidden)."""
    if not value or value != Path(value).name or value.startswith(".") or "\\" in value:
        from pipeline.themes import available

        raise argparse.ArgumentTypeError(f"{value!r} is not a theme name; the themes are: "
                                         f"{', '.join(available()) or 'none'}")
    return value


def _outputs(value: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in OUTPUTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown output {', '.join(map(repr, unknown)) or repr(value)}; "
                                         f"choose from {','.join(OUTPUTS)}")
    return tuple(n for n in OUTPUTS if n in names)


def _review_dirs(given: list[Path], parser: argparse.ArgumentParser) -> list[Path]:
    if not given:
        found = sorted(p.parent for p in SOURCE_DIR.glob(f"*/{REVIEW_FILE}"))
        if not found:
            parser.error(f"no review folders: nothing under {SOURCE_DIR}/ has a {REVIEW_FILE}")
        return found
    for folder in given:
        if not (folder / REVIEW_FILE).is_file():
            parser.error(f"'{folder}' is not a review folder (it has no {REVIEW_FILE})")
    return given


def _check_out(out: Path, reviews: list[Path], command: str, parser: argparse.ArgumentParser) -> None:
    """Refuse an --out that cannot hold outputs, or would write over (or inside) a review folder."""
    if out.exists() and not out.is_dir():
        parser.error(f"--out '{out}' is a file, not a folder")
    existing = next(p for p in (out.absolute(), *out.absolute().parents) if p.exists())
    if not existing.is_dir():
        parser.error(f"--out '{out}' cannot be created: '{existing}' is a file")
    if not os.access(existing, os.W_OK | os.X_OK):
        parser.error(f"--out '{out}' is not writable")
    where = out.resolve()
    for review in reviews:
        folder = review.resolve()
        if where == folder or where.is_relative_to(folder) or folder.is_relative_to(where):
            how = "inside" if where.is_relative_to(folder) and where != folder else \
                "the same as" if where == folder else "a folder that contains"
            rebuild = " (watch would rebuild forever)" if command == "watch" and where != folder else ""
            parser.error(f"--out '{out}' is {how} the review folder '{review}'; its files would be "
                         f"overwritten{rebuild}: choose another --out")


def _check_names(reviews: list[Path], parser: argparse.ArgumentParser) -> list[Path]:
    """The reviews, once each; two different folders of the same name would write one out/<name>."""
    seen: dict[str, Path] = {}
    unique = []
    for review in reviews:
        other = seen.setdefault(review.resolve().name, review)
        if other.resolve() != review.resolve():
            parser.error(f"'{other}' and '{review}' would both be built into --out/{review.resolve().name}; "
                         "build them one at a time with different --out folders, or rename one")
        if other is review:
            unique.append(review)
    return unique


def _job(args: argparse.Namespace, review: Path, reviews: int) -> Job:
    # Cores left over once every review has one render its outputs side by side; `watch`
    # keeps to one process (its file watcher runs threads, which do not mix with fork).
    workers = max(1, args.jobs // reviews) if args.command == "build" else 1
    return Job(command="check" if args.command == "check" else "build", review=review, theme=args.theme,
               strict=args.strict, verbose=args.verbose, out=getattr(args, "out", Path("out")),
               only=getattr(args, "only", ()), paper=getattr(args, "paper", None), workers=workers,
               progress="" if args.command == "check" else progress_mode(args.quiet, reviews))


def run_jobs(jobs: list[Job], workers: int) -> list[JobResult]:
    """Run the jobs, in parallel processes when there are several; results in the given order."""
    if workers == 1 or len(jobs) == 1:
        return [run_job(job) for job in jobs]
    from concurrent.futures import ProcessPoolExecutor  # only here: one review never needs it

    pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)))
    try:
        return list(pool.map(run_job, jobs))
    finally:  # on Ctrl-C too: no review left waiting to start, every process waited for
        pool.shutdown(wait=True, cancel_futures=True)


def _report(results: list[JobResult], quiet: bool) -> int:
    for result in results:
        for line in result.problems:
            print(line, file=sys.stderr)
        if not quiet:
            for line in result.progress:
                print(line, file=sys.stderr)
    warnings = sum(r.warnings for r in results)
    if not quiet and len(results) > 1:
        failed = sum(r.status != EXIT_OK for r in results)
        print(f"{len(results)} reviews: {len(results) - failed} ok, {failed} failed, "
              f"{warnings} warning{'s' if warnings != 1 else ''}", file=sys.stderr)
    return max(r.status for r in results)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; Ctrl-C stops it with status 130 and the outputs as they were."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INTERRUPTED


def _new(args: argparse.Namespace) -> int:
    """`new NAME --from FILE`: import the article, write source/NAME, say what was found and what to add."""
    from pipeline.importers import ImportFailed, import_article, write_review

    folder = SOURCE_DIR / args.name
    try:
        if folder.exists() and not args.force:  # before reading: refused whatever the file holds
            write_review(None, folder)
        imported = import_article(args.article)
        write_review(imported, folder, force=args.force)
    except ImportFailed as error:
        print(error, file=sys.stderr)
        return EXIT_INPUT
    for line in imported.diagnostics:
        print(line, file=sys.stderr)
    if not args.quiet:
        for line in [*imported.notes, *imported.summary(folder), *(f"next: {s}" for s in imported.next_steps)]:
            print(line, file=sys.stderr)
    return EXIT_OK


def _main(argv: list[str] | None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(args)
    reviews = _review_dirs(args.reviews, parser)
    if args.command != "check":
        reviews = _check_names(reviews, parser)
        _check_out(args.out, reviews, args.command, parser)
    jobs = [_job(args, review, len(reviews)) for review in reviews]
    if args.command == "preview":  # imported here: `build` never pays for the HTTP server
        from pipeline.preview import run_preview

        return run_preview(args, jobs)
    status = _report(run_jobs(jobs, args.jobs), args.quiet)
    if args.command == "watch":
        from pipeline.watch import watch

        return watch(jobs, lambda changed: _report([run_job(job) for job in changed], args.quiet))
    return status
