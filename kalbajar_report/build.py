"""The build: article in, briefing PDF (with its .bib attached) and .bib out, written atomically."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .bibtex import write_bibtex
from .model import Article
from .output import ensure_dir, write_atomic

if TYPE_CHECKING:
    from .pdf import Typesetter

PDF_NAME = "kalbajar-briefing.pdf"
BIB_NAME = "kalbajar.bib"


def build_date() -> dt.date:
    """The printed date: SOURCE_DATE_EPOCH when set (reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


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


def briefing_bibtex(article: Article, day: dt.date) -> str:
    """The .bib of a briefing: the article's entries, the briefing's own entry dated with the build."""
    extra: dict[str, dict[str, str]] = {}
    if article.metadata.briefing_key:
        extra[article.metadata.briefing_key] = {"year": str(day.year), "date": day.isoformat()}
    return write_bibtex(article.bibliography, article, extra)


def build_briefing(
    article: Article,
    out_dir: Path | str = "build",
    *,
    paper: str = "a4",
    create_dir: bool = True,
    typesetter: Typesetter | None = None,
) -> BuildResult:
    """Typeset the briefing and write ``kalbajar-briefing.pdf`` and ``kalbajar.bib`` into ``out_dir``.

    Pass the same :class:`~kalbajar_report.pdf.Typesetter` to repeated builds in one process (a watch
    loop) to reuse what the last build parsed and broke into lines; the bytes are the same either way."""
    from .pdf import Attachment, render_pdf

    folder = ensure_dir(Path(out_dir), create=create_dir)
    day = build_date()
    bib_text = briefing_bibtex(article, day).encode("utf-8")
    bib_file = Attachment(BIB_NAME, bib_text, "text/x-bibtex", "The briefing's citation library (BibTeX)")
    result = render_pdf(
        article,
        paper=paper,
        date_text=date_text(day),
        tool=f"kalbajar_report {__version__}",
        attachments=(bib_file,),
        typesetter=typesetter,
    )
    bib_path = write_atomic(folder / BIB_NAME, bib_text)
    pdf_path = write_atomic(folder / PDF_NAME, result.data)
    return BuildResult(pdf_path, bib_path, result.pages, result.occurrence_pages, result.occurrence_keys)
