"""Paragraph styles and page geometry of the briefing: one place for every typographic decision."""

from __future__ import annotations

from typing import NamedTuple

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import face_name

PAPER = {"a4": A4, "letter": LETTER}
ACCENT: Color = HexColor("#7a2e1f")
MUTED: Color = HexColor("#555555")
PANEL: Color = HexColor("#f4efe6")
RULE: Color = HexColor("#b9ab97")


class Geometry(NamedTuple):
    """Page size and margins (points)."""

    width: float
    height: float
    left: float = 25 * mm
    right: float = 25 * mm
    top: float = 24 * mm
    bottom: float = 22 * mm

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


class Styles(NamedTuple):
    """All paragraph styles of the briefing."""

    body: ParagraphStyle
    quote: ParagraphStyle
    attribution: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    dateline: ParagraphStyle
    note: ParagraphStyle
    small: ParagraphStyle
    caption: ParagraphStyle
    toc1: ParagraphStyle
    toc2: ParagraphStyle
    ref: ParagraphStyle
    glossary: ParagraphStyle
    panel_label: ParagraphStyle
    panel_value: ParagraphStyle
    panel_source: ParagraphStyle
    items: tuple[ParagraphStyle, ...] = ()

    def list_item(self, depth: int) -> ParagraphStyle:
        """The style of a list item at ``depth`` (1 = top level); deeper than the last, the last."""
        return self.items[min(max(depth, 1), len(self.items)) - 1]


def make_styles() -> Styles:
    """The briefing's styles; body text is justified and hyphenated, with widow and orphan control."""
    regular, italic, bold = face_name("regular"), face_name("italic"), face_name("bold")
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=10.2,
        leading=13.6,
        alignment=TA_JUSTIFY,
        firstLineIndent=0,
        spaceAfter=6,
        hyphenationLang="en_GB",  # read by our paragraphs (pyphen), not by ReportLab
        allowWidows=0,
        allowOrphans=0,
    )
    heading = {"fontName": bold, "textColor": ACCENT, "keepWithNext": 1, "alignment": TA_LEFT,
               "hyphenationLang": ""}  # fmt: skip
    note = ParagraphStyle(
        "note", parent=body, fontSize=7.8, leading=9.6, spaceAfter=0, allowWidows=1, allowOrphans=1
    )
    return Styles(
        body=body,
        quote=ParagraphStyle(
            "quote",
            parent=body,
            fontSize=9.4,
            leading=12.4,
            leftIndent=18,
            rightIndent=18,
            spaceBefore=2,
            spaceAfter=2,
        ),
        attribution=ParagraphStyle(
            "attribution",
            parent=body,
            fontSize=9,
            leading=12,
            alignment=TA_RIGHT,
            leftIndent=18,
            rightIndent=18,
            fontName=italic,
            spaceAfter=10,
            hyphenationLang="",
        ),
        h1=ParagraphStyle(
            "h1", parent=body, fontSize=14, leading=17, spaceBefore=14, spaceAfter=6, **heading
        ),
        h2=ParagraphStyle(
            "h2", parent=body, fontSize=11.5, leading=14, spaceBefore=10, spaceAfter=4, **heading
        ),
        h3=ParagraphStyle(
            "h3", parent=body, fontSize=10.5, leading=13, spaceBefore=8, spaceAfter=3, **heading
        ),
        title=ParagraphStyle("title", fontName=bold, fontSize=24, leading=28, textColor=ACCENT, spaceAfter=4),
        subtitle=ParagraphStyle(
            "subtitle", fontName=italic, fontSize=12.5, leading=16, spaceAfter=8, textColor=MUTED
        ),
        dateline=ParagraphStyle(
            "dateline", fontName=regular, fontSize=9, leading=12, textColor=MUTED, spaceAfter=14
        ),
        note=note,
        small=ParagraphStyle(
            "small", parent=body, fontSize=8.6, leading=11.2, spaceAfter=4, alignment=TA_LEFT
        ),
        caption=ParagraphStyle(
            "caption",
            parent=body,
            fontSize=8.6,
            leading=11,
            alignment=TA_CENTER,
            fontName=italic,
            spaceBefore=4,
            spaceAfter=12,
            hyphenationLang="",
        ),
        toc1=ParagraphStyle("toc1", fontName=regular, fontSize=10, leading=14),
        toc2=ParagraphStyle("toc2", fontName=regular, fontSize=9.5, leading=13, leftIndent=18),
        ref=ParagraphStyle(
            "ref",
            parent=body,
            fontSize=8.8,
            leading=11.4,
            leftIndent=26,
            firstLineIndent=0,
            bulletIndent=0,
            bulletFontName=regular,
            bulletFontSize=8.8,
            spaceAfter=4,
            alignment=TA_LEFT,
        ),
        glossary=ParagraphStyle(
            "glossary",
            parent=body,
            fontSize=8.8,
            leading=11.4,
            leftIndent=26,
            firstLineIndent=-26,  # the term opens the entry, the rest hangs
            spaceAfter=4,
            alignment=TA_LEFT,
        ),
        panel_label=ParagraphStyle("panel_label", fontName=bold, fontSize=8.6, leading=11, textColor=ACCENT),
        panel_value=ParagraphStyle("panel_value", fontName=regular, fontSize=9, leading=11.6),
        panel_source=ParagraphStyle(
            "panel_source", fontName=regular, fontSize=7.6, leading=10, textColor=MUTED
        ),
        items=tuple(
            ParagraphStyle(
                f"item{depth}",
                parent=body,
                alignment=TA_LEFT,
                leftIndent=16 * depth,
                bulletIndent=16 * depth - 11,
                bulletFontName=regular,
                spaceAfter=2,
            )
            for depth in range(1, 5)
        ),
    )
