"""Shared fixtures: the shipped article, one reproducible build of the briefing, generated documents."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kalbajar_report import Article, BuildResult, build_briefing, load_article
from kalbajar_report.pdf import hyphencache

EPOCH = "1700000000"  # 14 November 2023


def pytest_configure(config: pytest.Config) -> None:
    """The tests' builds (and the commands they start) keep their hyphenation cache in a folder of
    their own, never in the user's (see kalbajar_report.pdf.hyphencache)."""
    folder = tempfile.mkdtemp(prefix="kalbajar-test-cache-")
    config.stash[_CACHE_KEY] = (folder, os.environ.get(hyphencache.ENV))
    os.environ[hyphencache.ENV] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder, old = config.stash[_CACHE_KEY]
    shutil.rmtree(folder, ignore_errors=True)
    if old is None:
        os.environ.pop(hyphencache.ENV, None)
    else:
        os.environ[hyphencache.ENV] = old


_CACHE_KEY = pytest.StashKey[tuple[str, str | None]]()


@pytest.fixture(scope="session")
def article() -> Article:
    return load_article()


@pytest.fixture(scope="session")
def epoch() -> Iterator[str]:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    yield EPOCH
    if old is None:
        del os.environ["SOURCE_DATE_EPOCH"]
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, article: Article, epoch: str) -> BuildResult:
    return build_briefing(article, tmp_path_factory.mktemp("build"))


def write_document(folder: Path, body: str, bib: str = "", header: str = "") -> tuple[Path, Path]:
    """Write a generated .article (a minimal header + ``body``) and a .bib; return both paths."""
    content = folder / "doc.article"
    content.write_text(
        "@title: Generated test document\n@language: en-GB\n" + header + "\n" + body, encoding="utf-8"
    )
    bib_path = folder / "doc.bib"
    bib_path.write_text(bib, encoding="utf-8")
    return content, bib_path


def numbered_entry(n: int, note: str = "") -> str:
    note = note or f"Reference {n} of a generated document."
    fields = f"  title = {{Generated reference {n}}},\n  note = {{{note}}},\n  marker = {{{n}}},\n"
    return f"@misc{{gen-{n},\n{fields}}}\n\n"


def line_texts(para: Any) -> list[str]:
    """The text of each line a wrapped paragraph of ours was broken into."""
    return list(para.texts(para.width))


def split_at(para: Any, width: float, lines: int) -> list[list[str]]:
    """Wrap ``para`` at ``width``, split it after ``lines`` lines and give each part's line texts."""
    para.wrap(width, 10_000)
    out = []
    for part in para.split(width, lines * para.style.leading + 0.5):
        part.wrap(width, 10_000)
        out.append(line_texts(part))
    return out


OFFICE_SUFFIXES = (".docx", ".odt", ".epub")


def zipped_text(path: Path) -> str:
    """The text of a zipped document (docx, odt, epub): every XML or XHTML part, tags removed."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = [
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".xhtml", ".html", ".opf", ".ncx"))
        ]
    return " ".join(re.sub(r"<[^>]+>", " ", part) for part in parts)
