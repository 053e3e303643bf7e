"""Embedding a file in the PDF (an /EmbeddedFiles name tree), written by ReportLab in the same pass.

ReportLab has no public API for attachments; its PDF object classes do. Doing it here spares a second
pass over the finished PDF (and importing pypdf) on every build.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

from .rlcompat import pdf_document


def embed_file(canv: Canvas, name: str, data: bytes, mime: str, description: str) -> None:
    """Attach ``data`` as the file ``name`` to the document ``canv`` is writing (before it saves)."""
    doc = pdf_document(canv)
    stream = PDFStream(
        PDFDictionary(
            {
                "Type": PDFName("EmbeddedFile"),
                "Subtype": PDFName(mime.replace("/", "#2F")),  # a solidus must be escaped in a name
                "Params": PDFDictionary({"Size": len(data)}),
            }
        ),
        data,
    )
    spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(name),
            "UF": PDFString(name),
            "Desc": PDFString(description),
            "EF": PDFDictionary({"F": doc.Reference(stream)}),
        }
    )
    tree = PDFDictionary({"Names": PDFArray([PDFString(name), doc.Reference(spec)])})
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": tree})
