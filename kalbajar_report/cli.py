"""The command line: parse arguments, call the library, print what was written, map errors to exit codes."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import ReportError

EXPORT_FORMATS = ("bib", "md", "latex", "html", "json", "csl", "ris")
FORMAT_CHOICES = ("pdf", *EXPORT_FORMATS, "all")


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``kalbajar-report`` / ``python -m kalbajar_report``."""
    p = argparse.ArgumentParser(
        prog="kalbajar-report",
        description="Build the Battle of Kalbajar briefing (PDF) and its BibTeX library.",
    )
    p.add_argument("-o", "--output-dir", default="build", help="where to write the outputs (default: build)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    p.add_argument("--content", metavar="FILE", help="your own .article file (default: the Kalbajar article)")
    p.add_argument("--bib", metavar="FILE", help="your own .bib file (default: the shipped library)")
    p.add_argument(
        "--section",
        metavar="ID",
        action="append",
        default=[],
        help="build only this section (repeatable); the excerpt carries only its references",
    )
    p.add_argument(
        "--format",
        metavar="FMT",
        dest="formats",
        action="append",
        choices=FORMAT_CHOICES,
        help=f"what to write (repeatable): {', '.join(FORMAT_CHOICES)} (default: pdf and bib)",
    )
    p.add_argument(
        "--templates",
        metavar="DIR",
        help="a folder of templates (*.j2) that replace the shipped ones of the same name",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def run(args: argparse.Namespace) -> list[str]:
    """Do the work of one invocation; returns the paths written."""
    from .build import build_briefing
    from .output import ensure_dir
    from .reader import load_article

    formats = set(args.formats or ("pdf", "bib"))
    if "all" in formats:
        formats = {"pdf", *EXPORT_FORMATS}
    ensure_dir(Path(args.output_dir))
    article = load_article(args.content, args.bib)
    if args.section:
        article = article.excerpt(args.section)
    written: list[str] = []
    if "pdf" in formats:
        result = build_briefing(article, args.output_dir, paper=args.paper)
        written += [str(result.pdf), str(result.bib)]
        formats.discard("bib")  # the PDF build writes the .bib (and attaches it)
    for fmt in EXPORT_FORMATS:
        if fmt in formats:
            from .exports import export  # jinja2 and friends only when a text format is asked for

            written += [str(p) for p in export(article, fmt, args.output_dir, templates=args.templates)]
    return list(dict.fromkeys(written))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 internal error, 2 a problem with the input)."""
    args = parser().parse_args(argv)
    try:
        written = run(args)
    except ReportError as exc:
        if args.debug:
            raise
        print(f"kalbajar-report: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kalbajar-report: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            raise
        hint = "rerun with --debug for details"
        print(f"kalbajar-report: internal error: {type(exc).__name__}: {exc} ({hint})", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def process_main() -> int:
    """The entry point of a ``kalbajar-report`` or ``python -m kalbajar_report`` process.

    A one-shot build makes many short-lived objects, some in reference cycles (ReportLab's). In a process
    of our own, the cyclic collector runs less often during the build and does not sweep the whole heap
    once more at exit (``gc.freeze``): about 30 ms of a cold build. :func:`main`, called from Python,
    leaves the collector as it finds it.
    """
    gc.set_threshold(100_000, 50, 100)
    try:
        return main()
    finally:
        gc.freeze()  # the process ends now: nothing left to reclaim is worth a full collection
