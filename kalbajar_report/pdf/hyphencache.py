"""A per-user cache of hyphenation points, so that a build need not load pyphen's dictionary again.

Loading the en-GB patterns takes pyphen about a tenth of a second, more than the rest of setting the
shipped briefing's paragraphs; TeX keeps its patterns in a precompiled format file and Typst in its binary
for the same reason. We keep, instead, the points pyphen gave for the words our builds have hyphenated:
``hyphenation-<lang>-<left>-<right>.json`` in the cache folder, valid only for the dictionary file and
pyphen version that made it (both recorded in it). The points are pyphen's own, so a build gives the same
bytes with the cache, without it and with a stale one.

The folder is ``$KALBAJAR_REPORT_CACHE`` when set (``off`` or empty: no cache), else
``$XDG_CACHE_HOME/kalbajar_report``, else ``~/.cache/kalbajar_report``. A cache that cannot be read or is
not what we wrote is ignored; one that cannot be written is skipped. Writes are atomic (a temporary file
renamed), and the file holds at most :data:`MAX_WORDS` words.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_WORDS = 50_000
ENV = "KALBAJAR_REPORT_CACHE"


def cache_folder() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no", "false") else Path(chosen)
    xdg = os.environ.get("XDG_CACHE_HOME")
    try:
        base = Path(xdg) if xdg else Path.home() / ".cache"
    except RuntimeError:  # no home folder
        return None
    return base / "kalbajar_report"


def dictionary_stamp(lang: str, version: str, languages: dict[str, Any]) -> str | None:
    """What the cached points depend on: pyphen's version and the dictionary file's digest."""
    path = languages.get(lang)
    if path is None:
        return None
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:32]
    except OSError:
        return None
    return f"pyphen {version}; {Path(path).name} {digest}"


class PointsCache:
    """The cached points of one dictionary and setting (``left``/``right``): read once, written at the end
    of a build when it learnt new words."""

    def __init__(self, folder: Path | None, lang: str, left: int, right: int, stamp: str | None) -> None:
        self.path = folder / f"hyphenation-{lang}-{left}-{right}.json" if folder and stamp else None
        self.stamp = stamp
        self.words: dict[str, tuple[int, ...]] = self._read() if self.path else {}
        self.new: dict[str, tuple[int, ...]] = {}

    def get(self, word: str) -> tuple[int, ...] | None:
        return self.words.get(word)

    def add(self, word: str, points: tuple[int, ...]) -> None:
        self.words[word] = points
        self.new[word] = points

    def _read(self) -> dict[str, tuple[int, ...]]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("stamp") != self.stamp:
            return {}
        words = data.get("words")
        if not isinstance(words, dict) or len(words) > MAX_WORDS:
            return {}
        out: dict[str, tuple[int, ...]] = {}
        for word, points in words.items():
            if not (
                isinstance(points, list)
                and all(type(p) is int and 0 < p < len(word) for p in points)
                and points == sorted(set(points))
            ):
                return {}  # not what we wrote: ignore the whole file
            out[word] = tuple(points)
        return out

    def save(self) -> None:
        """Write the words learnt since the last save (merged with what another build wrote meanwhile)."""
        if self.path is None or not self.new:
            return
        merged = self._read()
        merged.update(self.new)
        self.new = {}
        if len(merged) > MAX_WORDS:
            return
        text = json.dumps(
            {"format": FORMAT, "stamp": self.stamp, "words": {w: list(p) for w, p in sorted(merged.items())}},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".hyphenation-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a cache that cannot be written is not an error
