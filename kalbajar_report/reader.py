"""The content reader: a ``.article`` text file plus a Bibliography in, a typed Article out.

The format is described in the README ("The content format"); every error names the file and the line.
"""

from __future__ import annotations

import datetime
import functools
import re
import unicodedata
from pathlib import Path
from typing import cast

from . import collector
from .bibliography import load_bibliography
from .errors import ContentError
from .links import url_problem
from .model import (
    EDIT_KINDS,
    Article,
    Bibliography,
    Block,
    BlockQuote,
    Citation,
    Edit,
    EditKind,
    Event,
    ExplanatoryNote,
    Fact,
    GlossaryEntry,
    ListBlock,
    ListItem,
    Metadata,
    Origin,
    Paragraph,
    PartialDate,
    Provenance,
    Section,
    Sentence,
    SourceLocation,
    Span,
    SpanStyle,
)
from .notes import letter
from .resources import read_input, read_text

_HEADING = re.compile(r"^(#{1,3})\s+(?P<title>.+?)\s*\{#(?P<id>[^}]*)\}\s*$")
_SECTION_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DIRECTIVE = re.compile(r"^@(?P<name>[a-z-]+):\s*(?P<value>.*)$")
# what a citation's brackets hold: a marker, a key or a note's name, then optionally ", LOCATOR"
_CITE_LABEL = re.compile(r"(?:\d+|[@^][^\]\s\[,]+)(?:\s*,[^\[\]]*)?")
_CITE_PARTS = re.compile(r"(?P<ref>\d+|[@^][^\]\s\[,]+)(?:\s*,(?P<locator>[^\[\]]*))?")
_CITE_ANYWHERE = re.compile(r"\[(?:\d+|@[A-Za-z0-9_:.\-]+|\^[A-Za-z0-9_:.\-]+)\]")
_NOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.\-]*$")
# a list item: two spaces a level, then "- " or a number of one to three digits and ". "
_LIST_ITEM = re.compile(r"^(?P<indent>(?:  )*)(?P<marker>-|\d{1,3}\.) +(?=\S)")
# the inline tags (a backslash before one makes it text); "{link" takes its URL up to the "}"
_TAG = re.compile(
    r"(?P<escape>\\?)\{(?:(?P<close>/)?(?P<name>em|strong|link)|(?P<link>link) (?P<url>[^{}]*))\}"
)
_STYLE_OF: dict[str, SpanStyle] = {"em": "italic", "strong": "bold", "link": "link"}
_ORIGIN = re.compile(r"^(?P<origin>old|new|editor|author)(?::(?P<line>\d+))?$")
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*(?:->|→)\s*"((?:[^"\\]|\\.)*)"')
_QUOTED = re.compile(r'^"((?:[^"\\]|\\.)*)"$')
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_HEADER_KEYS = {
    "title",
    "subtitle",
    "short-title",
    "language",
    "source",
    "licence",
    "author",
    "slug",
    "attribution",
    "references-note",
    "glossary-note",
}
_KEYS = {"article-key", "briefing-key"}
_LANGUAGE = re.compile(r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_.][a-z0-9]+)*$")


def slugify(title: str) -> str:
    """A file-name slug of a title: ``Battle of Kalbajar`` → ``battle-of-kalbajar`` (ASCII, at most 60)."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 60:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "article"


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text) if "\\" in text else text


class _OpenSection:
    __slots__ = ("blocks", "children", "id", "level", "location", "title")

    def __init__(
        self,
        id: str,
        title: str,
        level: int,
        location: SourceLocation,
    ) -> None:
        self.id = id
        self.title = title
        self.level = level
        self.location = location
        self.blocks: list[Block] = []
        self.children: list[_OpenSection] = []

    def freeze(self) -> Section:
        return Section(
            id=self.id,
            title=self.title,
            level=self.level,
            blocks=tuple(self.blocks),
            subsections=tuple(c.freeze() for c in self.children),
            location=self.location,
        )


class _Pending:
    """A fact or event line, resolved against the text once the whole file is read."""

    __slots__ = ("fields", "kind", "location")

    def __init__(self, kind: str, fields: list[str], location: SourceLocation) -> None:
        self.kind = kind
        self.fields = fields
        self.location = location


class _Parser:
    def __init__(self, text: str, source: str, bibliography: Bibliography) -> None:
        self.source = source
        self.bib = bibliography
        self.markers = bibliography.marker_map()
        self.text = text
        self.header: dict[str, str] = {}
        self.header_lines: dict[str, int] = {}
        self.notes: list[str] = []
        self.glossary: list[GlossaryEntry] = []
        self.pending: list[_Pending] = []
        self.roots: list[_OpenSection] = []
        self.stack: list[_OpenSection] = []
        self.ids: dict[str, int] = {}
        # the block being collected: ("para" | "quote" | "list", sentences); a list's depth per sentence
        self.block_kind: str | None = None
        self.block: list[Sentence] = []
        self.item_depths: list[int] = []
        self.list_ordered = False
        self.attribution: tuple[str, tuple[Citation, ...], SourceLocation] | None = None
        self.last_sentence_line: int | None = None
        self.last_text: str | None = None
        self.last_cites: tuple[Citation, ...] = ()
        self.last_spans: tuple[Span, ...] = ()
        # explanatory notes: their text by name, and the label and first line of every name cited
        self.note_texts: dict[str, Sentence] = {}
        self.note_labels: dict[str, tuple[str, int]] = {}

    def error(self, line: int | None, message: str) -> ContentError:
        return ContentError(message, self.source, line)

    # --- driving -------------------------------------------------------------------------------------
    def parse(self) -> Article:
        # lines end at \n (or \r\n) only: str.splitlines would also end them at U+2028, form feed …
        for number, raw in enumerate(self.text.split("\n"), start=1):
            line = _clean_line(raw.rstrip(), number, self.source)
            if line.startswith("%%"):
                if self.block_kind is not None:
                    raise self.error(
                        number,
                        "a %% comment line inside a paragraph, quotation or list (write \\%% for text)",
                    )
                continue
            if not line.strip():
                self.flush_sentence(None, number)
                self.end_block()
                continue
            if line.startswith("~"):
                self.provenance_line(line[1:].strip(), number)
                continue
            self.flush_sentence(None, number)
            if line.startswith("@"):
                self.directive(line, number)
            elif line.startswith("#"):
                self.end_block()
                self.heading(line, number)
            elif line.startswith(">>"):
                self.attribution_line(line[2:].strip(), number)
            elif line.startswith(">"):
                self.sentence_line(line[1:].strip(), number, "quote")
            elif (item := _LIST_ITEM.match(line)) is not None:
                self.list_item_line(item, line[item.end() :], number)
            elif line[0].isspace():
                raise self.error(
                    number,
                    "unexpected indentation (sentences start at column 1; "
                    "list items are indented two spaces a level)",
                )
            elif line[0] == "\\" and (line[1:2] in _ESCAPABLE or line[1:2].isdigit()):
                # a sentence that starts with # @ ~ > % - \\ or a digit
                self.sentence_line(line[1:], number, "para")
            else:
                self.sentence_line(line, number, "para")
        self.flush_sentence(None, None)
        self.end_block()
        return self.finish()

    # --- header and data lines -----------------------------------------------------------------------
    def directive(self, line: str, number: int) -> None:
        match = _DIRECTIVE.match(line)
        if not match:
            raise self.error(number, f"malformed directive {line[:40]!r} (expected '@name: value')")
        name, value = match["name"], match["value"].strip()
        if not value:
            raise self.error(number, f"@{name} has no value")
        if name == "note":
            self.notes.append(value)
            self.header_lines[f"note {len(self.notes)}"] = number
        elif name in _HEADER_KEYS or name in _KEYS:
            if self.roots:
                raise self.error(number, f"@{name} must stand before the first heading")
            if name in self.header:
                raise self.error(number, f"@{name} given twice")
            self.header[name] = value
            self.header_lines[name] = number
            self.check_header(name, value, number)
        elif name == "glossary":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 3 or not parts[0]:
                raise self.error(number, "@glossary needs 'TERM | VARIANT; VARIANT | description'")
            variants = tuple(v.strip() for v in parts[1].split(";") if v.strip())
            self.glossary.append(
                GlossaryEntry(parts[0], variants, parts[2], SourceLocation(self.source, number))
            )
        elif name == "explanatory":
            self.explanatory_line(value, number)
        elif name in ("fact", "event"):
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != 4:
                raise self.error(number, f"@{name} needs four fields separated by '|'")
            self.pending.append(_Pending(name, parts, SourceLocation(self.source, number)))
        else:
            raise self.error(number, f"unknown directive @{name}")

    def check_header(self, name: str, value: str, number: int) -> None:
        if name in ("source", "licence"):
            url = value.partition("|")[2].strip()
            problem = url_problem(url) if url else None
            if problem:
                raise self.error(number, f"@{name} URL {url[:60]!r} {problem}")
        elif name == "language" and not _LANGUAGE.match(value):
            raise self.error(number, f"@language {value[:40]!r} is not a BCP 47 language tag (e.g. en-GB)")
        elif name == "slug" and not _SLUG.match(value):
            raise self.error(
                number, f"@slug {value[:40]!r} must be lower-case letters and digits joined by -"
            )

    def heading(self, line: str, number: int) -> None:
        match = _HEADING.match(line)
        if not match:
            raise self.error(number, "malformed heading (expected '# Title {#id}')")
        level = len(match.group(1))
        sid, title = match["id"], self.plain(match["title"], number, "a heading")
        if not _SECTION_ID.match(sid):
            raise self.error(number, f"section id {sid!r} must be lower-case letters, digits and '-'")
        if sid in self.ids:
            raise self.error(number, f"section id {sid!r} already used on line {self.ids[sid]}")
        self.ids[sid] = number
        while self.stack and self.stack[-1].level >= level:
            self.close_section(self.stack.pop())
        parent_level = self.stack[-1].level if self.stack else 0
        if level > parent_level + 1:
            raise self.error(number, f"heading level {level} under level {parent_level} (skips a level)")
        section = _OpenSection(sid, title, level, SourceLocation(self.source, number))
        (self.stack[-1].children if self.stack else self.roots).append(section)
        self.stack.append(section)

    def close_section(self, section: _OpenSection) -> None:
        if not section.blocks and not section.children:
            raise self.error(section.location.line, f"section {section.id!r} is empty")

    # --- sentences -----------------------------------------------------------------------------------
    def sentence_line(self, text: str, number: int, kind: str) -> None:
        if not self.stack:
            raise self.error(number, "text before the first heading")
        if self.block_kind is not None and self.block_kind != kind:
            raise self.error(
                number,
                f"{_BLOCK_NAMES[self.block_kind]} and {_BLOCK_NAMES[kind]} must be separated by a blank line",
            )
        if kind == "para" and self.attribution is not None:
            raise self.error(number, "text after a quotation's attribution (add a blank line)")
        if kind == "quote" and self.attribution is not None:
            raise self.error(number, "quotation text after its attribution line")
        self.block_kind = kind
        self.last_text, self.last_spans, self.last_cites = self.sentence_parts(text, number)
        self.last_sentence_line = number

    def sentence_parts(
        self, text: str, number: int, *, in_note: bool = False
    ) -> tuple[str, tuple[Span, ...], tuple[Citation, ...]]:
        """A sentence line's plain text, its spans and its citations."""
        body, cites = self.split_citations(text, number, in_note=in_note)
        if not body:
            raise self.error(number, "a sentence line holds only citations")
        plain, spans = self.inline(body, number)
        if not plain.strip():
            raise self.error(number, "a sentence line holds only markup")
        return plain, spans, cites

    def list_item_line(self, item: re.Match[str], text: str, number: int) -> None:
        if not self.stack:
            raise self.error(number, "text before the first heading")
        depth = len(item["indent"]) // 2 + 1
        ordered = item["marker"] != "-"
        what = "numbered" if ordered else "bulleted"
        if self.block_kind not in (None, "list"):
            raise self.error(
                number, f"{_BLOCK_NAMES[self.block_kind]} and a list must be separated by a blank line"
            )
        if self.block_kind is None:
            if depth > 1:
                raise self.error(number, "a list's first item is not indented")
            self.list_ordered = ordered
        elif ordered != self.list_ordered:
            raise self.error(
                number,
                f"a {what} item in a {'numbered' if self.list_ordered else 'bulleted'} list "
                "(a list is all '- ' or all '1. ' items; a blank line ends it)",
            )
        elif depth > self.item_depths[-1] + 1:
            raise self.error(
                number, f"a list item indented {depth - 1} levels under one of {self.item_depths[-1] - 1}"
            )
        self.block_kind = "list"
        self.item_depths.append(depth)
        self.last_text, self.last_spans, self.last_cites = self.sentence_parts(text, number)
        self.last_sentence_line = number

    def split_citations(
        self, text: str, number: int, *, in_note: bool = False
    ) -> tuple[str, tuple[Citation, ...]]:
        body, labels = _trailing_citations(text)
        stray = _CITE_ANYWHERE.search(body)
        if stray:
            raise self.error(number, f"citation {stray.group(0)} must stand at the end of the sentence")
        cites: list[Citation] = []
        for written in labels:
            parts = _CITE_PARTS.fullmatch(written)
            assert parts is not None  # _trailing_citations only hands out labels of this form
            label, locator = parts["ref"], parts["locator"]
            if locator is not None:
                locator = locator.strip()
                if not locator:
                    raise self.error(
                        number, f"[{written}] has an empty locator (write [{label}] or [{label}, p. 12])"
                    )
            if label.startswith("^"):
                cites.append(self.note_citation(label[1:], locator, number, in_note))
            elif label.startswith("@"):
                key = label[1:]
                if key not in self.bib:
                    raise self.error(number, f"cited key {key!r} is not in {self.bib.source}")
                cites.append(Citation(key=key, label=label[1:], kind="named", locator=locator))
            else:
                key_for = self.markers.get(label)
                if key_for is None:
                    raise self.error(number, f"marker [{label}] has no entry with marker = {{{label}}}")
                cites.append(Citation(key=key_for, label=label, kind="numbered", locator=locator))
        return body, tuple(cites)

    def note_citation(self, name: str, locator: str | None, number: int, in_note: bool) -> Citation:
        """The citation of explanatory note ``name``, labelled A, B, … in order of first use."""
        if in_note:
            raise self.error(number, f"[^{name}]: an explanatory note cannot cite another note")
        if locator is not None:
            raise self.error(number, f"[^{name}, {locator}]: an explanatory note takes no locator")
        if not _NOTE_NAME.match(name):
            raise self.error(number, f"note name {name[:40]!r} must be letters, digits, '-', '_', '.' or ':'")
        if name not in self.note_labels:
            self.note_labels[name] = (note_label(len(self.note_labels)), number)
        return Citation(key=name, label=self.note_labels[name][0], kind="note")

    def explanatory_line(self, value: str, number: int) -> None:
        name, bar, text = (part.strip() for part in value.partition("|"))
        if not bar or not name or not text:
            raise self.error(number, "@explanatory needs 'NAME | text of the note'")
        if not _NOTE_NAME.match(name):
            raise self.error(number, f"note name {name[:40]!r} must be letters, digits, '-', '_', '.' or ':'")
        if name in self.note_texts:
            first = self.note_texts[name].location.line
            raise self.error(number, f"explanatory note {name!r} already defined on line {first}")
        plain, spans, cites = self.sentence_parts(text, number, in_note=True)
        self.note_texts[name] = Sentence(
            plain, cites, Provenance("author"), SourceLocation(self.source, number), spans
        )

    def inline(self, text: str, number: int) -> tuple[str, tuple[Span, ...]]:
        """Text without its inline tags, and the spans they mark (offsets into that text)."""
        if "{" not in text:
            return text, ()
        out: list[str] = []
        length = pos = 0
        spans: list[Span] = []
        open_tags: list[tuple[str, int, str | None]] = []  # (tag name, start, url)
        for tag in _TAG.finditer(text):
            before = text[pos : tag.start()]
            out.append(before)
            length += len(before)
            pos = tag.end()
            written = tag.group(0)
            if tag["escape"]:  # \{em} is the text {em}
                out.append(written[1:])
                length += len(written) - 1
                continue
            name = tag["name"] or "link"
            if tag["close"]:
                if not open_tags:
                    raise self.error(number, f"{written} closes nothing (write \\{written} for the text)")
                opened, start, url = open_tags.pop()
                if opened != name:
                    raise self.error(number, f"{written} where {{/{opened}}} is expected (tags nest)")
                if length == start:
                    raise self.error(number, f"{{{opened}}}{written} holds no text")
                spans.append(Span(start, length, _STYLE_OF[name], url))
                continue
            if any(opened == name for opened, _, _ in open_tags):
                raise self.error(number, f"{{{name}}} inside {{{name}}}")
            url = None
            if name == "link":
                url = (tag["url"] or "").strip()
                problem = url_problem(url)
                if problem:
                    raise self.error(number, f"link URL {url[:60]!r} {problem}")
            open_tags.append((name, length, url))
        if open_tags:
            name = open_tags[-1][0]
            raise self.error(
                number,
                f"{{{name}}} is not closed by {{/{name}}} on its line (write \\{{{name}}} for the text)",
            )
        out.append(text[pos:])
        spans.sort(key=lambda sp: (sp.start, -sp.end))
        return "".join(out), tuple(spans)

    def plain(self, text: str, number: int, where: str) -> str:
        """Text that cannot be styled (a heading, an attribution): tags are an error, escapes text."""
        plain, spans = self.inline(text, number)
        if spans:
            raise self.error(number, f"{where} cannot be styled (write \\{{em}} for the text {{em}})")
        return plain

    def provenance_line(self, text: str, number: int) -> None:
        if self.last_text is None or self.last_sentence_line is None:
            raise self.error(number, "provenance line '~' without a sentence before it")
        self.flush_sentence(self.parse_provenance(text, number), number)

    def flush_sentence(self, provenance: Provenance | None, number: int | None) -> None:
        if self.last_text is None or self.last_sentence_line is None:
            return
        sentence = Sentence(
            text=self.last_text,
            citations=self.last_cites,
            provenance=provenance or Provenance("author"),
            location=SourceLocation(self.source, self.last_sentence_line),
            spans=self.last_spans,
        )
        self.block.append(sentence)
        self.last_text, self.last_sentence_line, self.last_cites = None, None, ()
        self.last_spans = ()

    def parse_provenance(self, text: str, number: int) -> Provenance:
        parts = [p.strip() for p in _split_edits(text)]
        head, _, first_edit = parts[0].partition(" ")
        parts[0:1] = [head, first_edit.strip()]
        match = _ORIGIN.match(parts[0])
        if not match:
            raise self.error(number, "provenance must start with old:N, new:N, editor or author")
        origin = cast(Origin, match["origin"])
        line = int(match["line"]) if match["line"] else None
        if origin in ("old", "new") and line is None:
            raise self.error(number, f"origin {origin} needs a line number ({origin}:N)")
        edits = tuple(self.parse_edit(p, number) for p in parts[1:] if p)
        if origin == "editor" and not any(e.kind in ("updated", "inserted") for e in edits):
            raise self.error(number, "an editor's sentence must say why (updated or inserted)")
        return Provenance(origin, line, edits)

    def parse_edit(self, text: str, number: int) -> Edit:
        kind, _, rest = text.partition(" ")
        if kind not in EDIT_KINDS:
            raise self.error(number, f"unknown edit kind {kind!r} (known: {', '.join(EDIT_KINDS)})")
        rest = rest.strip()
        if kind == "reworded":
            if not re.fullmatch(r"old:\d+", rest):
                raise self.error(number, "reworded needs the older line it replaces: 'reworded old:N'")
            return Edit("reworded", (), rest)
        if kind == "inserted":
            quoted = _QUOTED.match(rest)
            if not quoted:
                raise self.error(number, 'inserted needs a quoted reason: inserted "why"')
            return Edit("inserted", (), _unescape(quoted.group(1)))
        # the pairs, and what is left between them (commas and spaces), in one pass
        pairs_found: list[tuple[str, str]] = []
        between: list[str] = []
        at = 0
        for m in _PAIR.finditer(rest):
            between.append(rest[at : m.start()])
            at = m.end()
            pairs_found.append((_unescape(m[1]), _unescape(m[2])))
        between.append(rest[at:])
        pairs = tuple(pairs_found)
        leftover = "".join(between).replace(",", "").strip()
        if leftover:
            raise self.error(number, f'cannot read {leftover[:30]!r} in a {kind} edit (pairs are "a" -> "b")')
        if kind in ("spelling", "garble", "updated") and not pairs:
            raise self.error(number, f'{kind} needs at least one pair "from" -> "to"')
        return Edit(cast(EditKind, kind), pairs)

    def attribution_line(self, text: str, number: int) -> None:
        if self.block_kind != "quote" or not self.block:
            raise self.error(number, "attribution '>>' must follow the lines of a quotation")
        if self.attribution is not None:
            raise self.error(number, "a quotation has one attribution")
        body, cites = self.split_citations(text, number)
        if any(c.kind == "note" for c in cites):  # the Markdown and LaTeX writers would drop it
            raise self.error(
                number, "an attribution cannot cite an explanatory note (cite it in the quotation)"
            )
        body = self.plain(body, number, "an attribution")
        self.attribution = (body, cites, SourceLocation(self.source, number))

    def end_block(self) -> None:
        if self.block_kind is None:
            return
        sentences = tuple(self.block)
        if self.block_kind == "para":
            block: Block = Paragraph(sentences)
        elif self.block_kind == "list":
            items = tuple(ListItem((s,), d) for s, d in zip(sentences, self.item_depths, strict=True))
            block = ListBlock(items, self.list_ordered)
            self.item_depths = []
        else:
            if self.attribution is None:
                block = BlockQuote(sentences)
            else:
                block = BlockQuote(sentences, *self.attribution)
        self.stack[-1].blocks.append(block)
        self.block_kind, self.block, self.attribution = None, [], None

    # --- the whole file ------------------------------------------------------------------------------
    def finish(self) -> Article:
        while self.stack:
            self.close_section(self.stack.pop())
        if not self.roots:
            raise self.error(None, "the article has no sections (an empty article)")
        if "title" not in self.header:
            raise self.error(1, "missing @title")
        sections = tuple(s.freeze() for s in self.roots)
        explanatory = self.explanatory_notes()
        by_id = {s.id: s for root in sections for s in root.walk()}
        facts: list[Fact] = []
        events: list[Event] = []
        for item in self.pending:
            facts_or_event = self.resolve(item, by_id)
            if isinstance(facts_or_event, Fact):
                facts.append(facts_or_event)
            else:
                events.append(facts_or_event)
        source_title, _, source_url = self.header.get("source", "").partition("|")
        licence_name, _, licence_url = self.header.get("licence", "").partition("|")
        article_key = self.header.get("article-key")
        briefing_key = self.header.get("briefing-key")
        for name, key in (("article-key", article_key), ("briefing-key", briefing_key)):
            if key is not None and key not in self.bib:
                raise self.error(self.header_lines[name], f"@{name} {key!r} is not in {self.bib.source}")
        meta = Metadata(
            title=self.header["title"],
            subtitle=self.header.get("subtitle", ""),
            short_title=self.header.get("short-title", self.header["title"]),
            language=self.header.get("language", "en"),
            author=self.header.get("author", ""),
            source_title=source_title.strip(),
            source_url=source_url.strip(),
            licence_name=licence_name.strip(),
            licence_url=licence_url.strip(),
            notes=tuple(self.notes),
            article_key=article_key,
            briefing_key=briefing_key,
            slug=self.header.get("slug") or slugify(self.header["title"]),
            attribution=self.header.get("attribution", ""),
            references_note=self.header.get("references-note", ""),
            glossary_note=self.header.get("glossary-note", ""),
            locations=tuple((k, SourceLocation(self.source, n)) for k, n in self.header_lines.items()),
        )
        events.sort(key=lambda e: e.date.ordinal())
        return Article(
            metadata=meta,
            sections=sections,
            bibliography=self.bib,
            glossary=tuple(self.glossary),
            facts=tuple(facts),
            events=tuple(events),
            source=self.source,
            explanatory=explanatory,
        )

    def explanatory_notes(self) -> tuple[ExplanatoryNote, ...]:
        """The notes the text cites, in order of first use; a note cited but not defined, or defined but
        never cited, is an error."""
        for name, (_, line) in self.note_labels.items():
            if name not in self.note_texts:
                raise self.error(
                    line, f"explanatory note [^{name}] is not defined (add '@explanatory: {name} | text')"
                )
        for name, sentence in self.note_texts.items():
            if name not in self.note_labels:
                raise self.error(
                    sentence.location.line, f"explanatory note {name!r} is never cited ([^{name}])"
                )
        return tuple(
            ExplanatoryNote(name, label, (self.note_texts[name],), self.note_texts[name].location)
            for name, (label, _) in self.note_labels.items()
        )

    def resolve(self, item: _Pending, by_id: dict[str, Section]) -> Fact | Event:
        first, label, section_id, phrase_field = item.fields
        line = item.location.line
        section = by_id.get(section_id)
        if section is None:
            raise self.error(line, f"@{item.kind} names unknown section {section_id!r}")
        quoted = _QUOTED.match(phrase_field)
        if not quoted:
            raise self.error(line, f'@{item.kind} phrase must be in double quotes: "…"')
        phrase = _unescape(quoted.group(1))
        sentence = next((s for s in section.sentences() if phrase in s.text), None)
        if sentence is None:
            raise self.error(line, f"phrase {phrase!r} does not occur in section {section_id!r}")
        if item.kind == "fact":
            return Fact(first, label, section_id, sentence, item.location)
        match = _DATE.match(first)
        if not match:
            raise self.error(line, f"event date {first!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        try:
            datetime.date(max(year, 1), month or 1, day or 1)  # 1993-02-31 is no date
        except ValueError:
            raise self.error(line, f"event date {first!r} is not a date") from None
        return Event(PartialDate(year, month, day), label, section_id, sentence, item.location)


#: the longest line of a source we read (a sentence, a directive); a paragraph may hold any number of them
MAX_LINE_CHARS = 100_000
_BLOCK_NAMES = {"para": "a paragraph", "quote": "a quotation", "list": "a list"}
_ESCAPABLE = frozenset("#@~>%\\-")


def note_label(index: int) -> str:
    """An explanatory note's label: ``A`` … ``Z``, ``AA`` … for 0, 1, … (capitals: works cited by key print
    ``a``, ``b`` … and the source's references their numbers)."""
    return letter(index, upper=True)


# line and paragraph separators and page breaks inside a line are spaces; other controls are mistakes
_SPACES = re.compile("[\u2028\u2029\x85\x0b\x0c\r]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udfff]")


def _clean_line(line: str, number: int, source: str) -> str:
    """A line in NFC with stray separators as spaces; a tab or control character is an error."""
    if len(line) > MAX_LINE_CHARS:
        problem = f"a line of {len(line):,} characters (at most {MAX_LINE_CHARS:,})"
        raise ContentError(problem, source, number)
    if line.isprintable():  # the common line: no tab, control character or separator (one C scan)
        return (line if line.isascii() else unicodedata.normalize("NFC", line)).rstrip()
    if "\t" in line:
        raise ContentError("tab character (use spaces)", source, number)
    bad = _CONTROL.search(line)
    if bad:
        raise ContentError(f"control character U+{ord(bad.group(0)):04X} in the text", source, number)
    if not line.isascii():
        line = unicodedata.normalize("NFC", line)
    if _SPACES.search(line):  # rare: most lines are returned as they are (a translate table costs more)
        line = _SPACES.sub(" ", line)
    return line.rstrip()


def _trailing_citations(text: str) -> tuple[str, list[str]]:
    """The text before its closing ``[14][@key]…`` citations, and their labels; linear in the length (a
    regular expression anchored at the end would try every start and take quadratic time)."""
    end = len(text)
    labels: list[str] = []
    while end and text[end - 1] == "]":
        start = text.rfind("[", 0, end - 1)
        if start < 0 or not _CITE_LABEL.fullmatch(text, start + 1, end - 1):
            break
        labels.append(text[start + 1 : end - 1])
        end = start
    return text[:end].rstrip(), labels[::-1]


_PART = re.compile(r'(?:[^;"]++|"(?:[^"\\]++|\\.)*+"?)++')


def _split_edits(text: str) -> list[str]:
    """A provenance line split at ``;`` outside double-quoted strings (which may hold escaped quotes)."""
    return _PART.findall(text) or [""]


def parse_article(text: str, source: str, bibliography: Bibliography) -> Article:
    """Parse content text (named ``source`` in errors) against a bibliography into an Article."""
    return _Parser(text.lstrip("\ufeff"), source, bibliography).parse()


def load_article(
    content: str | Path | None = None,
    bib: str | Path | None = None,
    *,
    fmt: str | None = None,
    strict: bool = False,
    source_url: str | None = None,
) -> Article:
    """Load an article: by default the Battle of Kalbajar and its library, both shipped with the package.

    ``content`` is a user's own ``.article`` file, or MediaWiki wikitext (``.wiki``, ``.wikitext``,
    ``.mediawiki``, a Special:Export ``.xml``, or any file with ``fmt="mediawiki"``), whose references
    become its bibliography (``bib`` is then optional). ``strict`` makes a template the wikitext reader
    does not know an error; ``source_url`` says where wikitext came from (a Wikipedia URL brings the
    CC BY-SA attribution).
    """
    with collector.paused():  # see kalbajar_report.collector
        return _load_article(content, bib, fmt, strict, source_url)


def _load_article(
    content: str | Path | None, bib: str | Path | None, fmt: str | None, strict: bool, source_url: str | None
) -> Article:
    if content is None:
        text, name = read_text("content", "kalbajar.article")
        return _parse_cached(text, name, load_bibliography(bib))
    from .mediawiki import EXTENSIONS

    kind = fmt or ("mediawiki" if Path(content).suffix.lower() in EXTENSIONS else "article")
    if kind not in ("article", "mediawiki"):
        raise ContentError(f"unknown input format {kind!r} (known: article, mediawiki)", str(content), None)
    name = str(content)
    if kind == "mediawiki":
        from .mediawiki import load_wikitext

        bibliography = load_bibliography(bib) if bib is not None else None
        if source_url is not None and url_problem(source_url):
            raise ContentError(f"--source-url {source_url[:60]!r} {url_problem(source_url)}", name, None)
        text = read_input(Path(content), ContentError)
        return load_wikitext(text, name, bibliography, strict=strict, source_url=source_url)
    bibliography = load_bibliography(bib)
    text = read_input(Path(content), ContentError)
    return _parse_cached(text, name, bibliography)


# A rebuild in the same process with unchanged files reuses the parsed (immutable) article.
_parse_cached = functools.lru_cache(maxsize=8)(parse_article)
