"""The cyclic garbage collector is paused while an article is read or set, and left as it was found."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from typing import Any

import pytest

from kalbajar_report import collector, load_article
from kalbajar_report.build import render_briefing


@pytest.fixture
def collector_state() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_restored_after(collector_state: None) -> None:
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(collector_state: None) -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_restored_when_the_block_raises(collector_state: None) -> None:
    gc.enable()
    with pytest.raises(ValueError), collector.paused():
        raise ValueError("a user's mistake")
    assert gc.isenabled()


def test_reading_and_setting_run_with_the_collector_off_and_leave_it_on(
    collector_state: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kalbajar_report.pdf.paragraph as paragraph
    import kalbajar_report.reader as reader

    seen: dict[str, list[bool]] = {"read": [], "set": []}
    real_items, real_bib = paragraph.build_items, reader.load_bibliography

    def build_items(*args: Any, **kwargs: Any) -> Any:
        seen["set"].append(gc.isenabled())
        return real_items(*args, **kwargs)

    def load_bibliography(*args: Any, **kwargs: Any) -> Any:
        seen["read"].append(gc.isenabled())
        return real_bib(*args, **kwargs)

    monkeypatch.setattr(paragraph, "build_items", build_items)
    monkeypatch.setattr(reader, "load_bibliography", load_bibliography)
    gc.enable()
    article = load_article()
    assert gc.isenabled()
    files, result = render_briefing(article, dt.date(2026, 1, 1))
    assert gc.isenabled()
    assert seen["read"] == [False]
    assert len(seen["set"]) > 50 and not any(seen["set"])
    assert result.pages > 1 and files["kalbajar-briefing.pdf"].startswith(b"%PDF")
