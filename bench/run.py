"""The build benchmark of kalbajar_report, side by side with Typst (see bench/README.md).

    python bench/run.py            # full: N=5 for the default article, N=3 for 10×, 50×, 200×
    python bench/run.py --quick    # smoke run: N=2 / N=1, sizes 1× and 10× only
    python bench/run.py --json results.json
    python bench/run.py --quick --only-wiki   # the MediaWiki rows alone (issue 11): about a minute
    python bench/run.py --only-spacing        # the spacing report alone (issue 12): about two minutes

Markdown tables on stdout, progress on stderr. Not a test: it asserts nothing and always exits 0 unless it
cannot run at all; the targets are reported as met or missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacing import SpacingReport

ROOT = Path(__file__).resolve().parent.parent
CHILD = Path(__file__).resolve().parent / "child.py"
SPAWNER = Path(__file__).resolve().parent / "spawner.py"
PY = sys.executable
CACHE_ENV = "KALBAJAR_REPORT_CACHE"  # kalbajar_report.pdf.hyphencache.ENV
EPOCH = "1700000000"
TYPST_SNIPPET = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]])"

# the targets of issue 5
FLOOR_MARGIN = 0.150
COLD_VS_TYPST = 3.0
WARM_LIMIT = 0.050
FIFTY_VS_TYPST = 0.5
FLATNESS = 1.20
PEAK_LIMIT_MB = 300.0
# the targets of issue 12
COLD_VS_FLOOR = 2.0
FIFTY_VS_TYPST_12 = 0.45
TWO_HUNDRED_VS_TYPST = 0.4
# the targets of issue 11
WIKI_READ_LIMIT = 0.5
WIKI_BUILD_VS_ARTICLE = 1.25


# --- measuring -------------------------------------------------------------------------------------------
@dataclass
class Proc:
    """One child process: wall time, peak resident set size, exit status and output."""

    wall: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str

    def data(self) -> dict[str, Any]:
        """The JSON line the child printed (empty when it printed none)."""
        lines = [line for line in self.stdout.splitlines() if line.startswith("{")]
        if not lines:
            return {}
        parsed: dict[str, Any] = json.loads(lines[-1])
        return parsed


class Spawner:
    """The child-starting helper (bench/spawner.py), started before the benchmark grows."""

    def __init__(self) -> None:
        self.env: dict[str, str] = {"SOURCE_DATE_EPOCH": EPOCH}
        # Children may write byte-code caches (the unmeasured first round does), as an installed package
        # has them: with PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), an editable
        # install would compile every module from source in every timed run.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.proc = subprocess.Popen(
            [PY, str(SPAWNER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env
        )

    def run(self, cmd: Sequence[str], timeout: float, env: dict[str, str] | None = None) -> Proc:
        """Run ``cmd`` in a fresh process (``self.env`` and ``env`` added to its environment); wall time
        from start to reaping, peak RSS from ``os.wait4``."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        request = {
            "cmd": list(cmd),
            "cwd": str(ROOT),
            "timeout": timeout,
            "env": {**self.env, **(env or {})},
        }
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return Proc(
            wall=float(reply["wall"]),
            maxrss_mb=int(reply["maxrss_kib"]) / 1024,  # KiB on Linux
            returncode=int(reply["returncode"]),
            stdout=str(reply["stdout"]),
            stderr=str(reply["stderr"]),
        )

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


# --- results ---------------------------------------------------------------------------------------------
@dataclass
class Series:
    """Repeated measurements of one thing (seconds) and the peak memory seen (MiB)."""

    name: str
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    memory_kind: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return median(self.seconds)


@dataclass
class SizeResult:
    """One generated document length, ours and Typst."""

    factor: int
    sections: int
    sentences: int
    citations: int
    ours_pages: int = 0
    typst_pages: int = 0
    ours_work: Series = field(default_factory=lambda: Series("ours work"))
    ours_wall: Series = field(default_factory=lambda: Series("ours process"))
    typst_work: Series = field(default_factory=lambda: Series("typst work"))
    typst_wall: Series = field(default_factory=lambda: Series("typst process"))
    failure: str = ""

    @property
    def ours_per_page(self) -> float:
        return self.ours_work.median / self.ours_pages if self.ours_pages else float("nan")

    @property
    def typst_per_page(self) -> float:
        return self.typst_work.median / self.typst_pages if self.typst_pages else float("nan")


@dataclass
class WikiResult:
    """The generated wikitext article and its same-length ``.article`` twin (bench/articles.py)."""

    size_bytes: int
    markers: int  # <ref>, <ref name=x/> and {{sfn}} in the wikitext
    wiki_stats: dict[str, int]
    twin_stats: dict[str, int]
    twin_bytes: int = 0
    wiki_pages: int = 0
    twin_pages: int = 0
    read_wiki: Series = field(default_factory=lambda: Series("load_article(.wiki)"))
    read_twin: Series = field(default_factory=lambda: Series("load_article(.article twin)"))
    mwparse: Series = field(default_factory=lambda: Series("mwparserfromhell.parse(text)"))
    parse_paired: Series = field(default_factory=lambda: Series("mwparserfromhell.parse in the read child"))
    own_work: Series = field(default_factory=lambda: Series("each read − the parse after it"))
    tokenize: Series = field(default_factory=lambda: Series("mwparserfromhell's C tokenizer alone"))
    mw_import: Series = field(default_factory=lambda: Series("import kalbajar_report.mediawiki"))
    read_wiki_first: Series = field(default_factory=lambda: Series("first load_article(.wiki) of a child"))
    read_twin_first: Series = field(default_factory=lambda: Series("first load_article(.article) of a child"))
    wiki_work: Series = field(default_factory=lambda: Series("wikitext: load_article + build_briefing"))
    wiki_wall: Series = field(default_factory=lambda: Series("wikitext build process"))
    wiki_load: Series = field(default_factory=lambda: Series("wikitext: load_article in the build child"))
    twin_work: Series = field(default_factory=lambda: Series(".article: load_article + build_briefing"))
    twin_wall: Series = field(default_factory=lambda: Series(".article build process"))
    twin_load: Series = field(default_factory=lambda: Series(".article: load_article in the build child"))

    @property
    def wiki_per_page(self) -> float:
        return self.wiki_work.median / self.wiki_pages if self.wiki_pages else float("nan")

    @property
    def twin_per_page(self) -> float:
        return self.twin_work.median / self.twin_pages if self.twin_pages else float("nan")


@dataclass
class SpacingResult:
    """The spacing report (bench/spacing.py, issue 12) of one PDF: a document, built by us or by Typst."""

    document: str  # "default article" or "50× article"
    engine: str  # "ours" or "Typst"
    pages: int
    report: SpacingReport  # its details cut to the five loosest lines


@dataclass
class Results:
    runs: int
    runs_large: int
    content: str
    floor: Series = field(default_factory=lambda: Series("python -c 'import reportlab.platypus'"))
    cold_uncached: Series = field(default_factory=lambda: Series("cold build, hyphenation cache off"))
    bare: Series = field(default_factory=lambda: Series("python -c pass"))
    cold: Series = field(default_factory=lambda: Series("python -m kalbajar_report -o TMP"))
    typst_cold: Series = field(default_factory=lambda: Series("python -c 'import typst; typst.compile(…)'"))
    warm: Series = field(default_factory=lambda: Series("load_article + build_briefing (warm)"))
    warm_shared: Series = field(
        default_factory=lambda: Series("load_article + build_briefing(…, typesetter=t) (warm, shared)")
    )
    warm_load: Series = field(default_factory=lambda: Series("load_article (warm)"))
    typst_warm: Series = field(default_factory=lambda: Series("typst.compile in process"))
    typst_incremental: Series = field(default_factory=lambda: Series("typst.Compiler reused"))
    default_pages: int = 0
    typst_default_pages: int = 0
    sizes: list[SizeResult] = field(default_factory=list)
    wiki: WikiResult | None = None
    spacing: list[SpacingResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


# --- the parts -------------------------------------------------------------------------------------------
def child_run(
    spawner: Spawner, res: Results, what: str, argv: Sequence[str], args: argparse.Namespace,
    work: Series, wall: Series,
) -> dict[str, Any] | None:  # fmt: skip
    """Run ``bench/child.py argv`` once in a fresh process; its work time (what the child printed as
    ``seconds``) into ``work``, its wall time and peak RSS into ``wall``. None (and a failure recorded)
    when it failed."""
    proc = spawner.run([PY, str(CHILD), *argv], args.timeout)
    if proc.returncode != 0:
        res.failures.append(f"{what} exited {proc.returncode}:\n{proc.stderr}")
        return None
    data = proc.data()
    work.seconds.append(float(data["seconds"]))
    wall.seconds.append(proc.wall)
    wall.peak_mb = max(proc.maxrss_mb, wall.peak_mb)
    wall.memory_kind = "peak RSS of the child (os.wait4 ru_maxrss)"
    return data


def cold_runs(
    spawner: Spawner, res: Results, args: argparse.Namespace, tmp: Path, default_typ: Path, font_dir: str
) -> None:
    ours_cmd = [PY, "-m", "kalbajar_report"]
    if args.content:
        ours_cmd += ["--content", str(args.content)]
    if args.bib:
        ours_cmd += ["--bib", str(args.bib)]
    commands: list[tuple[Series, Callable[[int], list[str]], dict[str, str]]] = [
        (res.bare, lambda i: [PY, "-c", "pass"], {}),
        (res.floor, lambda i: [PY, "-c", "import reportlab.platypus"], {}),
        (res.cold, lambda i: [*ours_cmd, "-o", str(tmp / f"cold-{i}")], {}),
        (res.cold_uncached, lambda i: [*ours_cmd, "-o", str(tmp / f"cold-{i}")], {CACHE_ENV: "off"}),
        (
            res.typst_cold,
            lambda i: [PY, "-c", TYPST_SNIPPET, str(default_typ), str(tmp / f"t{i}.pdf"), font_dir],
            {},
        ),
    ]
    for series, _, _ in commands:
        series.memory_kind = "peak RSS of the child (os.wait4 ru_maxrss)"
    # one unmeasured round first: byte-code caches and the hyphenation cache written, files in the page cache
    for i in range(-1, res.runs):
        for series, make, env in commands:
            proc = spawner.run(make(i), args.timeout, env)
            if proc.returncode != 0:
                res.failures.append(f"{series.name} exited {proc.returncode}:\n{proc.stderr}")
                continue
            if i >= 0:
                series.seconds.append(proc.wall)
                series.peak_mb = max(proc.maxrss_mb, series.peak_mb)
        log(f"cold round {i + 1}/{res.runs} done")
    res.default_pages = pdf_pages(tmp / "cold-0" / "kalbajar-briefing.pdf") if res.cold.seconds else 0
    res.typst_default_pages = pdf_pages(tmp / "t0.pdf") if res.typst_cold.seconds else 0


def warm_runs(res: Results, args: argparse.Namespace, tmp: Path, default_typ: Path, font_dir: str) -> None:
    import typst

    from kalbajar_report import build_briefing, load_article
    from kalbajar_report.pdf import Typesetter

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    out = tmp / "warm"

    def once(typesetter: Typesetter | None = None) -> None:
        article = load_article(args.content, args.bib)
        build_briefing(article, out, typesetter=typesetter)

    def rebuilds(series: Series, typesetter: Typesetter | None) -> None:
        once(typesetter)  # the warm-up: imports done, fonts registered, caches filled
        for _ in range(res.runs):
            t0 = time.perf_counter()
            once(typesetter)
            series.seconds.append(time.perf_counter() - t0)
        tracemalloc.start()
        once(typesetter)
        series.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        series.memory_kind = "tracemalloc peak of one more rebuild (Python heap only; not timed)"

    rebuilds(res.warm, None)
    for _ in range(res.runs):
        t0 = time.perf_counter()
        load_article(args.content, args.bib)
        res.warm_load.seconds.append(time.perf_counter() - t0)
    # The rebuild API of a watch loop: one Typesetter lent to every build (the last build's parsed
    # paragraphs and line breaks; an unchanged article reuses all of them).
    rebuilds(res.warm_shared, Typesetter())
    log("warm rebuilds done")

    pdf = str(tmp / "warm-typst.pdf")
    typst.compile(str(default_typ), output=pdf, font_paths=[font_dir])
    for _ in range(res.runs):
        t0 = time.perf_counter()
        typst.compile(str(default_typ), output=pdf, font_paths=[font_dir])
        res.typst_warm.seconds.append(time.perf_counter() - t0)
    compiler = typst.Compiler(str(default_typ), font_paths=[font_dir])
    compiler.compile(output=pdf)
    for _ in range(res.runs):
        t0 = time.perf_counter()
        compiler.compile(output=pdf)
        res.typst_incremental.seconds.append(time.perf_counter() - t0)
    res.typst_warm.memory_kind = res.typst_incremental.memory_kind = "not measured (Rust heap)"
    log("typst in-process compiles done")


def size_runs(
    spawner: Spawner, res: Results, args: argparse.Namespace, tmp: Path, text: str, font_dir: str
) -> None:
    from articles import typst_source, write_scaled

    from kalbajar_report import load_article

    bib = str(args.bib) if args.bib else "-"
    for factor in args.sizes:
        path = write_scaled(text, factor, tmp)
        article = load_article(path, args.bib)  # the real reader: the generated file must be valid content
        typ = tmp / f"kalbajar-x{factor}.typ"
        typ.write_text(typst_source(article), encoding="utf-8")
        size = SizeResult(
            factor=factor,
            sections=len(article.section_ids),
            sentences=sum(1 for _ in article.sentences()),
            citations=sum(1 for _ in article.citations()),
        )
        del article
        res.sizes.append(size)
        for i in range(res.runs_large):
            out = tmp / f"x{factor}-{i}"
            if not size.failure:
                argv = ["ours", str(path), bib, str(out)]
                if child_run(spawner, res, f"ours at {factor}×", argv, args, size.ours_work, size.ours_wall):
                    size.ours_pages = pdf_pages(out / "kalbajar-briefing.pdf")
                else:
                    size.failure = res.failures[-1]
            tpdf = tmp / f"x{factor}-{i}.pdf"
            argv = ["typst", str(typ), str(tpdf), font_dir]
            if child_run(spawner, res, f"typst at {factor}×", argv, args, size.typst_work, size.typst_wall):
                size.typst_pages = pdf_pages(tpdf)
            log(f"{factor}×: run {i + 1}/{res.runs_large} done")


def wiki_runs(spawner: Spawner, res: Results, args: argparse.Namespace, tmp: Path) -> None:
    """Issue 11: a generated ~300 KB wikitext article with ~700 references, read and built, each in fresh
    children, against its same-length ``.article`` twin (see ``article_twin`` in bench/articles.py)."""
    from articles import count_markers, twin_stats, write_twin, write_wikitext

    from kalbajar_report import load_article

    wiki_path = write_wikitext(tmp, args.wiki_kb * 1000, args.wiki_refs)
    wiki = load_article(wiki_path)  # the real readers: both files must be valid content
    twin_path, twin_bib = write_twin(wiki, tmp, wiki_path.stem + "-twin")
    twin = load_article(twin_path, twin_bib)
    wikitext = wiki_path.read_text(encoding="utf-8")
    w = WikiResult(
        size_bytes=len(wikitext.encode("utf-8")),
        markers=count_markers(wikitext),
        wiki_stats=twin_stats(wiki),
        twin_stats=twin_stats(twin),
        twin_bytes=twin_path.stat().st_size + twin_bib.stat().st_size,
    )
    del wiki, twin, wikitext
    res.wiki = w
    log(f"wikitext: {w.size_bytes} bytes, {w.markers} markers; twin {w.twin_bytes} bytes; reading")
    reads = str(args.reads)
    # one child each: N reads in one process (the first, with the reader's own first-use costs, apart)
    first = Series("first")
    for series, first_series, argv in (
        (w.read_wiki, w.read_wiki_first, ["read", str(wiki_path), "-", reads]),
        (w.read_twin, w.read_twin_first, ["read", str(twin_path), str(twin_bib), reads]),
        (w.mwparse, first, ["mwparse", str(wiki_path), reads]),
    ):
        data = child_run(spawner, res, f"child {argv[0]} {argv[1]}", argv, args, series, Series("process"))
        if data:
            series.seconds = [float(x) for x in data["runs"]]
            first_series.seconds.append(float(data["first"]))
            if "tokenizer" in data:
                w.tokenize.seconds.append(float(data["tokenizer"]))
            if argv[2] == "-":  # the .wiki read child: what importing the MediaWiki reader costs
                w.mw_import.seconds.append(float(data["import_seconds"]))
            if "parse_runs" in data:  # the parse timed after each read in the same child
                w.parse_paired.seconds = [float(x) for x in data["parse_runs"]]
                w.own_work.seconds = [
                    r - p for r, p in zip(series.seconds, w.parse_paired.seconds, strict=True)
                ]
    log("wikitext reads done; building")
    for i in range(res.runs_large):
        for stem, content, bib, work, wall, load in (
            ("wiki", wiki_path, "-", w.wiki_work, w.wiki_wall, w.wiki_load),
            ("twin", twin_path, str(twin_bib), w.twin_work, w.twin_wall, w.twin_load),
        ):
            argv = ["ours", str(content), bib, str(tmp / f"{stem}-{i}")]
            data = child_run(spawner, res, f"{stem} build", argv, args, work, wall)
            if data:
                load.seconds.append(float(data["load_seconds"]))
                if stem == "wiki":
                    w.wiki_pages = int(data["pages"])
                else:
                    w.twin_pages = int(data["pages"])
        log(f"wikitext builds: run {i + 1}/{res.runs_large} done")


SPACING_FACTOR = 50  # issue 12's targets: the default article and the 50× article


def spacing_runs(
    spawner: Spawner, res: Results, args: argparse.Namespace, tmp: Path, text: str, default_typ: Path,
    font_dir: str,
) -> None:  # fmt: skip
    """Issue 12: the spacing report of ours and Typst's PDF of the default article and of the 50× article.
    The PDFs the timed runs wrote are read; a document they did not build (``--quick``, ``--only-spacing``)
    is built once for it, untimed, in a child like theirs."""
    from articles import typst_source, write_scaled
    from spacing import analyse

    from kalbajar_report import load_article

    bib = str(args.bib) if args.bib else "-"
    content = str(args.content) if args.content else "-"
    for factor, document in ((1, "default article"), (SPACING_FACTOR, f"{SPACING_FACTOR}× article")):
        if factor == 1:
            ours, theirs, source, typ = (
                tmp / "cold-0" / "kalbajar-briefing.pdf",
                tmp / "t0.pdf",
                content,
                default_typ,
            )
        else:
            ours, theirs = tmp / f"x{factor}-0" / "kalbajar-briefing.pdf", tmp / f"x{factor}-0.pdf"
            typ = tmp / f"kalbajar-x{factor}.typ"
            source = str(tmp / f"kalbajar-x{factor}.article")
            if not ours.exists() or not theirs.exists():
                path = write_scaled(text, factor, tmp)
                typ.write_text(typst_source(load_article(path, args.bib)), encoding="utf-8")
        unused = Series("untimed")
        if not ours.exists():
            ours = tmp / f"spacing-x{factor}" / "kalbajar-briefing.pdf"
            argv = ["ours", source, bib, str(ours.parent)]
            child_run(spawner, res, f"ours at {factor}× (spacing)", argv, args, unused, unused)
        if not theirs.exists():
            theirs = tmp / f"spacing-x{factor}.pdf"
            argv = ["typst", str(typ), str(theirs), font_dir]
            child_run(spawner, res, f"typst at {factor}× (spacing)", argv, args, unused, unused)
        for engine, pdf in (("ours", ours), ("Typst", theirs)):
            if not pdf.exists():
                continue  # its build failed: recorded in res.failures
            report = analyse(pdf)
            report.path = pdf.name
            report.details = report.loosest(5)
            res.spacing.append(SpacingResult(document, engine, pdf_pages(pdf), report))
            log(f"spacing: {document}, {engine} read ({report.lines} full lines)")


# --- the report ------------------------------------------------------------------------------------------
def ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:.0f} ms"


def secs(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds:.2f} s"


def mb(value: float) -> str:
    return "–" if not value > 0 else f"{value:.0f} MiB"


def ratio(a: float, b: float) -> str:
    return "–" if a != a or b != b or not b else f"{a / b:.2f}×"


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def default_table(res: Results) -> list[str]:
    """The default article's table."""
    lines: list[str] = []
    lines += [
        f"## Default article ({res.content}; "
        f"{res.default_pages} pages ours, {res.typst_default_pages} Typst)",
        "",
        f"Medians of {res.runs} runs. Process times: wall clock from spawn to exit of a fresh process.",
        "",
        "| measurement | ours | Typst | ours / Typst | peak memory ours | peak memory Typst |",
        "|---|---|---|---|---|---|",
        f"| interpreter alone (`python -c pass`) | {ms(res.bare.median)} | | | {mb(res.bare.peak_mb)} | |",
        f'| floor (`python -c "import reportlab.platypus"`) | {ms(res.floor.median)} | | | '
        f"{mb(res.floor.peak_mb)} | |",
        f"| cold default build (`python -m kalbajar_report -o TMP`) vs `import typst; typst.compile` | "
        f"{ms(res.cold.median)} | {ms(res.typst_cold.median)} | "
        f"{ratio(res.cold.median, res.typst_cold.median)}"
        f" | {mb(res.cold.peak_mb)} | {mb(res.typst_cold.peak_mb)} |",
        f"| cold build − floor | {ms(res.cold.median - res.floor.median)} | | | | |",
        f"| cold build / floor | {ratio(res.cold.median, res.floor.median)} | | | | |",
        f"| cold build with the hyphenation cache off (`{CACHE_ENV}=off`: pyphen's dictionary loaded) | "
        f"{ms(res.cold_uncached.median)} | | | {mb(res.cold_uncached.peak_mb)} | |",
        "| warm rebuild in process (load_article + build_briefing) vs `typst.compile` | "
        f"{ms(res.warm.median)} | "
        f"{ms(res.typst_warm.median)} | {ratio(res.warm.median, res.typst_warm.median)} | "
        f"{mb(res.warm.peak_mb)} (tracemalloc) | |",
        f"| … of which load_article | {ms(res.warm_load.median)} | | | | |",
        "| warm rebuild with a shared `Typesetter` (`build_briefing(…, typesetter=t)`) vs Typst incremental "
        f"(`typst.Compiler` reused, unchanged source) | {ms(res.warm_shared.median)} | "
        f"{ms(res.typst_incremental.median)} | "
        f"{ratio(res.warm_shared.median, res.typst_incremental.median)} | "
        f"{mb(res.warm_shared.peak_mb)} (tracemalloc) | |",
        "",
    ]
    return lines


def report(res: Results) -> tuple[str, dict[str, bool | None]]:
    lines: list[str] = []
    targets: dict[str, bool | None] = {}
    if res.cold.seconds or res.warm.seconds:  # not with --only-wiki
        lines += default_table(res)
    if res.cold.seconds and res.floor.seconds:
        targets["cold build ≤ floor + 150 ms"] = res.cold.median - res.floor.median <= FLOOR_MARGIN
    if res.cold.seconds and res.floor.seconds:
        targets["cold build ≤ 2× floor (issue 12)"] = res.cold.median <= COLD_VS_FLOOR * res.floor.median
    if res.cold.seconds and res.typst_cold.seconds:
        targets["cold build ≤ 3× Typst (cold process)"] = (
            res.cold.median <= COLD_VS_TYPST * res.typst_cold.median
        )
    if res.warm_shared.seconds:
        targets["warm rebuild ≤ 50 ms (shared Typesetter)"] = res.warm_shared.median <= WARM_LIMIT
    if res.warm.seconds:
        targets["warm rebuild ≤ 50 ms (no Typesetter; for information)"] = res.warm.median <= WARM_LIMIT
    if res.sizes:
        lines += [
            f"## Generated documents (medians of {res.runs_large} runs; each build in a fresh process)",
            "",
            "*work* = load_article + build_briefing (ours) or typst.compile (Typst), timed inside the child "
            "after its imports; *process* = the whole child, wall clock; memory = peak RSS of the child.",
            "",
            "| size | sections | sentences | markers | pages ours | ours work | ours process | ours per page "
            "| ours peak RSS | pages Typst | Typst work | Typst per page | Typst peak RSS "
            "| work ours / Typst |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in res.sizes:
            ours = "**failed**" if s.failure and not s.ours_work.seconds else secs(s.ours_work.median)
            lines.append(
                f"| {s.factor}× | {s.sections} | {s.sentences} | {s.citations} | "
                f"{s.ours_pages or '–'} | {ours} | "
                f"{secs(s.ours_wall.median)} | {ms(s.ours_per_page)} | {mb(s.ours_wall.peak_mb)} | "
                f"{s.typst_pages or '–'} | {secs(s.typst_work.median)} | {ms(s.typst_per_page)} | "
                f"{mb(s.typst_wall.peak_mb)} | {ratio(s.ours_work.median, s.typst_work.median)} |"
            )
        lines.append("")
        by = {s.factor: s for s in res.sizes}
        if 50 in by and by[50].ours_work.seconds and by[50].typst_work.seconds:
            targets["50× in ≤ half of Typst's time"] = (
                by[50].ours_work.median <= FIFTY_VS_TYPST * by[50].typst_work.median
            )
        for factor, limit in ((50, FIFTY_VS_TYPST_12), (200, TWO_HUNDRED_VS_TYPST)):
            if factor in by and by[factor].ours_work.seconds and by[factor].typst_work.seconds:
                targets[f"{factor}× in ≤ {limit}× Typst's time (issue 12)"] = (
                    by[factor].ours_work.median <= limit * by[factor].typst_work.median
                )
        per_page = [s.ours_per_page for s in res.sizes if s.factor >= 10 and s.ours_work.seconds]
        if len(per_page) >= 2:
            spread = max(per_page) / min(per_page)
            targets[f"time per page flat from 10× up (within 20%; spread {spread:.2f}×)"] = spread <= FLATNESS
        if 200 in by:
            big = by[200]
            targets["peak memory ≤ 300 MB at 200×"] = (
                None if not big.ours_wall.seconds else big.ours_wall.peak_mb <= PEAK_LIMIT_MB * 1e6 / 2**20
            )
    if res.wiki is not None:
        lines += wiki_report(res.wiki, res.runs_large, targets)
    if res.spacing:
        lines += spacing_report(res.spacing, targets)
    lines += ["## Targets", "", "| target | result |", "|---|---|"]
    lines += [f"| {name} | {verdict(ok)} |" for name, ok in targets.items()]
    lines.append("")
    if res.failures:
        lines += ["## Failures", ""]
        for failure in res.failures:
            lines += ["```", failure.strip(), "```", ""]
    return "\n".join(lines), targets


def wiki_report(w: WikiResult, runs: int, targets: dict[str, bool | None]) -> list[str]:
    """The MediaWiki table (issue 11); its targets added to ``targets``."""
    ws, ts = w.wiki_stats, w.twin_stats

    def best(series: Series) -> float:
        return min(series.seconds, default=float("nan"))

    kb = f"{w.size_bytes / 1000:.0f} KB"
    reads = len(w.read_wiki.seconds)
    lines = [
        f"## MediaWiki article ({kb} of generated wikitext, {w.markers} refs; its .article twin)",
        "",
        f"The wikitext: {ws['sections']} sections, {ws['sentences']} pieces of text, {ws['body_chars']:,} "
        f"characters of body text, {ws['markers']} note markers, {ws['notes']} distinct notes, "
        f"{ws['entries']} works. The twin (`article_twin` in bench/articles.py): the same text, sections "
        f"and markers as an `.article` and a `.bib` ({w.twin_bytes / 1000:.0f} KB together): "
        f"{ts['body_chars']:,} characters, {ts['markers']} markers, {ts['notes']} notes, {ts['entries']} "
        "entries (one per numbered note, so its references list is longer); no bold, italic or links.",
        "",
        f"*read*: median of {reads} reads in one fresh child after its imports (the readers' in-process "
        "caches cleared before each), the first read shown apart; *build*: load_article + build_briefing "
        f"in a fresh child, median of {runs}; memory = peak RSS of the child.",
        "",
        "| measurement | wikitext | .article twin | wikitext / .article | peak RSS wikitext "
        "| peak RSS .article |",
        "|---|---|---|---|---|---|",
        f"| read: `load_article` (median) | {ms(w.read_wiki.median)} | {ms(w.read_twin.median)} | "
        f"{ratio(w.read_wiki.median, w.read_twin.median)} | | |",
        f"| read: first `load_article` in the child | {ms(w.read_wiki_first.median)} | "
        f"{ms(w.read_twin_first.median)} | {ratio(w.read_wiki_first.median, w.read_twin_first.median)} | | |",
        f"| read: best of {reads} (for information) | {ms(best(w.read_wiki))} | {ms(best(w.read_twin))} | "
        f"{ratio(best(w.read_wiki), best(w.read_twin))} | | |",
        f"| floor: `mwparserfromhell.parse(text)` alone (median; best {ms(best(w.mwparse))}) | "
        f"{ms(w.mwparse.median)} | | | | |",
        "| … of which its C tokenizer (the rest is its Python tree builder) | "
        f"{ms(w.tokenize.median)} | | | | |",
        f"| … the same parse after each read in the read child, collector paused as in `load_article` "
        f"(median) | {ms(w.parse_paired.median)} "
        "| | | | |",
        f"| read − that parse, read by read (the reader's own work; median) | {ms(w.own_work.median)} "
        "| | | | |",
        "| `import kalbajar_report.mediawiki` (with mwparserfromhell; paid once per process, not in the "
        f"reads above) | {ms(w.mw_import.median)} | | | | |",
        f"| build: load_article + build_briefing | {secs(w.wiki_work.median)} | {secs(w.twin_work.median)} | "
        f"{ratio(w.wiki_work.median, w.twin_work.median)} | {mb(w.wiki_wall.peak_mb)} | "
        f"{mb(w.twin_wall.peak_mb)} |",
        "| … of which load_article (first in the child, lazy imports included) | "
        f"{secs(w.wiki_load.median)} | "
        f"{secs(w.twin_load.median)} | {ratio(w.wiki_load.median, w.twin_load.median)} | | |",
        f"| build process (wall clock, spawn to exit) | {secs(w.wiki_wall.median)} | "
        f"{secs(w.twin_wall.median)} | "
        f"{ratio(w.wiki_wall.median, w.twin_wall.median)} | | |",
        f"| pages | {w.wiki_pages or '–'} | {w.twin_pages or '–'} | | | |",
        f"| build time per page | {ms(w.wiki_per_page)} | {ms(w.twin_per_page)} | "
        f"{ratio(w.wiki_per_page, w.twin_per_page)} | | |",
        "",
    ]
    if w.read_wiki.seconds:
        targets[f"wikitext {kb} / {w.markers} refs read in ≤ 0.5 s (median; first read "
                f"{ms(w.read_wiki_first.median)})"] = w.read_wiki.median <= WIKI_READ_LIMIT  # fmt: skip
    if w.wiki_work.seconds and w.twin_work.seconds:
        targets["wikitext build ≤ 1.25× the same-length .article build "
                f"({ratio(w.wiki_work.median, w.twin_work.median)})"] = (
            w.wiki_work.median <= WIKI_BUILD_VS_ARTICLE * w.twin_work.median
        )  # fmt: skip
    return lines


def spacing_report(rows: Sequence[SpacingResult], targets: dict[str, bool | None]) -> list[str]:
    """The spacing table (issue 12) and every target for every PDF; ours' targets added to ``targets``."""
    from spacing import measured, table
    from spacing import targets as spacing_targets

    met = {(r.document, r.engine): spacing_targets(r.report) for r in rows}
    lines = [
        "## Spacing (issue 12; `bench/spacing.py`)",
        "",
        "Full justified lines of the body face (the most common font and size), each line's mean "
        "inter-word gap over the natural gap (the median gap of paragraph-final lines); right edge = the "
        "most common line end, so protrusion is not a long line. Hyphenated = full lines ending in a "
        "hyphen; the run counts consecutive lines of a page.",
        "",
        *table([(f"{r.document}, {r.engine} ({r.pages} pages)", r.report) for r in rows]),
        "",
        "| target | " + " | ".join(f"{r.document}, {r.engine}" for r in rows) + " |",
        "|---|" + "---|" * len(rows),
    ]
    for name in next(iter(met.values()), {}):
        lines.append(
            f"| {name} | " + " | ".join(verdict(met[r.document, r.engine][name]) for r in rows) + " |"
        )
    lines.append("")
    for r in rows:
        if r.engine == "ours":
            values = measured(r.report)
            for name, ok in met[r.document, r.engine].items():
                targets[f"spacing, {r.document}: {name} ({values[name]})"] = ok
    return lines


# --- main ------------------------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="smoke run: few runs, sizes 1× and 10× only")
    p.add_argument("--runs", type=int, help="runs of the default-article measurements (default 5, quick 2)")
    p.add_argument("--runs-large", type=int, help="runs of each generated size (default 3, quick 1)")
    p.add_argument("--sizes", help="comma-separated length factors (default 1,10,50,200; quick 1,10)")
    p.add_argument("--content", type=Path, help="benchmark this .article instead of the shipped one")
    p.add_argument("--bib", type=Path, help="with --content: its .bib (default: the shipped library)")
    p.add_argument("--timeout", type=float, default=1200.0, help="seconds before a child is killed")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (generated files, PDFs)")
    p.add_argument("--wiki-kb", type=int, default=300, help="size of the generated wikitext in KB (300)")
    p.add_argument("--wiki-refs", type=int, default=700, help="its reference markers (700)")
    p.add_argument("--reads", type=int, help="reads timed in each read child (default 7, quick 3)")
    p.add_argument("--only-wiki", action="store_true", help="only the MediaWiki rows (issue 11)")
    p.add_argument("--no-wiki", action="store_true", help="leave the MediaWiki rows out")
    p.add_argument(
        "--spacing", action="store_true", help="the spacing report (issue 12) in a --quick run too"
    )
    p.add_argument("--only-spacing", action="store_true", help="only the spacing report (issue 12)")
    args = p.parse_args(argv)
    args.reads = args.reads or (3 if args.quick else 7)
    args.runs = args.runs or (2 if args.quick else 5)
    args.runs_large = args.runs_large or (1 if args.quick else 3)
    args.sizes = [int(x) for x in (args.sizes or ("1,10" if args.quick else "1,10,50,200")).split(",")]
    args.spacing = args.spacing or args.only_spacing or not args.quick  # always in a full run
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    spawner = Spawner()  # first, while this process is small (see bench/spawner.py)
    try:
        return run_all(spawner, args)
    finally:
        spawner.close()


def run_all(spawner: Spawner, args: argparse.Namespace) -> int:
    import font_source_serif_pro
    from articles import typst_source

    from kalbajar_report import load_article
    from kalbajar_report.resources import read_text

    if args.content:
        text = args.content.read_text(encoding="utf-8")
        name = str(args.content)
    else:
        text, name = read_text("content", "kalbajar.article")
    font_dir = str(font_source_serif_pro.font_directory)
    res = Results(runs=args.runs, runs_large=args.runs_large, content=name)
    tmp = Path(tempfile.mkdtemp(prefix="kalbajar-bench-"))
    log(f"working in {tmp}")
    # the builds' hyphenation cache: the benchmark's own, filled by the unmeasured first rounds
    spawner.env[CACHE_ENV] = os.environ[CACHE_ENV] = str(tmp / "cache")
    default_typ = tmp / "kalbajar.typ"
    default_typ.write_text(typst_source(load_article(args.content, args.bib)), encoding="utf-8")
    started = time.perf_counter()
    if not args.only_wiki and not args.only_spacing:
        cold_runs(spawner, res, args, tmp, default_typ, font_dir)
        warm_runs(res, args, tmp, default_typ, font_dir)
        size_runs(spawner, res, args, tmp, text, font_dir)
    if args.spacing and not args.only_wiki:
        spacing_runs(spawner, res, args, tmp, text, default_typ, font_dir)
    if not args.no_wiki and not args.only_spacing:
        wiki_runs(spawner, res, args, tmp)
    text_out, targets = report(res)
    print(text_out)
    print(f"(benchmark took {time.perf_counter() - started:.0f} s; Python {sys.version.split()[0]})")
    if args.json:
        payload = asdict(res)
        payload["targets"] = targets
        args.json.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    if not args.keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    else:
        log(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
