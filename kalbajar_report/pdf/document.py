"""The page furniture: a doc template with footnote-aware frames, running header, page X of Y, outline and
forward-referenced page numbers (PDF form XObjects filled in once the last page is known)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, LayoutError, PageTemplate

from ..errors import PageLayoutError
from .fonts import face_name, fit_text
from .footnotes import CarriedNotes, FootnoteLayout, NoteFrame
from .styles import MUTED, RULE, Geometry

TOTAL_PAGES_FORM = "total-pages"


def page_form(section_id: str) -> str:
    """The name of the form that prints the page number of a section."""
    return f"pg-{section_id}"


class HeadingInfo(NamedTuple):
    """What a heading flowable tells the template: id, printed number, title and outline level."""

    id: str
    number: str
    title: str
    level: int


class PageRecord:
    """What the build learnt about pages: where each section starts and which is current on each page."""

    __slots__ = ("running", "section_pages")

    def __init__(self) -> None:
        self.section_pages: dict[str, int] = {}
        self.running: dict[int, str] = {}


class FormCanvas(Canvas):  # type: ignore[misc]
    """A canvas that defines the forward-referenced forms (page numbers) just before it saves."""

    def __init__(self, *args: Any, before_save: Callable[[Canvas], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._before_save = before_save

    def save(self) -> None:
        self._before_save(self)
        super().save()


class FootnoteDocTemplate(BaseDocTemplate):  # type: ignore[misc]
    """A ReportLab doc template whose single frame keeps each note at the foot of its marker's page.

    Use it to place flowables from :func:`kalbajar_report.pdf.section_flowables` in your own document.
    After :meth:`build` its ``canv`` is None: the saved canvas is let go with its PDF objects.
    """

    canv: Any  # ReportLab's canvas while a build runs

    def __init__(self, filename: Any, geometry: Geometry, layout: FootnoteLayout, **kwargs: Any) -> None:
        self.geometry = geometry
        self.layout = layout
        self._flowable: Flowable | None = None  # the one being set, for error messages
        super().__init__(
            filename,
            pagesize=(geometry.width, geometry.height),
            leftMargin=geometry.left,
            rightMargin=geometry.right,
            topMargin=geometry.top,
            bottomMargin=geometry.bottom,
            **kwargs,
        )
        frame = NoteFrame(
            geometry.left,
            geometry.bottom,
            geometry.frame_width,
            geometry.frame_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
            layout_ref=lambda: self.layout,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        """Lay out ``flowables``, then as many pages as the rest of a note split at the end needs.

        A paragraph of the article that cannot be set (notes too long to stand on the pages of their
        markers) raises a PageLayoutError naming where it starts, not ReportLab's LayoutError."""
        flowables.append(CarriedNotes())  # in place: ReportLab consumes the list, freeing what it has set
        try:
            super().build(flowables, *args, **kwargs)
        except LayoutError:
            unset = self.layout.unset
            where = self.layout.occurrence_source.get(unset) if unset is not None else None
            if where is not None:
                problem = "cannot set this sentence: its notes do not fit on the page of their markers"
                raise PageLayoutError(problem, where.file, where.line) from None
            where = getattr(self._flowable, "source", None)
            if where is None:
                raise  # not the user's text: an internal error
            problem = "cannot set the paragraph starting here: it does not fit on a page"
            raise PageLayoutError(problem, where.file, where.line) from None
        finally:
            # the saved canvas and its PDF document (every page's objects) would otherwise stay in a
            # reference cycle with this template until the cyclic collector finds them: let them go now
            self.canv = None

    def handle_flowable(self, flowables: list[Flowable]) -> None:
        self._flowable = flowables[0] if flowables else None
        super().handle_flowable(flowables)

    def beforePage(self) -> None:
        self.layout.begin_page(self.page, self.pageTemplate.frames[0])

    def handle_pageEnd(self) -> None:
        if self.layout.placed:
            self._curPageFlowableCount += 1  # a page of notes carried over is not an empty page
        self.layout.draw(self.canv, self.pageTemplate.frames[0])
        super().handle_pageEnd()


class BriefingDocTemplate(FootnoteDocTemplate):
    """The briefing's template: notes, running header, "Page X of Y", outline and section pages."""

    def __init__(
        self, filename: Any, geometry: Geometry, layout: FootnoteLayout, short_title: str, **kwargs: Any
    ) -> None:
        self.short_title = short_title
        self.record = PageRecord()
        self._current_section = ""
        super().__init__(filename, geometry, layout, **kwargs)

    def afterFlowable(self, flowable: Flowable) -> None:
        info: HeadingInfo | None = getattr(flowable, "heading_info", None)
        if info is None:
            return
        self.record.section_pages.setdefault(info.id, self.page)
        label = f"{info.number} {info.title}".strip()
        self.canv.addOutlineEntry(label, f"sec-{info.id}", level=max(info.level - 1, 0), closed=False)
        if self.page not in self.record.running:
            self.record.running[self.page] = label
        self._current_section = label

    def handle_pageEnd(self) -> None:
        self._draw_chrome(self.canv)
        super().handle_pageEnd()

    def _draw_chrome(self, canv: Canvas) -> None:
        g = self.geometry
        section = self.record.running.get(self.page, self._current_section)
        canv.saveState()
        canv.setFillColor(MUTED)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        top = g.height - g.top + 14
        if self.page > 1:
            # each side shortened with an ellipsis so that the two never meet
            measure = g.width - g.left - g.right
            short = fit_text(self.short_title, face_name("italic"), 8.2, 0.45 * measure)
            used = canv.stringWidth(short, face_name("italic"), 8.2)
            section = fit_text(section, face_name("regular"), 8.2, measure - used - 18)
            canv.setFont(face_name("italic"), 8.2)
            canv.drawString(g.left, top, short)
            canv.setFont(face_name("regular"), 8.2)
            canv.drawRightString(g.width - g.right, top, section)
            canv.line(g.left, top - 4, g.width - g.right, top - 4)
        canv.setFont(face_name("regular"), 8.2)
        text = f"Page {self.page} of "
        y = g.bottom - 22
        cx = g.width / 2
        canv.drawRightString(cx + 4, y, text)
        canv.saveState()
        canv.translate(cx + 4, y)
        canv.doForm(TOTAL_PAGES_FORM)
        canv.restoreState()
        canv.restoreState()

    # --- forms ---------------------------------------------------------------------------------------
    def define_forms(self, canv: Canvas) -> None:
        """Fill the page-number forms: called by the canvas before it saves (every page is known by then)."""
        font = face_name("regular")
        _form_text(canv, TOTAL_PAGES_FORM, str(self.page), font, 8.2, anchor="start")
        for sid, page in self.record.section_pages.items():
            _form_text(canv, page_form(sid), str(page), font, 10, anchor="end")


def _form_text(canv: Canvas, name: str, text: str, font: str, size: float, anchor: str) -> None:
    width = canv.stringWidth(text, font, size)
    if anchor == "end":
        canv.beginForm(name, lowerx=-width - 2, lowery=-3, upperx=2, uppery=size + 2)
    else:
        canv.beginForm(name, lowerx=-2, lowery=-3, upperx=width + 2, uppery=size + 2)
    canv.setFont(font, size)
    canv.setFillColor(MUTED if size < 9 else "black")
    if anchor == "end":
        canv.drawRightString(0, 0, text)
    else:
        canv.drawString(0, 0, text)
    canv.endForm()
