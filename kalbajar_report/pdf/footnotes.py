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
from reportlab.platypus import Flowable, Frame, Paragraph

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
    carry_share: float = 0.5  # a split note carries at most this share of a page's height to the next


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
        if any(p.continued for p in self.placed):
            total += self.style.continued_size + 3
        return total

    def new_notes(self, occurrences: Iterable[str]) -> list[str]:
        """Notes the occurrences need that are not yet on this page, in order."""
        on_page = {p.note_id for p in self.placed}
        out: list[str] = []
        for occ in occurrences:
            note = self.occurrence_note[occ]
            if note not in on_page and note not in out:
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
        """Start a page: notes carried over from the previous page take the top of the note area; of a note
        longer than the share of a page a carried note may take, that much, the rest carried on again."""
        self.page = page
        self.placed = []
        carry, self.carry = self.carry, []
        limit = frame._height * self.style.carry_share
        for part in carry:
            if part.height > limit and not self.carry:
                usable = limit - self._separator() - self.style.continued_size - 3 - self.style.note_gap
                parts = part.flowable.split(self.text_width, usable)
                if len(parts) == 2:
                    first, rest = parts
                    h = first.wrap(self.text_width, 10_000)[1] + self.style.note_gap
                    part = _Placed(part.note_id, first, h, [], continued=True, continuation=True)
                    rh = rest.wrap(self.text_width, 10_000)[1] + self.style.note_gap
                    self.carry.append(_Placed(part.note_id, rest, rh, [], continuation=True))
            self.placed.append(part)
        if self.placed:
            frame._y1p += self.reserved()

    def place(
        self, occurrences: tuple[str, ...], notes: list[str], split_last: tuple[Flowable, Flowable] | None
    ) -> None:
        """Record notes as standing on this page (the last one split in two when ``split_last``)."""
        for note in notes:
            para, h = self._note(note)
            occs = [o for o in occurrences if self.occurrence_note[o] == note]
            entry = _Placed(note, para, h, occs)
            if split_last is not None and note == notes[-1]:
                first, rest = split_last
                entry.flowable = first
                entry.height = first.wrap(self.text_width, 10_000)[1] + self.style.note_gap
                entry.continued = True
                _, rh = rest.wrap(self.text_width, 10_000)
                self.carry.append(_Placed(note, rest, rh + self.style.note_gap, [], continuation=True))
            self.placed.append(entry)
        on_page = {p.note_id: p for p in self.placed}
        for occ in occurrences:
            self.occurrence_pages.setdefault(occ, self.page)
            holder = on_page.get(self.occurrence_note[occ])
            if holder is not None and occ not in holder.occurrences:
                holder.occurrences.append(occ)

    def try_split_note(self, note: str, room: float) -> tuple[Flowable, Flowable] | None:
        """Split a note so its first part fits ``room`` (with the continuation line); None if it cannot."""
        para, _ = self._note(note)
        usable = room - self.style.note_gap - self.style.continued_size - 3
        if usable < 2 * getattr(para.style, "leading", 10):
            return None
        parts = para.split(self.text_width, usable)
        if len(parts) != 2:
            return None
        return parts[0], parts[1]

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


@dataclass(frozen=True)
class _NoteSplit:
    """A note split so that a flowable fits with its notes: the notes in the order they stand on the page
    (the split one last), its two parts, the room the page's notes grow by and the height carried on."""

    notes: list[str]
    parts: tuple[Flowable, Flowable]
    grow: float
    carried: float


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
        # the text fits but a note is too long for the room left: split that note
        fit = self._with_note_split(flowable, notes, layout)
        if fit is not None:
            self._y1p += fit.grow
            if Frame._add(self, flowable, canv, trySplit):
                layout.place(occurrences, fit.notes, fit.parts)
                return 1
            self._y1p -= fit.grow
        return 0

    def _with_note_split(
        self, flowable: Flowable, notes: list[str], layout: FootnoteLayout
    ) -> _NoteSplit | None:
        """A split of one of ``notes`` that lets ``flowable`` stand here with them; None when there is none.

        The last note is split if it can be; else the longest, which is then set last on the page, next to
        its continuation at the top of the next page's notes."""
        if not notes:
            return None
        avail = self._y - self._y1p - self._space_before(flowable)
        _, h = flowable.wrap(self._getAvailableWidth(), avail)
        if h > avail:
            return None
        longest = max(notes[:-1], key=lambda n: layout._note(n)[1], default=notes[-1])
        for split_note in dict.fromkeys((notes[-1], longest)):
            order = [n for n in notes if n != split_note] + [split_note]
            others = layout.extra_for(order[:-1])  # with the separator, when they are the page's first
            separator = 0.0 if order[:-1] or layout.placed else layout._separator()
            split = layout.try_split_note(split_note, avail - h - others - separator)
            if split is not None:
                first_h = split[0].wrap(layout.text_width, 10_000)[1]
                carried = split[1].wrap(layout.text_width, 10_000)[1]
                st = layout.style
                grow = others + separator + first_h + st.note_gap + st.continued_size + 3
                return _NoteSplit(order, split, grow, carried)
        return None

    _add = add

    def split(self, flowable: Flowable, canv: Canvas) -> list[Flowable]:
        layout = self._layout_ref()
        occurrences = occurrences_in(flowable) if layout is not None else ()
        if layout is None or not occurrences:
            return list(Frame.split(self, flowable, canv))
        notes = layout.new_notes(occurrences)
        extra = layout.extra_for(notes)
        parts = self._split_with(flowable, canv, extra)
        if parts:
            return self._most_lines(flowable, canv, layout, parts)
        return self._dense_split(flowable, canv, layout)

    def _most_lines(
        self, flowable: Flowable, canv: Canvas, layout: FootnoteLayout, parts: list[Flowable]
    ) -> list[Flowable]:
        """``parts`` came from room left for all the flowable's notes, so they fit; the kept part may hold
        fewer markers than the whole, though, and more lines may fit above their notes. Keep the most
        lines whose notes still fit (else the rest of the paragraph would start again on this page)."""
        kept = layout.extra_for(layout.new_notes(occurrences_in(parts[0])))
        wider = self._split_with(flowable, canv, kept)  # [flowable] when every line would fit
        if not wider or not hasattr(parts[0], "blPara"):
            return parts
        if wider[0] is not flowable and layout.extra_for(layout.new_notes(occurrences_in(wider[0]))) <= kept:
            return wider  # the same notes as the kept part: as many lines as fit above them
        avail = self._y - self._y1p - self._space_before(flowable)
        step = float(flowable.style.leading)
        fits, fails = len(parts[0].blPara.lines), len(wider[0].blPara.lines)
        while fails - fits > 1:  # bisect on the number of lines
            lines = (fits + fails) // 2
            trial = self._split_with(flowable, canv, avail - lines * step - 1e-6)
            first = trial[0] if trial else None
            need = layout.extra_for(layout.new_notes(occurrences_in(first))) if first is not None else 0.0
            if first is not None and first is not flowable and first.height + need <= avail:
                parts, fits = trial, len(first.blPara.lines)
                if fits < lines:  # widow control took a line back
                    break
            else:
                fails = lines
        return parts

    def _dense_split(self, flowable: Flowable, canv: Canvas, layout: FootnoteLayout) -> list[Flowable]:
        """More notes than room: keep the largest first part whose notes fit beneath it, whole or with one
        of them split (a note longer than the room) carrying at most ``carry_share`` of a page to the next;
        else, of the parts that fit with a split note, the one that carries least; else nothing here (the
        paragraph starts on the next page)."""
        avail = self._y - self._y1p - self._space_before(flowable)
        step = float(getattr(getattr(flowable, "style", None), "leading", 12))
        reserve = step
        carrying: list[tuple[float, list[Flowable]]] = []
        while reserve < avail - step:  # the largest first part first
            parts = self._split_with(flowable, canv, reserve)
            if parts:
                notes = layout.new_notes(occurrences_in(parts[0]))
                if layout.extra_for(notes) <= reserve:
                    return parts
                fit = self._with_note_split(parts[0], notes, layout)
                if fit is not None:
                    if fit.carried <= self._height * layout.style.carry_share:
                        return parts
                    carrying.append((fit.carried, parts))
            reserve += step
        return min(carrying, key=lambda c: c[0])[1] if carrying else []

    def _split_with(self, flowable: Flowable, canv: Canvas, reserve: float) -> list[Flowable]:
        self._y1p += reserve
        try:
            return list(Frame.split(self, flowable, canv))
        finally:
            self._y1p -= reserve
