"""Reading a BibTeX file (bibtexparser v2) into the model's Bibliography, with file:line errors.

BibTeX is read as BibTeX reads it: field values are braced ``{…}`` or quoted ``"…"`` strings, numbers and
``@string`` macros (the month macros ``jan`` … ``dec`` predefined as ``January`` … ``December``, as in
BibTeX's standard styles), joined by ``#``. An undefined macro, unbalanced braces (counted as BibTeX counts
them, ``\\{`` included), a control character, a URL that is not absolute http(s), a DOI that is not one,
an unusable person name or an entry key that LaTeX or Pandoc cannot cite is an error naming the file and
the line.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from pathlib import Path
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, ParsingFailedBlock, String
from bibtexparser.model import Entry as BibEntry

from .errors import BibliographyError
from .links import url_problem
from .model import Bibliography, Entry, SourceLocation
from .resources import read_input, read_text

#: fields holding a link: each must be an absolute http(s) URL (links.url_problem)
URL_FIELDS = ("url", "urlraw", "archiveurl", "archive-url", "archive_url", "urladdress")
#: fields whose value is not TeX text (kept verbatim in ``Entry.text``)
VERBATIM_FIELDS = frozenset(
    {"doi", "eprint", "file", "pdf", "marker", "keywords", "verba", "verbb", "verbc", *URL_FIELDS}
)
#: fields holding BibTeX person lists ("First von Last and von Last, Jr, First and …")
NAME_FIELDS = (
    "author",
    "editor",
    "translator",
    "bookauthor",
    "editora",
    "editorb",
    "editorc",
    "annotator",
    "commentator",
    "introduction",
    "foreword",
    "afterword",
    "holder",
)
#: BibTeX's standard styles define these macros (plain.bst: ``MACRO {jan} {"January"}`` …)
MONTH_MACROS = {
    name[:3].lower(): name
    for name in (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    )
}

#: an entry key LaTeX (``\\cite``, pdfLaTeX included) and Pandoc (``[@key]``, ``@{key}``) can both read
_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:./-]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_IDENTIFIER = re.compile(r"[^\s\"#%'(),={}]+")
_DOI = re.compile(r"^10\.[0-9]+(?:\.[0-9]+)*/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_MARKER = re.compile(r"^[0-9]+$")

_SIMPLE = (
    ("---", "—"),
    ("--", "–"),
    ("``", "“"),
    ("''", "”"),
    ("~", "\u00a0"),
    ("\\&", "&"),
    ("\\_", "_"),
    ("\\%", "%"),
    ("\\$", "$"),
    ("\\#", "#"),
)
#: a character of every replacement above, of a TeX command, of math or of a brace: text without one is plain
_TEX_MARKUP = re.compile(r"[-`'~\\${}]")
_BARE_PERCENT = re.compile(r"(?<!\\)%")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)")


class _ValueError(Exception):
    """A field value that is not valid BibTeX (the message says why)."""


# --- TeX in field values → plain text -------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _latex_decoder() -> tuple[Any, Any]:
    """pylatexenc's decoder and parser context, with macros a .bib holds that its defaults mishandle.

    ``\\href{url}{text}`` gives its text and ``\\url{u}`` the URL (the defaults crash on the first and add
    angle brackets to the second); ``\\input``/``\\include`` give nothing, with or without an argument.
    """
    from pylatexenc import latexwalker, macrospec  # only for values with real TeX commands
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    def arg(number: int) -> Any:
        def text(node: Any, l2tobj: Any) -> str:
            args = node.nodeargd.argnlist if node.nodeargd is not None else []
            if len(args) > number and args[number] is not None:
                return str(l2tobj.nodelist_to_text([args[number]]))
            return ""

        return text

    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "kalbajar-bib",
        prepend=True,
        macros=[
            macrospec.std_macro("href", False, 2),
            macrospec.std_macro("url", False, 1),
            macrospec.MacroSpec("input", ""),
            macrospec.MacroSpec("include", ""),
        ],
    )
    text_db = get_default_latex_context_db()
    text_db.add_context_category(
        "kalbajar-bib",
        prepend=True,
        macros=[
            MacroTextSpec("href", simplify_repl=arg(1)),
            MacroTextSpec("url", simplify_repl=arg(0)),
            MacroTextSpec("input", discard=True),
            MacroTextSpec("include", discard=True),
        ],
    )
    return LatexNodes2Text(latex_context=text_db, math_mode="verbatim"), walker_db


def _plain_fallback(value: str) -> str:
    """Malformed TeX as text: the simple replacements, commands removed, braces stripped."""
    text = value
    for tex, char in _SIMPLE:
        text = text.replace(tex, char)
    text = _COMMAND.sub(lambda m: m.group() if m.group() in {"\\&", "\\%"} else "", text)
    return text.replace("{", "").replace("}", "")


def bibtex_to_text(value: str) -> str:
    """A BibTeX field value as plain Unicode text: TeX accents, ``--``, quotes and case braces decoded.

    The common cases are decoded here; a value with other TeX commands goes to pylatexenc. Decoding never
    fails: TeX pylatexenc cannot read falls back to the text with commands and braces removed.
    """
    if not _TEX_MARKUP.search(value):  # most values: nothing to decode, at C speed
        return " ".join(value.split())
    text = value
    for tex, char in _SIMPLE:
        text = text.replace(tex, char)
    if "\\" in text or "$" in value.replace("\\$", ""):
        decoder, context = _latex_decoder()
        try:
            # a bare % is a character in BibTeX, not the start of a TeX comment
            text = str(decoder.latex_to_text(_BARE_PERCENT.sub(r"\\%", value), latex_context=context))
        except Exception:
            text = _plain_fallback(value)
    else:
        text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


# --- BibTeX values: strings, numbers, macros, # ----------------------------------------------------------
def _braced_end(raw: str, start: int) -> int:
    """The index after the brace closing the one at ``start`` (BibTeX counts every brace)."""
    depth = 0
    for i in range(start, len(raw)):
        if raw[i] == "{":
            depth += 1
        elif raw[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    raise _ValueError("has unbalanced braces ({ without })")


def _quoted_end(raw: str, start: int) -> int:
    """The index after the quote closing the one at ``start`` (quotes inside braces do not count)."""
    depth = 0
    for i in range(start + 1, len(raw)):
        ch = raw[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                raise _ValueError("has unbalanced braces (} without {)")
        elif ch == '"' and depth == 0:
            return i + 1
    if depth:
        raise _ValueError("has unbalanced braces ({ without })")
    raise _ValueError('has a " without its closing "')


def evaluate_value(raw: str, macros: dict[str, str]) -> str:
    """The text of a BibTeX value: ``{…}``, ``"…"``, numbers and macros joined by ``#``.

    ``macros`` maps lower-case macro names to their text. Raises _ValueError with the problem.
    """
    raw = raw.strip()
    if not raw:
        raise _ValueError("has no value")
    if raw.count("{") != raw.count("}"):
        raise _ValueError("has unbalanced braces (BibTeX counts \\{ and \\} too)")
    out: list[str] = []
    i = 0
    while True:
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw):
            raise _ValueError("ends with # and nothing after it")
        ch = raw[i]
        if ch == "{":
            end = _braced_end(raw, i)
            out.append(raw[i + 1 : end - 1])
        elif ch == '"':
            end = _quoted_end(raw, i)
            out.append(raw[i + 1 : end - 1])
        else:
            match = _IDENTIFIER.match(raw, i)
            if match is None:
                raise _ValueError(f"has {ch!r} where a value, a number or a @string name belongs")
            end = match.end()
            word = match.group()
            if word.isdigit():
                out.append(word)
            elif word.lower() in macros:
                out.append(macros[word.lower()])
            else:
                raise _ValueError(f"uses {word!r}, which is not a number nor a defined @string")
        i = end
        while i < len(raw) and raw[i].isspace():
            i += 1
        if i >= len(raw):
            break
        if raw[i] != "#":
            raise _ValueError(f"has {raw[i]!r} after a value where only # may join another")
        i += 1
    text = "".join(out)
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            raise _ValueError("has unbalanced braces (} without {)")
    if depth:
        raise _ValueError("has unbalanced braces ({ without })")
    return text


# --- checks ------------------------------------------------------------------------------------------
def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an entry key that LaTeX and Pandoc can cite, or None."""
    if not key:
        return "entry has no key"
    if not _KEY.match(key):
        return (
            f"entry key {key!r} has characters LaTeX and Pandoc cannot read; "
            "use ASCII letters, digits and - _ : . /"
        )
    return None


def doi_problem(doi: str) -> str | None:
    """Why ``doi`` is not a DOI (``10.prefix/suffix``, optionally as a doi.org link), or None."""
    bare = _DOI_PREFIX.sub("", doi.strip())
    if not _DOI.match(bare):
        return "is not a DOI (10.<prefix>/<suffix>)"
    return None


def bare_doi(doi: str) -> str:
    """The DOI without a ``https://doi.org/`` or ``doi:`` prefix."""
    return _DOI_PREFIX.sub("", doi.strip())


def names_problem(value: str) -> str | None:
    """Why a BibTeX person list cannot be read as names (BibTeX's own rules), or None."""
    try:
        for name in split_multiple_persons_names(value):
            parse_single_name_into_parts(name, strict=True)
    except InvalidNameError as exc:
        return f"cannot be read as names ({exc.reason.lower()} in {exc.name!r})"
    return None


def _line(start: int | None, text: str = "", offset: int = 0) -> int:
    return (start or 0) + 1 + text[:offset].count("\n")


def _failed_block_problem(failed: Any) -> str:
    if isinstance(failed, DuplicateBlockKeyBlock):
        return f"duplicate entry key {failed.key!r}"
    if isinstance(failed, DuplicateFieldKeyBlock):
        return f"an entry repeats a field ({', '.join(sorted(failed.duplicate_keys))})"
    return "malformed BibTeX entry (unbalanced braces or a missing comma?)"


def _split(text: str) -> Library:
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings would be a second, less precise message
    try:
        return parse_string(text, parse_stack=[])  # raw values: macros and # are resolved below
    finally:
        logger.setLevel(level)


def _entry(raw: BibEntry, macros: dict[str, str], source: str) -> Entry:
    line = _line(raw.start_line)
    problem = key_problem(raw.key.strip())
    if problem:
        raise BibliographyError(problem, source, line)
    fields: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for f in raw.fields:
        name = f.key.lower()
        field_line = _line(f.start_line) if f.start_line is not None else line
        if name in seen:
            raise BibliographyError(
                f"entry {raw.key!r} repeats the field {name!r} (first on line {seen[name]})",
                source,
                field_line,
            )
        seen[name] = field_line
        try:
            value = evaluate_value(str(f.value), macros).strip()
        except _ValueError as exc:
            raise BibliographyError(f"field {name!r} of {raw.key!r} {exc}", source, field_line) from None
        problem = _field_problem(name, value)
        if problem:
            raise BibliographyError(f"field {name!r} of {raw.key!r} {problem}", source, field_line)
        fields.append((name, value))
    return Entry(
        key=raw.key.strip(),
        entry_type=raw.entry_type.lower(),
        fields=tuple(fields),
        text_fields=tuple((k, v if k in VERBATIM_FIELDS else bibtex_to_text(v)) for k, v in fields),
        location=SourceLocation(source, line),
    )


def _field_problem(name: str, value: str) -> str | None:
    if name in URL_FIELDS:
        problem = url_problem(value)
        return f"is not a usable link: the URL {problem}" if problem else None
    if name == "doi":
        return doi_problem(value)
    if name in NAME_FIELDS:
        return names_problem(value)
    if name == "marker" and not _MARKER.match(value):
        return f"must be a number, not {value!r}"
    return None


def parse_bibliography(text: str, source: str) -> Bibliography:
    """Parse BibTeX text; raise BibliographyError naming ``source`` and the line of the first problem."""
    control = _CONTROL.search(text)
    if control:
        code = f"U+{ord(control.group()):04X}"
        name = unicodedata.name(control.group(), "control character")
        raise BibliographyError(
            f"holds a control character ({code} {name})", source, _line(0, text, control.start())
        )
    library = _split(text)
    blocks = sorted(
        [*library.blocks, *library.failed_blocks],
        key=lambda b: b.start_line if b.start_line is not None else 0,
    )
    macros = dict(MONTH_MACROS)
    entries: list[Entry] = []
    keys: dict[str, tuple[str, int]] = {}
    markers: dict[str, str] = {}
    for block in blocks:
        line = _line(block.start_line)
        if isinstance(block, ParsingFailedBlock):
            raise BibliographyError(_failed_block_problem(block), source, line)
        if isinstance(block, String):
            try:
                macros[block.key.lower()] = evaluate_value(str(block.value), macros)
            except _ValueError as exc:
                raise BibliographyError(f"@string {block.key!r} {exc}", source, line) from None
            continue
        if not isinstance(block, BibEntry):
            continue  # @comment, @preamble and text between entries
        entry = _entry(block, macros, source)
        folded = entry.key.lower()
        if folded in keys:
            other, other_line = keys[folded]
            raise BibliographyError(
                f"entry key {entry.key!r} differs from {other!r} (line {other_line}) only in case; "
                "BibTeX reads them as one key",
                source,
                line,
            )
        keys[folded] = (entry.key, line)
        marker = entry.marker
        if marker is not None:
            if marker in markers:
                raise BibliographyError(
                    f"marker {marker} is claimed by both {markers[marker]!r} and {entry.key!r}", source, line
                )
            markers[marker] = entry.key
        entries.append(entry)
    return Bibliography(tuple(entries), source)


def load_bibliography(path: str | Path | None = None) -> Bibliography:
    """Read a .bib file (default: the library shipped with the package) into a Bibliography."""
    if path is None:
        text, name = read_text("references", "kalbajar.bib")
    else:
        name = str(path)
        text = read_input(Path(path), BibliographyError)
    return _parse_cached(text, name)


# A rebuild in the same process with an unchanged file reuses the parsed (immutable) bibliography.
_parse_cached = functools.lru_cache(maxsize=8)(parse_bibliography)
