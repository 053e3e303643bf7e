"""Page-bottom footnotes for ReportLab PLATYPUS.

A marker in a paragraph is an anchor ``<a name="m-OCC"/>`` (one per occurrence); our paragraphs know which
occurrences each of their lines holds. The frame asks :mod:`.pagebuilder` (pure arithmetic) how many lines
of a paragraph stand on the page with the notes of their markers, reserves room at its bottom for those
notes, and splits the paragraph there: each note stands at the foot of its marker's page, a note already
on the page is not repeated, a long note that does not fit is split and the rest carried to the top of
the next page's note area with a continuation mark.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, PageBreak

from . import pagebuilder, rlcompat
from .pagebuilder import Carried, Fit, NoteMetrics, NotePlan
from .paragraph import MARK_PREFIX, Para, widow_rules

NOTE_PREFIX = "n-"
__all__ = ["MARK_PREFIX", "NOTE_PREFIX", "CarriedNotes", "FootnoteLayout", "NoteFrame", "NoteStyle"]

NoteFactory = Callable[[str], Para]


def occurrences_in(flowable: Any) -> tuple[str, ...]:
    """The marker occurrences (anchors ``m-OCC``) a flowable holds, in order."""
    return tuple(getattr(flowable, "note_occurrences", ()))


class _Placed:
    __slots__ = ("continuation", "continued", "lines", "note_id", "occurrences", "para")

    def __init__(
        self,
        note_id: str,
        para: Para,
        lines: int,
        occurrences: list[str],
        continued: bool = False,  # goes on on the next page
        continuation: bool = False,  # carried over from an earlier page
    ) -> None:
        self.note_id = note_id
        self.para = para
        self.lines = lines
        self.occurrences = occurrences
        self.continued = continued
        self.continuation = continuation


class _Carry:
    __slots__ = ("lines", "note_id", "para")

    def __init__(self, note_id: str, para: Para, lines: int) -> None:
        self.note_id = note_id
        self.para = para
        self.lines = lines


class NoteStyle:
    """Geometry and faces of the note area."""

    __slots__ = (
        "carry_share",
        "continued_font",
        "continued_size",
        "continued_text",
        "font_size",
        "gap_above",
        "gutter",
        "label_color",
        "label_font",
        "label_size",
        "leading",
        "note_gap",
        "rule_to_notes",
        "rule_width",
        "split_share",
    )

    def __init__(
        self,
        label_font: str,
        continued_font: str,
        leading: float = 9.6,  # of the note paragraphs' style
        font_size: float = 7.8,
        gap_above: float = 8.0,  # white space between text and the rule
        rule_width: float = 120.0,
        rule_to_notes: float = 5.0,
        note_gap: float = 2.0,
        gutter: float = 22.0,  # the note label's column
        label_size: float = 7.5,
        label_color: Color | None = None,
        continued_text: str = "continued on the next page",
        continued_size: float = 6.5,
        carry_share: float = 0.5,  # notes carried over take at most this share of a page's height
        split_share: float = 0.25,  # a note is split only when taller than this share of a page's height
    ) -> None:
        self.label_font = label_font
        self.continued_font = continued_font
        self.leading = leading
        self.font_size = font_size
        self.gap_above = gap_above
        self.rule_width = rule_width
        self.rule_to_notes = rule_to_notes
        self.note_gap = note_gap
        self.gutter = gutter
        self.label_size = label_size
        self.label_color = label_color
        self.continued_text = continued_text
        self.continued_size = continued_size
        self.carry_share = carry_share
        self.split_share = split_share

    def fits_label(self, label: str) -> bool:
        """Whether ``label`` fits the note column (else the note's text begins with it)."""
        return bool(stringWidth(label, self.label_font, self.label_size) <= self.gutter - 5)


class _LineCounts(Mapping[str, int]):
    """The number of lines of each note, measured when first asked for."""

    def __init__(self, layout: FootnoteLayout) -> None:
        self.layout = layout

    def __getitem__(self, note_id: str) -> int:
        return self.layout.note(note_id)[1]

    def __iter__(self) -> Iterator[str]:
        return iter(self.layout._notes)

    def __len__(self) -> int:
        return len(self.layout._notes)


class FootnoteLayout:
    """Per-build footnote state: which notes stand on the current page and where every marker landed."""

    __slots__ = (
        "_notes",
        "carry",
        "frame_height",
        "line_counts",
        "make_note",
        "note_label",
        "occurrence_note",
        "occurrence_pages",
        "occurrence_source",
        "page",
        "placed",
        "stands_for",
        "style",
        "unset",
        "width",
    )

    def __init__(
        self,
        occurrence_note: Mapping[str, str],
        note_label: Mapping[str, str],
        make_note: NoteFactory,
        width: float,
        style: NoteStyle,
        stands_for: Mapping[str, str] | None = None,
        occurrence_source: Mapping[str, Any] | None = None,
    ) -> None:
        self.occurrence_note = occurrence_note
        self.note_label = note_label
        self.make_note = make_note
        self.width = width
        self.style = style
        #: a note another note stands for when both would be on one page (a style's short note of an entry
        #: whose full note is already there: one note per page, the full one)
        self.stands_for: Mapping[str, str] = {} if stands_for is None else stands_for
        #: where each occurrence's sentence is, for the error when its notes cannot stand on any page
        self.occurrence_source: Mapping[str, Any] = {} if occurrence_source is None else occurrence_source
        # the state of the build
        self.page = 0
        self.placed: list[_Placed] = []
        self.carry: list[_Carry] = []
        self.occurrence_pages: dict[str, int] = {}
        self.frame_height = 0.0  # of the current page's frame
        self.unset: str | None = None  # the occurrence whose notes could not be set, once known
        self._notes: dict[str, tuple[Para, int]] = {}
        self.line_counts = _LineCounts(self)

    # --- measures ------------------------------------------------------------------------------------
    @property
    def text_width(self) -> float:
        return self.width - self.style.gutter

    @property
    def metrics(self) -> NoteMetrics:
        st = self.style
        return NoteMetrics(
            leading=st.leading,
            gap=st.note_gap,
            separator=st.gap_above + st.rule_to_notes,
            continued=st.continued_size + 3,
            split_min=self.frame_height * st.split_share,
        )

    def note(self, note_id: str) -> tuple[Para, int]:
        """The note's paragraph and its number of lines, broken once per build."""
        cached = self._notes.get(note_id)
        if cached is None:
            para = self.make_note(note_id)
            para.wrap(self.text_width, 10_000)
            cached = self._notes[note_id] = (para, para.line_count(self.text_width))
        return cached

    def reserved(self) -> float:
        """The height the notes of this page take, separator included."""
        if not self.placed:
            return 0.0
        m = self.metrics
        total = m.separator + sum(m.height(p.lines) for p in self.placed)
        return total + sum(m.continued for p in self.placed if p.continued)

    def on_page(self) -> frozenset[str]:
        return frozenset(p.note_id for p in self.placed)

    def new_notes(self, occurrences: tuple[str, ...]) -> list[str]:
        """Notes the occurrences need that are not yet on this page, in order."""
        return pagebuilder.new_notes(occurrences, self.occurrence_note, self.on_page(), self.stands_for)

    # --- placing -------------------------------------------------------------------------------------
    def begin_page(self, page: int, frame: Frame) -> None:
        """Start a page: notes carried over from the previous page take the top of the note area, in order,
        up to the share of the page carried notes may take (the rest is carried on)."""
        self.page = page
        self.frame_height = rlcompat.height(frame)
        self.placed = []
        self.take_carry(frame, self.frame_height * self.style.carry_share)

    def take_carry(self, frame: Frame, limit: float) -> None:
        """Set carried notes after this page's notes, in order, until the notes take ``limit``."""
        if not self.carry:
            return
        before = self.reserved()
        take = pagebuilder.take_carried(
            [Carried(c.note_id, c.lines) for c in self.carry], limit, before, self.metrics
        )
        placed = take.placed
        carry: list[_Carry] = []
        for i, part in enumerate(self.carry):
            if i >= len(placed):
                carry.append(part)
                continue
            note_id, lines, goes_on = placed[i]
            if goes_on:
                first, rest = part.para.split_at(self.text_width, lines)
                assert isinstance(first, Para) and isinstance(rest, Para)
                self.placed.append(_Placed(note_id, first, lines, [], continued=True, continuation=True))
                carry.append(_Carry(note_id, rest, part.lines - lines))
            else:
                self.placed.append(_Placed(note_id, part.para, lines, [], continuation=True))
        self.carry = carry
        rlcompat.raise_bottom(frame, self.reserved() - before)

    def carried_here(self) -> bool:
        """Whether this page holds notes carried over from an earlier page."""
        return any(p.continuation for p in self.placed)

    def fit(self, flowable: Para, room: float, any_split: bool = False) -> Fit:
        """How many lines of ``flowable`` stand in ``room`` with their notes (see ``fit_lines``)."""
        width = flowable.width or flowable._width
        lines = flowable.lines(width)
        return pagebuilder.fit_lines(
            [line.occurrences for line in lines],
            [line.hyphenated for line in lines],
            float(flowable.style.leading),
            room,
            self.occurrence_note,
            self.on_page(),
            self.stands_for,
            self.line_counts,
            not self.placed,
            self.metrics._replace(split_min=0.0) if any_split else self.metrics,
            **widow_rules(flowable.style),
        )

    def place(self, occurrences: tuple[str, ...], plan: NotePlan) -> None:
        """Record the plan's notes as standing on this page, in its order; the split ones as their first
        part, the rest carried to the next page."""
        for note in plan.notes:
            para, lines = self.note(note)
            occs = [o for o in occurrences if self.occurrence_note[o] == note]
            kept = plan.splits.get(note)
            if kept is not None:
                first, rest = para.split_at(self.text_width, kept)
                assert isinstance(first, Para) and isinstance(rest, Para)
                self.placed.append(_Placed(note, first, kept, occs, continued=True))
                self.carry.append(_Carry(note, rest, lines - kept))
            else:
                self.placed.append(_Placed(note, para, lines, occs))
        on_page = {p.note_id: p for p in self.placed}
        for occ in occurrences:
            self.occurrence_pages.setdefault(occ, self.page)
            note = self.occurrence_note[occ]
            holder = on_page.get(note) or on_page.get(self.stands_for.get(note, note))
            if holder is not None and occ not in holder.occurrences:
                holder.occurrences.append(occ)

    # --- drawing -------------------------------------------------------------------------------------
    def draw(self, canv: Canvas, frame: Frame) -> None:
        """Draw this page's notes at the bottom of ``frame``: a short rule, then each note with its label."""
        if not self.placed:
            return
        st = self.style
        m = self.metrics
        x, bottom = rlcompat.origin(frame)
        top = bottom + self.reserved() - st.gap_above
        canv.saveState()
        canv.setLineWidth(0.4)
        canv.line(x, top, x + st.rule_width, top)
        y = top - st.rule_to_notes
        for item in self.placed:
            h = item.lines * m.leading
            # the label first, on the first line's baseline (so text extraction reads it first too)
            label = self.note_label[item.note_id] if st.fits_label(self.note_label[item.note_id]) else ""
            first_line = y - st.font_size - (st.leading - st.font_size) * 0.25
            canv.saveState()
            if st.label_color is not None:
                canv.setFillColor(st.label_color)
            canv.setFont(st.label_font, st.label_size)
            canv.drawRightString(x + st.gutter - 5, first_line, label)
            if item.continuation:
                canv.setFont(st.continued_font, st.continued_size)
                canv.drawRightString(x + st.gutter - 5, first_line - st.label_size - 1, "cont.")
            canv.restoreState()
            item.para.wrap(self.text_width, h)
            item.para.drawOn(canv, x + st.gutter, y - h)
            for occ in item.occurrences:
                canv.bookmarkHorizontal(NOTE_PREFIX + occ, x, y + 2)
            y -= m.height(item.lines)
            if item.continued:
                canv.setFont(st.continued_font, st.continued_size)
                canv.drawRightString(x + self.width, y - st.continued_size, st.continued_text)
                y -= m.continued
        canv.restoreState()


class CarriedNotes(Flowable):  # type: ignore[misc]
    """The end of a story: as many more pages as the notes still carried over need (none, mostly)."""

    _ZEROSIZE = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        pass  # nothing to draw, not even a saved graphics state


class NoteFrame(rlcompat.ResettingFrame):
    """A Frame that makes room at its bottom for the notes of the markers it places."""

    def __init__(self, *args: Any, layout_ref: Callable[[], FootnoteLayout | None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._layout_ref = layout_ref

    def on_reset(self) -> None:
        rlcompat.reset_bottom(self)  # give back the room the last page's notes took

    def __deepcopy__(self, memo: dict[int, Any]) -> NoteFrame:
        """A shallow copy. PLATYPUS deep-copies the current frame each time it measures a KeepTogether (a
        heading with what follows it), only to collect what the measured flowables add to the frame; a
        deep copy walks every attribute of the frame for that (about 1% of a long build)."""
        return copy.copy(self)

    def _room(self, flowable: Flowable) -> float:
        return rlcompat.room(self) - rlcompat.space_before(self, flowable)

    def _fit(self, flowable: Flowable, layout: FootnoteLayout) -> Fit:
        if isinstance(flowable, Para):
            flowable.wrap(rlcompat.available_width(self), self._room(flowable))
            fit = layout.fit(flowable, self._room(flowable))
            if fit.lines == 0 and rlcompat.at_top(self):
                # on an empty page, rather than refuse, split notes of any length (two lines each stay)
                fit = layout.fit(flowable, self._room(flowable), any_split=True)
            return fit
        # another flowable with markers: it stands whole, with its notes, or not at all
        _, h = flowable.wrap(rlcompat.available_width(self), self._room(flowable))
        notes = layout.new_notes(occurrences_in(flowable))
        room = self._room(flowable) - h
        plan = pagebuilder.plan_notes(notes, layout.line_counts, room, not layout.placed, layout.metrics)
        return Fit(1, plan) if room >= 0 and plan is not None else Fit(0, None)

    def add(self, flowable: Flowable, canv: Canvas, trySplit: int = 0) -> int:
        layout = self._layout_ref()
        if isinstance(flowable, CarriedNotes) and layout is not None and layout.carry:
            return 0  # split() turns the page
        occurrences = occurrences_in(flowable) if layout is not None else ()
        if layout is None or not occurrences:
            return int(Frame.add(self, flowable, canv, trySplit))
        fit = self._fit(flowable, layout)
        whole = flowable.line_count(flowable.width) if isinstance(flowable, Para) else 1
        if fit.lines < whole or fit.plan is None:
            return 0
        rlcompat.raise_bottom(self, fit.plan.grow)
        if Frame.add(self, flowable, canv, trySplit):
            layout.place(occurrences, fit.plan)
            return 1
        rlcompat.raise_bottom(self, -fit.plan.grow)
        return 0

    _add = add

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        layout = self._layout_ref()
        if isinstance(flowable, CarriedNotes):
            return [PageBreak(), flowable] if layout is not None and layout.carry else []
        occurrences = occurrences_in(flowable) if layout is not None else ()
        if layout is None or not occurrences:
            return list(Frame.split(self, flowable, canv))
        if not isinstance(flowable, Para):
            return []
        fit = self._fit(flowable, layout)
        if fit.lines:
            return flowable.split_at(flowable.width, fit.lines)
        if rlcompat.at_top(self) and layout.carried_here():
            # notes carried over leave no room for this text: let them fill this page, and go on
            layout.take_carry(self, rlcompat.height(self))
            return [PageBreak(), flowable]
        if rlcompat.at_top(self):
            head = [o for line in flowable.lines(flowable.width)[:2] for o in line.occurrences]
            layout.unset = (head or list(occurrences))[0]
        return []
