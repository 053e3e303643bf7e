"""Rebuilds with a shared Typesetter (parsed paragraphs and line breaks kept between builds) give the
same bytes as builds without one, also when the text changes and page breaks move."""

from __future__ import annotations

import dataclasses
import io

import pytest
from conftest import line_texts, split_at
from pdfread import page_text
from pypdf import PdfReader

from kalbajar_report import Article
from kalbajar_report.model import Paragraph as TextParagraph
from kalbajar_report.pdf import Typesetter, render_pdf
from kalbajar_report.pdf.fonts import load_fonts
from kalbajar_report.pdf.paragraph import Para, Setter

FILLER = "The administrative consequences of the displacement were considerable and long-lasting."


def _render(article: Article, typesetter: Typesetter | None = None) -> bytes:
    return render_pdf(article, date_text="1 January 2024", tool="test", typesetter=typesetter).data


def _lengthened(article: Article, words: int) -> Article:
    """The article with ``words`` words appended to the first sentence of its first body paragraph."""
    section = article.sections[0]
    index = next(i for i, b in enumerate(section.blocks) if isinstance(b, TextParagraph))
    block = section.blocks[index]
    assert isinstance(block, TextParagraph)
    extra = " ".join((FILLER.split() * (words // 10 + 1))[:words])
    first = dataclasses.replace(block.sentences[0], text=block.sentences[0].text + " " + extra)
    blocks = list(section.blocks)
    blocks[index] = TextParagraph((first, *block.sentences[1:]))
    sections = (dataclasses.replace(section, blocks=tuple(blocks)), *article.sections[1:])
    return dataclasses.replace(article, sections=sections)


def test_rebuild_with_a_typesetter_gives_the_same_bytes_and_reuses_breaks(
    article: Article, epoch: str
) -> None:
    fresh = _render(article)
    typesetter = Typesetter()
    assert _render(article, typesetter) == fresh
    first_misses = typesetter.setter.misses
    assert first_misses > 50 and typesetter.setter.hits < first_misses
    assert _render(article, typesetter) == fresh
    assert typesetter.setter.misses == 0 and typesetter.setter.hits >= first_misses


def test_edited_rebuilds_match_fresh_builds_as_page_breaks_move(article: Article, epoch: str) -> None:
    typesetter = Typesetter()
    seen_first_lines: set[str] = set()
    for words in (0, 7, 40, 0, 95, 18):
        edited = _lengthened(article, words) if words else article
        ours = _render(edited, typesetter)
        assert ours == _render(edited), f"{words} words added"
        reader = PdfReader(io.BytesIO(ours))
        start = " ".join(page_text(reader, i) for i in range(3))
        assert ("administrative consequences" in start) == (words >= 2)
        seen_first_lines.add(page_text(reader, 2).split("\n")[0])
    assert len(seen_first_lines) >= 3  # the edits really moved the page breaks


@pytest.mark.parametrize("lead", ["", "<i>Note.</i> "], ids=["one-run", "several-runs"])
def test_a_cached_paragraph_splits_anywhere_like_a_fresh_one(article: Article, lead: str) -> None:
    """Breaks kept by a setter from one build to the next split at any line as a fresh paragraph's do,
    and the parts keep the whole paragraph's lines (nothing is broken again)."""
    load_fonts()
    style = Typesetter().styles.body
    text = lead + " ".join(s.text for s in article.sentences())[:2500]
    width = 180.0
    probe = Para(text, style, Setter())
    probe.wrap(width, 10_000)
    whole = line_texts(probe)
    count = len(whole)
    hyphenated = [i for i, t in enumerate(whole) if t.endswith("-")]
    assert len(hyphenated) >= 3, "the sample must break some words at line ends"
    setter = Setter(keep=True)
    for lines in [*(i + 1 for i in hyphenated), *range(2, count - 1, 3)]:
        setter.new_build()
        cached = Para(text, style, setter)
        parts = split_at(cached, width, lines)
        assert parts == split_at(Para(text, style, Setter()), width, lines), lines
        assert [line for part in parts for line in part] == whole
    assert setter.hits > 0
