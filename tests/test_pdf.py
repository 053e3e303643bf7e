"""The built briefing read back with pypdf: text, metadata, fonts, notes on their markers' pages,
navigation, attachment and reproducibility."""

from __future__ import annotations

import io
from collections import Counter

import bibtexparser
import pytest
from pdfread import markers_on_page, note_labels_on_page, open_pdf, page_runs, page_text
from pypdf import PdfReader
from pypdf.generic import ArrayObject

from kalbajar_report import Article, BuildResult, build_briefing


@pytest.fixture(scope="module")
def reader(built: BuildResult) -> PdfReader:
    return open_pdf(built.pdf)


def all_text(reader: PdfReader) -> str:
    return "\n".join(page_text(reader, i) for i in range(len(reader.pages)))


def test_sections_headings_and_quote_are_printed(reader: PdfReader, article: Article) -> None:
    text = all_text(reader)
    for section in article.walk():
        assert section.title in text
    assert "A downcast enemy soldier" in text
    assert "Markar Melkonian" in text


def test_metadata(reader: PdfReader, article: Article) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == article.metadata.title
    assert meta.author and "Wikipedia contributors" in meta.author
    assert meta.subject
    assert "Kalbajar" in str(meta.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_every_font_is_embedded(reader: PdfReader) -> None:
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, font["/BaseFont"]
            assert "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
    assert any("SourceSerifPro-Regular" in f for f in seen)
    assert any("SourceSerifPro-Bold" in f for f in seen)
    assert any("SourceSerifPro-It" in f for f in seen)


def test_each_marker_has_its_note_on_the_same_page(reader: PdfReader, article: Article) -> None:
    total = 0
    for index in range(len(reader.pages)):
        runs = page_runs(reader, index)
        markers = markers_on_page(runs)
        notes = note_labels_on_page(runs)
        assert set(markers) <= set(notes), (index + 1, markers, notes)
        assert len(notes) == len(set(notes)), "a note is repeated on one page"
        total += len(markers)
    assert total == sum(1 for _ in article.citations())


def test_marker_links_land_on_their_own_page(reader: PdfReader, built: BuildResult) -> None:
    """Every marker's link goes to a destination on the marker's page (the note at its foot)."""
    pages_by_ref = {p.indirect_reference.idnum: i + 1 for i, p in enumerate(reader.pages)}
    same_page_links = 0
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots", []) or []:
            a = annot.get_object()
            dest = a.get("/Dest")
            if not isinstance(dest, ArrayObject):
                continue
            target = pages_by_ref[dest[0].idnum]
            rect = [float(v) for v in a["/Rect"]]
            small = rect[2] - rect[0] < 16 and rect[3] - rect[1] < 12
            if small and target == index + 1:
                same_page_links += 1
    assert same_page_links >= len(built.occurrence_keys)


def test_layout_reports_note_pages_consistent_with_pdf(built: BuildResult, reader: PdfReader) -> None:
    per_page = Counter(built.occurrence_pages.values())
    for page, count in per_page.items():
        assert len(markers_on_page(page_runs(reader, page - 1))) == count


def test_references_list_and_licence(reader: PdfReader) -> None:
    text = all_text(reader)
    assert "Numbered references" in text
    assert "Works cited by name" in text
    assert "My Brother" in text and "1-85043-635-5" in text
    assert "Seven Years of Conflict" in text and "1-56432-142-8" in text
    assert "S/RES/822" in text
    assert "CC BY-SA 4.0" in text or "Attribution-ShareAlike" in text
    assert "https://en.wikipedia.org/wiki/Battle_of_Kalbajar" in text
    assert "kalbajar-briefing" in text


def test_outline_mirrors_sections(reader: PdfReader, article: Article) -> None:
    def titles(items: list[object]) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, list):
                out += titles(item)
            else:
                out.append(str(item.title))  # type: ignore[attr-defined]
        return out

    outline = titles(reader.outline)
    for section in article.walk():
        assert any(t.endswith(section.title) for t in outline), section.title
    assert any(t == "References" for t in outline)


def test_page_x_of_y_and_running_header(reader: PdfReader) -> None:
    n = len(reader.pages)
    for i in range(n):
        text = page_text(reader, i)
        assert f"Page {i + 1} of" in text
        assert f"of {n}" in text.replace("\n", " ") or f"of\n{n}" in text or str(n) in text
    assert "Battle of Kalbajar" in page_text(reader, 1)


def test_bib_attached_to_pdf(reader: PdfReader, built: BuildResult) -> None:
    attachments = reader.attachments
    assert "kalbajar.bib" in attachments
    data = attachments["kalbajar.bib"][0]
    assert data == built.bib.read_bytes()
    library = bibtexparser.parse_string(data.decode("utf-8"))
    assert not library.failed_blocks
    assert "kalbajar-ref-14" in library.entries_dict


def test_reproducible_with_source_date_epoch(
    built: BuildResult, article: Article, tmp_path_factory: pytest.TempPathFactory
) -> None:
    again = build_briefing(article, tmp_path_factory.mktemp("again"))
    assert again.pdf.read_bytes() == built.pdf.read_bytes()
    assert again.bib.read_bytes() == built.bib.read_bytes()
    assert "14 November 2023" in page_text(PdfReader(io.BytesIO(again.pdf.read_bytes())), 0)


def test_default_pdf_is_small(built: BuildResult) -> None:
    assert built.pdf.stat().st_size < 200_000


def test_without_source_date_epoch_the_build_date_is_printed(
    article: Article, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = dt.datetime.now(tz=dt.UTC).date()
    result = build_briefing(article, tmp_path_factory.mktemp("today"))
    after = dt.datetime.now(tz=dt.UTC).date()
    first = page_text(open_pdf(result.pdf), 0)
    assert any(f"{d.day} {d:%B %Y}" in first for d in {before, after})


def test_timeline_draws_every_event_with_dots_over_the_axis(article: Article) -> None:
    """The timeline flowable, drawn alone on a page: every event's date and label is text on the page, a
    gap of more than a month writes its length, and every axis stroke comes before the first dot (a dot is
    never crossed by the axis)."""
    import re

    from reportlab.pdfgen.canvas import Canvas

    from kalbajar_report.pdf.fonts import load_fonts
    from kalbajar_report.pdf.timeline import Timeline

    load_fonts()
    events = article.events
    assert len(events) >= 3
    figure = Timeline(events, 400)
    width, height = figure.wrap(400, 800)
    assert width == 400 and height > 15 * len(events)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(450, height + 50), pageCompression=0)
    figure.drawOn(canvas, 20, 20)
    canvas.save()
    page = PdfReader(io.BytesIO(out.getvalue())).pages[0]
    text = page.extract_text()
    for event in events:
        assert event.date.display() in text
        assert event.label.split()[0] in text
    assert "later" in text  # the events span more than a month somewhere
    ops = page.get_contents().get_data().decode("latin-1")
    strokes = [m.start() for m in re.finditer(r"\bl\s+S\b", ops)]  # a line stroked
    fills = [m.start() for m in re.finditer(r"\bc\s+f\*?\s", ops)]  # a circle's last curve, filled
    assert strokes and fills
    assert max(strokes) < min(fills)
