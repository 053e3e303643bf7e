"""The WikiText-103 detokenizer on real fragments of the older revision."""

from __future__ import annotations

import pytest

from kalbajar_report.wikitext import detokenize


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
