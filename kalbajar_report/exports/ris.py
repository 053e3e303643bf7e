"""The RIS writer: the bibliography as RIS records (for EndNote, Zotero, Mendeley).

Every field an entry has is carried and nothing is guessed or invented: names as AU (authors), ED
(editors), A4 (translators), A3 (book authors); text fields by :data:`RIS_TEXT_FIELDS`; pages as SP/EP;
the date as PY and DA; the access date as Y2; any other field as an N1 line ``field: value``. Fields no
reference prints (:data:`~kalbajar_report.citestyle.NOT_PRINTED`) are left out, except ``abstract`` (AB)
and ``keywords`` (KW).
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup

from ..bibliography import bare_doi
from ..citestyle import NOT_PRINTED, DateParts, article_subtype, date_range, entry_date, unmapped_fields
from ..model import Bibliography, Entry
from ..names import split_names
from .templating import environment, render

TEMPLATE = "bibliography.ris.j2"

# BibTeX/biblatex entry type → RIS reference type
RIS_TYPES = {
    "article": "JOUR",
    "suppperiodical": "JOUR",
    "periodical": "JFULL",
    "book": "BOOK",
    "mvbook": "BOOK",
    "booklet": "PAMP",
    "inbook": "CHAP",
    "bookinbook": "CHAP",
    "suppbook": "CHAP",
    "incollection": "CHAP",
    "suppcollection": "CHAP",
    "collection": "EDBOOK",
    "mvcollection": "EDBOOK",
    "reference": "ENCYC",
    "mvreference": "ENCYC",
    "inreference": "ENCYC",
    "inproceedings": "CPAPER",
    "conference": "CPAPER",
    "proceedings": "CONF",
    "mvproceedings": "CONF",
    "manual": "RPRT",
    "mastersthesis": "THES",
    "phdthesis": "THES",
    "thesis": "THES",
    "techreport": "RPRT",
    "report": "RPRT",
    "unpublished": "UNPB",
    "online": "ELEC",
    "www": "ELEC",
    "electronic": "ELEC",
    "patent": "PAT",
    "dataset": "DATA",
    "software": "COMP",
    "misc": "GEN",
}

# BibTeX field → RIS tag, for fields copied as plain text (each field once, in this order)
RIS_TEXT_FIELDS = (
    ("title", "TI"),
    ("subtitle", "TT"),
    ("shorttitle", "ST"),
    ("journaltitle", "T2"),
    ("journal", "T2"),
    ("booktitle", "T2"),
    ("shortjournal", "J2"),
    ("series", "T3"),
    ("publisher", "PB"),
    ("school", "PB"),
    ("institution", "PB"),
    ("organization", "PB"),
    ("location", "CY"),
    ("address", "CY"),
    ("volume", "VL"),
    ("issue", "IS"),
    ("number", "IS"),
    ("edition", "ET"),
    ("volumes", "NV"),
    ("chapter", "SE"),
    ("isbn", "SN"),
    ("issn", "SN"),
    ("url", "UR"),
    ("howpublished", "M3"),
    ("type", "M3"),
    ("note", "N1"),
    ("abstract", "AB"),
    ("language", "LA"),
    ("eventtitle", "T2"),
    ("venue", "CY"),
    ("version", "ET"),
)

# name field → RIS tag
RIS_NAME_FIELDS = (("author", "AU"), ("editor", "ED"), ("translator", "A4"), ("bookauthor", "A3"))

_PAGE_RANGE = re.compile(r"^\s*([^\s–—-]+)\s*(?:--?|–|—)\s*([^\s–—-]+)\s*$")


def escape_ris(text: str) -> str:
    """A value on one line (RIS is line based: a newline would start a new tag)."""
    return " ".join(text.split())


def _ris_date(date: DateParts) -> str:
    return f"{date.year:04d}/{date.month or '':0>2}/{date.day or '':0>2}/".replace("/00", "/")


def ris_fields(entry: Entry) -> list[tuple[str, str]]:
    """The tag/value lines of one record, without TY and ER (see the module's docstring)."""
    out: list[tuple[str, str]] = [("ID", entry.key)]
    used = set(NOT_PRINTED) - {"abstract", "keywords"}
    if article_subtype(entry):
        used.add("entrysubtype")  # the record's type says it (NEWS, MGZN)
    notes: list[str] = []
    for role, tag in RIS_NAME_FIELDS:
        value = entry.field(role)
        if not value:
            continue
        used.add(role)
        names = split_names(value)
        out += [(tag, n.inverted()) for n in names if not n.others]
        if any(n.others for n in names):
            notes.append(f"{role}: … and others")
    for field, tag in RIS_TEXT_FIELDS:
        text = entry.text(field)
        if text and field not in used:
            if tag != "SN" and any(t == tag for t, _ in out):
                notes.append(f"{field}: {text}")  # the tag holds one value: the first field's
            else:
                out.append((tag, text))
            used.add(field)
    pages = entry.text("pages")
    if pages:
        match = _PAGE_RANGE.match(pages)
        out += [("SP", match.group(1)), ("EP", match.group(2))] if match else [("SP", pages)]
        used.add("pages")
    doi = entry.text("doi")
    if doi:
        out.append(("DO", bare_doi(doi)))
        used.add("doi")
    dates = date_range(entry.field("date"))
    date = dates[0] if dates else entry_date(entry)
    year = entry.text("year")
    if date is not None:
        out.append(("PY", str(date.year)))
        out.append(("DA", _ris_date(date)))
        used |= (
            {"date"}
            if dates
            else {"year", *(["month"] if date.month else []), *(["day"] if date.day else [])}
        )
        if year and dates and year == str(date.year):
            used.add("year")
        if dates and len(dates) > 1:
            notes.append(f"date: {entry.text('date')}")  # DA holds one date: the range's start
    elif year or entry.text("date"):
        out.append(("PY", year or entry.text("date") or ""))
        used.add("year" if year else "date")
    accessed = date_range(entry.field("urldate"))
    if accessed:
        out.append(("Y2", _ris_date(accessed[0])))
        used.add("urldate")
    for keyword in (entry.text("keywords") or "").split(","):
        if keyword.strip():
            out.append(("KW", keyword.strip()))
    used.add("keywords")
    notes += unmapped_fields(entry, used)
    out += [("N1", note) for note in notes]
    return out


_SUBTYPES = {"newspaper": "NEWS", "magazine": "MGZN"}


def ris_type(entry: Entry) -> str:
    """The record's TY: by entry type, an ``@article`` in a newspaper or magazine ``NEWS`` or ``MGZN``."""
    subtype = article_subtype(entry)
    return _SUBTYPES[subtype] if subtype else RIS_TYPES.get(entry.entry_type, "GEN")


def to_ris(bibliography: Bibliography, templates: Path | str | None = None) -> str:
    """The bibliography as RIS text."""
    env = environment(templates, escape=escape_ris)
    env.filters["tag"] = lambda tag: Markup(f"{tag}  - ")
    records = [(ris_type(e), ris_fields(e)) for e in bibliography.entries]
    return render(env, TEMPLATE, records=records)
