"""The jinja2 environments of the text exports: shipped templates, user overrides, escaping per format.

Content is data, never markup: every value a template prints passes through the format's escape function
(``finalize``) unless a filter has already turned it into :class:`markupsafe.Markup`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..errors import TemplateError
from ..links import safe_url
from ..model import StyledText
from ..resources import data_dir

Escape = Callable[[str], str]


def _shipped_source(name: str) -> str | None:
    item = data_dir("templates") / name
    return item.read_text(encoding="utf-8") if item.is_file() else None


def _loader(templates: Path | str | None) -> jinja2.BaseLoader:
    shipped = jinja2.FunctionLoader(_shipped_source)
    if templates is None:
        return shipped
    folder = Path(templates)
    if not folder.is_dir():
        raise TemplateError("templates directory does not exist", str(folder))
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), shipped])


def _finalizer(escape: Escape) -> Callable[[Any], str]:
    def finalize(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, Markup):
            return str(value)
        return escape(str(value))

    return finalize


def environment(
    templates: Path | str | None,
    *,
    escape: Escape | None = None,
    html: bool = False,
    latex: bool = False,
) -> jinja2.Environment:
    """An environment for one format: HTML autoescapes; other formats escape through ``escape``.

    LaTeX templates use ``\\VAR{…}``, ``\\BLOCK{…}`` and ``\\#{…}`` so that TeX braces need no care.
    """
    options: dict[str, Any] = {
        "loader": _loader(templates),
        "undefined": jinja2.StrictUndefined,
        "keep_trailing_newline": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if html:
        options["autoescape"] = True
    elif escape is not None:
        options["autoescape"] = False
        options["finalize"] = _finalizer(escape)
    if latex:
        options.update(
            block_start_string=r"\BLOCK{",
            block_end_string="}",
            variable_start_string=r"\VAR{",
            variable_end_string="}",
            comment_start_string=r"\#{",
            comment_end_string="}",
            line_comment_prefix="%#",
        )
    return jinja2.Environment(**options)


def render(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render template ``name``; jinja's errors become a TemplateError naming the template and line."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"template syntax error: {exc.message}", exc.filename or name, exc.lineno
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}", name) from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template failed: {exc}", name) from None


def styled_markup(
    pieces: tuple[StyledText, ...],
    escape: Escape,
    italic: Callable[[str], str],
    bold: Callable[[str], str],
    link: Callable[[str, str], str],
) -> str:
    """Styled pieces of a sentence (:func:`~kalbajar_report.model.styled_pieces`) as a text format's markup:
    each piece escaped, then wrapped by ``italic``, ``bold`` and ``link(url, body)`` as its styles say.
    An escape collapses and strips spaces, and markup must not start or end with one, so the spaces around
    a piece stand outside it; a link is kept only when it is http or https."""
    out = []
    for piece in pieces:
        core = piece.text.strip()
        if not core:
            out.append(" " if piece.text else "")
            continue
        lead = " " if piece.text[0].isspace() else ""
        trail = " " if piece.text[-1].isspace() else ""
        body = escape(core)
        if piece.italic:
            body = italic(body)
        if piece.bold:
            body = bold(body)
        url = safe_url(piece.url)
        if url:
            body = link(url, body)
        out.append(lead + body + trail)
    return "".join(out)
