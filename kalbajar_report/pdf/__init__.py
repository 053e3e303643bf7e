"""The PDF writer: an Article in, the bytes of a typeset briefing out (ReportLab PLATYPUS)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from .. import collector
from ..housestyle import HOUSE_STYLE, CitationStyle
from ..model import Article
from .attachments import embed_file
from .document import BriefingDocTemplate, FootnoteDocTemplate, FormCanvas
from .fonts import face_name, load_fonts
from .footnotes import FootnoteLayout, NoteStyle
from .paragraph import Hyphenator, Setter
from .story import BuildInfo, StoryBuilder
from .styles import ACCENT, PAPER, Geometry, Styles, make_styles

__all__ = [
    "Attachment",
    "FootnoteDocTemplate",
    "PdfResult",
    "SectionFlowables",
    "Typesetter",
    "render_pdf",
    "section_flowables",
]


@dataclass(frozen=True)
class PdfResult:
    """The PDF bytes and what the layout learnt: the page of every marker occurrence and of every section."""

    data: bytes
    pages: int
    occurrence_pages: dict[str, int]
    occurrence_keys: dict[str, str]
    section_pages: dict[str, int]


class Typesetter:
    """What builds in one process may share, passed explicitly (nothing is kept in module state).

    One ``Typesetter`` given to every :func:`render_pdf` or :func:`~kalbajar_report.build_briefing` call of
    a watch loop or a server keeps the hyphenation dictionary, the styles, the measured words, and the
    parsed paragraphs and line breaks of the last build: a rebuild breaks again only the paragraphs that
    changed.
    The output is byte-for-byte what a build without it gives. Not for concurrent builds (one per thread).
    """

    def __init__(self, hyphenator: Hyphenator | None = None) -> None:
        self.hyphenator = hyphenator or Hyphenator()
        self.styles: Styles = make_styles()
        self.setter = Setter(self.hyphenator, keep=True)


@dataclass(frozen=True)
class Attachment:
    """A file to embed in the PDF."""

    name: str
    data: bytes
    mime: str
    description: str


def render_pdf(
    article: Article,
    *,
    paper: str = "a4",
    date_text: str,
    tool: str,
    hyphenator: Hyphenator | None = None,
    attachments: tuple[Attachment, ...] = (),
    typesetter: Typesetter | None = None,
    bib_name: str = "",
    style: CitationStyle = HOUSE_STYLE,
) -> PdfResult:
    """Typeset ``article`` as a briefing; ``date_text`` is the printed date (the build date).

    ``attachments`` are embedded as files in the same pass (no second pass over the PDF). ``typesetter``
    carries what an earlier build in this process can lend this one (see :class:`Typesetter`).
    ``bib_name`` is the attached .bib the colophon names (default: ``<slug>.bib``). ``style`` sets the
    notes and the references list (default: the house style; see :mod:`kalbajar_report.cslstyle`)."""
    geometry = Geometry(*PAPER[paper])
    info = BuildInfo(date_text, tool, _paper_name(paper), bib_name=bib_name)
    if typesetter is not None:
        setter = typesetter.setter
        setter.new_build()
        builder = _builder(article, geometry, typesetter.styles, info, setter, style)
    else:
        setter = Setter(hyphenator or Hyphenator())
        builder = _builder(article, geometry, make_styles(), info, setter, style)
    with collector.paused():  # see kalbajar_report.collector
        result = _typeset(article, geometry, builder, tool, attachments)
    setter.hyphenator.save()  # the words it hyphenated, for the next build (see pdf.hyphencache)
    return result


def _typeset(
    article: Article,
    geometry: Geometry,
    builder: StoryBuilder,
    tool: str,
    attachments: tuple[Attachment, ...],
) -> PdfResult:
    story = builder.story()
    layout = _layout(builder, geometry)
    builder.layout = layout
    meta = article.metadata
    buffer = io.BytesIO()
    doc = BriefingDocTemplate(
        buffer,
        geometry,
        layout,
        meta.short_title or meta.title,
        title=meta.title,
        author=meta.author,
        subject=meta.subtitle or meta.title,
        keywords=_keywords(article),
        creator=tool,
        lang=meta.language,
        pageCompression=1,
        initialFontName=face_name("regular"),
        initialFontSize=10,
        initialLeading=12,
    )

    def before_save(canv: Canvas) -> None:
        doc.define_forms(canv)
        for item in attachments:
            embed_file(canv, item.name, item.data, item.mime, item.description)

    doc.build(story, canvasmaker=lambda *a, **k: FormCanvas(*a, before_save=before_save, **k))
    return PdfResult(
        data=buffer.getvalue(),
        pages=doc.page,
        occurrence_pages=dict(layout.occurrence_pages),
        occurrence_keys=builder.occurrence_keys,
        section_pages=dict(doc.record.section_pages),
    )


def _paper_name(paper: str) -> str:
    return "A4" if paper == "a4" else "US Letter"


def _builder(
    article: Article,
    geometry: Geometry,
    styles: Styles,
    info: BuildInfo,
    setter: Setter,
    style: CitationStyle = HOUSE_STYLE,
) -> StoryBuilder:
    note_style = NoteStyle(
        label_font=face_name("bold"),
        label_color=ACCENT,
        continued_font=face_name("italic"),
        leading=float(styles.note.leading),
        font_size=float(styles.note.fontSize),
    )
    return StoryBuilder(
        article,
        styles,
        load_fonts(),
        info,
        geometry.frame_width,
        setter=setter,
        style=style,
        note_style=note_style,
    )


def _layout(builder: StoryBuilder, geometry: Geometry) -> FootnoteLayout:
    return FootnoteLayout(
        occurrence_note=builder.note_ids(),
        note_label=builder.note_label_map(),
        make_note=builder.note_paragraph,
        stands_for=builder.stands_for(),
        width=geometry.frame_width,
        style=builder.note_style,
        occurrence_source=builder.occurrence_source,
    )


@dataclass(frozen=True)
class SectionFlowables:
    """Some sections as ReportLab flowables, with the note layout their markers need.

    Place ``flowables`` in a document made by :meth:`doc_template` (or any template whose frame is a
    ``NoteFrame`` drawing ``layout`` at each page's end) and every note stands at the foot of its page.
    """

    flowables: list[Flowable]
    layout: FootnoteLayout
    geometry: Geometry

    def doc_template(self, filename: Any, **kwargs: Any) -> FootnoteDocTemplate:
        """A ReportLab doc template (same page size and margins) that keeps these notes working."""
        return FootnoteDocTemplate(filename, self.geometry, self.layout, **kwargs)


def section_flowables(
    article: Article, *section_ids: str, paper: str = "a4", style: CitationStyle = HOUSE_STYLE
) -> SectionFlowables:
    """The flowables of these sections (headings, paragraphs, quotations with their note markers);
    ``style`` sets their notes."""
    excerpt = article.excerpt(list(section_ids))
    geometry = Geometry(*PAPER[paper])
    info = BuildInfo("", "", _paper_name(paper))
    builder = _builder(excerpt, geometry, make_styles(), info, Setter(), style=style)
    builder.references_list = False
    flowables: list[Flowable] = []
    for section in excerpt.sections:
        flowables += builder.section(section)
    return SectionFlowables(flowables, _layout(builder, geometry), geometry)


def _keywords(article: Article) -> str:
    words = [article.metadata.short_title or article.metadata.title, "briefing"]
    words += [g.term for g in article.glossary]
    return ", ".join(dict.fromkeys(words))
