"""Our paragraph: runs → boxes, glue and penalties → breaks for the whole paragraph → lines drawn on
ReportLab's canvas through its public API (text objects, word spacing, link rectangles, destinations).

Justified text stretches and shrinks its interword glue as TeX does; punctuation and hyphens at a line's
end protrude into the margin; hyphenation points come from pyphen, only when a paragraph cannot be set
well without them; URLs break after ``/ . - ? &`` and a word wider than the measure anywhere, without a
hyphen; no break between "ISBN" or "p." and what follows, a number and its unit, an initial and a name.
A paragraph's breaks are computed once per measure; its parts after a page break keep them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import compress, pairwise, repeat
from operator import ne
from typing import Any, NamedTuple

import pyphen
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from . import hyphencache, pagebuilder
from .hyphencache import PointsCache
from .inline import Run, parse
from .knuthplass import BOX, GLUE, INFINITY, PENALTY, Breaks, Items, Parameters, break_paragraph, first_pass

MARK_PREFIX = "m-"

# how far a character at a line's end may hang into the right margin, as a share of its width
PROTRUSION = {".": 0.7, ",": 0.7, "-": 0.7, "\u2010": 0.7, ":": 0.5, ";": 0.5, "\u2019": 0.7,
              "'": 0.7, "\u201d": 0.5, '"': 0.5, "\u2013": 0.3, "\u2014": 0.2, "!": 0.2, "?": 0.2,
              ")": 0.1}  # fmt: skip
EXPANSION = 0.02  # how much a justified line's glyphs may widen or narrow (microtype's default, 2%)
SHRINK = 0.2  # how much an interword space may shrink, as a share of its width (TeX: a third)
NBSP = "\u00a0"
ZWSP = "\u200b"
SHY = "\u00ad"
HYPHENS = "-\u2010"
_HYPHEN_SET = frozenset(HYPHENS)
HYPHEN_PENALTY = 50.0
URL_PENALTY = 40.0
LAST_RESORT_PENALTY = 3000.0
MIN_HYPHENATED = 5  # letters in a word pyphen may split
URL_BREAK_AFTER = "/.-?&=_#"
# no break after these words (or before a unit after a number)
TIE_AFTER = frozenset(
    "ISBN ISSN OCLC p. pp. No. no. Nos. Vol. vol. § ch. Fig. fig. Mr. Mrs. Ms. Dr. Gen. Col. Maj. Lt. Capt. "
    "Sgt. St. Prof. c. ca.".split()
)
UNITS = frozenset(
    "km m cm mm kg g t ha mi ft km² m² sq % °C °F per MW kW GB MB kB pt in am pm BC AD BCE CE".split()
)
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$")
_NUMBER = re.compile(r"^[\d][\d,.\u2009]*$")
_LETTERS = re.compile(rf"[^\W\d_]{{{MIN_HYPHENATED},}}")
_OTHER_SEPARATORS = "\t\n\r" + NBSP + ZWSP + SHY  # what ends a word besides a plain space
_SEPARATOR = re.compile(f"[ {_OTHER_SEPARATORS}]")
_SEPARATOR_NOT_SPACE = re.compile(f"[{_OTHER_SEPARATORS}]")
_KINDS = {NBSP: "nbsp", ZWSP: "zw"}
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_SPECIAL = re.compile(f"[{HYPHENS}{SHY}]|{_URL.pattern}", re.IGNORECASE)  # hyphens, URLs
# a run without these holds no word that _SPECIAL matches
_SPECIAL_ANYWHERE = re.compile(f"[{HYPHENS}{SHY}]|://|www\\.", re.IGNORECASE)
# a marker occurrence's anchor, as story.py writes it
_MARKER = re.compile(f'<a name="{re.escape(MARK_PREFIX)}([^"]*)"/>')


class Hyphenator:
    """English (GB) hyphenation by pyphen's public API, each word's points computed once.

    The dictionary is loaded when a paragraph first needs a word's points that the per-user cache
    (:mod:`~kalbajar_report.pdf.hyphencache`) does not hold (``KALBAJAR_REPORT_CACHE=off``: no cache).
    :meth:`save` writes what a build learnt to the cache."""

    def __init__(self, lang: str = "en_GB", left: int = 2, right: int = 3) -> None:
        self.lang, self.left, self.right = lang, left, right
        self._dic: pyphen.Pyphen | None = None
        self._cache: PointsCache | None = None
        self._points: dict[str, tuple[int, ...]] = {}

    def points(self, word: str) -> tuple[int, ...]:
        """Where ``word`` may break (character offsets), by pyphen."""
        found = self._points.get(word)
        if found is None:
            cache = self._disk()
            found = cache.get(word)
            if found is None:
                if self._dic is None:
                    self._dic = pyphen.Pyphen(lang=self.lang, left=self.left, right=self.right)
                found = tuple(self._dic.positions(word))
                cache.add(word, found)
            self._points[word] = found
        return found

    def save(self) -> None:
        """Write the points learnt since the last save to the per-user cache."""
        if self._cache is not None:
            self._cache.save()

    def _disk(self) -> PointsCache:
        if self._cache is None:
            folder = hyphencache.cache_folder()
            stamp = (
                hyphencache.dictionary_stamp(self.lang, pyphen.__version__, pyphen.LANGUAGES)
                if folder
                else None
            )
            self._cache = PointsCache(folder, self.lang, self.left, self.right, stamp)
        return self._cache


class Setter:
    """What the paragraphs of a build share: the hyphenator and measured words; with ``keep`` (a
    :class:`~kalbajar_report.pdf.Typesetter`'s, kept across builds) also every paragraph's runs and breaks,
    for the next build. Without it a paragraph's breaks live and go with the paragraph."""

    __slots__ = ("_previous", "breaks", "hits", "hyphenator", "keep", "misses", "runs", "widths")

    def __init__(self, hyphenator: Hyphenator | None = None, keep: bool = False) -> None:
        self.hyphenator = Hyphenator() if hyphenator is None else hyphenator
        self.keep = keep
        self.widths: dict[tuple[str, float], dict[str, float]] = {}
        self.runs: dict[tuple[str, str, float], tuple[Run, ...]] = {}
        self.breaks: dict[tuple[Any, ...], Broken] = {}
        self._previous: dict[tuple[Any, ...], Broken] = {}
        self.hits = 0
        self.misses = 0

    def new_build(self) -> None:
        """Start a build: breaks the last build did not use are forgotten."""
        self._previous, self.breaks = self.breaks, {}
        self.hits = self.misses = 0

    def width(self, text: str, font: str, size: float) -> float:
        measured = self.widths_of(font, size)
        w = measured.get(text)
        if w is None:
            w = measured[text] = stringWidth(text, font, size)
        return w

    def widths_of(self, font: str, size: float) -> dict[str, float]:
        """The widths measured so far in one face and size, by text (fill it with :meth:`width`)."""
        found = self.widths.get((font, size))
        if found is None:
            found = self.widths[(font, size)] = {}
        return found

    def parse(self, markup: str, font: str, size: float) -> tuple[Run, ...]:
        if not self.keep:
            return parse(markup, font, size)
        key = (markup, font, size)
        runs = self.runs.get(key)
        if runs is None:
            runs = self.runs[key] = parse(markup, font, size)
        return runs

    def store(self, key: tuple[Any, ...], broken: Broken) -> None:
        if self.keep:
            self.breaks[key] = broken

    def cached(self, key: tuple[Any, ...]) -> Broken | None:
        if not self.keep:
            return None
        found = self.breaks.get(key)
        if found is None:
            found = self._previous.pop(key, None)
            if found is not None:
                self.breaks[key] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found


#: what an item draws: (run, text, width) parts (a box's pieces, a glue's space, a penalty's hyphen); a
#: plain tuple, made once per word, the widths measured once
Piece = tuple[tuple[Run, str, float], ...]

_EMPTY: Piece = ()


class Line(NamedTuple):
    """One set line: items ``start`` to ``end`` (the break), whether it ends at a hyphen, its marker
    occurrences and the ratio its glue is set at."""

    start: int
    end: int
    hyphenated: bool
    occurrences: tuple[str, ...]


class Broken(NamedTuple):
    """A paragraph broken at one measure: its items, what they draw, the breaks and the lines."""

    items: Items
    pieces: list[Piece]
    breaks: Breaks
    lines: tuple[Line, ...]


class Shape(NamedTuple):
    """The measures of a paragraph's lines, from its style and the frame's width."""

    first: float
    other: float
    first_indent: float
    left: float


def shape_of(style: Any, width: float) -> Shape:
    left = float(style.leftIndent)
    right = float(style.rightIndent)
    first_indent = left + float(style.firstLineIndent)
    return Shape(width - first_indent - right, width - left - right, first_indent, left)


def _word_text(parts: list[tuple[Run, str]]) -> str:
    return "".join(t for _, t in parts)


class _Builder:
    """Boxes, glue and penalties from runs, with what each item draws."""

    def __init__(self, setter: Setter, justified: bool, measure: float, hyphenate: bool) -> None:
        self.setter = setter
        self.justified = justified
        self._expansion = EXPANSION if justified else 0.0  # glyphs may widen or narrow, as pdfTeX's expansion
        self.measure = measure
        self.hyphenate = hyphenate
        # (kind, width, stretch, shrink, penalty, flagged, protrusion, optional) of each item
        self.rows: list[tuple[int, float, float, float, float, bool, float, bool]] = []
        self.pieces: list[Piece] = []
        self._space_run: Run | None = None
        self._space_row: tuple[int, float, float, float, float, bool, float, bool] = (
            GLUE, 0.0, 0.0, 0.0, 0.0, False, 0.0, False,
        )  # fmt: skip
        self._space_piece: Piece = _EMPTY

    def box(self, parts: list[tuple[Run, str]], known: float | None = None) -> None:
        """A box of ``parts`` (``known``: the width of a single part, measured already)."""
        if known is not None and len(parts) == 1:
            run, text = parts[0]
            self.push(known, ((run, text, known),), run, text)
            return
        width = self.setter.width
        w = 0.0
        measured = []
        for run, text in parts:
            pw = width(text, run.font, run.size) if text else 0.0
            measured.append((run, text, pw))
            w += pw
        if parts:
            self.push(w, tuple(measured), *parts[-1])
        else:
            self.push(w, (), None, "")

    def push(self, w: float, piece: Piece, run: Run | None, text: str) -> None:
        """Add a box ``w`` wide that draws ``piece`` and ends in ``run``'s ``text``; the glue after it may
        let that text's last character protrude."""
        share = PROTRUSION.get(text[-1]) if text else None
        if share and run is not None and not run.rise:
            self._protrude = share * self.setter.width(text[-1], run.font, run.size)
        else:
            self._protrude = 0.0
        e = w * self._expansion
        self.rows.append((BOX, w, e, e, 0.0, False, 0.0, False))
        self.pieces.append(piece)

    def glue(self, run: Run, breakable: bool) -> None:
        if not breakable:
            self.penalty(INFINITY, 0.0, None, False)
        if run is not self._space_run:  # most spaces of a paragraph are in one run: one row and piece for all
            sw = self.setter.width(" ", run.font, run.size)
            stretch, shrink = (sw * 0.5, sw * SHRINK) if self.justified else (0.0, 0.0)
            self._space_run = run
            self._space_row = (GLUE, sw, stretch, shrink, 0.0, False, 0.0, False)
            self._space_piece = ((run, " ", sw),)
        row = self._space_row
        if breakable and self._protrude:  # the word before it may hang into the margin at a break here
            row = (GLUE, row[1], row[2], row[3], 0.0, False, self._protrude, False)
        self.rows.append(row)
        self.pieces.append(self._space_piece)

    def penalty(
        self, value: float, width: float, hyphen: Run | None, flagged: bool, optional: bool = False
    ) -> None:
        prot = 0.0
        if hyphen is not None:
            prot = PROTRUSION["-"] * width
        self.rows.append((PENALTY, width, 0.0, 0.0, value, flagged, prot, optional))
        self.pieces.append(((hyphen, "-", width),) if hyphen is not None else _EMPTY)

    def word(
        self, parts: list[tuple[Run, str]], cuts: dict[int, tuple[float, bool, bool]] | None = None
    ) -> None:
        """A word's boxes, with the breaks it allows inside: after its hyphens, inside a URL, at
        hyphenation points, anywhere as a last resort when it is wider than the measure (``cuts``: its
        breaks when the caller has found them already)."""
        if len(parts) == 1:
            run, text = parts[0]
            natural = self.setter.width(text, run.font, run.size)
            if natural <= self.measure and not (self.hyphenate or _SPECIAL.search(text)):
                self.push(natural, ((run, text, natural),), run, text)  # the common word: no break inside
                return
        else:
            text = _word_text(parts)
            natural = sum(self.setter.width(t, r.font, r.size) for r, t in parts if t)
        if cuts is None:
            cuts = self._url_cuts(text) if _URL.match(text) else self._hyphen_cuts(text)
        if natural > self.measure:  # a last resort: any place inside a piece wider than the measure
            run = parts[0][0]
            edges = [0, *sorted(cuts), len(text)]
            for start, end in pairwise(edges):
                if end - start > 1 and self.setter.width(text[start:end], run.font, run.size) > self.measure:
                    for i in range(start + 1, end):
                        cuts.setdefault(i, (LAST_RESORT_PENALTY, False, False))
        if not cuts:
            self.box(parts)
            return
        # split the parts at the cut offsets, in order (each part takes the cuts inside it)
        order = sorted(cuts)
        k = 0
        offset = 0
        current: list[tuple[Run, str]] = []
        for run, t in parts:
            start = 0
            end = offset + len(t)
            while k < len(order) and order[k] < end:
                at = order[k]
                k += 1
                i = at - offset
                if at > 0 and (i > start or current):
                    current.append((run, t[start:i]))
                    self._emit_cut(current, cuts[at])
                    current = []
                    start = i
            current.append((run, t[start:]))
            offset = end
        self.box(current)

    def _emit_cut(self, parts: list[tuple[Run, str]], cut: tuple[float, bool, bool]) -> None:
        value, hyphen, optional = cut
        self.box(parts)
        if hyphen:
            run = next((r for r, t in reversed(parts) if t), parts[-1][0])
            self.penalty(value, self.setter.width("-", run.font, run.size), run, True, optional)
        else:
            last = next((t for _, t in reversed(parts) if t), "")
            explicit = bool(last) and last[-1] in HYPHENS
            self.penalty(value, 0.0, None, explicit, optional)
            if explicit:  # the hyphen already drawn hangs like a hyphen
                k, w, stretch, shrink, value, flagged, _, optional = self.rows[-1]
                self.rows[-1] = (k, w, stretch, shrink, value, flagged, self._protrude, optional)

    def _url_cuts(self, text: str) -> dict[int, tuple[float, bool, bool]]:
        scheme = text.find("://")
        skip = scheme + 3 if scheme >= 0 else 0
        return {
            i + 1: (URL_PENALTY, False, False)
            for i, ch in enumerate(text[:-1])
            if i + 1 > skip and ch in URL_BREAK_AFTER and text[i + 1] not in URL_BREAK_AFTER
        }

    def _hyphen_cuts(self, text: str) -> dict[int, tuple[float, bool, bool]]:
        cuts: dict[int, tuple[float, bool, bool]] = {}
        if text.isalpha():  # the common word: letters only, no hyphen, soft hyphen, slash or at sign
            if self.hyphenate and len(text) >= MIN_HYPHENATED and not text.isupper():
                for p in self.setter.hyphenator.points(text):
                    cuts[p] = (HYPHEN_PENALTY, True, True)
            return cuts
        if not _HYPHEN_SET.isdisjoint(text):
            for i, ch in enumerate(text[:-1]):
                if ch in HYPHENS and i >= 2 and len(text) - i > 3 and text[i - 1].isalpha():
                    cuts[i + 1] = (HYPHEN_PENALTY, False, False)
            return cuts  # as TeX: a word with a hyphen breaks only there
        if SHY in text:
            return cuts
        if not self.hyphenate or "/" in text or "@" in text:
            return cuts
        for m in _LETTERS.finditer(text):
            core = m.group()
            if core.isupper():
                continue  # an acronym
            for p in self.setter.hyphenator.points(core):
                cuts[m.start() + p] = (HYPHEN_PENALTY, True, True)
        return cuts

    def finish(self) -> None:
        self.penalty(INFINITY, 0.0, None, False)
        self.rows.append((GLUE, 0.0, 1e6, 0.0, 0.0, False, 0.0, False))
        self.pieces.append(_EMPTY)
        self.penalty(-INFINITY, 0.0, None, False)


def _ties(previous: str, following: str) -> bool:
    """No break between these two words."""
    if previous in TIE_AFTER:
        return True
    if previous[-1:] == "." and _INITIAL.match(previous):
        return True
    return following in UNITS and previous[:1].isdigit() and bool(_NUMBER.match(previous))


def build_items(
    runs: Sequence[Run], setter: Setter, justified: bool, measure: float, hyphenate: bool
) -> tuple[Items, list[Piece]]:
    """The items of a paragraph and what each draws."""
    words: list[tuple[list[tuple[Run, str]], Run | None, str]] = []  # parts, the space after, its kind
    current: list[tuple[Run, str]] = []
    for run in runs:
        if run.anchor:
            current.append((run, ""))
            continue
        text = run.text
        if _SEPARATOR_NOT_SPACE.search(text) is None:  # the common run: words and plain spaces
            chunks = text.split(" ")
            if chunks[0]:  # continues the word before it (or starts one)
                current.append((run, chunks[0]))
            if len(chunks) == 1:
                continue
            if current:
                words.append((current, run, "space"))
            # the words between its first and last space, each followed by one (empty: spaces collapse)
            words += [([(run, chunk)], run, "space") for chunk in chunks[1:-1] if chunk]
            current = [(run, chunks[-1])] if chunks[-1] else []
            continue
        start = 0
        for m in _SEPARATOR.finditer(text):
            i, ch = m.start(), m.group()
            if i > start:
                current.append((run, text[start:i]))
            start = i + 1
            if ch == SHY:
                current.append((run, SHY))
            elif current:
                words.append((current, run, _KINDS.get(ch, "space")))
                current = []
            # else: a space at the start or after another space (collapsed)
        if start < len(text):
            current.append((run, text[start:]))
    if current:
        words.append((current, None, ""))
    builder = _Builder(setter, justified, measure, hyphenate)
    builder._protrude = 0.0
    plain = [p[0][1] if len(p) == 1 else _word_text(p).replace(SHY, "") for p, _, _ in words]
    last = len(words) - 1
    # the common word (one run, no hyphen, URL or soft hyphen, narrower than the measure, nothing to
    # hyphenate) is one box, without the general word path
    run_of: Run | None = None
    simple = checked = False
    measured: dict[str, float] = {}
    push, glue, hyphen_cuts = builder.push, builder.glue, builder._hyphen_cuts
    for index, (parts, space, kind) in enumerate(words):
        if len(parts) == 1:
            run, text = parts[0]
            if run is not run_of:
                run_of = run
                # a run without hyphens or URLs holds only simple words; in one with them, each word is asked
                simple = run.rise == 0
                checked = simple and _SPECIAL_ANYWHERE.search(run.text) is None
                measured = setter.widths_of(run.font, run.size)
            w = None
            if simple and text and (checked or _SPECIAL.search(text) is None):
                w = measured.get(text)
                if w is None:
                    w = setter.width(text, run.font, run.size)
            if w is None or w > measure:
                builder.word(parts)
            elif hyphenate and len(text) >= MIN_HYPHENATED:
                cuts = hyphen_cuts(text)  # found once: the general path takes them
                if cuts:
                    builder.word(parts, cuts)
                else:
                    push(w, ((run, text, w),), run, text)
            else:
                push(w, ((run, text, w),), run, text)
        elif any(t == SHY for _, t in parts):
            _soft_hyphen_word(builder, parts)
        else:
            builder.word(parts)
        if space is None or index == last:
            continue
        if kind == "space":
            previous, following = plain[index], plain[index + 1]
            if previous in TIE_AFTER or previous[-1:] == "." or following in UNITS:
                glue(space, not _ties(previous, following))
            else:
                glue(space, True)
        elif kind == "zw":
            builder.penalty(0.0, 0.0, None, False)
        else:
            glue(space, False)
    builder.finish()
    return Items.of(builder.rows), builder.pieces


def _soft_hyphen_word(builder: _Builder, parts: list[tuple[Run, str]]) -> None:
    current: list[tuple[Run, str]] = []
    for run, t in parts:
        if t == SHY:
            if current:
                builder._emit_cut(current, (HYPHEN_PENALTY, True, False))
                current = []
            continue
        current.append((run, t))
    builder.box(current or [(parts[-1][0], "")])


class Para(Flowable):  # type: ignore[misc]
    """A paragraph we break and set ourselves, from our inline markup and a ReportLab ParagraphStyle.

    ``note_occurrences`` are the marker occurrences it holds (anchors ``m-OCC``); :meth:`split_at` keeps
    lines without breaking the paragraph again."""

    source: Any = None  # where the text comes from (a SourceLocation), for layout errors

    def __init__(
        self,
        text: str,
        style: Any,
        setter: Setter,
        bullet: str = "",
        *,
        _part: tuple[Broken, int, int, float] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.setter = setter
        self.bulletText = bullet
        self._part = _part
        self._lines: list[Line] | None = None
        self._width = -1.0
        self._items: Items | None = None
        self._pieces: list[Piece] = []
        self._breaks: Breaks | None = None
        self._broken: Broken | None = None
        self._first_line = 0 if _part is None else _part[1]
        # the markers it holds, found in the markup; the markup is read into runs only when the paragraph
        # is first broken (a long story holds strings until then, not objects the collector walks)
        self.note_occurrences: tuple[str, ...] = (
            tuple(dict.fromkeys(_MARKER.findall(text))) if _part is None and MARK_PREFIX in text else ()
        )
        self.height = 0.0
        self.width = 0.0

    # --- breaking --------------------------------------------------------------------------------------
    @property
    def justified(self) -> bool:
        return bool(self.style.alignment == TA_JUSTIFY)

    def lines(self, width: float) -> list[Line]:
        """The paragraph's lines at ``width`` (broken once per width)."""
        if self._lines is not None and abs(width - self._width) < 1e-6:
            return self._lines
        self._width = width
        if self._part is not None:
            broken, first, last, part_width = self._part
            if abs(part_width - width) < 1e-6:
                self._broken = broken
                self._items, self._pieces, self._breaks = broken.items, broken.pieces, broken.breaks
                self._lines = list(broken.lines[first:last])
                return self._lines
            raise ValueError("a split part of a paragraph is set at the width of its first part")
        shape = shape_of(self.style, width)
        key = (self.text, self.style.name, id(self.style), round(width, 4), self.bulletText)
        found = self.setter.cached(key)
        if found is None:
            items, pieces, breaks = self._break(shape)
            markers = bool(self.note_occurrences)  # the markup's marker anchors, found at __init__
            found = Broken(items, pieces, breaks, tuple(_lines_of(items, pieces, breaks, markers)))
            self.setter.store(key, found)
        self._broken = found
        self._items, self._pieces, self._breaks = found.items, found.pieces, found.breaks
        self._lines = list(found.lines)
        return self._lines

    def _break(self, shape: Shape) -> tuple[Items, list[Piece], Breaks]:
        st = self.style
        widths = [shape.first, shape.other]
        measure = min(widths)
        hyphenate = bool(getattr(st, "hyphenationLang", ""))
        justified = self.justified
        params = Parameters(emergency_stretch=2.0 * float(st.fontSize), ragged=not justified)
        runs = self.setter.parse(self.text, st.fontName, st.fontSize)
        items, pieces = build_items(runs, self.setter, justified, measure, False)
        if not justified or not hyphenate:
            return items, pieces, break_paragraph(items, widths, params, hyphenate=False)
        first = first_pass(items, widths, params)
        if first is not None:
            return items, pieces, first  # set well without hyphenation: pyphen is not asked
        items, pieces = build_items(runs, self.setter, justified, measure, True)
        return items, pieces, break_paragraph(items, widths, params, hyphenate=True, first=False)

    # --- flowable --------------------------------------------------------------------------------------
    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self.lines(availWidth)
        self.width = availWidth
        self.height = len(lines) * float(self.style.leading)
        return availWidth, self.height

    def texts(self, width: float) -> list[str]:
        """The text of each line at ``width``, a hyphen where a word is broken (for tests and debugging)."""
        lines = self.lines(width)
        out = []
        for line in lines:
            parts = []
            assert self._items is not None
            for i in range(line.start, line.end + 1):
                k = self._items.kind[i]
                if k == PENALTY and i != line.end:
                    continue
                if k == GLUE and i == line.end:
                    break
                parts += [t for _, t, _ in self._pieces[i] if t != SHY]
            out.append("".join(parts).strip())
        return out

    def line_count(self, width: float) -> int:
        return len(self.lines(width))

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines(availWidth)
        fit = int((availHeight + 1e-6) // float(self.style.leading))
        keep = pagebuilder.lines_to_keep([line.hyphenated for line in lines], fit, **widow_rules(self.style))
        return self.split_at(availWidth, keep)

    def split_at(self, width: float, keep: int) -> list[Flowable]:
        """The paragraph as two parts, the first ``keep`` lines and the rest ([] when ``keep`` is 0,
        [self] when it is every line)."""
        lines = self.lines(width)
        if keep <= 0:
            return []
        if keep >= len(lines):
            return [self]
        broken = self._broken
        assert broken is not None
        base = self._first_line
        parts: list[Flowable] = []
        for first, last in ((0, keep), (keep, len(lines))):
            part = self.__class__.__new__(self.__class__)
            Para.__init__(
                part,
                self.text,
                self.style,
                self.setter,
                self.bulletText if first == 0 and base == 0 else "",
                _part=(broken, base + first, base + last, width),
            )
            part.source = self.source
            part.note_occurrences = tuple(
                dict.fromkeys(o for line in lines[first:last] for o in line.occurrences)
            )
            part._space_before = first == 0
            part._space_after = last == len(lines)
            for name in getattr(self, "copy_attributes", ()):
                setattr(part, name, getattr(self, name))
            parts.append(part)
        return parts

    _space_before = True
    _space_after = True

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore) if self._space_before else 0.0

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter) if self._space_after else 0.0

    def draw(self) -> None:
        draw_lines(self.canv, self, self.lines(self.width or self._width))


def _ratio_limit(tolerance: float) -> float:
    return float((tolerance / 100.0) ** (1 / 3))


def widow_rules(style: Any) -> dict[str, int]:
    if getattr(style, "allowWidows", 1) and getattr(style, "allowOrphans", 1):
        return {"orphans": 1, "widows": 1}
    return {"orphans": 2, "widows": 2}


def _lines_of(items: Items, pieces: list[Piece], breaks: Breaks, markers: bool = True) -> list[Line]:
    """The lines of ``breaks``, with the marker occurrences each holds (looked for only when ``markers``:
    the paragraph's markup has some)."""
    lines: list[Line] = []
    start = 0
    kind = items.kind
    for end, hyphenated in zip(breaks.positions, breaks.flagged, strict=True):
        occs: list[str] = []
        if markers:
            for i in range(start, end):
                if kind[i] == BOX:
                    for run, _, _ in pieces[i]:
                        if run.anchor.startswith(MARK_PREFIX):
                            occs.append(run.anchor[len(MARK_PREFIX) :])
        lines.append(Line(start, end, hyphenated, tuple(dict.fromkeys(occs))))
        start = end + 1
        while start < len(kind) and kind[start] != BOX:
            if kind[start] == PENALTY and items.penalty[start] <= -INFINITY:
                break
            start += 1
    return lines


# --- drawing -------------------------------------------------------------------------------------------
def draw_lines(canv: Canvas, para: Para, lines: list[Line]) -> None:
    """Draw ``lines`` of ``para`` with the canvas's origin at the paragraph's bottom left."""
    st = para.style
    items = para._items
    pieces = para._pieces
    assert items is not None
    leading = float(st.leading)
    size = float(st.fontSize)
    width = para.width or para._width
    shape = shape_of(st, width)
    align = st.alignment
    color = st.textColor
    height = len(lines) * leading
    y = height - size - (leading - size) * 0.25
    first_index = para._first_line
    kind, iw, ist, ish = items.kind, items.width, items.stretch, items.shrink
    links: list[tuple[str, float, float, float, float]] = []
    # one text object for the paragraph: font, colour, word spacing and scaling carry over from line to line.
    # A line's last text is shown with textLine: the next line starts at an absolute setTextOrigin (see
    # _switch), so the cursor textOut would advance (measuring the whole string again) is never used, and
    # its T* (to the next line) reads as the line's end to text extraction
    tx = canv.beginText()
    state: tuple[Any, ...] = ()  # what the text object has set (see _switch)
    word_space = 0.0
    h_scale = 1.0
    for n, line in enumerate(lines):
        is_first = first_index + n == 0
        x0 = shape.first_indent if is_first else shape.left
        measure = shape.first if is_first else shape.other
        if is_first and para.bulletText:
            canv.setFont(
                getattr(st, "bulletFontName", st.fontName), float(getattr(st, "bulletFontSize", size))
            )
            canv.setFillColor(color)
            canv.drawString(float(getattr(st, "bulletIndent", 0)), y, para.bulletText)
        # natural width, stretch and shrink of the line: its boxes and glue summed in order (a penalty inside
        # the line adds no width; its stretch and shrink are 0)
        end = line.end
        start = line.start
        last_item = end if kind[end] == PENALTY and iw[end] else end - 1
        inside = kind[start:end]
        if PENALTY in inside:
            nat = sum(compress(iw[start:end], map(ne, inside, repeat(PENALTY))), 0.0)
        else:
            nat = sum(iw[start:end], 0.0)
        stretch = sum(ist[start:end], 0.0)
        shrink = sum(ish[start:end], 0.0)
        if kind[end] == PENALTY:
            nat += iw[end]
        target = measure + items.protrusion[end]
        last_line = kind[end] == PENALTY and items.penalty[end] <= -INFINITY
        ratio = 0.0
        if align == TA_JUSTIFY and not last_line:
            if nat < target and stretch > 0:
                ratio = (target - nat) / stretch
            elif nat > target and shrink > 0:
                ratio = max((target - nat) / shrink, -1.0)
        # glyphs take their share of the adjustment by horizontal scaling (the expansion of their boxes)
        scale = 1.0 + ratio * EXPANSION if align == TA_JUSTIFY else 1.0
        x = x0
        if align == TA_RIGHT:
            x += measure - nat
        elif align == TA_CENTER:
            x += (measure - nat) / 2
        if scale != h_scale:
            tx.setHorizScale(scale * 100)
            h_scale = scale
        style_key: tuple[Any, ...] = ()  # the run style the line is set in so far (none: move to its start)
        style_run: Run | None = None  # a run known to have that style (most pieces of a line share one)
        buf: list[str] = []  # text of the current run of one style, drawn with one operator
        for i in range(line.start, last_item + 1):
            k = kind[i]
            if k == GLUE:
                if i == end or not pieces[i]:
                    break  # the break, or the paragraph's final fill
                set_w = iw[i] + (ratio * ist[i] if ratio > 0 else ratio * ish[i])
                run = pieces[i][0][0]
                space = set_w / scale - iw[i]  # word spacing is scaled with the glyphs
                if run is not style_run:
                    key = (run.font, run.size, run.color, run.rise)
                    if key == style_key:
                        style_run = run
                if run is not style_run or abs(word_space - space) > 1e-9:
                    if buf:
                        tx.textOut("".join(buf))
                        buf.clear()
                    word_space = space
                    state = _switch(tx, run, color, x, y, word_space, state)
                    style_key, style_run = (run.font, run.size, run.color, run.rise), run
                buf.append(" ")
                x += set_w
                continue
            if k == PENALTY and i != end:
                continue
            for run, text, w in pieces[i]:
                if run.anchor:
                    canv.bookmarkHorizontal(run.anchor, x, y + size)
                    continue
                if not text or text == SHY:
                    continue
                w *= scale
                if run is not style_run:
                    key = (run.font, run.size, run.color, run.rise)
                    if key == style_key:
                        style_run = run
                    else:
                        if buf:
                            tx.textOut("".join(buf))
                            buf.clear()
                        state = _switch(tx, run, color, x, y, word_space, state)
                        style_key, style_run = key, run
                buf.append(text)
                if run.href:
                    links.append((run.href, x, y - size * 0.25, x + w, y + size * 0.85))
                x += w
        if buf:
            tx.textLine("".join(buf))
        y -= leading
    if h_scale != 1.0 or word_space:
        tx.setWordSpace(0)  # text state outlives the text object: leave it as found
        tx.setHorizScale(100)
    canv.drawText(tx)
    _draw_links(canv, links)


def _switch(
    tx: Any, run: Run, color: Any, x: float, y: float, word_space: float, state: tuple[Any, ...]
) -> tuple[Any, ...]:
    """Move the text object to ``x, y`` in ``run``'s style, setting only what differs from ``state`` (the
    style set so far in this text object: font, size, colour, rise, word spacing; empty at its start)."""
    fill = run.color if run.color is not None else color
    if not state or state[0] != run.font or state[1] != run.size:
        tx.setFont(run.font, run.size)
    if not state or state[2] is not fill:
        tx.setFillColor(fill)
    if not state or state[4] != word_space:
        tx.setWordSpace(word_space)
    tx.setTextOrigin(x, y + run.rise)
    return (run.font, run.size, fill, run.rise, word_space)


def _draw_links(canv: Canvas, links: list[tuple[str, float, float, float, float]]) -> None:
    merged: list[list[Any]] = []
    for href, x1, y1, x2, y2 in links:
        if merged and merged[-1][0] == href and abs(merged[-1][4] - y2) < 0.01 and x1 - merged[-1][3] < 8:
            merged[-1][3] = x2
            merged[-1][2] = min(merged[-1][2], y1)
            continue
        merged.append([href, x1, y1, x2, y2])
    for href, x1, y1, x2, y2 in merged:
        if href.startswith("#"):
            canv.linkRect("", href[1:], (x1, y1, x2, y2), relative=1, thickness=0)
        else:
            canv.linkURL(href, (x1, y1, x2, y2), relative=1, thickness=0)
