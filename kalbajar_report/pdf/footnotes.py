"""Page-bottom footnotes for ReportLab PLATYPUS.

A marker in a paragraph is an anchor ``<a name="m-OCC"/>`` (one per occurrence). The frame reserves room at
its bottom for the notes of the markers it places, so each note stands at the foot of its marker's page:
a paragraph that does not fit with its notes is split so that the part kept on the page fits with the notes
of the markers in that part; a note already on the page is not repeated; a note too long for the room left
is split, the rest carried to the top of the next page's note area with a continuation mark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageBreak, Paragraph

from .linecache import CachedBreaks

MARK_PREFIX = "m-"
NOTE_PREFIX = "n-"

NoteFactory = Callable[[str], Paragraph]


def occurrences_in(flowable: Any) -> tuple[str, ...]:
    """The marker occurrences (anchors ``m-OCC``) a flowable holds, in order."""
    declared = getattr(flowable, "note_occurrences", None)
    if declared is not None:
        return tuple(declared)
    frags = getattr(flowable, "frags", None)
    return () if frags is None else _occurrences_in_frags(frags)


def _occurrences_in_frags(frags: Any) -> tuple[str, ...]:
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, list | tuple):
            for sub in item:
                walk(sub)
            return
        cb = getattr(item, "cbDefn", None)
        if cb is not None and getattr(cb, "kind", None) == "anchor":
            name = getattr(cb, "name", "")
            if name.startswith(MARK_PREFIX):
                found.append(name[len(MARK_PREFIX) :])

    walk(frags)
    return tuple(dict.fromkeys(found))


class NotedParagraph(CachedBreaks):
    """A paragraph that finds the markers it holds once, when made (as do the parts it splits into)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note_occurrences = _occurrences_in_frags(self.frags)


@dataclass
class _Placed:
    note_id: str
    flowable: Flowable
    height: float
    occurrences: list[str]
    continued: bool = False
    continuation: bool = False


@dataclass
class NoteStyle:
    """Geometry and faces of the note area."""

    label_font: str
    continued_font: str
    gap_above: float = 8.0  # white space between text and the rule
    rule_width: float = 120.0
    rule_to_notes: float = 5.0
    note_gap: float = 2.0
    gutter: float = 22.0  # the note label's column
    label_size: float = 7.5
    label_color: Color | None = None
    continued_text: str = "continued on the next page"
    continued_size: float = 6.5
    carry_share: float = 0.5  # notes carried over take at most this share of a page's height
    split_share: float = 0.25  # a note is split only when taller than this share of a page's height


@dataclass
class FootnoteLayout:
    """Per-build footnote state: which notes stand on the current page and where every marker landed."""

    occurrence_note: Mapping[str, str]
    note_label: Mapping[str, str]
    make_note: NoteFactory
    width: float
    style: NoteStyle
    page: int = 0
    placed: list[_Placed] = field(default_factory=list)
    carry: list[_Placed] = field(default_factory=list)
    occurrence_pages: dict[str, int] = field(default_factory=dict)
    frame_height: float = 0.0  # of the current page's frame
    #: a note another note stands for when both would be on one page (a style's short note of an entry
    #: whose full note is already there: one note per page, the full one)
    stands_for: Mapping[str, str] = field(default_factory=dict)
    _notes: dict[str, tuple[Paragraph, float]] = field(default_factory=dict, repr=False)

    # --- heights -------------------------------------------------------------------------------------
    @property
    def text_width(self) -> float:
        return self.width - self.style.gutter

    def _separator(self) -> float:
        return self.style.gap_above + self.style.rule_to_notes

    def _note(self, note_id: str) -> tuple[Paragraph, float]:
        """The note's paragraph, wrapped once per build (its width never changes)."""
        cached = self._notes.get(note_id)
        if cached is None:
            para = self.make_note(note_id)
            _, h = para.wrap(self.text_width, 10_000)
            cached = self._notes[note_id] = (para, h + self.style.note_gap)
        return cached

    def reserved(self) -> float:
        """The height the notes of this page take, separator included."""
        if not self.placed:
            return 0.0
        total = self._separator() + sum(p.height for p in self.placed)
        return total + sum(self._continued_line() for p in self.placed if p.continued)

    def _continued_line(self) -> float:
        return self.style.continued_size + 3

    def new_notes(self, occurrences: Iterable[str]) -> list[str]:
        """Notes the occurrences need that are not yet on this page, in order."""
        on_page = {p.note_id for p in self.placed}
        out: list[str] = []
        for occ in occurrences:
            note = self.occurrence_note[occ]
            instead = self.stands_for.get(note)
            if note not in on_page and note not in out and (instead is None or instead not in on_page):
                if instead is not None and instead in out:
                    continue
                out.append(note)
        return out

    def extra_for(self, notes: list[str]) -> float:
        """How much the reservation grows if these notes join the page."""
        if not notes:
            return 0.0
        extra = sum(self._note(n)[1] for n in notes)
        return extra + (0.0 if self.placed else self._separator())

    # --- placing -------------------------------------------------------------------------------------
    def begin_page(self, page: int, frame: Frame) -> None:
        """Start a page: notes carried over from the previous page take the top of the note area, in order,
        up to the share of the page carried notes may take (the rest is carried on)."""
        self.page = page
        self.frame_height = frame._height
        self.placed = []
        self.take_carry(frame, frame._height * self.style.carry_share)

    def take_carry(self, frame: Frame, limit: float) -> None:
        """Set carried notes after this page's notes, in order, until the notes take ``limit``: the note
        crossing it is split again if two lines of it fit, and it and those behind it are carried on."""
        before = self.reserved()
        room = limit - (before if self.placed else self._separator())
        carry, self.carry = self.carry, []
        for i, part in enumerate(carry):
            if part.height > room:
                split = self.try_split_note(part.flowable, room)
                if split is not None:
                    first, rest = split
                    h = self._height_of(first)
                    self.placed.append(_Placed(part.note_id, first, h, [], continued=True, continuation=True))
                    part = _Placed(part.note_id, rest, self._height_of(rest), [], continuation=True)
                self.carry = [part, *carry[i + 1 :]]  # it and those behind it wait, in their order
                break
            self.placed.append(part)
            room -= part.height + (self._continued_line() if part.continued else 0.0)
        frame._y1p += self.reserved() - before

    def carried_here(self) -> bool:
        """Whether this page holds notes carried over from an earlier page."""
        return any(p.continuation for p in self.placed)

    def _height_of(self, note_part: Flowable) -> float:
        return float(note_part.wrap(self.text_width, 10_000)[1]) + self.style.note_gap

    def place(
        self,
        occurrences: tuple[str, ...],
        notes: list[str],
        splits: Mapping[str, tuple[Flowable, Flowable]] | None = None,
    ) -> None:
        """Record notes as standing on this page, in this order; those in ``splits`` as their first part,
        the second carried to the next page."""
        for note in notes:
            para, h = self._note(note)
            occs = [o for o in occurrences if self.occurrence_note[o] == note]
            entry = _Placed(note, para, h, occs)
            if splits and note in splits:
                first, rest = splits[note]
                entry = _Placed(note, first, self._height_of(first), occs, continued=True)
                self.carry.append(_Placed(note, rest, self._height_of(rest), [], continuation=True))
            self.placed.append(entry)
        on_page = {p.note_id: p for p in self.placed}
        for occ in occurrences:
            self.occurrence_pages.setdefault(occ, self.page)
            note = self.occurrence_note[occ]
            holder = on_page.get(note) or on_page.get(self.stands_for.get(note, note))
            if holder is not None and occ not in holder.occurrences:
                holder.occurrences.append(occ)

    def try_split_note(self, note: Flowable, room: float) -> tuple[Flowable, Flowable] | None:
        """Split a note (or a carried part of one) so its first part fits ``room`` with the continuation
        line; None if it cannot (less than two lines would stay)."""
        usable = room - self.style.note_gap - self._continued_line()
        if usable < 2 * getattr(note.style, "leading", 10):
            return None
        parts = note.split(self.text_width, usable)
        if len(parts) != 2:
            return None
        return parts[0], parts[1]

    def splittable(self, note: str) -> bool:
        """Whether a note is long enough to be split across pages rather than move with its text."""
        return self._note(note)[1] > self.frame_height * self.style.split_share

    def plan(self, notes: list[str], room: float) -> NotePlan | None:
        """How ``notes`` (new on this page) stand in ``room`` when they do not all fit whole, splitting only
        long notes: the last if that is enough; else the longest, set last, next to its continuation;
        else as many of the longest as need be, each set after the whole ones with its first two lines
        here. None when even that does not fit."""
        long_notes = sorted((n for n in notes if self.splittable(n)), key=lambda n: -self._note(n)[1])
        if not long_notes:
            return None
        separator = 0.0 if self.placed else self._separator()
        single = [n for n in (notes[-1], long_notes[0]) if n in long_notes]
        for split_note in dict.fromkeys(single):
            order = [n for n in notes if n != split_note] + [split_note]
            whole = sum(self._note(n)[1] for n in order[:-1])
            split = self.try_split_note(self._note(split_note)[0], room - separator - whole)
            if split is not None:
                return self._plan(order, {split_note: split}, separator)
        for count in range(2, len(long_notes) + 1):
            chosen = set(long_notes[:count])
            order = [n for n in notes if n not in chosen] + [n for n in notes if n in chosen]
            left = room - separator - sum(self._note(n)[1] for n in order[: len(notes) - count])
            splits: dict[str, tuple[Flowable, Flowable]] = {}
            for i, note in enumerate(order[len(notes) - count :]):
                para = self._note(note)[0]
                last = i == count - 1
                two_lines = self.style.note_gap + self._continued_line() + 2.05 * para.style.leading
                share = left if last else two_lines  # a hair over two lines, so the split keeps both
                split = self.try_split_note(para, share)
                if split is None:
                    break
                splits[note] = split
                left -= self._height_of(split[0]) + self._continued_line()
            else:
                return self._plan(order, splits, separator)
        return None

    def _plan(
        self, order: list[str], splits: dict[str, tuple[Flowable, Flowable]], separator: float
    ) -> NotePlan:
        height = separator + sum(
            self._height_of(splits[n][0]) + self._continued_line() if n in splits else self._note(n)[1]
            for n in order
        )
        return NotePlan(order, splits, height)

    # --- drawing -------------------------------------------------------------------------------------
    def draw(self, canv: Canvas, frame: Frame) -> None:
        """Draw this page's notes at the bottom of ``frame``: a short rule, then each note with its label."""
        if not self.placed:
            return
        st = self.style
        x = frame._x1 + frame._leftPadding
        bottom = frame._y1 + frame._bottomPadding
        top = bottom + self.reserved() - st.gap_above
        canv.saveState()
        canv.setLineWidth(0.4)
        canv.line(x, top, x + st.rule_width, top)
        y = top - st.rule_to_notes
        for item in self.placed:
            h = item.height - st.note_gap
            item.flowable.drawOn(canv, x + st.gutter, y - h)
            label = self.note_label[item.note_id]
            first_line = y - getattr(getattr(item.flowable, "style", None), "fontSize", 8)
            if st.label_color is not None:
                canv.setFillColor(st.label_color)
            canv.setFont(st.label_font, st.label_size)
            canv.drawRightString(x + st.gutter - 5, first_line, label)
            if item.continuation:
                canv.setFont(st.continued_font, st.continued_size)
                canv.drawRightString(x + st.gutter - 5, first_line - st.label_size - 1, "cont.")
            for occ in item.occurrences:
                canv.bookmarkHorizontal(NOTE_PREFIX + occ, x, y + 2)
            y -= item.height
            if item.continued:
                canv.setFont(st.continued_font, st.continued_size)
                canv.drawRightString(x + self.width, y - st.continued_size, st.continued_text)
                y -= st.continued_size + 3
        canv.restoreState()


class CarriedNotes(Flowable):  # type: ignore[misc]
    """The end of a story: as many more pages as the notes still carried over need (none, mostly)."""

    _ZEROSIZE = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        pass  # nothing to draw, not even a saved graphics state


@dataclass(frozen=True)
class NotePlan:
    """How a flowable's new notes stand on a page when some are split: their order on the page, the split
    ones' two parts and the room the page's notes grow by."""

    notes: list[str]
    splits: dict[str, tuple[Flowable, Flowable]]
    grow: float


class NoteFrame(Frame):  # type: ignore[misc]
    """A Frame that makes room at its bottom for the notes of the markers it places."""

    def __init__(self, *args: Any, layout_ref: Callable[[], FootnoteLayout | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._layout_ref = layout_ref

    def _reset(self) -> None:
        super()._reset()
        self._y1p = self._y1 + self._bottomPadding  # give back the room the last page's notes took

    def _space_before(self, flowable: Flowable) -> float:
        if self._atTop:
            return 0.0
        s = float(flowable.getSpaceBefore())
        if self._oASpace:
            s = max(s - self._prevASpace, 0)
        return s

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        layout = self._layout_ref()
        if isinstance(flowable, CarriedNotes) and layout is not None and layout.carry:
            return 0  # split() turns the page
        occurrences = occurrences_in(flowable) if layout is not None else ()
        if layout is None or not occurrences:
            return int(Frame._add(self, flowable, canv, trySplit))
        notes = layout.new_notes(occurrences)
        extra = layout.extra_for(notes)
        self._y1p += extra
        if Frame._add(self, flowable, canv, trySplit):
            layout.place(occurrences, notes, None)
            return 1
        self._y1p -= extra
        # the text fits but the notes are too long for the room left: split some of them
        plan = self._note_plan(flowable, notes, layout)
        if plan is not None:
            self._y1p += plan.grow
            if Frame._add(self, flowable, canv, trySplit):
                layout.place(occurrences, plan.notes, plan.splits)
                return 1
            self._y1p -= plan.grow
        return 0

    def _note_plan(self, flowable: Flowable, notes: list[str], layout: FootnoteLayout) -> NotePlan | None:
        """How ``flowable``'s new notes stand here with it, some split; None when they cannot."""
        avail = self._y - self._y1p - self._space_before(flowable)
        _, h = flowable.wrap(self._getAvailableWidth(), avail)
        return layout.plan(notes, avail - h) if h <= avail else None

    _add = add

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        layout = self._layout_ref()
        if isinstance(flowable, CarriedNotes):
            return [PageBreak(), flowable] if layout is not None and layout.carry else []
        occurrences = occurrences_in(flowable) if layout is not None else ()
        if layout is None or not occurrences:
            return list(Frame.split(self, flowable, canv))
        notes = layout.new_notes(occurrences)
        extra = layout.extra_for(notes)
        parts = self._split_with(flowable, canv, extra)
        if parts:
            return self._most_lines(flowable, canv, layout, parts)
        parts = self._dense_split(flowable, canv, layout)
        if not parts and self._atTop and layout.carried_here():
            # notes carried over leave no room for this text: let them fill this page, and go on
            layout.take_carry(self, self._height)
            return [PageBreak(), flowable]
        return parts

    def _fits(self, part: Flowable, layout: FootnoteLayout) -> bool:
        """Whether ``part`` (the first part of a split) would stand here with its notes, whole or planned:
        what :meth:`add` will accept."""
        notes = layout.new_notes(occurrences_in(part))
        room = self._y - self._y1p - self._space_before(part) - float(part.height)  # split set its height
        return layout.extra_for(notes) <= room or (room >= 0 and layout.plan(notes, room) is not None)

    def _most_lines(
        self, flowable: Flowable, canv: Canvas, layout: FootnoteLayout, parts: list[Flowable]
    ) -> list[Flowable]:
        """``parts`` came from room left for all the flowable's notes, so they fit; the kept part may hold
        fewer markers than the whole, though, and more lines may fit above their notes (or with long ones
        split). Keep the most lines that fit, as :meth:`add` judges (else the rest of the paragraph would
        start again on this page)."""
        if not hasattr(parts[0], "blPara"):
            return parts
        notes = layout.new_notes(occurrences_in(flowable))
        fits = len(parts[0].blPara.lines)
        fails = len(flowable.blPara.lines)  # add() found the whole would not fit
        if not any(layout.splittable(n) for n in notes):
            kept = layout.extra_for(layout.new_notes(occurrences_in(parts[0])))
            wider = self._split_with(flowable, canv, kept)  # [flowable] when every line would fit
            if not wider:
                return parts
            if wider[0] is not flowable and self._fits(wider[0], layout):
                return wider  # the same notes as the kept part: as many lines as fit above them
            fails = len(wider[0].blPara.lines)
        avail = self._y - self._y1p - self._space_before(flowable)
        step = float(flowable.style.leading)
        while fails - fits > 1:  # bisect on the number of lines
            lines = (fits + fails) // 2
            trial = self._split_with(flowable, canv, avail - lines * step - 1e-6)
            if trial and trial[0] is not flowable and self._fits(trial[0], layout):
                parts, fits = trial, len(trial[0].blPara.lines)
                if fits < lines:  # widow control took a line back
                    break
            else:
                fails = lines
        return parts

    def _dense_split(self, flowable: Flowable, canv: Canvas, layout: FootnoteLayout) -> list[Flowable]:
        """More notes than room: keep the largest first part that fits with its notes, whole or with long
        ones split; else nothing here (the paragraph starts on the next page)."""
        avail = self._y - self._y1p - self._space_before(flowable)
        step = float(getattr(getattr(flowable, "style", None), "leading", 12))
        reserve = step
        while reserve < avail - step:  # the largest first part first
            parts = self._split_with(flowable, canv, reserve)
            if parts and self._fits(parts[0], layout):
                return parts
            reserve += step
        return []

    def _split_with(self, flowable: Flowable, canv: Canvas, reserve: float) -> list[Flowable]:
        self._y1p += reserve
        try:
            return list(Frame.split(self, flowable, canv))
        finally:
            self._y1p -= reserve
