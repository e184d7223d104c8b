"""The command line: arguments → load → build → exit status. No logic of its own.

Exit status: 0 success; 1 the input has errors (nothing half-written);
2 the command line is wrong.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.build import build_review, check_review
from pipeline.diagnostics import Diagnostic, InputError
from pipeline.loader import REVIEW_FILE
from pipeline.render import OUTPUTS, Settings

SOURCE_DIR = Path("source")
EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2; keep its message one line
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m pipeline",
                     description="Render a review article to PDF, HTML, slides and a plain-language summary.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check}")
    for name, text in (("build", "check the reviews, then render their outputs into --out"),
                       ("check", "check the reviews and report problems; write nothing")):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("reviews", nargs="*", type=Path, metavar="REVIEW_DIR",
                             help="review folders (default: every folder under source/ with a review.yaml)")
        command.add_argument("--theme", metavar="NAME", help="use this theme instead of the review's")
        command.add_argument("--strict", action="store_true", help="warnings fail like errors")
        loudness = command.add_mutually_exclusive_group()
        loudness.add_argument("-q", "--quiet", action="store_true", help="print only problems")
        loudness.add_argument("-v", "--verbose", action="store_true", help="print more detail")
        if name == "build":
            command.add_argument("--out", type=Path, default=Path("out"), metavar="DIR",
                                 help="output folder (default: out); each review goes to DIR/<name>/")
            command.add_argument("--only", type=_outputs, default=tuple(OUTPUTS), metavar="LIST",
                                 help=f"comma-separated outputs to build: {','.join(OUTPUTS)} (default: all)")
            command.add_argument("--paper", choices=("a4", "letter"), help="paper size of the PDFs")
    return parser


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


def _print(diagnostics: list[Diagnostic], strict: bool) -> None:
    for d in diagnostics:
        severity = "error" if strict else d.severity
        suffix = " [--strict]" if strict and d.severity == "warning" else ""
        print(f"{d.location}: {severity}: {d.message}{suffix}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    status = EXIT_OK
    for review in _review_dirs(args.reviews, parser):
        status = max(status, _run(args, review))
    return status


def _run(args: argparse.Namespace, review: Path) -> int:
    say = (lambda text: None) if args.quiet else (lambda text: print(text, file=sys.stderr))
    try:
        if args.command == "check":
            _, diagnostics = check_review(review, args.theme)
        else:
            if args.strict:
                _, warnings = check_review(review, args.theme)
                if warnings:
                    raise InputError(warnings)
            result = build_review(review, args.out, args.only, Settings(paper=args.paper), args.theme, say)
            diagnostics = result.diagnostics
            say(f"{review}: wrote {len(result.written)} files to {args.out / result.document.name}")
    except InputError as error:
        _print(list(error.diagnostics), args.strict)
        errors = sum(d.severity == "error" or args.strict for d in error.diagnostics)
        print(f"{review}: {errors} error{'s' if errors != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_INPUT
    _print(diagnostics, args.strict)
    if args.strict and diagnostics:
        return EXIT_INPUT
    if args.command == "check":
        say(f"{review}: ok ({len(diagnostics)} warning{'s' if len(diagnostics) != 1 else ''})")
    return EXIT_OK
