"""Reading a BibTeX file (bibtexparser v2) into the model's Bibliography, with file:line errors."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock

from .errors import BibliographyError
from .model import Bibliography, Entry, SourceLocation
from .resources import read_input, read_text

_VERBATIM = frozenset({"url", "doi", "file", "marker", "keywords"})  # not TeX text
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


@functools.lru_cache(maxsize=1)
def _latex_decoder() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text  # only for values with real TeX commands

    return LatexNodes2Text(math_mode="verbatim")


def bibtex_to_text(value: str) -> str:
    """A BibTeX field value as plain Unicode text: TeX accents, ``--``, quotes and case braces decoded.

    The common cases are decoded here; a value with other TeX commands goes to pylatexenc.
    """
    text = value
    for tex, char in _SIMPLE:
        text = text.replace(tex, char)
    if "\\" in text or "$" in value.replace("\\$", ""):
        text = _latex_decoder().latex_to_text(value)
    else:
        text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


def parse_bibliography(text: str, source: str) -> Bibliography:
    """Parse BibTeX text; raise BibliographyError naming ``source`` and the line of the first problem."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings would be a second, less precise message
    try:
        library = parse_string(text)
    finally:
        logger.setLevel(level)
    for failed in library.failed_blocks:
        line = (failed.start_line or 0) + 1
        if isinstance(failed, DuplicateBlockKeyBlock):
            problem = f"duplicate entry key {failed.key!r}"
        elif isinstance(failed, DuplicateFieldKeyBlock):
            problem = f"an entry repeats a field ({', '.join(sorted(failed.duplicate_keys))})"
        else:
            problem = "malformed BibTeX entry (unbalanced braces or a missing comma?)"
        raise BibliographyError(problem, source, line)
    entries: list[Entry] = []
    markers: dict[str, str] = {}
    for raw in library.entries:
        line = (raw.start_line or 0) + 1
        fields = tuple((f.key.lower(), str(f.value).strip()) for f in raw.fields)
        entry = Entry(
            key=raw.key,
            entry_type=raw.entry_type.lower(),
            fields=fields,
            text_fields=tuple((k, v if k in _VERBATIM else bibtex_to_text(v)) for k, v in fields),
            location=SourceLocation(source, line),
        )
        marker = entry.marker
        if marker is not None:
            if not marker.isdigit():
                raise BibliographyError(
                    f"marker of {entry.key!r} must be a number, not {marker!r}", source, line
                )
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
