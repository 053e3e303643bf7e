"""Our paragraphs, measured without a document: hyphenation from pyphen, ties, URL breaks, lines that
fit their measure, and the same lines however a paragraph is split."""

from __future__ import annotations

import itertools
import re

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from kalbajar_report.pdf.fonts import face_name, load_fonts
from kalbajar_report.pdf.paragraph import PROTRUSION, Para, Setter
from kalbajar_report.pdf.styles import make_styles

TEXT = (
    "Kalbajar is located between Armenia and the western boundary of former Nagorno-Karabakh Autonomous "
    "Oblast. Situated between a steep mountain range, its wartime population of approximately "
    "45,000–60,000 was primarily made up of ethnic Azerbaijanis and Kurds. Throughout the war, the "
    "Armenians of Nagorno-Karabakh had been voicing their discontent over seventy years of Azerbaijani rule "
    "and said that they were defending themselves from Azerbaijan’s aggression."
)


@pytest.fixture(scope="module")
def style() -> object:
    load_fonts()
    return make_styles().body


def lines_at(text: str, style: object, width: float) -> list[str]:
    para = Para(text, style, Setter())
    para.wrap(width, 100_000)
    return para.texts(width)


def test_narrow_lines_hyphenate_only_where_pyphen_allows(style: object) -> None:
    dic = pyphen.Pyphen(lang="en_GB", left=2, right=3)
    broken = 0
    for width in range(120, 260, 10):
        lines = lines_at(TEXT, style, float(width))
        for line, following in itertools.pairwise(lines):
            if not line.endswith("-") or re.search(r"\w-\w+-$", line) or line.split()[-1][:-1] + "-" in TEXT:
                continue  # an explicit hyphen
            head, tail = line.split()[-1][:-1], following.split()[0]
            word = re.sub(r"\W+$", "", head + tail)
            assert len(head) in dic.positions(word), (head, tail)
            broken += 1
    assert broken >= 5


def test_lines_fit_their_measure(style: object) -> None:
    font = face_name("regular")
    for width in range(110, 400, 17):
        lines = lines_at(TEXT, style, float(width))
        for line in lines:
            natural = stringWidth(line, font, 10.2)
            hang = PROTRUSION.get(line[-1], 0.0) * stringWidth(line[-1], font, 10.2)
            # shrunk by at most a third of each space and 2% of the glyphs, a hyphen hanging out
            spaces = line.count(" ") * stringWidth(" ", font, 10.2)
            assert natural - spaces * 0.3 - natural * 0.02 <= width + hang + 0.01, (width, line)


@pytest.mark.parametrize("width", [150.0, 190.0, 230.0, 300.0])
def test_no_break_after_isbn_p_initials_or_between_a_number_and_its_unit(style: object, width: float) -> None:
    text = " ".join(
        f"Item {i} cites ISBN 978-0-8147-{i:04d} on p. {i} by J. Smith covering {i} km of road."
        for i in range(40)
    )
    lines = lines_at(text, style, width)
    for line, following in itertools.pairwise(lines):
        last = line.split()[-1]
        assert last not in ("ISBN", "p.", "J."), line
        assert not (re.fullmatch(r"\d+", last) and following.startswith("km")), (line, following)


def test_a_url_breaks_after_its_separators_without_a_hyphen(style: object) -> None:
    url = "https://example.org/" + "/".join(f"part{i}" for i in range(60))
    lines = lines_at(f"See {url} for more.", style, 200.0)
    assert len(lines) > 3
    assert url in "".join(lines).replace(" ", "")
    for line in lines[:-1]:
        assert line.endswith(("/", ".")) or line == "See", line
        assert not line.endswith("-")


@settings(max_examples=25, deadline=None)
@given(keep=st.integers(min_value=1, max_value=30), width=st.sampled_from([140.0, 200.0, 320.0]))
def test_a_split_paragraph_keeps_its_lines(style: object, keep: int, width: float) -> None:
    para = Para(TEXT * 3, style, Setter())
    para.wrap(width, 100_000)
    whole = para.texts(width)
    parts = para.split_at(width, keep)
    got = [line for part in parts for line in part.texts(width)]  # type: ignore[attr-defined]
    assert got == whole
    assert len(parts) == (1 if keep >= len(whole) else 2)
