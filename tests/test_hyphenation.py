"""The lazily loaded pyphen dictionary gives pyphen's own patterns, ``maxlen`` and hyphenation."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kalbajar_report import Article
from kalbajar_report.pdf.hyphenation import LazyHyphDict, load_pyphen
from kalbajar_report.pdf.styles import Hyphenator


def pattern_lines(path: Path) -> list[str]:
    """A dictionary's pattern lines, stripped, as pyphen reads them (comments and settings left out)."""
    encoding = path.read_bytes().split(b"\n", 1)[0].decode()
    lines = [line.strip() for line in path.read_text(encoding).split("\n")[1:]]
    return [
        line
        for line in lines
        if line and not line.startswith(("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUND"))
    ]


# every dictionary shipped with pyphen, once: LANGUAGES also maps short names to the files, and some
# files differ only in their comments (de_AT and de_CH from de_DE, nn_NO from nb_NO)
_BY_PATTERNS: dict[tuple[str, ...], Path] = {}
for _path in sorted(set(pyphen.LANGUAGES.values()), key=lambda path: path.name):
    _BY_PATTERNS.setdefault(tuple(pattern_lines(_path)), _path)
DICTIONARIES = list(_BY_PATTERNS.values())

TRICKY_WORDS = [
    "",
    "a",
    "hyphenation",
    "Hyphenation",
    "HYPHENATION",
    "hyPHenaTion",
    "antidisestablishmentarianism",
    "supercalifragilisticexpialidocious",
    "floccinaucinihilipilification",
    "Nagorno-Karabakh",
    "self-determination",
    "Kəlbəcər",
    "Ağdərə",
    "Azərbaycan",
    "Mardakert",
    "Stepanakert",
    "Martakert",
    "İstanbul",  # lower() makes it one character longer
    "naïve",
    "coöperation",
    "ﬁnancial",  # the en_GB patterns include ligatures
    "eﬀective",
    "o’clock",
    "don't",
    "rock'n'roll",
    "e.g.",
    "1993",
    "T-72",
    "UN-Security-Council",
    "internationally",
    "re-establishment",
    "counter-offensive",
    "humanitarian",
    "Armenian",
    "Azerbaijani",
]


def comparable(patterns: dict[str, Any]) -> dict[str, tuple[int, tuple[tuple[str, int, Any], ...]]]:
    """Patterns with each value's type and ``data`` spelled out (a ``DataInt`` equals its int)."""
    return {
        key: (start, tuple((type(v).__name__, int(v), getattr(v, "data", None)) for v in values))
        for key, (start, values) in patterns.items()
    }


def comparable_positions(positions: list[Any]) -> list[tuple[int, Any]]:
    return [(int(p), p.data) for p in positions]


def assert_same_dictionary(path: Path) -> None:
    expected, lazy = pyphen.HyphDict(path), LazyHyphDict(path)
    assert lazy.maxlen == expected.maxlen
    assert comparable(lazy.patterns) == comparable(expected.patterns)  # forces every pattern's parse


@pytest.mark.parametrize("path", DICTIONARIES, ids=lambda path: path.name)
def test_every_shipped_dictionary_parses_to_pyphens_patterns(path: Path) -> None:
    assert_same_dictionary(path)


def test_the_shipped_dictionaries_cover_the_special_cases() -> None:
    """Nonstandard alternatives, all-zero patterns and repeated keys all occur in the comparison above."""
    assert any("/" in line and "=" in line for line in pattern_lines(pyphen.LANGUAGES["hu_HU"]))
    assert any(not re.search("[1-9]", line) for line in pattern_lines(pyphen.LANGUAGES["en_GB"]))
    keys = [re.sub(r"\d", "", line) for line in pattern_lines(pyphen.LANGUAGES["de_DE"])]
    assert len(set(keys)) < len(keys)
    assert len(DICTIONARIES) > 40


# Made-up dictionaries for what the shipped ones lack (^^hh escapes, digits of other scripts, other line
# ends) and for pyphen's rules on repeated keys: the last pattern wins unless it is all zeros.
SYNTHETIC = {
    "hex-escapes": (
        "UTF-8\n% ^^41\n^^e9^^e82t\n"
        "1^^31x\n"  # an escaped digit is a value
        "a1^^2fb=,1,1\nq1r/x^^3d,1,1\n"  # an escaped "/" or "=" makes an alternative
        "^^41^^4a1b\n^^4A1b\n.ab1c\n"  # upper-case hex digits are not an escape
    ),
    "alternatives": "UTF-8\nc1c/c=,1,1\nss1z/sz=sz,2,3\n.a1b/x=,1,1\n1p/=,1,1\n0b/b=,1,1\nab1cd\n",
    "repeated-keys": (
        "UTF-8\na1b\na0b\n"  # a later all-zero pattern leaves the earlier one
        "c0d\nc1d\n"  # a later non-zero pattern replaces it
        "e1f\ne3f\ne2f\n"  # the last non-zero pattern wins
        "g0h\ng0h0\n"  # all zeros only: no pattern
        "ij1k\n"
    ),
    "comment-key-collides": "UTF-8\n%\n1%\n#1\n#\nLEFTHYPHENMIN 2\n2LEFTHYPHENMIN\nx1y\n",
    "other-digits": "UTF-8\na٣b\nc1d\n.e٢f\n",
    "multiple-digits": "UTF-8\na12b\n1c2d3\n00e0\n0f0g01\n",
    "longest-key-all-zero": "UTF-8\nabcdefgh\nabcdefg0\nab1cd\nx1\n",
    "whitespace-and-line-ends": "UTF-8\r\n  a1b  \r\n\r\nc1d\re1f\n\t\n g 1h \nRIGHTHYPHENMIN 3\n",
    "latin-1": "ISO8859-1\nä1b\nç1c\n.é1\n",
    "plain": "UTF-8\n% a comment\n% a comment\n\n.ab1\n\n1ba\nb1c\nc1d2e\n\n",
}
SYNTHETIC_WORDS = "abc cdcde ssz assza ab éèt x1a a/b aj ijk gh a٣b äbçc abcdefgh qr q=r %x".split()


def write_dictionary(folder: Path, name: str) -> Path:
    text = SYNTHETIC[name]
    path = folder / f"hyph_{name}.dic"
    path.write_bytes(text.encode("latin-1" if text.startswith("ISO8859-1") else "utf-8"))
    return path


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_made_up_dictionaries_parse_to_pyphens_patterns(tmp_path: Path, name: str) -> None:
    path = write_dictionary(tmp_path, name)
    assert_same_dictionary(path)
    expected, lazy = pyphen.HyphDict(path), LazyHyphDict(path)
    for word in SYNTHETIC_WORDS:  # here patterns are parsed one lookup at a time
        assert comparable_positions(lazy.positions(word)) == comparable_positions(expected.positions(word))


@pytest.mark.parametrize(
    ("text", "error"),
    [("UTF-8\n% nothing but a comment\n", ValueError), ("microsoft-cp1251\nа1б\n", LookupError)],
)
def test_bad_dictionaries_fail_as_in_pyphen(tmp_path: Path, text: str, error: type[Exception]) -> None:
    path = tmp_path / "hyph_xx.dic"
    path.write_bytes(text.encode("cp1251"))
    with pytest.raises(error):
        pyphen.HyphDict(path)
    with pytest.raises(error):
        LazyHyphDict(path)


@functools.cache
def pair(lang: str, left: int = 2, right: int = 3) -> tuple[pyphen.Pyphen, pyphen.Pyphen]:
    """pyphen's own hyphenator and ours, for one language."""
    return pyphen.Pyphen(lang=lang, left=left, right=right), load_pyphen(lang, left=left, right=right)


def article_words(article: Article) -> set[str]:
    texts = [sentence.text for sentence in article.sentences()]
    texts += [section.title for section in article.walk()]
    words = {word for text in texts for word in text.split()}  # as written, punctuation and all
    return words | {word for text in texts for word in re.findall(r"[^\W\d_]+", text)}


def test_the_article_is_hyphenated_as_by_pyphen(article: Article) -> None:
    expected, lazy = pair("en_GB")
    words = sorted(article_words(article)) + TRICKY_WORDS
    assert len(words) > 500
    for word in words:
        assert list(lazy.iterate(word)) == list(expected.iterate(word)), word
    hyphenator = Hyphenator()
    for word in words:
        assert hyphenator(word) == list(expected.iterate(word)), word


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("hu_HU", ["asszonnyal", "hosszú", "Hosszú", "HOSSZÚ", "összeggyel", "kulccsal", "meggyet"]),
        ("ca", ["col·lecció", "il·lusió", "paral·lel", "ŀlegal"]),
        ("de_DE", ["Schifffahrt", "Donaudampfschifffahrtsgesellschaft", "herab", "heraus"]),
        ("en_US", TRICKY_WORDS),
    ],
)
def test_other_languages_are_hyphenated_as_by_pyphen(lang: str, words: list[str]) -> None:
    expected, lazy = pair(lang, 2, 2)
    for word in words:
        assert list(lazy.iterate(word)) == list(expected.iterate(word)), word
        assert lazy.inserted(word) == expected.inserted(word), word


def test_load_pyphen_resolves_the_language_as_pyphen_does_and_leaves_its_cache_alone() -> None:
    before = dict(pyphen.hdcache)
    dic = load_pyphen("en-gb", left=2, right=3)
    assert dict(pyphen.hdcache) == before
    assert isinstance(dic, pyphen.Pyphen)
    assert isinstance(dic.hd, LazyHyphDict)
    assert (dic.left, dic.right) == (2, 3)
    assert dic.hd.maxlen == pyphen.HyphDict(pyphen.LANGUAGES["en_GB"]).maxlen
    with pytest.raises(KeyError):
        load_pyphen("xx_YY", left=2, right=3)


def test_positions_are_cached_per_word() -> None:
    hd = load_pyphen("en_GB", left=2, right=3).hd
    assert hd.positions("Hyphenation") is hd.positions("hyphenation")
    assert "hyphenation" in hd.cache


LOWERCASE_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), max_size=30)


@settings(max_examples=400, deadline=None)
@given(LOWERCASE_WORD)
def test_random_words_get_pyphens_positions(word: str) -> None:
    expected, lazy = pair("en_GB")
    assert lazy.positions(word) == expected.positions(word)
    assert lazy.hd.positions(word) == expected.hd.positions(word)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("aeiouybcdfghjklmnpqrstvwxzáéíóöőúüűAESZ"), max_size=20))
def test_random_hungarian_words_get_pyphens_hyphenation(word: str) -> None:
    expected, lazy = pair("hu_HU", 2, 2)
    assert comparable_positions(lazy.positions(word)) == comparable_positions(expected.positions(word))
    assert list(lazy.iterate(word)) == list(expected.iterate(word))
