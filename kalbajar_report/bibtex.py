"""The BibTeX writer: the model's bibliography written back with bibtexparser v2, plus derived fields."""

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


def supported_claims(article: Article) -> dict[str, list[str]]:
    """For each entry key, the sentences it is cited for, in reading order."""
    claims: dict[str, list[str]] = {}
    for sentence in article.sentences():
        for cite in sentence.citations:
            claims.setdefault(cite.key, [])
            if sentence.text not in claims[cite.key]:
                claims[cite.key].append(sentence.text)
    return claims


def bibliography_library(
    bibliography: Bibliography, article: Article | None = None, extra: dict[str, dict[str, str]] | None = None
) -> Library:
    """A bibtexparser Library of the entries; with ``article``, numbered entries gain an ``addendum``
    naming the claims they support (derived, never stored twice)."""
    claims = supported_claims(article) if article is not None else {}
    library = Library()
    for entry in bibliography.entries:
        fields = [Field(k, v) for k, v in entry.fields]
        if entry.group == "numbered" and claims.get(entry.key):
            quoted = "; ".join(f"``{tex_escape(c)}''" for c in claims[entry.key])
            fields.append(Field("addendum", f"Cited in the article for: {quoted}"))
        for name, value in (extra or {}).get(entry.key, {}).items():
            if entry.field(name) is None:
                fields.append(Field(name, value))
        library.add(BibEntry(entry.entry_type, entry.key, fields))
    return library


def write_bibtex(
    bibliography: Bibliography, article: Article | None = None, extra: dict[str, dict[str, str]] | None = None
) -> str:
    """The bibliography as BibTeX text (bibtexparser's writer), header comment first."""
    header = "% Citation library of the Battle of Kalbajar briefing, written by kalbajar_report.\n"
    header += (
        "% Numbered entries: the source article's reference numbers (field marker); nothing is invented.\n\n"
    )
    return header + write_string(bibliography_library(bibliography, article, extra))
