"""The house style behind the interface every citation style has (:class:`CitationStyle`), kept apart from
:mod:`kalbajar_report.cslstyle` so that a default build imports nothing it does not use."""

from __future__ import annotations

from typing import Final, Protocol

from .citestyle import Run, format_entry
from .model import Entry


class CitationStyle(Protocol):
    """What the writers ask of a citation style (the house style or a CSL style)."""

    @property
    def name(self) -> str: ...

    @property
    def is_note_style(self) -> bool: ...

    def reference(self, entry: Entry) -> tuple[Run, ...]:
        """The entry as the references list sets it."""
        ...

    def note(self, entry: Entry, locator: str | None = None, first: bool = True) -> tuple[Run, ...]:
        """What a note citing the entry (at ``locator``) says; ``first``: the entry's first note."""
        ...


def with_locator(runs: tuple[Run, ...], locator: str | None) -> tuple[Run, ...]:
    """A full reference followed by the locator as written, in parentheses: ``… 2005. (p. 12)``."""
    if not locator or not locator.strip():
        return runs
    return (*runs, Run(f" ({' '.join(locator.split())})"))


class HouseStyle:
    """The house style (:mod:`kalbajar_report.citestyle`): the full reference in every note.

    Stateless and immutable (no instance attributes; ``__slots__`` is empty). Not a dataclass: making one
    costs a default build 1.3 ms of import time for nothing."""

    __slots__ = ()
    name: Final = "house"
    is_note_style: Final = False

    def reference(self, entry: Entry) -> tuple[Run, ...]:
        """The full reference (:func:`~kalbajar_report.citestyle.format_entry`)."""
        return format_entry(entry)

    def note(self, entry: Entry, locator: str | None = None, first: bool = True) -> tuple[Run, ...]:
        """The full reference, then the locator: ``… 2005. (p. 12)``."""
        return with_locator(format_entry(entry), locator)


#: the default style: the house style
HOUSE_STYLE = HouseStyle()
