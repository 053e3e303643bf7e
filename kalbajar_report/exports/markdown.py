"""The Markdown writer: Pandoc Markdown with ``[@key]`` citations, to be rendered with ``pandoc --citeproc``
next to the ``.bib`` (the YAML header names it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from markupsafe import Markup

from ..citestyle import listed_entries
from ..links import safe_url
from ..model import Article, BlockQuote, Citation
from .templating import environment, render

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
    """A sentence's citations as one Pandoc citation: ``[@a; @b]`` (nothing when it has none)."""
    keys = list(dict.fromkeys(c.key for c in citations))
    if not keys:
        return Markup("")
    return Markup(" [" + "; ".join(cite_key(k) for k in keys) + "]")


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
    env.tests["quote"] = lambda block: isinstance(block, BlockQuote)
    cited = set(article.cited_keys())
    nocite = ", ".join(cite_key(e.key) for e in listed_entries(article) if e.key not in cited)
    return render(env, TEMPLATE, article=article, meta=article.metadata, bib_name=bib_name, nocite=nocite)
