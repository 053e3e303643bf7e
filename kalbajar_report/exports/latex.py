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
from ..model import Article, BlockQuote, Citation, Section
from .templating import environment, render

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
# TeX ligatures of the T1 encoding that would merge literal characters: -- --- ,, !` ?`
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=,)(?=,)")


@functools.lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        conversion_rules=[UnicodeToLatexConversionRule(rule_type=RULE_DICT, rule=_LITERAL), "defaults"],
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


def cite_command(citations: tuple[Citation, ...]) -> Markup:
    r"""A sentence's citations as one ``\footcite{a,b}`` (nothing when it has none)."""
    keys = list(dict.fromkeys(c.key for c in citations))
    return Markup(r"\footcite{" + ",".join(keys) + "}") if keys else Markup("")


_HEADINGS = {1: "section", 2: "subsection", 3: "subsubsection", 4: "paragraph"}


def _heading(level: int) -> Markup:
    return Markup("\\" + _HEADINGS.get(int(level), "paragraph"))


def _url(url: str | None) -> Markup | None:
    checked = safe_url(url)
    if checked is None:
        return None
    # \url reads its argument verbatim; only its braces, backslash, % and # need escaping
    return Markup(r"\url{" + re.sub(r"([{}\\%#])", r"\\\1", checked) + "}")


def _env(templates: Path | str | None) -> jinja2.Environment:
    env = environment(templates, escape=escape_latex, latex=True)
    env.filters.update(cite=cite_command, heading=_heading, url=_url)
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    return env


def to_latex(article: Article, templates: Path | str | None = None, bib_name: str = "kalbajar.bib") -> str:
    """The article as a standalone LaTeX document citing ``bib_name`` through biblatex."""
    return render(
        _env(templates), TEMPLATE, article=article, meta=article.metadata, bib_name=bib_name
    ).lstrip()


def latex_section(section: Section, templates: Path | str | None = None) -> str:
    r"""One section (with its subsections) as a fragment for ``\input`` into a biblatex document."""
    return render(_env(templates), SECTION_TEMPLATE, section=section).lstrip()


def latex_sections(article: Article, templates: Path | str | None = None) -> dict[str, str]:
    """A fragment for every section and subsection, by section id, in reading order."""
    return {sec.id: latex_section(sec, templates) for sec in article.walk()}
