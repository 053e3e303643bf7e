"""The composed article, read by the project's reader, checked against its two seed revisions.

Every printed sentence must be reproducible from its seed line: take the line its ``~`` provenance names,
detokenise it (older revision) or strip its leading reference markers (newer revision), apply every
replacement pair of every edit in order, and the printed sentence (citations removed) must be found in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kalbajar_report import BlockQuote, Edit, Provenance, load_article
from kalbajar_report.wikitext import detokenize

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
OLD_SEED = SEEDS / "001_37987845c617e723.txt"
NEW_SEED = SEEDS / "000_4d65755800a609eb.txt"

_NUMBERED = re.compile(r"\[(\d+)\]")
_LEADING_MARKERS = re.compile(r"^(?:\[\d+\])+\s*")
_QUOTED_PASSAGE = re.compile(r"“[^”]*”")


@dataclass(frozen=True)
class Printed:
    """One sentence of the article, as the project's reader gives it."""

    line: int
    text: str  # without citations
    cites: str  # the trailing citations as written, e.g. "[30][35][36]"
    quote: bool  # a sentence of a block quotation
    provenance: Provenance


def _read_article() -> list[Printed]:
    out: list[Printed] = []
    for section in load_article().walk():
        for block in section.blocks:
            for s in block.sentences:
                cites = "".join(c.source_text for c in s.citations)
                out.append(
                    Printed(s.location.line, s.text, cites, isinstance(block, BlockQuote), s.provenance)
                )
    return out


def _parse_provenance(provenance: Provenance) -> tuple[str, int | None, tuple[Edit, ...]]:
    return provenance.origin, provenance.line, provenance.edits


def _seed_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def seeds() -> tuple[list[str], list[str]]:
    if not (OLD_SEED.is_file() and NEW_SEED.is_file()):
        pytest.skip(f"seed revisions not found in {SEEDS} (the repository sits beside ../shared)")
    return _seed_lines(OLD_SEED), _seed_lines(NEW_SEED)


@pytest.fixture(scope="module")
def article() -> list[Printed]:
    return _read_article()


def _source(origin: str, number: int, seeds: tuple[list[str], list[str]]) -> str:
    old, new = seeds
    lines = old if origin == "old" else new
    assert 1 <= number <= len(lines), f"{origin}:{number} is not a line of the seed"
    raw = lines[number - 1]
    assert raw.strip(), f"{origin}:{number} is a blank line"
    return detokenize(raw) if origin == "old" else _LEADING_MARKERS.sub("", raw)


def _next_nonblank(lines: list[str], number: int) -> str:
    for raw in lines[number:]:
        if raw.strip():
            return raw
    return ""


# --- the composed article against the seeds ----------------------------------------------------------


def test_every_sentence_has_provenance(article: list[Printed]) -> None:
    assert len(article) > 60
    missing = [p.line for p in article if p.provenance.origin == "author"]
    assert not missing, f"sentences without a '~' line: {missing}"


def test_every_sentence_reproduces_from_its_seed_line(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    old, _ = seeds
    for printed in article:
        origin, number, edits = _parse_provenance(printed.provenance)
        assert origin in ("old", "new"), f"line {printed.line}: every sentence here comes from a seed"
        assert number is not None
        text = _source(origin, number, seeds)
        for edit in edits:
            if edit.kind == "reworded":
                assert origin == "new" and edit.ref and re.fullmatch(r"old:\d+", edit.ref), printed.line
                assert old[int(edit.ref[4:]) - 1].strip(), f"line {printed.line}: reworded a blank line"
            if edit.kind in ("spelling", "garble", "updated", "joined"):
                assert edit.pairs, f"line {printed.line}: {edit.kind} without pairs"
            for before, after in edit.pairs:
                assert before in text, f"line {printed.line}: pair {before!r} changes nothing"
                text = text.replace(before, after)
        assert printed.text in text, (
            f"line {printed.line}: {printed.text!r} not reproduced from {origin}:{number}"
        )


def test_joined_text_really_comes_from_the_older_revision(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    old, _ = seeds
    joins = 0
    for printed in article:
        origin, number, edits = _parse_provenance(printed.provenance)
        assert number is not None
        candidates = []
        if origin == "old":
            candidates.append(detokenize(_next_nonblank(old, number)))
        candidates += [detokenize(old[int(e.ref[4:]) - 1]) for e in edits if e.kind == "reworded" and e.ref]
        for edit in (e for e in edits if e.kind == "joined"):
            for before, after in edit.pairs:
                joins += 1
                assert after.startswith(before), f"line {printed.line}: a join only appends"
                tail = after[len(before) :].strip()
                assert any(tail in c for c in candidates), f"line {printed.line}: {tail!r} is not in the seed"
    assert joins == 2


def test_every_newer_sentence_is_represented_once(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    _, new = seeds
    used: list[int] = []
    for printed in article:
        origin, number, _ = _parse_provenance(printed.provenance)
        if origin == "new":
            assert number is not None
            used.append(number)
    assert sorted(used) == list(range(1, len(new) + 1)) == list(range(1, 21))
    assert used == sorted(used), "the newer sentences keep their relative order"


def test_no_sentence_is_printed_twice(article: list[Printed]) -> None:
    texts = [p.text for p in article]
    assert len(texts) == len(set(texts))


def test_markers_follow_the_newer_revision(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    _, new = seeds
    expected = [int(m) for line in new for m in _NUMBERED.findall(line)]
    assert expected == [14, 17, 17, 21, 16, 26, 23, 30, 35, 36, 38, 39, 16, 42]
    printed = [int(m) for p in article for m in _NUMBERED.findall(p.cites)]
    assert printed == expected


def test_each_marker_closes_the_sentence_before_the_marked_one(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    _, new = seeds
    for index, printed in enumerate(article):
        origin, number, _ = _parse_provenance(printed.provenance)
        if origin != "new":
            continue
        assert number is not None
        leading = _LEADING_MARKERS.match(new[number - 1])
        markers = re.findall(r"\[\d+\]", leading.group(0)) if leading else []
        if markers:
            assert index > 0
            before = article[index - 1]
            assert re.findall(r"\[\d+\]", before.cites) == markers, (
                f"new:{number} is marked {''.join(markers)}; the sentence before it "
                f"(line {before.line}) carries {before.cites!r}"
            )


def test_named_works_are_cited(article: list[Printed]) -> None:
    by_key = {
        key: [p.text for p in article if f"[@{key}]" in p.cites]
        for key in ("hrw1994", "unsc822", "zinvor1993")
    }
    assert by_key["hrw1994"] == [t for t in by_key["hrw1994"] if t.startswith("Human Rights Watch findings")]
    assert len(by_key["hrw1994"]) == 1
    assert len(by_key["unsc822"]) == 1 and "Resolution 822" in by_key["unsc822"][0]
    assert len(by_key["zinvor1993"]) == 1 and "In an interview given in April 1993" in by_key["zinvor1993"][0]
    for printed in article:  # numbered markers stand before named citations
        assert not re.search(r"\[@[^\]]+\]\[\d+\]", printed.cites), printed.line


def test_no_tokenization_artefacts(article: list[Printed]) -> None:
    for printed in article:
        for artefact in (
            " @",
            "@ ",
            " ,",
            " .",
            " ;",
            " :",
            " !",
            " ?",
            " )",
            "( ",
            " 's",
            "n 't",
            '"',
            " ’",
            "...",
            "  ",
        ):
            assert artefact not in printed.text, f"line {printed.line}: {artefact!r} in {printed.text!r}"
        assert not re.search(r"\d \?\s*\d", printed.text), printed.line
        assert "'" not in printed.text, f"line {printed.line}: straight apostrophe"


def test_narrative_spelling(article: list[Printed]) -> None:
    for printed in article:
        assert "Kelbajar" not in printed.text
        assert "currently under the control" not in printed.text
        if printed.quote:
            continue
        narrative = _QUOTED_PASSAGE.sub("“…”", printed.text)
        for banned in (
            r"\bAzeris?\b",
            r"\bkilometers?\b",
            r"\bdefenses?\b",
            r"\bSuret\b",
            r"Daribaltayan",
            r"Dalibaltyan",
            r"Zulufgarli",
            r"\barmor(?:ed)?\b",
            r"\bneighbor",
            r"\braion\b",
        ):
            assert not re.search(banned, narrative), f"line {printed.line}: {banned} in {printed.text!r}"


def test_garbles_are_corrected(article: list[Printed]) -> None:
    for printed in article:
        for garble in (
            "by both air and the through",
            "tasked to defending",
            "unravel upon in",
            "the city’s capital",
            "co -sponsored",
        ):
            assert garble not in printed.text, f"line {printed.line}: {garble!r}"


def test_stale_and_updated_claims(article: list[Printed]) -> None:
    texts = [p.text for p in article]
    assert not any("currently" in t for t in texts)
    assert (
        texts[0]
        == "The Battle of Kalbajar took place in March and April 1993, during the First Nagorno-Karabakh War."
    )
    assert any(
        t.startswith(
            "Kalbajar was under the control of the self-proclaimed Nagorno-Karabakh Republic until "
            "25 November 2020"
        )
        for t in texts
    )


def test_block_quotation_and_sections() -> None:
    model = load_article()
    quotes = [b for sec in model.walk() for b in sec.blocks if isinstance(b, BlockQuote)]
    assert [(q.attribution, [c.key for c in q.attribution_citations]) for q in quotes] == [
        ("Markar Melkonian, My Brother’s Road", ["melkonian2005"])
    ]
    assert list(model.section_ids) == [
        "overview",
        "background",
        "rationale-for-its-taking",
        "the-battle",
        "heavy-resistance",
        "melkonians-advance",
        "final-push",
        "political-ramifications",
    ]
    assert not any("Kelbajar" in sec.title for sec in model.walk())


def test_facts_and_events_quote_their_section() -> None:
    model = load_article()
    assert len(model.facts) in range(4, 7)
    for item in (*model.facts, *model.events):
        assert item.sentence in list(model.section(item.section_id).sentences())
    dates = [e.date.iso() for e in model.events]
    for date in (
        "1988-02",
        "1991",
        "1992-05-09",
        "1993-03-27",
        "1993-03-28",
        "1993-03-29",
        "1993-03-31",
        "1993-04-01",
        "1993-04-02",
        "1993-04-03",
        "1993-04-14",
        "1993-04-30",
        "1993-05-06",
    ):
        assert date in dates, date
