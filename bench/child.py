"""One build in a fresh process, for the benchmark's generated documents (``run.py`` starts it).

``python bench/child.py ours CONTENT BIB OUT_DIR`` – load_article + build_briefing (``-`` = the shipped file)
``python bench/child.py typst SOURCE OUT_PDF FONT_DIR`` – typst.compile
``python bench/child.py read CONTENT BIB N`` – load_article alone, N times (the reader's caches cleared)
``python bench/child.py mwparse WIKITEXT N`` – mwparserfromhell.parse alone, N times (and its tokenizer)

Prints one JSON line: ``{"seconds": …}``, the time of the work alone, measured inside: every module the
build needs is imported before the clock starts (font loading and the first hyphenation dictionary are work).
``read`` and ``mwparse`` print ``{"seconds": median, "first": …, "runs": […]}`` over N runs in one process.
The parent measures the whole process (wall time, peak RSS from ``os.wait4``).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def build_ours(content: str, bib: str, out_dir: str) -> dict[str, float]:
    t0 = time.perf_counter()
    import pypdf  # noqa: F401  (imported by build_briefing; its import is not work that grows with length)

    import kalbajar_report.pdf  # noqa: F401  (likewise)
    from kalbajar_report import build_briefing, load_article

    t1 = time.perf_counter()
    article = load_article(None if content == "-" else content, None if bib == "-" else bib)
    t2 = time.perf_counter()
    result = build_briefing(article, Path(out_dir))
    t3 = time.perf_counter()
    return {"import_seconds": t1 - t0, "load_seconds": t2 - t1, "seconds": t3 - t1, "pages": result.pages}


def build_typst(source: str, out_pdf: str, font_dir: str) -> dict[str, float]:
    t0 = time.perf_counter()
    import typst

    t1 = time.perf_counter()
    typst.compile(source, output=out_pdf, font_paths=[font_dir])
    t2 = time.perf_counter()
    return {"import_seconds": t1 - t0, "seconds": t2 - t1}


def _repeat(work: Callable[[], object], runs: int) -> dict[str, Any]:
    """``work`` timed ``runs`` times: the median, the first run, every run."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return {"seconds": statistics.median(times), "first": times[0], "runs": times}


def read_ours(content: str, bib: str, runs: str) -> dict[str, Any]:
    """``load_article`` alone. Every module a read needs is imported first; the in-process caches of the
    ``.article`` and ``.bib`` readers (which give an unchanged file back without reading it) are cleared
    before each run, so every run reads and parses. ``import_seconds``: importing the MediaWiki reader
    (``kalbajar_report.mediawiki``, mwparserfromhell with it) once ``kalbajar_report`` is imported, a
    cost a build of a ``.wiki`` file pays in its first ``load_article``."""
    import kalbajar_report.bibliography as bibliography
    import kalbajar_report.reader as reader
    from kalbajar_report import load_article

    t0 = time.perf_counter()
    import kalbajar_report.mediawiki

    import_seconds = time.perf_counter() - t0

    def once() -> None:
        reader._parse_cached.cache_clear()
        bibliography._parse_cached.cache_clear()
        load_article(content, None if bib == "-" else bib)

    if Path(content).suffix.lower() not in kalbajar_report.mediawiki.EXTENSIONS:
        return _repeat(once, int(runs)) | {"import_seconds": import_seconds}
    # wikitext: each read followed by mwparserfromhell.parse of the same text in the same process and, as
    # in load_article, with the garbage collector paused, so that the reader's own work (read − parse) is
    # measured under the same conditions as the read
    import mwparserfromhell

    from kalbajar_report import collector

    text = Path(content).read_text(encoding="utf-8")
    reads: list[float] = []
    parses: list[float] = []
    for _ in range(int(runs)):
        t0 = time.perf_counter()
        once()
        t1 = time.perf_counter()
        with collector.paused():
            mwparserfromhell.parse(text)
        parses.append(time.perf_counter() - t1)
        reads.append(t1 - t0)
    return {
        "seconds": statistics.median(reads),
        "first": reads[0],
        "runs": reads,
        "parse_runs": parses,
        "import_seconds": import_seconds,
    }


def parse_mw(path: str, runs: str) -> dict[str, Any]:
    """``mwparserfromhell.parse`` alone on the file's text (read before the clock), the floor of the
    MediaWiki reader; and, for information, its C tokenizer alone (the rest is its Python tree builder)."""
    import mwparserfromhell
    from mwparserfromhell.parser import Parser

    text = Path(path).read_text(encoding="utf-8")
    result = _repeat(lambda: mwparserfromhell.parse(text), int(runs))
    tokenizer = Parser()._tokenizer  # type: ignore[no-untyped-call]
    result["tokenizer"] = _repeat(lambda: tokenizer.tokenize(text, 0, False), int(runs))["seconds"]
    return result


def main(argv: list[str]) -> int:
    arity = {"ours": 4, "typst": 4, "read": 4, "mwparse": 3}
    if not argv or len(argv) != arity.get(argv[0], -1):
        print(__doc__, file=sys.stderr)
        return 2
    kind, *rest = argv
    commands: dict[str, Callable[..., dict[str, Any]]] = {
        "ours": build_ours,
        "typst": build_typst,
        "read": read_ours,
        "mwparse": parse_mw,
    }
    result = commands[kind](*rest)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
