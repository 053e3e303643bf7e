"""The story: the article turned into PLATYPUS flowables (title block, key facts, contents, timeline, body,
references, glossary, colophon). Every piece of text is escaped for ReportLab's paragraph markup."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from ..citestyle import Run, reference_groups
from ..housestyle import HOUSE_STYLE, CitationStyle
from ..links import safe_url
from ..model import (
    Article,
    BlockQuote,
    Citation,
    Entry,
    ListBlock,
    Section,
    Sentence,
    SourceLocation,
    section_numbers,
    styled_pieces,
)
from ..notes import Note, NoteTable
from .document import HeadingInfo, page_form
from .fonts import FontSet, face_name, wrap_words
from .footnotes import MARK_PREFIX, NOTE_PREFIX, FootnoteLayout, NoteStyle
from .markup import escape, quoteattr
from .paragraph import Para, Setter
from .styles import ACCENT, PANEL, RULE, Styles
from .timeline import Timeline

#: the suffix of a note id for an entry's later citations in a note style (no BibTeX key holds it)
LATER_NOTE = "\x1flater"


class BuildInfo(NamedTuple):
    """What the colophon says about the build."""

    date_text: str
    tool: str
    paper: str
    bib_name: str = ""


class Heading(Para):
    """A heading paragraph that tells the template its id, number and level (for outline and contents)."""

    copy_attributes = ("heading_info",)

    def __init__(self, text: str, style: Any, setter: Setter, info: HeadingInfo) -> None:
        super().__init__(text, style, setter)
        self.heading_info = info


class Deferred(Flowable):  # type: ignore[misc]
    """A paragraph built when it is laid out, so it can print what the layout has learnt (cited pages)."""

    def __init__(self, build: Callable[[], Para]) -> None:
        super().__init__()
        self._build = build
        self._para: Para | None = None

    @property
    def para(self) -> Para:
        if self._para is None:
            self._para = self._build()
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.para.wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self.para.split(availWidth, availHeight))

    def getSpaceBefore(self) -> float:
        return float(self.para.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.para.getSpaceAfter())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        self.para.drawOn(canvas, x, y, _sW)


class TocLine(Flowable):  # type: ignore[misc]
    """A contents line: number and title linked to the section, dot leaders, and its page number (a form).
    A title too long for one line wraps, its page number kept at the right of its last line."""

    PAGE_COLUMN = 26.0

    def __init__(self, label: str, section_id: str, indent: float, font: str, size: float) -> None:
        super().__init__()
        self.label, self.section_id, self.indent, self.font, self.size = label, section_id, indent, font, size
        self.lines: list[str] = [label]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        room = availWidth - self.indent - self.PAGE_COLUMN - 12
        self.lines = wrap_words(self.label, self.font, self.size, room)
        self.height = len(self.lines) * (self.size + 3) + 2
        return availWidth, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self.size)
        y = self.height - self.size - 1
        for line in self.lines:
            c.drawString(self.indent, y, line)
            y -= self.size + 3
        y += self.size + 3  # the last line's baseline
        last = self.lines[-1]
        start = self.indent + c.stringWidth(last, self.font, self.size) + 6
        c.setFillColor(RULE)
        dot = c.stringWidth(" .", self.font, self.size)
        count = max(int((self.width - self.PAGE_COLUMN - start) / dot), 0)
        c.drawRightString(self.width - self.PAGE_COLUMN, y, " ." * count)
        c.setFillColor("black")
        c.saveState()
        c.translate(self.width, y)
        c.doForm(page_form(self.section_id))
        c.restoreState()
        c.linkRect("", f"sec-{self.section_id}", (0, 0, self.width, self.height), relative=1, thickness=0)


class StoryBuilder:
    """Builds the flowables of one briefing; holds the marker occurrences it hands out."""

    __slots__ = (
        "article",
        "build",
        "fonts",
        "labels",
        "layout",
        "note_by_id",
        "note_style",
        "notes",
        "numbers",
        "occurrence_note",
        "occurrence_source",
        "references_list",
        "setter",
        "style",
        "styles",
        "width",
    )

    def __init__(
        self,
        article: Article,
        styles: Styles,
        fonts: FontSet,
        build: BuildInfo,
        width: float,
        setter: Setter | None = None,
        style: CitationStyle = HOUSE_STYLE,
        note_style: NoteStyle | None = None,
    ) -> None:
        self.article = article
        self.styles = styles
        self.fonts = fonts
        self.build = build
        self.width = width
        self.occurrence_note: dict[str, str] = {}  # filled as markers are handed out
        self.occurrence_source: dict[str, SourceLocation] = {}
        self.layout: FootnoteLayout | None = None
        self.references_list = True
        self.setter = Setter() if setter is None else setter
        self.style = style
        self.note_style = (
            NoteStyle(face_name("bold"), face_name("italic")) if note_style is None else note_style
        )
        self.notes: NoteTable = NoteTable.of(article)
        self.note_by_id: dict[str, Note] = self.notes.by_id()
        self.labels: dict[str, str] = self.notes.entry_labels()
        self.numbers: dict[str, str] = section_numbers(article.sections)

    @property
    def occurrence_keys(self) -> dict[str, str]:
        """The entry (or explanatory note) key of every marker occurrence."""
        return {occ: self.note_by_id[n].key for occ, n in self.occurrence_note.items()}

    def paragraph(self, markup: str, style: Any) -> Para:
        """A paragraph of ours (broken and set by :mod:`.paragraph`), sharing this build's setter."""
        return Para(markup, style, self.setter)

    # --- text ----------------------------------------------------------------------------------------
    def where(self, directive: str) -> SourceLocation | str:
        """Where a header directive was read, for errors about its text."""
        return self.article.metadata.location(directive) or f"{self.article.source}: @{directive}"

    def text(self, text: str, where: SourceLocation | str | None, face: str = "regular") -> str:
        return self.fonts.markup(text, face, where)

    def runs(self, runs: Iterable[Run], where: str) -> str:
        out = []
        for run in runs:
            body = self.text(run.text, where, "italic" if run.italic else "regular")
            if run.italic:
                body = f"<i>{body}</i>"
            url = safe_url(run.url) if run.url else None
            if url:
                body = f"<a href={quoteattr(url)} color='#7a2e1f'>{body}</a>"
            out.append(body)
        return "".join(out)

    def link(self, url: str, where: SourceLocation | str) -> str:
        """A URL printed as itself and linked, or "" when it is not a safe http(s) URL."""
        checked = safe_url(url)
        if not checked:
            return ""
        return f'<a href={quoteattr(checked)} color="#7a2e1f">{self.text(checked, where)}</a>'

    def markers(self, citations: tuple[Citation, ...], where: SourceLocation | None = None) -> str:
        if not citations:
            return ""
        parts = []
        for cite in citations:
            note = self.notes.note(cite)
            occ = f"o{len(self.occurrence_note) + 1}"
            self.occurrence_note[occ] = note.id
            if where is not None:
                self.occurrence_source[occ] = where
            label = self.text(note.label, "note label")
            if cite.kind == "named":
                label = f"<i>{label}</i>"
            parts.append(
                f'<a name="{MARK_PREFIX}{occ}"/><a href="#{NOTE_PREFIX}{occ}" color="#7a2e1f">{label}</a>'
            )
        return "<super>" + ",".join(parts) + "</super>"

    def reference_markers(self, citations: tuple[Citation, ...]) -> str:
        """Citations inside a note: raised labels linked to the references list (a note has no notes)."""
        parts = []
        for cite in citations:
            note = self.notes.note(cite)
            label = self.text(note.label, "note label")
            if cite.kind != "note" and self.references_list:
                label = f'<a href="#ref-{escape(note.key)}" color="#7a2e1f">{label}</a>'
            parts.append(label)
        return "<super>" + ",".join(parts) + "</super>" if parts else ""

    def styled(self, s: Sentence) -> str:
        """A sentence's text with its spans (italic, bold, links) as paragraph markup."""
        if not s.spans:
            return self.text(s.text, s.location)
        out = []
        for piece in styled_pieces(s):
            face = {(False, False): "regular", (True, False): "italic", (False, True): "bold"}.get(
                (piece.italic, piece.bold), "bolditalic"
            )
            body = self.text(piece.text, s.location, face)
            if piece.italic:
                body = f"<i>{body}</i>"
            if piece.bold:
                body = f"<b>{body}</b>"
            url = safe_url(piece.url)
            if url:
                body = f"<a href={quoteattr(url)} color='#7a2e1f'>{body}</a>"
            out.append(body)
        return "".join(out)

    def sentence(self, s: Sentence) -> str:
        return self.styled(s) + self.markers(s.citations, s.location)

    def sentences(self, sentences: tuple[Sentence, ...]) -> str:
        """Sentences as running text: a space between them unless a piece is joined to the one before."""
        return "".join(
            ("" if i == 0 or s.joined else " ") + self.sentence(s) for i, s in enumerate(sentences)
        )

    def note_text(self, sentences: tuple[Sentence, ...]) -> str:
        """An explanatory note's text: its citations are labels linked to the references (a note, or a
        table cell, has no notes of its own)."""
        return "".join(
            ("" if i == 0 or s.joined else " ") + self.styled(s) + self.reference_markers(s.citations)
            for i, s in enumerate(sentences)
        )

    # --- notes ---------------------------------------------------------------------------------------
    def note_ids(self) -> dict[str, str]:
        """The note each marker occurrence shows. In a note style, an entry's first citation in reading
        order shows the full note and every later one the short form, the note ``id + LATER_NOTE``
        (unless the full note stands on the same page: :meth:`stands_for`)."""
        if not self.style.is_note_style:
            return self.occurrence_note
        first: dict[str, str] = {}  # entry key -> its first occurrence
        out = {}
        for occ, note_id in self.occurrence_note.items():
            key = self.note_by_id[note_id].key
            later = first.setdefault(key, occ) != occ and self.note_by_id[note_id].kind != "note"
            out[occ] = note_id + LATER_NOTE if later else note_id
        return out

    def stands_for(self) -> dict[str, str]:
        """A later (short) note whose full note is on the same page gives way to it."""
        if not self.style.is_note_style:
            return {}
        return {n.id + LATER_NOTE: n.id for n in self.notes.notes}

    def note_label_map(self) -> dict[str, str]:
        """The label of every note id :meth:`note_ids` hands out."""
        labels = {n.id: n.label for n in self.notes.notes}
        if not self.style.is_note_style:
            return labels
        return {**labels, **{k + LATER_NOTE: v for k, v in labels.items()}}

    def note_paragraph(self, note_id: str) -> Para:
        note = self.note_by_id[note_id.removesuffix(LATER_NOTE)]
        # a label too wide for the note column is set at the start of the note's text instead
        lead = (
            ""
            if self.note_style.fits_label(note.label)
            else f"<b>{self.text(note.label, 'note label', 'bold')}</b> "
        )
        if note.kind == "note":
            body = self.note_text(self.article.explanatory_note(note.key).sentences)
            return self.paragraph(lead + body, self.styles.note)
        entry = self.article.bibliography[note.key]
        where = str(entry.location) if entry.location else note.key
        runs = self.style.note(entry, locator=note.locator, first=not note_id.endswith(LATER_NOTE))
        body = self.runs(runs, where)
        link = ""
        if self.references_list:  # a note links to its entry when the document has the list
            link = f' <a href="#ref-{escape(note.key)}" color="#7a2e1f">↓\u00a0References</a>'
        return self.paragraph(lead + body + link, self.styles.note)

    # --- the story -----------------------------------------------------------------------------------
    def story(self) -> list[Flowable]:
        a = self.article
        out: list[Flowable] = []
        out += self.title_block()
        if a.facts:
            out.append(self.key_facts())
        out += self.contents()
        first = True
        for section in a.sections:
            out += self.section(section)
            if first and a.events:
                out += self.timeline()
            first = False
        out.append(CondPageBreak(120))
        out += self.references()
        if a.glossary:
            out += self.glossary()
        out += self.colophon()
        return out

    def heading(
        self, sid: str, number: str, title: str, level: int, where: SourceLocation | None = None
    ) -> Heading:
        style = {1: self.styles.h1, 2: self.styles.h2}.get(level, self.styles.h3)
        shown = f"{number}\u00a0\u00a0{title}" if number else title
        at = where or f"heading {sid}"
        # the contents and the running header draw the title on the canvas, in the regular face
        self.fonts.check_face(title, "regular", at)
        markup = f'<a name="sec-{sid}"/>' + self.text(shown, at, "bold")
        return Heading(markup, style, self.setter, HeadingInfo(sid, number, title, level))

    def title_block(self) -> list[Flowable]:
        m = self.article.metadata
        st = self.styles
        out: list[Flowable] = [self.paragraph(self.text(m.title, self.where("title"), "bold"), st.title)]
        if m.short_title:  # the running header draws it on the canvas: check its glyphs here
            self.fonts.check_face(m.short_title, "italic", self.where("short-title"))
        if m.subtitle:
            out.append(self.paragraph(self.text(m.subtitle, self.where("subtitle"), "italic"), st.subtitle))
        line = f"Briefing, {self.build.date_text}"
        if m.source_title:
            line += f" · Adapted from {m.source_title}"
        if m.licence_name:
            line += f" ({m.licence_name})"
        out.append(self.paragraph(self.text(line, self.where("source")), st.dateline))
        return out

    def key_facts(self) -> Flowable:
        st = self.styles
        rows: list[list[Flowable]] = []
        for fact in self.article.facts:
            number = self.numbers.get(fact.section_id, "")
            title = self.article.section(fact.section_id).title
            refs = ", ".join(
                f'<a href="#ref-{escape(c.key)}" color="#7a2e1f">[{escape(self.notes.label(c))}]</a>'
                for c in fact.sentence.citations
                if c.kind != "note"
            )
            shown = self.text(title, "fact")
            source = f'<a href="#sec-{fact.section_id}" color="#7a2e1f">§\u00a0{escape(number)} {shown}</a>'
            if refs:
                source += " " + refs
            value = self.text(fact.value, fact.location or "@fact")
            for cite in fact.sentence.citations:  # the panel has no notes: an explanatory note stands here
                if cite.kind == "note":
                    note = self.article.explanatory_note(cite.key)
                    text = self.note_text(note.sentences)
                    value += f' <font size="7.6">({self.text(self.notes.label(cite), "fact")}: {text})</font>'
            rows.append([
                self.paragraph(self.text(fact.label, fact.location or "@fact", "bold"), st.panel_label),
                self.paragraph(value, st.panel_value),
                self.paragraph(source, st.panel_source),
            ])  # fmt: skip
        header = [
            self.paragraph("Key facts", st.panel_label),
            self.paragraph("", st.panel_value),
            self.paragraph("Source in this briefing", st.panel_source),
        ]
        w = self.width
        table = Table([header, *rows], colWidths=[0.2 * w, 0.5 * w, 0.3 * w])
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), face_name("regular"), 9),
            ("BACKGROUND", (0, 0), (-1, -1), PANEL),
            ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
            ("LINEBELOW", (0, -1), (-1, -1), 0.6, ACCENT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.4, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ]))  # fmt: skip
        table.spaceAfter = 12  # short: it needs no KeepTogether, whose extra wraps cost more than it
        return table

    def contents(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("_contents", "", "Contents", 1)]
        font = face_name("regular")
        for section in self.article.walk():
            label = f"{self.numbers[section.id]}\u00a0\u00a0{section.title}"
            indent = 18.0 * (section.level - 1)
            out.append(TocLine(label, section.id, indent, font, 10 if section.level == 1 else 9.5))
        for sid, title in self.back_matter_titles():
            out.append(TocLine(title, sid, 0, font, 10))
        out.append(Spacer(1, 6))
        return out

    def back_matter_titles(self) -> list[tuple[str, str]]:
        # back matter ids start with "_", which no section id can: they never collide
        titles = [("_references", "References")]
        if self.article.glossary:
            titles.append(("_glossary", "Glossary of names and spellings"))
        titles.append(("_colophon", "Colophon"))
        return titles

    def timeline(self) -> list[Flowable]:
        events = self.article.events
        first, last = events[0].date.display(), events[-1].date.display()
        for event in events:  # drawn on the canvas, not as a paragraph: check its glyphs here
            self.fonts.check_face(event.label, "regular", event.location or "@event")
        drawing = Timeline(events, self.width)
        caption = (
            f"Figure 1. Dated events of the article, {first} to {last}, generated from the text’s own "
            "dates; broken axis segments mark gaps of more than a month."
        )
        return [KeepTogether([drawing, self.paragraph(self.text(caption, "timeline"), self.styles.caption)])]

    def section(self, section: Section) -> list[Flowable]:
        st = self.styles
        out: list[Flowable] = [
            self.heading(section.id, self.numbers[section.id], section.title, section.level, section.location)
        ]
        for block in section.blocks:
            if isinstance(block, ListBlock):
                out += self.list_block(block)
                continue
            text = self.sentences(block.sentences)
            para = self.paragraph(text, st.quote if isinstance(block, BlockQuote) else st.body)
            para.source = block.sentences[0].location if block.sentences else section.location
            out.append(para)
            if isinstance(block, BlockQuote) and block.attribution:
                where = block.attribution_location or block.sentences[-1].location
                out.append(
                    self.paragraph(
                        "—\u00a0"
                        + self.text(block.attribution, where, "italic")
                        + self.markers(block.attribution_citations, where),
                        st.attribution,
                    )
                )
        for sub in section.subsections:
            out += self.section(sub)
        return out

    def list_block(self, block: ListBlock) -> list[Flowable]:
        """A list: one paragraph an item, hanging from its bullet or number, indented by depth."""
        out: list[Flowable] = []
        numbers: dict[int, int] = {}
        for item in block.items:
            numbers = {d: n for d, n in numbers.items() if d <= item.depth}
            numbers[item.depth] = numbers.get(item.depth, 0) + 1
            bullet = f"{numbers[item.depth]}." if block.ordered else "•"
            style = self.styles.list_item(item.depth)
            para = self.paragraph(self.sentences(item.sentences), style)
            para.bulletText = bullet
            if item.sentences:
                para.source = item.sentences[0].location
            out.append(para)
        return out

    # --- back matter ---------------------------------------------------------------------------------
    def references(self) -> list[Flowable]:
        out: list[Flowable] = [self.heading("_references", "", "References", 1)]
        intro = self.article.metadata.references_note
        if intro:
            out.append(self.paragraph(self.text(intro, "@references-note"), self.styles.small))
        for group in reference_groups(self.article, self.labels):
            out.append(self.paragraph(self.text(group.title, "references", "bold"), self.styles.h3))
            for entry in group.entries:
                out.append(Deferred(lambda e=entry: self.reference_paragraph(e)))  # type: ignore[misc]
        return out

    def reference_paragraph(self, entry: Entry) -> Para:
        label = self.labels.get(entry.key)
        where = str(entry.location) if entry.location else entry.key
        head = f'<a name="ref-{escape(entry.key)}"/>'
        # the label hangs in the indent (a bullet), so labelled and unlabelled entries align
        body = self.runs(self.style.reference(entry), where)
        key = f' <font face="{face_name("italic")}" size="7.5">BibTeX key: {escape(entry.key)}</font>'
        back = ""
        if self.layout is not None:
            occs = [o for o, n in self.occurrence_note.items() if self.note_by_id[n].key == entry.key]
            links = []
            seen: set[int] = set()
            for occ in occs:
                page = self.layout.occurrence_pages.get(occ)
                if page is None or page in seen:
                    continue
                seen.add(page)
                links.append(f'<a href="#{MARK_PREFIX}{occ}" color="#7a2e1f">p.\u00a0{page}</a>')
            if links:
                back = " ↑\u00a0cited on " + ", ".join(links) + "."
        shown = f"[{label}]" if label else ""
        if shown and stringWidth(shown, self.styles.ref.bulletFontName, self.styles.ref.bulletFontSize) > (
            self.styles.ref.leftIndent - 3
        ):  # a label too wide to hang in the indent opens the text instead
            head += f"{escape(shown)}\u00a0"
            shown = ""
        para = self.paragraph(head + body + back + key, self.styles.ref)
        para.bulletText = shown
        return para

    def glossary(self) -> list[Flowable]:
        out: list[Flowable] = [
            CondPageBreak(90),
            self.heading("_glossary", "", "Glossary of names and spellings", 1),
        ]
        intro = self.article.metadata.glossary_note
        if intro:
            out.append(self.paragraph(self.text(intro, "@glossary-note"), self.styles.small))
        for g in self.article.glossary:
            at = g.location or "@glossary"
            variants = ", ".join(self.text(v, at) for v in g.variants)
            text = f"<b>{self.text(g.term, at, 'bold')}</b>"
            if variants:
                text += f" (also {variants})"
            if g.description:
                text += " — " + self.text(g.description, at)
            out.append(self.paragraph(text, self.styles.glossary))
        return out

    def colophon(self) -> list[Flowable]:
        a = self.article
        m = a.metadata
        st = self.styles
        out: list[Flowable] = [CondPageBreak(150), self.heading("_colophon", "", "Colophon", 1)]

        def para(text: str, style: Any = None) -> None:
            out.append(self.paragraph(text, style or st.small))

        said: list[str] = []
        if m.source_title or m.source_url:
            source = self.text(m.source_title, self.where("source")) if m.source_title else ""
            link = self.link(m.source_url, self.where("source"))
            if link:
                source = f"{source}, {link}" if source else link
            said.append(f"This briefing adapts {source}.")
        if m.licence_name or m.licence_url:
            licence = self.text(m.licence_name, self.where("licence")) if m.licence_name else ""
            link = self.link(m.licence_url, self.where("licence"))
            if link:
                licence = f"{licence} ({link})" if licence else link
            said.append(f"It is published under {licence}.")
        if m.attribution:
            said.append(self.text(m.attribution, self.where("attribution")))
        if said:
            para("<b>Source and licence.</b> " + " ".join(said))
        sentences = list(a.sentences())
        origins = Counter(s.provenance.origin for s in sentences)
        kinds = Counter(k for s in sentences for k in s.provenance.edit_kinds)
        if set(origins) != {"author"} or kinds:  # a user's own text, as written, has nothing to report
            origin_names = {
                "old": "the older revision (full text)",
                "new": "the newer revision (with reference markers)",
                "editor": "the editors of this briefing",
                "author": "the author",
            }
            parts = [f"{n} from {origin_names[o]}" for o, n in origins.most_common()]
            edited = f"<b>What was edited.</b> The text has {len(sentences)} sentences: "
            edited += escape("; ".join(parts)) + ". "
            edited += "Every sentence carries its provenance in the data (source line and edits)."
            if kinds:
                edited += " Edits: " + escape(", ".join(f"{k} ({n})" for k, n in sorted(kinds.items()))) + "."
            para(edited)
        substantive = [
            self.text(_edit_line(e.kind, e.pairs, e.ref), s.location)
            for s in sentences
            for e in s.provenance.edits
            if e.kind in ("updated", "garble", "inserted")
        ]
        if substantive:
            para("<b>Changes of substance.</b> " + "; ".join(substantive) + ".")
        if m.notes:
            notes = (self.text(n, self.where(f"note {i}")) for i, n in enumerate(m.notes, start=1))
            para("<b>Editorial notes.</b> " + " ".join(notes))
        if m.briefing_key:
            key = self.text(m.briefing_key, self.where("briefing-key"))
            bib = self.text(self.build.bib_name or f"{m.slug}.bib", "bib")
            para(
                f"<b>How to cite this briefing.</b> BibTeX key <font face='{face_name('italic')}'>{key}"
                f"</font> in the attached file {bib} (open the PDF’s attachments), e.g. \\cite{{{key}}}."
            )
        para(
            f"<b>Build.</b> Typeset on {escape(self.build.date_text)} by {escape(self.build.tool)}, "
            f"{escape(self.build.paper)} paper, in Source Serif Pro (SIL Open Font Licence), "
            "embedded and subset."
        )
        return out


def _edit_line(kind: str, pairs: tuple[tuple[str, str], ...], ref: str | None) -> str:
    name = {"updated": "Updated", "garble": "Garble corrected", "inserted": "Inserted"}[kind]
    if pairs:
        return f"{name}: " + "; ".join(f"“{a}” → “{b}”" for a, b in pairs)
    return f"{name}: {ref or ''}"
