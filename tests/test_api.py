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
