"""Inline markup to text runs: the small, escaped markup the story builder writes, read into runs of one
face, size, colour, rise and link each.

The markup is a subset of ReportLab's paragraph markup, and only what :mod:`.story` writes: ``<b>``,
``<i>``, ``<super>``, ``<font face= size= color=>``, ``<a href= color=>`` and ``<a name=/>`` (a
destination). Text is escaped by :func:`.markup.escape`, so ``<`` in the text never starts a tag here.
"""

from __future__ import annotations

import functools
import html
import re
from typing import NamedTuple

from reportlab.lib.colors import Color, toColor

from .fonts import face_name

# the size and rise of raised text (note markers), as fractions of the text's size
SUPER_SIZE = 0.8
SUPER_RISE = 0.36

_TAG = re.compile(r"<(/?)([a-z]+)((?:\s+[a-z]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR = re.compile(r"([a-z]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_FACES = {
    (False, False): "regular",
    (False, True): "italic",
    (True, False): "bold",
    (True, True): "bolditalic",
}
_FONTS = {key: face_name(face) for key, face in _FACES.items()}


@functools.lru_cache(maxsize=256)
def _color(value: str) -> Color:
    """A colour by its markup value, parsed once (a story names a handful, thousands of times); the same
    object each time, so that the paragraph's drawing sets it only when it changes."""
    color: Color = toColor(value)
    return color


class Run(NamedTuple):
    """Text set in one face, size and colour; ``href`` links it (``#name`` inside the document);
    ``anchor`` (with empty text) is a named destination at this point."""

    text: str
    font: str
    size: float
    color: Color | None = None
    rise: float = 0.0
    href: str = ""
    anchor: str = ""


class _State(NamedTuple):
    bold: bool
    italic: bool
    face: str  # an explicit face (<font face=>), else "" for the family's face
    size: float
    color: Color | None
    rise: float
    href: str

    def font(self) -> str:
        return self.face or _FONTS[self.bold, self.italic]


class MarkupError(ValueError):
    """Markup this reader does not know (a programming error: the story builder writes all markup)."""


def _faces_of(font: str) -> tuple[bool, bool]:
    for (bold, italic), name in _FONTS.items():
        if name == font:
            return bold, italic
    return False, False


def parse(markup: str, font: str, size: float) -> tuple[Run, ...]:
    """The runs of ``markup`` set in ``font`` at ``size`` (a paragraph style's face and size)."""
    bold, italic = _faces_of(font)
    base = _State(bold, italic, "" if (bold, italic) != (False, False) or font == _FONTS[False, False]
                  else font, size, None, 0.0, "")  # fmt: skip
    stack: list[tuple[str, _State]] = []
    state = base
    runs: list[Run] = []
    pos = 0

    def text(chunk: str) -> None:
        if chunk:
            if "&" in chunk:
                chunk = html.unescape(chunk)
            runs.append(Run(chunk, state.font(), state.size, state.color, state.rise, state.href))

    for m in _TAG.finditer(markup):
        text(markup[pos : m.start()])
        pos = m.end()
        closing, tag, attrs, empty = m.group(1), m.group(2), m.group(3), m.group(4)
        if closing:
            if not stack or stack[-1][0] != tag:
                raise MarkupError(f"unbalanced </{tag}> in {markup[:60]!r}")
            state = stack.pop()[1]
            continue
        values = {k: html.unescape(a if a else b) for k, a, b in _ATTR.findall(attrs)}
        if tag == "a" and "name" in values:
            runs.append(Run("", state.font(), state.size, state.color, state.rise, "", values["name"]))
            if not empty:
                stack.append((tag, state))
            continue
        if empty:
            raise MarkupError(f"unexpected <{tag}/> in {markup[:60]!r}")
        stack.append((tag, state))
        if tag == "b":
            state = _State(True, state.italic, "", state.size, state.color, state.rise, state.href)
        elif tag == "i":
            state = _State(state.bold, True, "", state.size, state.color, state.rise, state.href)
        elif tag == "super":
            state = _State(state.bold, state.italic, state.face, state.size * SUPER_SIZE, state.color,
                           state.rise + state.size * SUPER_RISE, state.href)  # fmt: skip
        elif tag == "font":
            state = _State(
                state.bold,
                state.italic,
                values.get("face", state.face),
                float(values.get("size", state.size)),
                _color(values["color"]) if "color" in values else state.color,
                state.rise,
                state.href,
            )
        elif tag == "a":
            color = _color(values["color"]) if "color" in values else state.color
            state = _State(state.bold, state.italic, state.face, state.size, color, state.rise,
                           values.get("href", ""))  # fmt: skip
        else:
            raise MarkupError(f"unknown tag <{tag}> in {markup[:60]!r}")
    text(markup[pos:])
    if stack:
        raise MarkupError(f"unclosed <{stack[-1][0]}> in {markup[:60]!r}")
    return tuple(runs)
