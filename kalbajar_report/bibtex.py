"""The BibTeX writer: the model's bibliography written back with bibtexparser v2.

Entries are written with the fields they were read with (macros and ``#`` already resolved by the
reader), so the file reads back with :func:`~kalbajar_report.bibliography.load_bibliography`, BibTeX,
biber and Pandoc. Nothing is added to an entry but the ``extra`` fields a caller passes for a field the
entry lacks (the build dates the briefing's own entry); which sentences cite an entry is in the article,
its notes and the JSON export, not in the user's entries.
"""

from __future__ import annotations

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from .model import Article, Bibliography

# BibTeX values are TeX: these characters need a backslash in text we derive from the article
_TEX_SPECIALS = str.maketrans(
    {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\~{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
)


def tex_escape(text: str) -> str:
    """Plain text made safe as a BibTeX field value."""
    return text.translate(_TEX_SPECIALS)


def bibliography_library(
    bibliography: Bibliography, extra: dict[str, dict[str, str]] | None = None
) -> Library:
    """A bibtexparser Library of the entries, each with its own fields plus the ``extra`` ones it lacks."""
    library = Library()
    for entry in bibliography.entries:
        fields = [Field(k, v) for k, v in entry.fields]
        for name, value in (extra or {}).get(entry.key, {}).items():
            if entry.field(name) is None:
                fields.append(Field(name, value))
        library.add(BibEntry(entry.entry_type, entry.key, fields))
    return library


def _comment(text: str) -> str:
    """``text`` as one comment line: no line break, and no ``@`` (BibTeX would start an entry there)."""
    return "% " + " ".join(text.replace("@", "(at)").split())


def write_bibtex(
    bibliography: Bibliography, article: Article | None = None, extra: dict[str, dict[str, str]] | None = None
) -> str:
    """The bibliography as BibTeX text (bibtexparser's writer), a header comment naming the article first."""
    if article is not None and article.metadata.title.strip():
        header = [_comment(f"Citation library of {article.metadata.title}, written by kalbajar_report.")]
    else:
        header = [_comment("Citation library written by kalbajar_report.")]
    if any(e.marker is not None for e in bibliography.entries):
        header.append(_comment("Field marker: the source article's own reference number for the entry."))
    return "\n".join(header) + "\n\n" + write_string(bibliography_library(bibliography, extra))
