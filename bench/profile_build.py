"""Profile a build with cProfile: the warm rebuild of the default article, and a generated long article.

    python bench/profile_build.py                 # warm rebuild, then 50×; top 15 by cumulative time
    python bench/profile_build.py --size 200 --top 25 --sort tottime
    python bench/profile_build.py --dump DIR      # also write .prof files (for snakeviz, pstats)

The warm profile is of one rebuild (load_article + build_briefing) after a warm-up in the same process.
The long-article profile is of the first build in this process of the generated article (cold caches, as in
a fresh process, but with the imports already done).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from articles import write_scaled

from kalbajar_report import build_briefing, load_article
from kalbajar_report.resources import read_text


def profile(name: str, work: Callable[[], object], top: int, sort: str, dump: Path | None) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    print(f"### {name}\n\n```\n{stream.getvalue().strip()}\n```\n")
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(dump / f"{name.split()[0]}.prof")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=50, help="length factor of the generated article (default 50)")
    p.add_argument("--top", type=int, default=15, help="entries to print (default 15)")
    p.add_argument("--sort", default="cumulative", help="pstats sort key (default cumulative)")
    p.add_argument("--dump", type=Path, help="folder for the .prof files")
    args = p.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    with tempfile.TemporaryDirectory(prefix="kalbajar-profile-") as tmp_name:
        tmp = Path(tmp_name)
        text, _ = read_text("content", "kalbajar.article")
        long_path = write_scaled(text, args.size, tmp)

        def warm() -> object:
            return build_briefing(load_article(), tmp / "warm")

        def long() -> object:
            return build_briefing(load_article(long_path), tmp / "long")

        # the long article first, its caches (hyphenation, glyph widths) as cold as in a new process
        import pypdf  # noqa: F401

        import kalbajar_report.pdf  # noqa: F401

        profile(f"{args.size}× build (first build in the process)", long, args.top, args.sort, args.dump)
        warm()
        profile("warm rebuild of the default article", warm, args.top, args.sort, args.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
