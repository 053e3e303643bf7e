"""The per-user cache of hyphenation points: pyphen's own points, kept between builds, never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pyphen
import pytest

from kalbajar_report import build_briefing, load_article
from kalbajar_report.pdf import hyphencache
from kalbajar_report.pdf.paragraph import Hyphenator

WORDS = ["Kalbajar", "offensive", "international", "Azerbaijani", "mountainous", "humanitarian"]


def pyphen_points(word: str) -> tuple[int, ...]:
    return tuple(pyphen.Pyphen(lang="en_GB", left=2, right=3).positions(word))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(hyphencache.ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def no_dictionary(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pyphen's dictionary was loaded")

    monkeypatch.setattr(pyphen, "Pyphen", refuse)


def test_a_second_hyphenator_reads_the_points_without_the_dictionary(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Hyphenator()
    learnt = {w: first.points(w) for w in WORDS}
    assert learnt == {w: pyphen_points(w) for w in WORDS}
    assert any(learnt.values())
    first.save()
    [written] = folder.glob("hyphenation-en_GB-2-3.json")
    assert set(json.loads(written.read_text(encoding="utf-8"))["words"]) == set(WORDS)
    no_dictionary(monkeypatch)
    second = Hyphenator()
    assert {w: second.points(w) for w in WORDS} == learnt


@pytest.mark.parametrize(
    "text",
    [
        "not json {",
        "[]",
        '{"format": 1, "stamp": "pyphen 0.0; other.dic 00", "words": {"offensive": [2, 5]}}',
        '{"format": 1, "stamp": "STAMP", "words": {"offensive": [2, 50]}}',
        '{"format": 1, "stamp": "STAMP", "words": {"offensive": [5, 2]}}',
        '{"format": 1, "stamp": "STAMP", "words": {"offensive": ["2"]}}',
        '{"format": 2, "stamp": "STAMP", "words": {"offensive": [1]}}',
    ],
    ids=["broken", "not-an-object", "other-dictionary", "out-of-range", "unsorted", "not-numbers", "format"],
)
def test_a_cache_that_is_not_ours_is_ignored_and_replaced(folder: Path, text: str) -> None:
    stamp = hyphencache.dictionary_stamp("en_GB", pyphen.__version__, pyphen.LANGUAGES)
    assert stamp is not None
    folder.mkdir()
    path = folder / "hyphenation-en_GB-2-3.json"
    path.write_text(text.replace("STAMP", stamp), encoding="utf-8")
    hyphenator = Hyphenator()
    assert hyphenator.points("offensive") == pyphen_points("offensive")
    hyphenator.save()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["stamp"] == stamp
    assert data["words"] == {"offensive": list(pyphen_points("offensive"))}


def test_turned_off_the_cache_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(hyphencache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    hyphenator = Hyphenator()
    assert hyphenator.points("international") == pyphen_points("international")
    hyphenator.save()
    assert list(tmp_path.rglob("*")) == []
    assert hyphencache.cache_folder() is None


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(hyphencache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert hyphencache.cache_folder() == tmp_path / "kalbajar_report"


def test_an_unwritable_cache_does_not_stop_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv(hyphencache.ENV, str(blocker / "cache"))
    result = build_briefing(load_article(), tmp_path / "out")
    assert result.pdf.stat().st_size > 0


def test_the_pdf_is_the_same_with_a_cold_a_warm_and_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, epoch: str
) -> None:
    article = load_article()
    monkeypatch.setenv(hyphencache.ENV, str(tmp_path / "cache"))
    cold = build_briefing(article, tmp_path / "cold").pdf.read_bytes()
    cached = json.loads((tmp_path / "cache" / "hyphenation-en_GB-2-3.json").read_text(encoding="utf-8"))
    assert len(cached["words"]) > 20  # the shipped article has paragraphs that need hyphenation
    no_dictionary(monkeypatch)
    warm = build_briefing(article, tmp_path / "warm").pdf.read_bytes()
    monkeypatch.undo()
    monkeypatch.setenv(hyphencache.ENV, "off")
    off = build_briefing(article, tmp_path / "off").pdf.read_bytes()
    assert cold == warm == off
