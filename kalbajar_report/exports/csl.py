"""The CSL-JSON writer: the bibliography as CSL items (for Zotero, Mendeley, citeproc processors).

Every field an entry has is carried and nothing is guessed or invented: a field with a CSL variable is
mapped to it (:data:`CSL_TEXT_FIELDS`, names, dates, numbers); any other field, and a second value for a
variable already taken, is kept as a ``field: value`` line of the item's ``note`` (as Zotero's "Extra"
and Better BibTeX do). Fields no reference prints (:data:`~kalbajar_report.citestyle.NOT_PRINTED`) are
left out, except ``abstract`` and ``keywords``, which CSL has variables for.
"""

from __future__ import annotations

import json
from typing import Any

from ..bibliography import bare_doi
from ..citestyle import NOT_PRINTED, DateParts, article_subtype, date_range, entry_date, unmapped_fields
from ..model import Bibliography, Entry
from ..names import Name, split_names

# BibTeX/biblatex entry type → CSL type (as Zotero's and Better BibTeX's import map them)
CSL_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "incollection": "chapter",
    "suppcollection": "chapter",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "report",
    "mastersthesis": "thesis",
    "phdthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "unpublished": "manuscript",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "periodical": "periodical",
    "suppperiodical": "article-journal",
    "patent": "patent",
    "dataset": "dataset",
    "software": "software",
    "review": "review",
    "misc": "document",
}

# BibTeX field → CSL variable, for fields copied as plain text (the first field present wins a variable)
CSL_TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "journaltitle": "container-title",
    "journal": "container-title",
    "booktitle": "container-title",
    "shortjournal": "container-title-short",
    "series": "collection-title",
    "publisher": "publisher",
    "school": "publisher",
    "institution": "publisher",
    "organization": "publisher",
    "location": "publisher-place",
    "address": "publisher-place",
    "isbn": "ISBN",
    "issn": "ISSN",
    "url": "URL",
    "note": "note",
    "annote": "annote",
    "annotation": "annote",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "issue": "issue",
    "pages": "page",
    "pagetotal": "number-of-pages",
    "chapter": "chapter-number",
    "edition": "edition",
    "abstract": "abstract",
    "keywords": "keyword",
    "language": "language",
    "howpublished": "medium",
    "type": "genre",
    "version": "version",
    "pubstate": "status",
    "eventtitle": "event",
    "venue": "event-place",
    "origtitle": "original-title",
    "origpublisher": "original-publisher",
    "origlocation": "original-publisher-place",
}

# BibTeX name field → CSL name variable
CSL_NAME_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}

# BibTeX date field → CSL date variable (``date``/``year``/``month`` make ``issued``)
CSL_DATE_FIELDS = {"urldate": "accessed", "origdate": "original-date", "eventdate": "event-date"}

_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master’s thesis"}


def csl_name(name: Name) -> dict[str, str]:
    """One name as CSL: ``literal``, or ``family``/``given``/``non-dropping-particle``/``suffix``."""
    if name.literal:
        return {"literal": name.literal}
    parts = (("family", name.family), ("given", name.given), ("non-dropping-particle", name.von))
    return {k: v for k, v in (*parts, ("suffix", name.jr)) if v}


def _date(dates: tuple[DateParts, ...]) -> dict[str, Any]:
    return {"date-parts": [d.parts() for d in dates]}


def _issued(entry: Entry) -> tuple[dict[str, Any] | None, list[str]]:
    """CSL ``issued`` from ``date`` or ``year``/``month``/``day``, and the fields it took."""
    dates = date_range(entry.field("date"))
    if dates:
        same_year = entry.text("year") == str(dates[0].year)
        return _date(dates), ["date", *(["year"] if same_year else [])]
    date = entry_date(entry)
    if date is not None:
        used = ["year"] + (["month"] if date.month else []) + (["day"] if date.day else [])
        return {"date-parts": [date.parts()]}, used
    literal = entry.text("date") or entry.text("year")
    if literal:
        return {"literal": literal}, ["date" if entry.text("date") else "year"]
    return None, []


def csl_item(entry: Entry) -> dict[str, Any]:
    """One entry as a CSL-JSON item, every field it has carried (see the module's docstring)."""
    item: dict[str, Any] = {"id": entry.key, "type": CSL_TYPES.get(entry.entry_type, "document")}
    used = set(NOT_PRINTED) - {"abstract", "keywords"}
    extra: list[str] = []
    for field, variable in CSL_NAME_FIELDS.items():
        value = entry.field(field)
        if value:
            used.add(field)
            names = split_names(value)
            item[variable] = [csl_name(n) for n in names if not n.others]
            if any(n.others for n in names):
                extra.append(f"{field}: … and others")
    issued, taken = _issued(entry)
    if issued is not None:
        item["issued"] = issued
        used.update(taken)
    for field, variable in CSL_DATE_FIELDS.items():
        dates = date_range(entry.field(field))
        if dates:
            item[variable] = _date(dates)
            used.add(field)
    title = entry.text("title")
    subtitle = entry.text("subtitle")
    if title and subtitle:
        item["title"] = f"{title}: {subtitle}"
        used |= {"title", "subtitle"}
    number = entry.text("number")
    if number:
        if entry.entry_type in {"article", "periodical", "suppperiodical"} and not entry.text("issue"):
            item["issue"] = number
        elif entry.text("series") and entry.entry_type not in {"report", "techreport", "patent"}:
            item["collection-number"] = number
        else:
            item["number"] = number
        used.add("number")
    doi = entry.text("doi")
    if doi:
        item["DOI"] = bare_doi(doi)
        used.add("doi")
    subtype = article_subtype(entry)
    if subtype:
        item["type"] = f"article-{subtype}"  # biblatex's @article subtypes, as Zotero reads them
        used.add("entrysubtype")
    if entry.entry_type in _GENRES and not entry.text("type"):
        item["genre"] = _GENRES[entry.entry_type]
    for field, variable in CSL_TEXT_FIELDS.items():
        text = entry.text(field)
        if text and field not in used and variable not in item:
            item[variable] = text
            used.add(field)
    extra += unmapped_fields(entry, used)
    if extra:
        item["note"] = "\n".join([item["note"], *extra] if "note" in item else extra)
    return item


def csl_items(bibliography: Bibliography) -> list[dict[str, Any]]:
    """Every entry of the bibliography as CSL-JSON items, in file order."""
    return [csl_item(e) for e in bibliography.entries]


def to_csl_json(bibliography: Bibliography) -> str:
    """The bibliography as CSL-JSON text."""
    return json.dumps(csl_items(bibliography), ensure_ascii=False, indent=2) + "\n"
