"""The exception hierarchy: every user mistake is a ReportError with a file, a line and a message."""

from __future__ import annotations


class ReportError(Exception):
    """A problem with the user's input or environment; the CLI prints it on one line and exits 2."""

    def __init__(self, message: str, file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ContentError(ReportError):
    """A syntax or consistency error in a content (.article) file."""


class BibliographyError(ReportError):
    """A malformed, duplicate or missing BibTeX entry."""


class UnknownSectionError(ReportError):
    """A section id that the article does not have."""


class FontCoverageError(ReportError):
    """A character that no font of the briefing can show."""


class PageLayoutError(ReportError):
    """Content that cannot be set on pages: notes too long to stand on the pages of their markers."""


class OutputError(ReportError):
    """An output directory that is missing or not writable."""


class TemplateError(ReportError):
    """A user template (``--templates DIR``) that is missing, malformed or fails while rendering."""


class StyleError(ReportError):
    """A citation style (``--csl``) that is unknown, unreadable or not a usable CSL style."""


class MissingExtraError(ReportError):
    """An output whose optional dependencies are not installed (``pip install 'kalbajar-report[office]'``)."""
