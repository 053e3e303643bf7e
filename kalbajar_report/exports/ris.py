"""The RIS writer: the bibliography as RIS records (for EndNote, Zotero, Mendeley).

Only the fields an entry has are mapped; nothing is guessed or invented.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from ..model import Bibliography, Entry
from ..names import split_names
from .templating import environment, render

TEMPLATE = "bibliography.ris.j2"

# BibTeX entry type → RIS reference type
RIS_TYPES = {
    "article": "JOUR",
    "book": "BOOK",
    "booklet": "PAMP",
    "inbook": "CHAP",
    "incollection": "CHAP",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "manual": "RPRT",
    "mastersthesis": "THES",
    "phdthesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "unpublished": "UNPB",
    "online": "ELEC",
    "misc": "GEN",
}

# BibTeX field → RIS tag, for fields copied as plain text
RIS_TEXT_FIELDS = (
    ("title", "TI"),
    ("journal", "JO"),
    ("booktitle", "T2"),
    ("series", "T3"),
    ("publisher", "PB"),
    ("address", "CY"),
    ("volume", "VL"),
    ("number", "IS"),
    ("edition", "ET"),
    ("isbn", "SN"),
    ("issn", "SN"),
    ("doi", "DO"),
    ("url", "UR"),
    ("howpublished", "M3"),
    ("note", "N1"),
    ("abstract", "AB"),
    ("language", "LA"),
)

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def escape_ris(text: str) -> str:
    """A value on one line (RIS is line based: a newline would start a new tag)."""
    return " ".join(text.split())


def ris_fields(entry: Entry) -> list[tuple[str, str]]:
    """The tag/value lines of one record, without TY and ER."""
    out: list[tuple[str, str]] = [("ID", entry.key)]
    for role, tag in (("author", "AU"), ("editor", "A2")):
        value = entry.field(role)
        for name in split_names(value or ""):
            person = ", ".join(x for x in (name.family, name.given) if x)
            out.append((tag, name.literal or person))
    for field, tag in RIS_TEXT_FIELDS:
        text = entry.text(field)
        if text:
            out.append((tag, text))
    year = entry.text("year")
    match = _ISO.match(entry.field("date") or "")
    if year:
        out.append(("PY", year))
    elif match:
        out.append(("PY", match.group(1)))
    if match:
        y, m, d = match.groups()
        out.append(("DA", f"{y}/{m or ''}/{d or ''}/"))
    for keyword in (entry.text("keywords") or "").split(","):
        if keyword.strip():
            out.append(("KW", keyword.strip()))
    return out


def to_ris(bibliography: Bibliography, templates: Path | str | None = None) -> str:
    """The bibliography as RIS text."""
    env = environment(templates, escape=escape_ris)
    env.filters["tag"] = lambda tag: Markup(f"{tag}  - ")
    records = [(RIS_TYPES.get(e.entry_type, "GEN"), ris_fields(e)) for e in bibliography.entries]
    return render(env, TEMPLATE, records=records)
