"""Nothing leaves the page, whatever the text: long URLs, long headings and titles, huge marker labels,
words wider than the measure. Read back from the PDF with positioned characters (pdfplumber)."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import numbered_entry, write_document

from kalbajar_report import build_briefing, load_article
from kalbajar_report.errors import FontCoverageError
from kalbajar_report.pdf.paragraph import PROTRUSION
from kalbajar_report.pdf.styles import PAPER, Geometry

URL = "https://example.org/" + "/".join(f"segment{i}?q={i}&r=x.y-z" for i in range(220))  # ~5,000 chars


def chars_of(pdf: Path) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(pdf) as doc:
        return [list(page.chars) for page in doc.pages]


def assert_inside(pdf: Path) -> list[list[dict[str, Any]]]:
    """Every character within the page's text area (punctuation may hang by its protrusion)."""
    g = Geometry(*PAPER["a4"])
    pages = chars_of(pdf)
    for number, chars in enumerate(pages, start=1):
        for c in chars:
            hang = PROTRUSION.get(c["text"], 0.0) * (c["x1"] - c["x0"])
            assert c["x0"] >= g.left - 0.5, (number, c["text"], c["x0"])
            assert c["x1"] <= g.width - g.right + hang + 0.5, (number, c["text"], c["x1"])
            assert c["top"] >= g.top / 3 and c["bottom"] <= g.height - g.bottom / 3, (number, c["text"])
    return pages


def build(tmp_path: Path, body: str, bib: str, header: str = "") -> Path:
    content, bib_path = write_document(tmp_path, body, bib, header)
    return build_briefing(load_article(content, bib_path), tmp_path / "out").pdf


def test_a_five_thousand_character_url_breaks_in_the_note_references_and_colophon(tmp_path: Path) -> None:
    bib = f"@misc{{gen-1,\n  title = {{A work}},\n  url = {{{URL}}},\n  marker = {{1}},\n}}\n"
    header = f"@source: A source | {URL}\n"
    pdf = build(tmp_path, "# Links {#links}\n\nA claim with a very long link.[1]\n", bib, header)
    pages = assert_inside(pdf)
    text = "".join(c["text"] for page in pages for c in page)
    assert text.count("segment219") >= 3  # in the note, the references and the colophon, all of it
    hyphens = "".join(c["text"] for page in pages for c in page if c["text"] == "-")
    assert len(hyphens) <= text.count("-")  # no hyphen was added where the URL breaks


def test_a_long_heading_and_title_wrap_and_the_running_header_is_shortened(tmp_path: Path) -> None:
    title = "A title " + " ".join(f"word{i}" for i in range(60))
    heading = "A heading that goes on " + " ".join(f"term{i}" for i in range(80))
    body = f"# {heading} {{#long}}\n\n" + "\n".join(
        f"Sentence {i} of some length to fill pages." for i in range(400)
    )
    header = f"@short-title: {title}\n"
    content, bib_path = write_document(tmp_path, body + "\n", "", header.replace("@short-title", "@subtitle")
                                       + header)  # fmt: skip
    pdf = build_briefing(load_article(content, bib_path), tmp_path / "out").pdf
    pages = assert_inside(pdf)
    g = Geometry(*PAPER["a4"])
    header_y = g.height - g.top + 14
    for chars in pages[1:]:
        top = [c for c in chars if abs((g.height - c["bottom"]) - header_y) < 3]
        assert top, "page without running header"
        # the header's two sides never overlap: no two of its characters cover the same spot
        spans = sorted((c["x0"], c["x1"]) for c in top)
        assert all(b[0] >= a[1] - 0.3 for a, b in itertools.pairwise(spans))
        assert "…" in "".join(c["text"] for c in top)
    words = "".join(c["text"] for c in pages[0])
    assert "term79" in words  # the contents line wraps rather than running off


def test_a_two_hundred_digit_marker_label_stays_on_the_page(tmp_path: Path) -> None:
    label = "9" * 200
    bib = f"@misc{{gen-1,\n  title = {{Work}},\n  marker = {{{label}}},\n}}\n"
    pdf = build(tmp_path, f"# Big {{#big}}\n\nA claim with an enormous marker.[{label}]\n", bib)
    pages = assert_inside(pdf)
    nines = sum(1 for page in pages for c in page if c["text"] == "9")
    assert nines >= 3 * 200  # in the text, in the note (its label set in the text) and in the references


def test_a_word_wider_than_the_measure_breaks_anywhere(tmp_path: Path) -> None:
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 12
    pdf = build(tmp_path, f"# Wide {{#wide}}\n\nThe word {word} is long.[1]\n", numbered_entry(1))
    pages = assert_inside(pdf)
    assert "".join(c["text"] for page in pages for c in page).count("Pneumono") >= 12


@pytest.mark.parametrize(
    "directive", ["@short-title: Ереван 北京", '@event: 1993-04 | Ереван 北京 | a | "x"']
)
def test_a_character_no_face_has_on_the_canvas_stops_the_build(tmp_path: Path, directive: str) -> None:
    body = "# A {#a}\n\nText of the section, x.\n"
    content, bib_path = write_document(tmp_path, body, "", directive + "\n")
    with pytest.raises(FontCoverageError) as caught:
        build_briefing(load_article(content, bib_path), tmp_path / "out")
    assert "doc.article" in str(caught.value) or "@" in str(caught.value)
