"""The CSL-JSON writer: the bibliography as CSL items (for Zotero, Mendeley, citeproc processors).

Only the fields an entry has are mapped; nothing is guessed or invented.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..model import MONTH_NAMES, Bibliography, Entry
from ..names import split_names

# BibTeX entry type → CSL type (as Zotero's and Better BibTeX's import map them)
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "incollection": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "misc": "document",
}

# BibTeX field → CSL variable, for fields copied as plain text
CSL_TEXT_FIELDS = {
    "title": "title",
    "journal": "container-title",
    "booktitle": "container-title",
    "publisher": "publisher",
    "address": "publisher-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "doi": "DOI",
    "url": "URL",
    "note": "note",
    "volume": "volume",
    "number": "number",
    "pages": "page",
    "edition": "edition",
    "series": "collection-title",
    "abstract": "abstract",
    "keywords": "keyword",
    "language": "language",
    "howpublished": "medium",
}

_MONTHS = {name[:3].lower(): n for n, name in enumerate(MONTH_NAMES, start=1)}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _issued(entry: Entry) -> dict[str, Any] | None:
    date = entry.field("date")
    match = _ISO.match(date or "")
    if match:
        return {"date-parts": [[int(g) for g in match.groups() if g]]}
    year = entry.text("year")
    if year and year.isdigit():
        parts = [int(year)]
        month = (entry.field("month") or "").strip().lower()[:3]
        if month in _MONTHS:
            parts.append(_MONTHS[month])
        elif month.isdigit() and 1 <= int(month) <= 12:
            parts.append(int(month))
        return {"date-parts": [parts]}
    if year:
        return {"literal": year}
    return None


def csl_item(entry: Entry) -> dict[str, Any]:
    """One entry as a CSL-JSON item."""
    item: dict[str, Any] = {"id": entry.key, "type": CSL_TYPES.get(entry.entry_type, "document")}
    for role in ("author", "editor"):
        value = entry.field(role)
        if value:
            item[role] = [
                {"literal": n.literal}
                if n.literal
                else {k: v for k, v in (("family", n.family), ("given", n.given)) if v}
                for n in split_names(value)
            ]
    for field, variable in CSL_TEXT_FIELDS.items():
        text = entry.text(field)
        if text and variable not in item:
            item[variable] = text
    issued = _issued(entry)
    if issued is not None:
        item["issued"] = issued
    return item


def csl_items(bibliography: Bibliography) -> list[dict[str, Any]]:
    """Every entry of the bibliography as CSL-JSON items, in file order."""
    return [csl_item(e) for e in bibliography.entries]


def to_csl_json(bibliography: Bibliography) -> str:
    """The bibliography as CSL-JSON text."""
    return json.dumps(csl_items(bibliography), ensure_ascii=False, indent=2) + "\n"
