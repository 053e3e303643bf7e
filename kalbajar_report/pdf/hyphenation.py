"""Fast-loading pyphen dictionaries: patterns are parsed on first use, with pyphen's exact results.

``pyphen.HyphDict`` parses every pattern of a ``hyph_*.dic`` file when it is loaded (about 14,000 for
en_GB, some 60 ms), although a document hyphenates only a few hundred words. :class:`LazyHyphDict`
keeps only each pattern's key (its letters) and raw text, and parses a pattern the first time a word
looks it up. Hyphenation itself stays pyphen's: :func:`load_pyphen` returns a real ``pyphen.Pyphen``.
"""

from __future__ import annotations

import itertools
import re
from importlib.resources.abc import Traversable
from typing import Any

import pyphen

# A parsed pattern, as pyphen stores it: the offset of its first value and its values
# (``pyphen.DataInt`` for the values of a nonstandard ``/change,index,cut`` alternative).
Pattern = tuple[int, tuple[int, ...]]

# pyphen 0.18's parsing, reproduced; tests/test_hyphenation.py checks every shipped dictionary against it
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_VALUES_AND_LETTERS = re.compile(r"(\d?)(\D?)")
_VALUES = re.compile(r"(\d?)\D?")
_DIGIT = re.compile(r"\d")
_ASCII = bytes(range(128))
# a stripped line that pyphen skips (blank or ignored), found in "\n" + the lines joined by "\n"
_SKIPPED_LINE = re.compile(r"\n(?:" + "|".join(map(re.escape, _IGNORED)) + r"|(?=\n)|\Z)[^\n]*")


def _unhex(match: re.Match[str]) -> str:
    return chr(int(match.group(1), 16))


def _chop(values: tuple[int, ...]) -> Pattern | None:
    """A pattern's values stored as pyphen stores them: None if all zeros, else without the zeros at
    either end, with the offset of the first value kept."""
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return start, values[start:end]


def _parse_pattern(line: str) -> tuple[str, Pattern | None]:
    """One stripped pattern line parsed as pyphen parses it: its key and value (None: all zeros)."""
    pattern = _HEX.sub(_unhex, line)
    factory: Any = int
    if "/" in pattern and "=" in pattern:  # nonstandard hyphenation, e.g. ``c1c/c=,1,1``
        pattern, alternative = pattern.split("/", 1)
        factory = pyphen.AlternativeParser(pattern, alternative)
    tags, values = zip(
        *[(letter, factory(digit or "0")) for digit, letter in _VALUES_AND_LETTERS.findall(pattern)],
        strict=True,
    )
    return "".join(tags), _chop(values)


def _parse_plain(line: str) -> Pattern | None:
    """``_parse_pattern(line)[1]`` for a line without ``^^hh`` escapes or a ``/...=...`` alternative."""
    return _chop(tuple([int(digit) if digit else 0 for digit in _VALUES.findall(line)]))


def _read_patterns(path: Traversable) -> dict[str, str | Pattern | None]:
    """The patterns of a ``hyph_*.dic`` file by key, unparsed: each maps to its stripped line.

    A key is what pyphen would key the pattern by: its letters, the line without its digits. Lines
    that cannot be keyed so (``^^hh`` escapes, nonstandard ``/...=...`` alternatives) are parsed now,
    as are repeated keys, which pyphen resolves by value: the last pattern that is not all zeros wins.
    A parsed entry holds its value (None: all zeros, as if absent).
    """
    # the first line names the encoding, read as pyphen reads it (see "man 4 hunspell")
    with path.open("rb") as fd:
        encoding = fd.readline().decode()
    if encoding.lower() == "microsoft-cp1251":
        encoding = "cp1251"
    lines = list(map(str.strip, path.read_text(encoding).split("\n")[1:]))
    # remove the digits of all lines at once; ``\d`` also matches the decimal digits of other scripts
    text = "\n".join(lines)
    data = text.encode()
    if _DIGIT.search(data.translate(None, _ASCII).decode()) is None:
        keys = data.translate(None, b"0123456789").decode().split("\n")
    else:
        keys = _DIGIT.sub("", text).split("\n")
    if not ("^^" in text or ("/" in text and "=" in text)):
        # the usual file: key every line, then drop the skipped ones; this is pyphen's table unless a
        # pattern's key repeats or is also a skipped line's (then the line-by-line reading below is)
        table: dict[str, str | Pattern | None] = dict(zip(keys, lines, strict=True))
        skipped = [_DIGIT.sub("", line[1:]) for line in _SKIPPED_LINE.findall("\n" + text)]
        if len(table) == len(lines) - len(skipped) + len(set(skipped)):
            for key in set(skipped):
                del table[key]
            return table
    table = {}
    for line, key in zip(lines, keys, strict=True):
        if not line or line.startswith(_IGNORED):
            continue
        entry: str | Pattern | None
        if "^^" in line or ("/" in line and "=" in line):
            key, entry = _parse_pattern(line)
        elif key not in table:
            table[key] = line
            continue
        else:
            entry = _parse_plain(line)
        # pyphen skips an all-zero pattern, leaving any earlier pattern of its key in place
        if entry is not None or key not in table:
            table[key] = entry
    return table


class LazyHyphDict(pyphen.HyphDict):  # type: ignore[misc]
    """A ``pyphen.HyphDict`` whose patterns are parsed when a word first needs them.

    Lookups give what ``pyphen.HyphDict(path)`` gives: same patterns, same ``maxlen``, same positions.
    """

    def __init__(self, path: Traversable) -> None:
        # key -> stripped pattern line until first looked up, then its parsed value (None: all zeros)
        self._table = _read_patterns(path)
        self.cache: dict[str, list[int]] = {}  # word -> positions, as in pyphen
        self.maxlen = self._maxlen()

    def _lookup(self, key: str) -> Pattern | None:
        entry = self._table.get(key)
        if isinstance(entry, str):
            entry = self._table[key] = _parse_plain(entry)
        return entry

    def _maxlen(self) -> int:
        """The length of the longest key that has a pattern (not all zeros), as pyphen's ``maxlen``."""
        lengths = list(map(len, self._table))
        for length in range(max(lengths, default=0), 0, -1):
            keys = itertools.compress(self._table, map(length.__eq__, lengths))
            if any(self._lookup(key) is not None for key in keys):
                return length
        raise ValueError("no hyphenation patterns")  # pyphen: max() arg is an empty sequence

    @property
    def patterns(self) -> dict[str, Pattern]:
        """Every pattern, all parsed now: equal to ``pyphen.HyphDict(path).patterns``."""
        return {key: value for key in self._table if (value := self._lookup(key)) is not None}

    def positions(self, word: str) -> list[int]:
        """``pyphen.HyphDict.positions``, looking patterns up in the lazy table."""
        word = word.lower()
        points = self.cache.get(word)
        if points is None:
            table = self._table
            pointed_word = f".{word}."
            references = [0] * (len(pointed_word) + 1)
            for i in range(len(pointed_word) - 1):
                stop = min(i + self.maxlen, len(pointed_word)) + 1
                for j in range(i + 1, stop):
                    key = pointed_word[i:j]
                    pattern = table.get(key)  # self._lookup(key), inlined
                    if pattern is None:
                        continue
                    if isinstance(pattern, str):
                        pattern = table[key] = _parse_plain(pattern)
                        if pattern is None:
                            continue
                    offset, values = pattern
                    slice_ = slice(i + offset, i + offset + len(values))
                    references[slice_] = map(max, values, references[slice_])
            self.cache[word] = points = [
                pyphen.DataInt(i - 1, reference=reference)
                for i, reference in enumerate(references)
                if reference % 2
            ]
        return points


def load_pyphen(lang: str, left: int, right: int) -> pyphen.Pyphen:
    """A ``pyphen.Pyphen(lang=lang, left=left, right=right)`` whose dictionary loads lazily.

    The dictionary is pyphen's own for ``lang`` (same fallback); pyphen's shared cache is not used.
    """
    dic = pyphen.Pyphen.__new__(pyphen.Pyphen)
    dic.left, dic.right = left, right
    dic.hd = LazyHyphDict(pyphen.LANGUAGES[pyphen.language_fallback(lang)])
    return dic
