"""kalbajar_report: an article as typed data, a PDF briefing and a BibTeX library (the Battle of Kalbajar
(1993) ships with it; your own ``.article`` or a Wikipedia article's wikitext are read the same way).

Everything a user may reuse is importable from here::

    from kalbajar_report import load_article
    article = load_article()
    background = article.section("background")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from .bibliography import load_bibliography, parse_bibliography
from .bibtex import write_bibtex
from .build import BuildResult, build_briefing, build_outputs, named
from .errors import (
    BibliographyError,
    ContentError,
    FontCoverageError,
    MissingExtraError,
    OutputError,
    PageLayoutError,
    ReportError,
    StyleError,
    TemplateError,
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
    ExplanatoryNote,
    Fact,
    GlossaryEntry,
    ListBlock,
    ListItem,
    Metadata,
    Paragraph,
    PartialDate,
    Provenance,
    Section,
    Sentence,
    SourceLocation,
    Span,
)
from .notes import Note, NoteTable
from .reader import load_article, parse_article

if TYPE_CHECKING:
    from .exports import (
        FORMATS,
        export,
        to_csl_json,
        to_html,
        to_json,
        to_latex,
        to_markdown,
        to_ris,
        to_typst,
    )

# The text exports need jinja2 and friends; a PDF build does not, so they load on first use.
_LAZY_EXPORTS = (
    "FORMATS",
    "export",
    "to_csl_json",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_ris",
    "to_typst",
)


def __getattr__(name: str) -> Any:
    if name in _LAZY_EXPORTS:
        from . import exports

        return getattr(exports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def marker_map() -> dict[str, str]:
    """The source article's reference numbers mapped to BibTeX keys of the shipped library."""
    return load_bibliography().marker_map()


def note_map(article: Article) -> dict[str, str]:
    """Every numbered note's label mapped to the key of the entry it cites: ``{"1": "de-waal-2003-black",
    …}`` for an article read from wikitext (Wikipedia's note numbers), the marker map for ours."""
    return {n.label: n.key for n in NoteTable.of(article).notes if n.kind == "numbered"}


__all__ = [
    "FORMATS",
    "Article",
    "Bibliography",
    "BibliographyError",
    "BlockQuote",
    "BuildResult",
    "Citation",
    "ContentError",
    "Edit",
    "Entry",
    "Event",
    "ExplanatoryNote",
    "Fact",
    "FontCoverageError",
    "GlossaryEntry",
    "ListBlock",
    "ListItem",
    "Metadata",
    "MissingExtraError",
    "Note",
    "NoteTable",
    "OutputError",
    "PageLayoutError",
    "Paragraph",
    "PartialDate",
    "Provenance",
    "ReportError",
    "Section",
    "Sentence",
    "SourceLocation",
    "Span",
    "StyleError",
    "TemplateError",
    "UnknownSectionError",
    "__version__",
    "build_briefing",
    "build_outputs",
    "export",
    "load_article",
    "load_bibliography",
    "marker_map",
    "named",
    "note_map",
    "parse_article",
    "parse_bibliography",
    "to_csl_json",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_ris",
    "to_typst",
    "write_bibtex",
]
