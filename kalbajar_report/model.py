"""The typed document model: an article of sections, blocks and sentences, and its bibliography.

The model knows nothing of PDF, BibTeX syntax or templates; readers build it, writers read it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from .errors import UnknownSectionError

Origin = Literal["old", "new", "editor", "author"]
EditKind = Literal["detokenised", "spelling", "garble", "reworded", "updated", "joined", "inserted"]
CitationKind = Literal["numbered", "named", "note"]
SpanStyle = Literal["italic", "bold", "link"]
EntryGroup = Literal["numbered", "named", "article", "briefing", "other"]

MONTH_NAMES: tuple[str, ...] = tuple(
    "January February March April May June July August September October November December".split()
)

EDIT_KINDS: tuple[EditKind, ...] = (
    "detokenised",
    "spelling",
    "garble",
    "reworded",
    "updated",
    "joined",
    "inserted",
)


@dataclass(frozen=True)
class SourceLocation:
    """Where a piece of content was read: file name and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Edit:
    """One editorial change to a source sentence: its kind, replacement pairs and an optional reference."""

    kind: EditKind
    pairs: tuple[tuple[str, str], ...] = ()
    ref: str | None = None

    def describe(self) -> str:
        """A one-line human description of the edit."""
        parts: list[str] = [self.kind]
        if self.ref:
            parts.append(self.ref)
        parts.extend(f"“{a}” → “{b}”" for a, b in self.pairs)
        return " ".join(parts)


@dataclass(frozen=True)
class Provenance:
    """Which input a sentence came from (file and line) and how it was edited."""

    origin: Origin
    line: int | None = None
    edits: tuple[Edit, ...] = ()

    @property
    def edit_kinds(self) -> tuple[EditKind, ...]:
        """The kinds of edit applied, in order, without repeats."""
        return tuple(dict.fromkeys(e.kind for e in self.edits))

    @property
    def edited(self) -> bool:
        """True when the sentence differs from its source in anything but tokenization."""
        return any(e.kind != "detokenised" for e in self.edits)

    def describe(self) -> str:
        """E.g. ``old:7; spelling “Kelbajar” → “Kalbajar”``."""
        head = self.origin if self.line is None else f"{self.origin}:{self.line}"
        return "; ".join([head, *(e.describe() for e in self.edits)])


@dataclass(frozen=True)
class Citation:
    """A citation at the end of a sentence: the marker as written (``14`` or ``@key``) and its entry key.

    ``kind`` is ``numbered`` (a reference number of the source), ``named`` (a work cited by key) or ``note``
    (an explanatory note: ``key`` names an :class:`ExplanatoryNote` of the article, not an entry).
    ``locator`` is where in the work, as written (``p. 12``, ``pp. 3–5``, ``fig. 2``)."""

    key: str
    label: str
    kind: CitationKind
    locator: str | None = None

    @property
    def source_text(self) -> str:
        """The citation as written in the content file."""
        where = f", {self.locator}" if self.locator else ""
        if self.kind == "named":
            return f"[@{self.key}{where}]"
        return f"[{self.label}{where}]"


@dataclass(frozen=True)
class Span:
    """Inline styling of characters ``start`` to ``end`` of a sentence's text (a link carries its URL)."""

    start: int
    end: int
    style: SpanStyle
    url: str | None = None


@dataclass(frozen=True)
class Sentence:
    """A sentence of plain text (no markup, no markers), its citations and its provenance.

    A reader that cuts running text at note markers (a marker inside a sentence) makes a "sentence" of each
    piece; ``joined`` says a piece follows the one before with no space between (``word¹, and``).
    ``spans`` style parts of the text (italic, bold, links); writers that ignore them print plain text."""

    text: str
    citations: tuple[Citation, ...]
    provenance: Provenance
    location: SourceLocation
    spans: tuple[Span, ...] = ()
    joined: bool = False


@dataclass(frozen=True)
class StyledText:
    """A run of a sentence's text with the styles its spans give it (the pieces writers format)."""

    text: str
    italic: bool = False
    bold: bool = False
    url: str | None = None


def styled_pieces(sentence: Sentence) -> tuple[StyledText, ...]:
    """A sentence's text cut where its spans start and end, each piece with its styles (a link's URL as
    the span gives it: writers check it before linking)."""
    if not sentence.spans:
        return (StyledText(sentence.text),)
    text = sentence.text
    cuts = sorted({0, len(text), *(x for sp in sentence.spans for x in (sp.start, sp.end))})
    out = []
    for start, end in itertools.pairwise(cuts):
        active = [sp for sp in sentence.spans if sp.start <= start and end <= sp.end]
        styles = {sp.style for sp in active}
        url = next((sp.url for sp in active if sp.style == "link" and sp.url), None)
        out.append(StyledText(text[start:end], "italic" in styles, "bold" in styles, url))
    return tuple(out)


def join_sentences(sentences: tuple[Sentence, ...] | list[Sentence]) -> str:
    """Sentences' plain text as running text: a space between them unless a piece is ``joined``."""
    return "".join(("" if i == 0 or s.joined else " ") + s.text for i, s in enumerate(sentences))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return join_sentences(self.sentences)


@dataclass(frozen=True)
class BlockQuote:
    """A block quotation, kept verbatim, with its attribution and the citations of that attribution."""

    sentences: tuple[Sentence, ...]
    attribution: str | None = None
    attribution_citations: tuple[Citation, ...] = ()
    attribution_location: SourceLocation | None = None

    @property
    def text(self) -> str:
        """The quotation's plain text."""
        return join_sentences(self.sentences)


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its sentences and its depth (1 = top level, 2 = nested once …)."""

    sentences: tuple[Sentence, ...]
    depth: int = 1

    @property
    def text(self) -> str:
        """The item's plain text."""
        return join_sentences(self.sentences)


@dataclass(frozen=True)
class ListBlock:
    """A bulleted (or, with ``ordered``, numbered) list."""

    items: tuple[ListItem, ...]
    ordered: bool = False

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        """Every sentence of every item, in order."""
        return tuple(s for item in self.items for s in item.sentences)

    @property
    def text(self) -> str:
        """The list's plain text, one item a line."""
        return "\n".join(item.text for item in self.items)


Block = Paragraph | BlockQuote | ListBlock


@dataclass(frozen=True)
class ExplanatoryNote:
    """An explanatory note (text, not a work): cited with ``Citation(kind="note", key=…)``, labelled
    ``label``; its own sentences may cite works."""

    key: str
    label: str
    sentences: tuple[Sentence, ...]
    location: SourceLocation | None = None

    @property
    def text(self) -> str:
        """The note's plain text."""
        return join_sentences(self.sentences)


@dataclass(frozen=True)
class Section:
    """A section: stable slug id, title, level (1 = top), its blocks and its subsections."""

    id: str
    title: str
    level: int
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...] = ()
    location: SourceLocation | None = None

    def walk(self) -> Iterator[Section]:
        """This section and all its subsections, depth first, in reading order."""
        yield self
        for sub in self.subsections:
            yield from sub.walk()

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence of this section and its subsections, in reading order."""
        for sec in self.walk():
            for block in sec.blocks:
                yield from block.sentences

    def citations(self) -> Iterator[Citation]:
        """Every citation of this section and its subsections, in reading order."""
        for sec in self.walk():
            for block in sec.blocks:
                for sentence in block.sentences:
                    yield from sentence.citations
                if isinstance(block, BlockQuote):
                    yield from block.attribution_citations

    def cited_keys(self) -> tuple[str, ...]:
        """The keys this section cites, in order of first citation."""
        return tuple(dict.fromkeys(c.key for c in self.citations()))


def section_numbers(sections: tuple[Section, ...], prefix: str = "") -> dict[str, str]:
    """Each section's number (1, 2, 4.1 …) by section id: one numbering for every writer."""
    out: dict[str, str] = {}
    for i, section in enumerate(sections, start=1):
        number = f"{prefix}{i}"
        out[section.id] = number
        out.update(section_numbers(section.subsections, number + "."))
    return out


@dataclass(frozen=True)
class GlossaryEntry:
    """A name in the house spelling, its variant spellings and a short description."""

    term: str
    variants: tuple[str, ...]
    description: str
    location: SourceLocation | None = None


@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def iso(self) -> str:
        """ISO 8601 with only the known parts: ``1988-02``."""
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
            if self.day is not None:
                out += f"-{self.day:02d}"
        return out

    def ordinal(self) -> float:
        """A number for placing the date on a time axis (years, with months and days as fractions)."""
        month = self.month or 1
        day = self.day or 1
        return self.year + (month - 1) / 12 + (day - 1) / 365.25

    def display(self) -> str:
        """``6 May 1993``, ``February 1988`` or ``1991``."""
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return f"{self.day} {MONTH_NAMES[self.month - 1]} {self.year}"


@dataclass(frozen=True)
class Fact:
    """A key fact drawn from the text: label, value, and the sentence (in a section) it comes from."""

    label: str
    value: str
    section_id: str
    sentence: Sentence
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Event:
    """A dated event for the timeline, with the sentence (in a section) that states it."""

    date: PartialDate
    label: str
    section_id: str
    sentence: Sentence
    location: SourceLocation | None = None


@dataclass(frozen=True)
class Entry:
    """A bibliography entry: key, type and fields as BibTeX values, plus their plain-text rendering."""

    key: str
    entry_type: str
    fields: tuple[tuple[str, str], ...]
    text_fields: tuple[tuple[str, str], ...]
    location: SourceLocation | None = None

    def field(self, name: str) -> str | None:
        """A field's BibTeX value, or None."""
        return self._field_map.get(name.lower())

    def text(self, name: str) -> str | None:
        """A field's value as plain Unicode text (TeX markup decoded), or None."""
        return self._text_map.get(name.lower())

    # the fields by name, made once per entry (a citation style asks for dozens of fields of each entry)
    @cached_property
    def _field_map(self) -> dict[str, str]:
        return dict(self.fields)

    @cached_property
    def _text_map(self) -> dict[str, str]:
        return dict(self.text_fields)

    @property
    def marker(self) -> str | None:
        """The source article's reference number this entry stands for, if any: the ``marker`` field, or
        else a number in ``usera`` (biblatex's custom field, which the BibTeX writer uses for it)."""
        marker = self.field("marker")
        if marker is None:
            usera = (self.field("usera") or "").strip()
            marker = usera if usera.isascii() and usera.isdigit() else None
        return marker

    @property
    def group(self) -> EntryGroup:
        """Which group of the references list the entry belongs to (from its ``keywords``)."""
        keywords = {k.strip() for k in (self.field("keywords") or "").split(",")}
        if "numbered-reference" in keywords or self.marker is not None:
            return "numbered"
        if "named-work" in keywords:
            return "named"
        if "source-article" in keywords:
            return "article"
        if "this-briefing" in keywords:
            return "briefing"
        return "other"


@dataclass(frozen=True)
class Bibliography:
    """The citation library: entries in file order."""

    entries: tuple[Entry, ...]
    source: str = ""
    _by_key: dict[str, Entry] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({e.key: e for e in self.entries})

    def get(self, key: str) -> Entry | None:
        """The entry with this key, or None."""
        return self._by_key.get(key)

    def __getitem__(self, key: str) -> Entry:
        entry = self.get(key)
        if entry is None:
            raise KeyError(key)
        return entry

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def marker_map(self) -> dict[str, str]:
        """The source's reference numbers mapped to entry keys: ``{"14": "kalbajar-ref-14", …}``."""
        return {e.marker: e.key for e in self.entries if e.marker is not None}

    def subset(self, keys: tuple[str, ...] | list[str] | set[str]) -> Bibliography:
        """Only the entries with these keys (in file order), e.g. for an excerpt."""
        wanted = set(keys)
        return Bibliography(tuple(e for e in self.entries if e.key in wanted), self.source)


@dataclass(frozen=True)
class Metadata:
    """Document-level facts: titles, language, source and licence, and editorial notes.

    ``slug`` names the output files (``<slug>-briefing.pdf``, ``<slug>.bib``); ``attribution``,
    ``references_note`` and ``glossary_note`` are the article's own words for the colophon and the
    introductions of its references and glossary (left out when empty).
    """

    title: str
    subtitle: str = ""
    short_title: str = ""
    language: str = "en"
    author: str = ""
    source_title: str = ""
    source_url: str = ""
    licence_name: str = ""
    licence_url: str = ""
    notes: tuple[str, ...] = ()
    article_key: str | None = None
    briefing_key: str | None = None
    slug: str = "article"
    attribution: str = ""
    references_note: str = ""
    glossary_note: str = ""
    locations: tuple[tuple[str, SourceLocation], ...] = ()

    def location(self, name: str) -> SourceLocation | None:
        """Where directive ``name`` was read (``title``, ``source``, ``note 2`` …), if known."""
        return dict(self.locations).get(name)


@dataclass(frozen=True)
class Article:
    """The whole document: metadata, sections, glossary, key facts, dated events and bibliography.

    ``explanatory`` holds the explanatory notes citations of kind ``note`` name; ``omitted`` counts what a
    reader left out of the text, by kind, with the names of what it was where that helps
    (``("templates", 3, ("Campaignbox Test War", …))``), for the build to report."""

    metadata: Metadata
    sections: tuple[Section, ...]
    bibliography: Bibliography
    glossary: tuple[GlossaryEntry, ...] = ()
    facts: tuple[Fact, ...] = ()
    events: tuple[Event, ...] = ()
    source: str = ""
    explanatory: tuple[ExplanatoryNote, ...] = ()
    omitted: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    _index: dict[str, Section] = field(default_factory=dict, init=False, repr=False, compare=False)
    _notes: dict[str, ExplanatoryNote] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._index.update({s.id: s for s in self.walk()})
        self._notes.update({n.key: n for n in self.explanatory})

    def explanatory_note(self, key: str) -> ExplanatoryNote:
        """The explanatory note a ``Citation(kind="note")`` names."""
        return self._notes[key]

    def walk(self) -> Iterator[Section]:
        """Every section and subsection, depth first, in reading order."""
        for sec in self.sections:
            yield from sec.walk()

    def section(self, section_id: str) -> Section:
        """The section with this id (subsections included); raises UnknownSectionError."""
        try:
            return self._index[section_id]
        except KeyError:
            known = ", ".join(self._index)
            raise UnknownSectionError(
                f"unknown section id {section_id!r} (known: {known})", self.source, None
            ) from None

    @property
    def section_ids(self) -> tuple[str, ...]:
        """All section ids in reading order."""
        return tuple(self._index)

    def sentences(self) -> Iterator[Sentence]:
        """Every sentence of the article in reading order."""
        for sec in self.sections:
            yield from sec.sentences()

    def citations(self) -> Iterator[Citation]:
        """Every citation of the text in reading order; an explanatory note's own citations follow the
        citation of the note."""
        for sec in self.sections:
            yield from self._expand(sec.citations())

    def all_citations(self) -> Iterator[Citation]:
        """The citations of the text, then those of the key facts (an infobox's cite on their own)."""
        yield from self.citations()
        yield from self._expand(c for f in self.facts for c in f.sentence.citations)

    def _expand(self, citations: Iterable[Citation], depth: int = 0) -> Iterator[Citation]:
        for cite in citations:
            yield cite
            note = self._notes.get(cite.key) if cite.kind == "note" else None
            if note is not None and depth < 8:  # notes citing notes: a cycle ends here
                yield from self._expand((c for s in note.sentences for c in s.citations), depth + 1)

    def cited_keys(self) -> tuple[str, ...]:
        """Keys of the works cited anywhere (notes' citations included), in order of first citation."""
        return tuple(dict.fromkeys(c.key for c in self.all_citations() if c.kind != "note"))

    def excerpt(self, section_ids: list[str] | tuple[str, ...]) -> Article:
        """A stand-alone article of only these sections, carrying only the references they cite.

        A section named together with one of its ancestors is printed once, inside that ancestor."""
        named = tuple(self.section(sid) for sid in dict.fromkeys(section_ids))
        # a section named with one of its ancestors is already inside it: print it once
        inside = {sub.id for s in named for sub in s.walk() if sub is not s}
        chosen = tuple(s for s in named if s.id not in inside)
        citations = list(self._expand(c for s in chosen for c in s.citations()))
        cited = {c.key for c in citations if c.kind != "note"}
        notes = {c.key for c in citations if c.kind == "note"}
        keep = {k for k in (self.metadata.article_key, self.metadata.briefing_key) if k}
        ids = {x.id for s in chosen for x in s.walk()}
        return Article(
            metadata=self.metadata,
            sections=chosen,
            bibliography=self.bibliography.subset(cited | keep),
            glossary=self.glossary,
            facts=tuple(f for f in self.facts if f.section_id in ids),
            events=tuple(e for e in self.events if e.section_id in ids),
            source=self.source,
            explanatory=tuple(n for n in self.explanatory if n.key in notes),
            omitted=self.omitted,
        )
