"""The composed article checked against its two seed revisions, without the project's reader.

Every printed sentence must be reproducible from its seed line: take the line its ``~`` provenance names,
detokenise it (older revision) or strip its leading reference markers (newer revision), apply every
replacement pair of every edit in order, and the printed sentence (citations removed) must be found in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from kalbajar_report.wikitext import detokenize

ARTICLE = Path(__file__).resolve().parents[1] / "kalbajar_report" / "content" / "kalbajar.article"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
OLD_SEED = SEEDS / "001_37987845c617e723.txt"
NEW_SEED = SEEDS / "000_4d65755800a609eb.txt"

_TRAILING_CITES = re.compile(r"(?:\[(?:\d+|@[^\]\s]+)\])+$")
_NUMBERED = re.compile(r"\[(\d+)\]")
_LEADING_MARKERS = re.compile(r"^(?:\[\d+\])+\s*")
_PAIR = re.compile(r'"((?:[^"\\]|\\.)*)"\s*(?:->|→)\s*"((?:[^"\\]|\\.)*)"')
_ORIGIN = re.compile(r"^(old|new|editor|author)(?::(\d+))?$")
_QUOTED_PASSAGE = re.compile(r"“[^”]*”")


@dataclass(frozen=True)
class Printed:
    """One sentence line of the article with its provenance."""

    line: int
    text: str  # without citations
    cites: str  # the trailing citations, e.g. "[30][35][36]"
    quote: bool  # a '>' line of a block quotation
    provenance: str | None


@dataclass(frozen=True)
class Edit:
    kind: str
    rest: str
    pairs: tuple[tuple[str, str], ...]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _split_edits(text: str) -> list[str]:
    parts: list[str] = []
    buf: list[str] = []
    quoted = escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            parts.append("".join(buf).strip())
            buf = []
            continue
        buf.append(ch)
    parts.append("".join(buf).strip())
    return [p for p in parts if p]


def _parse_provenance(text: str) -> tuple[str, int | None, list[Edit]]:
    head, *rest = _split_edits(text)
    match = _ORIGIN.match(head)
    assert match, f"bad origin {head!r}"
    edits = []
    for part in rest:
        kind, _, tail = part.partition(" ")
        pairs = tuple((_unescape(a), _unescape(b)) for a, b in _PAIR.findall(tail))
        edits.append(Edit(kind, tail.strip(), pairs))
    return match[1], int(match[2]) if match[2] else None, edits


def _read_article() -> list[Printed]:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    out: list[Printed] = []
    for index, raw in enumerate(lines):
        line = raw.rstrip()
        if not line or line.startswith(("%%", "@", "#", "~", ">>")):
            continue
        quote = line.startswith(">")
        body = line[1:].strip() if quote else line
        match = _TRAILING_CITES.search(body)
        cites = match.group(0) if match else ""
        text = body[: match.start()].rstrip() if match else body
        following = lines[index + 1] if index + 1 < len(lines) else ""
        provenance = following[1:].strip() if following.startswith("~") else None
        out.append(Printed(index + 1, text, cites, quote, provenance))
    return out


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
    missing = [p.line for p in article if p.provenance is None]
    assert not missing, f"sentences without a '~' line: {missing}"


def test_every_sentence_reproduces_from_its_seed_line(
    article: list[Printed], seeds: tuple[list[str], list[str]]
) -> None:
    old, _ = seeds
    for printed in article:
        assert printed.provenance is not None
        origin, number, edits = _parse_provenance(printed.provenance)
        assert origin in ("old", "new"), f"line {printed.line}: every sentence here comes from a seed"
        assert number is not None
        text = _source(origin, number, seeds)
        for edit in edits:
            if edit.kind == "reworded":
                assert origin == "new" and re.fullmatch(r"old:\d+", edit.rest), printed.line
                assert old[int(edit.rest[4:]) - 1].strip(), f"line {printed.line}: reworded a blank line"
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
        assert printed.provenance is not None
        origin, number, edits = _parse_provenance(printed.provenance)
        assert number is not None
        candidates = []
        if origin == "old":
            candidates.append(detokenize(_next_nonblank(old, number)))
        candidates += [detokenize(old[int(e.rest[4:]) - 1]) for e in edits if e.kind == "reworded"]
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
        assert printed.provenance is not None
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
        assert printed.provenance is not None
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
    text = ARTICLE.read_text(encoding="utf-8")
    assert ">> Markar Melkonian, My Brother’s Road[@melkonian2005]" in text.splitlines()
    ids = re.findall(r"^#+ .+ \{#([a-z0-9-]+)\}$", text, flags=re.M)
    assert ids == [
        "overview",
        "background",
        "rationale-for-its-taking",
        "the-battle",
        "heavy-resistance",
        "melkonians-advance",
        "final-push",
        "political-ramifications",
    ]
    assert "region of Kelbajar {#" not in text


def test_facts_and_events_quote_their_section(article: list[Printed]) -> None:
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    section_of: dict[int, str] = {}
    current = ""
    for number, line in enumerate(lines, start=1):
        heading = re.match(r"^#+ .+ \{#([a-z0-9-]+)\}$", line)
        if heading:
            current = heading.group(1)
        section_of[number] = current
    by_section: dict[str, list[str]] = {}
    for printed in article:
        by_section.setdefault(section_of[printed.line], []).append(printed.text)
    directives = [ln for ln in lines if ln.startswith(("@fact:", "@event:"))]
    assert sum(ln.startswith("@fact:") for ln in directives) in range(4, 7)
    for line in directives:
        fields = [f.strip() for f in line.split(":", 1)[1].split("|")]
        assert len(fields) == 4, line
        phrase = _unescape(fields[3].strip('"'))
        assert any(phrase in t for t in by_section.get(fields[2], [])), line
    dates = [ln.split(":", 1)[1].split("|")[0].strip() for ln in directives if ln.startswith("@event:")]
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


# --- detokenize on real fragments of the older revision -----------------------------------------------


@pytest.mark.parametrize(
    ("tokenized", "expected"),
    [
        (
            "Nagorno @-@ Karabakh 's population was approximately 75 % ethnic Armenian .",
            "Nagorno-Karabakh’s population was approximately 75% ethnic Armenian.",
        ),
        ("an area of over 1 @, @ 900 square kilometers", "an area of over 1,900 square kilometers"),
        ("a total of 3 @,@ 000 square kilometers", "a total of 3,000 square kilometers"),
        ("a growth of 3 @.@ 5 percent", "a growth of 3.5 percent"),
        ('opened a second " corridor " for Armenia', "opened a second “corridor” for Armenia"),
        ("by the Armenians ' most successful commander", "by the Armenians’ most successful commander"),
        ("of his forces ' positions was", "of his forces’ positions was"),
        ("Martuni (Khojavend) , the decision", "Martuni (Khojavend), the decision"),
        (
            "stated , \" We 're never going to leave ... we 'll fight to the end . \"",
            "stated, “We’re never going to leave… we’ll fight to the end.”",
        ),
        ('" Don \'t ever do that ! " ... [Melkonian] found', "“Don’t ever do that!”… [Melkonian] found"),
        ("that isn 't conducive", "that isn’t conducive"),
        ("U.S. , Russia and Turkey", "U.S., Russia and Turkey"),
        (
            "( Özal would die of a heart attack just three days later ) .",
            "(Özal would die of a heart attack just three days later).",
        ),
        (
            'Identified by his radio codename , " Khan " , the governor',
            "Identified by his radio codename, “Khan”, the governor",
        ),
        ("approximately 45 @, @ 000 ? 60 @, @ 000 was", "approximately 45,000? 60,000 was"),
    ],
)
def test_detokenize_fragments(tokenized: str, expected: str) -> None:
    assert detokenize(tokenized) == expected


def test_detokenize_leaves_plain_text_alone() -> None:
    plain = "Kalbajar was a rayon surrounded by several canyons and the Murov Mountains."
    assert detokenize(plain) == plain
    once = detokenize('He stated , " It would be nice , and that \'s that . "')
    assert detokenize(once) == once == "He stated, “It would be nice, and that’s that.”"
