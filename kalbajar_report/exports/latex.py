"""The LaTeX writer: a standalone document that pdfLaTeX, LuaLaTeX and XeLaTeX compile alike with the packages
of TeX Live's scheme-medium, and one fragment per section for ``\\input`` into a biblatex document.

Every character reaches TeX as ASCII: what is not ASCII becomes a LaTeX command (pylatexenc) that the T1 and
TS1 fonts of Latin Modern, or tipa's, print under every engine. A character no such command prints (Cyrillic,
Armenian, Ə …) stops the build with a :class:`~kalbajar_report.errors.FontCoverageError` naming it, as the PDF
writer does, instead of a document that loses it. The standalone document types its notes out (the house
style, as the HTML and PDF print them), so it needs neither biblatex nor biber, which scheme-medium lacks;
the fragments cite with biblatex's ``\\footcite`` and the ``.bib`` written beside them."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from ..citestyle import Run, reference_groups
from ..errors import FontCoverageError
from ..housestyle import HOUSE_STYLE, CitationStyle
from ..links import safe_url
from ..model import Article, BlockQuote, Citation, ListBlock, Section, Sentence, styled_pieces
from ..notes import NoteTable
from .templating import environment, render, styled_markup

TEMPLATE = "article.tex.j2"
SECTION_TEMPLATE = "section.tex.j2"

# literal ASCII where LaTeX would typeset something else (curly quotes, guillemets, math)
_LITERAL = {
    ord('"'): r"\textquotedbl",
    ord("'"): r"\textquotesingle",
    ord("`"): r"\textasciigrave",
    ord("<"): r"\textless",
    ord(">"): r"\textgreater",
    ord("|"): r"\textbar",
}
#: IPA letters as TIPA commands (tipa's T3 font; pylatexenc leaves most as they are, and gives ɛ as the
#: math-only \varepsilon)
TIPA_CHARACTERS = {
    "ə": r"\textschwa",
    "ɛ": r"\textepsilon",
    "ɔ": r"\textopeno",
    "ʃ": r"\textesh",
    "ʒ": r"\textyogh",
    "ɪ": r"\textsci",
    "ʊ": r"\textupsilon",
    "ɑ": r"\textscripta",
    "ɡ": r"\textscriptg",
    "ɨ": r"\textbari",
    "ɸ": r"\textphi",
    "ʔ": r"\textglotstop",
    "ʞ": r"\textturnk",
}
_TIPA = {ord(c): command for c, command in TIPA_CHARACTERS.items()}
_TIPA_NAMES = frozenset(command[1:] for command in TIPA_CHARACTERS.values())
# TeX ligatures of the T1 encoding that would merge literal characters: -- --- ,, !` ?`
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=,)(?=,)")


@functools.lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        conversion_rules=[
            UnicodeToLatexConversionRule(rule_type=RULE_DICT, rule=_LITERAL | _TIPA),
            "defaults",
        ],
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


# the commands an escaped character may use: T1 accents and letters, TS1 (textcomp) and T1 text symbols,
# tipa's IPA letters; each one prints under pdfLaTeX, LuaLaTeX and XeLaTeX with T1 Latin Modern (a test
# compiles every printable character on every engine installed)
_ACCENTS = frozenset("'`^\"~=.uvHcdbkr")
_LETTER_COMMANDS = frozenset(
    "i j l L o O ae AE oe OE aa AA ss dh DH th TH ng NG dj DJ guillemotleft guillemotright guilsinglleft "
    "guilsinglright quotedblbase quotesinglbase".split()
)
_TEXT_COMMAND = re.compile(r"text[a-z]+")
#: text commands of pylatexenc's table that T1/TS1 Latin Modern does not print (or not as the character)
_UNPRINTABLE_TEXT = frozenset({"textsc", "textfrac", "textsuperscript", "textnrleg"})
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


@functools.lru_cache(maxsize=4096)
def printable(char: str) -> bool:
    """Whether the LaTeX export prints ``char`` on every engine (ASCII, or a command of T1, TS1 or tipa)."""
    if char.isascii():
        return True
    encoded: str = _encoder().unicode_to_latex(char)
    if not encoded.isascii() or not encoded.strip():
        return False
    for name in _COMMAND.findall(encoded):
        if name in _ACCENTS or name in _LETTER_COMMANDS or name in _TIPA_NAMES:
            continue
        if not _TEXT_COMMAND.fullmatch(name) or name in _UNPRINTABLE_TEXT:
            return False
    return True


def unprintable(text: str) -> str | None:
    """The first character of ``text`` the LaTeX export cannot print, or None."""
    return next((c for c in text if not printable(c)), None)


def escape_latex(text: str) -> str:
    """Plain Unicode text as LaTeX source that prints exactly this text (pylatexenc, ligatures broken).

    Raises FontCoverageError naming the first character no font of the document prints."""
    bad = unprintable(text)
    if bad is not None:
        raise FontCoverageError(
            f"LaTeX cannot print {bad!r} (U+{ord(bad):04X}) in {' '.join(text.split())[:60]!r}: "
            "the T1 and tipa fonts of TeX Live's scheme-medium have no such letter"
        )
    encoded: str = _encoder().unicode_to_latex(" ".join(text.split()))
    # brackets would be read as optional arguments after \\item, \\\\ or a citation command
    encoded = encoded.replace("[", "{[}").replace("]", "{]}")
    return _LIGATURES.sub("{}", encoded)


def cite_command(citations: tuple[Citation, ...], command: str = "footcite") -> Markup:
    r"""A sentence's citations of works as one ``\footcite{a,b}``, or ``\footcites[p.~12]{a}{b}`` when
    some carry a locator (nothing when it has none; explanatory notes are :class:`LatexText`'s)."""
    items = list(dict.fromkeys((c.key, c.locator) for c in citations if c.kind != "note"))
    if not items:
        return Markup("")
    if not any(loc for _, loc in items):
        return Markup(f"\\{command}{{" + ",".join(k for k, _ in items) + "}")
    if len(items) == 1:
        key, loc = items[0]
        return Markup(f"\\{command}[{escape_latex(loc or '')}]{{{key}}}")
    return Markup(f"\\{command}s" + "".join(f"[{escape_latex(loc or '')}]{{{k}}}" for k, loc in items))


def _styled(s: Sentence) -> str:
    r"""A sentence's text with its spans as ``\emph``, ``\textbf`` and ``\href``."""
    return styled_markup(
        styled_pieces(s),
        escape_latex,
        italic=lambda body: f"\\emph{{{body}}}",
        bold=lambda body: f"\\textbf{{{body}}}",
        link=lambda url, body: f"\\href{{{_url_arg(url)}}}{{{body}}}",
    )


def _edges(text: str, body: str) -> str:
    """``body`` (``text`` escaped, which strips its spaces) with the spaces around ``text`` put back."""
    return (" " if text[:1].isspace() else "") + body + (" " if text[-1:].isspace() and text.strip() else "")


def runs_latex(runs: tuple[Run, ...]) -> str:
    r"""A formatted reference as LaTeX: italics as ``\emph``, http(s) URLs as links whose text breaks like
    ``\url``'s; all text escaped."""
    out = []
    for run in runs:
        if not run.text.strip():
            out.append(" " if run.text else "")
            continue
        body = escape_latex(run.text)
        url = safe_url(run.url)
        if url is not None:
            shown = run.text.strip()
            if shown.lower().startswith(("http://", "https://")) and safe_url(shown) is not None:
                body = f"\\nolinkurl{{{_url_arg(shown)}}}"
            body = f"\\href{{{_url_arg(url)}}}{{{body}}}"
        if run.italic:
            body = f"\\emph{{{body}}}"
        out.append(_edges(run.text, body))
    return "".join(out)


_LABEL_KEY = re.compile(r"[^A-Za-z0-9:./-]")


def ref_label(key: str) -> Markup:
    """The ``\\label`` name of an entry in the references list (``ref:`` and the key, unsafe characters as
    ``-``)."""
    return Markup("ref:" + _LABEL_KEY.sub("-", key))


class TypedNotes:
    r"""The notes of the standalone document, typed out in the house style (what the HTML and PDF print):
    works a sentence cites as one ``\footnote``; works cited inside a note as their label, linked to the
    references list."""

    def __init__(self, article: Article, style: CitationStyle = HOUSE_STYLE) -> None:
        self.article = article
        self.style = style
        self.labels = NoteTable.of(article).entry_labels()
        self._seen: set[str] = set()

    def footnote(self, citations: tuple[Citation, ...]) -> str:
        """One ``\\footnote`` with the notes of the works cited (nothing when none is)."""
        bodies = []
        for key, locator in dict.fromkeys((c.key, c.locator) for c in citations if c.kind != "note"):
            first = key not in self._seen
            self._seen.add(key)
            bodies.append(runs_latex(self.style.note(self.article.bibliography[key], locator, first)))
        return "\\footnote{" + " ".join(bodies) + "}" if bodies else ""

    def inner(self, citations: tuple[Citation, ...]) -> str:
        """Works cited inside a note: ``[a]`` linked to their entry in the references list."""
        keys = dict.fromkeys(c.key for c in citations if c.kind != "note")
        links = [f"\\hyperref[{ref_label(k)}]{{{escape_latex(self.labels.get(k, k))}}}" for k in keys]
        return "~{[}" + ", ".join(links) + "{]}" if links else ""


class LatexText:
    r"""Running text as LaTeX: one sentence a line (a piece joined to the one before stays on its line),
    explanatory notes as ``\footnote``; works cited with ``\footcite`` (inside notes ``\cite``), or, with
    ``typed``, as footnotes typed out."""

    def __init__(self, article: Article | None, typed: TypedNotes | None = None) -> None:
        self.article = article
        self.typed = typed

    def sentences(self, sentences: tuple[Sentence, ...] | list[Sentence]) -> Markup:
        return Markup(self._text(sentences, 0))

    def _text(self, sentences: tuple[Sentence, ...] | list[Sentence], depth: int) -> str:
        out = ""
        for i, s in enumerate(sentences):
            if i:
                out += "" if s.joined else "\n"
            out += _styled(s) + self._notes(s.citations, depth) + self._works(s.citations, depth)
        return out

    def _works(self, citations: tuple[Citation, ...], depth: int) -> str:
        if self.typed is None:
            return str(cite_command(citations, "footcite" if depth == 0 else "cite"))
        return self.typed.footnote(citations) if depth == 0 else self.typed.inner(citations)

    def _notes(self, citations: tuple[Citation, ...], depth: int) -> str:
        out = ""
        for cite in citations:
            if cite.kind == "note" and self.article is not None and depth < 4:
                note = self.article.explanatory_note(cite.key)
                out += "\\footnote{" + self._text(note.sentences, depth + 1).replace("\n", " ") + "}"
        return out

    def citations(self, citations: tuple[Citation, ...]) -> Markup:
        r"""Citations standing after a text that is no sentence (a key fact's value, a quotation's
        attribution): the explanatory notes' and the works' footnotes."""
        return Markup(self._notes(citations, 0) + self._works(citations, 0))

    def list_block(self, block: ListBlock) -> Markup:
        """A list as nested ``itemize`` or ``enumerate`` environments."""
        env = "enumerate" if block.ordered else "itemize"
        lines: list[str] = []
        depth = 0
        for item in block.items:
            target = min(max(item.depth, 1), 4)  # LaTeX nests lists four deep
            while depth < target:
                lines.append(f"\\begin{{{env}}}")
                depth += 1
            while depth > target:
                lines.append(f"\\end{{{env}}}")
                depth -= 1
            lines.append("\\item " + self._text(item.sentences, 0).replace("\n", " "))
        lines += [f"\\end{{{env}}}"] * depth
        return Markup("\n".join(lines))


_HEADINGS = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


def _heading(level: int) -> Markup:
    return Markup("\\" + _HEADINGS.get(int(level), "paragraph"))


_URL_SAFE = "".join(chr(i) for i in range(33, 127))


def _url_arg(url: str) -> str:
    # \url and \href read their URL verbatim; only braces, backslash, % and # need escaping. An IRI's
    # letters are percent-encoded (UTF-8), so the URL reaches TeX as ASCII under every engine.
    return re.sub(r"([{}\\%#])", r"\\\1", quote(url, safe=_URL_SAFE))


def _url(url: str | None) -> Markup | None:
    checked = safe_url(url)
    if checked is None:
        return None
    return Markup(r"\url{" + _url_arg(checked) + "}")


def _env(
    templates: Path | str | None, article: Article | None = None, typed: TypedNotes | None = None
) -> jinja2.Environment:
    env = environment(templates, escape=escape_latex, latex=True)
    text = LatexText(article, typed)
    env.filters.update(
        cite=cite_command if typed is None else text.citations,
        reflabel=ref_label,
        reference=lambda entry: Markup(runs_latex((typed.style if typed else HOUSE_STYLE).reference(entry))),
        heading=_heading,
        url=_url,
        sentences=text.sentences,
        listtex=text.list_block,
        citations=text.citations,
    )
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    env.tests["list"] = lambda block: isinstance(block, ListBlock)
    return env


#: ``paper`` (the CLI's ``--paper``) → the class option of the LaTeX document
PAPER_OPTIONS = {"a4": "a4paper", "letter": "letterpaper"}

_TIPA_COMMAND = re.compile(r"\\(?:" + "|".join(c[1:] for c in TIPA_CHARACTERS.values()) + r")(?![A-Za-z])")


def needs_tipa(latex: str) -> bool:
    """Whether LaTeX source uses a TIPA command (the document then loads tipa; else it does not, and
    compiles without tipa.sty)."""
    return _TIPA_COMMAND.search(latex) is not None


def to_latex(
    article: Article,
    templates: Path | str | None = None,
    bib_name: str = "kalbajar.bib",
    paper: str = "a4",
) -> str:
    """The article as a standalone LaTeX document on ``paper`` (``a4`` or ``letter``): its notes typed out
    in the house style, its references listed; it compiles with pdfLaTeX, LuaLaTeX or XeLaTeX (run twice
    for the links) and needs no biblatex. ``bib_name``: the .bib written beside it, for the fragments.

    Raises FontCoverageError when the text holds a character LaTeX cannot print (see :func:`printable`)."""
    if paper not in PAPER_OPTIONS:
        raise ValueError(f"unknown paper {paper!r} (known: {', '.join(PAPER_OPTIONS)})")

    def rendered(tipa: bool) -> str:
        typed = TypedNotes(article)
        return render(
            _env(templates, article, typed),
            TEMPLATE,
            article=article,
            meta=article.metadata,
            bib_name=bib_name,
            paper=Markup(PAPER_OPTIONS[paper]),
            groups=reference_groups(article, typed.labels),
            labels=typed.labels,
            tipa=tipa,
        )

    # rendered twice: the preamble loads tipa only for the characters the rendered text holds
    return rendered(needs_tipa(rendered(False))).lstrip()


def latex_section(
    section: Section, templates: Path | str | None = None, article: Article | None = None
) -> str:
    r"""One section (with its subsections) as a fragment for ``\input`` into a biblatex document;
    ``article`` resolves its explanatory notes."""
    return render(_env(templates, article), SECTION_TEMPLATE, section=section).lstrip()


def latex_sections(article: Article, templates: Path | str | None = None) -> dict[str, str]:
    """A fragment for every section and subsection, by section id, in reading order."""
    return {sec.id: latex_section(sec, templates, article) for sec in article.walk()}
