"""The build: article in, briefing PDF (with its .bib attached) and .bib out, written as one set.

Output names come from the article: ``<slug>-briefing.pdf`` and ``<slug>.bib``, where the slug is the
article's ``@slug:`` (or its slugified title), or a name given with :func:`named` (the CLI's ``--name``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, collector
from .bibtex import write_bibtex
from .errors import OutputError, ReportError
from .model import Article, Bibliography
from .output import commit, ensure_dir

if TYPE_CHECKING:
    from .housestyle import CitationStyle
    from .pdf import PdfResult, Typesetter

#: a name of outputs: lower-case letters, digits, ``-``, ``_`` and ``.``, not starting with ``.``
NAME_PATTERN = re.compile(r"[a-z0-9_-][a-z0-9._-]{0,99}")
NAME_RULE = "lower-case letters, digits, '-', '_' and '.' (not first), at most 100 characters"

#: the largest SOURCE_DATE_EPOCH a date can be made of (31 December 9999, 23:59:59 UTC)
MAX_EPOCH = 253_402_300_799


def pdf_name(slug: str) -> str:
    """``kalbajar`` → ``kalbajar-briefing.pdf``."""
    return f"{slug}-briefing.pdf"


def bib_name(slug: str) -> str:
    """``kalbajar`` → ``kalbajar.bib``."""
    return f"{slug}.bib"


def check_name(name: str, what: str = "output name") -> str:
    """``name`` when it can name output files; otherwise an OutputError saying ``what`` is wrong."""
    if not NAME_PATTERN.fullmatch(name):
        raise OutputError(f"{what} {name[:60]!r} must be {NAME_RULE}")
    return name


def named(article: Article, name: str) -> Article:
    """The article with its outputs named ``name`` (``name-briefing.pdf``, ``name.bib``, …)."""
    check_name(name, "--name")
    return dataclasses.replace(article, metadata=dataclasses.replace(article.metadata, slug=name))


def output_slug(article: Article) -> str:
    """The article's slug, checked (an API caller may have built Metadata by hand)."""
    return check_name(article.metadata.slug, "the article's slug")


def build_date() -> dt.date:
    """The printed date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC).

    A value that is not a whole number of seconds from 0 to :data:`MAX_EPOCH` is the user's error."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "")
    epoch = raw.strip()
    if not epoch:
        return dt.datetime.now(tz=dt.UTC).date()
    if not (epoch.isascii() and epoch.isdigit() and len(epoch) <= 12 and int(epoch) <= MAX_EPOCH):
        raise ReportError(
            f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a whole number of seconds since 1970 (0 to {MAX_EPOCH})"
        )
    return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()


def date_text(day: dt.date) -> str:
    """``23 November 2026``."""
    return f"{day.day} {day:%B %Y}"


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and the facts of the layout (for callers and tests)."""

    pdf: Path
    bib: Path
    pages: int
    occurrence_pages: dict[str, int]
    occurrence_keys: dict[str, str]


def briefing_extra(article: Article, day: dt.date) -> dict[str, dict[str, str]]:
    """The fields the build gives the briefing's own entry: its date (``year``, ``date``)."""
    if not article.metadata.briefing_key:
        return {}
    return {article.metadata.briefing_key: {"year": str(day.year), "date": day.isoformat()}}


def briefing_bibtex(article: Article, day: dt.date) -> str:
    """The .bib of a briefing: the article's entries, the briefing's own entry dated with the build."""
    return write_bibtex(article.bibliography, article, briefing_extra(article, day))


def dated_bibliography(article: Article, day: dt.date) -> Bibliography:
    """The article's bibliography with the briefing's own entry dated with the build, as the .bib has it
    (for the CSL-JSON and RIS exports); an entry's own fields win."""
    entries = []
    for entry in article.bibliography.entries:
        added = [
            (k, v)
            for k, v in briefing_extra(article, day).get(entry.key, {}).items()
            if entry.field(k) is None
        ]
        if added:  # the values (digits, an ISO date) are the same as BibTeX and as text
            entry = dataclasses.replace(
                entry, fields=entry.fields + tuple(added), text_fields=entry.text_fields + tuple(added)
            )
        entries.append(entry)
    return Bibliography(tuple(entries), article.bibliography.source)


def render_briefing(
    article: Article,
    day: dt.date,
    *,
    paper: str = "a4",
    typesetter: Typesetter | None = None,
    style: CitationStyle | None = None,
) -> tuple[dict[str, bytes], PdfResult]:
    """The briefing's files in memory (``<slug>-briefing.pdf``, ``<slug>.bib``) and the PDF's layout;
    ``style`` sets the notes and the references list (default: the house style)."""
    with collector.paused():  # see kalbajar_report.collector
        return _render_briefing(article, day, paper, typesetter, style)


def _render_briefing(
    article: Article, day: dt.date, paper: str, typesetter: Typesetter | None, style: CitationStyle | None
) -> tuple[dict[str, bytes], PdfResult]:
    from .housestyle import HOUSE_STYLE
    from .pdf import Attachment, render_pdf

    slug = output_slug(article)
    bib_text = briefing_bibtex(article, day).encode("utf-8")
    bib_file = Attachment(
        bib_name(slug), bib_text, "text/x-bibtex", "The briefing's citation library (BibTeX)"
    )
    result = render_pdf(
        article,
        paper=paper,
        date_text=date_text(day),
        tool=f"kalbajar_report {__version__}",
        attachments=(bib_file,),
        typesetter=typesetter,
        bib_name=bib_name(slug),
        style=style or HOUSE_STYLE,
    )
    return {pdf_name(slug): result.data, bib_name(slug): bib_text}, result


def build_briefing(
    article: Article,
    out_dir: Path | str = "build",
    *,
    paper: str = "a4",
    create_dir: bool = True,
    typesetter: Typesetter | None = None,
    style: CitationStyle | None = None,
) -> BuildResult:
    """Typeset the briefing and write ``<slug>-briefing.pdf`` and ``<slug>.bib`` into ``out_dir``
    (``slug`` is ``article.metadata.slug``; rename the outputs with :func:`named`).

    Both files are rendered before either is written, then replace the previous ones together.
    Pass the same :class:`~kalbajar_report.pdf.Typesetter` to repeated builds in one process (a watch
    loop) to reuse what the last build parsed and broke into lines; the bytes are the same either way.
    ``style`` sets the notes and the references list: the house style (default) or a
    :class:`~kalbajar_report.cslstyle.CslStyle` (``CslStyle.load("apa")``)."""
    folder = ensure_dir(Path(out_dir), create=create_dir)
    files, result = render_briefing(article, build_date(), paper=paper, typesetter=typesetter, style=style)
    pdf_path, bib_path = commit(folder, files)
    return BuildResult(pdf_path, bib_path, result.pages, result.occurrence_pages, result.occurrence_keys)


def build_outputs(
    article: Article,
    out_dir: Path | str,
    formats: Iterable[str],
    *,
    paper: str = "a4",
    templates: Path | str | None = None,
    create_dir: bool = True,
    typesetter: Typesetter | None = None,
    style: CitationStyle | None = None,
) -> list[Path]:
    """Write the outputs of several formats (``pdf`` and the keys of ``exports.FORMATS``) as one set.

    Everything is rendered in memory first; only then are the files written, all or none, replacing
    the previous ones together (see :func:`kalbajar_report.output.commit`). Returns the paths written.
    ``style`` sets the notes and references of the PDF and the HTML (default: the house style);
    ``paper`` (``a4`` or ``letter``) the paper of the PDF and of the LaTeX document.
    """
    wanted = list(dict.fromkeys(formats))
    folder = ensure_dir(Path(out_dir), create=create_dir)
    day = build_date()
    files: dict[str, bytes] = {}
    if "pdf" in wanted:
        files.update(render_briefing(article, day, paper=paper, typesetter=typesetter, style=style)[0])
    text_formats = [fmt for fmt in wanted if fmt != "pdf"]
    if text_formats:
        from .exports import render_export  # jinja2 and friends only when a text format is asked for

        for fmt in text_formats:
            files.update(render_export(article, fmt, templates=templates, day=day, style=style, paper=paper))
    return commit(folder, files)
