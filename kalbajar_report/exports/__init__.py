"""Exports of the article to the formats other documents are written in: Markdown (Pandoc), LaTeX
(biblatex), HTML, JSON (with its JSON Schema), CSL-JSON, RIS and Typst, plus the BibTeX library; Word
(docx), OpenDocument (odt) and EPUB through Pandoc, when the ``office`` extra is installed.

Each format has a module of its own that reads the model only; :func:`export` writes a format's files.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from ..build import bib_name, briefing_bibtex, build_date, dated_bibliography, output_slug
from ..errors import TemplateError
from ..model import Article
from ..output import commit, ensure_dir
from ..resources import MAX_INPUT_BYTES
from .csl import csl_items, to_csl_json
from .html import to_html
from .jsonmodel import SCHEMA_NAME, SCHEMA_VERSION, article_data, schema_name, schema_text, to_json
from .latex import escape_latex, latex_section, latex_sections, to_latex
from .markdown import escape_markdown, to_markdown
from .office import OFFICE_FORMATS, pandoc_available, to_office
from .ris import to_ris
from .typst import escape_typst, to_typst

if TYPE_CHECKING:
    from ..housestyle import CitationStyle

#: the export formats and what each writes (the PDF is the build's, see :func:`build_briefing`);
#: ``<slug>`` stands for the article's slug (``article.metadata.slug``), ``<id>`` for a section id.
FORMATS: dict[str, tuple[str, ...]] = {
    "bib": ("<slug>.bib",),
    "md": ("<slug>.md", "<slug>.bib"),
    "latex": ("<slug>.tex", "sections/<id>.tex", "<slug>.bib"),
    "html": ("<slug>.html",),
    "json": ("<slug>.json", SCHEMA_NAME),
    "csl": ("<slug>.csl.json",),
    "ris": ("<slug>.ris",),
    "typst": ("<slug>.typ", "<slug>.bib"),
    # through Pandoc (the ``office`` extra): binary files, every citation and note a real footnote
    "docx": ("<slug>.docx",),
    "odt": ("<slug>.odt",),
    "epub": ("<slug>.epub",),
}

#: the most entries (files and folders, at any depth) a ``--templates`` folder may hold; it is checked
#: file by file before jinja2 reads it
MAX_TEMPLATE_FILES = 1000


def check_templates(templates: Path | str) -> None:
    """Refuse a templates folder jinja2 could hang or drown on: only regular files of at most
    MAX_INPUT_BYTES each (a FIFO would block its reader, a device never ends), at most
    MAX_TEMPLATE_FILES entries (files and folders) in all. Symbolic links are judged by what they point to."""
    folder = Path(templates)
    try:
        mode = os.stat(folder).st_mode
    except OSError as exc:
        raise TemplateError(f"templates directory: {exc.strerror or exc}", str(folder)) from None
    if not stat.S_ISDIR(mode):
        raise TemplateError("templates path is not a directory", str(folder))
    count = 0
    for root, dirs, names in os.walk(folder, followlinks=True):  # jinja2 follows links too
        count += len(dirs) + len(names)
        if count > MAX_TEMPLATE_FILES:
            raise TemplateError(
                f"more than {MAX_TEMPLATE_FILES} entries in the templates folder", str(folder)
            )
        for name in names:
            path = os.path.join(root, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # a dangling link: jinja2 reports it only if a template asks for it
            if not stat.S_ISREG(info.st_mode):
                raise TemplateError("not a regular file (a template must be a text file)", path)
            if info.st_size > MAX_INPUT_BYTES:
                raise TemplateError(f"template larger than {MAX_INPUT_BYTES // 2**20} MiB", path)


def export_names(article: Article, fmt: str) -> tuple[str, ...]:
    """The names format ``fmt`` writes for ``article`` (``sections/<id>.tex`` stays a pattern)."""
    slug = output_slug(article)
    return tuple(name.replace("<slug>", slug) for name in FORMATS[fmt])


def render_export(
    article: Article,
    fmt: str,
    templates: Path | str | None = None,
    day: dt.date | None = None,
    style: CitationStyle | None = None,
    paper: str = "a4",
) -> dict[str, bytes]:
    """The files of format ``fmt`` in memory: relative name → bytes, nothing written yet.

    ``day`` dates the briefing's own .bib entry (default: :func:`~kalbajar_report.build.build_date`);
    ``style`` sets the HTML's notes and references (default: the house style; the Markdown and LaTeX
    exports leave citations to Pandoc and biblatex, the Typst export to Typst's chicago-notes);
    ``paper`` (``a4`` or ``letter``) the LaTeX document's. ``docx``, ``odt`` and ``epub`` need the
    ``office`` extra (without it, a :class:`~kalbajar_report.errors.MissingExtraError`); their notes are
    in the note style :data:`~kalbajar_report.exports.office.NOTE_STYLE`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    if templates is not None:
        check_templates(templates)
    slug = output_slug(article)
    bib = bib_name(slug)
    if fmt in OFFICE_FORMATS:  # our Markdown and its .bib, converted by Pandoc
        day = day or build_date()
        return {f"{slug}.{fmt}": to_office(article, fmt, briefing_bibtex(article, day), day, templates)}
    texts: dict[str, str] = {}
    if fmt == "md":
        texts[f"{slug}.md"] = to_markdown(article, templates, bib)
    elif fmt == "latex":
        texts[f"{slug}.tex"] = to_latex(article, templates, bib, paper=paper)
        for section_id, text in latex_sections(article, templates).items():
            texts[f"sections/{section_id}.tex"] = text
    elif fmt == "html":
        texts[f"{slug}.html"] = to_html(article, templates, style=style)
    elif fmt == "json":
        texts[f"{slug}.json"] = to_json(article)
        texts[schema_name(slug)] = schema_text()
    elif fmt == "csl":  # the briefing's own entry dated with the build, as the .bib has it
        texts[f"{slug}.csl.json"] = to_csl_json(dated_bibliography(article, day or build_date()))
    elif fmt == "ris":
        texts[f"{slug}.ris"] = to_ris(dated_bibliography(article, day or build_date()), templates)
    elif fmt == "typst":
        texts[f"{slug}.typ"] = to_typst(article, templates, bib)
    if "<slug>.bib" in FORMATS[fmt]:
        texts[bib] = briefing_bibtex(article, day or build_date())
    return {name: text.encode("utf-8") for name, text in texts.items()}


def export(
    article: Article,
    fmt: str,
    out_dir: Path | str,
    templates: Path | str | None = None,
    *,
    style: CitationStyle | None = None,
    paper: str = "a4",
) -> list[Path]:
    """Write the files of format ``fmt`` (a key of FORMATS) into ``out_dir``; returns the paths written.

    Names come from ``article.metadata.slug`` (``<slug>.md`` …). Markdown and LaTeX come with the
    ``.bib`` they cite; JSON with its schema. ``templates`` is a folder whose templates (by file name)
    replace the shipped ones. All files are rendered before any is written; they replace the previous
    ones together. For several formats as one set, use :func:`kalbajar_report.build.build_outputs`.
    ``style`` sets the HTML's notes and references list (default: the house style); ``paper``
    (``a4`` or ``letter``) the paper of the LaTeX document.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    folder = ensure_dir(Path(out_dir))
    return commit(folder, render_export(article, fmt, templates, style=style, paper=paper))


__all__ = [
    "FORMATS",
    "OFFICE_FORMATS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "article_data",
    "check_templates",
    "csl_items",
    "escape_latex",
    "escape_markdown",
    "escape_typst",
    "export",
    "export_names",
    "latex_section",
    "latex_sections",
    "pandoc_available",
    "render_export",
    "schema_name",
    "schema_text",
    "to_csl_json",
    "to_html",
    "to_json",
    "to_latex",
    "to_markdown",
    "to_office",
    "to_ris",
    "to_typst",
]
