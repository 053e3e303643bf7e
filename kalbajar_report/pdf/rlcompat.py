"""Every private ReportLab name the PDF writer uses, in one place, for the versions it was written for.

ReportLab's ``Frame`` has no public way to make room at its bottom (for notes) or to tell how much room is
left, and a canvas no public handle on its document (for embedded files). These few helpers read and set
the frame's geometry and reach the document; nothing else in the package touches a private name. The
import fails, saying why, with a ReportLab outside the tested range (also pinned in pyproject.toml and
tested at both ends by CI).
"""

from __future__ import annotations

from typing import Any

import reportlab
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame

TESTED = ((4, 2), (5, 1))  # lowest and highest minor versions tested, inclusive


def _version(text: str) -> tuple[int, int]:
    major, minor = text.split(".")[:2]
    return int(major), int("".join(c for c in minor if c.isdigit()) or 0)


def check_version(text: str = reportlab.Version) -> None:
    """Raise ImportError unless ReportLab ``text`` is in the tested range."""
    if not TESTED[0] <= _version(text) <= TESTED[1]:
        low, high = (".".join(map(str, v)) for v in TESTED)
        above = f"{TESTED[1][0]}.{TESTED[1][1] + 1}"
        raise ImportError(
            f"kalbajar_report's PDF writer was written and tested for ReportLab {low} to {high}.x; "
            f"ReportLab {text} is installed (pip install 'reportlab>={low},<{above}')"
        )


check_version()


def room(frame: Frame) -> float:
    """The height left in ``frame`` above its bottom (which notes may have raised)."""
    return float(frame._y - frame._y1p)


def at_top(frame: Frame) -> bool:
    """Whether nothing has been placed in ``frame`` yet."""
    return bool(frame._atTop)


def space_before(frame: Frame, flowable: Flowable) -> float:
    """The space ``frame`` leaves above ``flowable`` here (none at the top; collapsed with the space after
    the flowable before it), as ``Frame.add`` computes it."""
    if frame._atTop:
        return 0.0
    s = float(flowable.getSpaceBefore())
    if frame._oASpace:
        s = max(s - frame._prevASpace, 0)
    return s


def raise_bottom(frame: Frame, height: float) -> None:
    """Move the bottom of ``frame``'s text area up by ``height`` (down when negative)."""
    frame._y1p += height


def reset_bottom(frame: Frame) -> None:
    """Give back the room the last page's notes took."""
    frame._y1p = frame._y1 + frame._bottomPadding


def height(frame: Frame) -> float:
    """The frame's full height."""
    return float(frame._height)


def origin(frame: Frame) -> tuple[float, float]:
    """The bottom left corner of the frame's text area (inside its padding)."""
    return float(frame._x1 + frame._leftPadding), float(frame._y1 + frame._bottomPadding)


def available_width(frame: Frame) -> float:
    return float(frame._getAvailableWidth())


class ResettingFrame(Frame):  # type: ignore[misc]
    """A Frame that calls :meth:`on_reset` whenever ReportLab resets it for a new page."""

    def _reset(self) -> None:
        super()._reset()
        self.on_reset()

    def on_reset(self) -> None:
        pass


def pdf_document(canv: Canvas) -> Any:
    """The canvas's PDF document (for embedding files)."""
    return canv._doc
