"""The LaTeX writer: a standalone biblatex document (``\\footcite``, ``\\printbibliography``) that compiles
with pdfLaTeX and LuaLaTeX, and one fragment per section for ``\\input``."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from markupsafe import Markup
from pylatexenc.latexencode import (
    RULE_DICT,
    UnicodeToLatexConversionRule,
    UnicodeToLatexEncoder,
)

from ..links import safe_url
from ..model import Article, BlockQuote, Citation, ListBlock, Section, Sentence, styled_pieces
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


def escape_latex(text: str) -> str:
    """Plain Unicode text as LaTeX source that prints exactly this text (pylatexenc, ligatures broken)."""
    encoded: str = _encoder().unicode_to_latex(" ".join(text.split()))
    # brackets would be read as optional arguments after \item, \\ or a citation command
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


class LatexText:
    r"""Running text as LaTeX: one sentence a line (a piece joined to the one before stays on its line),
    works cited with ``\footcite``, explanatory notes as ``\footnote`` (works inside them ``\cite``d)."""

    def __init__(self, article: Article | None) -> None:
        self.article = article

    def sentences(self, sentences: tuple[Sentence, ...] | list[Sentence]) -> Markup:
        return Markup(self._text(sentences, 0))

    def _text(self, sentences: tuple[Sentence, ...] | list[Sentence], depth: int) -> str:
        out = ""
        command = "footcite" if depth == 0 else "cite"
        for i, s in enumerate(sentences):
            if i:
                out += "" if s.joined else "\n"
            out += _styled(s) + self._notes(s.citations, depth) + str(cite_command(s.citations, command))
        return out

    def _notes(self, citations: tuple[Citation, ...], depth: int) -> str:
        out = ""
        for cite in citations:
            if cite.kind == "note" and self.article is not None and depth < 4:
                note = self.article.explanatory_note(cite.key)
                out += "\\footnote{" + self._text(note.sentences, depth + 1).replace("\n", " ") + "}"
        return out

    def citations(self, citations: tuple[Citation, ...]) -> Markup:
        r"""Citations standing after a text that is no sentence (a key fact's value): ``\footcite`` and
        ``\footnote``."""
        return Markup(self._notes(citations, 0) + str(cite_command(citations)))

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


def _url_arg(url: str) -> str:
    # \url and \href read their URL verbatim; only braces, backslash, % and # need escaping
    return re.sub(r"([{}\\%#])", r"\\\1", url)


def _url(url: str | None) -> Markup | None:
    checked = safe_url(url)
    if checked is None:
        return None
    return Markup(r"\url{" + _url_arg(checked) + "}")


def _env(templates: Path | str | None, article: Article | None = None) -> jinja2.Environment:
    env = environment(templates, escape=escape_latex, latex=True)
    text = LatexText(article)
    env.filters.update(
        cite=cite_command,
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
    """The article as a standalone LaTeX document citing ``bib_name`` through biblatex, on ``paper``
    (``a4`` or ``letter``)."""
    if paper not in PAPER_OPTIONS:
        raise ValueError(f"unknown paper {paper!r} (known: {', '.join(PAPER_OPTIONS)})")
    env = _env(templates, article)
    values = {"article": article, "meta": article.metadata, "bib_name": bib_name}
    values["paper"] = Markup(PAPER_OPTIONS[paper])
    # rendered twice: the preamble loads tipa only for the characters the rendered text holds
    draft = render(env, TEMPLATE, **values, tipa=False)
    return render(env, TEMPLATE, **values, tipa=needs_tipa(draft)).lstrip()


def latex_section(
    section: Section, templates: Path | str | None = None, article: Article | None = None
) -> str:
    r"""One section (with its subsections) as a fragment for ``\input`` into a biblatex document;
    ``article`` resolves its explanatory notes."""
    return render(_env(templates, article), SECTION_TEMPLATE, section=section).lstrip()


def latex_sections(article: Article, templates: Path | str | None = None) -> dict[str, str]:
    """A fragment for every section and subsection, by section id, in reading order."""
    return {sec.id: latex_section(sec, templates, article) for sec in article.walk()}
