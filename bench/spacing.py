"""The spacing report of the benchmark (issue 12): how loose the justified lines of a PDF are.

    python bench/spacing.py A.pdf [B.pdf …]            # a Markdown table, one row per PDF
    python bench/spacing.py --lines 12 A.pdf           # and each PDF's loosest lines, to check by eye

The characters are read with their positions by pdfplumber (pdfminer.six). The method:

- **Body face**: the most common font (its name without the subset prefix, ``ABCDEF+``) and size over the
  document's characters (spaces not counted).
- **Lines**: per page, the characters of the body size grouped by baseline; smaller characters (note
  markers, raised or not) are attached to the line whose baseline is nearest (at most half an em above it
  or a fifth of one below). A *body line* is one whose visible characters are mostly (60%) the body face.
  Lines with a dot leader (contents) are left out.
- **Words and gaps**: a line's characters in x order, split into words where a space glyph is drawn (some
  PDFs draw their spaces) or where the gap between two characters exceeds 0.15 em (some only position their
  words). A gap is the distance from the end of a word's last character to the start of the next word's
  first; only gaps with the body face on both sides count (a note marker sits against its word without a
  space; an italic word's overhang is not spacing).
- **Right edge**: the most common line end (last visible character, 1 pt bins) over the body lines of
  pages of the same width, so punctuation or hyphens protruding into the margin do not make it wider.
- **Full justified line**: a body line ending within 1.5 pt of the right edge or beyond it, followed on the
  same page by another line of body size at most the leading (the most common baseline step) plus 1 pt
  below, or the last line of the page (a paragraph going on overleaf).
- **Natural gap**: the median gap over the other body lines with two words or more: paragraph-final lines,
  set at the natural word space.
- **Ratio** of a full line: its mean gap over the natural gap. Hyphenated: a full line whose last visible
  character is a hyphen (``-``, U+2010, or a soft hyphen drawn as one); the longest run counts consecutive
  full lines of a page ending in one.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

SPLIT_EM = 0.15  # a gap wider than this (in ems of the body size) separates two words
FULL_TOLERANCE = 1.5  # pt: a line ending this close to the right edge (or beyond it) is full
BODY_SHARE = 0.6  # a body line has at least this share of its visible characters in the body face
ATTACH_EM = 0.5  # a smaller character joins the line whose baseline is this close (in ems)
HYPHENS = frozenset("-\u2010\u00ad")  # hyphen-minus, hyphen, soft hyphen (Typst draws it as a hyphen)
LEADER = re.compile(r"\.{5,}")

# the targets of issue 12 (default article and the 50× article)
LOOSE = 1.5
VERY_LOOSE = 2.0
LOOSE_SHARE_LIMIT = 0.03
WORST_LIMIT = 1.8
HYPHEN_SHARE_LIMIT = 0.12
HYPHEN_RUN_LIMIT = 2  # never three in a row


@dataclass(frozen=True)
class Char:
    """One drawn character: text, horizontal extent, baseline (PDF coordinates), font and size."""

    text: str
    x0: float
    x1: float
    baseline: float
    font: str
    size: float

    @property
    def space(self) -> bool:
        return not self.text.strip()


@dataclass
class Line:
    """One line of body-size text on a page: its characters in x order and what the report needs."""

    page: int
    baseline: float
    chars: list[Char]
    body: bool = False
    text: str = ""
    x1: float = 0.0  # end of the last visible character
    gaps: list[float] = field(default_factory=list)
    full: bool = False
    continues: bool = False

    @property
    def hyphenated(self) -> bool:
        visible = [c for c in self.chars if not c.space]
        return bool(visible) and visible[-1].text in HYPHENS


@dataclass(frozen=True)
class LineSpacing:
    """A full justified line's ratio, for checking the report by eye."""

    page: int  # 1-based
    baseline: float
    ratio: float
    hyphenated: bool
    text: str


@dataclass
class SpacingReport:
    """The spacing numbers of one PDF."""

    path: str
    body_font: str
    body_size: float
    natural_gap: float  # pt
    lines: int  # full justified lines of the body face
    median_ratio: float
    share_over_1_5: float
    share_over_2: float
    worst: float
    hyphen_share: float
    longest_hyphen_run: int
    final_lines: int  # the lines the natural gap was taken from
    details: list[LineSpacing] = field(default_factory=list, repr=False)

    def loosest(self, count: int) -> list[LineSpacing]:
        return sorted(self.details, key=lambda d: d.ratio, reverse=True)[:count]


def font_key(name: str) -> str:
    """A font's name without its subset prefix (``ABCDEF+SourceSerifPro-It`` → ``SourceSerifPro-It``)."""
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else name


def read_chars(path: Path) -> list[list[Char]]:
    """Every upright character of every page, with its position, font and size."""
    import pdfplumber

    pages: list[list[Char]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars: list[Char] = []
            for c in page.chars:
                if not c.get("upright", True) or not c["text"]:
                    continue
                chars.append(
                    Char(
                        text=str(c["text"]),
                        x0=float(c["x0"]),
                        x1=float(c["x1"]),
                        baseline=float(c["matrix"][5]),
                        font=font_key(str(c["fontname"])),
                        size=round(float(c["size"]), 2),
                    )
                )
            pages.append(chars)
            page.flush_cache()
    return pages


def body_face(pages: Iterable[Iterable[Char]]) -> tuple[str, float]:
    """The most common (font, size) over the visible characters."""
    counts = Counter((c.font, round(c.size, 1)) for chars in pages for c in chars if not c.space)
    if not counts:
        raise ValueError("the PDF has no text")
    return counts.most_common(1)[0][0]


def page_lines(index: int, chars: Sequence[Char], size: float) -> list[Line]:
    """The lines of body-size characters of one page, top to bottom, smaller characters attached."""
    same = [c for c in chars if abs(c.size - size) < 0.05]
    smaller = [c for c in chars if c.size < size - 0.05]
    rows: list[list[Char]] = []
    for c in sorted(same, key=lambda c: -c.baseline):
        if rows and abs(rows[-1][0].baseline - c.baseline) <= 0.3:
            rows[-1].append(c)
        else:
            rows.append([c])
    if not rows:
        return []
    baselines = [row[0].baseline for row in rows]
    for c in smaller:
        nearest = min(range(len(rows)), key=lambda i: abs(baselines[i] - c.baseline))
        if -0.2 * size <= c.baseline - baselines[nearest] <= ATTACH_EM * size:
            rows[nearest].append(c)
    return [Line(index, b, sorted(row, key=lambda c: c.x0)) for b, row in zip(baselines, rows, strict=True)]


def measure(line: Line, face: tuple[str, float]) -> None:
    """Fill in a line's text, end, gaps and whether it is a body line."""
    font, size = face
    visible = [c for c in line.chars if not c.space]
    if not visible:
        return

    def is_body(c: Char) -> bool:
        return c.font == font and abs(c.size - size) < 0.05

    line.body = sum(map(is_body, visible)) >= BODY_SHARE * len(visible)
    line.x1 = visible[-1].x1
    words: list[str] = []
    prev: Char | None = None
    spaced = False
    for c in line.chars:
        if c.space:
            spaced = prev is not None
            continue
        if prev is None:
            words.append(c.text)
        elif spaced or c.x0 - prev.x1 > SPLIT_EM * size:
            words.append(c.text)
            if is_body(prev) and is_body(c):
                line.gaps.append(c.x0 - prev.x1)
        else:
            words[-1] += c.text
        prev, spaced = c, False
    line.text = " ".join(words)
    if LEADER.search(line.text.replace(" ", "")):
        line.body = False  # a contents line: dot leaders are not word spaces


def most_common(values: Iterable[float], default: float) -> float:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else default


def analyse_pages(pages: Sequence[Sequence[Char]], widths: Sequence[float], path: str = "") -> SpacingReport:
    """The report of pages of characters (``widths``: each page's width, to tell page formats apart)."""
    face = body_face(pages)
    font, size = face
    by_page = [page_lines(i, chars, size) for i, chars in enumerate(pages)]
    for lines in by_page:
        for line in lines:
            measure(line, face)
    body = [line for lines in by_page for line in lines if line.body]
    # the right edge per page width: the most common line end (1 pt bins), then the median end in that bin
    edges: dict[float, float] = {}
    for width in {round(w) for w in widths}:
        ends = [line.x1 for line in body if round(widths[line.page]) == width]
        mode = most_common((round(x) for x in ends), 0.0)
        edges[width] = statistics.median([x for x in ends if round(x) == mode] or [mode])
    steps = [
        round(a.baseline - b.baseline, 1)
        for lines in by_page
        for a, b in pairwise(lines)
        if a.body and b.body
    ]
    leading = most_common(steps, 1.2 * size)
    for lines in by_page:
        for i, line in enumerate(lines):
            line.full = line.x1 >= edges[round(widths[line.page])] - FULL_TOLERANCE
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            line.continues = nxt is None or line.baseline - nxt.baseline <= leading + 1.0
    full = [line for line in body if line.full and line.continues and line.gaps]
    final_gaps = [g for line in body if not line.full for g in line.gaps]
    finals = sum(1 for line in body if not line.full and line.gaps)
    natural = statistics.median(final_gaps) if final_gaps else float("nan")
    details = [
        LineSpacing(line.page + 1, round(line.baseline, 1), statistics.fmean(line.gaps) / natural,
                    line.hyphenated, line.text)
        for line in full
    ]  # fmt: skip
    ratios = [d.ratio for d in details]
    # hyphen runs: consecutive lines of a page, any other line (a paragraph's last) ending a run
    longest = 0
    for lines in by_page:
        run = 0
        for line in lines:
            run = run + 1 if line.body and line.full and line.continues and line.hyphenated else 0
            longest = max(longest, run)
    n = len(details)
    return SpacingReport(
        path=path,
        body_font=font,
        body_size=size,
        natural_gap=natural,
        lines=n,
        median_ratio=statistics.median(ratios) if ratios else float("nan"),
        share_over_1_5=sum(r > LOOSE for r in ratios) / n if n else float("nan"),
        share_over_2=sum(r > VERY_LOOSE for r in ratios) / n if n else float("nan"),
        worst=max(ratios, default=float("nan")),
        hyphen_share=sum(d.hyphenated for d in details) / n if n else float("nan"),
        longest_hyphen_run=longest,
        final_lines=finals,
        details=details,
    )


def analyse(path: Path | str) -> SpacingReport:
    """The spacing report of the PDF at ``path``."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        widths = [float(p.width) for p in pdf.pages]
    return analyse_pages(read_chars(Path(path)), widths, str(path))


def targets(report: SpacingReport) -> dict[str, bool]:
    """Issue 12's targets, each met (True) or missed."""
    return {
        "> 1.5× at most 3% of lines": report.share_over_1_5 <= LOOSE_SHARE_LIMIT,
        "> 2× none": report.share_over_2 == 0,
        "worst ≤ 1.8×": report.worst <= WORST_LIMIT,
        "hyphenated line ends ≤ 12%": report.hyphen_share <= HYPHEN_SHARE_LIMIT,
        "never three hyphens in a row": report.longest_hyphen_run <= HYPHEN_RUN_LIMIT,
    }


def measured(report: SpacingReport) -> dict[str, str]:
    """What each of :func:`targets` measured, for the report."""
    return {
        "> 1.5× at most 3% of lines": pct(report.share_over_1_5),
        "> 2× none": pct(report.share_over_2),
        "worst ≤ 1.8×": times(report.worst),
        "hyphenated line ends ≤ 12%": pct(report.hyphen_share),
        "never three hyphens in a row": f"longest run {report.longest_hyphen_run}",
    }


def pct(value: float) -> str:
    return "–" if value != value else f"{value * 100:.1f}%"


def times(value: float) -> str:
    return "–" if value != value else f"{value:.2f}×"


HEADER = [
    "| document | full lines | natural gap | median ratio | > 1.5× | > 2× | worst | hyphenated ends "
    "| longest hyphen run |",
    "|---|---|---|---|---|---|---|---|---|",
]


def table_row(name: str, r: SpacingReport) -> str:
    return (
        f"| {name} | {r.lines} | {r.natural_gap:.2f} pt | {times(r.median_ratio)} | "
        f"{pct(r.share_over_1_5)} | {pct(r.share_over_2)} | {times(r.worst)} | {pct(r.hyphen_share)} | "
        f"{r.longest_hyphen_run} |"
    )


def table(rows: Sequence[tuple[str, SpacingReport]]) -> list[str]:
    """A Markdown table, one row per (name, report)."""
    return [*HEADER, *(table_row(name, r) for name, r in rows)]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("pdfs", nargs="+", type=Path, metavar="PDF")
    p.add_argument("--lines", type=int, default=0, metavar="N", help="also list each PDF's N loosest lines")
    args = p.parse_args(argv)
    reports = [analyse(pdf) for pdf in args.pdfs]
    print("\n".join(table([(str(r.path), r) for r in reports])))
    for r in reports:
        face = f"{r.body_font} {r.body_size:g} pt"
        print(f"\n{r.path}: body face {face}, natural gap from {r.final_lines} paragraph-final lines")
        for d in r.loosest(args.lines):
            mark = " (hyphen)" if d.hyphenated else ""
            print(f"  p.{d.page} y={d.baseline}: {d.ratio:.2f}×{mark}  {d.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
