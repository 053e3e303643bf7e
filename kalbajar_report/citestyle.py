"""A citation style: turns bibliography entries into runs of plain and italic text, for any writer.

Like pybtex's styles, it knows nothing of output formats: each writer escapes the runs for its own.

The house style (one for notes and the references list) prints every field an entry has, numbered
entries included, and nothing it does not have::

    Names, “Part title”, in *Container*, edited by Names, translated by Names, 2nd ed., vol. 3, no. 4,
    Series, no. 12, Report type 42, howpublished, Place: Publisher, 22 April 1993, pp. 45–67.
    Note. Addendum. ISBN …. ISSN …. https://doi.org/… https://… (accessed 1 May 2020). field: value.

Titles of works that stand alone (books, reports, @misc …) are italic; titles of parts (articles,
chapters, papers, theses, web pages) are in quotation marks, their container italic. Fields no standard
style prints in a reference are left out, by choice: :data:`NOT_PRINTED` (``keywords``, ``marker``,
``abstract``, ``file``, sorting and label fields). Any other field this style does not know is printed
as ``field: value.`` at the end, so nothing an entry carries is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

from .bibliography import NAME_FIELDS, URL_FIELDS, VERBATIM_FIELDS, bare_doi
from .model import MONTH_NAMES, Article, Entry, EntryGroup
from .names import split_names
from .notes import NoteTable

MONTHS = {name[:3].lower(): name for name in MONTH_NAMES}

#: fields a reference does not print (documented choice): housekeeping, summaries and attachments
NOT_PRINTED = frozenset(
    {
        "keywords",
        "marker",
        "usera",
        "abstract",
        "file",
        "pdf",
        "key",
        "label",
        "shorthand",
        "sortkey",
        "sortname",
        "sorttitle",
        "sortyear",
        "sortshorthand",
        "presort",
        "options",
        "ids",
        "entryset",
        "execute",
        "indexsorttitle",
        "indextitle",
    }
)

#: entry types whose title names a part of something else: set in quotation marks, container italic
PART_TYPES = frozenset(
    {
        "article",
        "incollection",
        "inproceedings",
        "conference",
        "inreference",
        "suppbook",
        "suppcollection",
        "suppperiodical",
        "review",
        "thesis",
        "phdthesis",
        "mastersthesis",
        "unpublished",
        "online",
        "www",
        "electronic",
    }
)

_ENTRY_TYPE_NAMES = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master’s thesis",
    "techreport": "Technical report",
}

_NAME_ROLES = (
    ("translator", "translated by"),
    ("annotator", "annotated by"),
    ("commentator", "with a commentary by"),
    ("introduction", "with an introduction by"),
    ("foreword", "with a foreword by"),
    ("afterword", "with an afterword by"),
)


class Run(NamedTuple):
    """A piece of formatted text: plain or italic, optionally a URL."""

    text: str
    italic: bool = False
    url: str | None = None


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_RANGE = re.compile(r"^\s*\S+\s*[-–—]+\s*\S+\s*$")


# --- names -----------------------------------------------------------------------------------------------
def person_names(value: str) -> list[str]:
    """A BibTeX name list (``Melkonian, Markar and {Human Rights Watch}``) as ``["Markar Melkonian", …]``.

    BibTeX's ``and others`` is ``"et al."``.
    """
    return [n.display() for n in split_names(value)]


def _join_names(names: list[str]) -> str:
    others = bool(names) and names[-1] == "et al."
    if others:
        names = names[:-1]
    text = " and ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + ", and " + names[-1]
    return f"{text} et al." if others and text else text


def names_text(value: str) -> str:
    """A BibTeX name list as running text: ``Markar Melkonian``, ``A, B, and C``, ``A et al.``."""
    return _join_names(person_names(value))


def unmapped_fields(entry: Entry, used: set[str]) -> list[str]:
    """``field: value`` for every field of ``entry`` a format has no place for (not in ``used``), names as
    running text: the lines CSL-JSON's ``note`` and RIS's ``N1`` carry, so no field is dropped."""
    out = []
    for field, value in entry.text_fields:
        if field in used or not value.strip():
            continue
        if field in NAME_FIELDS:
            value = "; ".join(n.display() for n in split_names(entry.field(field) or ""))
        out.append(f"{field}: {' '.join(value.split())}")
    return out


# --- dates -----------------------------------------------------------------------------------------------
class DateParts(NamedTuple):
    """A calendar date to the precision given: year, or year and month, or year, month and day."""

    year: int
    month: int | None = None
    day: int | None = None

    def text(self) -> str:
        """``22 April 1993``, ``April 1993`` or ``1993``."""
        parts = [str(self.day)] if self.day else []
        if self.month:
            parts.append(MONTH_NAMES[self.month - 1])
        return " ".join([*parts, str(self.year)])

    def parts(self) -> list[int]:
        """``[1993, 4, 22]`` to the precision given (CSL ``date-parts``)."""
        return [x for x in (self.year, self.month, self.day) if x is not None]


def month_number(value: str | None) -> int | None:
    """``4``, ``04``, ``apr``, ``April`` (any case) as 4; anything else as None."""
    text = (value or "").strip().rstrip(".").lower()
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    if len(text) >= 3 and text[:3] in MONTHS and MONTHS[text[:3]].lower().startswith(text):
        return list(MONTHS).index(text[:3]) + 1
    return None


def iso_date(value: str | None) -> DateParts | None:
    """``1993``, ``1993-04``, ``1993-04-30`` (biblatex's ``date``) as DateParts; other text as None."""
    match = _ISO_DATE.match((value or "").strip())
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= 31:
        return None
    return DateParts(year, month, day)


def date_range(value: str | None) -> tuple[DateParts, ...] | None:
    """A biblatex date or date range (``1993-04-01/1993-04-30``, ``1993/``) as one or two DateParts.

    An open end gives one date; anything that is not ISO 8601 as biblatex writes it gives None.
    """
    if not value:
        return None
    pieces = value.strip().split("/")
    if len(pieces) > 2:
        return None
    dates = [iso_date(p) for p in pieces if p.strip()]
    if not dates or any(d is None for d in dates):
        return None
    return tuple(d for d in dates if d is not None)


def entry_date(entry: Entry) -> DateParts | None:
    """The entry's date from ``date``, else from ``year`` (with ``month`` and ``day``), when they are
    calendar values; None when the entry has no date or only non-calendar text (``n.d.``, ``1993a``)."""
    dates = date_range(entry.field("date"))
    if dates:
        return dates[0]
    year = (entry.text("year") or "").strip()
    if not year.isdigit():
        return None
    month = month_number(entry.text("month"))
    day_text = (entry.text("day") or "").strip()
    day = int(day_text) if month and day_text.isdigit() and 1 <= int(day_text) <= 31 else None
    return DateParts(int(year), month, day)


def _date_text(value: str | None) -> str:
    """``1993-04-30`` as ``30 April 1993``, a range as ``1–30 April 1993``; other text unchanged."""
    dates = date_range(value)
    if not dates:
        return value or ""
    if len(dates) == 1:
        text = dates[0].text()
        return text + "–" if value and value.strip().endswith("/") else text
    a, b = dates
    if a.year == b.year and a.month and a.month == b.month and a.day and b.day:
        return f"{a.day}–{b.text()}"
    if a.year == b.year and a.month and b.month:
        return f"{a.text().removesuffix(' ' + str(a.year))} – {b.text()}"
    return f"{a.text()} – {b.text()}"


# --- the reference --------------------------------------------------------------------------------------
def _sentence(text: str) -> str:
    """``text`` ending as a sentence: a full stop added unless it ends with . ? or ! (before quotes)."""
    text = text.strip()
    return text if text.rstrip('”’")]').endswith((".", "?", "!")) else text + "."


def _ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def doi_url(doi: str) -> str:
    """The resolver link of a DOI: ``https://doi.org/10.1000/x`` (characters a URL cannot hold encoded)."""
    return "https://doi.org/" + quote(bare_doi(doi), safe="/:;()._-~!$&'*+,=@")


class _Fields:
    """An entry's fields as plain text, remembering which ones the style has printed."""

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.used: set[str] = set(NOT_PRINTED)

    def __call__(self, name: str) -> str | None:
        self.used.add(name)
        value = self.entry.text(name)
        if value is None or not value.strip():
            return None
        if name in VERBATIM_FIELDS:
            return value.strip()
        return _APOSTROPHE.sub("’", value.strip())

    def names(self, name: str) -> str | None:
        self.used.add(name)
        value = self.entry.field(name)
        text = names_text(value) if value else ""
        return _APOSTROPHE.sub("’", text) if text else None

    def unused(self) -> list[tuple[str, str]]:
        return [(k, v) for k, v in self.entry.text_fields if k not in self.used and v.strip()]


def article_subtype(entry: Entry) -> str | None:
    """``newspaper`` or ``magazine``: biblatex's ``entrysubtype`` of an ``@article`` (None otherwise)."""
    subtype = (entry.text("entrysubtype") or "").strip().lower()
    return subtype if entry.entry_type == "article" and subtype in {"newspaper", "magazine"} else None


def format_entry(entry: Entry) -> tuple[Run, ...]:
    """A full reference from every field the entry has, for the notes and the references list."""
    f = _Fields(entry)
    kind = entry.entry_type
    if kind == "article" and article_subtype(entry):
        f.used.add("entrysubtype")  # a newspaper or magazine article is set as a journal article is
    is_part = kind in PART_TYPES or (kind == "inbook" and f("booktitle") is not None)
    main: list[list[Run]] = []

    def add(text: str | None, italic: bool = False, prefix: str = "") -> None:
        if text:
            main.append([Run(prefix)] if prefix else [])
            main[-1].append(Run(text, italic=italic))

    # who
    authors = f.names("author")
    editors = f.names("editor")
    editors_first = not authors and editors and not is_part
    if authors:
        add(authors)
    elif editors_first and editors:
        add(f"{editors} ({'eds.' if ' and ' in editors or ', ' in editors else 'ed.'})")
    # what
    title = f("title")
    subtitle = f("subtitle")
    if title and subtitle:
        title = f"{title}: {subtitle}"
    elif subtitle:
        title = subtitle
    if title:
        add(f"“{title}”" if is_part else title, italic=not is_part)
    add(f("titleaddon"))
    reports = kind in {"techreport", "report"}
    if not reports:
        add(f("type") or _ENTRY_TYPE_NAMES.get(kind))
    # in what
    journal = f("journaltitle") or f("journal")
    if journal:
        journal_sub = f("journalsubtitle")
        add(f"{journal}: {journal_sub}" if journal_sub else journal, italic=True)
        add(f("series"))
    booktitle = f("booktitle")
    if booktitle:
        book_sub = f("booksubtitle")
        add(f"{booktitle}: {book_sub}" if book_sub else booktitle, italic=True, prefix="in ")
        add(f("booktitleaddon"))
    maintitle = f("maintitle")
    if maintitle:
        add(maintitle, italic=True, prefix="in " if not booktitle else "")
    add(f.names("bookauthor"), prefix="by ")
    if editors and not editors_first:
        add(editors, prefix="edited by ")
    for role, words in _NAME_ROLES:
        add(f.names(role), prefix=words + " ")
    for role in ("editora", "editorb", "editorc"):
        people = f.names(role)
        if people:
            add(people, prefix=f"{f(role + 'type') or role} ")
    add(f("eventtitle"))
    add(f("venue"))
    add(_date_text(f("eventdate")))
    # which edition, volume, number
    edition = f("edition")
    if edition:
        add(f"{_ordinal(int(edition))} ed." if edition.isdigit() else edition)
    add(f("volume"), prefix="vol. ")
    add(f("part"), prefix="part ")
    add(f("volumes"), prefix="in ")
    if main and f("volumes"):
        main[-1][-1] = Run(main[-1][-1].text + " vols.")
    number, issue = f("number"), f("issue")
    if reports:
        add(" ".join(x for x in (f("type") or _ENTRY_TYPE_NAMES.get(kind), number) if x) or None)
    elif not journal and f("series"):
        add(f"{f('series')}, no. {number}" if number else f("series"))
    else:
        add(number, prefix="no. ")
    add(issue, prefix="issue " if number else "no. ")
    add(f("chapter"), prefix="chapter ")
    add(f("howpublished"))
    add(f("version"), prefix="version ")
    # who published, where and when
    issuers = list(
        dict.fromkeys(x for x in (f("school"), f("institution"), f("organization"), f("publisher")) if x)
    )
    place = f("location") or f("address")
    if place and issuers:
        add(f"{place}: {', '.join(issuers)}")
    else:
        add(place or ", ".join(issuers))
    add(_when(entry, f))
    add(f("pubstate"))
    pages = f("pages")
    if pages:
        add(pages, prefix="pp. " if _RANGE.match(pages) or "," in pages else "p. ")
    add(f("pagetotal"), prefix="")
    if main and f("pagetotal"):
        main[-1][-1] = Run(main[-1][-1].text + " pp.")
    language = f("language")
    if language:
        add(language[:1].upper() + language[1:] if language.isalpha() else language, prefix="in ")

    runs: list[Run] = []
    for n, segment in enumerate(main):
        if n:
            runs.append(Run(", "))
        runs += segment
    if runs:
        runs.append(Run("" if runs[-1].text.rstrip("”’").endswith((".", "?", "!")) else "."))
    for name in ("note", "addendum", "annote", "annotation"):
        text = f(name)
        if text:
            runs.append(Run(" " + _sentence(text)))
    for name, label in (("isbn", "ISBN"), ("issn", "ISSN"), ("isrn", "ISRN"), ("ismn", "ISMN")):
        text = f(name)
        if text:
            runs.append(Run(f" {label} {text}."))
    doi = f("doi")
    if doi:
        runs += [Run(" "), Run("https://doi.org/" + bare_doi(doi), url=doi_url(doi))]
    runs += _eprint(f)
    url = f("url") or f("urladdress")
    if url:
        runs += [Run(" "), Run(url, url=url)]
        urldate = f("urldate")
        if urldate:
            runs.append(Run(f" (accessed {_date_text(urldate)})."))
    for name in URL_FIELDS:
        other = f(name)
        if other and other != url:
            runs += [Run(" Archived at " if "archive" in name else f" {name}: "), Run(other, url=other)]
            when = f("archivedate") if "archive" in name else None
            runs.append(Run(f" ({_date_text(when)})." if when else "."))
    for name, value in f.unused():
        text = value if name in VERBATIM_FIELDS or name in NAME_FIELDS else _APOSTROPHE.sub("’", value)
        if name in NAME_FIELDS:
            text = names_text(entry.field(name) or "")
        runs.append(Run(f" {name}: {_sentence(text)}"))
    if not runs:
        return (Run(entry.key),)
    runs[0] = Run(runs[0].text.lstrip(), runs[0].italic, runs[0].url)
    return tuple(r for r in runs if r.text)


def _when(entry: Entry, f: Callable[[str], str | None]) -> str | None:
    """The date text of the entry: ``date`` (ISO or as given), else ``day month year``; a ``year`` or
    ``month`` that the date does not already say is added after it."""
    date, year, month, day = f("date"), f("year"), f("month"), f("day")
    if date:
        text = _date_text(date)
        number = month_number(month)
        extra = [year] if year and year not in text else []
        if month and not (number and MONTH_NAMES[number - 1] in text):
            extra.append(month)
        if day and day not in text.split():
            extra.append(day)
        return ", ".join([text, *extra])
    number = month_number(month)
    month_text = MONTH_NAMES[number - 1] if number else month
    return " ".join(x for x in (day if month_text else None, month_text, year) if x) or None


def _eprint(f: _Fields) -> list[Run]:
    """``arXiv:2101.00001 [cs.CL]`` linked to arxiv.org; other e-print archives as text."""
    eprint = f("eprint")
    archive = f("eprinttype") or f("archiveprefix")
    cls = f("eprintclass") or f("primaryclass")
    if not eprint:
        return [Run(f" {archive}.")] if archive else []
    suffix = f" [{cls}]" if cls else ""
    if (archive or "").lower() == "arxiv":
        link = "https://arxiv.org/abs/" + quote(eprint, safe="/.:-_")
        return [Run(" arXiv: "), Run(eprint, url=link), Run(suffix + ".")]
    return [Run(f" {archive + ': ' if archive else 'e-print '}{eprint}{suffix}.")]


def plain(runs: tuple[Run, ...]) -> str:
    """The runs as plain text."""
    return "".join(r.text for r in runs)


def note_labels(article: Article) -> dict[str, str]:
    """The label each cited entry's first note carries (see :mod:`kalbajar_report.notes`)."""
    return NoteTable.of(article).entry_labels()


GROUP_TITLES: tuple[tuple[EntryGroup, str], ...] = (
    ("numbered", "Numbered references"),
    ("named", "Works cited by name"),
    ("article", "The source article"),
    ("briefing", "This briefing"),
    ("other", "Works cited"),
)


class ReferenceGroup(NamedTuple):
    """A titled group of the references list."""

    group: EntryGroup
    title: str
    entries: tuple[Entry, ...]


def listed_entries(article: Article) -> tuple[Entry, ...]:
    """The entries a references list shows, in file order: cited ones, the source article, the briefing."""
    cited = set(article.cited_keys())
    m = article.metadata
    always = {k for k in (m.article_key, m.briefing_key) if k}
    return tuple(e for e in article.bibliography.entries if e.key in cited or e.key in always)


def reference_groups(article: Article, labels: dict[str, str] | None = None) -> tuple[ReferenceGroup, ...]:
    """The non-empty groups of the references list; named works in the order of their letters (``labels``:
    the entry labels of the article's note table, when the caller has resolved it already)."""
    listed = listed_entries(article)
    labels = note_labels(article) if labels is None else labels
    out = []
    for group, title in GROUP_TITLES:
        entries = [e for e in listed if e.group == group]
        if group in ("named", "other"):  # in the order of their labels: a, b … or 1, 2 …
            entries.sort(key=lambda e: (len(labels.get(e.key, "~")), labels.get(e.key, "~")))
        if entries:
            out.append(ReferenceGroup(group, title, tuple(entries)))
    return tuple(out)
