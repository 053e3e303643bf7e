"""The note table: every citation's note resolved once, before any writer runs.

Like docutils' footnote transform, one pass over the article gives each distinct note (a work with its
locator, or an explanatory note) an id and the label its marker prints, in order of first use. The PDF and
HTML writers read this table; none of them numbers or labels notes on its own.

Labels: a numbered citation prints its own label (the source's number, or Wikipedia's note number); an
explanatory note prints the label its reader gave it; a work cited by key prints a letter (a, b, …) in order
of first use, so letters cannot be confused with the source's numbers. The same work at another locator is
another note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Article, Citation, CitationKind

NoteIdentity = tuple[CitationKind, str, str, str | None]


@dataclass(frozen=True)
class Note:
    """One note: its id (``n1``, ``n2`` … in order of first use), the label its markers print, and what it
    says: the entry ``key`` (or the explanatory note's key) at ``locator``."""

    id: str
    label: str
    kind: CitationKind
    key: str
    locator: str | None = None


def _identity(cite: Citation) -> NoteIdentity:
    return (cite.kind, cite.key, "" if cite.kind == "named" else cite.label, cite.locator)


def letter(index: int, *, upper: bool = False) -> str:
    """``a`` … ``z``, ``aa`` … for 0, 1, … (``A`` … with ``upper``)."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("A" if upper else "a") + rem) + out
    return out


@dataclass(frozen=True)
class NoteTable:
    """The notes of an article in order of first use, and the note of every citation."""

    notes: tuple[Note, ...]
    _by_identity: dict[NoteIdentity, Note] = field(repr=False, compare=False)

    @classmethod
    def of(cls, article: Article) -> NoteTable:
        """Resolve every citation of ``article`` (explanatory notes' own citations included)."""
        by_identity: dict[NoteIdentity, Note] = {}
        letters: dict[tuple[str, str | None], str] = {}
        for cite in article.all_citations():
            ident = _identity(cite)
            if ident in by_identity:
                continue
            if cite.kind == "named":
                label = letters.setdefault((cite.key, cite.locator), letter(len(letters)))
            else:
                label = cite.label
            by_identity[ident] = Note(f"n{len(by_identity) + 1}", label, cite.kind, cite.key, cite.locator)
        return cls(tuple(by_identity.values()), by_identity)

    def note(self, cite: Citation) -> Note:
        """The note of a citation of this article."""
        return self._by_identity[_identity(cite)]

    def label(self, cite: Citation) -> str:
        """The label a citation's marker prints."""
        return self.note(cite).label

    def by_id(self) -> dict[str, Note]:
        """The notes by id."""
        return {n.id: n for n in self.notes}

    def entry_labels(self) -> dict[str, str]:
        """For every cited entry key, the label of its first note (what the references list prints)."""
        out: dict[str, str] = {}
        for note in self.notes:
            if note.kind != "note":
                out.setdefault(note.key, note.label)
        return out
