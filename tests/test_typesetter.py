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
from kalbajar_report.pdf.linecache import LineCache, make_paragraph
from kalbajar_report.pdf.story import PlainParagraph

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
    first_misses = typesetter.lines.misses
    assert first_misses > 50 and typesetter.lines.hits < first_misses
    assert _render(article, typesetter) == fresh
    assert typesetter.lines.misses == 0 and typesetter.lines.hits >= first_misses


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
    """``split`` changes the class of a hyphenated word ending a part (of a paragraph of several style
    runs); the cache undoes that on reuse, so the next split elsewhere is as a fresh paragraph's."""
    load_fonts()
    style = Typesetter().styles.body
    text = lead + " ".join(s.text for s in article.sentences())[:2500]
    width = 180.0
    probe = PlainParagraph(text, style)
    probe.wrap(width, 10_000)
    count = len(probe.blPara.lines)
    hyphenated = [i for i, t in enumerate(line_texts(probe)) if t.rstrip().endswith("-")]
    assert len(hyphenated) >= 3, "the sample must break some words at line ends"
    cache = LineCache()
    for lines in [*(i + 1 for i in hyphenated), *range(2, count - 1, 3), *(i + 1 for i in hyphenated)]:
        cache.new_build()
        cached = make_paragraph(PlainParagraph, text, style, cache)
        assert split_at(cached, width, lines) == split_at(PlainParagraph(text, style), width, lines), lines
    assert cache.hits > 0
