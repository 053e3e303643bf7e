"""The MediaWiki reader: an article's wikitext (or a Special:Export XML file) in, the same Article as the
``.article`` reader gives out, its references made a bibliography.

Wikitext is parsed with mwparserfromhell (its C tokenizer). Running text is cut into pieces at note markers
(a piece is the model's "sentence": its text, then the citations that close it, joined to the piece before
without a space where the source has none). Every ``<ref>`` becomes a note numbered as Wikipedia numbers
it (order of first use, per group; ``<ref name=x/>`` reuses the number); citation templates become
bibliography entries (:mod:`kalbajar_report.citetemplates`); ``{{sfn}}``/``{{harv}}``/``{{rp}}`` and
``|page=`` are locators on citations of the full work; ``{{efn}}``, ``{{refn}}`` and refs with a ``group``
are explanatory notes. An infobox's fields become key facts, cited where the infobox cites. Images,
tables, categories, interwiki links, hatnotes, navigation and maintenance templates are left out and
counted (``Article.omitted``); with ``strict``, a template the reader does not know is an error at its
line. No wikitext syntax reaches the model's text.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import quote

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from . import citetemplates as ct
from .errors import ContentError
from .links import safe_url
from .model import (
    Article,
    Bibliography,
    Block,
    BlockQuote,
    Citation,
    Entry,
    ExplanatoryNote,
    Fact,
    ListBlock,
    ListItem,
    Metadata,
    Paragraph,
    Provenance,
    Section,
    Sentence,
    SourceLocation,
    Span,
    SpanStyle,
)
from .reader import slugify

#: file name endings read as MediaWiki wikitext (``.xml``: a Special:Export file)
EXTENSIONS = (".wiki", ".wikitext", ".mediawiki", ".xml")

_AUTHOR = Provenance("author")
_STAND_IN = "short-citation:"  # a key no bibliography can have (":" ends a key prefix nowhere else)
_MAGIC = re.compile(r"__[A-Z]+__")
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0]+")
_SPACE_RUN = re.compile(r"[^\S\u00a0]{2,}")  # the runs of _BREAKABLE_SPACE that collapsing shortens
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_INTERWIKI = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*:", re.IGNORECASE)
_IMAGE_NS = ("file:", "image:", "media:")
_BLOCK_TAGS = ("blockquote", "table", "gallery", "references", "div", "center")
_CATEGORY_NS = ("category:",)
_LETTERS = {"lower-alpha": "a", "upper-alpha": "A", "lower-latin": "a", "upper-latin": "A"}
_ROMAN = {"lower-roman": False, "upper-roman": True}

# templates by what they are: names normalised (lower case, spaces)
_TABLES: dict[str, Any] = json.loads(
    (resources.files("kalbajar_report") / "mediawiki_templates.json").read_text(encoding="utf-8")
)
_EXPLANATORY = frozenset(_TABLES["explanatory"])
_EFN_GROUPS: Mapping[str, str] = MappingProxyType(_TABLES["efn_groups"])
_REFLISTS = frozenset(_TABLES["reflists"])
_QUOTES = frozenset(_TABLES["quotes"])
_SHORT = frozenset(_TABLES["short"])
_HATNOTES = frozenset(_TABLES["hatnotes"])
_MAINTENANCE = frozenset(_TABLES["maintenance"])
_FURNITURE = frozenset(_TABLES["furniture"])
_INLINE_TEXT = frozenset(_TABLES["inline_text"])
_FIXED: Mapping[str, str] = MappingProxyType(_TABLES["fixed"])
_MONTHS = ("January February March April May June July August September October November December").split()
_INFOBOX_SKIP = re.compile(
    r"^(image|image_?size|image_?upright|caption|alt|map|map_|pushpin|relief|coordinates|coord|module|"
    r"embed|width|partof|campaignbox|notes?|logo|flag|seal|signature|footnotes|label_?position|"
    r"mapframe|image_?map|border|style|child|subbox)",
    re.IGNORECASE,
)
_UNITS: Mapping[str, tuple[str, float | None, str]] = MappingProxyType(
    {k: (v[0], v[1], v[2]) for k, v in _TABLES["units"].items()}
)


def _name(template: Template) -> str:
    """A template's name as the tables above hold it: lower case, ``_`` as spaces, no namespace."""
    name = _source(template.name).strip()
    if "<!--" in name:
        name = _COMMENT.sub("", name).strip()
    if name.lower().startswith("template:"):
        name = name[9:]
    return " ".join(name.replace("_", " ").split()).lower()


def _params(template: Template) -> list[tuple[str, Wikicode]]:
    return [(_source(p.name).strip(), p.value) for p in template.params]


def _source(code: Wikicode) -> str:
    """``str(code)``, at once for the common single text node (a parameter's name or value)."""
    nodes = code.nodes
    if len(nodes) == 1:
        (node,) = nodes  # unpacked, not indexed: indexing a SmartList is a Python call
        if isinstance(node, Text):
            return node.value
    return str(code)


def _roman(number: int, upper: bool) -> str:
    out = ""
    for value, letters in (
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ):
        while number >= value:
            out += letters
            number -= value
    return out.upper() if upper else out


def _group_label(group: str, number: int) -> str:
    """Wikipedia's label of note ``number`` of ``group``: ``1``, ``a``, ``iv``, ``note 3``."""
    if not group:
        return str(number)
    if group in _LETTERS:
        start = _LETTERS[group]
        out, n = "", number
        while n:
            n, rem = divmod(n - 1, 26)
            out = chr(ord(start) + rem) + out
        return out
    if group in _ROMAN:
        return _roman(number, _ROMAN[group])
    if group == "lower-greek":
        return "αβγδεζηθικλμνξοπρστυφχψω"[(number - 1) % 24]
    return f"{group} {number}"


@dataclass
class _Piece:
    """Running text being cut into pieces at note markers."""

    chunks: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    line: int = 1
    length: int = 0  # of the chunks together


@dataclass
class _Text:
    """Collects inline content into sentences (pieces closed by their citations), spans included."""

    reader: _Reader
    line: int
    done: list[Sentence] = field(default_factory=list)
    piece: _Piece = field(default_factory=_Piece)
    open: list[tuple[SpanStyle, str | None, int]] = field(default_factory=list)
    joined_next: bool = False

    def add(self, text: str, line: int) -> None:
        if not text:
            return
        if self.piece.citations:
            self.cut(line)
            self.joined_next = not text[0].isspace()
        if not self.piece.chunks:
            self.piece.line = line
        self.piece.chunks.append(text)
        self.piece.length += len(text)

    def cite(self, citation: Citation) -> None:
        self.piece.citations.append(citation)

    def locate_last(self, locator: str) -> bool:
        """Give the last citation a locator (``{{rp}}``); False when there is none."""
        if not self.piece.citations:
            return False
        last = self.piece.citations[-1]
        if last.kind == "note":
            return False
        where = f"{last.locator}, {locator}" if last.locator else locator
        self.piece.citations[-1] = Citation(last.key, last.label, last.kind, where)
        return True

    def begin(self, style: SpanStyle, url: str | None = None) -> None:
        self.open.append((style, url, self.piece.length))

    def end(self) -> None:
        style, url, start = self.open.pop()
        if self.piece.length > start:
            self.piece.spans.append(Span(start, self.piece.length, style, url))

    def cut(self, line: int) -> None:
        """Close the current piece (its citations end it) and start the next."""
        length = self.piece.length
        reopened = []
        for style, url, start in self.open:
            if length > start:
                self.piece.spans.append(Span(start, length, style, url))
            reopened.append((style, url, 0))
        self._close()
        self.open = reopened
        self.piece = _Piece(line=line)

    def _close(self) -> None:
        raw = "".join(self.piece.chunks)
        text, spans = _normalise(raw, self.piece.spans)
        cites = tuple(self.piece.citations)
        if not text:
            if cites and self.done:  # a marker with no text of its own closes the piece before it
                last = self.done[-1]
                self.done[-1] = Sentence(
                    last.text, last.citations + cites, last.provenance, last.location, last.spans, last.joined
                )
            elif cites:
                self.reader.pending_cites.extend(cites)
            self.joined_next = False
            return
        if self.reader.pending_cites:
            cites = tuple(self.reader.pending_cites) + cites
            self.reader.pending_cites.clear()
        location = SourceLocation(self.reader.source, self.piece.line)
        joined = self.joined_next and bool(self.done)
        self.done.append(Sentence(text, cites, _AUTHOR, location, spans, joined))
        self.joined_next = False

    def finish(self) -> list[Sentence]:
        while self.open:
            self.end()
        self._close()
        self.piece = _Piece()
        out, self.done = self.done, []
        return out


def _breakable(char: str) -> bool:
    """Whether ``_BREAKABLE_SPACE`` matches this character."""
    return char.isspace() and char != "\u00a0"


def _collapse(text: str) -> str:
    """``_BREAKABLE_SPACE.sub(" ", text).strip(" ")``: whitespace runs as one space, none at the ends."""
    if "\u00a0" in text:
        return _BREAKABLE_SPACE.sub(" ", text).strip(" ")
    return " ".join(text.split())  # the same without a no-break space (str.split's whitespace is re's \s)


def _normalise(raw: str, spans: list[Span]) -> tuple[str, tuple[Span, ...]]:
    """Whitespace collapsed to single spaces and stripped, span offsets moved with the text."""
    text = _collapse(raw)
    if not spans or not text:  # the common case (and no span survives in no text)
        return text, ()
    lead = 1 if _breakable(raw[0]) else 0
    size = len(text)
    # a run of one space character moves nothing; with no longer run the text is shorter only by the
    # collapsed spaces at its ends (two runs, as the text is not empty)
    unshortened = size == len(raw) - lead - (1 if _breakable(raw[-1]) else 0)
    runs = [] if unshortened else [m.span() for m in _SPACE_RUN.finditer(raw)]
    starts = [a for a, _ in runs]
    removed = list(itertools.accumulate(b - a - 1 for a, b in runs))  # chars gone up to each run's end

    def moved_to(pos: int) -> int:
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            new = pos
        else:
            a, b = runs[i]
            before = removed[i - 1] if i else 0
            new = a - before if pos < b else pos - removed[i]
        return min(max(new - lead, 0), size)

    moved = []
    for sp in spans:
        if runs:
            start, end = moved_to(sp.start), moved_to(sp.end)
        else:  # nothing shortened (the usual case): only a leading space stripped moves an offset
            start, end = min(max(sp.start - lead, 0), size), min(max(sp.end - lead, 0), size)
        while start < end and text[start] == " ":
            start += 1
        while end > start and text[end - 1] == " ":
            end -= 1
        if end > start:
            unmoved = start == sp.start and end == sp.end
            moved.append(sp if unmoved else Span(start, end, sp.style, sp.url))
    return text, tuple(moved)


@dataclass
class _Reader:
    text: str
    source: str
    title: str
    line_offset: int = 0
    strict: bool = False
    base_url: str | None = None
    sections: list[tuple[int, str, int, list[Block]]] = field(default_factory=list)
    omitted: Counter[str] = field(default_factory=Counter)
    omitted_names: dict[str, list[str]] = field(default_factory=dict)
    definitions: dict[tuple[str, str], tuple[Wikicode, int]] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    ref_notes: dict[tuple[str, str], Citation] = field(default_factory=dict)
    works: dict[tuple[str, ...], str] = field(default_factory=dict)
    entries: dict[str, ct.CitationWork] = field(default_factory=dict)
    citerefs: dict[str, str] = field(default_factory=dict)
    short_numbers: dict[tuple[str, str | None], Citation] = field(default_factory=dict)
    short_targets: dict[str, ct.ShortCitation] = field(default_factory=dict)
    explanatory: list[ExplanatoryNote] = field(default_factory=list)
    facts: list[tuple[str, str, tuple[Citation, ...], int]] = field(default_factory=list)
    pending_cites: list[Citation] = field(default_factory=list)
    depth: int = 0
    keys_lower: set[str] = field(default_factory=set)
    wiki_base: str | None = None  # "https://en.wikipedia.org/wiki/": internal links are linked to it

    # --- positions ----------------------------------------------------------------------------------
    def error(self, line: int, message: str) -> ContentError:
        return ContentError(message, self.source, line)

    def leave_out(self, kind: str, line: int, name: str | None = None, *, known: bool = True) -> None:
        if not known and self.strict:
            raise self.error(line, f"template {{{{{name}}}}} is not one this reader knows (--strict)")
        self.omitted[kind] += 1
        if name is not None:
            names = self.omitted_names.setdefault(kind, [])
            if name not in names:
                names.append(name)

    # --- the whole page -----------------------------------------------------------------------------
    def read(self) -> None:
        nodes = list(mwparserfromhell.parse(self.text).nodes)
        sources = [str(node) for node in nodes]  # a node's text is its source (mwparserfromhell round-trips)
        # the line each node starts on: the lines before it, counted in the sources before it
        starts = itertools.accumulate((s.count("\n") for s in sources), initial=self.line_offset + 1)
        lines = list(starts)[:-1]
        self.collect_definitions(nodes, sources, lines)
        self.blocks_of(self.split_lines(nodes, sources, lines))

    def collect_definitions(self, nodes: list[Node], sources: list[str], lines: list[int]) -> None:
        """Every named ``<ref>`` with content, wherever it stands (text, reflists, ``refs=``, infoboxes),
        with the line of the top-level node it stands in."""
        for node, source, line in zip(nodes, sources, lines, strict=True):
            if not isinstance(node, Tag | Template):
                continue
            lowered = source.lower()
            if "ref" not in lowered or "name" not in lowered:
                continue  # a named ref's source holds the tag's name and its attribute's
            if isinstance(node, Tag) and _source(node.tag).lower() == "ref":
                found: Iterable[Tag] = [node]
            else:
                found = Wikicode([node]).filter_tags(recursive=True, matches=_is_ref)
            for tag in found:
                name = self.attr(tag, "name")
                if not name or tag.self_closing or tag.contents is None or not _has_text(tag.contents):
                    continue
                group = self.attr(tag, "group") or ""
                self.definitions.setdefault((group, name), (tag.contents, line))

    @staticmethod
    def attr(tag: Tag, name: str) -> str | None:
        if not tag.has(name):
            return None
        value = tag.get(name).value
        return " ".join(str(value).split()).strip("\"'") or None

    # --- lines and blocks -----------------------------------------------------------------------------
    def split_lines(
        self, nodes: list[Node], sources: list[str], starts: list[int]
    ) -> list[list[tuple[Node | str, int]]]:
        """The page as lines of nodes (text split at newlines), each node with its line."""
        lines: list[list[tuple[Node | str, int]]] = [[]]
        for node, source, line in zip(nodes, sources, starts, strict=True):
            if isinstance(node, Text):
                parts = source.split("\n")
                for i, part in enumerate(parts):
                    if i:
                        lines.append([])
                        line += 1
                    if part:
                        lines[-1].append((part, line))
            elif isinstance(node, Heading):
                lines.append([(node, line)])
                lines.append([])
            else:
                lines[-1].append((node, line))
        return lines

    def blocks_of(self, lines: list[list[tuple[Node | str, int]]]) -> None:
        top = min((n.level for line in lines for n, _ in line[:1] if isinstance(n, Heading)), default=2)
        self.sections = [(min(top, 2), "Overview", 1 + self.line_offset, [])]  # the lead: a top section
        para: _Text | None = None
        items: list[ListItem] = []
        ordered = False

        def blocks() -> list[Block]:
            return self.sections[-1][3]

        def end_para() -> None:
            nonlocal para
            if para is not None:
                sentences = para.finish()
                if sentences:
                    blocks().append(Paragraph(tuple(sentences)))
                para = None

        def end_list() -> None:
            nonlocal items
            if items:
                blocks().append(ListBlock(tuple(items), ordered))
                items = []

        for line in lines:
            if not line or all(isinstance(n, str) and not n.strip() for n, _ in line):
                end_para()
                end_list()
                continue
            first, number = line[0]
            if isinstance(first, Heading):
                end_para()
                end_list()
                title = self.plain(first.title.nodes, number).strip()
                self.sections.append((first.level, title or "Untitled", number, []))
                continue
            markers = []
            rest = list(line)
            while rest and isinstance(rest[0][0], Tag) and str(rest[0][0].tag) in ("li", "dt", "dd"):
                markers.append(str(rest[0][0].wiki_markup or ""))
                rest.pop(0)
            if markers and all(m in ("*", "#") for m in markers):
                end_para()
                if items and (markers[0] == "#") != ordered:  # a bulleted list after a numbered one
                    end_list()
                if not items:
                    ordered = markers[0] == "#"
                text = _Text(self, number)
                self.inline_nodes(rest, text)
                sentences = text.finish()
                if sentences:
                    items.append(ListItem(tuple(sentences), len(markers)))
                continue
            end_list()
            block_level = [n for n, _ in rest if self.is_block(n)]
            if block_level and len(block_level) == len([n for n, _ in rest if not _blank(n)]):
                end_para()
                for node, at in rest:
                    if not _blank(node):
                        self.block_node(node, at)
                continue
            if markers:  # ; term and : indented lines stand as paragraphs of their own
                end_para()
            if para is None:
                para = _Text(self, number)
            else:
                para.add(" ", number)
            if markers and markers[0] == ";":
                para.begin("bold")
                self.inline_nodes(rest, para)
                para.end()
                end_para()
            else:
                self.inline_nodes(rest, para)
        end_para()
        end_list()

    def is_block(self, node: Node | str) -> bool:
        if isinstance(node, Tag):
            return _source(node.tag).lower() in _BLOCK_TAGS
        if isinstance(node, Template):
            name = _name(node)
            return name in _QUOTES or name.startswith("infobox") or name in _REFLISTS
        return False

    def block_node(self, node: Node | str, line: int) -> None:
        """A node that stands as a block of its own."""
        if isinstance(node, Tag):
            tag = str(node.tag).lower()
            if tag == "blockquote":
                self.quote(node.contents.nodes if node.contents else [], None, (), line)
            elif tag == "table":
                self.leave_out("tables", line)
            elif tag == "gallery":
                self.leave_out("images", line, "gallery")
            elif tag in ("div", "center"):
                text = _Text(self, line)
                self.inline_nodes([(n, line) for n in (node.contents.nodes if node.contents else [])], text)
                sentences = text.finish()
                if sentences:
                    self.sections[-1][3].append(Paragraph(tuple(sentences)))
            return  # <references> holds definitions, collected before
        if isinstance(node, Template):
            name = _name(node)
            if name in _QUOTES:
                self.quote_template(node, line)
            elif name.startswith("infobox"):
                self.infobox(node, line)
            elif name in _REFLISTS:
                return

    # --- quotations -----------------------------------------------------------------------------------
    def quote_template(self, node: Template, line: int) -> None:
        params = dict(_params(node))
        body = params.get("text") or params.get("quote") or params.get("1")
        author = params.get("author") or params.get("2") or params.get("sign") or params.get("personquoted")
        work = params.get("title") or params.get("source") or params.get("3") or params.get("quotesource")
        parts: list[str] = []
        cites: list[Citation] = []
        for value in (author, work):  # the attribution, and the refs it carries
            if value is None:
                continue
            text = _Text(self, line)
            self.nested(value.nodes, line, text)
            sentences = text.finish()
            if sentences:
                parts.append(" ".join(s.text for s in sentences))
                cites += [c for s in sentences for c in s.citations]
        self.quote(body.nodes if body is not None else [], ", ".join(parts) or None, tuple(cites), line)

    def quote(
        self, nodes: Iterable[Node], attribution: str | None, cites: tuple[Citation, ...], line: int
    ) -> None:
        text = _Text(self, line)
        self.inline_nodes([(n, line) for n in nodes], text)
        sentences = text.finish()
        if sentences:
            location = SourceLocation(self.source, line)
            self.sections[-1][3].append(BlockQuote(tuple(sentences), attribution, cites, location))

    # --- the infobox ----------------------------------------------------------------------------------
    def infobox(self, node: Template, line: int) -> None:
        for name, value in _params(node):
            if not name or name.isdigit() or _INFOBOX_SKIP.match(name):
                continue
            text = _Text(self, line)
            self.inline_nodes([(n, line) for n in value.nodes], text)
            sentences = text.finish()
            if not sentences:
                continue
            plain = " ".join(s.text for s in sentences)
            cites = tuple(c for s in sentences for c in s.citations)
            label = name.replace("_", " ").strip().capitalize()
            self.facts.append((label, plain, cites, line))

    # --- inline content -------------------------------------------------------------------------------
    def inline_nodes(self, nodes: Iterable[tuple[Node | str, int]], out: _Text) -> None:
        for node, line in nodes:
            self.inline(node, line, out)

    def plain(self, nodes: Iterable[Node], line: int) -> str:
        """Nodes as plain text (citations inside are read, not printed)."""
        nodes = list(nodes)
        texts = [n.value for n in nodes if isinstance(n, Text)]
        if len(texts) == len(nodes):  # most template parameters: no markup to read
            raw = "".join(texts)
            if "'" not in raw and "__" not in raw and not _broken(raw):
                return _collapse(raw)
        text = _Text(self, line)
        self.depth += 1
        try:
            for node in nodes:
                self.inline(node, line, text)
        finally:
            self.depth -= 1
        return " ".join(s.text for s in text.finish()).strip()

    def inline(self, node: Node | str, line: int, out: _Text) -> None:
        if self.depth > 40:
            raise self.error(line, "markup nested more than 40 deep (templates, links, tags or quote marks)")
        if isinstance(node, str | Text):
            out.add(self.text_of(str(node), line), line)
        elif isinstance(node, HTMLEntity):
            out.add(node.normalize(), line)
        elif isinstance(node, Comment):
            self.leave_out("comments", line)
        elif isinstance(node, Tag):
            self.tag(node, line, out)
        elif isinstance(node, Wikilink):
            self.wikilink(node, line, out)
        elif isinstance(node, ExternalLink):
            self.external_link(node, line, out)
        elif isinstance(node, Template):
            self.template(node, line, out)
        elif isinstance(node, Heading):
            self.nested(node.title.nodes, line, out)
        elif isinstance(node, Argument):
            self.leave_out("template parameters", line)
        else:  # pragma: no cover - mwparserfromhell has no other node types
            self.leave_out("markup", line)

    def external_link(self, node: ExternalLink, line: int, out: _Text) -> None:
        """``[url text]`` as the text linked to the URL (a URL that is not http(s) is not linked)."""
        url = str(node.url).strip()
        safe = safe_url(url)
        if safe:
            out.begin("link", safe)
        if node.title is not None and str(node.title).strip():
            self.nested(node.title.nodes, line, out)
        else:
            out.add(url, line)
        if safe:
            out.end()

    def text_of(self, text: str, line: int) -> str:
        """Plain text of the page; markup the parser could not read (an unclosed ``{{``, a stray ``]]``,
        ``<ref>`` or ``|param =`` line) is dropped and counted, or an error with ``strict``."""
        text = _clean_text(text)
        broken = _broken(text)
        if broken is None:
            return text
        if self.strict:
            raise self.error(line, f"malformed wikitext {broken.group(0)!r}")
        self.leave_out("pieces of malformed markup", line)
        text = _UNCLOSED.sub("", text)
        return _BROKEN.sub("", text)

    def nested(self, nodes: Iterable[Node], line: int, out: _Text) -> None:
        self.depth += 1
        try:
            for node in nodes:
                self.inline(node, line, out)
        finally:
            self.depth -= 1

    def tag(self, node: Tag, line: int, out: _Text) -> None:
        tag = _source(node.tag).lower()
        contents = node.contents.nodes if node.contents is not None else []
        if tag == "ref":
            self.ref(node, line, out)
        elif tag in ("i", "em", "cite", "var", "dfn"):
            out.begin("italic")
            self.nested(contents, line, out)
            out.end()
        elif tag in ("b", "strong"):
            out.begin("bold")
            self.nested(contents, line, out)
            out.end()
        elif tag == "br":
            out.add(" ", line)
        elif tag in ("nowiki", "pre", "code", "tt", "kbd", "samp", "syntaxhighlight", "source"):
            out.add(_clean_text(str(node.contents or "")), line)
        elif tag in (
            "math",
            "chem",
            "ce",
            "score",
            "timeline",
            "graph",
            "mapframe",
            "maplink",
            "imagemap",
            "templatedata",
            "categorytree",
            "inputbox",
            "hiero",
        ):
            self.leave_out(f"<{tag}> elements", line)
        elif tag == "gallery":
            self.leave_out("images", line, "gallery")
        elif tag == "table":
            self.leave_out("tables", line)
        elif tag == "references" or tag in ("li", "dt", "dd", "hr"):
            return
        elif tag in (
            "blockquote",
            "div",
            "center",
            "p",
            "span",
            "small",
            "big",
            "sup",
            "sub",
            "u",
            "s",
            "del",
            "ins",
            "abbr",
            "font",
            "q",
            "bdi",
            "mark",
            "strike",
            "poem",
            "time",
            "data",
        ):
            self.nested(contents, line, out)
        else:
            self.leave_out("unknown tags", line, f"<{tag}>")

    def wikilink(self, node: Wikilink, line: int, out: _Text) -> None:
        title = " ".join(_source(node.title).split())
        lowered = title.lower().lstrip()
        if lowered.startswith(_IMAGE_NS):
            self.leave_out("images", line)
            return
        if lowered.startswith(_CATEGORY_NS):
            self.leave_out("categories", line)
            return
        if title.startswith(":"):
            title = title[1:]
        elif _INTERWIKI.match(title) and node.text is None:
            self.leave_out("interwiki links", line)
            return
        page, _, anchor = title.partition("#")
        url = self.wiki_link(page, anchor)
        if url:
            out.begin("link", url)
        if node.text is not None and str(node.text).strip():
            self.nested(node.text.nodes, line, out)
        else:
            out.add(f"{page} § {anchor}" if page and anchor else page or anchor, line)
        if url:
            out.end()

    def wiki_link(self, page: str, anchor: str) -> str | None:
        """The URL of a page of the same wiki, when the page's own URL is known (``[[#x]]``: none)."""
        if not self.wiki_base or not page.strip():
            return None
        target = quote(page.strip().replace(" ", "_"), safe="/:()_,'-.!*~")
        if anchor.strip():
            target += "#" + quote(anchor.strip().replace(" ", "_"), safe="/:()_,'-.!*~")
        return safe_url(self.wiki_base + target)

    # --- templates ------------------------------------------------------------------------------------
    def template(self, node: Template, line: int, out: _Text) -> None:
        name = _name(node)
        params = _params(node)
        if ct.is_citation_template(name):
            self.register_work(self.work_of(name, params, line), line)  # a work of the bibliography list
            return
        if name in _SHORT:
            cite = self.short(name, params, line)
            if cite is not None:
                out.cite(cite)
            return
        if name == "rp":
            locator = ct.rp_locator(self.plain_params(params, line))
            if locator and not out.locate_last(locator):
                out.add(f" ({locator})", line)
            return
        if name in _EXPLANATORY or name.startswith("efn"):
            self.explanatory_template(name, params, line, out)
            return
        if name in _REFLISTS:
            return
        if name in _QUOTES:
            body = dict(params).get("text") or dict(params).get("1")
            if body is not None:
                out.add("“", line)
                self.nested(body.nodes, line, out)
                out.add("”", line)
            return
        if name.startswith("infobox"):
            self.infobox(node, line)
            return
        rendered = self.render(name, params, line, out)
        if rendered:
            return
        shown = " ".join(str(node.name).split())
        if name in _HATNOTES:
            self.leave_out("hatnotes", line, shown)
        elif name in _MAINTENANCE:
            self.leave_out("maintenance templates", line, shown)
        elif name in _FURNITURE or name.startswith(("pp-", "use ", "portal")):
            self.leave_out("page templates", line, shown)
        elif name.endswith(("navbox", "sidebar", " nav", "footer")) or name.startswith(
            ("campaignbox", "navbox")
        ):
            self.leave_out("navigation boxes", line, shown)
        else:
            self.leave_out("templates", line, shown, known=False)

    def plain_params(self, params: Sequence[tuple[str, Wikicode]], line: int) -> list[tuple[str, str]]:
        out = []
        for k, v in params:
            nodes = v.nodes
            if len(nodes) == 1:  # plain()'s first case, without the call: most parameters are one text node
                (node,) = nodes
                if isinstance(node, Text):
                    raw = node.value
                    if "'" not in raw and "__" not in raw and not _broken(raw):
                        out.append((k, _collapse(raw)))
                        continue
            out.append((k, self.plain(nodes, line)))
        return out

    def render(self, name: str, params: list[tuple[str, Wikicode]], line: int, out: _Text) -> bool:
        """Inline templates a reader reads as text; False when ``name`` is not one of them."""
        named = {k.lower(): v for k, v in params}
        positional = [v for k, v in params if k.isdigit()]

        def text_of(value: Wikicode | None) -> str:
            return self.plain(value.nodes, line) if value is not None else ""

        if name in _FIXED:
            out.add(_FIXED[name], line)
        elif name in ("lang", "langx", "lang-rtl") or name.startswith(("lang-", "langx")):
            # {{lang|fr|text}}, {{lang-rtl|ar|text}}, {{langx|fr|text}}: the text after the code;
            # {{lang-fr|text}}: the text first
            value = positional[-1] if positional else None
            if name.startswith(("lang-", "langx")) and name != "lang-rtl" and positional:
                value = positional[1] if name == "langx" and len(positional) > 1 else positional[0]
            if value is not None:
                self.nested(value.nodes, line, out)
        elif name in _INLINE_TEXT:
            if name in (
                "ubl",
                "unbulleted list",
                "plainlist",
                "flatlist",
                "hlist",
                "bulleted list",
                "ordered list",
            ):
                items = [text_of(v) for v in positional]
                out.add(", ".join(i for i in items if i), line)
            elif positional:
                self.nested(positional[0].nodes, line, out)
            elif "1" in named:
                self.nested(named["1"].nodes, line, out)
        elif name in ("abbr", "abbrv", "abbreviation", "tooltip"):
            if positional:
                self.nested(positional[0].nodes, line, out)
        elif name in ("circa", "c.", "ca", "c"):  # {{c.|965|1040}}: c. 965 – 1040
            out.add(("c. " + " – ".join(text_of(v) for v in positional[:2])).rstrip(), line)
        elif name in ("isbn", "issn", "oclc", "doi", "lccn", "jstor", "pmid", "arxiv", "bibcode", "hdl"):
            label = {"doi": "doi", "arxiv": "arXiv", "hdl": "hdl", "bibcode": "Bibcode"}.get(
                name, name.upper()
            )
            out.add(f"{label} {', '.join(text_of(v) for v in positional)}".rstrip(), line)
        elif name in ("transl", "transliteration") and positional:
            self.nested(positional[-1].nodes, line, out)  # {{transl|ar|ALA|text}}: the text is last
        elif name in ("frac", "fraction", "sfrac"):
            parts = [text_of(v) for v in positional]
            if len(parts) == 3:
                out.add(f"{parts[0]} {parts[1]}⁄{parts[2]}", line)
            elif len(parts) == 2:
                out.add(f"{parts[0]}⁄{parts[1]}", line)
            elif len(parts) == 1:
                out.add(f"1⁄{parts[0]}", line)
        elif name in ("as of", "asof"):
            out.add(self.as_of([text_of(v) for v in positional], named, line), line)
        elif name in ("convert", "cvt"):
            out.add(_convert([text_of(v) for v in positional]), line)
        elif name in (
            "start date",
            "end date",
            "start date and age",
            "end date and age",
            "birth date",
            "death date",
            "birth date and age",
            "death date and age",
            "birth-date",
            "date",
            "dts",
            "start and end dates",
            "film date",
            "release date",
            "birth year and age",
            "death year and age",
            "oldstyledate",
        ):
            parts = [text_of(v) for v in positional]
            if name in ("birth-date", "death-date") and len(parts) >= 2:  # the second is the text shown
                out.add(parts[1], line)
            else:
                out.add(_date_text(parts), line)
        elif name in ("ill", "interlanguage link", "interlanguage link multi", "link-interwiki"):
            if positional:
                shown = named.get("lt")
                self.nested((shown or positional[0]).nodes, line, out)
        elif name in ("sic",):
            if positional:
                self.nested(positional[-1].nodes, line, out)
        else:
            return False
        return True

    def as_of(self, parts: list[str], named: dict[str, Wikicode], line: int) -> str:
        since = "as of" if "lc" in named else "As of"
        numbers = [p for p in parts if p.isdigit()]
        if len(numbers) >= 2 and 1 <= int(numbers[1]) <= 12:
            day = f"{int(numbers[2])} " if len(numbers) >= 3 else ""
            return f"{since} {day}{_MONTHS[int(numbers[1]) - 1]} {numbers[0]}"
        return f"{since} {' '.join(parts[:1])}".rstrip()

    # --- references -----------------------------------------------------------------------------------
    def number(self, group: str) -> str:
        self.numbers[group] = self.numbers.get(group, 0) + 1
        return _group_label(group, self.numbers[group])

    def ref(self, node: Tag, line: int, out: _Text) -> None:
        name = self.attr(node, "name")
        group = self.attr(node, "group") or ""
        has_body = node.contents is not None and _has_text(node.contents) and not node.self_closing
        ident = (group, name) if name else None
        if ident is not None and ident in self.ref_notes:
            out.cite(self.ref_notes[ident])
            return
        if has_body:
            body, at = node.contents, line
        elif ident is not None and ident in self.definitions:
            body, at = self.definitions[ident]
        else:
            problem = f"<ref name={name}> is used but never defined" if name else "an empty <ref>"
            if self.strict:
                raise self.error(line, problem)
            self.leave_out("empty or undefined refs", line, name or "(empty)")
            return
        label = self.number(group)
        citation = self.resolve(body, group, label, at)
        if citation is None:
            self.leave_out("empty or undefined refs", line, name or "(empty)")
            return
        if ident is not None:
            self.ref_notes[ident] = citation
        out.cite(citation)

    def resolve(self, body: Wikicode, group: str, label: str, line: int) -> Citation | None:
        """What a ref's body cites: one work (with its locator), or an explanatory note of its text."""
        if group:
            return self.note_of(body.nodes, label, line)
        # a template with only punctuation around it ({{harvnb|Falco|2007}}.) is that template alone
        meaningful = [n for n in body.nodes if not _trivial(n) and not isinstance(n, Comment)]
        if len(meaningful) == 1 and isinstance(meaningful[0], Template):
            tpl = meaningful[0]
            name = _name(tpl)
            params = _params(tpl)
            if ct.is_citation_template(name):
                work = self.work_of(name, params, line)
                key = self.register_work(work, line)
                return Citation(key, label, "numbered", work.locator)
            if name in _SHORT:
                short = ct.short_citation(name, self.plain_params(params, line))
                if short is not None:
                    return Citation(self.short_target(short, line), label, "numbered", short.locator)
        templates = [
            n
            for n in meaningful
            if isinstance(n, Template) and (ct.is_citation_template(_name(n)) or _name(n) in _SHORT)
        ]
        if templates:  # text around works, or several works: a note whose pieces cite them
            return self.note_of(body.nodes, label, line)
        text = self.plain(body.nodes, line)
        if not text:
            return None
        key = self.register_work(ct.free_text_entry(text), line)
        return Citation(key, label, "numbered")

    def note_of(self, nodes: Iterable[Node], label: str, line: int) -> Citation | None:
        """An explanatory note of these nodes (citation templates inside cite their works)."""
        text = _Text(self, line)
        saved = list(self.pending_cites)
        self.pending_cites.clear()
        self.depth += 1
        try:
            for node in nodes:
                if isinstance(node, Template) and ct.is_citation_template(_name(node)):
                    work = self.work_of(_name(node), _params(node), line)
                    key = self.register_work(work, line)
                    text.cite(Citation(key, key, "named", work.locator))
                elif isinstance(node, Template) and _name(node) in _SHORT:
                    short = ct.short_citation(_name(node), self.plain_params(_params(node), line))
                    if short is not None:
                        key = self.short_target(short, line)
                        text.cite(Citation(key, key, "named", short.locator))
                else:
                    self.inline(node, line, text)
            sentences = text.finish()
        finally:
            self.depth -= 1
            self.pending_cites[:0] = saved
        if not sentences:
            return None
        key = f"note-{len(self.explanatory) + 1}"
        self.explanatory.append(
            ExplanatoryNote(key, label, tuple(sentences), SourceLocation(self.source, line))
        )
        return Citation(key, label, "note")

    def explanatory_template(
        self, name: str, params: list[tuple[str, Wikicode]], line: int, out: _Text
    ) -> None:
        named = {k.lower(): v for k, v in params}
        body = named.get("1") or named.get("text")
        group = " ".join(str(named["group"]).split()) if "group" in named else _EFN_GROUPS.get(name, "")
        if name in ("refn",) and "group" not in named:
            group = ""
        ref_name = " ".join(str(named["name"]).split()) if "name" in named else None
        ident = (group, ref_name) if ref_name else None
        if ident is not None and ident in self.ref_notes:
            out.cite(self.ref_notes[ident])
            return
        if body is None or not str(body).strip():
            self.leave_out("empty or undefined refs", line, ref_name or name)
            return
        label = self.number(group)
        citation = (
            self.note_of(body.nodes, label, line)
            if group or name != "refn"
            else self.resolve(body, "", label, line)
        )
        if citation is None:
            return
        if ident is not None:
            self.ref_notes[ident] = citation
        out.cite(citation)

    def work_of(self, name: str, params: list[tuple[str, Wikicode]], line: int) -> ct.CitationWork:
        return ct.citation_entry(name, self.plain_params(params, line))

    def register_work(self, work: ct.CitationWork, line: int) -> str:
        """The key of this work in the bibliography (one entry per identity)."""
        key = self.works.get(work.identity)
        if key is None:
            key = ct.citation_key(work, self.keys_lower, lowered=True)
            self.keys_lower.add(key.lower())
            self.works[work.identity] = key
            self.entries[key] = work if work.locator is None else ct.with_locator(work, None)
        else:
            self.entries[key] = ct.merge_works(self.entries[key], work)
        anchor = ct.citeref_id(work)
        if anchor:
            self.citerefs.setdefault(anchor, key)
        return key

    def short(self, name: str, params: list[tuple[str, Wikicode]], line: int) -> Citation | None:
        """An ``{{sfn}}`` in the text: a numbered note of its own, the same number for the same place."""
        short = ct.short_citation(name, self.plain_params(params, line))
        if short is None:
            return None
        ident = (short.citeref, short.locator)
        if ident in self.short_numbers:
            return self.short_numbers[ident]
        key = self.short_target(short, line)
        citation = Citation(key, self.number(""), "numbered", short.locator)
        self.short_numbers[ident] = citation
        return citation

    def short_target(self, short: ct.ShortCitation, line: int) -> str:
        """A stand-in key for the work an ``{{sfn}}`` points at: the full citations it may point at can
        stand anywhere on the page, so they are matched once the page is read (:func:`_article`)."""
        stand_in = f"{_STAND_IN}{short.citeref}"
        self.short_targets.setdefault(stand_in, short)
        return stand_in


def _is_ref(node: Node) -> bool:
    return isinstance(node, Tag) and _source(node.tag).lower() == "ref"


def _has_text(code: Wikicode) -> bool:
    """``str(code).strip() != ""`` without writing the code out: only a text node can be blank (every other
    node's source has markup that is not whitespace: brackets, braces, ``<``, ``&``, ``=``, a list mark …)."""
    return any(not isinstance(n, Text) or n.value.strip() for n in code.nodes)


def _trivial(node: Node | str) -> bool:
    """Whitespace or punctuation only."""
    text = node if isinstance(node, str) else str(node) if isinstance(node, Text) else None
    return text is not None and not text.strip(" \t\n.,;:()")


def _blank(node: Node | str) -> bool:
    if isinstance(node, str):
        return not node.strip()
    return isinstance(node, Text) and not str(node).strip()


# markup mwparserfromhell leaves as text because it is not closed or not opened
_UNCLOSED = re.compile(r"\{\{.*$|^\s*\|.*$", re.DOTALL)
_BROKEN = re.compile(r"\{\{|\}\}|\[\[|\]\]|</?ref\b[^>]*>?|^\s*\|(?=[^|]*=)", re.IGNORECASE)


def _broken(text: str) -> re.Match[str] | None:
    """``_BROKEN.search(text)``, run only on text holding a character every match starts with or has."""
    if "{" in text or "}" in text or "[" in text or "]" in text or "<" in text or "|" in text:
        return _BROKEN.search(text)
    return None


def _clean_text(text: str) -> str:
    """Text of a page: behaviour switches (``__NOTOC__``) and stray quote marks of bold/italic dropped."""
    if "__" in text:
        text = _MAGIC.sub("", text)
    if "''" in text:
        text = text.replace("'''", "").replace("''", "")
    return text


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _convert(parts: list[str]) -> str:
    """``{{convert|1900|km2}}`` → ``1,900 km² (733 sq mi)``; a unit it does not know is printed as given."""
    if not parts:
        return ""
    value = parts[0]
    number = _number(value)
    rest = parts[1:]
    if len(rest) >= 2 and rest[0] in ("-", "–", "to", "and", "x", "by") and _number(rest[1]) is not None:
        value, rest = f"{value}{'–' if rest[0] in ('-', '–') else ' ' + rest[0] + ' '}{rest[1]}", rest[2:]
        number = None
    unit = rest[0] if rest else ""
    known = _UNITS.get(unit.lower())
    shown = known[0] if known else unit
    if number is not None and abs(number) >= 1000 and "," not in value and "." not in value:
        value = f"{number:,.0f}"
    text = f"{value} {shown}".strip()
    if known is None or number is None:
        return text
    if known[1] is None:
        other = number * 9 / 5 + 32 if unit.lower() == "c" else (number - 32) * 5 / 9
    else:
        other = number * known[1]
    decimals = len(parts[0].split(".")[1]) if "." in parts[0] else 0
    converted = f"{other:,.{decimals}f}" if abs(other) >= 10 or decimals else f"{other:,.1f}"
    return f"{text} ({converted} {known[2]})"


def _date_text(parts: list[str]) -> str:
    """``{{start date|1993|3|27}}`` → ``27 March 1993``; what is not a date is printed as given."""
    numbers = [p.strip() for p in parts if p.strip()]
    if numbers and numbers[0].isdigit():
        year = numbers[0]
        if len(numbers) >= 2 and numbers[1].isdigit() and 1 <= int(numbers[1]) <= 12:
            month = _MONTHS[int(numbers[1]) - 1]
            if len(numbers) >= 3 and numbers[2].isdigit():
                return f"{int(numbers[2])} {month} {year}"
            return f"{month} {year}"
        return year
    return " ".join(numbers)


# --- the article ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WikiPage:
    """A page's wikitext, its title, the line its text starts on in the file, and the wiki's base URL."""

    text: str
    title: str
    line_offset: int = 0
    base_url: str | None = None
    site: str | None = None


def read_export(data: str, source: str) -> WikiPage:
    """The last revision of the first page of a Special:Export XML file."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise ContentError(
            f"not a readable Special:Export XML file ({exc.msg if hasattr(exc, 'msg') else exc})",
            source,
            line,
        ) from None

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    page = next((e for e in root.iter() if local(e.tag) == "page"), None)
    if page is None:
        raise ContentError("the XML file holds no <page>", source, 1)
    title = next((e.text or "" for e in page if local(e.tag) == "title"), "")
    texts = [e for e in page.iter() if local(e.tag) == "text"]
    if not texts or not (texts[-1].text or "").strip():
        raise ContentError("the page has no revision text", source, 1)
    base = next((e.text for e in root.iter() if local(e.tag) == "base"), None)
    site = next((e.text for e in root.iter() if local(e.tag) == "sitename"), None)
    text = texts[-1].text or ""
    marker = data.find("<text")
    offset = data.count("\n", 0, data.find(">", marker) + 1) if marker >= 0 else 0
    return WikiPage(text, title.strip(), offset, base, site)


def _page_url(base: str | None, title: str) -> str | None:
    if not base or "/wiki/" not in base:
        return None
    return safe_url(base.split("/wiki/", 1)[0] + "/wiki/" + title.replace(" ", "_"))


def parse_wikitext(
    page: WikiPage,
    source: str,
    bibliography: Bibliography | None = None,
    *,
    strict: bool = False,
    source_url: str | None = None,
) -> Article:
    """Read a page's wikitext into an Article (``source`` names the file in errors)."""
    reader = _Reader(page.text.lstrip("\ufeff"), source, page.title, page.line_offset, strict, page.base_url)
    page_url = source_url or _page_url(page.base_url, page.title)
    if page_url and "/wiki/" in page_url:
        reader.wiki_base = page_url.split("/wiki/", 1)[0] + "/wiki/"
    if bibliography is not None:  # keys made for the page's works stay clear of the user's own
        reader.keys_lower.update(e.key.lower() for e in bibliography.entries)
    reader.read()
    return _article(reader, page, source, bibliography, source_url)


def _article(
    reader: _Reader, page: WikiPage, source: str, bibliography: Bibliography | None, source_url: str | None
) -> Article:
    # sfn targets resolve against the works the page lists; unmatched ones become free-text entries
    def target(key: str) -> str:
        short = reader.short_targets.get(key)
        if short is None:
            return key
        found = reader.citerefs.get(short.citeref)
        if found is None:  # Wikipedia prints such a citation as its text: so do we, as a free-text entry
            shown = " ".join((" ".join(short.names), short.year or "")).strip()
            found = reader.register_work(ct.free_text_entry(shown), 0)
            reader.citerefs[short.citeref] = found
            reader.omitted["short citations with no full citation"] += 1
        return found

    def fix(cites: tuple[Citation, ...]) -> tuple[Citation, ...]:
        if not any(c.key.startswith(_STAND_IN) for c in cites):  # most: nothing to resolve
            return cites
        return tuple(Citation(target(c.key), c.label, c.kind, c.locator) for c in cites)

    def fix_sentence(s: Sentence) -> Sentence:
        cites = fix(s.citations)
        if cites is s.citations:
            return s
        return Sentence(s.text, cites, s.provenance, s.location, s.spans, s.joined)

    def fix_sentences(sentences: Iterable[Sentence]) -> tuple[Sentence, ...]:
        return tuple(fix_sentence(s) for s in sentences)

    def fix_block(block: Block) -> Block:
        if isinstance(block, ListBlock):
            return ListBlock(
                tuple(ListItem(fix_sentences(i.sentences), i.depth) for i in block.items), block.ordered
            )
        if isinstance(block, BlockQuote):
            return BlockQuote(
                fix_sentences(block.sentences),
                block.attribution,
                fix(block.attribution_citations),
                block.attribution_location,
            )
        return Paragraph(fix_sentences(block.sentences))

    sections = _sections(reader, fix_block)
    if not sections:
        raise ContentError("the page has no text (an empty article)", source, None)
    notes = tuple(
        ExplanatoryNote(n.key, n.label, fix_sentences(n.sentences), n.location) for n in reader.explanatory
    )
    facts = []
    first = sections[0]
    for label, value, cites, line in reader.facts:
        sentence = Sentence(value, fix(cites), _AUTHOR, SourceLocation(source, line))
        facts.append(Fact(label, value, first.id, sentence, SourceLocation(source, line)))
    entries: list[Entry] = list(bibliography.entries) if bibliography is not None else []
    taken = {e.key for e in entries}
    for key, work in reader.entries.items():
        if key not in taken:
            entries.append(ct.to_entry(key, work))
    title = page.title or Path(source).stem.replace("_", " ")
    url = source_url or _page_url(page.base_url, page.title)
    wikipedia = bool(url and re.match(r"^https?://[a-z-]+\.(?:m\.)?wikipedia\.org/", url))
    site = "Wikipedia" if wikipedia else page.site or ""
    omitted = tuple(
        (kind, count, tuple(reader.omitted_names.get(kind, ())))
        for kind, count in sorted(reader.omitted.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    meta = Metadata(
        title=title or "Untitled",
        short_title=title or "Untitled",
        language="en",
        author=f"{site} contributors" if site else "",
        source_title=f"{site}, “{title}”" if site else title,
        source_url=url or "",
        licence_name="CC BY-SA 4.0" if wikipedia else "",
        licence_url="https://creativecommons.org/licenses/by-sa/4.0/" if wikipedia else "",
        attribution=(
            "The article was written by Wikipedia’s contributors (its history lists them). You may share and "
            "adapt this briefing if you credit the article and its contributors, indicate the changes and "
            "share alike under the same licence."
        )
        if wikipedia
        else "",
        notes=tuple(_omitted_notes(omitted)),
        slug=slugify(title),
        locations=(("title", SourceLocation(source, 1)),),
    )
    return Article(
        metadata=meta,
        sections=sections,
        bibliography=Bibliography(tuple(entries), source),
        facts=tuple(facts),
        source=source,
        explanatory=notes,
        omitted=omitted,
    )


def _omitted_notes(omitted: tuple[tuple[str, int, tuple[str, ...]], ...]) -> list[str]:
    return [f"Left out of the text: {omitted_summary(omitted, braces=False)}."] if omitted else []


_SINGULAR = {
    "images": "image",
    "tables": "table",
    "categories": "category",
    "hatnotes": "hatnote",
    "interwiki links": "interwiki link",
    "maintenance templates": "maintenance template",
    "navigation boxes": "navigation box",
    "page templates": "page template",
    "templates": "template",
    "empty sections": "empty section",
    "comments": "comment",
    "unknown tags": "unknown tag",
    "empty or undefined refs": "empty or undefined ref",
    "template parameters": "template parameter",
    "short citations with no full citation": "short citation with no full citation",
}


def _shown_name(kind: str, name: str, braces: bool) -> str:
    if name.startswith("<") or kind in ("empty sections", "empty or undefined refs"):
        return name
    return "{{" + name + "}}" if braces else f"“{name}”"


def omitted_summary(omitted: Iterable[tuple[str, int, tuple[str, ...]]], *, braces: bool = True) -> str:
    """``12 images, 1 table, 3 templates ({{Campaignbox Test War}}, …)``: what a reader left out; without
    ``braces`` (for a document, which holds no wikitext) template names stand in quotation marks."""
    parts = []
    for kind, count, names in omitted:
        part = f"{count} {_SINGULAR.get(kind, kind) if count == 1 else kind}"
        if names:
            shown = ", ".join(_shown_name(kind, n, braces) for n in names[:4])
            part += f" ({shown}{', …' if len(names) > 4 else ''})"
        parts.append(part)
    return ", ".join(parts)


@dataclass
class _OpenSection:
    level: int
    title: str
    line: int
    blocks: list[Block]
    children: list[_OpenSection] = field(default_factory=list)


def _sections(reader: _Reader, fix_block: Callable[[Block], Block]) -> tuple[Section, ...]:
    """The flat list of headings made a tree; empty sections dropped (and counted)."""
    root: list[_OpenSection] = []
    stack: list[_OpenSection] = []
    for level, title, line, blocks in reader.sections:
        node = _OpenSection(level, title, line, blocks)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else root).append(node)
        stack.append(node)
    freezer = _Freezer(reader, fix_block, root)
    return tuple(s for s in (freezer.freeze(n, 1) for n in root) if s is not None)


@dataclass
class _Freezer:
    """Open sections made Sections, ids unique. (A class, not a nested recursive function: such a function
    refers to itself, so it and all it holds, the reader with its parse tree, would wait for the garbage
    collector instead of being freed when the page is read.)"""

    reader: _Reader
    fix_block: Callable[[Block], Block]
    root: list[_OpenSection]
    used: set[str] = field(default_factory=set)

    def unique(self, title: str) -> str:
        base = slugify(title) or "section"
        sid, n = base, 2
        while sid in self.used:
            sid, n = f"{base}-{n}", n + 1
        self.used.add(sid)
        return sid

    def freeze(self, node: _OpenSection, depth: int) -> Section | None:
        reader = self.reader
        children = tuple(s for s in (self.freeze(c, depth + 1) for c in node.children) if s is not None)
        blocks = tuple(self.fix_block(b) for b in node.blocks)
        if not blocks and not children:
            if node is not self.root[0] or reader.sections[0][1] != node.title:  # an empty lead is no loss
                reader.omitted["empty sections"] += 1
                reader.omitted_names.setdefault("empty sections", []).append(node.title)
            return None
        return Section(
            self.unique(node.title),
            node.title,
            depth,
            blocks,
            children,
            SourceLocation(reader.source, node.line),
        )


def load_wikitext(
    data: str,
    source: str,
    bibliography: Bibliography | None = None,
    *,
    strict: bool = False,
    source_url: str | None = None,
) -> Article:
    """Read wikitext, or a Special:Export XML file (text that starts with ``<``), into an Article."""
    stripped = data.lstrip("\ufeff \t\r\n")
    if stripped.startswith("<mediawiki") or stripped.startswith("<?xml"):
        page = read_export(stripped, source)
    else:
        page = WikiPage(data, Path(source).stem.replace("_", " "))
    return parse_wikitext(page, source, bibliography, strict=strict, source_url=source_url)
