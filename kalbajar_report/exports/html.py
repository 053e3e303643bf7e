"""The HTML writer: one standalone, accessible page with linked notes, back-links and a references list.

Notes come from the note table (:mod:`kalbajar_report.notes`), resolved before the page renders, so the
back-links are known wherever a template puts the notes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import Markup, escape

from ..citestyle import Run, reference_groups
from ..housestyle import HOUSE_STYLE, CitationStyle
from ..links import safe_url
from ..model import (
    Article,
    BlockQuote,
    Citation,
    ListBlock,
    ListItem,
    Sentence,
    section_numbers,
    styled_pieces,
)
from ..notes import Note, NoteTable
from .templating import environment, render

TEMPLATE = "article.html.j2"


class NoteRefs:
    """The note references of the text: ids handed out in reading order, back-links known up front."""

    def __init__(self, article: Article, style: CitationStyle = HOUSE_STYLE) -> None:
        self.article = article
        self.style = style
        self.table = NoteTable.of(article)
        self.labels = self.table.entry_labels()
        self.given: dict[str, int] = {}
        self.back: dict[str, list[str]] = {}
        for sec in article.walk():
            for block in sec.blocks:
                cites = [c for s in block.sentences for c in s.citations]
                if isinstance(block, BlockQuote):
                    cites += block.attribution_citations
                for cite in cites:
                    note = self.table.note(cite)
                    ids = self.back.setdefault(note.id, [])
                    ids.append(f"fnref-{note.id}-{len(ids) + 1}")

    def ref(self, citations: tuple[Citation, ...]) -> Markup:
        """``<sup><a href="#fn-ID" id="fnref-ID-N">LABEL</a>, …</sup>`` for a sentence's citations."""
        links = []
        for cite in citations:
            note = self.table.note(cite)
            count = self.given[note.id] = self.given.get(note.id, 0) + 1
            links.append(
                Markup(
                    '<a href="#fn-{n}" id="fnref-{n}-{i}" class="noteref {c}" role="doc-noteref">{l}</a>'
                ).format(n=note.id, i=count, c=cite.kind, l=note.label)
            )
        if not links:
            return Markup("")
        return Markup("<sup>") + Markup(", ").join(links) + Markup("</sup>")

    def backlinks(self, note_id: str) -> list[str]:
        """The ids of the places in the text that cite this note, in reading order."""
        return self.back.get(note_id, [])

    def notes(self) -> list[Note]:
        """The notes the text cites (those cited only inside an explanatory note link to the references)."""
        return [n for n in self.table.notes if n.id in self.back]

    def body(self, note: Note) -> Markup:
        """What a note says: its explanatory text, or its entry (with the locator) and a link to it."""
        if note.kind == "note":
            text = self.article.explanatory_note(note.key)
            return sentences_html(text.sentences, self.inner_ref)
        entry = self.article.bibliography[note.key]
        first = next(n for n in self.table.notes if n.key == note.key) is note  # the entry's first note
        out = runs_html(self.style.note(entry, locator=note.locator, first=first))
        return out + Markup(' <a href="#ref-{k}">(references)</a>').format(k=note.key)

    def fact_notes(self, citations: tuple[Citation, ...]) -> Markup:
        """The explanatory notes a key fact cites, set beside it: ``(a: text)`` (the panel has no notes)."""
        out = Markup("")
        for cite in citations:
            if cite.kind == "note":
                note = self.table.note(cite)
                body = sentences_html(self.article.explanatory_note(cite.key).sentences, self.inner_ref)
                out += Markup(' <span class="fact-note">({l}: {b})</span>').format(l=note.label, b=body)
        return out

    def inner_ref(self, citations: tuple[Citation, ...]) -> Markup:
        """Citations inside a note: labels linked to the references list."""
        parts = []
        for cite in citations:
            note = self.table.note(cite)
            if cite.kind == "note":
                parts.append(escape(note.label))
            else:
                parts.append(Markup('<a href="#ref-{k}">{l}</a>').format(k=note.key, l=note.label))
        return Markup("<sup>") + Markup(", ").join(parts) + Markup("</sup>") if parts else Markup("")


def styled_html(s: Sentence) -> Markup:
    """A sentence's text with its spans as ``<i>``, ``<b>`` and http(s) links; all text escaped."""
    out = Markup("")
    for piece in styled_pieces(s):
        body: Markup = escape(piece.text)
        if piece.italic:
            body = Markup("<i>{}</i>").format(body)
        if piece.bold:
            body = Markup("<b>{}</b>").format(body)
        url = safe_url(piece.url)
        if url:
            body = Markup('<a href="{u}">{t}</a>').format(u=url, t=body)
        out += body
    return out


def sentences_html(sentences: tuple[Sentence, ...], refs: Callable[[tuple[Citation, ...]], Markup]) -> Markup:
    """Sentences as running text with their note references (``refs`` maps citations to markup)."""
    out = Markup("")
    for i, s in enumerate(sentences):
        if i and not s.joined:
            out += " "
        out += styled_html(s) + refs(s.citations)
    return out


def list_html(block: ListBlock, notes: NoteRefs) -> Markup:
    """A list as nested ``<ul>``/``<ol>`` elements, items nested by depth."""
    tag = "ol" if block.ordered else "ul"
    out = Markup("")
    depth = 0
    for item in block.items:
        target = max(item.depth, 1)
        if target > depth:
            out += Markup(f"<{tag}><li>") * (target - depth)
        else:
            out += Markup(f"</li></{tag}>") * (depth - target) + Markup("</li><li>")
        depth = target
        out += _item(item, notes)
    return out + Markup(f"</li></{tag}>") * depth


def _item(item: ListItem, notes: NoteRefs) -> Markup:
    return sentences_html(item.sentences, notes.ref)


def runs_html(runs: tuple[Run, ...]) -> Markup:
    """A formatted reference as HTML: italics as ``<i>``, http(s) URLs as links; all text escaped."""
    out = Markup("")
    for run in runs:
        text = escape(run.text)
        url = safe_url(run.url)
        if url is not None:
            text = Markup('<a href="{u}">{t}</a>').format(u=url, t=run.text)
        out += Markup("<i>{}</i>").format(text) if run.italic else text
    return out


def to_html(
    article: Article, templates: Path | str | None = None, *, style: CitationStyle | None = None
) -> str:
    """The article as one standalone HTML page; ``style`` sets its notes and references list (default:
    the house style). Templates format an entry with ``entry | reference`` (the references list) and
    ``entry | note`` (its note: one per entry, so the first, full one in a note style)."""
    env = environment(templates, html=True)
    chosen = style or HOUSE_STYLE
    notes = NoteRefs(article, chosen)
    env.filters.update(
        noteref=notes.ref,
        sentences=lambda items: sentences_html(tuple(items), notes.ref),
        listhtml=lambda block: list_html(block, notes),
        reference=lambda entry: runs_html(chosen.reference(entry)),
        note=lambda entry: runs_html(chosen.note(entry, locator=None, first=True)),
        http=safe_url,
    )
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    env.tests["list"] = lambda block: isinstance(block, ListBlock)
    return render(
        env,
        TEMPLATE,
        article=article,
        meta=article.metadata,
        notes=notes,
        note_list=notes.notes(),
        labels=notes.labels,
        groups=reference_groups(article, notes.labels),
        heading_level=lambda level: min(int(level) + 1, 6),
        numbers=section_numbers(article.sections),
    )
