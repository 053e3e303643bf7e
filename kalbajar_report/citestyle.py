"""A citation style: turns bibliography entries into runs of plain and italic text, for any writer.

Like pybtex's styles, it knows nothing of output formats: each writer escapes the runs for its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import MONTH_NAMES, Article, Entry, EntryGroup
from .names import split_names

MONTHS = {name[:3].lower(): name for name in MONTH_NAMES}


@dataclass(frozen=True)
class Run:
    """A piece of formatted text: plain or italic, optionally a URL."""

    text: str
    italic: bool = False
    url: str | None = None


_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")


def person_names(value: str) -> list[str]:
    """A BibTeX name list (``Melkonian, Markar and {Human Rights Watch}``) as ``["Markar Melkonian", …]``."""
    return [n.literal or f"{n.given} {n.family}".strip() for n in split_names(value)]


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def format_entry(entry: Entry) -> tuple[Run, ...]:
    """A full reference for the references list and the notes of named works."""

    def t(name: str) -> str | None:
        value = entry.text(name)
        if value is None or name == "url":
            return value
        return _APOSTROPHE.sub("’", value)  # typographic apostrophes, as in the article's text

    runs: list[Run] = []
    author = entry.field("author")
    if author:
        runs.append(Run(_APOSTROPHE.sub("’", _join_names(person_names(author))) + ", "))
    title = t("title") or entry.key
    if entry.group == "numbered":
        return (Run(t("note") or title),)
    if entry.entry_type == "article":
        runs += [Run(f"{title}, "), Run(t("journal") or "", italic=True)]
    else:
        runs.append(Run(title, italic=True))
    where = ": ".join(x for x in (t("address"), t("publisher")) if x)
    when = _date_text(entry.field("date")) or " ".join(
        x for x in (MONTHS.get((entry.field("month") or "").lower(), ""), t("year") or "") if x
    )
    tail = [x for x in (t("howpublished"), where, when) if x]
    if tail:
        runs.append(Run(", " + ", ".join(tail)))
    runs.append(Run("."))
    for extra in (t("note"),):
        if extra:
            runs.append(Run(" " + extra.rstrip(".") + "."))
    if t("isbn"):
        runs.append(Run(f" ISBN {t('isbn')}."))
    url = t("url")
    if url:
        runs.append(Run(" "))
        runs.append(Run(url, url=url))
    return tuple(runs)


def _date_text(value: str | None) -> str:
    """``1993-04-30`` as ``30 April 1993`` (ISO dates as biblatex writes them)."""
    if not value:
        return ""
    parts = value.split("-")
    months = MONTH_NAMES
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {months[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{months[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return value
    return value


def plain(runs: tuple[Run, ...]) -> str:
    """The runs as plain text."""
    return "".join(r.text for r in runs)


def note_labels(article: Article) -> dict[str, str]:
    """The label each cited entry's note carries: the source's number, or a letter for a named work.

    Letters (a, b, c, …) follow the order of first citation so they cannot be confused with the numbers.
    """
    labels: dict[str, str] = {}
    letters = 0
    for key in article.cited_keys():
        entry = article.bibliography.get(key)
        if entry is not None and entry.marker is not None:
            labels[key] = entry.marker
        else:
            labels[key] = _letter(letters)
            letters += 1
    return labels


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


GROUP_TITLES: tuple[tuple[EntryGroup, str], ...] = (
    ("numbered", "Numbered references"),
    ("named", "Works cited by name"),
    ("article", "The source article"),
    ("briefing", "This briefing"),
    ("other", "Other works"),
)


@dataclass(frozen=True)
class ReferenceGroup:
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


def reference_groups(article: Article) -> tuple[ReferenceGroup, ...]:
    """The non-empty groups of the references list; named works in the order of their letters."""
    listed = listed_entries(article)
    labels = note_labels(article)
    out = []
    for group, title in GROUP_TITLES:
        entries = [e for e in listed if e.group == group]
        if group == "named":
            entries.sort(key=lambda e: (len(labels.get(e.key, "")), labels.get(e.key, "")))
        if entries:
            out.append(ReferenceGroup(group, title, tuple(entries)))
    return tuple(out)
