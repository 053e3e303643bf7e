"""The BibTeX writer: the model's bibliography written back with bibtexparser v2.

Entries are written with the fields they were read with (macros and ``#`` already resolved by the
reader), so the file reads back with :func:`~kalbajar_report.bibliography.load_bibliography`, BibTeX,
biber and Pandoc. Nothing is added to an entry but the ``extra`` fields a caller passes for a field the
entry lacks (the build dates the briefing's own entry); which sentences cite an entry is in the article,
its notes and the JSON export, not in the user's entries. Two things are written differently from how
they were read, for the programs that read the file:

- titles are case-protected as biblatex's documentation advises (:func:`protect_case`), so that a style
  that changes a title's case (BibTeX's ``plain``, pybtex's ``unsrt``, biblatex's sentence case) keeps
  "Battle of Kalbajar" as it is; the text the briefing prints is unchanged;
- the ``marker`` field, which biblatex's data model does not know (biber warns of it), is written as
  ``usera``, biblatex's custom field that no standard style prints; our reader reads either.
"""

from __future__ import annotations

import re

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.model import Entry as BibEntry
from bibtexparser.model import Field

from .model import Article, Bibliography, Entry

# BibTeX values are TeX: these characters need a backslash in text we derive from the article
_TEX_SPECIALS = {c: "\\" + c for c in "&%$#_{}"} | {"~": r"\~{}", "^": r"\^{}", "\\": r"\textbackslash{}"}
_TEX_SPECIAL = re.compile(r"[&%$#_{}~^\\]")


def tex_escape(text: str) -> str:
    """Plain text made safe as a BibTeX field value (every special replaced at once, so that the braces of
    ``\\textbackslash{}`` stay braces)."""
    if _TEX_SPECIAL.search(text) is None:
        return text
    return _TEX_SPECIAL.sub(lambda m: _TEX_SPECIALS[m.group()], text)


#: fields a style may change the case of (BibTeX's ``change.case$``, biblatex's ``\\MakeSentenceCase``)
CASED_FIELDS = frozenset(
    {"title", "subtitle", "titleaddon", "shorttitle", "booktitle", "booksubtitle", "maintitle",
     "mainsubtitle", "eventtitle", "origtitle", "issuetitle", "series"}
)  # fmt: skip
# a word's leading and trailing punctuation, which stays outside its braces
_WORD = re.compile(r"^([(\[“‘\"'`]*)(.*?)([,.:;!?)\]”’\"']*)$", re.S)


def protect_case(value: str) -> str:
    """A title's BibTeX value with the words a case-changing style must keep braced: every word after the
    first with a capital letter, and a first word with a capital anywhere but the value's first character
    (``UN``, ``McDonald``, ``[Interview``); runs of such words share one pair of braces
    (``{Gurgen Dalibaltayan}``). A value that holds braces (already protected by its author), a TeX
    command or math is left as it is."""
    if any(c in value for c in "{}\\$"):
        return value
    parts = re.split(r"(\s+)", value)
    words = [_WORD.match(w) for w in parts[0::2]]
    out: list[str] = []
    open_group = False
    for i, match in enumerate(words):
        assert match is not None  # the pattern matches any text
        lead, core, trail = match.groups()
        capitals = [c.isupper() for c in core]
        # a style keeps only the value's very first character as it is
        protect = any(capitals[1:]) or ((i > 0 or bool(lead)) and any(capitals))
        if i:
            out.append(parts[2 * i - 1])
        piece = ""
        if protect and not (open_group and not lead):
            if open_group:
                piece += "}"
            piece += lead + "{" + core
            open_group = True
        elif protect:
            piece += core
        else:
            if open_group:
                out[-1:-1] = ["}"]  # the brace closes before the space
                open_group = False
            piece += lead + core
        if open_group and trail:
            piece += "}"
            open_group = False
        out.append(piece + trail)
    if open_group:
        out.append("}")
    return "".join(out)


def written_fields(entry: Entry) -> list[tuple[str, str]]:
    """An entry's fields as the writer writes them: titles case-protected, ``marker`` as ``usera``."""
    names = {k for k, _ in entry.fields}
    fields = []
    for name, value in entry.fields:
        if name in CASED_FIELDS:
            value = protect_case(value)
        if name == "marker" and "usera" not in names:
            name = "usera"
        fields.append((name, value))
    return fields


def bibliography_library(
    bibliography: Bibliography, extra: dict[str, dict[str, str]] | None = None
) -> Library:
    """A bibtexparser Library of the entries, each with its own fields plus the ``extra`` ones it lacks."""
    library = Library()
    for entry in bibliography.entries:
        fields = [Field(k, v) for k, v in written_fields(entry)]
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
        header.append(_comment("Field usera: the source article's own reference number for the entry."))
    return "\n".join(header) + "\n\n" + write_string(bibliography_library(bibliography, extra))
