"""The written .bib in the programs that read it: titles keep their capitals in a case-changing style
(pybtex's ``unsrt``, as BibTeX's ``plain.bst``), and biber finds nothing its data model does not know."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kalbajar_report import Article, build_outputs
from kalbajar_report.bibliography import parse_bibliography
from kalbajar_report.bibtex import protect_case


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("Battle of Kalbajar", "Battle of {Kalbajar}"),
        ("[Interview with General Gurgen Dalibaltayan]", "[{Interview} with {General Gurgen Dalibaltayan}]"),
        ("UN report on the (New York) talks, UK.", "{UN} report on the ({New York}) talks, {UK}."),
        ("Resolution 822 (1993)", "Resolution 822 (1993)"),
        ("A study of iPhone use", "A study of {iPhone} use"),
        ("{Battle of Kalbajar}, reference 14", "{Battle of Kalbajar}, reference 14"),  # already braced
        ("Tom \\& Jerry", "Tom \\& Jerry"),  # TeX: left as its author wrote it
    ],
)
def test_protect_case(title: str, protected: str) -> None:
    assert protect_case(title) == protected


@pytest.fixture(scope="module")
def written_bib(article: Article, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bib")
    build_outputs(article, folder, ["bib"])
    return folder / "kalbajar.bib"


def test_pybtex_unsrt_keeps_the_capitals(written_bib: Path, article: Article) -> None:
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    style = find_plugin("pybtex.style.formatting", "unsrt")()
    formatted = {
        e.key: e.text.render_as("text") for e in style.format_bibliography(parse_file(str(written_bib)))
    }
    assert "Battle of Kalbajar." in formatted["kalbajar-wikipedia"]
    assert "[Interview with General Gurgen Dalibaltayan]" in formatted["zinvor1993"]
    assert "Battle of Kalbajar, reference 14" in formatted["kalbajar-ref-14"]
    for entry in article.bibliography.entries:  # a title its author did not brace prints unchanged
        if "{" in (entry.field("title") or "{"):
            continue
        title = entry.text("title") or ""
        assert title.replace("--", "–") in formatted[entry.key].replace("--", "–"), (entry.key, formatted)


def test_biber_finds_only_the_unknown_dates(written_bib: Path, article: Article) -> None:
    biber = shutil.which("biber")
    if biber is None:
        pytest.skip("biber is not installed")
    result = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--nolog", "--output-file", "out.bib", written_bib.name],
        capture_output=True, text=True, timeout=300, check=False, cwd=written_bib.parent,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("WARN")]
    undated = {e.key for e in article.bibliography.entries if not (e.field("date") or e.field("year"))}
    undated -= {article.metadata.briefing_key}  # the build dates the briefing's own entry
    assert len(undated) == 13
    expected = {
        f"WARN - Datamodel: Entry '{key}' (kalbajar.bib): Missing mandatory field - one of 'date, year' "
        "must be defined"
        for key in undated
    }
    assert set(warnings) == expected, "\n".join(warnings)
    assert not any(re.search(r"Field '\w+' invalid", line) for line in warnings)


def test_the_marker_reads_from_marker_or_usera() -> None:
    bib = parse_bibliography(
        "@misc{a,\n  marker = {3},\n}\n@misc{b,\n  usera = {4},\n}\n@misc{c,\n  usera = {not a number},\n}\n"
        "@misc{d,\n  marker = {5},\n  usera = {6},\n}\n",
        "x.bib",
    )
    assert [bib[k].marker for k in "abcd"] == ["3", "4", None, "5"]
    assert bib.marker_map() == {"3": "a", "4": "b", "5": "d"}
