"""Shared fixtures: the shipped article, one reproducible build of the briefing, generated documents."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kalbajar_report import Article, BuildResult, build_briefing, load_article

EPOCH = "1700000000"  # 14 November 2023


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
