"""The Typst writer: a standalone ``.typ`` document citing the ``.bib`` through Typst's own bibliography
support (``#cite`` with a note style, so works cited become footnotes), explanatory notes as
``#footnote``. It compiles with the ``typst`` command or the ``typst`` Python package."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..links import safe_url
from ..model import Article, BlockQuote, Citation, ListBlock, Sentence, styled_pieces
from .templating import environment, render, styled_markup

TEMPLATE = "article.typ.j2"

#: the citation style Typst sets the notes in: a note style, so every ``#cite`` becomes a footnote
CITATION_STYLE = "chicago-notes"

# every ASCII character with a meaning in Typst markup (emphasis, headings, lists, labels, references,
# math, code, comments, smart quotes, dashes, ellipses, shorthands such as ~ and -?, URLs such as
# https://…): a backslash before any of them prints the character itself
_MARKUP = re.compile(r"""([\\#$*_`<>@\[\]~/=\-+"'.:;,!?(){}%&^|])""")


def escape_typst(text: str) -> str:
    """Plain Unicode text as Typst markup that prints exactly this text (spaces collapsed to one)."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def typst_string(text: str) -> str:
    """A Typst string literal (code mode) holding ``text``."""
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    body = body.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{body}"'


def _label(name: str) -> str:
    # label("…") holds any key, even one with a "/" that the <key> syntax cannot hold
    return f"label({typst_string(name)})"


def cite_command(citations: tuple[Citation, ...]) -> Markup:
    """A sentence's citations of works as ``#cite(label("key"))``, with ``supplement: [p. 12]`` for a
    locator (explanatory notes are :class:`TypstText`'s)."""
    items = dict.fromkeys((c.key, c.locator) for c in citations if c.kind != "note")
    out = []
    for key, loc in items:
        supplement = f", supplement: [{escape_typst(loc)}]" if loc else ""
        out.append(f"#cite({_label(key)}{supplement})")
    return Markup("".join(out))


def _styled(s: Sentence) -> str:
    """A sentence's text with its spans as ``#emph``, ``#strong`` and ``#link``."""
    return styled_markup(
        styled_pieces(s),
        escape_typst,
        italic=lambda body: f"#emph[{body}]",
        bold=lambda body: f"#strong[{body}]",
        link=lambda url, body: f"#link({typst_string(url)})[{body}]",
    )


class TypstText:
    """Running text as Typst markup on one line: works cited with ``#cite`` (footnotes by the note style),
    explanatory notes as ``#footnote`` (works cited inside them are footnotes of the note)."""

    def __init__(self, article: Article | None) -> None:
        self.article = article

    def sentences(self, sentences: tuple[Sentence, ...] | list[Sentence]) -> Markup:
        return Markup(self._text(sentences, 0))

    def _text(self, sentences: tuple[Sentence, ...] | list[Sentence], depth: int) -> str:
        out = ""
        for i, s in enumerate(sentences):
            if i and not s.joined:
                out += " "
            out += _styled(s) + self._notes(s.citations, depth) + str(cite_command(s.citations))
        return out

    def _notes(self, citations: tuple[Citation, ...], depth: int) -> str:
        out = ""
        for cite in citations:
            if cite.kind == "note" and self.article is not None and depth < 4:
                note = self.article.explanatory_note(cite.key)
                out += "#footnote[" + self._text(note.sentences, depth + 1) + "]"
        return out

    def citations(self, citations: tuple[Citation, ...]) -> Markup:
        """Citations standing after a text that is no sentence (a key fact's value)."""
        return Markup(self._notes(citations, 0) + str(cite_command(citations)))

    def list_block(self, block: ListBlock) -> Markup:
        """A list as Typst markup: ``-`` (or ``+`` when ordered) items, indented two spaces a level."""
        marker = "+" if block.ordered else "-"
        lines = []
        for item in block.items:
            indent = "  " * (min(max(item.depth, 1), 8) - 1)
            lines.append(f"{indent}{marker} {self._text(item.sentences, 0)}")
        return Markup("\n".join(lines))


def _heading(level: int) -> Markup:
    return Markup("=" * min(max(int(level), 1), 6))


def _sec_label(section_id: str) -> Markup:
    """A section's label (``sec-<id>``) as a Typst ``label(…)`` expression, for ``#link`` and headings."""
    return Markup(_label(f"sec-{section_id}"))


def _url(url: str | None) -> Markup | None:
    checked = safe_url(url)
    if checked is None:
        return None
    return Markup(f"#link({typst_string(checked)})")


def _lang(language: str) -> Markup:
    """``en-GB`` → ``lang: "en", region: "GB"`` (what ``#set text`` takes); nothing for an odd tag."""
    match = re.fullmatch(r"([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}))?(?:[-_].*)?", language or "")
    if not match:
        return Markup("")
    out = f'lang: "{match.group(1).lower()}"'
    if match.group(2):
        out += f', region: "{match.group(2).upper()}"'
    return Markup(out)


def _env(templates: Path | str | None, article: Article | None = None) -> jinja2.Environment:
    env = environment(templates, escape=escape_typst)
    text = TypstText(article)
    env.filters.update(
        cite=cite_command,
        heading=_heading,
        seclabel=_sec_label,
        url=_url,
        sentences=text.sentences,
        listtyp=text.list_block,
        citations=text.citations,
        string=lambda value: Markup(typst_string(str(value))),
        lang=_lang,
    )
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    env.tests["list"] = lambda block: isinstance(block, ListBlock)
    return env


def to_typst(article: Article, templates: Path | str | None = None, bib_name: str = "kalbajar.bib") -> str:
    """The article as a standalone Typst document citing ``bib_name`` (beside it) in the
    ``chicago-notes`` style: works cited and explanatory notes are footnotes."""
    env = _env(templates, article)
    return render(
        env,
        TEMPLATE,
        article=article,
        meta=article.metadata,
        bib_name=bib_name,
        citation_style=CITATION_STYLE,
    ).lstrip()
