"""The benchmark's spacing report (bench/spacing.py, issue 12) on small PDFs with known word gaps.

Every line is drawn by ReportLab's canvas at a chosen gap between its words: full lines end exactly at the
right edge (or a little beyond it, protrusion), paragraph-final lines are set at the font's own space.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("pdfplumber", reason="pdfplumber (the bench and test extras) reads the PDF's characters")

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

FONT, SIZE = "Helvetica", 10.0
LEFT, EDGE = 72.0, 500.0
LEADING, PARAGRAPH = 12.0, 20.0
SPACE = stringWidth(" ", FONT, SIZE)
WORDS = "spacing of justified lines is measured from the characters drawn on the page".split()


def load_spacing() -> ModuleType:
    path = Path(__file__).resolve().parent.parent / "bench" / "spacing.py"
    spec = importlib.util.spec_from_file_location("bench_spacing", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


spacing = load_spacing()


class Page:
    """Draws lines top to bottom, words placed one by one (no space glyphs) or as one string with spaces
    drawn and stretched by the word spacing operator (``Tw``)."""

    def __init__(self, canvas: Canvas, glyph_spaces: bool = False) -> None:
        self.canvas = canvas
        self.glyph_spaces = glyph_spaces
        self.y = 760.0

    def words(self, count: int, hyphen: bool = False, offset: int = 0) -> list[str]:
        words = [WORDS[(offset + i) % len(WORDS)] for i in range(count)]
        if hyphen:
            words[-1] += "-"
        return words

    def draw(self, words: list[str], x: float, gap: float) -> None:
        if self.glyph_spaces:
            text = self.canvas.beginText(x, self.y)
            text.setFont(FONT, SIZE)
            text.setWordSpace(gap - SPACE)
            text.textOut(" ".join(words))
            self.canvas.drawText(text)
        else:
            self.canvas.setFont(FONT, SIZE)
            for word in words:
                self.canvas.drawString(x, self.y, word)
                x += stringWidth(word, FONT, SIZE) + gap
        self.y -= LEADING

    def full(self, ratio: float, hyphen: bool = False, protrude: float = 0.0, count: int = 8) -> None:
        """A full line whose every gap is ``ratio`` × the natural space, ending at the edge (+ protrude)."""
        words = self.words(count, hyphen, offset=int(self.y))
        width = sum(stringWidth(w, FONT, SIZE) for w in words) + (count - 1) * ratio * SPACE
        self.draw(words, EDGE + protrude - width, ratio * SPACE)

    def final(self, count: int = 5) -> None:
        """A paragraph's last line: natural spaces, short of the edge; then the space between paragraphs."""
        self.draw(self.words(count, offset=3), LEFT, SPACE)
        self.y -= PARAGRAPH - LEADING

    def heading(self, text: str) -> None:
        self.canvas.setFont("Helvetica-Bold", 14)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= 2 * LEADING


def known_document(path: Path, glyph_spaces: bool = False) -> Path:
    """11 full lines (ratios 1.0 ×8, 1.6, 2.2, 1.0 with hyphens), a run of three hyphenated ends."""
    canvas = Canvas(str(path), pagesize=(595.0, 842.0))
    page = Page(canvas, glyph_spaces)
    page.heading("A heading in another face")
    for ratio in (1.0, 1.0, 1.6, 1.0, 2.2, 1.0):
        page.full(ratio)
    page.final()
    page.full(1.0, hyphen=True)
    page.full(1.0, hyphen=True, protrude=1.2)  # a hyphen hung in the margin: still a full line
    page.full(1.0, hyphen=True)
    page.full(1.0)
    page.final()
    page.full(1.0, hyphen=True)
    page.final(count=3)
    canvas.setFont(FONT, SIZE)  # a contents line: dot leaders to the edge, not word spaces
    leader = "Contents entry " + " ." * 40
    canvas.drawString(EDGE - stringWidth(leader, FONT, SIZE), page.y, leader)
    canvas.save()
    return path


@pytest.mark.parametrize("glyph_spaces", [False, True], ids=["positioned-words", "space-glyphs"])
def test_known_gaps(tmp_path: Path, glyph_spaces: bool) -> None:
    report = spacing.analyse(known_document(tmp_path / "known.pdf", glyph_spaces))
    assert report.body_font == FONT and report.body_size == SIZE
    assert report.natural_gap == pytest.approx(SPACE, abs=0.01)
    assert report.final_lines == 3
    assert report.lines == 11
    assert sorted(round(d.ratio, 2) for d in report.details) == [1.0] * 9 + [1.6, 2.2]
    assert report.median_ratio == pytest.approx(1.0, abs=0.005)
    assert report.share_over_1_5 == pytest.approx(2 / 11)
    assert report.share_over_2 == pytest.approx(1 / 11)
    assert report.worst == pytest.approx(2.2, abs=0.005)
    assert report.hyphen_share == pytest.approx(4 / 11)
    assert report.longest_hyphen_run == 3
    assert report.loosest(1)[0].text.count(" ") == 7  # eight words
    met = spacing.targets(report)
    assert met == {
        "> 1.5× at most 3% of lines": False,
        "> 2× none": False,
        "worst ≤ 1.8×": False,
        "hyphenated line ends ≤ 12%": False,
        "never three hyphens in a row": False,
    }


def test_even_document_meets_the_targets(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "even.pdf"), pagesize=(595.0, 842.0))
    page = Page(canvas)
    for _ in range(3):
        for ratio in (1.0, 1.2, 1.4, 1.1):
            page.full(ratio)
        page.full(1.0, hyphen=True)
        page.full(1.3)
        page.final()
    canvas.save()
    report = spacing.analyse(tmp_path / "even.pdf")
    assert report.lines == 18
    assert report.worst == pytest.approx(1.4, abs=0.005)
    assert report.median_ratio == pytest.approx(1.15, abs=0.005)
    assert report.hyphen_share == pytest.approx(3 / 18)
    assert report.longest_hyphen_run == 1
    assert spacing.targets(report) == {
        "> 1.5× at most 3% of lines": True,
        "> 2× none": True,
        "worst ≤ 1.8×": True,
        "hyphenated line ends ≤ 12%": False,  # 3 of 18
        "never three hyphens in a row": True,
    }


def test_note_markers_do_not_widen_gaps(tmp_path: Path) -> None:
    """A raised, smaller note marker sits against its word; how an engine spaces around it is not word
    spacing, so gaps touching it are not counted (here the gap after it is twice the natural one)."""
    canvas = Canvas(str(tmp_path / "marker.pdf"), pagesize=(595.0, 842.0))
    page = Page(canvas)
    for _ in range(3):
        page.full(1.0)
    words = page.words(7)
    marker_width = stringWidth("12", FONT, 7.0)
    width = sum(stringWidth(w, FONT, SIZE) for w in words) + 7 * SPACE + marker_width
    x = EDGE - width
    canvas.setFont(FONT, SIZE)
    for i, word in enumerate(words):
        canvas.setFont(FONT, SIZE)
        canvas.drawString(x, page.y, word)
        x += stringWidth(word, FONT, SIZE)
        if i == 2:
            canvas.setFont(FONT, 7.0)
            canvas.drawString(x, page.y + 3.5, "12")
            x += marker_width + SPACE
        x += SPACE
    page.y -= LEADING
    page.full(1.0)
    page.final()
    canvas.save()
    report = spacing.analyse(tmp_path / "marker.pdf")
    assert report.lines == 5
    assert [round(d.ratio, 3) for d in report.details] == [1.0] * 5
    assert "12" in report.details[3].text


def test_a_page_ending_in_a_full_line(tmp_path: Path) -> None:
    """A full line at the foot of a page goes on overleaf: it counts; a run of hyphens stops at the page."""
    canvas = Canvas(str(tmp_path / "pages.pdf"), pagesize=(595.0, 842.0))
    page = Page(canvas)
    page.full(1.0, hyphen=True)
    page.final()  # ends the run
    page.full(1.0, hyphen=True)
    page.full(1.6, hyphen=True)  # the page's last line
    canvas.showPage()
    page = Page(canvas)
    page.full(1.0, hyphen=True)
    page.full(1.0)
    page.final()
    canvas.save()
    report = spacing.analyse(tmp_path / "pages.pdf")
    assert report.lines == 5
    assert report.worst == pytest.approx(1.6, abs=0.005)
    assert [d.page for d in report.details] == [1, 1, 1, 2, 2]
    assert report.longest_hyphen_run == 2


def test_main_prints_a_markdown_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = known_document(tmp_path / "known.pdf")
    assert spacing.main([str(pdf), "--lines", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("| document | full lines | natural gap | median ratio | > 1.5× | > 2× | worst |")
    assert out[2] == f"| {pdf} | 11 | {SPACE:.2f} pt | 1.00× | 18.2% | 9.1% | 2.20× | 36.4% | 3 |"
    assert any("2.20×" in line for line in out[3:])
