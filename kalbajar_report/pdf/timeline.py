"""The timeline figure: a flowable that draws the article's dated events with the canvas's own vector
operators (lines, circles, strings), as PLATYPUS draws its rules.

Events stand in date order down a vertical axis; where more than a month passes between two events the
axis is broken and the gap is written beside the break, so years of background and days of battle share
one readable figure.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from ..model import Event
from .fonts import face_name, fit_text
from .styles import ACCENT, MUTED, RULE

BLACK = Color(0, 0, 0)

ROW = 15.0
GAP_ROW = 13.0
AXIS_X = 118.0


def _gap_text(days: float) -> str:
    if days >= 330:
        years = round(days / 365.25)
        return f"about {years} year{'s' if years != 1 else ''} later" if years else "months later"
    months = round(days / 30.4)
    return f"about {months} month{'s' if months != 1 else ''} later"


# what the figure draws, in its own coordinates (origin at the bottom left): axis segments and strokes as
# (x1, y1, x2, y2, colour, width); strings as (x, y, text, face, size, colour, anchored at the end); dots
Stroke = tuple[float, float, float, float, Color, float]
Label = tuple[float, float, str, str, float, Color, bool]


class Timeline(Flowable):  # type: ignore[misc]
    """The figure of ``events`` (sorted by date), ``width`` points wide: laid out once, drawn with the
    canvas (the axis first, the dots over it, then the labels)."""

    def __init__(self, events: tuple[Event, ...], width: float) -> None:
        super().__init__()
        regular, bold, italic = face_name("regular"), face_name("bold"), face_name("italic")
        rows: list[tuple[str, Event | str]] = []
        previous: Event | None = None
        for event in events:
            if previous is not None:
                days = (event.date.ordinal() - previous.date.ordinal()) * 365.25
                if days > 31:
                    rows.append(("gap", _gap_text(days)))
            rows.append(("event", event))
            previous = event
        height = sum(ROW if kind == "event" else GAP_ROW for kind, _ in rows) + 10
        self.width, self.height = width, height
        self.strokes: list[Stroke] = []
        self.dots: list[tuple[float, float]] = []
        self.labels: list[Label] = []
        y = height - 10
        segment_top = y + 4
        label_width = width - AXIS_X - 14
        for kind, item in rows:
            if kind == "gap":
                assert isinstance(item, str)
                self.strokes.append((AXIS_X, segment_top, AXIS_X, y + GAP_ROW - 2, RULE, 1.4))
                for dy in (3.0, 6.0):  # the break: two short slanted strokes
                    yy = y + GAP_ROW / 2 - dy + 3
                    self.strokes.append((AXIS_X - 5, yy - 1.5, AXIS_X + 5, yy + 1.5, MUTED, 0.7))
                self.labels.append((AXIS_X + 12, y + 1.5, item, italic, 7.2, MUTED, False))
                y -= GAP_ROW
                segment_top = y + 4
                continue
            assert isinstance(item, Event)
            self.strokes.append((AXIS_X, segment_top, AXIS_X, y - 4, RULE, 1.4))
            self.dots.append((AXIS_X, y + 3))
            self.labels.append((AXIS_X - 10, y, item.date.display(), bold, 8.0, ACCENT, True))
            label = fit_text(item.label, regular, 8.6, label_width)
            self.labels.append((AXIS_X + 12, y, label, regular, 8.6, BLACK, False))
            y -= ROW
            segment_top = y + ROW + 3

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv: Any = self.canv
        canv.saveState()
        for x1, y1, x2, y2, colour, width in self.strokes:
            canv.setStrokeColor(colour)
            canv.setLineWidth(width)
            canv.line(x1, y1, x2, y2)
        canv.setFillColor(ACCENT)
        for x, y in self.dots:  # after the axis, so the axis never crosses a dot
            canv.circle(x, y, 3.2, stroke=0, fill=1)
        for x, y, text, face, size, colour, end in self.labels:
            canv.setFont(face, size)
            canv.setFillColor(colour)
            if end:
                canv.drawRightString(x, y, text)
            else:
                canv.drawString(x, y, text)
        canv.restoreState()
