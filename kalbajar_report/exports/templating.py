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
