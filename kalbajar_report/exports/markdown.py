"""The Markdown writer: Pandoc Markdown with ``[@key]`` citations, to be rendered with ``pandoc --citeproc``
next to the ``.bib`` (the YAML header names it)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from ..citestyle import listed_entries
from ..links import safe_url
from ..model import Article, BlockQuote, Citation, ListBlock, Sentence, styled_pieces
from .templating import environment, render, styled_markup

TEMPLATE = "article.md.j2"

# characters Pandoc's Markdown gives a meaning anywhere in a line (smart quotes included)
_INLINE = re.compile(r"""([\\`*_{}\[\]<>#$^~@&"'|])""")
# Pandoc's smart dashes and ellipses; list markers, headings, definitions, tables at a line's start
_DOUBLED = re.compile(r"(?<=-)-|(?<=\.)\.")
_LIST_START = re.compile(r"^(\(?[A-Za-z0-9]{1,9})([.)])(?=\s|$)")
_LINE_START = re.compile(r"^([-+=:%])")
_SIMPLE_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.#$%&+?<>~/-]*$")


def escape_markdown(text: str) -> str:
    """Plain text as Pandoc Markdown that prints exactly this text (safe at the start of a line too)."""
    text = " ".join(text.split())
    out = _INLINE.sub(r"\\\1", text)
    out = _DOUBLED.sub(r"\\\g<0>", out)
    out = _LIST_START.sub(r"\1\\\2", out)
    return _LINE_START.sub(r"\\\1", out)


def cite_key(key: str) -> str:
    """``@key``, or ``@{key}`` when the key holds characters Pandoc would end it at."""
    return f"@{key}" if _SIMPLE_KEY.match(key) and key[-1] not in ".:#$%&+?<>~/-" else "@{" + key + "}"


def citation_markup(citations: tuple[Citation, ...]) -> Markup:
    """A sentence's citations of works as one Pandoc citation: ``[@a, p. 12; @b]`` (nothing when it has
    none; explanatory notes are written by :class:`MarkdownText`)."""
    items = list(dict.fromkeys((c.key, c.locator) for c in citations if c.kind != "note"))
    if not items:
        return Markup("")
    parts = [cite_key(k) + (f", {_locator(loc)}" if loc else "") for k, loc in items]
    return Markup(" [" + "; ".join(parts) + "]")


def _locator(locator: str) -> str:
    """A locator as Pandoc's citation parser reads it: its special characters escaped, but not the full
    stop of "p." (no list can start there)."""
    return _INLINE.sub(r"\\\1", " ".join(locator.split()))


# the punctuation closing a sentence or a piece of one, which a citation goes before (Pandoc's idiom)
_CLOSING = re.compile(r"[.!?…,;:]+$")
# a last word that is an abbreviation ("U.S.", "e.g."): its full stop stays with it
_ABBREVIATION = re.compile(r"(?:^|\s)\S*[A-Za-z]\.[A-Za-z]{1,3}\.$")


def closing_punctuation(text: str) -> str:
    """The punctuation ending ``text`` that a citation is written before (``Karabakh [@k].``): full stop,
    ``!``, ``?``, ``…``, comma, semicolon, colon. Nothing when the text ends with a closing quote or
    bracket (``“… together.” [@k]``: the quotation is left as it stands) or an abbreviation's full stop."""
    text = text.rstrip()
    match = _CLOSING.search(text)
    if match is None or (match.group() == "." and _ABBREVIATION.search(text)):
        return ""
    return match.group()


def _styled(s: Sentence, split_tail: bool = False) -> tuple[str, str]:
    """A sentence's text with its spans as Pandoc emphasis, strong emphasis and links, and (with
    ``split_tail``) its closing punctuation apart when its last piece is plain text, so that a citation
    can stand before it."""
    pieces = styled_pieces(s)
    tail = ""
    last = pieces[-1] if pieces else None
    if split_tail and last is not None and not (last.italic or last.bold or last.url):
        tail = closing_punctuation(last.text)
        if tail:
            cut = last.text.rstrip()
            pieces = (*pieces[:-1], replace(last, text=cut[: len(cut) - len(tail)]))
    text = styled_markup(
        pieces,
        escape_markdown,
        italic=lambda body: f"*{body}*",
        bold=lambda body: f"**{body}**",
        link=lambda url, body: f"[{body}](<{url}>)",
    )
    return (text.rstrip() if tail else text), escape_markdown(tail) if tail else ""


class MarkdownText:
    """Running text of an article as Pandoc Markdown: one sentence a line (a piece joined to the one before
    stays on its line), citations ``[@key, p. 12]``, explanatory notes as inline notes ``^[…]``."""

    def __init__(self, article: Article) -> None:
        self.article = article

    def sentences(self, sentences: tuple[Sentence, ...] | list[Sentence]) -> Markup:
        return Markup(self._text(sentences, 0))

    def _text(self, sentences: tuple[Sentence, ...] | list[Sentence], depth: int) -> str:
        out = ""
        for i, s in enumerate(sentences):
            if i:
                out += "" if s.joined else "\n"
            cite = str(citation_markup(s.citations))
            text, tail = _styled(s, split_tail=bool(cite))
            # Pandoc's idiom: a citation before the closing punctuation, a footnote after it
            out += text + cite + tail + self._notes(s.citations, depth)
        return out

    def _notes(self, citations: tuple[Citation, ...], depth: int) -> str:
        out = ""
        for cite in citations:
            if cite.kind == "note" and depth < 4:
                note = self.article.explanatory_note(cite.key)
                out += "^[" + self._text(note.sentences, depth + 1).replace("\n", " ") + "]"
        return out

    def citations(self, citations: tuple[Citation, ...]) -> Markup:
        """Citations standing after a text that is no sentence (a key fact's value): ``[@a]^[note]``."""
        return Markup(str(citation_markup(citations)) + self._notes(citations, 0))

    def list_block(self, block: ListBlock) -> Markup:
        """A list, one item a line (``-`` or ``1.``), nested items indented four spaces a level."""
        lines = []
        for item in block.items:
            marker = "1." if block.ordered else "-"
            text = self._text(item.sentences, 0).replace("\n", " ")
            lines.append("    " * (max(item.depth, 1) - 1) + f"{marker} {text}")
        return Markup("\n".join(lines))


def _yaml(text: str) -> Markup:
    # Pandoc reads YAML strings as Markdown: escape for Markdown, then quote (JSON strings are YAML)
    return Markup(json.dumps(escape_markdown(text), ensure_ascii=False))


def _anchor(section_id: str) -> Markup:
    return Markup("{#" + section_id + "}")


def to_markdown(article: Article, templates: Path | str | None = None, bib_name: str = "kalbajar.bib") -> str:
    """The article as Pandoc Markdown; ``bib_name`` is the .bib written beside it."""
    env = environment(templates, escape=escape_markdown)
    env.filters.update(
        cite=citation_markup,
        yaml=_yaml,
        yaml_plain=lambda text: Markup(json.dumps(str(text), ensure_ascii=False)),
        anchor=_anchor,
        hashes=lambda level: Markup("#" * int(level)),
        http=lambda url: Markup(u) if (u := safe_url(url)) else None,
    )
    text = MarkdownText(article)
    env.filters.update(
        sentences=text.sentences,
        citations=text.citations,
        listmd=text.list_block,
        quoted=lambda lines: Markup("\n".join("> " + line for line in str(lines).split("\n"))),
    )
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    env.tests["list"] = lambda block: isinstance(block, ListBlock)
    cited = set(article.cited_keys())
    nocite = ", ".join(cite_key(e.key) for e in listed_entries(article) if e.key not in cited)
    return render(env, TEMPLATE, article=article, meta=article.metadata, bib_name=bib_name, nocite=nocite)
