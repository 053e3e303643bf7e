"""Reading a built PDF back for tests: positioned text runs, markers and note labels per page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader

LABEL = re.compile(r"^[0-9a-z]{1,3}(,[0-9a-z]{1,3})*$")
NOTE_LABEL_SIZE = 7.5


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float
    size: float
    font: str


def page_runs(reader: PdfReader, index: int) -> list[Run]:
    """Text runs of a page with their position and effective font size (form XObjects excluded)."""
    runs: list[Run] = []

    def visit(
        text: str, cm: list[float], tm: list[float], font: dict[str, object] | None, size: float
    ) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        eff = size * (tm[0] or 1) * (cm[0] or 1)
        name = str(font.get("/BaseFont", "")) if font else ""
        runs.append(Run(text.strip(), round(x, 1), round(y, 1), round(eff, 1), name))

    reader.pages[index].extract_text(visitor_text=visit)
    return runs


def markers_on_page(runs: list[Run]) -> list[str]:
    """Labels of the raised note markers in the running text (superscripts: 80% of the text size)."""
    out: list[str] = []
    sizes = {8.2, 7.5, 7.2}  # body 10.2, quote 9.4, attribution 9 → ×0.8
    for i, run in enumerate(runs):
        # a run of labels may start or end with the comma between it and the next (an italic label is a
        # run of its own)
        text = run.text.strip(",")
        if run.x <= 0 or not LABEL.match(text) or round(run.size, 1) not in sizes:
            continue
        if i and runs[i - 1].text.endswith("BibTeX key:"):
            continue  # a references entry's key (set small, after its label), not a marker
        if "Bold" in run.font:
            continue  # a note's label in the note column
        out.extend(text.split(","))
    return out


def note_labels_on_page(runs: list[Run]) -> list[str]:
    """Labels drawn in the note column at the foot of the page."""
    return [r.text for r in runs if "Bold" in r.font and r.size == NOTE_LABEL_SIZE and LABEL.match(r.text)]


BODY_SIZE = 10.2
BODY_LEADING = 13.6


def lines_before_gaps(runs: list[Run]) -> list[str]:
    """The lines of running text (runs of the body size) followed by more white space than the leading: a
    paragraph's space after, which stands only below a paragraph's last line."""
    lines: dict[float, list[tuple[float, str]]] = {}
    for run in runs:
        if run.size == BODY_SIZE:
            lines.setdefault(run.y, []).append((run.x, run.text))
    ys = sorted(lines, reverse=True)
    return [
        " ".join(t for _, t in sorted(lines[upper]))
        for upper, lower in pairwise(ys)
        if upper - lower > BODY_LEADING + 1
    ]


def page_text(reader: PdfReader, index: int) -> str:
    return reader.pages[index].extract_text()


def open_pdf(path: Path) -> PdfReader:
    return PdfReader(str(path))
