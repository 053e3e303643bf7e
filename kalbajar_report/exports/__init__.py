"""Exports of the article to the formats other documents are written in: Markdown (Pandoc), LaTeX
(biblatex), HTML, JSON (with its JSON Schema), CSL-JSON and RIS, plus the BibTeX library.

Each format has a module of its own that reads the model only; :func:`export` writes a format's files.
"""

from __future__ import annotations

from pathlib import Path

from ..build import BIB_NAME, briefing_bibtex, build_date
from ..model import Article
from ..output import ensure_dir, write_atomic
from .csl import csl_items, to_csl_json
from .html import to_html
from .jsonmodel import SCHEMA_NAME, SCHEMA_VERSION, article_data, schema_text, to_json
from .latex import escape_latex, latex_section, latex_sections, to_latex
from .markdown import escape_markdown, to_markdown
from .ris import to_ris

#: the export formats and what each writes (the PDF is the build's, see :func:`build_briefing`)
FORMATS: dict[str, tuple[str, ...]] = {
    "bib": (BIB_NAME,),
    "md": ("kalbajar.md", BIB_NAME),
    "latex": ("kalbajar.tex", "sections/<id>.tex", BIB_NAME),
    "html": ("kalbajar.html",),
    "json": ("kalbajar.json", SCHEMA_NAME),
    "csl": ("kalbajar.csl.json",),
    "ris": ("kalbajar.ris",),
}


def _write(path: Path, text: str) -> Path:
    return write_atomic(path, text.encode("utf-8"))


def export(
    article: Article, fmt: str, out_dir: Path | str, templates: Path | str | None = None
) -> list[Path]:
    """Write the files of format ``fmt`` (a key of FORMATS) into ``out_dir``; returns the paths written.

    Markdown and LaTeX come with the ``.bib`` they cite; JSON with its schema. ``templates`` is a folder
    whose templates (by file name) replace the shipped ones.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    folder = ensure_dir(Path(out_dir))
    written: list[Path] = []
    if fmt == "md":
        written.append(_write(folder / "kalbajar.md", to_markdown(article, templates, BIB_NAME)))
    elif fmt == "latex":
        written.append(_write(folder / "kalbajar.tex", to_latex(article, templates, BIB_NAME)))
        sections = ensure_dir(folder / "sections")
        for section_id, text in latex_sections(article, templates).items():
            written.append(_write(sections / f"{section_id}.tex", text))
    elif fmt == "html":
        written.append(_write(folder / "kalbajar.html", to_html(article, templates)))
    elif fmt == "json":
        written.append(_write(folder / "kalbajar.json", to_json(article)))
        written.append(_write(folder / SCHEMA_NAME, schema_text()))
    elif fmt == "csl":
        written.append(_write(folder / "kalbajar.csl.json", to_csl_json(article.bibliography)))
    elif fmt == "ris":
        written.append(_write(folder / "kalbajar.ris", to_ris(article.bibliography, templates)))
    if BIB_NAME in FORMATS[fmt]:
        written.append(_write(folder / BIB_NAME, briefing_bibtex(article, build_date())))
    return written


__all__ = [
    "FORMATS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "article_data",
    "csl_items",
    "escape_latex",
    "escape_markdown",
    "export",
    "latex_section",
    "latex_sections",
    "schema_text",
    "to_csl_json",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_ris",
]
