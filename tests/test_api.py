"""The Python API as the README shows it: sections reused in another ReportLab document, notes working."""

from __future__ import annotations

from pathlib import Path

from pdfread import markers_on_page, note_labels_on_page, open_pdf, page_runs, page_text
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from kalbajar_report import Article
from kalbajar_report.pdf import section_flowables


def test_section_flowables_in_another_document_keep_their_notes(article: Article, tmp_path: Path) -> None:
    part = section_flowables(article, "background", "final-push")
    pdf = tmp_path / "mine.pdf"
    intro = [Paragraph("My own report on the war " * 30, getSampleStyleSheet()["BodyText"])] * 6
    part.doc_template(str(pdf)).build([*intro, *part.flowables])
    reader = open_pdf(pdf)
    text = " ".join(page_text(reader, i) for i in range(len(reader.pages)))
    assert "Background" in text and "Final push" in text and "My own report" in text
    total = 0
    for index in range(len(reader.pages)):
        runs = page_runs(reader, index)
        markers = markers_on_page(runs)
        assert set(markers) <= set(note_labels_on_page(runs)), index
        total += len(markers)
    expected = sum(1 for s in ("background", "final-push") for _ in article.section(s).citations())
    assert total == expected > 0


def test_section_api_walks_sentences_and_citations(article: Article) -> None:
    section = article.section("final-push")
    keys = section.cited_keys()
    assert "melkonian2005" in keys and "kalbajar-ref-23" in keys
    for sentence in section.sentences():
        for cite in sentence.citations:
            assert article.bibliography[cite.key].key == cite.key


def test_build_and_export_name_the_files_after_the_article(article: Article, tmp_path: Path) -> None:
    import bibtexparser
    from pypdf import PdfReader

    from kalbajar_report import build_briefing, build_outputs, export, named

    assert article.metadata.slug == "kalbajar"
    mine = named(article.excerpt(["background"]), "my-notes")
    assert mine.metadata.slug == "my-notes" and mine.metadata.title == article.metadata.title
    assert mine.section_ids == ("background",)
    result = build_briefing(mine, tmp_path / "pdf")
    assert (result.pdf.name, result.bib.name) == ("my-notes-briefing.pdf", "my-notes.bib")
    attached = PdfReader(str(result.pdf)).attachments
    assert list(attached) == ["my-notes.bib"] and attached["my-notes.bib"][0] == result.bib.read_bytes()
    paths = export(mine, "md", tmp_path / "md")
    assert [p.name for p in paths] == ["my-notes.md", "my-notes.bib"]
    keys = {e.key for e in bibtexparser.parse_string(paths[1].read_text(encoding="utf-8")).entries}
    assert keys == {e.key for e in mine.bibliography.entries}
    written = build_outputs(mine, tmp_path / "all", ["pdf", "csl", "ris"])
    assert [p.name for p in written] == [
        "my-notes-briefing.pdf",
        "my-notes.bib",
        "my-notes.csl.json",
        "my-notes.ris",
    ]


def test_a_slug_that_cannot_name_a_file_is_refused(article: Article, tmp_path: Path) -> None:
    import dataclasses

    import pytest

    from kalbajar_report import OutputError, build_briefing, export, named

    with pytest.raises(OutputError, match="--name"):
        named(article, "../escape")
    hostile = dataclasses.replace(article, metadata=dataclasses.replace(article.metadata, slug="../x"))
    with pytest.raises(OutputError, match="slug"):
        build_briefing(hostile, tmp_path)
    with pytest.raises(OutputError, match="slug"):
        export(hostile, "html", tmp_path)
    assert list(tmp_path.iterdir()) == [] and not (tmp_path.parent / "x.html").exists()


def test_a_built_document_lets_its_pdf_objects_go_without_the_collector(
    article: Article, tmp_path: Path
) -> None:
    """After build, the doc template drops its saved canvas, so the canvas and its PDF document (every
    page's objects) are freed by reference counting, not left in a cycle for the cyclic collector."""
    import gc
    import weakref

    from reportlab.pdfgen.canvas import Canvas

    made: list[weakref.ref[Canvas]] = []

    def canvasmaker(*args: object, **kwargs: object) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        made.append(weakref.ref(canvas))
        return canvas

    part = section_flowables(article, "background")
    doc = part.doc_template(str(tmp_path / "mine.pdf"))
    enabled = gc.isenabled()
    gc.disable()
    try:
        doc.build(list(part.flowables), canvasmaker=canvasmaker)
        assert made and doc.canv is None
        assert made[0]() is None  # gone already, with the collector off
    finally:
        if enabled:
            gc.enable()
    assert (tmp_path / "mine.pdf").stat().st_size > 1000
