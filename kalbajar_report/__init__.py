"""kalbajar_report: the Battle of Kalbajar (1993) as typed data, a PDF briefing and a BibTeX library.

Everything a user may reuse is importable from here::

    from kalbajar_report import load_article
    article = load_article()
    background = article.section("background")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .bibliography import load_bibliography, parse_bibliography
from .bibtex import write_bibtex
from .build import BuildResult, build_briefing
from .errors import (
    BibliographyError,
    ContentError,
    FontCoverageError,
    OutputError,
    ReportError,
    UnknownSectionError,
)
from .model import (
    Article,
    Bibliography,
    BlockQuote,
    Citation,
    Edit,
    Entry,
    Event,
    Fact,
    GlossaryEntry,
    Metadata,
    Paragraph,
    PartialDate,
    Provenance,
    Section,
    Sentence,
    SourceLocation,
)
from .reader import load_article, parse_article


def marker_map() -> dict[str, str]:
    """The source article's reference numbers mapped to BibTeX keys of the shipped library."""
    return load_bibliography().marker_map()


__all__ = [
    "Article",
    "BibliographyError",
    "Bibliography",
    "BlockQuote",
    "BuildResult",
    "Citation",
    "ContentError",
    "Edit",
    "Entry",
    "Event",
    "Fact",
    "FontCoverageError",
    "GlossaryEntry",
    "Metadata",
    "OutputError",
    "Paragraph",
    "PartialDate",
    "Provenance",
    "ReportError",
    "Section",
    "Sentence",
    "SourceLocation",
    "UnknownSectionError",
    "__version__",
    "build_briefing",
    "load_article",
    "load_bibliography",
    "marker_map",
    "parse_article",
    "parse_bibliography",
    "write_bibtex",
]
