"""Parsed paragraphs and line breaks kept from one build to the next in one process.

A :class:`LineCache` is an explicit object (held by a :class:`~kalbajar_report.pdf.Typesetter`), never
module state. A rebuild in a watch loop parses and breaks again only the paragraphs whose markup, style or
measure changed; everything else is taken from the build before. An entry not used by a build is dropped
at the start of the next one, so the cache holds at most two builds' worth of paragraphs.

ReportLab's ``Paragraph.split`` changes the class of the last word of a split part (a hyphenated word at
the end of a page becomes a plain one); the cache records every word's class and restores it on reuse, so
a paragraph split at a different place in a later build starts from the state it had when first broken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from reportlab.platypus import Paragraph

from .linebreaking import break_lines

Key = tuple[Any, ...]


@dataclass(frozen=True)
class _Breaks:
    """One paragraph's line breaks and the paragraph state ``breakLines`` leaves behind."""

    style: Any  # kept alive so that the id() in the key cannot be reused by another style
    blpara: Any
    frags: list[Any]
    width_max: float
    hyphenations: int
    split_long_words: int
    classes: tuple[tuple[Any, type], ...]

    @classmethod
    def of(cls, para: Paragraph, blpara: Any) -> _Breaks:
        """What ``para.breakLines`` just computed (``blpara``) and left on ``para``."""
        return cls(
            para.style,
            blpara,
            para.frags,
            para._width_max,
            para._hyphenations,
            para._splitLongWordCount,
            _word_classes(blpara, para.frags),
        )

    def restore(self, para: Paragraph) -> Any:
        """Put ``para`` in the state the computation left it in, and return its result."""
        for obj, cls in self.classes:
            if obj.__class__ is not cls:
                obj.__class__ = cls
        para.frags = self.frags
        para.height = 0
        para._width_max = self.width_max
        para._hyphenations = self.hyphenations
        para._splitLongWordCount = self.split_long_words
        return self.blpara


def _word_classes(blpara: Any, frags: list[Any]) -> tuple[tuple[Any, type], ...]:
    """Every object whose class ``split`` may change: the frag words (kind 1) or the line words (kind 0)."""
    if blpara.kind == 1:
        return tuple((w, type(w)) for w in frags)
    return tuple((w, type(w)) for line in blpara.lines for w in line[1])


def _widths(width: Any) -> tuple[float, ...]:
    return tuple(width) if isinstance(width, (list, tuple)) else (width,)


class LineCache:
    """Parse results and line breaks of paragraphs, by markup, style and measure, for the next build."""

    def __init__(self) -> None:
        self._current: dict[Key, Any] = {}
        self._previous: dict[Key, Any] = {}
        self.hits = 0
        self.misses = 0

    def new_build(self) -> None:
        """Start a build: what the last build did not use is forgotten."""
        self._previous, self._current = self._current, {}
        self.hits = self.misses = 0

    def _get(self, key: Key) -> Any:
        value = self._current.get(key)
        if value is None:
            value = self._previous.pop(key, None)
            if value is not None:
                self._current[key] = value
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    # --- parsing ---------------------------------------------------------------------------------------
    def frags(self, text: str, style: Any) -> list[Any] | None:
        found: tuple[Any, list[Any]] | None = self._get(("frags", text, id(style)))
        return None if found is None else list(found[1])

    def keep_frags(self, text: str, style: Any, frags: list[Any]) -> None:
        self._current[("frags", text, id(style))] = (style, list(frags))

    # --- line breaking ---------------------------------------------------------------------------------
    def breaks(self, para: Paragraph, width: Any, compute: Callable[[Any], Any]) -> Any:
        """``compute(width)`` (the paragraph's own ``breakLines``), or its result from an earlier build that
        broke the same markup in the same style at the same measure."""
        widths = _widths(width)
        key = ("lines", para.text, id(para.style), widths, para.bulletText)
        found: _Breaks | None = self._get(key)
        if found is None or found.style is not para.style:
            blpara = compute(list(widths) if isinstance(width, (list, tuple)) else width)
            self._current[key] = _Breaks.of(para, blpara)
            return blpara
        return found.restore(para)


P = TypeVar("P", bound="CachedBreaks")


def make_paragraph(cls: type[P], text: str, style: Any, cache: LineCache | None) -> P:
    """``cls(text, style)``, parsed once per cache, breaking its lines through the cache."""
    para: P
    if cache is None:
        para = cls(text, style)
        return para
    frags = cache.frags(text, style)
    if frags is not None:
        para = cls(text, style, frags=frags)
    else:
        para = cls(text, style)
        if para.style is style:  # the markup did not restyle the paragraph (<para> attributes)
            cache.keep_frags(text, style, para.frags)
    para.line_cache = cache
    return para


class CachedBreaks(Paragraph):  # type: ignore[misc]
    """A paragraph that breaks its lines once per measure and through
    :func:`~kalbajar_report.pdf.linebreaking.break_lines` (ReportLab's breaker, faster).

    ReportLab breaks a paragraph again each time it is wrapped: when a heading's keep-with-next group is
    measured and then placed, when a paragraph is measured again to split a note, when it moves to the next
    page. The last breaks are kept on the paragraph itself (they go when it does) and given back for the
    same measure and style. With a ``line_cache`` (a :class:`~kalbajar_report.pdf.Typesetter`'s), breaks
    also outlive the build. The parts a split makes carry no line cache (their frags are word lists, not
    markup); they keep their own last breaks like any paragraph.
    """

    line_cache: LineCache | None = None
    source: Any = None  # where the text comes from (a SourceLocation), for layout errors
    _last_breaks: tuple[Key, _Breaks] | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)
        for part in parts:
            part.source = self.source
        return parts

    def breakLines(self, width: Any) -> Any:
        cache = self.line_cache
        if cache is not None and isinstance(self.text, str):
            return cache.breaks(self, width, lambda w: break_lines(self, w))
        key = (_widths(width), self.bulletText)
        last = self._last_breaks
        if last is not None and last[0] == key and last[1].style is self.style:
            return last[1].restore(self)
        blpara = break_lines(self, width)
        self._last_breaks = (key, _Breaks.of(self, blpara))
        return blpara
