"""The command line: parse arguments, call the library, print what was written, map errors to exit codes."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from collections.abc import Sequence

from . import __version__
from .errors import ReportError


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``kalbajar-report`` / ``python -m kalbajar_report``."""
    p = argparse.ArgumentParser(
        prog="kalbajar-report",
        description="Build the Battle of Kalbajar briefing (PDF) and its BibTeX library.",
    )
    p.add_argument("-o", "--output-dir", default="build", help="where to write the outputs (default: build)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    p.add_argument("--content", metavar="FILE", help="your own .article content file (default: the Kalbajar article)")
    p.add_argument("--bib", metavar="FILE", help="your own .bib file (default: the shipped library)")
    p.add_argument("--section", metavar="ID", action="append", default=[],
                   help="build only this section (repeatable); the excerpt carries only its references")
    p.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def run(args: argparse.Namespace) -> list[str]:
    """Do the work of one invocation; returns the paths written."""
    from .build import build_briefing
    from .output import ensure_dir
    from .reader import load_article

    ensure_dir(Path(args.output_dir))
    article = load_article(args.content, args.bib)
    if args.section:
        article = article.excerpt(args.section)
    result = build_briefing(article, args.output_dir, paper=args.paper)
    return [str(result.pdf), str(result.bib)]


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
        print(f"kalbajar-report: internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
              file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0
