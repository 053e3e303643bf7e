"""The page builder on plain numbers: lines, notes and heights in, what stands on the page out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalbajar_report.pdf.pagebuilder import (
    Carried,
    NoteMetrics,
    NotePlan,
    fit_lines,
    lines_to_keep,
    new_notes,
    plan_notes,
    take_carried,
)

M = NoteMetrics(leading=10.0, gap=2.0, separator=13.0, continued=9.5, split_min=150.0)
LINE = 14.0


def fit(
    occ: list[list[str]], room: float, notes: dict[str, int], on_page: frozenset[str] = frozenset()
) -> tuple[int, NotePlan]:
    owners = {o: o.split(":")[0] for line in occ for o in line}
    got = fit_lines(occ, [False] * len(occ), LINE, room, owners, on_page, {}, notes, not on_page, M)
    return got.lines, got.plan or NotePlan(())


@pytest.mark.parametrize(
    ("n", "fit_", "expected"),
    [
        (10, 20, 10),
        (10, 10, 10),
        (10, 9, 8),
        (10, 8, 8),
        (10, 1, 0),
        (10, 2, 2),
        (3, 2, 0),
        (4, 2, 2),
        (5, 3, 3),
    ],
)
def test_widows_and_orphans(n: int, fit_: int, expected: int) -> None:
    assert lines_to_keep([False] * n, fit_) == expected


def test_no_page_ends_on_a_hyphen_unless_nothing_else_keeps_two_lines_each_side() -> None:
    hyph = [False, False, False, True, False, False, False, False]
    assert lines_to_keep(hyph, 4) == 3
    # lines 2 to 4 all end hyphenated: keeping two lines each side wins over the hyphen rule
    assert lines_to_keep([False, True, True, True, False, False], 4) == 4
    assert lines_to_keep([True] * 8, 5) == 5  # every line hyphenated: the rule gives way


def test_lines_stand_with_the_notes_of_their_markers() -> None:
    occ = [["a:1"], [], ["b:1"], [], [], ["c:1"]]
    notes = {"a": 2, "b": 3, "c": 1}
    # room for everything: 6 lines and three notes with the separator
    lines, plan = fit(occ, 6 * LINE + 13 + 22 + 32 + 12, notes)
    assert lines == 6 and plan.notes == ("a", "b", "c")
    # one point short: line 6 cannot come with its note, and line 5 would leave a widow
    lines, plan = fit(occ, 6 * LINE + 13 + 22 + 32 + 12 - 1, notes)
    assert lines == 4 and plan.notes == ("a", "b")


def test_a_note_already_on_the_page_is_not_repeated() -> None:
    occ = [["a:1"], ["a:2"], ["a:3"]]
    lines, plan = fit(occ, 3 * LINE + 13 + 22, {"a": 2})
    assert lines == 3 and plan.notes == ("a",)
    lines, plan = fit(occ, 3 * LINE, {"a": 2}, on_page=frozenset({"a"}))
    assert lines == 3 and plan.notes == ()


def test_a_short_note_gives_way_to_its_full_note_on_the_same_page() -> None:
    assert new_notes(["x", "y"], {"x": "k", "y": "k~"}, frozenset(), {"k~": "k"}) == ["k"]
    assert new_notes(["y"], {"y": "k~"}, frozenset({"k"}), {"k~": "k"}) == []
    assert new_notes(["y"], {"y": "k~"}, frozenset(), {"k~": "k"}) == ["k~"]


def test_a_long_note_is_split_keeping_at_least_two_lines_on_its_page() -> None:
    plan = plan_notes(["a", "long"], {"a": 2, "long": 40}, 100.0, True, M)
    assert plan is not None
    assert plan.notes == ("a", "long") and plan.splits["long"] >= 2
    assert plan.grow <= 100.0
    # the split keeps as many lines as fit: 100 - 13 - 22 - 2 - 9.5 = 53.5 -> 5 lines
    assert plan.splits["long"] == 5
    assert plan_notes(["long"], {"long": 40}, 30.0, True, M) is None  # not even two lines fit


def test_short_notes_are_never_split() -> None:
    assert plan_notes(["a", "b"], {"a": 10, "b": 10}, 150.0, True, M) is None


def test_carried_notes_take_the_top_of_the_next_page() -> None:
    take = take_carried([Carried("a", 5), Carried("b", 40), Carried("c", 3)], 200.0, 0.0, M)
    assert take.placed[0] == ("a", 5, False)
    note, lines, goes_on = take.placed[1]
    assert note == "b" and goes_on and lines == (200 - 13 - 52 - 2 - 9.5) // 10
    assert take.carry == (Carried("b", 40 - lines), Carried("c", 3))


@settings(max_examples=200, deadline=None)
@given(
    occ=st.lists(st.lists(st.sampled_from("abcdefgh"), max_size=3), min_size=1, max_size=40),
    sizes=st.lists(st.integers(min_value=1, max_value=30), min_size=8, max_size=8),
    room=st.floats(min_value=0, max_value=800),
)
def test_what_is_kept_always_fits_with_its_notes(occ: list[list[str]], sizes: list[int], room: float) -> None:
    notes = dict(zip("abcdefgh", sizes, strict=True))
    occurrences = [[f"{n}:{i}" for n in line] for i, line in enumerate(occ)]
    lines, plan = fit(occurrences, room, notes)
    assert 0 <= lines <= len(occ)
    if lines == 0:
        return
    assert lines == len(occ) or (lines >= 2 and len(occ) - lines >= 2)
    assert plan is not None
    wanted = list(dict.fromkeys(n for line in occ[:lines] for n in line))
    assert sorted(plan.notes) == sorted(wanted)
    assert lines * LINE + plan.grow <= room + 1e-6
    for note, kept in plan.splits.items():
        assert 2 <= kept < notes[note]
