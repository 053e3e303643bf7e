"""One build in a fresh process, for the benchmark's generated documents (``run.py`` starts it).

``python bench/child.py ours CONTENT BIB OUT_DIR`` – load_article + build_briefing (``-`` = the shipped file)
``python bench/child.py typst SOURCE OUT_PDF FONT_DIR`` – typst.compile

Prints one JSON line: ``{"seconds": …}``, the time of the work alone, measured inside: every module the
build needs is imported before the clock starts (font loading and the first hyphenation dictionary are work).
The parent measures the whole process (wall time, peak RSS from ``os.wait4``).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


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


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] not in ("ours", "typst"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, a, b, c = argv
    result = build_ours(a, b, c) if kind == "ours" else build_typst(a, b, c)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
