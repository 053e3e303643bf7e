"""What goes on a page: pure functions of heights, line counts and notes (no ReportLab here).

The ReportLab side measures (how many lines a paragraph has, which marker occurrences each line holds, how
many lines each note has) and draws; these functions decide how many lines of a paragraph stand on the
current page with the notes of their markers, how those notes stand (whole, or long ones split with the
rest carried to the next page), and which carried notes a new page takes. Rules: every note stands at the
foot of its marker's page; at least two lines of a paragraph on each side of a page break; no page ends
on a hyphenated line.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple


class NoteMetrics(NamedTuple):
    """The note area's geometry: a note of n lines takes ``n * leading + gap``."""

    leading: float
    gap: float
    separator: float  # white space, rule and space above the first note
    continued: float  # the "continued on the next page" line under a split note
    split_min: float  # a note is split only when taller than this (else it moves with its text)
    min_lines: int = 2  # lines of a split note that stand on its marker's page

    def height(self, lines: int) -> float:
        return lines * self.leading + self.gap


class NotePlan(NamedTuple):
    """How new notes stand on a page: their order, the split ones with the lines kept here, and how much
    the note area grows."""

    notes: tuple[str, ...]
    splits: Mapping[str, int] = MappingProxyType({})  # shared by every plan: read-only
    grow: float = 0.0


def lines_to_keep(hyphenated: Sequence[bool], fit: int, orphans: int = 2, widows: int = 2) -> int:
    """How many lines of a paragraph (``hyphenated``: whether each line ends at a hyphen) to keep on a
    page that has room for ``fit`` lines: all when they fit; else the most that leave ``orphans`` lines
    here and ``widows`` lines for the next page without ending the page on a hyphen (that rule gives way
    before the others); 0 when none can stay."""
    n = len(hyphenated)
    if fit >= n:
        return n
    upper = min(fit, n - widows)
    for k in range(upper, orphans - 1, -1):
        if not hyphenated[k - 1]:
            return k
    return upper if upper >= orphans else 0


def new_notes(
    occurrences: Sequence[str],
    occurrence_note: Mapping[str, str],
    on_page: set[str] | frozenset[str],
    stands_for: Mapping[str, str],
) -> list[str]:
    """Notes the occurrences need that are not yet on the page, in order (a short note gives way to its
    full note when that is on the page, or comes with the same text)."""
    out: list[str] = []
    seen: set[str] = set()
    for occ in occurrences:
        note = occurrence_note[occ]
        instead = stands_for.get(note)
        if (
            note in on_page
            or note in seen
            or (instead is not None and (instead in on_page or instead in seen))
        ):
            continue
        out.append(note)
        seen.add(note)
    return out


def plan_notes(
    notes: Sequence[str], lines: Mapping[str, int], room: float, first_on_page: bool, m: NoteMetrics
) -> NotePlan | None:
    """How ``notes`` (new on this page) stand in ``room``: whole if they fit; else the fewest of the long
    ones split (set after the whole ones, each keeping ``min_lines`` here and the last as many as fit);
    None when even that does not fit."""
    separator = m.separator if first_on_page and notes else 0.0
    whole = separator + sum(m.height(lines[n]) for n in notes)
    if whole <= room + 1e-6:
        return NotePlan(tuple(notes), {}, whole)
    long_notes = sorted((n for n in notes if m.height(lines[n]) > m.split_min), key=lambda n: -lines[n])
    for count in range(1, len(long_notes) + 1):
        chosen = set(long_notes[:count])
        kept = [n for n in notes if n not in chosen]
        split = [n for n in notes if n in chosen]
        left = room - separator - sum(m.height(lines[n]) for n in kept)
        splits: dict[str, int] = {}
        for i, note in enumerate(split):
            per_line = m.leading
            if i == len(split) - 1:
                k = math.floor((left - m.gap - m.continued + 1e-6) / per_line)
            else:
                k = m.min_lines
            k = min(k, lines[note] - 1)
            if k < m.min_lines:
                break
            splits[note] = k
            left -= m.height(k) + m.continued
        else:
            if left >= -1e-6:
                return NotePlan((*kept, *split), splits, room - left)
    return None


class Fit(NamedTuple):
    """How many lines of a paragraph stand on this page, and how their new notes stand."""

    lines: int
    plan: NotePlan | None


def fit_lines(
    line_occurrences: Sequence[Sequence[str]],
    hyphenated: Sequence[bool],
    line_height: float,
    room: float,
    occurrence_note: Mapping[str, str],
    on_page: set[str] | frozenset[str],
    stands_for: Mapping[str, str],
    note_lines: Mapping[str, int],
    first_on_page: bool,
    m: NoteMetrics,
    orphans: int = 2,
    widows: int = 2,
) -> Fit:
    """The most lines of a paragraph that stand in ``room`` together with the notes of their markers
    (some long ones split), within the widow, orphan and hyphen rules; ``Fit(0, None)`` when none can.

    Linear in the paragraph: the lines are taken one by one, and the notes they bring added as they come."""
    n = len(line_occurrences)
    plans: list[NotePlan | None] = [NotePlan(())]
    notes: list[str] = []
    seen: set[str] = set(on_page)
    for k in range(1, n + 1):
        text = k * line_height
        if text > room + 1e-6:
            break
        for note in new_notes(line_occurrences[k - 1], occurrence_note, seen, stands_for):
            notes.append(note)
            seen.add(note)
        plan = plan_notes(notes, note_lines, room - text, first_on_page, m)
        if plan is None:
            break
        plans.append(plan)
    fit = len(plans) - 1
    keep = lines_to_keep(hyphenated, fit, orphans, widows)
    return Fit(keep, plans[keep] if keep else None)


class Carried(NamedTuple):
    """A note, or the rest of one, waiting for the next page: its id and the lines left."""

    note: str
    lines: int


class Take(NamedTuple):
    """What a new page takes of the carried notes: the parts set here (note, lines, whether it goes on
    after this page) and what is still carried."""

    placed: tuple[tuple[str, int, bool], ...]
    carry: tuple[Carried, ...]
    height: float


def take_carried(carry: Sequence[Carried], limit: float, already: float, m: NoteMetrics) -> Take:
    """Set carried notes at the top of a page's note area, in order, until the notes take ``limit``
    (``already``: what the area holds now, 0 when empty): the note crossing it is split again if
    ``min_lines`` of it fit; it and those behind it are carried on."""
    room = limit - (already if already else m.separator)
    placed: list[tuple[str, int, bool]] = []
    height = 0.0 if already else m.separator
    for i, part in enumerate(carry):
        h = m.height(part.lines)
        if h > room + 1e-6:
            k = min(math.floor((room - m.gap - m.continued + 1e-6) / m.leading), part.lines - 1)
            rest = list(carry[i:])
            if k >= m.min_lines:
                placed.append((part.note, k, True))
                height += m.height(k) + m.continued
                rest[0] = Carried(part.note, part.lines - k)
            return Take(tuple(placed), tuple(rest), height if placed else 0.0)
        placed.append((part.note, part.lines, False))
        height += h
        room -= h
    return Take(tuple(placed), (), height if placed else 0.0)
