"""The timeline figure: a vector drawing (reportlab.graphics) of the article's dated events.

Events stand in date order down a vertical axis; where more than a month passes between two events the
axis is broken and the gap is written beside the break, so years of background and days of battle share
one readable figure.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, String

from ..model import Event
from .fonts import face_name, fit_text
from .styles import ACCENT, MUTED, RULE

ROW = 15.0
GAP_ROW = 13.0
AXIS_X = 118.0


def _gap_text(days: float) -> str:
    if days >= 330:
        years = round(days / 365.25)
        return f"about {years} year{'s' if years != 1 else ''} later" if years else "months later"
    months = round(days / 30.4)
    return f"about {months} month{'s' if months != 1 else ''} later"


def timeline_drawing(events: tuple[Event, ...], width: float) -> Drawing:
    """A drawing of ``events`` (sorted by date) ``width`` points wide."""
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
    drawing = Drawing(width, height, initialFontName=regular, initialFontSize=8)
    y = height - 10
    segment_top = y + 4
    label_width = width - AXIS_X - 14
    dots: list[Circle] = []  # drawn after the axis, so the axis never crosses a dot
    for kind, item in rows:
        if kind == "gap":
            assert isinstance(item, str)
            drawing.add(Line(AXIS_X, segment_top, AXIS_X, y + GAP_ROW - 2, strokeColor=RULE, strokeWidth=1.4))
            for dy in (3.0, 6.0):  # the break: two short slanted strokes
                yy = y + GAP_ROW / 2 - dy + 3
                drawing.add(
                    Line(AXIS_X - 5, yy - 1.5, AXIS_X + 5, yy + 1.5, strokeColor=MUTED, strokeWidth=0.7)
                )
            drawing.add(String(AXIS_X + 12, y + 1.5, item, fontName=italic, fontSize=7.2, fillColor=MUTED))
            y -= GAP_ROW
            segment_top = y + 4
            continue
        assert isinstance(item, Event)
        drawing.add(Line(AXIS_X, segment_top, AXIS_X, y - 4, strokeColor=RULE, strokeWidth=1.4))
        dots.append(Circle(AXIS_X, y + 3, 3.2, fillColor=ACCENT, strokeColor=None))
        drawing.add(
            String(
                AXIS_X - 10,
                y,
                item.date.display(),
                fontName=bold,
                fontSize=8,
                fillColor=ACCENT,
                textAnchor="end",
            )
        )
        drawing.add(
            String(
                AXIS_X + 12,
                y,
                fit_text(item.label, regular, 8.6, label_width),
                fontName=regular,
                fontSize=8.6,
            )
        )
        y -= ROW
        segment_top = y + ROW + 3
    for dot in dots:
        drawing.add(dot)
    return drawing
