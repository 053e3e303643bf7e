"""The briefing's fonts: Source Serif Pro from PyPI, registered with ReportLab, embedded and subset.

One source of truth for faces and coverage: a character the face cannot show falls back to the regular face
(which ships in the same package); one no face covers stops the build with a FontCoverageError.
"""

from __future__ import annotations

import functools
from pathlib import Path

import font_source_serif_pro
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from ..errors import FontCoverageError
from ..model import SourceLocation
from .markup import escape

FAMILY = "KSerif"
FACES: dict[str, str] = {
    "regular": "SourceSerifPro-Regular.ttf",
    "italic": "SourceSerifPro-It.ttf",
    "bold": "SourceSerifPro-Bold.ttf",
    "bolditalic": "SourceSerifPro-BoldIt.ttf",
}
_FALLBACK_ORDER = ("regular", "bold")
# characters ReportLab handles without glyph lookup (line breaking, spacing)
_INVISIBLE = frozenset("\n\r\t\u00ad\u200b")


def face_name(face: str) -> str:
    """The ReportLab font name of a face: ``KSerif-italic``."""
    return f"{FAMILY}-{face}"


class FontSet:
    """The registered faces and the characters each covers."""

    __slots__ = ("chars", "coverage", "files")

    def __init__(self, coverage: dict[str, frozenset[int]], files: dict[str, str]) -> None:
        self.coverage = coverage
        self.files = files
        self.chars: dict[str, frozenset[str]] = {
            face: frozenset(map(chr, codes)) | _INVISIBLE for face, codes in coverage.items()
        }

    def covers(self, face: str, char: str) -> bool:
        """True when ``face`` has a glyph for ``char``."""
        return char in _INVISIBLE or ord(char) in self.coverage[face]

    def markup(self, text: str, face: str = "regular", where: SourceLocation | str | None = None) -> str:
        """``text`` escaped for a ReportLab paragraph, uncovered characters set in a fallback face.

        Raises FontCoverageError naming the character and ``where`` when no face covers it.
        """
        if self.chars[face].issuperset(text):  # the common case, at C speed
            return escape(text)
        out: list[str] = []
        for char in text:
            if self.covers(face, char):
                out.append(escape(char))
                continue
            fallback = next((f for f in _FALLBACK_ORDER if self.covers(f, char)), None)
            if fallback is None:
                problem = f"no font covers {char!r} (U+{ord(char):04X}) in {text[:40]!r}"
                if isinstance(where, SourceLocation):
                    raise FontCoverageError(problem, where.file, where.line)
                raise FontCoverageError(f"{where}: {problem}" if where else problem)
            out.append(f'<font face="{face_name(fallback)}">{escape(char)}</font>')
        return "".join(out)

    def check_face(self, text: str, face: str, where: SourceLocation | str | None) -> None:
        """Raise FontCoverageError unless ``face`` itself has every glyph (text drawn on the canvas has no
        fallback face)."""
        missing = next((c for c in text if not c.isspace() and not self.covers(face, c)), None)
        if missing is None:
            return
        problem = f"the {face} face has no {missing!r} (U+{ord(missing):04X}) in {text[:40]!r}"
        if isinstance(where, SourceLocation):
            raise FontCoverageError(problem, where.file, where.line)
        raise FontCoverageError(f"{where}: {problem}" if where else problem)

    def check(self, text: str, face: str, where: SourceLocation | str | None) -> None:
        """Raise FontCoverageError if some character of ``text`` has no glyph in any face."""
        self.markup(text, face, where)


@functools.lru_cache(maxsize=1)
def load_fonts() -> FontSet:
    """Register the four faces with ReportLab (once per process) and return their coverage."""
    folder = Path(font_source_serif_pro.font_directory)
    coverage: dict[str, frozenset[int]] = {}
    files: dict[str, str] = {}
    for face, filename in FACES.items():
        path = folder / filename
        font = TTFont(face_name(face), str(path))
        pdfmetrics.registerFont(font)
        coverage[face] = frozenset(font.face.charToGlyph)
        files[face] = filename
    for face, bold, italic in (("regular", 0, 0), ("bold", 1, 0), ("italic", 0, 1), ("bolditalic", 1, 1)):
        addMapping(FAMILY, bold, italic, face_name(face))
    pdfmetrics.registerFontFamily(
        FAMILY,
        normal=face_name("regular"),
        bold=face_name("bold"),
        italic=face_name("italic"),
        boldItalic=face_name("bolditalic"),
    )
    return FontSet(coverage, files)


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """``text`` as drawn on the canvas in ``width`` points: shortened with an ellipsis when too long."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)  # the longest prefix that fits with the ellipsis
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def wrap_words(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` in lines of at most ``width`` points, broken between words (inside a word only when it is
    wider than a line), for the few short texts drawn on the canvas."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, size) > width and len(word) > 1:
            cut = max(1, len(fit_text(word, font, size, width)) - 1)  # characters that fit
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    lines.append(current)
    return lines
