"""Typography read back from the built PDF with positioned characters (pdfplumber): margins, justified
and hyphenated text, headings kept with their text, every glyph present, every hyphen kept."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from kalbajar_report import Article, BuildResult
from kalbajar_report.pdf.fonts import FACES, load_fonts
from kalbajar_report.pdf.paragraph import PROTRUSION
from kalbajar_report.pdf.styles import PAPER, Geometry

BODY_SIZE = 10.2
HEADING_SIZES = {14.0, 11.5}


@pytest.fixture(scope="module")
def pages(built: BuildResult) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(built.pdf) as pdf:
        return [list(page.chars) for page in pdf.pages]


def lines_of(chars: list[dict[str, Any]], size: float) -> dict[float, list[dict[str, Any]]]:
    lines: dict[float, list[dict[str, Any]]] = defaultdict(list)
    for c in chars:
        if round(c["size"], 1) == size:
            lines[round(c["bottom"])].append(c)
    return lines


def test_nothing_in_the_margins(pages: list[list[dict[str, Any]]]) -> None:
    g = Geometry(*PAPER["a4"])
    for number, chars in enumerate(pages, start=1):
        for c in chars:
            assert c["x0"] >= g.left - 0.5, (number, c["text"], c["x0"])
            # punctuation and hyphens at a line's end hang into the margin, by at most their protrusion
            hang = PROTRUSION.get(c["text"], 0.0) * (c["x1"] - c["x0"])
            assert c["x1"] <= g.width - g.right + hang + 0.5, (number, c["text"], c["x1"])
            assert g.top / 3 <= c["top"] and c["bottom"] <= g.height - g.bottom / 3, (number, c["text"])


def test_body_is_justified(pages: list[list[dict[str, Any]]], article: Article) -> None:
    g = Geometry(*PAPER["a4"])
    full, short = 0, 0
    for chars in pages:
        for line in lines_of(chars, BODY_SIZE).values():
            right = max(c["x1"] for c in line)
            left = min(c["x0"] for c in line)
            if left > g.left + 1:  # indented: not running text
                continue
            if right >= g.width - g.right - 0.6:
                full += 1
            else:
                short += 1
    paragraphs = sum(1 for s in article.walk() for _ in s.blocks)
    assert full > 3 * paragraphs
    assert short <= paragraphs + len(pages)  # only a paragraph's last line may fall short


def test_words_are_hyphenated_at_line_ends(pages: list[list[dict[str, Any]]], article: Article) -> None:
    real = {w for s in article.sentences() for w in re.findall(r"[\w’]+-[\w’-]+", s.text)}
    soft = 0
    for chars in pages:
        ordered = sorted(lines_of(chars, BODY_SIZE).items())
        for (_, line), (_, following) in itertools.pairwise(ordered):
            text = "".join(c["text"] for c in sorted(line, key=lambda c: c["x0"]))
            nxt = "".join(c["text"] for c in sorted(following, key=lambda c: c["x0"]))
            if text.endswith("-"):
                word = text.split()[-1] + nxt.split()[0]
                if not any(word.startswith(r) or r in word for r in real):
                    soft += 1
    # hyphenation is asked for only where a paragraph cannot be set well without it: a few lines
    assert 1 <= soft <= 12


def test_no_hyphen_lost_at_a_line_break(built: BuildResult, article: Article) -> None:
    reader = PdfReader(str(built.pdf))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    words = {"BY-SA"} | {w for s in article.sentences() for w in re.findall(r"\w+(?:-\w+)+", s.text)}
    lost = [w for w in words if w.replace("-", "") in text]
    assert not lost


def test_every_character_has_a_glyph(pages: list[list[dict[str, Any]]]) -> None:
    fonts = load_fonts()
    by_file = {name.removesuffix(".ttf"): face for face, name in FACES.items()}
    checked = 0
    for chars in pages:
        for c in chars:
            face = by_file[c["fontname"].split("+", 1)[1]]
            assert fonts.covers(face, c["text"]), (c["text"], c["fontname"])
            checked += 1
    assert checked > 10_000
    assert any(c["text"] == "ə" for chars in pages for c in chars)  # Kəlbəcər in the glossary


def test_headings_are_kept_with_their_text(pages: list[list[dict[str, Any]]]) -> None:
    for number, chars in enumerate(pages, start=1):
        headings = [
            c["bottom"] for c in chars if round(c["size"], 1) in HEADING_SIZES and "Bold" in c["fontname"]
        ]
        if not headings:
            continue
        text_below = [c["bottom"] for c in chars if round(c["size"], 1) < 11 and c["bottom"] > max(headings)]
        assert text_below, f"page {number} ends with a heading"


def test_a_character_the_face_lacks_is_set_in_the_family_fallback(tmp_path: Path) -> None:
    from conftest import write_document

    from kalbajar_report import build_briefing, load_article

    fonts = load_fonts()
    assert not fonts.covers("italic", "ə") and fonts.covers("regular", "ə")
    body = "# A {#a}\n\n> Quoted.\n>> Seen in Kəlbəcər\n"
    content, bib = write_document(tmp_path, body, "")
    pdf = build_briefing(load_article(content, bib), tmp_path / "out").pdf
    with pdfplumber.open(pdf) as doc:
        chars = [c for page in doc.pages for c in page.chars if c["text"] == "ə"]
    assert chars and all(c["fontname"].endswith("SourceSerifPro-Regular") for c in chars)
